"""Keypoint corruptions: a registry of pure functions and named groups.

Every corruption has the signature
``f(keypoint, score, visible, level, unit, rng) -> (keypoint, score)`` and draws
only from the ``numpy.random.Generator`` it is given.
"""
from typing import Callable, Dict, List, NamedTuple, Union

from .additive import gaussian, laplace, student_t
from .body_parts import OCCLUDED_PARTS, part_joints
from .dropout import frame_dropout, joint_dropout
from .estimator import frozen_joint, identity_switch, limb_swap
from .geometry import rotation, scaling, translation
from .missing import (limb_dropout, low_confidence, occlusion,
                      person_missing)
from .scale import (MOTION_TAU, body_size, seed001_motion, seed001_std,
                    total_difference, video_size, visible_mask)
from .temporal import (block_drop, frame_jitter, random_subsample,
                       uniform_subsample)


class Corruption(NamedTuple):
    """A registered corruption.

    ``additive`` corruptions take a level in units of the chosen scale (std =
    level x unit); ``probability`` ones take a level in [0, 1];
    ``parameter`` ones a finite level >= 0 in their own unit (degrees, a
    factor, a count: see each function). ``needs_score``: the corruption
    changes ``keypoint_score`` and refuses samples without one.
    """
    name: str
    kind: str  # 'additive', 'probability' or 'parameter'
    fn: Callable
    needs_score: bool = False


CORRUPTIONS: Dict[str, Corruption] = {
    c.name: c
    for c in (
        Corruption('gaussian', 'additive', gaussian),
        Corruption('laplace', 'additive', laplace),
        Corruption('student_t', 'additive', student_t),
        Corruption('joint_dropout', 'probability', joint_dropout),
        Corruption('frame_dropout', 'probability', frame_dropout),
        # Skeleton-C (docs/skeleton_c.md)
        Corruption('limb_dropout', 'probability', limb_dropout),
        Corruption('person_missing', 'probability', person_missing),
        Corruption('low_confidence', 'probability', low_confidence, True),
        *(Corruption(f'occlude_{part}', 'probability', occlusion(part))
          for part in OCCLUDED_PARTS),
        Corruption('uniform_subsample', 'parameter', uniform_subsample),
        Corruption('random_subsample', 'parameter', random_subsample),
        Corruption('block_drop', 'probability', block_drop),
        Corruption('frame_jitter', 'parameter', frame_jitter),
        Corruption('limb_swap', 'probability', limb_swap),
        Corruption('identity_switch', 'parameter', identity_switch),
        Corruption('frozen_joint', 'parameter', frozen_joint),
        Corruption('rotation', 'parameter', rotation),
        Corruption('scaling', 'parameter', scaling),
        Corruption('translation', 'parameter', translation),
    )
}
CORRUPTION_GROUPS: Dict[str, List[str]] = {
    'noise': ['gaussian', 'laplace', 'student_t'],
    'dropout': ['joint_dropout', 'frame_dropout'],
    'occlusion': [f'occlude_{part}' for part in OCCLUDED_PARTS],
    'temporal': [
        'uniform_subsample', 'random_subsample', 'block_drop', 'frame_jitter'
    ],
    'estimator': ['limb_swap', 'identity_switch', 'frozen_joint'],
    'geometry': ['rotation', 'scaling', 'translation'],
    # The noise sweep's level curves; Skeleton-C's corruptions have levels
    # of their own meaning (tools/skeleton_c.py runs them).
    'all': ['gaussian', 'laplace', 'student_t', 'joint_dropout',
            'frame_dropout'],
}


def get_corruption(name: str) -> Corruption:
    """Look up a corruption by name, with the valid names in the error."""
    if name not in CORRUPTIONS:
        raise ValueError(f'unknown corruption {name!r}; choose from '
                         f'{sorted(CORRUPTIONS)} (groups: '
                         f'{sorted(CORRUPTION_GROUPS)})')
    return CORRUPTIONS[name]


def expand_corruptions(names: Union[str, List[str]]) -> List[str]:
    """Resolve corruption and group names to a list of corruption names."""
    names = [names] if isinstance(names, str) else list(names)
    if not names:
        raise ValueError('no corruption given')
    out: List[str] = []
    for name in names:
        for item in CORRUPTION_GROUPS.get(name, [name]):
            get_corruption(item)
            if item not in out:
                out.append(item)
    return out


def check_level(corruption: str, level: float) -> float:
    """A finite, non-negative level (at most 1 for probabilities)."""
    import math
    try:
        value = float(level)
    except (TypeError, ValueError):
        raise ValueError(f'{corruption}: level must be a number, got '
                         f'{level!r}') from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f'{corruption}: level must be finite and >= 0, got '
                         f'{level!r}')
    if get_corruption(corruption).kind == 'probability' and value > 1:
        raise ValueError(f'{corruption}: level is a probability, got {value}')
    return value


__all__ = [
    'Corruption', 'CORRUPTIONS', 'CORRUPTION_GROUPS', 'get_corruption',
    'expand_corruptions', 'check_level', 'gaussian', 'laplace', 'student_t',
    'joint_dropout', 'frame_dropout', 'visible_mask', 'video_size',
    'body_size', 'total_difference', 'MOTION_TAU', 'seed001_motion',
    'seed001_std', 'limb_dropout', 'person_missing', 'low_confidence',
    'occlusion', 'uniform_subsample', 'random_subsample', 'block_drop',
    'frame_jitter', 'limb_swap', 'identity_switch', 'frozen_joint',
    'rotation', 'scaling', 'translation', 'OCCLUDED_PARTS', 'part_joints'
]
