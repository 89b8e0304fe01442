"""Skeleton-C's temporal corruptions (after SHARDeg): a lower frame rate,
uniform or random, one dropped block, and frame-timing jitter.

A corruption never changes the clip's length: a frame that a lower frame rate
(or a dropped block) loses is marked missing (every joint at 0 with score 0,
as a missed detection), so the clip keeps its T frames on their original
timeline. The frame sampling that follows sees the gaps as a model would see
a detector's missed frames, and a mitigation (:class:`InterpolateMissing`)
can fill them from the frames kept, which is SHARDeg's interpolation.
"""
from typing import Optional, Tuple

import numpy as np

from .dropout import _drop

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]


def block_mask(num_frames: int, fraction: float,
               rng: np.random.Generator) -> np.ndarray:
    """A ``(T,)`` mask of one contiguous block of ``round(fraction x T)``
    frames (at least one if ``fraction > 0``) at a random start."""
    length = min(num_frames, int(round(fraction * num_frames)))
    if fraction > 0:
        length = max(length, 1)
    start = int(rng.integers(num_frames - length + 1))
    mask = np.zeros(num_frames, dtype=bool)
    mask[start:start + length] = True
    return mask


def _factor(level: float, what: str) -> int:
    """A subsampling factor: a whole number >= 1."""
    if level < 1 or level != int(level):
        raise ValueError(f'{what}: the level is the subsampling factor, a '
                         f'whole number >= 1, got {level}')
    return int(level)


def _lose_frames(keypoint: np.ndarray, score: Optional[np.ndarray],
                 visible: np.ndarray, lost_frames: np.ndarray) -> Arrays:
    lost = np.broadcast_to(lost_frames[None, :, None], keypoint.shape[:3])
    return _drop(keypoint, score, lost, visible)


def uniform_subsample(keypoint: np.ndarray, score: Optional[np.ndarray],
                      visible: np.ndarray, level: float, unit: float,
                      rng: np.random.Generator) -> Arrays:
    """A frame rate ``level`` times lower: frames ``0, k, 2k, ...`` (``k =
    level``) are kept, every other frame is marked missing."""
    k = _factor(level, 'uniform_subsample')
    lost = np.arange(keypoint.shape[1]) % k != 0
    return _lose_frames(keypoint, score, visible, lost)


def random_subsample(keypoint: np.ndarray, score: Optional[np.ndarray],
                     visible: np.ndarray, level: float, unit: float,
                     rng: np.random.Generator) -> Arrays:
    """As many frames as :func:`uniform_subsample` keeps at the same factor
    (``ceil(T / k)``), but drawn at random; the others are marked missing."""
    k = _factor(level, 'random_subsample')
    num_frames = keypoint.shape[1]
    kept = rng.choice(num_frames, -(-num_frames // k), replace=False)
    lost = np.ones(num_frames, dtype=bool)
    lost[kept] = False
    return _lose_frames(keypoint, score, visible, lost)


def block_drop(keypoint: np.ndarray, score: Optional[np.ndarray],
               visible: np.ndarray, level: float, unit: float,
               rng: np.random.Generator) -> Arrays:
    """One contiguous block of ``round(level x T)`` frames is marked
    missing."""
    return _lose_frames(keypoint, score, visible,
                        block_mask(keypoint.shape[1], level, rng))


def frame_jitter(keypoint: np.ndarray, score: Optional[np.ndarray],
                 visible: np.ndarray, level: float, unit: float,
                 rng: np.random.Generator) -> Arrays:
    """Frame timing jitter: frame t shows the pose of frame ``t + d_t``
    (clipped to the clip), ``d_t`` a whole number drawn uniformly in
    ``[-level, level]``: frames repeat, swap places or go missing as with an
    unsteady capture clock. A joint missing in the source frame is missing
    in the frame that shows it."""
    k = _factor(level, 'frame_jitter')
    num_frames = keypoint.shape[1]
    source = np.clip(
        np.arange(num_frames) + rng.integers(-k, k + 1, num_frames), 0,
        num_frames - 1)
    keypoint = np.where(visible[:, source, :, None], keypoint[:, source], 0)
    if score is not None:
        score = np.where(visible[:, source], score[:, source], 0)
    return keypoint, score
