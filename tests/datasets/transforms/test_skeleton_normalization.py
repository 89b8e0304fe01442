"""Skeleton normalisation on sequences whose correct result is known."""
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets import PoseAnnotationError
from mmhar_robust.datasets.transforms import (AlignSkeleton, CenterSkeleton,
                                              PadNullFrames)


def _frames(*values):
    """One person, one joint, 3 coords; 0 is a null frame."""
    kp = np.zeros((1, len(values), 1, 3), np.float32)
    for t, v in enumerate(values):
        kp[0, t, 0] = v
    return kp


def _canonical(rng, num_frames=4):
    """A body already in the target frame, spine centred at the origin:
    hip -> spine along +Z, left -> right shoulder along +X."""
    body = rng.normal(0, 0.3, (num_frames, 25, 3))
    body[:, 1] = 0.0
    body[:, 0] = [0.0, 0.0, -0.3]
    body[:, 4] = [-0.2, 0.05, 0.2]
    body[:, 8] = [0.2, 0.05, 0.2]
    return body


@pytest.mark.parametrize('mode, values, expected', [
    ('last', (1, 0, 0, 2, 0), (1, 1, 1, 2, 2)),
    ('last', (0, 0, 3, 4), (3, 3, 3, 4)),
    ('loop', (1, 2, 0, 0, 0), (1, 2, 1, 2, 1)),
    ('loop', (0, 5, 6, 0), (5, 6, 5, 6)),
])
def test_pad_null_frames(mode, values, expected):
    out = PadNullFrames(mode)(dict(keypoint=_frames(*values)))['keypoint']
    np.testing.assert_array_equal(out[0, :, 0, 0], expected)


def test_pad_null_frames_leaves_empty_person_and_input_untouched():
    kp = np.concatenate([_frames(1, 0, 2), _frames(0, 0, 0)])
    before = kp.copy()
    out = PadNullFrames()(dict(keypoint=kp))
    np.testing.assert_array_equal(out['keypoint'][0, :, 0, 0], [1, 1, 2])
    np.testing.assert_array_equal(out['keypoint'][1], 0)
    np.testing.assert_array_equal(kp, before)
    # the filled frame is present now; the empty person is not
    np.testing.assert_array_equal(out['keypoint_visible'][:, :, 0],
                                  [[1, 1, 1], [0, 0, 0]])


def test_pad_null_frames_follows_the_mask_and_scores():
    """A frame is null when no joint is present, whatever its values: a
    carried mask decides, and the scores are filled with the keypoints."""
    kp = np.zeros((1, 4, 2, 2), np.float32)
    kp[0, :, :, 0] = [[1, 1], [0, 2], [3, 3], [4, 4]]
    visible = np.array([[[1, 1], [1, 0], [0, 0], [1, 1]]], bool)
    score = visible * np.array([[[0.9], [0.8], [0.0], [0.7]]])
    out = PadNullFrames('last')(
        dict(keypoint=kp, keypoint_visible=visible, keypoint_score=score))
    # frame 1 (its joint 0 at the origin, present) is kept, frame 2 filled
    np.testing.assert_array_equal(out['keypoint'][0, :, :, 0],
                                  [[1, 1], [0, 2], [0, 2], [4, 4]])
    np.testing.assert_array_equal(out['keypoint_visible'][0],
                                  [[1, 1], [1, 0], [1, 0], [1, 1]])
    np.testing.assert_allclose(out['keypoint_score'][0, :, 0],
                               [0.9, 0.8, 0.8, 0.7])


def test_center_per_frame_and_first_frame():
    kp = np.zeros((1, 2, 3, 3), np.float32)
    kp[0, :, 1] = [[1, 2, 3], [2, 2, 2]]  # the spine moves
    kp[0, :, 0] = [[2, 2, 3], [3, 3, 3]]
    # joint 2 is unobserved in frame 0
    kp[0, 1, 2] = [5, 5, 5]
    out = CenterSkeleton()(dict(keypoint=kp.copy()))['keypoint']
    np.testing.assert_allclose(out[0, :, 1], 0)
    np.testing.assert_allclose(out[0, :, 0], [[1, 0, 0], [1, 1, 1]])
    np.testing.assert_array_equal(out[0, 0, 2], 0)  # stays unobserved
    np.testing.assert_allclose(out[0, 1, 2], [3, 3, 3])

    first = CenterSkeleton(per_frame=False)(dict(keypoint=kp.copy()))
    np.testing.assert_allclose(first['keypoint'][0, 1, 1], [1, 0, -1])
    np.testing.assert_array_equal(first['body_center'], [1, 2, 3])


def test_centred_joint_at_the_origin_stays_present():
    """Centring puts the spine at (0, 0, 0) in every frame; the recorded
    mask keeps it present, so a second pass (or any later transform) does
    not take it for missing, and 2D keypoints with scores work alike."""
    kp = np.zeros((1, 3, 3, 3), np.float32)
    kp[0, :, 1] = [[1, 2, 3], [2, 2, 2], [3, 3, 3]]
    kp[0, :, 0] = kp[0, :, 1] + [0, 0, -0.5]
    kp[0, 1, 2] = [9, 9, 9]
    out = CenterSkeleton()(dict(keypoint=kp))
    np.testing.assert_array_equal(out['keypoint'][0, :, 1], 0)
    np.testing.assert_array_equal(out['keypoint_visible'][0],
                                  [[1, 1, 0], [1, 1, 1], [1, 1, 0]])
    again = CenterSkeleton()(out)
    np.testing.assert_array_equal(again['keypoint'], out['keypoint'])
    np.testing.assert_array_equal(again['keypoint_visible'],
                                  out['keypoint_visible'])

    kp2d = np.array([[[[5, 5], [7, 4], [0, 0]]]], np.float32)
    score = np.array([[[1.0, 0.9, 0.0]]])
    out = CenterSkeleton()(dict(keypoint=kp2d, keypoint_score=score))
    np.testing.assert_array_equal(out['keypoint'][0, 0],
                                  [[-2, 1], [0, 0], [0, 0]])
    np.testing.assert_array_equal(out['keypoint_visible'][0, 0], [1, 1, 0])


def test_centre_absent_in_a_frame_takes_the_latest_earlier_one():
    kp = np.zeros((1, 4, 2, 3), np.float32)
    kp[0, :, 0] = 10.0
    kp[0, :, 1] = [[0, 0, 0], [1, 0, 0], [0, 0, 0], [3, 0, 0]]  # 0 and 2 lost
    out = CenterSkeleton()(dict(keypoint=kp, frame_dir='c1'))['keypoint']
    # frame 0 takes frame 1's centre (none earlier), frame 2 frame 1's
    np.testing.assert_array_equal(out[0, :, 0, 0], [9, 9, 9, 7])
    np.testing.assert_array_equal(out[0, :, 1, 0], 0)

    kp[0, :, 1] = 0  # never present: refuse rather than skip silently
    with pytest.raises(
            PoseAnnotationError,
            match=r'c1.*slot 0, present in 4 frames.*joint 1'):
        CenterSkeleton()(dict(keypoint=kp, frame_dir='c1'))
    empty = np.zeros((2, 4, 2, 3), np.float32)  # nothing to centre
    out = CenterSkeleton()(dict(keypoint=empty.copy()))
    np.testing.assert_array_equal(out['keypoint'], empty)


def test_align_recovers_a_rotated_body_exactly():
    rng = np.random.default_rng(0)
    body = _canonical(rng)
    rot = Rotation.random(random_state=3).as_matrix()
    moved = body @ rot.T + np.array([1.5, -0.4, 3.0])
    results = dict(keypoint=moved[None].astype(np.float32))
    results = CenterSkeleton()(results)
    results = AlignSkeleton()(results)
    np.testing.assert_allclose(results['keypoint'][0], body, atol=1e-5)


def test_align_makes_spine_z_and_shoulders_x_when_not_perpendicular():
    rng = np.random.default_rng(1)
    body = _canonical(rng, 1)
    body[:, 8] = [0.2, 0.1, 0.35]  # shoulders tilted against the spine
    rot = Rotation.random(random_state=7).as_matrix()
    # present joints: the spine joint sits at the origin
    out = AlignSkeleton()(
        dict(
            keypoint=(body @ rot.T)[None],
            keypoint_visible=np.ones((1, 1, 25), bool)))
    out = out['keypoint']
    spine = out[0, 0, 1] - out[0, 0, 0]
    np.testing.assert_allclose(
        spine / np.linalg.norm(spine), [0, 0, 1], atol=1e-6)
    shoulders = out[0, 0, 8] - out[0, 0, 4]
    assert shoulders[0] > 0
    assert abs(shoulders[1]) < 1e-6
    # a rotation: lengths are kept
    np.testing.assert_allclose(
        np.linalg.norm(out[0, 0], axis=-1),
        np.linalg.norm(body[0], axis=-1),
        rtol=1e-6)


@pytest.mark.parametrize('mode', ['spine', 'prenormalize3d'])
def test_modes_agree_with_prenormalize3d_for_perpendicular_shoulders(mode):
    """With the shoulders perpendicular to the spine both rotations are the
    same; tests/datasets/transforms/test_skeleton_normalization_ntu_like.py
    covers real geometry, where only 'prenormalize3d' matches."""
    from mmaction.datasets.transforms import PreNormalize3D
    rng = np.random.default_rng(2)
    body = _canonical(rng, 5)
    rot = Rotation.random(random_state=11).as_matrix()
    kp = (body @ rot.T + [0.3, 0.2, 2.0])[None].astype(np.float32)
    ours = AlignSkeleton(mode=mode)(
        CenterSkeleton(per_frame=False)(dict(keypoint=kp.copy())))
    theirs = PreNormalize3D()(dict(keypoint=kp.copy(), total_frames=5))
    np.testing.assert_allclose(ours['keypoint'], theirs['keypoint'], atol=1e-5)


def test_unobserved_joints_stay_zero_and_2d_is_rejected():
    rng = np.random.default_rng(4)
    body = _canonical(rng, 2) + [0.0, 0.0, 2.0]
    body[1, 17] = 0.0
    out = AlignSkeleton()(dict(keypoint=body[None]))['keypoint']
    np.testing.assert_array_equal(out[0, 1, 17], 0)
    assert np.all(out[0, 0, 17] != 0)
    with pytest.raises(PoseAnnotationError, match="clip7.*'keypoint'"):
        AlignSkeleton()(
            dict(keypoint=np.ones((1, 2, 25, 2)), frame_dir='clip7'))
    with pytest.raises(PoseAnnotationError, match='needs keypoint'):
        CenterSkeleton()(dict(frame_dir='clip8'))
    with pytest.raises(ValueError, match='mode'):
        PadNullFrames('zero')
    with pytest.raises(ValueError, match='mode'):
        AlignSkeleton(mode='twice')
    with pytest.raises(PoseAnnotationError, match='clip9.*joint 25'):
        CenterSkeleton(25)(
            dict(keypoint=np.ones((1, 2, 25, 3)), frame_dir='clip9'))
    flat = _canonical(rng, 2) + [0.0, 0.0, 2.0]
    flat[:, 8] = flat[:, 4] + flat[:, 1] - flat[:, 0]  # shoulders || spine
    with pytest.raises(
            PoseAnnotationError,
            match=r'clip6.*no frame with the axis joints'):
        AlignSkeleton()(dict(keypoint=flat[None], frame_dir='clip6'))


def test_repr():
    assert repr(PadNullFrames('loop')) == "PadNullFrames(mode='loop')"
    assert repr(CenterSkeleton(1, False)) == \
        'CenterSkeleton(joint=1, per_frame=False)'
    assert repr(AlignSkeleton()) == \
        "AlignSkeleton(z_axis=(0, 1), x_axis=(4, 8), mode='spine')"
    assert repr(AlignSkeleton((0, 2), [8, 4], 'prenormalize3d')) == \
        "AlignSkeleton(z_axis=(0, 2), x_axis=(8, 4), mode='prenormalize3d')"
