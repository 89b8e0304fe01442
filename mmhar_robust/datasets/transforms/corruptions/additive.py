"""Additive coordinate noise: Gaussian (seed 001) and heavy-tailed families.

Each function takes the keypoints ``(M, T, V, C)``, their scores (or None), the
mask of present joints, the level, the unit the level is measured in (pixels or
metres, from :mod:`.scale`) and a ``numpy.random.Generator``, and returns new
keypoints and scores. The noise has standard deviation ``level x unit`` for
every family, so levels are comparable across families. Missing joints stay
missing (untouched zeros).
"""
from typing import Optional, Tuple

import numpy as np

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]
STUDENT_T_DOF = 3.0  # heavy tails, finite variance


def _add(keypoint: np.ndarray, visible: np.ndarray,
         noise: np.ndarray) -> np.ndarray:
    """``keypoint + noise`` on present joints only, in the keypoints' dtype."""
    noise = noise.astype(keypoint.dtype, copy=False)
    return keypoint + noise * visible[..., None]


def gaussian(keypoint: np.ndarray, score: Optional[np.ndarray],
             visible: np.ndarray, level: float, unit: float,
             rng: np.random.Generator) -> Arrays:
    """Zero-mean Gaussian noise of std ``level x unit`` on each coordinate."""
    noise = rng.standard_normal(keypoint.shape, dtype=np.float32)
    return _add(keypoint, visible, noise * (level * unit)), score


def laplace(keypoint: np.ndarray, score: Optional[np.ndarray],
            visible: np.ndarray, level: float, unit: float,
            rng: np.random.Generator) -> Arrays:
    """Laplace noise with std ``level x unit`` (scale ``std / sqrt(2)``)."""
    noise = rng.laplace(0.0, level * unit / np.sqrt(2.0), keypoint.shape)
    return _add(keypoint, visible, noise), score


def student_t(keypoint: np.ndarray, score: Optional[np.ndarray],
              visible: np.ndarray, level: float, unit: float,
              rng: np.random.Generator) -> Arrays:
    """Student-t noise (3 degrees of freedom) rescaled to std ``level x unit``:
    mostly small errors with occasional wild ones, like a detector's outliers."""
    dof = STUDENT_T_DOF
    noise = rng.standard_t(dof, keypoint.shape) * np.sqrt((dof - 2) / dof)
    return _add(keypoint, visible, noise * level * unit), score
