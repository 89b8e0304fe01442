"""Skeleton-C's camera geometry: rotation, scale and translation of the
whole clip (every person and frame alike), about the centroid of its present
joints. Missing joints stay at zero.

- 2D pixels: rotation in the image plane;
- 3D metres: rotation about the vertical axis, taken as the coordinate axis
  along which the skeletons are tallest (the median over persons and frames
  of each axis's extent): z after :class:`AlignSkeleton`, y on raw NTU
  camera-space joints. A lying body (a fall) is tallest along another axis.

Same signature as every corruption (see the package docstring).
"""
from typing import Optional, Tuple

import numpy as np

from .scale import body_size

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]


def _check_dims(keypoint: np.ndarray, what: str) -> int:
    dims = keypoint.shape[-1]
    if dims not in (2, 3):
        raise ValueError(f'{what} works on 2D or 3D keypoints, got '
                         f'{dims} coordinates per joint')
    return dims


def _centroid(keypoint: np.ndarray, visible: np.ndarray) -> np.ndarray:
    if not visible.any():
        return np.zeros(keypoint.shape[-1])
    return keypoint[visible].astype(np.float64).mean(axis=0)


def _apply(keypoint: np.ndarray, visible: np.ndarray,
           moved: np.ndarray) -> np.ndarray:
    out = np.where(visible[..., None], moved, keypoint)
    return out.astype(keypoint.dtype, copy=False)


def vertical_axis(keypoint: np.ndarray, visible: np.ndarray) -> int:
    """The axis along which the skeletons are tallest (see above)."""
    shown = visible[..., None]
    lo = np.where(shown, keypoint, np.inf).min(axis=2)
    hi = np.where(shown, keypoint, -np.inf).max(axis=2)
    seen = visible.sum(axis=2) >= 2
    if not seen.any():
        return keypoint.shape[-1] - 1
    return int(np.argmax(np.median((hi - lo)[seen], axis=0)))


def rotation(keypoint: np.ndarray, score: Optional[np.ndarray],
             visible: np.ndarray, level: float, unit: float,
             rng: np.random.Generator) -> Arrays:
    """Rotate by ``level`` degrees, clockwise or not (drawn): in the image
    plane (2D), about the vertical axis (3D)."""
    dims = _check_dims(keypoint, 'rotation')
    angle = np.deg2rad(level) * rng.choice((-1.0, 1.0))
    axes = [0, 1] if dims == 2 else [
        a for a in range(3) if a != vertical_axis(keypoint, visible)
    ]
    centre = _centroid(keypoint, visible)
    rel = keypoint.astype(np.float64) - centre
    cos, sin = np.cos(angle), np.sin(angle)
    moved = rel.copy()
    moved[..., axes[0]] = cos * rel[..., axes[0]] - sin * rel[..., axes[1]]
    moved[..., axes[1]] = sin * rel[..., axes[0]] + cos * rel[..., axes[1]]
    return _apply(keypoint, visible, moved + centre), score


def scaling(keypoint: np.ndarray, score: Optional[np.ndarray],
            visible: np.ndarray, level: float, unit: float,
            rng: np.random.Generator) -> Arrays:
    """Zoom by ``1 + level`` or ``1 / (1 + level)`` (drawn) about the
    centroid: the camera moved closer or farther."""
    _check_dims(keypoint, 'scaling')
    factor = (1.0 + level)**rng.choice((-1.0, 1.0))
    centre = _centroid(keypoint, visible)
    moved = (keypoint.astype(np.float64) - centre) * factor + centre
    return _apply(keypoint, visible, moved), score


def translation(keypoint: np.ndarray, score: Optional[np.ndarray],
                visible: np.ndarray, level: float, unit: float,
                rng: np.random.Generator) -> Arrays:
    """Shift by ``level`` x the body size (the mean bounding-box diagonal of
    the persons, :func:`.scale.body_size`) in a random direction."""
    dims = _check_dims(keypoint, 'translation')
    sizes = body_size(keypoint, visible)
    size = float(sizes[sizes > 0].mean()) if (sizes > 0).any() else 0.0
    direction = rng.standard_normal(dims)
    direction /= max(np.linalg.norm(direction), 1e-12)
    moved = keypoint.astype(np.float64) + level * size * direction
    return _apply(keypoint, visible, moved), score
