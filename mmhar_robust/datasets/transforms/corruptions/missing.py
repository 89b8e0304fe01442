"""Skeleton-C's missing-data corruptions: limbs, a person, confidence, and
RA-GCN's occlusion of body parts.

Same signature as every corruption (see the package docstring). A lost joint
is written as mmaction2 writes a missed detection: coordinates 0, score 0.
"""
from typing import Callable, Optional, Tuple

import numpy as np

from .body_parts import LIMBS, part_joints
from .dropout import _drop
from .temporal import block_mask

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]
LOW_SCORE_FACTOR = 0.1  # a low-confidence joint keeps a tenth of its score


def limb_dropout(keypoint: np.ndarray, score: Optional[np.ndarray],
                 visible: np.ndarray, level: float, unit: float,
                 rng: np.random.Generator) -> Arrays:
    """Each limb (left/right arm, left/right leg, see :mod:`.body_parts`) of
    each person is lost in each frame with probability ``level``."""
    num_persons, num_frames, num_joints = keypoint.shape[:3]
    lost = np.zeros(keypoint.shape[:3], dtype=bool)
    draws = rng.random((len(LIMBS), num_persons, num_frames)) < level
    for limb, drawn in zip(LIMBS, draws):
        joints = part_joints(num_joints, limb, 'limb_dropout')
        lost[:, :, joints] |= drawn[..., None]
    return _drop(keypoint, score, lost, visible)


def persons_present(visible: np.ndarray) -> np.ndarray:
    """Indices of the persons with at least one present joint."""
    return np.flatnonzero(visible.any(axis=(1, 2)))


def person_missing(keypoint: np.ndarray, score: Optional[np.ndarray],
                   visible: np.ndarray, level: float, unit: float,
                   rng: np.random.Generator) -> Arrays:
    """In a two-person clip, one of the two persons (drawn) is lost for a
    contiguous block of ``level`` x T frames (1: the whole clip).

    A clip with fewer than two present persons cannot be corrupted: it comes
    back unchanged, and the Skeleton-C loop leaves it out of this
    corruption's accuracy and counts it (``n_skipped``).
    """
    present = persons_present(visible)
    if present.size < 2:
        return keypoint, score
    person = present[rng.integers(2)]
    lost = np.zeros(keypoint.shape[:3], dtype=bool)
    lost[person] = block_mask(keypoint.shape[1], level, rng)[:, None]
    return _drop(keypoint, score, lost, visible)


def low_confidence(keypoint: np.ndarray, score: Optional[np.ndarray],
                   visible: np.ndarray, level: float, unit: float,
                   rng: np.random.Generator) -> Arrays:
    """Each present joint, with probability ``level``, keeps only a tenth of
    its score; coordinates are kept (the joint stays present). Needs scores:
    :class:`KeypointNoise` refuses samples without ``keypoint_score``."""
    low = (rng.random(keypoint.shape[:3]) < level) & visible
    score = score.copy()
    score[low] *= LOW_SCORE_FACTOR
    return keypoint, score


def occlusion(part: str) -> Callable:
    """The corruption that hides ``part`` (every person) during a contiguous
    block of ``level`` x T frames; level 1 is RA-GCN's occlusion of the whole
    clip."""

    def occlude(keypoint: np.ndarray, score: Optional[np.ndarray],
                visible: np.ndarray, level: float, unit: float,
                rng: np.random.Generator) -> Arrays:
        joints = part_joints(keypoint.shape[2], part, f'occlude_{part}')
        in_part = np.isin(np.arange(keypoint.shape[2]), joints)
        frames = block_mask(keypoint.shape[1], level, rng)
        lost = np.broadcast_to(frames[:, None] & in_part[None],
                               keypoint.shape[:3])
        return _drop(keypoint, score, lost, visible)

    occlude.__name__ = f'occlude_{part}'
    occlude.__doc__ = (f'Hide the {part.replace("_", " ")} during '
                       '``level`` x T frames (see :func:`occlusion`).')
    return occlude
