"""Writing: files that mmaction2's video pipeline decodes, a pose pickle that
PoseDataset serves, determinism and an idempotent dump."""
import os
import os.path as osp
import pickle

import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmaction.datasets import PoseDataset
from mmhar_robust.datasets import CheckedPoseDataset
from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                          SyntheticVideoGenerator, psnr,
                                          read_video, write_video)

_SMALL = dict(
    num_subjects=2,
    repeats=1,
    classes=('wave', 'jump', 'squat'),
    train_fraction=0.5,
    size=32,
    frames=8)


@pytest.fixture(scope='module')
def dumped(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('video') / 'biased')
    gen = SyntheticVideoGenerator(SyntheticVideoConfig(**_SMALL))
    return root, gen, gen.dump(root)


def test_layout_and_annotation_format(dumped):
    root, gen, data = dumped
    assert sorted(os.listdir(root)) == [
        'annotations.pkl', 'annotations_classes.txt', 'annotations_meta.json',
        'plates', 'videos'
    ]
    with open(osp.join(root, 'annotations_classes.txt')) as f:
        assert f.read().split() == ['wave', 'jump', 'squat']
    with open(osp.join(root, 'annotations.pkl'), 'rb') as f:
        stored = pickle.load(f)
    assert len(stored['annotations']) == 6
    # PoseDataset selects a split by 'filename' once annotations have one.
    assert stored['split']['xsub_train'] == [
        a['filename'] for a in stored['annotations'] if a['subject'] == 1
    ]
    for ann in stored['annotations']:
        assert ann['filename'] == f'videos/{ann["frame_dir"]}.mp4'
        assert ann['plate'] == f'plates/{ann["frame_dir"]}.mp4'
        assert ann['img_shape'] == ann['original_shape'] == (32, 32)
        assert ann['total_frames'] == 8
        assert ann['keypoint'].shape == (1, 8, 17, 2)
        assert ann['keypoint'].dtype == np.float32
        assert ann['keypoint_score'].shape == (1, 8, 17)
        assert ann['background'] == ann['label']  # biased, one per class


def test_videos_decode_with_the_drawn_frames(dumped):
    root, gen, data = dumped
    import decord
    for ann in data['annotations'][:3]:
        _, video, plate = gen.clip(ann['subject'], ann['label'], 0)
        reader = decord.VideoReader(osp.join(root, ann['filename']))
        assert len(reader) == 8
        decoded = reader.get_batch(list(range(8))).asnumpy()
        np.testing.assert_array_equal(
            decoded, read_video(osp.join(root, ann['filename'])))
        # mp4v halves colour resolution, so edges blur; values stay close.
        assert psnr(video, decoded) > 25
        assert psnr(plate, read_video(osp.join(root, ann['plate']))) > 25


@pytest.mark.parametrize('dataset', [PoseDataset, CheckedPoseDataset])
@pytest.mark.parametrize('backend', ['Decord', 'OpenCV'])
def test_mmaction_rgb_pipeline_serves_the_set(dumped, dataset, backend):
    root, gen, data = dumped
    init_default_scope('mmaction')
    pipeline = [
        dict(type=f'{backend}Init'),
        dict(
            type='SampleFrames',
            clip_len=4,
            frame_interval=2,
            num_clips=1,
            test_mode=True),
        dict(type=f'{backend}Decode'),
        dict(type='Resize', scale=(-1, 40)),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    ds = dataset(
        ann_file=osp.join(root, 'annotations.pkl'),
        pipeline=pipeline,
        split='xsub_val',
        data_prefix=dict(video=root),
        test_mode=True)
    assert len(ds) == 3
    for i in range(3):
        sample = ds[i]
        assert tuple(sample['inputs'].shape) == (1, 3, 4, 40, 40)
        assert int(sample['data_samples'].gt_label) == i
        ann = data['annotations'][3 + i]
        assert ds.get_data_info(i)['filename'] == osp.join(
            root, ann['filename'])
        # RGB, not BGR, and close to what was drawn: per-frame channel means
        # of the sampled frames 0, 2, 4, 6.
        _, video, _ = gen.clip(ann['subject'], ann['label'], 0)
        drawn = video[::2].mean(axis=(1, 2))  # (4, 3)
        served = sample['inputs'][0].float().mean(dim=(2, 3)).T.numpy()
        assert np.abs(served - drawn).max() < 4


def test_same_seed_same_files(dumped, tmp_path):
    root, gen, data = dumped
    again = str(tmp_path / 'again')
    SyntheticVideoGenerator(SyntheticVideoConfig(**_SMALL)).dump(again)
    for ann in data['annotations']:
        for key in ('filename', 'plate'):
            with open(osp.join(root, ann[key]),
                      'rb') as a, open(osp.join(again, ann[key]), 'rb') as b:
                assert a.read() == b.read()


def test_dump_is_idempotent(tmp_path):
    root = str(tmp_path / 'set')
    cfg = dict(_SMALL, classes=('wave', ), plates=False)
    gen = SyntheticVideoGenerator(SyntheticVideoConfig(**cfg))
    assert gen.dump_if_changed(root) is not None
    assert not osp.exists(osp.join(root, 'plates'))
    video = osp.join(root, 'videos', 'S000P001A001R001.mp4')
    stamp = os.stat(video).st_mtime_ns
    assert gen.dump_if_changed(root) is None
    assert os.stat(video).st_mtime_ns == stamp
    # A lost video, a changed setting or force makes it write again.
    os.remove(video)
    assert gen.dump_if_changed(root) is not None and osp.isfile(video)
    other = SyntheticVideoGenerator(SyntheticVideoConfig(**cfg, seed=1))
    assert other.dump_if_changed(root) is not None
    assert other.dump_if_changed(root) is None
    assert other.dump_if_changed(root, force=True) is not None


def test_lossless_codec_round_trips_exactly(tmp_path):
    frames = np.random.default_rng(0).integers(
        0, 256, (5, 24, 40, 3), dtype=np.uint8)
    path = str(tmp_path / 'clip.avi')
    write_video(path, frames, fourcc='FFV1')
    np.testing.assert_array_equal(read_video(path), frames)
    assert not [f for f in os.listdir(tmp_path) if '.tmp' in f]
    with pytest.raises(ValueError, match='extension'):
        write_video(str(tmp_path / 'clip.mp4'), frames, fourcc='FFV1')
    with pytest.raises(ValueError, match='uint8'):
        write_video(str(tmp_path / 'x.mp4'), frames.astype(np.float32))
    with pytest.raises(FileNotFoundError, match='missing.mp4'):
        read_video(str(tmp_path / 'missing.mp4'))


def test_psnr_by_hand():
    reference = np.zeros((3, 4, 5, 3), np.uint8)  # 180 values
    decoded = reference.copy()
    assert psnr(reference, decoded) == float('inf')
    decoded[1, 2, 3, 0] = 10  # MSE = 100 / 180
    assert psnr(reference, decoded) == pytest.approx(
        10 * np.log10(255**2 * 180 / 100), abs=1e-9)
    # Not uint8: the same values in another dtype give the same number.
    assert psnr(reference.astype(np.int64),
                decoded.astype(np.int64)) == pytest.approx(
                    psnr(reference, decoded), abs=1e-9)
    with pytest.raises(ValueError, match='shapes differ'):
        psnr(reference, decoded[:2])
