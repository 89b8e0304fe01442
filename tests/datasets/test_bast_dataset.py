"""BASTDataset: the clip rule, labels per task, errors that name the file and
the row, mmaction2's PoseC3D pipeline and a short Runner training run."""
import os
import os.path as osp
import pickle
import re

import numpy as np
import pytest

from mmhar_robust.datasets.bast_dataset import BASTDataset, cut_clips
from mmhar_robust.datasets.bast_format import (BASTFormatError,
                                               write_annotation_table,
                                               write_label_file,
                                               write_pose_file)
from mmhar_robust.synthetic.bast_export import export_bast
from mmhar_robust.utils.safe_pickle import UnsafePickleError

from conftest import ROOT

BASE = ('jump', 'turn', 'walk')
EVAL = ('jump-high', 'jump-low', 'turn-fast')
FPS = 30.0


def _pose_arrays(frames, people=1, joints=17):
    """x = 100 + frame index, y = 100 + 10 x joint: slices are checkable."""
    kp = np.zeros((people, frames, joints, 2), np.float32)
    kp[..., 0] = 100 + np.arange(frames)[None, :, None]
    kp[..., 1] = 100 + 10 * np.arange(joints)
    return kp, np.full(kp.shape[:3], 0.9, np.float32)


def _make(root, rows, videos=None, fps=FPS):
    """A BAST folder: ``rows`` of (video, start, end, base, eval)."""
    videos = videos or {'v1': 40 * 30}
    for video, frames in videos.items():
        write_pose_file(
            osp.join(root, 'poses', video + '.pkl'), *_pose_arrays(frames),
            (480, 640), fps)
    write_annotation_table(
        osp.join(root, 'annotations', 'train.csv'), [
            dict(
                zip(('video', 'start', 'end', 'base_label', 'eval_label'), r))
            for r in rows
        ])
    write_label_file(osp.join(root, 'labels_base.txt'), BASE)
    write_label_file(osp.join(root, 'labels_eval.txt'), EVAL)
    return osp.join(root, 'annotations', 'train.csv')


@pytest.fixture(autouse=True)
def mmaction_scope():
    """Pipelines name mmaction2's transforms, as configs do."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')


def _dataset(ann_file, **kwargs):
    return BASTDataset(ann_file, [], **kwargs)


def test_cut_clips_rule_in_frames():
    # 23 s at 10 fps, 10 s clips every 5 s: 0, 5, 10, then a window flush
    # with the end because 3 s >= min_clip_len stay uncovered.
    assert cut_clips(0, 230, 100, 50, 20) == [(0, 100), (50, 100), (100, 100),
                                              (130, 100)]
    assert cut_clips(0, 230, 100, 50, 40) == [(0, 100), (50, 100), (100, 100)]
    assert cut_clips(0, 200, 100, 50, 20) == [(0, 100), (50, 100), (100, 100)]
    assert cut_clips(37, 137, 100, 50, 20) == [(37, 100)]
    assert cut_clips(37, 117, 100, 50, 20) == [(37, 80)]  # short: one clip
    assert cut_clips(37, 56, 100, 50, 20) == []  # shorter than min
    assert cut_clips(0, 250, 100, 150, 20) == [(0, 100), (150, 100)]


def test_23_second_segment_gives_four_clips_of_its_frames(tmp_path):
    ann = _make(str(tmp_path), [('v1', 4.0, 27.0, 'turn', '')])
    ds = _dataset(ann)
    assert [ds.get_data_info(i)['frame_dir'] for i in range(len(ds))] == [
        'v1@4.00-14.00', 'v1@9.00-19.00', 'v1@14.00-24.00', 'v1@17.00-27.00'
    ]
    for i, first in enumerate((120, 270, 420, 510)):
        info = ds.get_data_info(i)
        assert info['label'] == 1 and info['total_frames'] == 300
        assert info['clip_start_frame'] == first
        assert info['keypoint'].shape == (1, 300, 17, 2)
        assert info['keypoint'].dtype == np.float32
        np.testing.assert_array_equal(info['keypoint'][0, :, 0, 0],
                                      100 + np.arange(first, first + 300))
        assert info['keypoint_score'].shape == (1, 300, 17)
        assert info['img_shape'] == info['original_shape'] == (480, 640)
    assert len(_dataset(ann, min_clip_len=4.0)) == 3
    assert len(_dataset(ann, clip_len=23.0)) == 1


def test_short_segments_make_one_clip_or_none(tmp_path):
    ann = _make(
        str(tmp_path), [('v1', 0.0, 3.0, 'jump', ''),
                        ('v1', 3.0, 4.5, 'jump', ''),
                        ('v1', 10.0, 20.0, 'walk', '')])
    ds = _dataset(ann)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [i['frame_dir']
            for i in infos] == ['v1@0.00-3.00', 'v1@10.00-20.00']
    assert [i['total_frames'] for i in infos] == [90, 300]
    assert len(_dataset(ann, min_clip_len=1.0)) == 3


def test_labels_per_task_and_multi_label_eval_rows(tmp_path):
    ann = _make(
        str(tmp_path), [('v1', 0.0, 10.0, 'jump', 'jump-high;jump-low'),
                        ('v1', 10.0, 20.0, 'turn', ''),
                        ('v1', 20.0, 30.0, '', 'turn-fast'),
                        ('v2', 0.0, 15.0, 'walk', 'jump-low')],
        videos={
            'v1': 900,
            'v2': 450
        })
    base = _dataset(ann)
    assert base.metainfo['classes'] == BASE
    np.testing.assert_array_equal(base.get_labels(), [0, 1, 2, 2])
    assert base.get_labels().dtype == np.int64
    assert base.get_cat_ids(3) == [2]
    ev = _dataset(ann, task='eval')
    assert ev.metainfo['classes'] == EVAL
    names = [ev.get_data_info(i)['frame_dir'] for i in range(len(ev))]
    assert names == [
        'v1@0.00-10.00#jump-high', 'v1@0.00-10.00#jump-low',
        'v1@20.00-30.00#turn-fast', 'v2@0.00-10.00#jump-low',
        'v2@5.00-15.00#jump-low'
    ]
    np.testing.assert_array_equal(ev.get_labels(), [0, 1, 2, 1, 1])
    # One clip, two samples: the same keypoints under both labels.
    np.testing.assert_array_equal(
        ev.get_data_info(0)['keypoint'],
        ev.get_data_info(1)['keypoint'])


def test_data_list_holds_no_arrays_and_cache_is_not_modified(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 12.0, 'jump', '')])
    ds = BASTDataset(
        ann, [dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True)])
    from mmengine.dataset import BaseDataset
    raw = BaseDataset.get_data_info(ds, 0)
    assert not any(isinstance(v, np.ndarray) for v in raw.values())
    first = ds[0]['keypoint'].copy()  # PoseCompact shifts it in place
    np.testing.assert_array_equal(ds[0]['keypoint'], first)
    np.testing.assert_array_equal(
        ds.get_data_info(0)['keypoint'][0, :, 0, 0], 100 + np.arange(300))


def test_pose_cache_keeps_at_most_pose_cache_size_videos(tmp_path):
    ann = _make(
        str(tmp_path), [('v1', 0.0, 10.0, 'jump', ''),
                        ('v2', 0.0, 10.0, 'walk', '')],
        videos={
            'v1': 300,
            'v2': 300
        })
    bounded = _dataset(ann, pose_cache_size=1)
    assert len(bounded._pose_cache) == 0  # loading reads, keeps nothing
    bounded.get_data_info(0), bounded.get_data_info(1)
    assert list(bounded._pose_cache) == ['v2']
    unbounded = _dataset(ann)
    unbounded.get_data_info(0), unbounded.get_data_info(1)
    assert list(unbounded._pose_cache) == ['v1', 'v2']


def test_paths_default_next_to_annotations_or_join_data_root(tmp_path):
    _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', 'jump-low')])
    ds = _dataset(
        'annotations/train.csv', data_root=str(tmp_path), task='eval')
    assert ds.label_file == osp.join(str(tmp_path), 'labels_eval.txt')
    assert ds.pose_dir == osp.join(str(tmp_path), 'poses')
    moved = tmp_path / 'elsewhere'
    (tmp_path / 'poses').rename(moved)
    ds = _dataset(
        'annotations/train.csv', data_root=str(tmp_path), pose_dir='elsewhere')
    assert len(ds) == 1


def test_fps_fallback_only_when_the_pose_file_has_none(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', '')])
    path = str(tmp_path / 'poses' / 'v1.pkl')
    with open(path, 'rb') as f:
        pose = pickle.load(f)
    del pose['fps']
    with open(path, 'wb') as f:
        pickle.dump(pose, f)
    with pytest.raises(BASTFormatError, match=r"v1\.pkl.*'fps'"):
        _dataset(ann)
    ds = _dataset(ann, fps=15.0)  # 10 s = 150 frames at 15 fps
    assert ds.get_data_info(0)['total_frames'] == 150


def _write_csv(path, text):
    with open(path, 'w') as f:
        f.write(text)


def _bad_segment_past_end(root):
    return _make(root, [('v1', 0.0, 10.0, 'jump', ''),
                        ('v1', 30.0, 40.5, 'jump', '')]), 'line 3', 'end'


def _bad_overlap(root):
    return _make(root, [('v1', 10.0, 20.0, 'jump', ''),
                        ('v1', 0.0, 5.0, 'jump', ''),
                        ('v1', 19.0, 25.0, 'turn', '')]), 'line 4', 'line 2'


def _bad_inverted(root):
    ann = _make(root, [('v1', 0.0, 10.0, 'jump', '')])
    _write_csv(
        ann, 'video,start,end,base_label,eval_label\n'
        'v1,0,10,jump,\nv1,12,12,jump,\n')
    return ann, 'line 3', 'inverted'


def _bad_joint_count(root):
    ann = _make(root, [('v1', 0.0, 10.0, 'jump', '')])
    kp, score = _pose_arrays(600, joints=15)
    with open(osp.join(root, 'poses', 'v1.pkl'), 'wb') as f:
        pickle.dump(
            dict(
                keypoint=kp,
                keypoint_score=score,
                fps=30.0,
                img_shape=(480, 640),
                total_frames=600), f)
    return ann, 'line 2', '15 joints'


def _bad_base_label(root):
    return _make(root, [('v1', 0.0, 10.0, 'jump', ''),
                        ('v1', 10.0, 20.0, 'hop', '')]), 'line 3', "'hop'"


def _bad_missing_pose_file(root):
    return _make(
        root, [('v2', 0.0, 10.0, 'jump', '')],
        videos={'v1': 900}), 'line 2', 'v2.pkl'


def _bad_missing_column(root):
    ann = _make(root, [('v1', 0.0, 10.0, 'jump', '')])
    _write_csv(ann, 'video,start,base_label,eval_label\nv1,0,jump,\n')
    return ann, 'line 1', "'end'"


@pytest.mark.parametrize('make_bad', [
    _bad_segment_past_end, _bad_overlap, _bad_inverted, _bad_joint_count,
    _bad_base_label, _bad_missing_pose_file, _bad_missing_column
])
def test_bad_input_names_file_and_row(tmp_path, make_bad):
    ann, row, detail = make_bad(str(tmp_path))
    with pytest.raises((ValueError, FileNotFoundError)) as info:
        _dataset(ann)
    message = str(info.value)
    assert ann in message and row in message and detail in message
    if make_bad is not _bad_missing_column:
        assert "'v" in message  # the video is named


def test_bad_eval_label_names_label_file(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', 'jump-high;spin')])
    with pytest.raises(BASTFormatError) as info:
        _dataset(ann, task='eval')
    message = str(info.value)
    assert all(
        s in message
        for s in (ann, 'line 2', "'spin'", 'labels_eval.txt', "'eval_label'"))
    assert len(_dataset(ann)) == 1  # task base does not read eval labels


def test_bad_arguments():
    with pytest.raises(ValueError, match='task'):
        BASTDataset('x.csv', [], task='other')
    with pytest.raises(ValueError, match='min_clip_len'):
        BASTDataset('x.csv', [], min_clip_len=11.0)


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    return export_bast(str(tmp_path_factory.mktemp('bast')))


POSEC3D_TRAIN = [
    dict(type='UniformSampleFrames', clip_len=16),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(
        type='Flip',
        flip_ratio=0.5,
        left_kp=[1, 3, 5, 7, 9, 11, 13, 15],
        right_kp=[2, 4, 6, 8, 10, 12, 14, 16]),
    dict(
        type='GeneratePoseTarget',
        sigma=0.6,
        use_score=True,
        with_kp=True,
        with_limb=False),
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]
POSEC3D_VAL = [
    dict(type='UniformSampleFrames', clip_len=16, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='CenterCrop', crop_size=32),
    dict(
        type='GeneratePoseTarget',
        sigma=0.6,
        use_score=True,
        with_kp=True,
        with_limb=False),
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]


@pytest.mark.parametrize('task', ['base', 'eval'])
def test_mmaction_posec3d_pipeline_makes_a_batch(exported, task):
    from mmaction.registry import DATASETS
    from mmengine.dataset import pseudo_collate
    ds = DATASETS.build(
        dict(
            type='BASTDataset',
            ann_file=exported['ann_files']['train'],
            task=task,
            pipeline=POSEC3D_TRAIN))
    batch = pseudo_collate([ds[i] for i in range(4)])
    for inputs in batch['inputs']:
        assert tuple(inputs.shape) == (1, 17, 16, 32, 32)
        assert float(inputs.max()) > 0.5  # heatmaps were drawn
    labels = [int(s.gt_label) for s in batch['data_samples']]
    assert labels == list(ds.get_labels()[:4])


def _smaller(pipeline):
    """8 frames of 24 x 24: the run below costs seconds on 2 CPU cores."""
    sizes = {16: 8, 32: 24, 40: 28}
    out = []
    for step in pipeline:
        step = dict(step)
        for key in ('clip_len', 'crop_size'):
            if key in step:
                step[key] = sizes[step[key]]
        if 'scale' in step:
            step['scale'] = tuple(sizes.get(v, v) for v in step['scale'])
        out.append(step)
    return out


def test_tiny_posec3d_trains_and_validates_with_runner(exported, tmp_path):
    from mmengine.config import Config
    from mmengine.runner import Runner
    train, val = _smaller(POSEC3D_TRAIN), _smaller(POSEC3D_VAL)
    base = osp.join(ROOT, 'configs', '_base_')
    cfg_path = tmp_path / 'bast_tiny.py'
    cfg_path.write_text(f"""
_base_ = ['{base}/default_runtime.py',
          '{base}/models/slowonly_r50-tiny_keypoint.py']
model = dict(cls_head=dict(num_classes={len(exported['base_classes'])}))
dataset = dict(type='BASTDataset', task='base', clip_len=10.0,
               clip_stride=5.0, min_clip_len=2.0)
train_dataloader = dict(
    batch_size=2, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(dataset, ann_file='{exported['ann_files']['train']}',
                 indices=4, pipeline={train!r}))
val_dataloader = dict(
    batch_size=2, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(dataset, ann_file='{exported['ann_files']['val']}',
                 indices=2, test_mode=True, pipeline={val!r}))
val_evaluator = [dict(type='AccMetric')]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1, val_interval=1)
val_cfg = dict(type='ValLoop')
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=0.001))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
""")
    cfg = Config.fromfile(str(cfg_path))
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == 2  # 4 clips in batches of 2
    scalars = runner.message_hub.log_scalars
    assert np.isfinite(scalars['train/loss'].current())
    assert 'val/acc/top1' in scalars
    assert osp.isfile(osp.join(cfg.work_dir, 'epoch_1.pth'))
    assert re.fullmatch(
        r'S000P00[12]V\d\d@[\d.]+-[\d.]+',
        runner.train_dataloader.dataset.get_data_info(0)['frame_dir'])


def test_num_classes_must_match_the_label_file(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', 'jump-high')])
    assert len(_dataset(ann, num_classes=3)) == 1
    with pytest.raises(BASTFormatError,
                       match=r'labels_eval.txt: lists 3 classes but the '
                       r'config says num_classes=24'):
        _dataset(ann, task='eval', num_classes=24)


class _Touch:
    """Unpickles as ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def _plant(path, marker):
    """A pose-file-shaped pickle that runs code when plainly unpickled."""
    kp, score = _pose_arrays(600)
    with open(path, 'wb') as f:
        pickle.dump(
            dict(keypoint=kp, keypoint_score=score, img_shape=(480, 640),
                 fps=30.0, payload=_Touch(marker)), f)


@pytest.mark.parametrize('video', ['../evil', '../../evil', 'sub/v1', '..',
                                   'sub\\v1', '/tmp/evil'])
def test_video_id_with_a_path_is_refused_naming_the_row(tmp_path, video):
    root = str(tmp_path)
    ann = _make(root, [('v1', 0.0, 10.0, 'jump', '')])
    marker = str(tmp_path / 'pwned')
    _plant(str(tmp_path / 'evil.pkl'), marker)
    _write_csv(
        ann, 'video,start,end,base_label,eval_label\n'
        f'v1,0,10,jump,\n{video},0,10,jump,\n')
    with pytest.raises(BASTFormatError) as info:
        _dataset(ann)
    message = str(info.value)
    assert ann in message and 'line 3' in message and repr(video) in message
    assert info.value.field == 'video'
    assert not osp.exists(marker)


def test_pose_file_linked_out_of_the_pose_folder_is_refused(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', '')])
    marker = str(tmp_path / 'pwned')
    outside = str(tmp_path / 'elsewhere.pkl')
    _plant(outside, marker)
    link = str(tmp_path / 'poses' / 'v1.pkl')
    os.remove(link)
    os.symlink(outside, link)
    with pytest.raises(BASTFormatError, match='outside the pose folder') as e:
        _dataset(ann)
    assert ann in str(e.value) and 'line 2' in str(e.value)
    assert not osp.exists(marker)


def test_crafted_pose_file_runs_nothing_unless_trusted(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', '')])
    marker = str(tmp_path / 'pwned')
    pose_file = str(tmp_path / 'poses' / 'v1.pkl')
    _plant(pose_file, marker)
    with pytest.raises(UnsafePickleError) as info:
        _dataset(ann)
    assert not osp.exists(marker)
    assert info.value.source == pose_file
    assert info.value.global_name == f'{os.system.__module__}.system'
    # The documented opt-out is plain pickle: it runs the payload.
    assert len(_dataset(ann, safe_load=False)) == 1
    assert osp.exists(marker)


@pytest.mark.parametrize('name', ['train.csv', 'labels_base.txt'])
def test_text_that_is_not_utf8_names_file_line_and_encoding(tmp_path, name):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', '')])
    path = ann if name == 'train.csv' else str(tmp_path / name)
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')
    column = lines[1].index(b'u') + 1  # 'jump' in the table, 'turn' here
    lines[1] = lines[1].replace(b'u', 'ü'.encode('latin-1'), 1)
    with open(path, 'wb') as f:
        f.write(b'\n'.join(lines))
    with pytest.raises(BASTFormatError) as info:
        _dataset(ann)
    message = str(info.value)
    assert info.value.source == path and info.value.sample == 'line 2'
    assert 'not UTF-8' in message and 'byte 0xfc' in message
    assert f'line 2: is not UTF-8: byte 0xfc at column {column} ' in message


def test_utf16_table_is_named(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, 'jump', '')])
    with open(ann, encoding='utf-8') as f:
        text = f.read()
    with open(ann, 'w', encoding='utf-16') as f:
        f.write(text)
    with pytest.raises(BASTFormatError, match=r'train\.csv: is UTF-16'):
        _dataset(ann)


def test_no_sample_for_the_task_fails_at_load(tmp_path):
    ann = _make(str(tmp_path), [('v1', 0.0, 10.0, '', 'jump-high'),
                                ('v1', 12.0, 13.0, 'jump', '')])
    with pytest.raises(BASTFormatError) as info:
        _dataset(ann)
    message = str(info.value)
    assert message.startswith(ann) and "task 'base'" in message
    assert 'skipped 1 segments without a label' in message
    assert '1 shorter than 2.0 s' in message
    assert len(_dataset(ann, task='eval')) == 1
