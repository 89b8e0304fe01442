"""Motion programs of the synthetic action classes.

Each program turns time (seconds) and a clip's style (speed, amplitude, phase)
into the angles of :mod:`.body`, a root trajectory and a heading offset. The
classes are chosen to differ the way real ones do:

- whole-body actions (jump, squat, walk, kick, bow),
- small, local actions of one or two arms (wave, clap, touch head, point),
- pairs that differ only in amplitude (``arm_circle_narrow``/``_wide``, like
  BAST's narrow and wide kinesphere) or only in speed (``stomp_slow``/``_fast``).

Two more, ``run`` and ``fall`` (seed 002's falling / running / walking task),
are in :data:`EXTRA_ACTIONS`: a set gets them only when it names them, so the
default 13-class sets stay as they were.
"""
from dataclasses import dataclass
from typing import Callable, Dict, List, NamedTuple, Tuple

import numpy as np

from .body import rest_pose

Pose = Dict[str, np.ndarray]


@dataclass
class ClipStyle:
    """How one performance of an action varies.

    Args:
        speed (float): Multiplies the action's tempo. Defaults to 1.
        amplitude (float): Multiplies the action's angles. Defaults to 1.
        phase (float): Starting phase in cycles, in [0, 1). Defaults to 0.
    """
    speed: float = 1.0
    amplitude: float = 1.0
    phase: float = 0.0


class Motion(NamedTuple):
    """What a motion program returns."""
    pose: Pose
    root: np.ndarray  # (T, 3) pelvis offset in the body's heading frame
    turn: np.ndarray  # (T,) heading change in radians


class ActionClass(NamedTuple):
    """A named action with its motion program and a short description."""
    name: str
    scope: str  # 'whole-body' or 'local'
    description: str
    program: Callable[[np.ndarray, ClipStyle], Motion]


def _deg(x):
    return np.deg2rad(x)


def _cycle(t: np.ndarray, freq: float, style: ClipStyle) -> np.ndarray:
    """Phase angle in radians of a periodic motion at ``freq`` Hz."""
    return 2 * np.pi * (freq * style.speed * t + style.phase)


def _envelope(t: np.ndarray, freq: float, style: ClipStyle, rise: float,
              hold: float) -> np.ndarray:
    """A repeating raise-hold-lower-rest profile in [0, 1].

    ``rise`` and ``hold`` are fractions of the period; the fall lasts as long
    as the rise and the rest fills the remainder.
    """
    p = np.mod(freq * style.speed * t + style.phase, 1.0)
    up = np.clip(p / rise, 0, 1)
    down = np.clip((p - rise - hold) / rise, 0, 1)
    level = up - down
    return level * level * (3 - 2 * level)  # smoothstep


def _still(num_frames: int) -> Tuple[np.ndarray, np.ndarray]:
    return np.zeros((num_frames, 3)), np.zeros(num_frames)


def wave(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    pose['r_upper_arm_abd'][:] = _deg(100)
    pose['r_upper_arm_flex'][:] = _deg(10)
    pose['r_forearm_abd'][:] = _deg(165) + s.amplitude * _deg(30) * np.sin(
        _cycle(t, 1.6, s))
    pose['r_forearm_flex'][:] = _deg(15)
    return Motion(pose, *_still(len(t)))


def clap(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    open_close = 0.5 + 0.5 * np.sin(_cycle(t, 2.0, s))
    for side in 'lr':
        pose[f'{side}_upper_arm_flex'][:] = _deg(40)
        pose[f'{side}_upper_arm_abd'][:] = _deg(12)
        pose[f'{side}_forearm_flex'][:] = _deg(80)
        pose[f'{side}_forearm_abd'][:] = _deg(
            -12) + s.amplitude * _deg(40) * open_close
    return Motion(pose, *_still(len(t)))


def touch_head(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    e = _envelope(t, 0.45, s, rise=0.2, hold=0.35)
    pose['r_upper_arm_abd'][:] = _deg(8) + e * _deg(102) * s.amplitude
    pose['r_upper_arm_flex'][:] = e * _deg(30)
    pose['r_forearm_abd'][:] = _deg(8) + e * _deg(192)
    pose['r_forearm_flex'][:] = _deg(10) + e * _deg(20)
    pose['head_pitch'][:] = e * _deg(10)
    return Motion(pose, *_still(len(t)))


def point(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    e = _envelope(t, 0.35, s, rise=0.15, hold=0.5)
    pose['r_upper_arm_flex'][:] = e * _deg(85) * s.amplitude
    pose['r_forearm_flex'][:] = _deg(10) + e * _deg(80) * s.amplitude
    pose['r_upper_arm_abd'][:] = _deg(8) + e * _deg(12)
    pose['head_yaw'][:] = -e * _deg(15)
    return Motion(pose, *_still(len(t)))


def jump(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    p = np.mod(0.9 * s.speed * t + s.phase, 1.0)
    # Crouch before take-off and after landing, flight in between.
    crouch = np.exp(-((p - 0.3) / 0.12)**2) + np.exp(-((p - 0.92) / 0.1)**2)
    flight = np.where((p > 0.45) & (p < 0.75),
                      np.sin(np.pi * (p - 0.45) / 0.3), 0.0)
    for side in 'lr':
        pose[f'{side}_thigh_flex'][:] = crouch * _deg(45) * s.amplitude
        pose[f'{side}_knee'][:] = crouch * _deg(80) * s.amplitude
        pose[f'{side}_upper_arm_flex'][:] = _deg(-30) * crouch + _deg(
            150) * flight
    pose['trunk_pitch'][:] = crouch * _deg(25)
    root = np.zeros((len(t), 3))
    root[:, 1] = 0.3 * s.amplitude * flight
    return Motion(pose, root, np.zeros(len(t)))


def squat(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    depth = s.amplitude * (0.5 - 0.5 * np.cos(_cycle(t, 0.45, s)))
    for side in 'lr':
        pose[f'{side}_thigh_flex'][:] = depth * _deg(95)
        pose[f'{side}_knee'][:] = depth * _deg(120)
        pose[f'{side}_upper_arm_flex'][:] = depth * _deg(80)
        pose[f'{side}_forearm_flex'][:] = depth * _deg(80)
    pose['trunk_pitch'][:] = depth * _deg(35)
    return Motion(pose, *_still(len(t)))


def walk(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    w = _cycle(t, 0.9, s)
    swing = _deg(25) * s.amplitude
    for side, sign in (('l', 1.0), ('r', -1.0)):
        pose[f'{side}_thigh_flex'][:] = sign * swing * np.sin(w)
        # The knee bends while the leg swings forward.
        pose[f'{side}_knee'][:] = _deg(10) + _deg(50) * np.clip(
            sign * np.cos(w), 0, None)
        pose[f'{side}_upper_arm_flex'][:] = -sign * 0.8 * swing * np.sin(w)
        pose[f'{side}_forearm_flex'][:] = _deg(
            15) - sign * 0.8 * swing * np.sin(w)
    # Stride: about 0.7 m per cycle; centred so the walker crosses the view.
    distance = 0.7 * s.amplitude * 0.9 * s.speed * t
    root = np.zeros((len(t), 3))
    root[:, 2] = distance - distance.mean()
    return Motion(pose, root, np.zeros(len(t)))


def run(t: np.ndarray, s: ClipStyle) -> Motion:
    """Running: compared with :func:`walk`, a faster cadence, longer
    strides, high heel recovery, elbows bent near 90 degrees, a forward lean
    and a flight phase at each step."""
    pose = rest_pose(len(t))
    w = _cycle(t, 1.4, s)
    swing = _deg(35) * s.amplitude
    for side, sign in (('l', 1.0), ('r', -1.0)):
        pose[f'{side}_thigh_flex'][:] = _deg(10) + sign * swing * np.sin(w)
        pose[f'{side}_knee'][:] = _deg(20) + _deg(90) * np.clip(
            sign * np.cos(w), 0, None)
        arm = -sign * swing * np.sin(w)
        pose[f'{side}_upper_arm_flex'][:] = arm
        pose[f'{side}_forearm_flex'][:] = _deg(85) + arm
    pose['trunk_pitch'][:] = _deg(10)
    root = np.zeros((len(t), 3))
    # Both feet leave the ground when the legs are furthest apart, once a step.
    root[:, 1] = 0.08 * s.amplitude * np.clip(-np.cos(2 * w), 0, None)
    # Stride: about 2 m per cycle (two steps), near 3 m/s. Over a long clip
    # the runner would leave the view (or reach the camera); as a camera
    # following them would, keep the travel within 1.5 m of the clip's centre.
    distance = 2.0 * s.amplitude * 1.4 * s.speed * t
    travel = distance - distance.mean()
    reach = float(np.abs(travel).max())
    root[:, 2] = travel * min(1.0, 1.5 / reach) if reach > 0 else travel
    return Motion(pose, root, np.zeros(len(t)))


def fall(t: np.ndarray, s: ClipStyle) -> Motion:
    """Standing, then tipping over as a stiff body about the feet, knees
    buckling, until lying on the ground for the rest of the clip.

    The phase picks the direction (below 0.5: forwards, arms reaching out to
    break the fall; else backwards, arms spreading) and when the fall starts;
    the fall ends by 80 % of the clip whatever its length, so the body is on
    the ground in the last frames.
    """
    pose = rest_pose(len(t))
    span = float(t[-1] - t[0]) if len(t) > 1 else 0.0
    duration = max(min(0.6 / s.speed, 0.6 * span), 1e-3)
    forwards = s.phase < 0.5
    start = t[0] + (0.1 + 0.8 * np.mod(2 * s.phase, 1.0)) * 0.5 * max(
        span - duration, 0.0)
    p = np.clip((t - start) / duration, 0, 1)
    # The angle accelerates like a toppling body and stops on impact, 5
    # degrees short of flat so the slow style noise keeps the head above
    # the ground.
    tilt = _deg(85) * p * p
    sign = 1.0 if forwards else -1.0
    pose['trunk_pitch'][:] = sign * tilt
    pose['trunk_roll'][:] = _deg(4) * np.sin(_cycle(t, 0.5, s)) * (1 - p)
    pose['head_pitch'][:] = -sign * _deg(20) * p  # the head is held up
    for side in 'lr':
        pose[f'{side}_thigh_flex'][:] = -sign * tilt
        pose[f'{side}_knee'][:] = _deg(35) * s.amplitude * np.sin(np.pi * p)
        if forwards:  # reach ahead of the head
            reach = _deg(175) * (3 * p * p - 2 * p**3)
            pose[f'{side}_upper_arm_flex'][:] = reach
            pose[f'{side}_forearm_flex'][:] = reach
        else:
            spread = _deg(8) + _deg(55) * s.amplitude * p
            pose[f'{side}_upper_arm_abd'][:] = spread
            pose[f'{side}_forearm_abd'][:] = spread
    root = np.zeros((len(t), 3))
    # The feet stay put: the pelvis travels a leg length (about 0.85 m) along
    # the fall.
    root[:, 2] = sign * 0.85 * np.sin(tilt)
    return Motion(pose, root, np.zeros(len(t)))


def kick(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    e = _envelope(t, 0.5, s, rise=0.12, hold=0.05)
    pose['r_thigh_flex'][:] = e * _deg(75) * s.amplitude
    pose['r_knee'][:] = _deg(70) * np.sin(np.pi * e)
    pose['l_knee'][:] = e * _deg(10)
    for side in 'lr':
        pose[f'{side}_upper_arm_abd'][:] = _deg(8) + e * _deg(30)
    pose['trunk_pitch'][:] = -e * _deg(10)
    return Motion(pose, *_still(len(t)))


def bow(t: np.ndarray, s: ClipStyle) -> Motion:
    pose = rest_pose(len(t))
    e = _envelope(t, 0.3, s, rise=0.25, hold=0.15)
    pitch = e * _deg(60) * s.amplitude
    pose['trunk_pitch'][:] = pitch
    pose['head_pitch'][:] = e * _deg(20)
    for side in 'lr':  # arms keep hanging under gravity
        pose[f'{side}_upper_arm_flex'][:] = pitch
        pose[f'{side}_forearm_flex'][:] = pitch + _deg(10)
    return Motion(pose, *_still(len(t)))


def _arm_circles(t: np.ndarray, s: ClipStyle, radius_deg: float) -> Motion:
    pose = rest_pose(len(t))
    w = _cycle(t, 1.0, s)
    r = _deg(radius_deg) * s.amplitude
    for side in 'lr':
        for seg in ('upper_arm', 'forearm'):
            pose[f'{side}_{seg}_abd'][:] = _deg(90) + r * np.cos(w)
            pose[f'{side}_{seg}_flex'][:] = r * np.sin(w)
    return Motion(pose, *_still(len(t)))


def arm_circle_narrow(t: np.ndarray, s: ClipStyle) -> Motion:
    return _arm_circles(t, s, radius_deg=15)


def arm_circle_wide(t: np.ndarray, s: ClipStyle) -> Motion:
    return _arm_circles(t, s, radius_deg=45)


def _stomp(t: np.ndarray, s: ClipStyle, freq: float) -> Motion:
    pose = rest_pose(len(t))
    w = _cycle(t, freq, s)
    for side, sign in (('l', 1.0), ('r', -1.0)):
        lift = np.clip(sign * np.sin(w), 0, None)**1.5 * s.amplitude
        pose[f'{side}_thigh_flex'][:] = lift * _deg(60)
        pose[f'{side}_knee'][:] = lift * _deg(80)
        pose[f'{side}_upper_arm_flex'][:] = -lift * _deg(15)
    return Motion(pose, *_still(len(t)))


def stomp_slow(t: np.ndarray, s: ClipStyle) -> Motion:
    return _stomp(t, s, freq=0.6)


def stomp_fast(t: np.ndarray, s: ClipStyle) -> Motion:
    return _stomp(t, s, freq=1.6)


def idle(t: np.ndarray, s: ClipStyle) -> Motion:
    """A bystander: standing, swaying a little, looking around."""
    pose = rest_pose(len(t))
    pose['trunk_roll'][:] = _deg(3) * np.sin(_cycle(t, 0.25, s))
    pose['head_yaw'][:] = _deg(20) * np.sin(_cycle(t, 0.1, s))
    return Motion(pose, *_still(len(t)))


ACTIONS: List[ActionClass] = [
    ActionClass('wave', 'local', 'right hand waves overhead', wave),
    ActionClass('clap', 'local', 'hands clap in front of the chest', clap),
    ActionClass('touch_head', 'local', 'right hand rises to the head and '
                'holds', touch_head),
    ActionClass('point', 'local', 'right arm points forward and holds', point),
    ActionClass('jump', 'whole-body', 'crouch, jump with arm swing, land',
                jump),
    ActionClass('squat', 'whole-body', 'deep knee bends, arms forward', squat),
    ActionClass('walk', 'whole-body', 'walk across the view with arm swing',
                walk),
    ActionClass('kick', 'whole-body', 'right leg kicks forward', kick),
    ActionClass('bow', 'whole-body', 'bend the trunk forward and back', bow),
    ActionClass('arm_circle_narrow', 'local', 'both arms out, small circles',
                arm_circle_narrow),
    ActionClass('arm_circle_wide', 'local', 'both arms out, large circles',
                arm_circle_wide),
    ActionClass('stomp_slow', 'whole-body', 'alternate knee lifts, slow',
                stomp_slow),
    ActionClass('stomp_fast', 'whole-body', 'alternate knee lifts, fast',
                stomp_fast),
]
CLASS_NAMES: Tuple[str, ...] = tuple(a.name for a in ACTIONS)

# Appended after the 13 defaults: a class's index in ALL_CLASS_NAMES seeds its
# clips and names its files (A014, A015), so the defaults keep theirs.
EXTRA_ACTIONS: List[ActionClass] = [
    ActionClass(
        'run', 'whole-body', 'run across the view: fast strides with '
        'a flight phase, bent arms swinging', run),
    ActionClass(
        'fall', 'whole-body', 'stand, lose balance, tip over forwards '
        'or backwards and lie on the ground', fall),
]
ALL_ACTIONS: List[ActionClass] = ACTIONS + EXTRA_ACTIONS
ALL_CLASS_NAMES: Tuple[str, ...] = tuple(a.name for a in ALL_ACTIONS)
