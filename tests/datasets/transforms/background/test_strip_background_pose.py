"""StripBackground and the pose file's frame: keypoints rescaled for the
mask are the keypoints that travel on; a Resize before it is refused;
keypoints that are not pixels are refused; NTU-25 silhouettes."""
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.transforms.background import (RecordPoseShape,
                                                         StripBackground,
                                                         person_mask)
from mmhar_robust.synthetic.layouts import NTU25

from test_layouts import FIGURE as NTU_FIGURE
from test_strip_background import (H, W, make_results, make_video_sample,
                                   run_pipeline, walking_keypoints)

DECODE = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
    dict(type='RecordPoseShape'),
    dict(type='DecordDecode')
]


def annotated_at_2x(tmp_path):
    """The 64 x 48 walking video with its pose annotated on a 128 x 96
    copy: pixel x of the video is 2x + 0.5 there."""
    sample = make_video_sample(tmp_path)
    sample['keypoint'] = walking_keypoints() * 2 + 0.5
    sample['img_shape'] = sample['original_shape'] = (2 * H, 2 * W)
    return sample


def test_travelling_keypoints_follow_the_frames_through_resize_and_crop(
        tmp_path):
    tail = [
        dict(type='StripBackground'),
        dict(type='Resize', scale=(-1, 24)),
        dict(type='CenterCrop', crop_size=24)
    ]
    out = run_pipeline(DECODE + tail, annotated_at_2x(tmp_path))
    # By hand: back in the video's pixels the keypoints are
    # walking_keypoints(); Resize(-1, 24) halves 48 x 64 to 24 x 32
    # (mmaction2 scales keypoints by 0.5); CenterCrop(24) cuts from x 4.
    expected = walking_keypoints() * 0.5 - [4.0, 0.0]
    np.testing.assert_allclose(out['keypoint'], expected, atol=1e-5)
    inds = out['frame_inds']
    clip = out['keypoint'][0, inds]
    assert (clip >= -0.5).all() and (clip <= 23.5).all()  # inside 24 x 24
    assert 'pose_shape' not in out


def test_a_resize_before_strip_background_would_scale_twice(tmp_path):
    misplaced = [
        dict(type='Resize', scale=(-1, 24)),
        dict(type='StripBackground')
    ]
    with pytest.raises(
            ValueError,
            match="StripBackground: frame_dir='walk'"
            r" has \['scale_factor'\].*scaled twice"):
        run_pipeline(DECODE + misplaced, annotated_at_2x(tmp_path))
    # Without RecordPoseShape the Resize scaled keypoints and frames alike.
    sample = make_video_sample(tmp_path)
    out = run_pipeline(DECODE[:2] + DECODE[3:] + misplaced, sample)
    assert out['imgs'][0].shape == (24, 32, 3)


@pytest.mark.parametrize('pose_shape', [None, (24, 32)])
def test_normalised_keypoints_are_refused(pose_shape):
    results = make_results()
    results['keypoint'] = results['keypoint'] / np.array([W, H], np.float32)
    if pose_shape is not None:  # even when the annotation is smaller
        results['pose_shape'] = pose_shape
    with pytest.raises(
            ValueError,
            match=r"StripBackground: frame_dir='clip0'"
            r': keypoint lies within \[-1, 1\].*normalised'):
        StripBackground().transform(results)


def ntu_results(joints=25):
    results = make_results()
    figure = np.array([NTU_FIGURE[n] for n in NTU25], np.float32)[:joints]
    kp = np.repeat((figure + [10.0, 4.0])[None, None], 16, axis=1)
    results['keypoint'] = kp
    results['keypoint_score'] = np.ones(kp.shape[:-1], np.float32)
    return results


def test_ntu25_silhouettes_and_unknown_layouts():
    results = ntu_results()
    person = person_mask(
        results['keypoint'][:, [0, 5, 10]],
        img_shape=(H, W),
        mode='silhouette')
    out = StripBackground(mask='silhouette', keep_mask=True).transform(results)
    np.testing.assert_array_equal(out['person_mask'], person)
    assert 0.05 < person.mean() < 0.5
    odd = ntu_results(joints=19)
    before = [img.copy() for img in odd['imgs']]
    with pytest.raises(
            ValueError,
            match="StripBackground: frame_dir='clip0'"
            ': its keypoint has 19 joints'):
        StripBackground(mask='silhouette').transform(odd)
    assert all((a == b).all() for a, b in zip(before, odd['imgs']))
    edges = [(i, i + 1) for i in range(18)]
    out = StripBackground(mask='silhouette', edges=edges).transform(odd)
    assert out['person_fraction'] > 0


def test_record_pose_shape_still_needs_img_shape():
    results = make_results()
    del results['img_shape']
    with pytest.raises(ValueError, match="frame_dir='clip0' has no img_shape"):
        RecordPoseShape().transform(results)
