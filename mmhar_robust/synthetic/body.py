"""A kinematic human body model: segment lengths, pose angles, forward kinematics.

World frame: metres, ``y`` up, the ground at ``y = 0``. Body frame (before the
root heading): ``x`` to the subject's left, ``y`` up, ``z`` forward.

A pose is a set of per-frame angles (radians, arrays of shape ``(T,)``):

- ``trunk_pitch`` (bend forward), ``trunk_roll`` (lean to the left),
  ``head_pitch`` (nod down), ``head_yaw`` (turn left).
- For each limb segment (``l_upper_arm``, ``l_forearm``, ``r_upper_arm``,
  ``r_forearm``, ``l_thigh``, ``r_thigh``) a flexion ``*_flex`` (forward swing
  from hanging straight down) and an abduction ``*_abd`` (sideways, outwards).
  Arm segments are expressed in the trunk frame, thighs in the pelvis frame.
- ``l_knee``/``r_knee``: knee bend (the shin swings back from the thigh).

Segment directions are absolute within their parent frame rather than chained
joint angles, which makes motion programs short (``forearm points up``) while
keeping bone lengths exact.
"""
from dataclasses import dataclass, field
from typing import Dict, Tuple

import numpy as np
from scipy.spatial.transform import Rotation

# Internal joints, from which the COCO-17 and NTU-25 layouts are taken.
JOINTS: Tuple[str,
              ...] = ('pelvis', 'spine_mid', 'chest', 'neck', 'head', 'nose',
                      'l_eye', 'r_eye', 'l_ear', 'r_ear', 'l_shoulder',
                      'r_shoulder', 'l_elbow', 'r_elbow', 'l_wrist', 'r_wrist',
                      'l_hand', 'r_hand', 'l_handtip', 'r_handtip', 'l_thumb',
                      'r_thumb', 'l_hip', 'r_hip', 'l_knee', 'r_knee',
                      'l_ankle', 'r_ankle', 'l_foot', 'r_foot')
JOINT_INDEX: Dict[str, int] = {name: i for i, name in enumerate(JOINTS)}

# Segment lengths as fractions of body height (after Winter's anthropometry).
BASE_PROPORTIONS: Dict[str, float] = {
    'hip_half_width': 0.055,
    'thigh': 0.245,
    'shin': 0.246,
    'ankle_height': 0.039,
    'foot': 0.11,
    'pelvis_to_spine': 0.10,
    'spine_to_chest': 0.14,
    'chest_to_neck': 0.05,
    'neck_to_head': 0.08,
    'shoulder_half_width': 0.13,
    'upper_arm': 0.186,
    'forearm': 0.146,
    'hand': 0.108,
    'face_depth': 0.055,
    'eye_half_width': 0.02,
    'ear_half_width': 0.045,
}

ANGLE_NAMES: Tuple[str,
                   ...] = ('trunk_pitch', 'trunk_roll', 'head_pitch',
                           'head_yaw', 'l_upper_arm_flex', 'l_upper_arm_abd',
                           'l_forearm_flex', 'l_forearm_abd',
                           'r_upper_arm_flex', 'r_upper_arm_abd',
                           'r_forearm_flex', 'r_forearm_abd', 'l_thigh_flex',
                           'l_thigh_abd', 'r_thigh_flex', 'r_thigh_abd',
                           'l_knee', 'r_knee')


@dataclass
class BodyShape:
    """One subject's body: height in metres and per-segment proportions.

    Args:
        height (float): Standing height in metres. Defaults to 1.7.
        proportions (dict): Segment lengths as fractions of ``height``.
            Defaults to :data:`BASE_PROPORTIONS`.
    """
    height: float = 1.7
    proportions: Dict[str, float] = field(
        default_factory=lambda: dict(BASE_PROPORTIONS))

    @classmethod
    def sample(cls,
               rng: np.random.Generator,
               proportion_jitter: float = 0.04) -> 'BodyShape':
        """Draw a subject: height 1.50-1.95 m, each proportion varied.

        Args:
            rng (np.random.Generator): Source of randomness.
            proportion_jitter (float): Relative std of each proportion.
                Defaults to 0.04.
        """
        height = float(rng.uniform(1.50, 1.95))
        props = {
            k:
            float(v * np.clip(rng.normal(1.0, proportion_jitter), 0.85, 1.15))
            for k, v in BASE_PROPORTIONS.items()
        }
        return cls(height=height, proportions=props)

    def length(self, name: str) -> float:
        """Length of a segment in metres."""
        return self.height * self.proportions[name]


def rest_pose(num_frames: int) -> Dict[str, np.ndarray]:
    """Standing still, arms hanging slightly away from the body."""
    pose = {name: np.zeros(num_frames) for name in ANGLE_NAMES}
    for side in 'lr':
        pose[f'{side}_upper_arm_abd'][:] = np.deg2rad(8)
        pose[f'{side}_forearm_abd'][:] = np.deg2rad(8)
        pose[f'{side}_forearm_flex'][:] = np.deg2rad(10)
    return pose


def rot_y(angle: np.ndarray) -> np.ndarray:
    """Rotation matrices about the vertical ``y`` axis (a heading), one per
    angle: ``(T,)`` radians to ``(T, 3, 3)``."""
    return _heading(angle).as_matrix()


def _heading(angle: np.ndarray) -> Rotation:
    """Rotations about ``y``, one per angle (a ``(T, 1)`` sequence, the
    shape scipy's single-axis ``from_euler`` takes for a stack)."""
    return Rotation.from_euler('y', np.asarray(angle)[..., None])


def segment_direction(flex: np.ndarray, abd: np.ndarray,
                      side: float) -> np.ndarray:
    """Unit direction of a limb segment, hanging down at zero angles.

    ``flex`` swings it forward (+z), ``abd`` outwards (towards ``side * x``).

    Returns:
        np.ndarray: Directions of shape ``(T, 3)``.
    """
    return np.stack([
        side * np.sin(abd) * np.cos(flex), -np.cos(abd) * np.cos(flex),
        np.sin(flex)
    ], -1)


def forward_kinematics(shape: BodyShape, pose: Dict[str, np.ndarray],
                       root: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Joint positions of a posed body in world coordinates.

    Args:
        shape (BodyShape): The subject's body.
        pose (dict): Angle arrays of shape ``(T,)``, see the module docstring.
        root (np.ndarray): Pelvis ground position ``(T, 3)``; its ``y`` is added
            to the height that keeps the lowest foot on the ground (so jumps
            are a positive ``y``).
        heading (np.ndarray): Body yaw about ``y`` in radians, ``(T,)``.

    Returns:
        np.ndarray: Joints of shape ``(T, len(JOINTS), 3)`` in metres.
    """
    num_frames = heading.shape[0]
    L = shape.length
    out = np.zeros((num_frames, len(JOINTS), 3))

    def put(name: str, value: np.ndarray) -> None:
        out[:, JOINT_INDEX[name]] = value

    # Intrinsic (upper-case) sequences: heading, then bend, then lean.
    yaw = _heading(heading)
    trunk = Rotation.from_euler(
        'YXZ', np.stack([heading, pose['trunk_pitch'], -pose['trunk_roll']],
                        -1))
    head = trunk * Rotation.from_euler(
        'XY', np.stack([pose['head_pitch'], pose['head_yaw']], -1))
    up = np.array([0.0, 1.0, 0.0])

    pelvis = np.zeros((num_frames, 3))
    put('pelvis', pelvis)
    put('spine_mid', pelvis + trunk.apply(up * L('pelvis_to_spine')))
    chest = pelvis + trunk.apply(up *
                                 (L('pelvis_to_spine') + L('spine_to_chest')))
    put('chest', chest)
    neck = chest + trunk.apply(up * L('chest_to_neck'))
    put('neck', neck)
    head_c = neck + head.apply(up * L('neck_to_head'))
    put('head', head_c)
    face = L('face_depth')
    put('nose', head_c + head.apply(np.array([0.0, -0.1 * face, face])))
    for side, sign in (('l', 1.0), ('r', -1.0)):
        put(
            f'{side}_eye', head_c + head.apply(
                np.array([sign * L('eye_half_width'), 0.2 * face, 0.85 * face
                          ])))
        put(
            f'{side}_ear', head_c + head.apply(
                np.array([sign * L('ear_half_width'), 0.1 * face, 0.0])))

        shoulder = chest + trunk.apply(
            np.array(
                [sign * L('shoulder_half_width'), -0.02 * shape.height, 0.0]))
        upper = segment_direction(pose[f'{side}_upper_arm_flex'],
                                  pose[f'{side}_upper_arm_abd'], sign)
        fore = segment_direction(pose[f'{side}_forearm_flex'],
                                 pose[f'{side}_forearm_abd'], sign)
        elbow = shoulder + trunk.apply(upper * L('upper_arm'))
        wrist = elbow + trunk.apply(fore * L('forearm'))
        fore_w = trunk.apply(fore)
        put(f'{side}_shoulder', shoulder)
        put(f'{side}_elbow', elbow)
        put(f'{side}_wrist', wrist)
        put(f'{side}_hand', wrist + 0.45 * L('hand') * fore_w)
        put(f'{side}_handtip', wrist + L('hand') * fore_w)
        thumb_side = trunk.apply(
            np.array([-sign * 0.03 * shape.height, 0.0, 0.02 * shape.height]))
        put(f'{side}_thumb', wrist + 0.3 * L('hand') * fore_w + thumb_side)

        hip = pelvis + yaw.apply(
            np.array([sign * L('hip_half_width'), 0.0, 0.0]))
        thigh = segment_direction(pose[f'{side}_thigh_flex'],
                                  pose[f'{side}_thigh_abd'], sign)
        shin = segment_direction(
            pose[f'{side}_thigh_flex'] - pose[f'{side}_knee'],
            pose[f'{side}_thigh_abd'], sign)
        knee = hip + yaw.apply(thigh * L('thigh'))
        ankle = knee + yaw.apply(shin * L('shin'))
        put(f'{side}_hip', hip)
        put(f'{side}_knee', knee)
        put(f'{side}_ankle', ankle)
        put(f'{side}_foot',
            ankle + yaw.apply(np.array([0.0, -L('ankle_height'),
                                        L('foot')])))

    # Stand on the ground: lift the body so that its lowest foot joint is at the
    # ankle height above y=0, then add the root (its y is flight height).
    feet = out[:, [
        JOINT_INDEX[j] for j in ('l_ankle', 'r_ankle', 'l_foot', 'r_foot')
    ], 1]
    lift = -feet.min(axis=1) + 0.3 * L('ankle_height')
    out[..., 1] += lift[:, None]
    out += root[:, None, :]
    return out
