"""Keypoint corruptions: a registry of pure functions and named groups.

Every corruption has the signature
``f(keypoint, score, visible, level, unit, rng) -> (keypoint, score)`` and draws
only from the ``numpy.random.Generator`` it is given.
"""
from typing import Callable, Dict, List, NamedTuple, Union

from .additive import gaussian, laplace, student_t
from .dropout import frame_dropout, joint_dropout
from .scale import (MOTION_TAU, body_size, seed001_motion, seed001_std,
                    total_difference, video_size, visible_mask)


class Corruption(NamedTuple):
    """A registered corruption.

    ``additive`` corruptions take a level in units of the chosen scale (std =
    level x unit); ``probability`` ones take a level in [0, 1].
    """
    name: str
    kind: str  # 'additive' or 'probability'
    fn: Callable


CORRUPTIONS: Dict[str, Corruption] = {
    c.name: c
    for c in (
        Corruption('gaussian', 'additive', gaussian),
        Corruption('laplace', 'additive', laplace),
        Corruption('student_t', 'additive', student_t),
        Corruption('joint_dropout', 'probability', joint_dropout),
        Corruption('frame_dropout', 'probability', frame_dropout),
    )
}
CORRUPTION_GROUPS: Dict[str, List[str]] = {
    'noise': ['gaussian', 'laplace', 'student_t'],
    'dropout': ['joint_dropout', 'frame_dropout'],
    'all': list(CORRUPTIONS),
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
    'seed001_std'
]
