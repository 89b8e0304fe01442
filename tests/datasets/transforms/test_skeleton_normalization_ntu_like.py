"""Skeleton normalisation on NTU-like Kinect clips.

The clips are built like real NTU RGB+D 3D skeletons: 25 joints in metres,
seen by a Kinect about 3 m away from a tilted camera, shoulders not
perpendicular to the spine (real bodies lean and shrug), swinging arms, a
walk, 2.5 mm of jitter on every joint and frame, a second person entering
late, zero-padded frames and lost joints. The expected results come from an
independent construction (scipy's ``Rotation.align_vectors``) or from
mmaction2's own ``PreNormalize3D``.
"""
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.transforms import (AlignSkeleton, CenterSkeleton,
                                              KeypointNoise, PadNullFrames)

# A standing adult, metres: x to its right, y forward, z up.
STANDING = np.array([[0.00, 0.00, 1.00], [0.00, -0.02,
                                          1.28], [0.00, 0.00, 1.50],
                     [0.00, 0.02, 1.65], [-0.18, 0.00, 1.44],
                     [-0.22, 0.02, 1.17], [-0.24, 0.06, 0.94],
                     [-0.24, 0.07, 0.87], [0.18, 0.00,
                                           1.44], [0.22, 0.02, 1.17],
                     [0.24, 0.06, 0.94], [0.24, 0.07,
                                          0.87], [-0.09, 0.00, 0.97],
                     [-0.10, 0.03, 0.52], [-0.10, 0.00, 0.08],
                     [-0.10, 0.10, 0.03], [0.09, 0.00,
                                           0.97], [0.10, 0.03, 0.52],
                     [0.10, 0.00, 0.08], [0.10, 0.10,
                                          0.03], [0.00, 0.00, 1.44],
                     [-0.24, 0.08, 0.81], [-0.22, 0.10, 0.87],
                     [0.24, 0.08, 0.81], [0.22, 0.10, 0.87]])
LEFT_ARM, RIGHT_ARM = [5, 6, 7, 21, 22], [9, 10, 11, 23, 24]


def _body(seed,
          frames=40,
          shrug=0.03,
          lean=0.03,
          at=(0, 0, 0),
          facing=0.5,
          jitter=0.0025):
    """One person's (T, 25, 3) joints in standing coordinates; ``shrug``
    raises the right shoulder and lowers the left, ``lean`` moves the spine
    forward (the defaults put the shoulders about 10 degrees off
    perpendicular to the spine)."""
    rng = np.random.default_rng(seed)
    body = np.repeat(STANDING[None], frames, 0)
    body[:, 8, 2] += shrug
    body[:, 4, 2] -= shrug
    body[:, 1, 1] += lean
    t = np.arange(frames) / 30.0
    swing = 0.15 * np.sin(2 * np.pi * 0.8 * t)[:, None]
    body[:, LEFT_ARM, 1] += swing
    body[:, RIGHT_ARM, 1] -= swing
    turn = Rotation.from_euler('z', facing + 0.3 * np.sin(2 * t)[:, None])
    body = np.einsum('tij,tvj->tvi', turn.as_matrix(), body)
    body += np.asarray(at) + np.outer(t, [0.2, 0.1, 0.0])[:, None]
    return body + rng.normal(0, jitter, body.shape)


def _kinect(bodies, yaw=0.4, pitch=0.25):
    """Standing coordinates -> a Kinect's (x, y up, z depth), float32, with
    the camera turned by ``yaw`` and tilted by ``pitch``."""
    kinect = bodies[..., [0, 2, 1]] * [1, 1, -1]
    rot = Rotation.from_euler('yx', [yaw, pitch]).as_matrix()
    return (kinect @ rot.T + [0.1, -0.9, 3.2]).astype(np.float32)


def _expected(raw, main, frame, present):
    """The default pipeline's answer, built independently: centre on the
    main person's spine in ``frame``, then the rotation that takes hip ->
    spine exactly onto +Z and the shoulders as close as possible to +X."""
    ref = raw[main, frame].astype(np.float64)
    rot = Rotation.align_vectors([[0, 0, 1], [1, 0, 0]],
                                 [ref[1] - ref[0], ref[8] - ref[4]],
                                 weights=[np.inf, 1])[0].as_matrix()
    return np.where(present[..., None], (raw - ref[1]) @ rot.T, 0)


def _normalise(keypoint, per_frame=False, mode='spine', **extra):
    results = dict(
        keypoint=keypoint.copy(),
        frame_dir='S001C001P001R001A007',
        total_frames=keypoint.shape[1],
        **extra)
    results = CenterSkeleton(per_frame=per_frame)(results)
    return AlignSkeleton(mode=mode)(results)


def test_centred_joint_keeps_its_noise_under_kinect_jitter():
    """Issue 12, item 1: after centring the spine is (0, 0, 0) in every
    frame; it stays present, so KeypointNoise moves it like any joint."""
    raw = _kinect(_body(0, frames=60)[None])
    results = PadNullFrames()(dict(keypoint=raw, frame_dir='S001C001P001'))
    results = AlignSkeleton()(CenterSkeleton()(results))
    assert results['keypoint_visible'].all()  # no jittered joint is lost
    np.testing.assert_array_equal(results['keypoint'][0, :, 1], 0)
    noisy = KeypointNoise(level=0.01, scale='body', test_mode=True)(results)
    spine = noisy['keypoint'][0, :, 1]
    assert np.all(spine != 0)
    # the spine's noise has the std of every other joint's
    assert 0.8 < spine.std() / noisy['noise_std'] < 1.2


@pytest.mark.parametrize('per_frame', [False, True])
def test_centre_lost_in_frame_0_uses_the_first_frame_with_it(per_frame):
    """Issue 12, item 2: frame 0 without its centre joint used to stay
    uncentred (3 m away in camera coordinates) yet serve as the alignment
    reference."""
    raw = _kinect(_body(1)[None])
    raw[0, 0, 1] = 0  # the Kinect lost the spine in frame 0
    present = np.any(raw != 0, axis=-1)
    out = _normalise(raw, per_frame)
    expected = _expected(raw, 0, 1, present)
    if per_frame:  # each frame on its own spine; frame 0 on frame 1's
        centre = raw[0, :, 1].copy()
        centre[0] = centre[1]
        expected = _expected(raw - centre[:, None] + raw[0, 1, 1], 0, 1,
                             present)
    np.testing.assert_allclose(out['keypoint'], expected, atol=1e-5)
    np.testing.assert_array_equal(out['keypoint_visible'], present)
    # frame 0 is where frame 1 is, give or take a frame's motion and jitter
    assert np.abs(out['keypoint'][0, 0] - out['keypoint'][0, 1]).max() < 0.05


def test_empty_slot_0_normalises_the_person_in_slot_1():
    raw = np.zeros((2, 40, 25, 3), np.float32)
    raw[1] = _kinect(_body(2))
    alone = _normalise(raw[1:])['keypoint']
    out = _normalise(raw)
    np.testing.assert_array_equal(out['keypoint'][0], 0)
    assert not out['keypoint_visible'][0].any()
    np.testing.assert_allclose(out['keypoint'][1], alone[0], atol=1e-6)
    np.testing.assert_allclose(
        out['keypoint'][1:],
        _expected(raw[1:], 0, 0, np.ones((1, 40, 25))),
        atol=1e-5)


def test_two_persons_with_missing_frames_use_the_longer_tracked_one():
    """Person A (slot 0) leaves after frame 29, person B enters at frame 6
    and is tracked longer: B is the main person, frame 6 the reference."""
    bodies = np.stack([_body(3), _body(4, at=(1.0, 0.4, 0), facing=-2.0)])
    raw = _kinect(bodies)
    raw[0, 30:] = 0
    raw[1, :6] = 0
    present = np.any(raw != 0, axis=-1)
    out = _normalise(raw)
    np.testing.assert_allclose(
        out['keypoint'], _expected(raw, 1, 6, present), atol=1e-5)
    np.testing.assert_array_equal(out['keypoint_visible'], present)
    # padded first, both are present throughout: slot 0 is the main person
    padded = PadNullFrames()(dict(keypoint=raw.copy()))['keypoint']
    out = _normalise(padded)
    np.testing.assert_allclose(
        out['keypoint'],
        _expected(padded, 0, 0, np.ones(present.shape)),
        atol=1e-5)


def _padded_clips():
    """Real-like inputs for PreNormalize3D: (name, keypoint)."""
    one = np.zeros((1, 50, 25, 3), np.float32)
    one[0, :40] = _kinect(_body(5))  # zero-padded clip end
    two = _kinect(np.stack([_body(6), _body(7, at=(-0.9, 0.5, 0))]))
    two[1, :8] = 0  # the second person enters late
    two[:, 35:] = 0  # both are lost at the end
    swapped = _kinect(
        np.stack([_body(8, shrug=-0.04),
                  _body(9, at=(1, 0, 0), lean=-0.05)]))
    swapped[0, :12] = 0  # slot 1 is tracked longer: it becomes slot 0
    swapped[1, 20, 7] = 0  # and a lost hand
    loop = PadNullFrames('loop')(dict(keypoint=two.copy()))['keypoint']
    return [('one person', one), ('two persons', two),
            ('slot 1 main', swapped), ('padded loop', loop)]


@pytest.mark.parametrize('name, keypoint', _padded_clips())
def test_prenormalize3d_mode_equals_mmaction2_prenormalize3d(name, keypoint):
    """Issue 12, item 3: CenterSkeleton(per_frame=False) +
    AlignSkeleton(mode='prenormalize3d') is PreNormalize3D, zero frames and
    person order included; the default mode is not, on such geometry."""
    from mmaction.datasets.transforms import PreNormalize3D
    theirs = PreNormalize3D()(
        dict(keypoint=keypoint.copy(), total_frames=keypoint.shape[1]))
    ours = _normalise(keypoint, mode='prenormalize3d')
    assert ours['keypoint'].shape == theirs['keypoint'].shape
    np.testing.assert_allclose(ours['keypoint'], theirs['keypoint'], atol=1e-5)
    assert ours['total_frames'] == theirs['total_frames']
    np.testing.assert_allclose(ours['body_center'], theirs['body_center'])
    assert ours['keypoint_visible'].shape == ours['keypoint'].shape[:3]
    assert ours['keypoint_visible'][0].any(axis=-1).all()
    spine = _normalise(keypoint)['keypoint']
    kept = keypoint[0].any(axis=(1, 2)) if name != 'slot 1 main' else \
        keypoint[1].any(axis=(1, 2))
    order = [1, 0] if name == 'slot 1 main' else list(range(len(keypoint)))
    gap = np.abs(spine[order][:, kept] - theirs['keypoint']).max()
    assert gap > 0.05  # metres


def test_spine_mode_depends_on_the_body_only_prenormalize3d_on_the_view():
    """The same clip seen from three camera poses: the default mode gives
    the same skeletons; PreNormalize3D's (shortest rotation first) leaves the
    spine's tilt pointing wherever the view put it, 0.1-0.4 m apart here."""
    body = _body(10)[None]
    views = [(0.4, 0.25), (1.5, -0.3), (-2.0, 0.5)]
    for mode, same in (('spine', True), ('prenormalize3d', False)):
        outs = [
            _normalise(_kinect(body, *view), mode=mode)['keypoint']
            for view in views
        ]
        gaps = [np.abs(out - outs[0]).max() for out in outs[1:]]
        if same:
            assert max(gaps) < 1e-5
        else:
            assert min(gaps) > 0.1
        ref = outs[0][0, 0]
        spine = (ref[1] - ref[0]) / np.linalg.norm(ref[1] - ref[0])
        shoulders = (ref[8] - ref[4]) / np.linalg.norm(ref[8] - ref[4])
        # 'spine': the spine exact, the shoulders tilted out of X by the
        # ~10 degrees they are off perpendicular; 'prenormalize3d': the
        # shoulders exact, the spine tilted off Z by as much
        exact, tilted = (spine, shoulders) if same else (shoulders, spine)
        x_axis, z_axis = np.eye(3)[0], np.eye(3)[2]
        np.testing.assert_allclose(
            exact, z_axis if same else x_axis, atol=1e-6)
        tilt = np.degrees(np.arccos(tilted @ (x_axis if same else z_axis)))
        assert 5 < tilt < 15
