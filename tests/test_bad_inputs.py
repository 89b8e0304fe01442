"""The catalogue of bad inputs: each one a clear error that names the file,
the sample and the field (docs/reliability.md, "Bad inputs", lists the same
table for users).

A row builds one bad input in ``tmp_path`` (tiny) and returns a
:class:`Case`: the public entry point to call (a dataset, a transform, a
loader, a tool's function), the error it must raise, and the parts its
message must hold. A row whose error is None is a warning: its call returns
the messages given.
"""
import importlib.util
import inspect
import logging
import os
import os.path as osp
import pickle
import sys
from argparse import Namespace
from typing import Any, Callable, NamedTuple, Optional, Sequence

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from mmhar_robust.compat import load_checkpoint_file
from mmhar_robust.compat.checkpoint import (DamagedCheckpointError,
                                            UnsafeCheckpointError)
from mmhar_robust.datasets import (BABELDataset, BASTDataset,
                                   CheckedPoseDataset, PoseAnnotationError,
                                   VideoDecodeError)
from mmhar_robust.datasets.babel_format import write_label_map, write_release
from mmhar_robust.datasets.bast_format import (BASTFormatError,
                                               write_annotation_table,
                                               write_label_file,
                                               write_pose_file)
from mmhar_robust.datasets.transforms import (AlignSkeleton, CenterSkeleton,
                                              ClipWindow, FormatSkeletonVolume,
                                              KeypointNoise)
from mmhar_robust.synthetic.video.writer import write_video
from mmhar_robust.utils.checkpoint_match import check_checkpoint_matches
from mmhar_robust.utils.safe_pickle import UnsafePickleError

from conftest import ROOT, SYNTHETIC_CONFIG

SYSTEM = f'{os.system.__module__}.system'


class Case(NamedTuple):
    """One bad input: ``call()`` must raise ``error`` (or, if None, return
    warnings) with every one of ``parts`` in the message; ``after()`` then
    checks what must not have happened."""
    call: Callable[[], Any]
    error: Optional[type]
    parts: Sequence[str]
    after: Optional[Callable[[], None]] = None


def _tool(*path: str):
    name = '_'.join(path).replace('.py', '')
    spec = importlib.util.spec_from_file_location(
        f'catalogue_{name}', osp.join(ROOT, 'tools', *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Payload:
    """Unpickles as ``os.system('touch <marker>')``."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def _nothing_ran(marker: str) -> Callable[[], None]:

    def check() -> None:
        assert not osp.exists(marker), 'the crafted file ran code'

    return check


def _dump(path: str, obj: Any) -> str:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        pickle.dump(obj, f)
    return path


# -- pose annotations (CheckedPoseDataset) ----------------------------------
def _annotations(num: int = 3, frames: int = 6) -> list:
    rng = np.random.default_rng(0)
    return [
        dict(
            frame_dir=f'S00{i}',
            label=i,
            total_frames=frames,
            img_shape=(64, 64),
            keypoint=rng.uniform(1, 63, (1, frames, 17, 2)).astype(np.float32),
            keypoint_score=np.ones((1, frames, 17), np.float32))
        for i in range(num)
    ]


def _pose_file(tmp, change=None, split=None) -> str:
    """ann.pkl of 3 samples; ``change`` edits sample S001."""
    annos = _annotations()
    if change is not None:
        change(annos[1])
    if split is None:
        split = dict(train=[a['frame_dir'] for a in annos])
    return _dump(str(tmp / 'ann.pkl'), dict(split=split, annotations=annos))


def _checked(path: str, **kwargs) -> Callable[[], Any]:
    kwargs.setdefault('split', 'train')
    return lambda: CheckedPoseDataset(
        path, [], num_classes=3, num_keypoints=17, **kwargs)


def _bad_sample(tmp, change, field, *detail) -> Case:
    path = _pose_file(tmp, change)
    return Case(
        _checked(path), PoseAnnotationError,
        (f"{path}, sample 'S001', field '{field}'", *detail))


def pose_file_missing(tmp):
    path = str(tmp / 'none.pkl')
    return Case(_checked(path), FileNotFoundError, (path, ))


def pose_file_not_pkl(tmp):
    path = str(tmp / 'ann.json')
    open(path, 'w').close()
    return Case(_checked(path), PoseAnnotationError, (path, '.pkl'))


def pose_file_truncated(tmp):
    path = _pose_file(tmp)
    raw = open(path, 'rb').read()
    open(path, 'wb').write(raw[:len(raw) // 2])
    return Case(_checked(path), PoseAnnotationError, (path, 'cannot read'))


def pose_file_crafted(tmp):
    marker = str(tmp / 'ran')
    path = _pose_file(tmp, lambda a: a.update(extra=_Payload(marker)))
    return Case(
        _checked(path), UnsafePickleError, (path, SYSTEM),
        _nothing_ran(marker))


def pose_file_wrong_structure(tmp):
    path = _dump(str(tmp / 'ann.pkl'), dict(foo=1))
    return Case(
        _checked(path), PoseAnnotationError,
        (path, "'split' and 'annotations'"))


def pose_split_unknown(tmp):
    path = _pose_file(tmp)
    return Case(
        _checked(path, split='xview'), PoseAnnotationError,
        (path, "field 'split'", "'xview'", "['train']"))


def pose_split_empty(tmp):
    path = _pose_file(tmp, split=dict(train=[]))
    return Case(
        _checked(path), PoseAnnotationError,
        (path, "field 'split'", "split 'train' lists no samples"))


def pose_split_matches_nothing(tmp):
    path = _pose_file(tmp, split=dict(train=['x1', 'x2']))
    return Case(
        _checked(path), PoseAnnotationError,
        (path, "field 'split'", "none of the 2 samples of split "
         "'train'"))


def pose_zero_persons(tmp):
    return _bad_sample(
        tmp, lambda a: a.update(
            keypoint=a['keypoint'][:0], keypoint_score=a['keypoint_score'][:0]
        ), 'keypoint', 'holds no person', '(0, 6, 17, 2)')


def pose_keypoint_not_4d(tmp):
    return _bad_sample(tmp, lambda a: a.update(keypoint=a['keypoint'][0]),
                       'keypoint', '(M, T, V, C)')


def pose_keypoint_nan(tmp):
    return _bad_sample(
        tmp, lambda a: a['keypoint'].__setitem__((0, 2, 5, 1), np.nan),
        'keypoint', 'NaN or infinite', '(0, 2, 5, 1)')


def pose_wrong_joint_count(tmp):
    return _bad_sample(
        tmp, lambda a: a.update(
            keypoint=a['keypoint'][:, :, :15],
            keypoint_score=a['keypoint_score'][:, :, :15]), 'keypoint',
        'has 15 joints, expected 17')


def pose_total_frames_differ(tmp):
    return _bad_sample(tmp, lambda a: a.update(total_frames=7), 'keypoint',
                       'has 6 frames but total_frames is 7')


def pose_label_outside(tmp):
    return _bad_sample(tmp, lambda a: a.update(label=3), 'label',
                       '3 is outside [0, 3)')


def pose_label_missing(tmp):
    return _bad_sample(tmp, lambda a: a.pop('label'), 'label', 'is missing')


def pose_score_shape(tmp):
    return _bad_sample(
        tmp, lambda a: a.update(keypoint_score=a['keypoint_score'][:, 1:]),
        'keypoint_score', 'does not match')


# -- videos (RGB pipelines over CheckedPoseDataset and BASTDataset) ----------
def _video_set(tmp, reader='Decord'):
    """Two 8-frame videos and a dataset over them, built lazily."""
    init_default_scope('mmaction')
    rng = np.random.default_rng(0)
    os.makedirs(str(tmp / 'videos'))
    annos = _annotations(2, frames=8)
    for a in annos:
        a['filename'] = f"videos/{a['frame_dir']}.mp4"
        write_video(
            str(tmp / a['filename']),
            rng.integers(0, 255, (8, 32, 32, 3), dtype=np.uint8))
    path = _dump(
        str(tmp / 'ann.pkl'),
        dict(
            split=dict(test=[a['filename'] for a in annos]),
            annotations=annos))
    pipeline = [
        dict(type=f'{reader}Init'),
        dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
        dict(type=f'{reader}Decode')
    ]
    return path, lambda: CheckedPoseDataset(
        path,
        pipeline,
        split='test',
        data_prefix=dict(video=str(tmp)),
        test_mode=True)


def video_missing(tmp):
    path, dataset = _video_set(tmp)
    os.remove(str(tmp / 'videos' / 'S001.mp4'))
    return Case(dataset, FileNotFoundError,
                (f"{path}, sample '{tmp}/S001', field 'filename'",
                 f'video file not found: {tmp}/videos/S001.mp4'))


def video_garbage_decord(tmp):
    path, dataset = _video_set(tmp)
    ds = dataset()
    with open(str(tmp / 'videos' / 'S001.mp4'), 'wb') as f:
        f.write(b'\x00garbage' * 4)
    return Case(lambda: ds[1], VideoDecodeError,
                (f"{path}, sample '{tmp}/S001', field 'filename'",
                 f'cannot read the video {tmp}/videos/S001.mp4', 'DecordInit'))


def video_truncated_opencv(tmp):
    path, dataset = _video_set(tmp, 'OpenCV')
    video = str(tmp / 'videos' / 'S000.mp4')
    raw = open(video, 'rb').read()
    open(video, 'wb').write(raw[:len(raw) // 2])
    ds = dataset()
    return Case(lambda: ds[0], VideoDecodeError,
                (f"{path}, sample '{tmp}/S000', field 'filename'",
                 f'no frame could be read from the video {video}'))


def video_removed_after_load(tmp):
    path, dataset = _video_set(tmp)
    ds = dataset()
    os.remove(str(tmp / 'videos' / 'S000.mp4'))
    return Case(lambda: ds[0], FileNotFoundError,
                (f"{path}, sample '{tmp}/S000'", f'{tmp}/videos/S000.mp4'))


# -- BABEL release files ----------------------------------------------------
def _babel(tmp, x=None, labels=None, num=3):
    if x is None:
        x = np.ones((num, 3, 5, 25, 1), np.float32)
    n = len(x)
    return write_release(
        str(tmp), 'train', 60, x, [f'seg{i}' for i in range(n)],
        list(range(n)) if labels is None else labels, list(range(n)), [0] * n,
        ['a'] * n)


def _babel_dataset(paths):
    return lambda: BABELDataset(paths['label_file'], pipeline=[])


def babel_label_file_missing(tmp):
    path = str(tmp / 'val_label_60.pkl')
    return Case(lambda: BABELDataset(path, pipeline=[]), FileNotFoundError,
                (path, ))


def babel_label_file_name(tmp):
    path = str(tmp / 'labels.pkl')
    return Case(lambda: BABELDataset(path, pipeline=[]), ValueError,
                (path, 'pass data_file'))


def babel_label_file_structure(tmp):
    paths = _babel(tmp)
    _dump(paths['label_file'], {'labels': [0]})
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (paths['label_file'], 'expected (sample_names'))


def babel_lists_differ(tmp):
    paths = _babel(tmp)
    _dump(paths['label_file'], (['a', 'b'], ([0, 1], [1], [0, 0], ['x', 'y'])))
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (paths['label_file'], "field 'sid'", 'has 1 entries'))


def babel_label_outside(tmp):
    paths = _babel(tmp, labels=[0, 60, 1])
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (f"{paths['label_file']}, sample #1 seg1, field 'labels'",
         'label 60 is outside the BABEL-60 label set'))


def babel_no_samples(tmp):
    paths = _babel(tmp, num=0)
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (paths['label_file'], 'holds no samples'))


def babel_crafted_labels(tmp):
    marker = str(tmp / 'ran')
    paths = _babel(tmp)
    _dump(paths['label_file'], (['a'], ([0], [1], [0], [_Payload(marker)])))
    return Case(
        _babel_dataset(paths), UnsafePickleError,
        (paths['label_file'], SYSTEM), _nothing_ran(marker))


def babel_array_length(tmp):
    paths = _babel(tmp)
    np.save(paths['data_file'], np.ones((2, 3, 5, 25, 1), np.float32))
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (paths['data_file'], 'holds 2 samples', paths['label_file']))


def babel_array_shape(tmp):
    paths = _babel(tmp, np.ones((3, 3, 5, 17, 1), np.float32))
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (paths['data_file'], '(N, 3, T, 25, M)', '(3, 3, 5, 17, 1)'))


def babel_no_frames(tmp):
    paths = _babel(tmp, np.ones((3, 3, 0, 25, 1), np.float32))
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (f"{paths['data_file']}, field 'keypoint'", 'no frames (T = 0)'))


def babel_nan_when_read(tmp):
    x = np.ones((3, 3, 5, 25, 1), np.float32)
    x[2, 1, 4, 3, 0] = np.nan
    paths = _babel(tmp, x)
    ds = _babel_dataset(paths)()
    return Case(lambda: ds[2], PoseAnnotationError,
                (f"{paths['data_file']}, sample #2 seg2, field 'keypoint'",
                 '(0, 4, 3, 1)'))


def babel_nan_in_converter(tmp):
    x = np.ones((3, 3, 5, 25, 1), np.float32)
    x[1, 0, 2, 3, 0] = np.inf
    paths = _babel(tmp, x)
    main = _tool('data', 'babel_to_mmaction.py').main
    out = str(tmp / 'out.pkl')

    def nothing_written() -> None:
        assert not osp.exists(out)

    return Case(lambda: main([str(tmp), '--splits', 'train', '--out', out]),
                SystemExit,
                (f"{paths['data_file']}, sample #1 seg1, field 'keypoint'",
                 'NaN or infinite values in 1 of 3 samples'), nothing_written)


def babel_label_map(tmp):
    paths = _babel(tmp)
    write_label_map(str(tmp), ['walk', 'stand'])
    return Case(
        _babel_dataset(paths), PoseAnnotationError,
        (str(tmp / 'action_label_2_idx.json'), 'no name for indices'))


# -- BAST folders -------------------------------------------------------------
def _bast(tmp,
          rows=(('v1', 0.0, 10.0, 'jump', ''), ),
          frames=600,
          joints=17) -> str:
    root = str(tmp)
    kp = np.full((1, frames, joints, 2), 100.0, np.float32)
    write_pose_file(
        osp.join(root, 'poses', 'v1.pkl'),
        kp,
        np.ones(kp.shape[:3], np.float32), (480, 640),
        30.0,
        num_keypoints=None)
    ann = osp.join(root, 'annotations', 'train.csv')
    write_annotation_table(ann, [
        dict(zip(('video', 'start', 'end', 'base_label', 'eval_label'), r))
        for r in rows
    ])
    write_label_file(osp.join(root, 'labels_base.txt'), ('jump', 'turn'))
    return ann


def _bast_dataset(ann, **kwargs):
    return lambda: BASTDataset(ann, [], **kwargs)


def _csv(ann, text):
    with open(ann, 'w', encoding='utf-8') as f:
        f.write('video,start,end,base_label,eval_label\n' + text)
    return ann


def _bast_row(tmp, text, error, *detail):
    ann = _csv(_bast(tmp), text)
    return Case(_bast_dataset(ann), error, (ann, *detail))


def bast_not_utf8(tmp):
    ann = _bast(tmp)
    with open(ann, 'ab') as f:
        f.write('v1,10,20,jump,caf\xe9\n'.encode('latin-1'))
    return Case(
        _bast_dataset(ann), BASTFormatError,
        (f'{ann}, sample line 3: is not UTF-8: byte 0xe9 at column 18',
         'utf-8'))


def bast_utf16(tmp):
    ann = _bast(tmp)
    text = open(ann, encoding='utf-8').read()
    open(ann, 'w', encoding='utf-16').write(text)
    return Case(_bast_dataset(ann), BASTFormatError, (ann, 'is UTF-16'))


def bast_missing_column(tmp):
    ann = _bast(tmp)
    with open(ann, 'w') as f:
        f.write('video,start,base_label,eval_label\nv1,0,jump,\n')
    return Case(
        _bast_dataset(ann), BASTFormatError,
        (ann, 'line 1', "lacks the column(s) ['end']"))


def bast_video_id_path(tmp):
    return _bast_row(tmp, 'v1,0,10,jump,\n../evil,0,10,jump,\n',
                     BASTFormatError, 'line 3', "'../evil'", "field 'video'")


def bast_pose_link_outside(tmp):
    ann = _bast(tmp)
    link = str(tmp / 'poses' / 'v1.pkl')
    os.rename(link, str(tmp / 'elsewhere.pkl'))
    os.symlink(str(tmp / 'elsewhere.pkl'), link)
    return Case(
        _bast_dataset(ann), BASTFormatError,
        (ann, 'line 2', 'outside the pose folder'))


def bast_time_not_number(tmp):
    return _bast_row(tmp, 'v1,zero,10,jump,\n', BASTFormatError, 'line 2',
                     "'zero' is not a number", "field 'start'")


def bast_segment_inverted(tmp):
    return _bast_row(tmp, 'v1,0,10,jump,\nv1,12,12,jump,\n', BASTFormatError,
                     'line 3', 'inverted or empty', "field 'end'")


def bast_segment_past_pose_end(tmp):
    return _bast_row(tmp, 'v1,15,25,jump,\n', BASTFormatError, 'line 2',
                     'past the end of its pose file', '600 frames')


def bast_segments_overlap(tmp):
    return _bast_row(tmp, 'v1,0,10,jump,\nv1,5,15,turn,\n', BASTFormatError,
                     'line 3', 'overlaps line 2')


def bast_unknown_label(tmp):
    return _bast_row(tmp, 'v1,0,10,hop,\n', BASTFormatError, 'line 2',
                     "'hop' is not a class", "field 'base_label'")


def bast_pose_file_missing(tmp):
    return _bast_row(tmp, 'v2,0,10,jump,\n', FileNotFoundError, 'line 2',
                     'v2.pkl')


def bast_pose_joints(tmp):
    ann = _bast(tmp, joints=15)
    return Case(
        _bast_dataset(ann), BASTFormatError, (ann, 'line 2', '15 joints'))


def bast_crafted_pose(tmp):
    ann, marker = _bast(tmp), str(tmp / 'ran')
    pose = str(tmp / 'poses' / 'v1.pkl')
    _dump(
        pose,
        dict(
            keypoint=np.zeros((1, 600, 17, 2), np.float32),
            payload=_Payload(marker)))
    return Case(
        _bast_dataset(ann), UnsafePickleError, (pose, SYSTEM),
        _nothing_ran(marker))


def bast_num_classes(tmp):
    ann = _bast(tmp)
    return Case(
        _bast_dataset(ann, num_classes=9), BASTFormatError,
        (str(tmp / 'labels_base.txt'), 'lists 2 classes', 'num_classes=9'))


def bast_no_sample(tmp):
    return _bast_row(tmp, 'v1,0,10,,turn\n', BASTFormatError,
                     "gives no sample for task 'base'")


def bast_video_missing(tmp):
    ann = _bast(tmp)
    return Case(
        _bast_dataset(ann, video_dir=str(tmp / 'videos')), FileNotFoundError,
        (ann, 'line 2', f'video file not found: {tmp}/videos/v1.mp4'))


def bast_video_damaged(tmp):
    init_default_scope('mmaction')
    ann = _bast(tmp)
    video = str(tmp / 'videos' / 'v1.mp4')
    os.makedirs(osp.dirname(video))
    open(video, 'wb').write(b'\x00garbage' * 4)
    ds = BASTDataset(
        ann, [dict(type='DecordInit'),
              dict(type='ClipWindow')],
        video_dir=str(tmp / 'videos'))
    return Case(lambda: ds[0], VideoDecodeError,
                (f"{ann}, sample 'v1@0.00-10.00', field 'filename'",
                 f'cannot read the video {video}'))


# -- transforms ---------------------------------------------------------------
def _sample(**fields):
    sample = dict(
        frame_dir='clip7',
        total_frames=4,
        keypoint=np.ones((1, 4, 17, 2), np.float32))
    sample.update(fields)
    return sample


def noise_seed001_on_3d(tmp):
    noise = KeypointNoise(level=0.01, scale='seed001', test_mode=True)
    sample = _sample(
        keypoint=np.ones((1, 4, 25, 3), np.float32), img_shape=(480, 640))
    return Case(lambda: noise(sample), ValueError,
                ("sample 'clip7'", 'field keypoint has 3 coordinates'))


def noise_seed001_without_img_shape(tmp):
    noise = KeypointNoise(level=0.01, scale='seed001', test_mode=True)
    return Case(lambda: noise(_sample()), KeyError,
                ("sample 'clip7'", 'needs field img_shape'))


def noise_video_scale_without_size(tmp):
    noise = KeypointNoise(level=0.01, scale='video', test_mode=True)
    return Case(lambda: noise(_sample()), KeyError,
                ("sample 'clip7'", 'no original_shape or img_shape'))


def noise_unknown_corruption(tmp):
    return Case(lambda: KeypointNoise(corruption='gausian'), ValueError,
                ("unknown corruption 'gausian'", 'gaussian'))


def noise_negative_level(tmp):
    return Case(lambda: KeypointNoise(level=-0.1), ValueError,
                ('gaussian', 'level must be finite and >= 0', '-0.1'))


def visible_mask_shape(tmp):
    sample = _sample(
        keypoint=np.ones((1, 4, 25, 3), np.float32),
        keypoint_visible=np.ones((1, 3, 25), bool))
    return Case(lambda: CenterSkeleton()(sample), ValueError,
                ("sample 'clip7'", 'keypoint_visible has shape (1, 3, 25)'))


def center_joint_never_present(tmp):
    keypoint = np.ones((1, 4, 25, 3), np.float32)
    keypoint[:, :, 1] = 0
    return Case(
        lambda: CenterSkeleton()(_sample(keypoint=keypoint)),
        PoseAnnotationError,
        ("CenterSkeleton, sample clip7, field 'keypoint'", 'centre joint 1'))


def align_on_2d(tmp):
    return Case(lambda: AlignSkeleton()(_sample()), PoseAnnotationError,
                ('AlignSkeleton', "field 'keypoint'", 'needs 3D keypoints'))


def skeleton_volume_joints(tmp):
    volume = FormatSkeletonVolume(num_keypoints=25)
    return Case(lambda: volume(_sample(num_clips=1, clip_len=4)), ValueError,
                ('sample clip7', 'keypoint has 17 joints', 'num_keypoints=25'))


def clip_window_past_end(tmp):
    sample = dict(
        frame_dir='v1@0.00-10.00',
        filename='v1.mp4',
        total_frames=100,
        clip_start_frame=90,
        clip_num_frames=30)
    return Case(lambda: ClipWindow()(sample), ValueError,
                ('v1.mp4, sample v1@0.00-10.00', 'past the end of the video'))


# -- checkpoints --------------------------------------------------------------
def _checkpoint(tmp, state=None):
    path = str(tmp / 'epoch_3.pth')
    torch.save(
        state or dict(state_dict=torch.nn.Linear(2, 2).state_dict()), path)
    return path


def checkpoint_missing(tmp):
    path = str(tmp / 'none.pth')
    return Case(lambda: load_checkpoint_file(path), FileNotFoundError,
                (f'checkpoint not found: {path}', ))


def checkpoint_empty(tmp):
    path = str(tmp / 'epoch_3.pth')
    open(path, 'wb').close()
    return Case(lambda: load_checkpoint_file(path), DamagedCheckpointError,
                (f'checkpoint {path} is damaged', 'empty (0 bytes)'))


def checkpoint_truncated(tmp):
    path = _checkpoint(tmp)
    raw = open(path, 'rb').read()
    open(path, 'wb').write(raw[:len(raw) // 2])
    return Case(lambda: load_checkpoint_file(path), DamagedCheckpointError,
                (f'checkpoint {path} is damaged', 'not a whole zip archive'))


def checkpoint_crafted(tmp):
    marker = str(tmp / 'ran')
    path = _checkpoint(tmp, dict(meta=_Payload(marker)))
    return Case(lambda: load_checkpoint_file(path), UnsafeCheckpointError,
                (path, SYSTEM), _nothing_ran(marker))


def checkpoint_of_another_model(tmp):
    path = _checkpoint(tmp,
                       dict(state_dict=torch.nn.Linear(3, 2).state_dict()))
    model = torch.nn.Linear(2, 2)
    return Case(lambda: check_checkpoint_matches(model, path), ValueError,
                (f'checkpoint {path} does not match',
                 'weight (checkpoint (2, 3), model (2, 2))'))


# -- command line -------------------------------------------------------------
class _Logged(logging.Handler):

    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def emit(self, record) -> None:
        self.messages.append(record.getMessage())


def _warnings_of(call: Callable[[], Any]) -> Callable[[], list]:
    """The warnings ``call`` logs to MMEngine's current logger."""

    def run() -> list:
        handler, logger = _Logged(), MMLogger.get_current_instance()
        logger.addHandler(handler)
        try:
            call()
        finally:
            logger.removeHandler(handler)
        return handler.messages

    return run


def _tool_with_options(monkeypatch, name):
    monkeypatch.syspath_prepend(osp.join(ROOT, 'tools'))
    sys.modules.pop('option_checks', None)
    return _tool(f'{name}.py')


def cfg_options_misspelled_train(tmp, monkeypatch):
    train = _tool_with_options(monkeypatch, 'train')
    args = Namespace(
        config=SYNTHETIC_CONFIG,
        work_dir=str(tmp),
        resume=None,
        amp=False,
        no_validate=False,
        auto_scale_lr=False,
        seed=None,
        diff_rank_seed=False,
        deterministic=False,
        launcher='none',
        cfg_options={
            'train_cfg.max_epoch': 2,
            'tran_cfg.max_epochs': 2
        })
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    return Case(
        _warnings_of(lambda: train.merge_args(cfg, args)), None,
        ('--cfg-options tran_cfg.max_epochs', "'tran_cfg'", SYNTHETIC_CONFIG,
         "did you mean 'train_cfg'?"))


def cfg_options_misspelled_test(tmp, monkeypatch):
    test = _tool_with_options(monkeypatch, 'test')
    checkpoint = _checkpoint(tmp)
    args = Namespace(
        config=SYNTHETIC_CONFIG,
        checkpoint=checkpoint,
        work_dir=str(tmp),
        dump=None,
        launcher='none',
        cfg_options={'modle.backbone.depth': 18})
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    return Case(
        _warnings_of(lambda: test.merge_args(cfg, args)), None,
        ("--cfg-options modle.backbone.depth: 'modle'",
         "did you mean 'model'?"))


def tools_test_missing_checkpoint(tmp, monkeypatch):
    test = _tool_with_options(monkeypatch, 'test')
    path = str(tmp / 'none.pth')
    args = Namespace(
        config=SYNTHETIC_CONFIG,
        checkpoint=path,
        work_dir=str(tmp),
        dump=None,
        launcher='none',
        cfg_options=None)
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    return Case(lambda: test.merge_args(cfg, args), SystemExit,
                (f'checkpoint not found: {path}', ))


def train_summary_not_a_work_dir(tmp):
    summary = _tool('analysis_tools', 'train_summary.py')
    return Case(lambda: summary.read_val_scalars(str(tmp)), FileNotFoundError,
                (f'no */vis_data/scalars.json under {tmp}', ))


def train_summary_bad_json(tmp):
    summary = _tool('analysis_tools', 'train_summary.py')
    path = tmp / 'run1' / 'vis_data' / 'scalars.json'
    path.parent.mkdir(parents=True)
    path.write_text('{"acc/top1": 0.5, "step": 1}\n{"acc/top1": 0.\n')
    return Case(lambda: summary.read_val_scalars(str(tmp)), ValueError,
                (f'{path}, line 2: not JSON', ))


# -- sweeps and predictions (last: these files were changing) ----------------
def sweep_rgb_dataset(tmp):
    from mmengine.dataset import Compose

    from mmhar_robust.engine.runner.noise_sweep_loop import \
        find_or_insert_noise
    sample = dict(filename='videos/S001.mp4', label=0, total_frames=8)
    return Case(lambda: find_or_insert_noise(Compose([]), sample=sample),
                ValueError,
                ("the test dataset's samples have none", 'keypoints',
                 "(fields: ['filename', 'label', 'total_frames'])",
                 'tools/background_influence.py'))


def sweep_bad_level(tmp):
    from mmhar_robust.engine.runner.noise_sweep_loop import check_levels
    return Case(lambda: check_levels([0, 0.01, -0.5], 'gaussian'), ValueError,
                ('gaussian', 'level must be finite and >= 0', '-0.5'))


def sweep_probability_level(tmp):
    from mmhar_robust.engine.runner.noise_sweep_loop import check_levels
    return Case(lambda: check_levels([0, 1.5], 'joint_dropout'), ValueError,
                ('joint_dropout', 'level is a probability', '1.5'))


def sweep_result_file_without_header(tmp):
    from mmhar_robust.engine.runner.sweep_records import read_sweep_file
    path = tmp / 'results_a.jsonl'
    path.write_text('{"level": 0}\n')
    return Case(lambda: read_sweep_file(str(path)), ValueError,
                (f'{path} is not a sweep result file', ))


def sweep_model_file_missing(tmp):
    from sweep_args import check_models  # tools/ is on pytest's path
    path = str(tmp / 'none.pth')
    return Case(lambda: check_models([('ce', SYNTHETIC_CONFIG, path)]),
                SystemExit, (f'ce: file not found: {path}', ))


def background_unknown_fill(tmp):
    from mmhar_robust.engine.runner.background_sweep_loop import check_fills
    return Case(lambda: check_fills(['none', 'blak']), ValueError,
                ("unknown fill 'blak'", 'black'))


def predictions_without_scores(tmp):
    from mmhar_robust.evaluation.metrics.sample_fields import \
        stack_predictions
    samples = [
        dict(gt_label=0, pred_score=np.ones(3)),
        dict(gt_label=1, frame_dir='S001')
    ]
    return Case(lambda: stack_predictions(samples, 'res.pkl'), ValueError,
                ("res.pkl, sample 1 (frame_dir='S001'), field 'pred_score'",
                 'missing'))


def predictions_label_outside(tmp):
    report = _tool('analysis_tools', 'domain_report.py')
    path = _dump(
        str(tmp / 'res.pkl'), [
            dict(gt_label=0, pred_score=np.ones(3), frame_dir='S000'),
            dict(gt_label=5, pred_score=np.ones(3), frame_dir='S001')
        ])
    return Case(lambda: report.load_predictions(path), ValueError,
                (f"{path}, sample 1 (frame_dir='S001'), field 'gt_label'",
                 'label 5 is outside [0, 3)'))


ROWS = [
    # pose annotations
    pose_file_missing,
    pose_file_not_pkl,
    pose_file_truncated,
    pose_file_crafted,
    pose_file_wrong_structure,
    pose_split_unknown,
    pose_split_empty,
    pose_split_matches_nothing,
    pose_zero_persons,
    pose_keypoint_not_4d,
    pose_keypoint_nan,
    pose_wrong_joint_count,
    pose_total_frames_differ,
    pose_label_outside,
    pose_label_missing,
    pose_score_shape,
    # videos
    video_missing,
    video_garbage_decord,
    video_truncated_opencv,
    video_removed_after_load,
    # BABEL
    babel_label_file_missing,
    babel_label_file_name,
    babel_label_file_structure,
    babel_lists_differ,
    babel_label_outside,
    babel_no_samples,
    babel_crafted_labels,
    babel_array_length,
    babel_array_shape,
    babel_no_frames,
    babel_nan_when_read,
    babel_nan_in_converter,
    babel_label_map,
    # BAST
    bast_not_utf8,
    bast_utf16,
    bast_missing_column,
    bast_video_id_path,
    bast_pose_link_outside,
    bast_time_not_number,
    bast_segment_inverted,
    bast_segment_past_pose_end,
    bast_segments_overlap,
    bast_unknown_label,
    bast_pose_file_missing,
    bast_pose_joints,
    bast_crafted_pose,
    bast_num_classes,
    bast_no_sample,
    bast_video_missing,
    bast_video_damaged,
    # transforms
    noise_seed001_on_3d,
    noise_seed001_without_img_shape,
    noise_video_scale_without_size,
    noise_unknown_corruption,
    noise_negative_level,
    visible_mask_shape,
    center_joint_never_present,
    align_on_2d,
    skeleton_volume_joints,
    clip_window_past_end,
    # checkpoints
    checkpoint_missing,
    checkpoint_empty,
    checkpoint_truncated,
    checkpoint_crafted,
    checkpoint_of_another_model,
    # command line
    cfg_options_misspelled_train,
    cfg_options_misspelled_test,
    tools_test_missing_checkpoint,
    train_summary_not_a_work_dir,
    train_summary_bad_json,
    # sweeps and predictions
    sweep_rgb_dataset,
    sweep_bad_level,
    sweep_probability_level,
    sweep_result_file_without_header,
    sweep_model_file_missing,
    background_unknown_fill,
    predictions_without_scores,
    predictions_label_outside,
]


def _message(case: Case) -> str:
    if case.error is None:
        warnings = case.call()
        assert warnings, 'no warning was given'
        return '\n'.join(warnings)
    with pytest.raises(case.error) as info:
        case.call()
    if isinstance(info.value, KeyError):  # str() would quote it
        return str(info.value.args[0])
    return str(info.value)


@pytest.mark.parametrize('row', ROWS, ids=lambda row: row.__name__)
def test_bad_input_is_a_clear_error(row, tmp_path, monkeypatch):
    takes_patch = 'monkeypatch' in inspect.signature(row).parameters
    case = row(tmp_path, monkeypatch) if takes_patch else row(tmp_path)
    message = _message(case)
    missing = [part for part in case.parts if part not in message]
    assert not missing, f'{missing} not in the message: {message}'
    if case.after is not None:
        case.after()


def test_rows_are_unique():
    names = [row.__name__ for row in ROWS]
    assert len(set(names)) == len(names)
    assert len(names) >= 60
