"""Forward kinematics keeps bones rigid and feet on the ground."""
import numpy as np

from mmhar_robust.synthetic.actions import ACTIONS, ClipStyle
from mmhar_robust.synthetic.body import (JOINT_INDEX, BodyShape,
                                         forward_kinematics, rest_pose)

BONES = [('l_shoulder', 'l_elbow', 'upper_arm'),
         ('r_elbow', 'r_wrist', 'forearm'), ('l_hip', 'l_knee', 'thigh'),
         ('r_knee', 'r_ankle', 'shin')]


def _perform(name, shape, frames=90):
    program = {a.name: a.program for a in ACTIONS}[name]
    t = np.arange(frames) / 30.0
    motion = program(t, ClipStyle(speed=1.1, amplitude=1.0, phase=0.3))
    return forward_kinematics(shape, motion.pose, motion.root,
                              np.zeros(frames)), motion


def test_bone_lengths_are_constant_in_every_action():
    shape = BodyShape.sample(np.random.default_rng(3))
    for action in ACTIONS:
        joints, _ = _perform(action.name, shape)
        for a, b, seg in BONES:
            length = np.linalg.norm(
                joints[:, JOINT_INDEX[a]] - joints[:, JOINT_INDEX[b]], axis=-1)
            np.testing.assert_allclose(
                length,
                shape.length(seg),
                rtol=1e-9,
                err_msg=f'{action.name}: {a}-{b}')


def test_standing_body_is_upright_symmetric_and_grounded():
    shape = BodyShape(height=1.8)
    pose = rest_pose(1)
    joints = forward_kinematics(shape, pose, np.zeros((1, 3)), np.zeros(1))[0]
    j = {name: joints[i] for name, i in JOINT_INDEX.items()}
    assert j['head'][1] > j['neck'][1] > j['chest'][1] > j['pelvis'][1]
    assert j['pelvis'][1] > j['l_knee'][1] > j['l_ankle'][1] >= 0
    np.testing.assert_allclose(j['l_shoulder'][0], -j['r_shoulder'][0])
    assert j['l_shoulder'][0] > 0  # x points to the subject's left
    # Head top roughly at body height.
    assert abs(j['head'][1] - 1.8) < 0.2


def test_jump_leaves_the_ground_and_squat_lowers_the_pelvis():
    shape = BodyShape()
    stand = forward_kinematics(shape, rest_pose(1), np.zeros((1, 3)),
                               np.zeros(1))[0, JOINT_INDEX['pelvis'], 1]
    jump, _ = _perform('jump', shape, frames=120)
    feet = jump[:, [JOINT_INDEX['l_ankle'], JOINT_INDEX['r_ankle']], 1]
    assert feet.min(1).max() > 0.2  # airborne at some point
    squat, _ = _perform('squat', shape, frames=120)
    assert squat[:, JOINT_INDEX['pelvis'], 1].min() < stand - 0.3


def _matrix(axis, angle):
    """A rotation matrix written out by hand, the independent reference for
    scipy's ``Rotation`` in :mod:`body`."""
    c, s = np.cos(angle), np.sin(angle)
    return {
        'x': np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
        'y': np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
        'z': np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]),
    }[axis]


def test_trunk_and_head_turn_as_the_hand_written_matrices_say():
    rng = np.random.default_rng(0)
    shape = BodyShape(height=1.6)
    pose = {k: rng.uniform(-1, 1, 4) for k in rest_pose(4)}
    heading = rng.uniform(-3, 3, 4)
    joints = forward_kinematics(shape, pose, rng.normal(size=(4, 3)), heading)
    up = np.array([0.0, 1.0, 0.0])
    face = shape.length('face_depth')
    for t in range(4):
        trunk = (_matrix('y', heading[t])
                 @ _matrix('x', pose['trunk_pitch'][t])
                 @ _matrix('z', -pose['trunk_roll'][t]))
        head = (trunk @ _matrix('x', pose['head_pitch'][t])
                @ _matrix('y', pose['head_yaw'][t]))
        j = {name: joints[t, i] for name, i in JOINT_INDEX.items()}
        np.testing.assert_allclose(
            j['chest'] - j['pelvis'],
            trunk @ up * (shape.length('pelvis_to_spine') +
                          shape.length('spine_to_chest')),
            atol=1e-12)
        np.testing.assert_allclose(
            j['nose'] - j['head'],
            head @ np.array([0.0, -0.1 * face, face]),
            atol=1e-12)
        np.testing.assert_allclose(
            j['l_hip'] - j['pelvis'],
            _matrix('y', heading[t]) @ np.array(
                [shape.length('hip_half_width'), 0.0, 0.0]),
            atol=1e-12)
