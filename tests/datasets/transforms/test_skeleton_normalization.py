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
    out = PadNullFrames()(dict(keypoint=kp))['keypoint']
    np.testing.assert_array_equal(out[0, :, 0, 0], [1, 1, 2])
    np.testing.assert_array_equal(out[1], 0)
    np.testing.assert_array_equal(kp, before)


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
    out = AlignSkeleton()(dict(keypoint=(body @ rot.T)[None]))['keypoint']
    spine = out[0, 0, 1] - out[0, 0, 0]
    np.testing.assert_allclose(spine / np.linalg.norm(spine), [0, 0, 1],
                               atol=1e-6)
    shoulders = out[0, 0, 8] - out[0, 0, 4]
    assert shoulders[0] > 0
    assert abs(shoulders[1]) < 1e-6
    # a rotation: lengths are kept
    np.testing.assert_allclose(
        np.linalg.norm(out[0, 0], axis=-1), np.linalg.norm(body[0], axis=-1),
        rtol=1e-6)


def test_agrees_with_mmaction2_prenormalize3d_on_a_full_sequence():
    from mmaction.datasets.transforms import PreNormalize3D
    rng = np.random.default_rng(2)
    body = _canonical(rng, 5)
    rot = Rotation.random(random_state=11).as_matrix()
    kp = (body @ rot.T + [0.3, 0.2, 2.0])[None].astype(np.float32)
    ours = AlignSkeleton()(
        CenterSkeleton(per_frame=False)(dict(keypoint=kp.copy())))
    theirs = PreNormalize3D()(dict(keypoint=kp.copy(), total_frames=5))
    np.testing.assert_allclose(ours['keypoint'], theirs['keypoint'],
                               atol=1e-5)


def test_unobserved_joints_stay_zero_and_2d_is_rejected():
    rng = np.random.default_rng(4)
    body = _canonical(rng, 2) + [0.0, 0.0, 2.0]
    body[1, 17] = 0.0
    out = AlignSkeleton()(dict(keypoint=body[None]))['keypoint']
    np.testing.assert_array_equal(out[0, 1, 17], 0)
    assert np.all(out[0, 0, 17] != 0)
    with pytest.raises(PoseAnnotationError, match="clip7.*'keypoint'"):
        AlignSkeleton()(dict(keypoint=np.ones((1, 2, 25, 2)),
                             frame_dir='clip7'))
    with pytest.raises(PoseAnnotationError, match='needs keypoint'):
        CenterSkeleton()(dict(frame_dir='clip8'))
    with pytest.raises(ValueError, match='mode'):
        PadNullFrames('zero')


def test_repr():
    assert repr(PadNullFrames('loop')) == "PadNullFrames(mode='loop')"
    assert repr(CenterSkeleton(1, False)) == \
        'CenterSkeleton(joint=1, per_frame=False)'
    assert repr(AlignSkeleton()) == \
        'AlignSkeleton(z_axis=(0, 1), x_axis=(4, 8))'
