"""Skeleton-C's pose-estimator failures: left/right limb swaps, identity
switches between two persons, frozen joints.

Same signature as every corruption (see the package docstring). A joint that
is moved takes its score (and so its presence) with it.
"""
from typing import Optional, Tuple

import numpy as np

from .body_parts import left_right
from .missing import persons_present

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]


def _frames(num_frames: int, fraction: float,
            rng: np.random.Generator) -> np.ndarray:
    """``round(fraction x T)`` frames (at least one) drawn at random."""
    count = min(num_frames, max(1, int(round(fraction * num_frames))))
    mask = np.zeros(num_frames, dtype=bool)
    mask[rng.choice(num_frames, count, replace=False)] = True
    return mask


def limb_swap(keypoint: np.ndarray, score: Optional[np.ndarray],
              visible: np.ndarray, level: float, unit: float,
              rng: np.random.Generator) -> Arrays:
    """On ``round(level x T)`` random frames every left joint of every person
    trades places with its right counterpart (the layout's flip pairs): the
    estimator confused the body's sides."""
    left, right = left_right(keypoint.shape[2], 'limb_swap')
    frames = _frames(keypoint.shape[1], level, rng)
    order = np.arange(keypoint.shape[2])
    order[left], order[right] = right, left
    keypoint = keypoint.copy()
    keypoint[:, frames] = keypoint[:, frames][:, :, order]
    if score is not None:
        score = score.copy()
        score[:, frames] = score[:, frames][:, :, order]
    return keypoint, score


def identity_switch(keypoint: np.ndarray, score: Optional[np.ndarray],
                    visible: np.ndarray, level: float, unit: float,
                    rng: np.random.Generator) -> Arrays:
    """The tracker swaps the two persons ``level`` times (a whole number), at
    distinct random frames; between an odd and the next even switch their
    slots are exchanged. A clip with fewer than two present persons comes
    back unchanged (skipped and counted by the Skeleton-C loop)."""
    if level != int(level) or level < 1:
        raise ValueError('identity_switch: the level is a number of '
                         f'switches, a whole number >= 1, got {level}')
    present = persons_present(visible)
    if present.size < 2:
        return keypoint, score
    num_frames = keypoint.shape[1]
    count = min(int(level), num_frames - 1)
    cuts = np.sort(rng.choice(np.arange(1, num_frames), count, replace=False))
    # Frame t is swapped if an odd number of switches happened by t.
    swapped = np.searchsorted(cuts, np.arange(num_frames), side='right') % 2
    a, b = present[:2]
    frames = swapped.astype(bool)
    keypoint = keypoint.copy()
    keypoint[[a, b]] = np.where(frames[None, :, None, None],
                                keypoint[[b, a]], keypoint[[a, b]])
    if score is not None:
        score = score.copy()
        score[[a, b]] = np.where(frames[None, :, None], score[[b, a]],
                                 score[[a, b]])
    return keypoint, score


def frozen_joint(keypoint: np.ndarray, score: Optional[np.ndarray],
                 visible: np.ndarray, level: float, unit: float,
                 rng: np.random.Generator) -> Arrays:
    """``level`` joints (a whole number, at most V) of every person, drawn at
    random, freeze: from a random frame to the end of the clip they stay where
    they were at that frame (a stuck track), with that frame's score."""
    if level != int(level) or level < 1:
        raise ValueError('frozen_joint: the level is a number of joints, a '
                         f'whole number >= 1, got {level}')
    num_persons, num_frames, num_joints = keypoint.shape[:3]
    keypoint = keypoint.copy()
    score = None if score is None else score.copy()
    for person in range(num_persons):
        joints = rng.choice(num_joints, min(int(level), num_joints),
                            replace=False)
        starts = rng.integers(num_frames, size=joints.size)
        for joint, start in zip(joints, starts):
            keypoint[person, start:, joint] = keypoint[person, start, joint]
            if score is not None:
                score[person, start:, joint] = score[person, start, joint]
    return keypoint, score
