"""The units keypoint noise is measured in: video size, body size, motion.

Seed 001 scales its Gaussian noise as ``std = alpha x video size x
total_difference``. Its code (:func:`seed001_std`) measures the motion as the
summed pixel displacement of the first person, so the same clip at another
resolution gets other noise. Our own ``'motion'`` scale defines each factor so
that it means the same thing at any image resolution:

- **video size** (:func:`video_size`): ``max(h, w)`` of the sample's
  ``original_shape`` (falling back to ``img_shape``), in pixels. Noise transforms
  run right after ``PoseDecode``, before any crop or resize, so keypoints are
  still in those pixels.
- **body size** (:func:`body_size`): the diagonal of the skeleton's bounding box,
  the median over frames and persons, in the keypoints' own unit (pixels or
  metres). PYSKL scales noise this way; it is the only choice for 3D data.
- **motion amount** (:func:`total_difference`), in [0, 1): for every visible
  joint, the standard deviation of its position over time relative to its
  person's body size, squashed by ``tanh(sigma / (tau x body))`` with ``tau =
  0.05``, then averaged over joints and persons. A still body gives 0; a clip in
  which only the hands move gives about 2/17 ~ 0.1-0.2 (COCO); one in which every
  joint moves by more than ~5 % of the body gives close to 1. Both numerator and
  denominator scale with the image, so the value does not depend on resolution.
"""
from typing import Dict, Optional

import numpy as np

from ....utils.sample import sample_name

MOTION_TAU = 0.05
# Seed 001's coefficient: clip(sqrt(D / SEED001_MOTION_NORM), *SEED001_RANGE).
SEED001_MOTION_NORM = 10000.0
SEED001_RANGE = (0.2, 1.0)


def visible_mask(keypoint: np.ndarray,
                 score: Optional[np.ndarray] = None) -> np.ndarray:
    """Joints of raw keypoints that are present: not all-zero, and with a
    positive score if scores are given. Shape ``keypoint.shape[:-1]``.

    Only for raw keypoints: after centring, a present joint can be at zero
    (see :mod:`..keypoint_visibility`)."""
    present = np.any(keypoint != 0, axis=-1)
    if score is not None:
        present &= score > 0
    return present


def video_size(results: Dict) -> float:
    """``max(h, w)`` of ``original_shape`` (else ``img_shape``) in pixels.

    Raises:
        KeyError: if the sample has neither, naming the sample.
    """
    shape = results.get('original_shape', results.get('img_shape'))
    if shape is None:
        raise KeyError(
            f'sample {sample_name(results)!r} has no original_shape '
            'or img_shape, so its video size is unknown; use scale="body" '
            '(e.g. for 3D keypoints in metres)')
    return float(max(shape[:2]))


def body_size(keypoint: np.ndarray, visible: np.ndarray) -> np.ndarray:
    """Per-person bounding-box diagonal, the median over frames.

    Args:
        keypoint (np.ndarray): ``(M, T, V, C)``.
        visible (np.ndarray): ``(M, T, V)`` mask of present joints.

    Returns:
        np.ndarray: ``(M,)`` sizes; 0 for a person never seen.
    """
    shown = visible[..., None]
    lo = np.where(shown, keypoint, np.inf).min(axis=2)
    hi = np.where(shown, keypoint, -np.inf).max(axis=2)
    seen = visible.sum(axis=2) >= 2  # a box needs two joints
    diag = np.sqrt(((hi - lo)**2).sum(axis=-1))
    return np.array([_median(d[s]) for d, s in zip(diag, seen)])


def _median(values: np.ndarray) -> float:
    """Median of a small 1-D array, 0 if empty (np.median's overhead would
    dominate a transform that runs per sample)."""
    if values.size == 0:
        return 0.0
    ordered = np.sort(values)
    mid = ordered.size // 2
    return float(ordered[mid] + ordered[~mid]) / 2.0


def total_difference(keypoint: np.ndarray,
                     visible: np.ndarray,
                     tau: float = MOTION_TAU) -> float:
    """The clip's amount of motion in [0, 1) (see the module docstring).

    Args:
        keypoint (np.ndarray): ``(M, T, V, C)``.
        visible (np.ndarray): ``(M, T, V)`` mask of present joints.
        tau (float): Joint motion, relative to body size, at which a joint
            counts as clearly moving (tanh(1) = 0.76). Defaults to 0.05.
    """
    size = body_size(keypoint, visible)  # (M,)
    count = visible.sum(axis=1)  # (M, V) frames each joint is seen
    usable = (count >= 2) & (size[:, None] > 0)
    if not usable.any():
        return 0.0
    shown = visible[..., None]
    keypoint = keypoint.astype(np.float64)  # a still joint must give 0
    n = np.maximum(count, 1)[..., None]
    mean = np.where(shown, keypoint, 0).sum(axis=1) / n
    dev = np.where(shown, keypoint - mean[:, None], 0)
    sigma = np.sqrt((dev * dev).sum(axis=(1, 3)) / n[..., 0])  # (M, V)
    rel = sigma / np.where(size > 0, size, 1.0)[:, None]
    return float(np.tanh(rel[usable] / tau).mean())


def seed001_motion(keypoint: np.ndarray) -> float:
    """Seed 001's motion amount ``D``: the Euclidean displacement in pixels
    of every joint of the first person between consecutive frames, summed
    over joints and frames (missing joints included, as in its code).

    Args:
        keypoint (np.ndarray): ``(M, T, V, 2)`` raw keypoints, all frames of
            the clip.
    """
    first = keypoint[0, ..., :2].astype(np.float64)
    steps = first[1:] - first[:-1]
    return float(np.sqrt((steps * steps).sum(-1)).sum())


def seed001_std(keypoint: np.ndarray, img_shape, level: float) -> np.ndarray:
    """Seed 001's per-axis noise std in pixels: ``level x c x (w, h)`` with
    ``c = clip(sqrt(D / 10000), 0.2, 1)`` and ``D`` from
    :func:`seed001_motion`.

    Args:
        keypoint (np.ndarray): ``(M, T, V, 2)`` raw keypoints in pixels.
        img_shape (tuple): ``(h, w)`` of the video the keypoints are in.
        level (float): alpha.

    Returns:
        np.ndarray: ``(2,)``: the std on x and on y.
    """
    coefficient = np.clip(
        np.sqrt(seed001_motion(keypoint) / SEED001_MOTION_NORM),
        *SEED001_RANGE)
    h, w = img_shape[:2]
    return level * coefficient * np.array([w, h], dtype=np.float64)
