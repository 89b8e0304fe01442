"""The motion programs: run and fall look like what they claim, are
deterministic, and the 13 default classes are as they were before them."""
import numpy as np
import pytest

from mmhar_robust.synthetic import (ALL_CLASS_NAMES, CLASS_NAMES,
                                    SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator)
from mmhar_robust.synthetic.actions import ACTIONS, ALL_ACTIONS, ClipStyle
from mmhar_robust.synthetic.body import (JOINT_INDEX, BodyShape,
                                         forward_kinematics)

PROGRAMS = {a.name: a.program for a in ALL_ACTIONS}
FEET = [JOINT_INDEX[j] for j in ('l_ankle', 'r_ankle')]


def _joints(name, frames, style, shape=None):
    t = np.arange(frames) / 30.0
    motion = PROGRAMS[name](t, style)
    joints = forward_kinematics(shape or BodyShape(), motion.pose, motion.root,
                                np.zeros(frames))
    return joints, motion


def test_new_classes_come_after_the_13_defaults():
    assert len(CLASS_NAMES) == 13 and CLASS_NAMES == tuple(a.name
                                                           for a in ACTIONS)
    assert ALL_CLASS_NAMES == CLASS_NAMES + ('run', 'fall')
    gen = SyntheticSkeletonGenerator(SyntheticSkeletonConfig())
    assert gen.class_names == CLASS_NAMES  # the default set has no new class


@pytest.mark.parametrize('phase', [0.2, 0.7])  # forwards, backwards
@pytest.mark.parametrize('frames', [16, 24, 150])
def test_fall_ends_lying_on_the_ground(frames, phase):
    shape = BodyShape(height=1.8)
    joints, motion = _joints('fall', frames, ClipStyle(1.0, 1.0, phase), shape)
    pelvis = joints[:, JOINT_INDEX['pelvis'], 1]
    leg = shape.length('thigh') + shape.length('shin')
    ankle = shape.length('ankle_height')
    # By hand: standing, the straight legs hold the pelvis a leg length plus
    # 1.3 ankle heights up; at the end the legs lie 85 degrees from vertical.
    assert pelvis[0] == pytest.approx(leg + 1.3 * ankle, abs=1e-9)
    assert pelvis[-1] == pytest.approx(
        leg * np.cos(np.deg2rad(85)) + 1.3 * ankle, abs=1e-9)
    assert pelvis[-1] < 0.25 * pelvis[0]
    # Down by 80 % of the clip, the head too, and nothing below the ground.
    down = int(np.ceil(0.8 * (frames - 1)))
    assert pelvis[down] == pytest.approx(pelvis[-1], abs=1e-9)
    assert joints[-1, JOINT_INDEX['head'], 1] < 0.35
    assert joints[..., 1].min() > -0.02
    # The feet end where they stood (the pelvis travels, not the feet); the
    # buckling knees move them a little on the way.
    feet_z = joints[:, FEET, 2].mean(1)
    assert abs(feet_z[-1] - feet_z[0]) < 0.1
    assert np.abs(feet_z - feet_z[0]).max() < 0.3
    # Forwards and backwards fall to opposite sides.
    direction = 1.0 if phase < 0.5 else -1.0
    assert direction * motion.root[-1, 2] > 0.8


@pytest.mark.parametrize('frames', [24, 90, 150])
def test_run_is_faster_than_walk_and_leaves_the_ground(frames):
    style = ClipStyle(speed=1.0, amplitude=1.0, phase=0.3)
    shape = BodyShape()
    walk, _ = _joints('walk', frames, style, shape)
    run, motion = _joints('run', frames, style, shape)

    def mean_speed(joints):
        return np.linalg.norm(np.diff(joints, axis=0), axis=-1).mean() * 30

    assert mean_speed(run) > 1.5 * mean_speed(walk)
    rest = 1.3 * shape.length('ankle_height')  # an ankle on the ground
    assert run[:, FEET, 1].min(1).max() > rest + 0.04  # flight: both up
    assert walk[:, FEET, 1].min(1).max() == pytest.approx(rest, abs=1e-9)
    # Longer strides: wider thigh swing and deeper knee bend than walking.
    t = np.arange(frames) / 30.0
    walk_pose = PROGRAMS['walk'](t, style).pose
    for key in ('l_thigh_flex', 'l_knee'):
        assert np.ptp(motion.pose[key]) > 1.3 * np.ptp(walk_pose[key])
    # A camera would follow: the runner stays within 1.5 m of the centre.
    assert np.abs(motion.root[:, 2]).max() <= 1.5 + 1e-12


@pytest.mark.parametrize('name', ['run', 'fall'])
def test_new_motions_keep_bones_rigid_and_are_deterministic(name):
    shape = BodyShape.sample(np.random.default_rng(4))
    style = ClipStyle(speed=1.1, amplitude=0.9, phase=0.6)
    a, _ = _joints(name, 60, style, shape)
    b, _ = _joints(name, 60, style, shape)
    np.testing.assert_array_equal(a, b)
    for first, second, seg in (('l_hip', 'l_knee',
                                'thigh'), ('r_knee', 'r_ankle', 'shin'),
                               ('l_elbow', 'l_wrist', 'forearm')):
        length = np.linalg.norm(
            a[:, JOINT_INDEX[first]] - a[:, JOINT_INDEX[second]], axis=-1)
        np.testing.assert_allclose(length, shape.length(seg), rtol=1e-9)


def test_new_classes_are_deterministic_per_seed():

    def clips(seed):
        gen = SyntheticSkeletonGenerator(
            SyntheticSkeletonConfig(
                num_subjects=2,
                repeats=1,
                classes=('fall', 'run', 'walk'),
                seed=seed))
        return [gen.clip(1, label, 0) for label in range(3)]

    first, again, other = clips(4), clips(4), clips(5)
    for a, b, c in zip(first, again, other):
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
        assert a['keypoint'].shape != c['keypoint'].shape or (
            not np.array_equal(a['keypoint'], c['keypoint']))
    assert [a['frame_dir'][-8:-4] for a in first] == ['A015', 'A014', 'A007']


# Computed before run and fall were added (sum and sum of absolute values of
# every angle, root and turn, 45 frames, speed 1.1, amplitude 0.9, phase 0.3).
BEFORE = {
    'wave': (246.93093229969256, 246.93093229969256),
    'clap': (217.92304692867896, 226.63906188557297),
    'touch_head': (171.4365813497827, 171.4365813497827),
    'point': (126.20868764792718, 143.8103336584962),
    'jump': (154.57184759378924, 184.82656122415128),
    'squat': (347.330657847476, 347.330657847476),
    'walk': (89.58250183676861, 141.49527388550155),
    'kick': (51.51306009014509, 52.57613192263635),
    'bow': (146.90132563076816, 146.90132563076816),
    'arm_circle_narrow': (272.4792870850508, 304.48671163911547),
    'arm_circle_wide': (251.9511836089897, 347.97345727118375),
    'stomp_slow': (89.63358513353703, 101.34387648638575),
    'stomp_fast': (90.90855889289085, 102.9248439479845),
}
# Clips of seed 3, subject 2, repeat 0 before the change: name, frames and the
# sums of keypoint (and keypoint_score) for labels 0, 6 and 12.
BEFORE_CLIPS = {
    'coco': [('S003P002A001R001', 133, 1131552.7492294312, 1763.4274484217167),
             ('S003P002A007R001', 150, 3529702.3458251953, 2016.0877675414085),
             ('S003P002A013R001', 113, 1039354.604095459, 1580.1608835458755)],
    'nturgb+d': [('S003P002A001R001', 133, 9691.874763585161, 0.0),
                 ('S003P002A007R001', 150, 14198.970820882449, 0.0),
                 ('S003P002A013R001', 113, 15440.53467265825, 0.0)],
}


def test_default_classes_unchanged():
    t = np.arange(45) / 30.0
    for action in ACTIONS:
        motion = action.program(t, ClipStyle(1.1, 0.9, 0.3))
        values = np.concatenate([motion.pose[k] for k in sorted(motion.pose)] +
                                [motion.root.ravel(), motion.turn])
        np.testing.assert_allclose((values.sum(), np.abs(values).sum()),
                                   BEFORE[action.name],
                                   rtol=1e-9,
                                   err_msg=action.name)
    for layout, expected in BEFORE_CLIPS.items():
        gen = SyntheticSkeletonGenerator(
            SyntheticSkeletonConfig(
                num_subjects=2, repeats=1, layout=layout, seed=3))
        for label, (name, frames, kp_sum, score_sum) in zip((0, 6, 12),
                                                            expected):
            ann = gen.clip(2, label, 0)
            assert (ann['frame_dir'], ann['total_frames']) == (name, frames)
            assert ann['keypoint'].astype(np.float64).sum() == pytest.approx(
                kp_sum, rel=1e-6)
            score = ann.get('keypoint_score', np.zeros(1, np.float32))
            assert score.astype(np.float64).sum() == pytest.approx(
                score_sum, rel=1e-6, abs=1e-9)
