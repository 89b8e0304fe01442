"""Samples for explanation: files through a test pipeline, with the person
mask lined up with the model's input frames; clear errors for bad files."""
import pickle

import cv2
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmhar_robust.visualization.cam.file_samples import (check_video,
                                                         file_sample,
                                                         load_pose)
from mmhar_robust.visualization.cam.sample_masks import person_mask_of
from mmhar_robust.visualization.cam.samples import run_pipeline

from conftest import SYNTHETIC_CONFIG

RGB_PIPELINE = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=1,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 24), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]


@pytest.fixture(scope='module')
def moving_box(tmp_path_factory):
    """A 12-frame 64 x 48 video of a white box walking right, and its
    "keypoints" (the box corners and centre) in a pose pickle."""
    root = tmp_path_factory.mktemp('video')
    video = str(root / 'walk.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (64, 48))
    keypoint = np.zeros((1, 12, 17, 2), np.float32)
    for t in range(12):
        frame = np.zeros((48, 64, 3), np.uint8)
        x0, x1, y0, y1 = 10 + 3 * t, 20 + 3 * t, 10, 30
        frame[y0:y1, x0:x1] = 255
        writer.write(frame)
        corners = [(x0, y0), (x1 - 1, y0), (x0, y1 - 1), (x1 - 1, y1 - 1)]
        keypoint[0, t, :4] = corners
        keypoint[0, t, 4:] = ((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2)
    writer.release()
    pose = str(root / 'walk.pkl')
    with open(pose, 'wb') as f:
        pickle.dump(dict(keypoint=keypoint, img_shape=(48, 64)), f)
    return video, pose


def _check_mask_on_box(sample):
    mask = person_mask_of(sample, 'box')
    frames = sample.packed['inputs'][0, 0].numpy()  # red channel (T, H, W)
    assert mask.shape == frames.shape == (8, 24, 32)
    bright = frames > 200
    assert bright.any(axis=(1, 2)).all()
    assert mask[bright].all()  # every box pixel is "person"
    assert mask.mean() < 0.5  # and the mask is not everything


def test_video_with_pose_gives_an_aligned_mask(moving_box):
    init_default_scope('mmaction')
    video, pose = moving_box
    sample = file_sample(RGB_PIPELINE, 'rgb', video, pose)
    assert sample.name == 'walk'
    # The pose file's keypoints go along as a PoseDataset's would.
    assert sample.raw['keypoint'].shape == (1, 12, 17, 2)
    _check_mask_on_box(sample)


def test_keypoints_of_every_frame_are_picked_by_frame_inds(moving_box):
    """A dataset whose annotation holds the video's keypoints but whose
    pipeline has no PoseDecode: the clip's frame indices pick them."""
    init_default_scope('mmaction')
    from mmengine.dataset import Compose
    video, pose = moving_box
    results = dict(
        filename=video,
        start_index=0,
        modality='RGB',
        keypoint=load_pose(pose)['keypoint'])
    sample = run_pipeline(Compose(RGB_PIPELINE).transforms, results, 'x')
    assert sample.raw['keypoint'].shape[1] == 12  # all frames still
    _check_mask_on_box(sample)


def test_pose_file_through_the_posec3d_pipeline(tiny_synthetic, tmp_path):
    init_default_scope('mmaction')
    with open(tiny_synthetic, 'rb') as f:
        annotation = pickle.load(f)['annotations'][0]
    path = str(tmp_path / 'one.pkl')
    with open(path, 'wb') as f:
        pickle.dump(annotation, f)
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    sample = file_sample(cfg.test_pipeline, 'heatmap', pose=path)
    # The keypoints, rendered by the model's data preprocessor as Grad-CAM
    # renders them.
    from mmaction.registry import MODELS
    from mmengine.dataset import pseudo_collate
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    heatmaps = preprocessor(pseudo_collate([sample.packed]))['inputs'][0]
    heatmaps = heatmaps.contiguous().numpy()
    assert heatmaps.shape == (1, 17, 16, 32, 32)
    mask = person_mask_of(sample, 'box')
    assert mask.shape == (16, 32, 32)
    # The heatmaps are drawn on the keypoints: nearly all their mass is on
    # the person's box.
    mass = heatmaps[0].sum(axis=0)
    assert mass[mask].sum() / mass.sum() > 0.9


def test_bad_files_are_named(tmp_path, moving_box):
    bad = tmp_path / 'broken.mp4'
    bad.write_bytes(b'not a video')
    with pytest.raises(ValueError, match='cannot decode video .*broken.mp4'):
        check_video(str(bad))
    with pytest.raises(FileNotFoundError, match='nothere.mp4'):
        file_sample(RGB_PIPELINE, 'rgb', str(tmp_path / 'nothere.mp4'))
    two = tmp_path / 'two.pkl'
    keypoint = np.zeros((1, 4, 17, 2))
    with open(two, 'wb') as f:
        pickle.dump([dict(keypoint=keypoint), dict(keypoint=keypoint)], f)
    with pytest.raises(ValueError, match='two.pkl holds 2 annotations'):
        load_pose(str(two))
    video, pose = moving_box
    with pytest.raises(ValueError, match='from --pose alone'):
        file_sample(RGB_PIPELINE, 'heatmap', video, pose)
    with pytest.raises(ValueError, match='needs --video'):
        file_sample(RGB_PIPELINE, 'rgb', pose=pose)
