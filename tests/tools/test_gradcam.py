"""tools/gradcam.py on tiny PoseC3D, ST-GCN++ and RGB configs: outputs,
printed fractions, and clear errors."""
import json
import os.path as osp
import pickle
import subprocess

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

import mmhar_robust  # noqa: F401
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmhar_robust.registry import MODELS

from conftest import PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli

GCN_CONFIG = osp.join(
    ROOT, 'configs', 'skeleton', 'stgcnpp',
    'stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py')
# ST-GCN++ shrunk to seconds: 2 stages of 16 channels, 24-frame clips.
GCN_OPTIONS = {
    'model.backbone.num_stages': 2,
    'model.backbone.base_channels': 16,
    'model.cls_head.in_channels': 16,
    'model.cls_head.num_classes': 13,
    'test_dataloader.dataset.pipeline.2.clip_len': 24,
}
RGB_CONFIG = """
default_scope = 'mmaction'
model = dict(
    type='Recognizer3D',
    backbone=dict(type='ResNet3dSlowOnly', depth=18, pretrained=None,
                  in_channels=3, base_channels=8, num_stages=2,
                  out_indices=(1, ), stage_blocks=(1, 1),
                  conv1_kernel=(1, 3, 3), conv1_stride_s=1, pool1_stride_s=1,
                  inflate=(0, 1), spatial_strides=(1, 2),
                  temporal_strides=(1, 1), dilations=(1, 1)),
    cls_head=dict(type='I3DHead', in_channels=16, num_classes=3,
                  average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           mean=[127.5] * 3, std=[64.0] * 3,
                           format_shape='NCTHW'))
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 24), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_dataloader = dict(dataset=dict(type='VideoDataset', ann_file='',
                                    pipeline=test_pipeline))
"""


def _checkpoint(config, path, options=None):
    """Weights of the config's model, drawn from a seeded generator (not
    the global RNG), so every run explains the same model."""
    init_default_scope('mmaction')
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    model = MODELS.build(cfg.model)
    gen = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Conv3d)):
            torch.nn.init.kaiming_normal_(
                module.weight, mode='fan_out', generator=gen)
        elif isinstance(module, torch.nn.Linear):
            torch.nn.init.normal_(module.weight, std=0.1, generator=gen)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def _gradcam(*args, check=True):
    result = subprocess.run([PYTHON, 'tools/gradcam.py', *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-2000:] + \
            result.stderr[-3000:]
    return result


def _report(out):
    with open(osp.join(out, 'reliance.json')) as f:
        return json.load(f)


def test_posec3d_samples(tiny_synthetic, tmp_path):
    ckpt = _checkpoint(SYNTHETIC_CONFIG, str(tmp_path / 'posec3d.pth'))
    out = str(tmp_path / 'out')
    result = _gradcam(
        SYNTHETIC_CONFIG, ckpt, '--indices', '0', '2', '--target-class', '3',
        '--out-dir', out,
        *as_cli({'test_dataloader.dataset.ann_file': tiny_synthetic}))
    report = _report(out)
    rows = report['samples']
    assert [r['sample'] for r in rows] == ['test_0', 'test_2']
    for row in rows:
        assert row['target'] == 3 and row['layer'] == 'backbone.layer3'
        assert 0 <= row['in_person'] <= 1
        line = (f'{row["sample"]}: target 3 pred {row["pred"]} gt '
                f'{row["gt"]} in-person {row["in_person"]:.4f}')
        assert line in result.stdout
        for name in row['files'].split(';'):
            assert osp.isfile(osp.join(out, name))
    mean = report['summary']['mean_in_person']
    assert f'mean in-person fraction {mean:.4f} over 2/2' in result.stdout


def test_all_samples_with_few_overlays(tiny_synthetic, tmp_path):
    ckpt = _checkpoint(SYNTHETIC_CONFIG, str(tmp_path / 'posec3d.pth'))
    out = str(tmp_path / 'out')
    _gradcam(SYNTHETIC_CONFIG, ckpt, '--all', '--max-overlays', '1',
             '--out-dir', out,
             *as_cli({'test_dataloader.dataset.ann_file': tiny_synthetic}))
    rows = _report(out)['samples']
    assert len(rows) == 13  # the tiny set's val split
    assert rows[0]['files'] and not any(r['files'] for r in rows[1:])
    assert all(0 <= r['in_person'] <= 1 for r in rows)


def test_gcn_sample(tiny_synthetic, tmp_path):
    ckpt = _checkpoint(GCN_CONFIG, str(tmp_path / 'gcn.pth'), GCN_OPTIONS)
    out = str(tmp_path / 'out')
    result = _gradcam(
        GCN_CONFIG, ckpt, '--indices', '1', '--out-dir', out,
        *as_cli({
            **GCN_OPTIONS, 'test_dataloader.dataset.ann_file':
            tiny_synthetic
        }))
    row = _report(out)['samples'][0]
    assert row['target'] == row['pred'] and row['layer'] == 'backbone.gcn.1'
    assert row['in_person'] is None  # no background for a skeleton model
    assert row['files'] == 'test_1_GradCAM_skeleton.png;' \
        'test_1_GradCAM_joints.png'
    assert 'in-person n/a' in result.stdout
    assert 'gcn model, GradCAM on backbone.gcn.1' in result.stdout


@pytest.fixture(scope='module')
def rgb_setup(tmp_path_factory):
    root = tmp_path_factory.mktemp('rgb')
    config = root / 'tiny_rgb.py'
    config.write_text(RGB_CONFIG)
    ckpt = _checkpoint(str(config), str(root / 'rgb.pth'))
    video = str(root / 'walk.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (64, 48))
    keypoint = np.zeros((1, 12, 17, 2), np.float32)
    for t in range(12):
        frame = np.full((48, 64, 3), 40, np.uint8)
        frame[10:30, 10 + 3 * t:20 + 3 * t] = 255
        writer.write(frame)
        keypoint[0, t, :2] = [(10 + 3 * t, 10), (19 + 3 * t, 29)]
        keypoint[0, t, 2:] = (15 + 3 * t, 20)
    writer.release()
    pose = str(root / 'walk.pkl')
    with open(pose, 'wb') as f:
        pickle.dump(dict(keypoint=keypoint), f)
    return str(config), ckpt, video, pose, root


def test_rgb_video_with_pose(rgb_setup, tmp_path):
    config, ckpt, video, pose, _ = rgb_setup
    out = str(tmp_path / 'out')
    result = _gradcam(config, ckpt, '--video', video, '--pose', pose, '--mask',
                      'silhouette', '--out-dir', out)
    row = _report(out)['samples'][0]
    assert row['sample'] == 'walk' and row['gt'] is None
    assert 0 <= row['in_person'] <= 1
    assert f'in-person {row["in_person"]:.4f}' in result.stdout
    assert osp.isfile(osp.join(out, 'walk_GradCAM.gif'))


def test_clear_errors(rgb_setup):
    config, ckpt, video, _, root = rgb_setup
    broken = root / 'broken.mp4'
    broken.write_bytes(b'\x00' * 64)
    result = _gradcam(config, ckpt, '--video', str(broken), check=False)
    assert result.returncode == 1
    assert 'cannot decode video' in result.stderr
    assert 'broken.mp4' in result.stderr

    result = _gradcam(
        config,
        ckpt,
        '--video',
        video,
        '--target-layer',
        'backbone.layer9',
        '--method',
        'HiResCAM',
        check=False)
    assert result.returncode == 1
    assert "target layer 'backbone.layer9'" in result.stderr
    assert 'backbone.layer1, backbone.layer1.0' in result.stderr


@pytest.mark.slow  # two runs of the tool, about 20 s
def test_rgb_resized_copy_three_crop_and_ntu25(rgb_setup, tmp_path):
    """A 480 x 270 copy of a 1080p video, its 1080p NTU-25 pose file,
    mmaction2's ThreeCrop test views: a silhouette on the person in every
    crop, and the CAM drawn on the decoded frames."""
    _, ckpt, _, _, root = rgb_setup
    config = tmp_path / 'three_crop.py'
    config.write_text(
        RGB_CONFIG.replace(
            "dict(type='Resize', scale=(32, 24), keep_ratio=False)",
            "dict(type='Resize', scale=(-1, 32)), "
            "dict(type='ThreeCrop', crop_size=32)"))
    video = str(tmp_path / 'small.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (480, 270))
    for t in range(12):
        frame = np.full((270, 480, 3), 40, np.uint8)
        frame[60:220, 200 + 4 * t:240 + 4 * t] = 255
        writer.write(frame)
    writer.release()
    # 25 joints on the bright bar's centre line, in 1080p pixels.
    keypoint = np.zeros((1, 12, 25, 2), np.float32)
    for t in range(12):
        keypoint[0, t, :, 0] = 4 * (220 + 4 * t) + 1.5
        keypoint[0, t, :, 1] = np.linspace(4 * 70 + 1.5, 4 * 210 + 1.5, 25)
    pose = str(tmp_path / 'small.pkl')
    with open(pose, 'wb') as f:
        pickle.dump(dict(keypoint=keypoint, img_shape=(1080, 1920)), f)
    out = str(tmp_path / 'out')
    result = _gradcam(
        str(config), ckpt, '--video', video, '--pose', pose, '--mask',
        'silhouette', '--out-dir', out)
    row = _report(out)['samples'][0]
    # The 1080p keypoints fall on the 270p person (before, 0.0 silently).
    assert 0 < row['in_person'] <= 1
    assert f'in-person {row["in_person"]:.4f}' in result.stdout
    files = row['files'].split(';')
    assert files == [
        f'small_GradCAM_clip{i}.{ext}' for i in range(3)
        for ext in ('png', 'gif')
    ]
    # On the decoded frames (kept at 320 x 180), not on the 32 x 32 input.
    assert Image.open(osp.join(out, files[1])).size == (320, 180)

    odd = str(tmp_path / 'odd.pkl')
    with open(odd, 'wb') as f:
        pickle.dump(
            dict(keypoint=keypoint[:, :, :19], img_shape=(1080, 1920)), f)
    result = _gradcam(
        str(config),
        ckpt,
        '--video',
        video,
        '--pose',
        odd,
        '--mask',
        'silhouette',
        '--out-dir',
        str(tmp_path / 'odd'),
        check=False)
    assert result.returncode == 1
    assert 'error: sample small: its keypoint has 19 joints' in result.stderr
    assert not osp.exists(osp.join(tmp_path, 'odd', 'reliance.json'))
