"""ClipWindow: mmaction2's frame samplers and decoders read only the sample's
clip of a long video, checked on a real video written with OpenCV."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmhar_robust.datasets.bast_dataset import BASTDataset
from mmhar_robust.datasets.bast_format import (write_annotation_table,
                                               write_label_file,
                                               write_pose_file)
from mmhar_robust.datasets.transforms.clip_window import ClipWindow

FPS = 10.0
FRAMES = 60
STEP = 4  # frame i is filled with grey level STEP * i


@pytest.fixture(autouse=True)
def mmaction_scope():
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')


def test_repr():
    assert repr(ClipWindow()) == 'ClipWindow(max_missing_frames=5)'
    assert repr(ClipWindow(0)) == 'ClipWindow(max_missing_frames=0)'


def test_moves_start_index_and_shortens_total_frames():
    from mmaction.datasets.transforms import SampleFrames
    results = dict(
        total_frames=100,
        start_index=0,
        clip_start_frame=30,
        clip_num_frames=20)
    out = ClipWindow()(results)
    assert out['start_index'] == 30 and out['total_frames'] == 20
    assert out['video_total_frames'] == 100
    sampler = SampleFrames(clip_len=8, frame_interval=3, num_clips=2)
    for _ in range(20):
        inds = sampler(dict(out))['frame_inds']
        assert inds.min() >= 30 and inds.max() < 50


def test_a_clip_past_the_end_is_shortened_or_refused():
    near = dict(
        total_frames=48,
        clip_start_frame=30,
        clip_num_frames=20,
        filename='v.mp4',
        frame_dir='v@3.00-5.00')
    assert ClipWindow()(dict(near))['total_frames'] == 18
    with pytest.raises(ValueError, match=r'v\.mp4, sample v@3\.00-5\.00'):
        ClipWindow(max_missing_frames=1)(dict(near))
    with pytest.raises(ValueError, match='past the end'):
        ClipWindow()(dict(near, clip_start_frame=48))
    with pytest.raises(KeyError, match='clip_start_frame'):
        ClipWindow()(dict(total_frames=10))
    with pytest.raises(ValueError, match='max_missing_frames'):
        ClipWindow(-1)


@pytest.fixture(scope='module')
def bast_with_video(tmp_path_factory):
    """One 6 s video at 10 fps whose frame i is grey level 4 i, its poses
    and one segment 1-6 s cut into 2 s clips every 2 s."""
    root = str(tmp_path_factory.mktemp('bast_video'))
    path = osp.join(root, 'videos', 'v1.mp4')
    os.makedirs(osp.dirname(path))
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), FPS,
                             (64, 48))
    for i in range(FRAMES):
        writer.write(np.full((48, 64, 3), STEP * i, np.uint8))
    writer.release()
    kp = np.full((1, FRAMES, 17, 2), 20.0, np.float32)
    write_pose_file(
        osp.join(root, 'poses', 'v1.pkl'), kp, np.ones(kp.shape[:3]), (48, 64),
        FPS)
    write_annotation_table(
        osp.join(root, 'annotations', 'train.csv'),
        [dict(video='v1', start=1.0, end=6.0, base_label='a')])
    write_label_file(osp.join(root, 'labels_base.txt'), ['a'])
    return root


def _frame_numbers(imgs, video):
    """Which frames these are: the nearest grey level among the frames read
    one by one with OpenCV (the codec shifts the levels a little)."""
    capture, levels = cv2.VideoCapture(video), []
    ok, frame = capture.read()
    while ok:
        levels.append(float(frame.mean()))
        ok, frame = capture.read()
    capture.release()
    assert len(levels) == FRAMES
    levels = np.array(levels)
    return [int(np.argmin(np.abs(levels - img.mean()))) for img in imgs]


@pytest.mark.parametrize('backend', ['Decord', 'OpenCV'])
def test_mmaction_video_pipeline_reads_only_the_clip(bast_with_video, backend):
    ann = osp.join(bast_with_video, 'annotations', 'train.csv')
    pipeline = [
        dict(type=f'{backend}Init'),
        dict(type='ClipWindow'),
        dict(
            type='SampleFrames',
            clip_len=5,
            frame_interval=4,
            num_clips=1,
            test_mode=True),
        dict(type=f'{backend}Decode'),
    ]
    ds = BASTDataset(
        ann,
        pipeline,
        video_dir=osp.join(bast_with_video, 'videos'),
        clip_len=2.0,
        clip_stride=2.0,
        min_clip_len=1.0,
        modality='RGB')
    # 1-6 s: clips at 1-3 s and 3-5 s, then 4-6 s flush with the end.
    assert [ds.get_data_info(i)['clip_start_frame']
            for i in range(len(ds))] == [10, 30, 40]
    for i, first in enumerate((10, 30, 40)):
        out = ds[i]
        assert out['filename'] == osp.join(bast_with_video, 'videos', 'v1.mp4')
        assert out['video_total_frames'] == FRAMES
        inds = list(out['frame_inds'])
        assert min(inds) >= first and max(inds) < first + 20
        assert _frame_numbers(out['imgs'], out['filename']) == inds
        assert out['imgs'][0].shape == (48, 64, 3)


def test_missing_video_file_names_the_row(bast_with_video, tmp_path):
    ann = osp.join(bast_with_video, 'annotations', 'train.csv')
    with pytest.raises(FileNotFoundError) as info:
        BASTDataset(ann, [], video_dir=str(tmp_path))
    message = str(info.value)
    assert ann in message and "line 2 (video 'v1')" in message
    assert osp.join(str(tmp_path), 'v1.mp4') in message
