"""Seed 000's hand-crafted skeleton features (section 3.3.1, Table 1).

From one ``(M, T, V, C)`` sequence, after the preprocessing of seed 000
(pad null frames, centre on the spine, align; the transforms of
``datasets/transforms/skeleton_normalization.py``):

- ``'basic'``: ``Pool(X)``, the mean and the standard deviation of each
  coordinate channel over joints and frames (``2C`` values: 6 for 3D);
- ``'rich'``: ``[Pool(X), Pool(V), Pool(A), Pool(B)]`` with the velocities
  ``V[t] = X[t + 1] - X[t]``, the accelerations ``A[t] = V[t + 1] - V[t]``
  and the bone vectors ``B[v] = X[v] - X[parent(v)]`` over the ``V - 1``
  joints that have a parent (the root has no bone) (``8C`` values);
- ``'extended'``: rich plus, for each documented joint pair
  (:mod:`.skeletons`), the mean and the standard deviation over frames of
  the Euclidean distance between the two joints (``8C + 2P`` values). The
  distances are pooled per pair, not over the pairs: pooled over pairs
  like joints, the 10-20 pairs would collapse to two numbers.

``Pool`` returns the ``C`` means, then the ``C`` standard deviations
(population, ``ddof=0``), as Table 1 writes them (its sum over ``t, v`` is
the mean: its ``sigma`` divides by ``TV``). Persons: seed 000's BABEL has
one; with several, the pools run over the frames and joints of every person
present (any non-zero coordinate), so the feature length does not depend on
``M`` and an empty second slot does not drag the statistics towards 0.

Pure numpy: no torch, no OpenMMLab import.
"""
from typing import Optional, Sequence

import numpy as np

from .skeletons import joint_pairs, parents

FEATURE_SETS = ('basic', 'rich', 'extended')


class FeatureError(ValueError):
    """A sequence cannot give features; names the sample and the field.

    Args:
        sample (str): The sample's name.
        field (str): The offending field (``keypoint``, ``layout``, ...).
        message (str): What is wrong.
    """

    def __init__(self, sample: str, field: str, message: str) -> None:
        self.sample, self.field = sample, field
        super().__init__(f'sample {sample}, field {field!r}: {message}')


def pool(values: np.ndarray) -> np.ndarray:
    """Means then standard deviations of the last axis' channels over all
    the other axes: ``(..., C) -> (2C, )``."""
    flat = values.reshape(-1, values.shape[-1])
    return np.concatenate([flat.mean(axis=0), flat.std(axis=0)])


def feature_dim(feature_set: str, layout: str, channels: int = 3) -> int:
    """Length of a feature vector (see the module docstring)."""
    check_feature_set(feature_set)
    if feature_set == 'basic':
        return 2 * channels
    if feature_set == 'rich':
        return 8 * channels
    return 8 * channels + 2 * len(joint_pairs(layout))


def check_feature_set(feature_set: str) -> str:
    """Return ``feature_set`` if known, else raise ``ValueError``."""
    if feature_set not in FEATURE_SETS:
        raise ValueError(f'unknown feature set {feature_set!r}; choose from '
                         f'{FEATURE_SETS}')
    return feature_set


def _present_persons(keypoint: np.ndarray, sample: str) -> np.ndarray:
    """The persons with any non-zero coordinate, ``(P, T, V, C)``."""
    present = np.abs(keypoint).reshape(len(keypoint), -1).max(axis=1) > 0
    if not present.any():
        raise FeatureError(
            sample, 'keypoint', 'all coordinates are zero (an empty or '
            'unfilled sample); it has no features')
    return keypoint[present]


def _checked(keypoint: np.ndarray, feature_set: str, layout: str,
             sample: str) -> np.ndarray:
    check_feature_set(feature_set)
    keypoint = np.asarray(keypoint)
    if keypoint.ndim != 4 or keypoint.shape[-1] not in (2, 3):
        raise FeatureError(
            sample, 'keypoint', 'expected (M, T, V, C) with C 2 or 3, got '
            f'shape {keypoint.shape}')
    if not np.issubdtype(keypoint.dtype, np.number):
        raise FeatureError(sample, 'keypoint',
                           f'not numeric (dtype {keypoint.dtype})')
    keypoint = keypoint.astype(np.float64)
    bad = ~np.isfinite(keypoint)
    if bad.any():
        m, t, v, c = (int(i) for i in np.argwhere(bad)[0])
        raise FeatureError(
            sample, 'keypoint', f'{int(bad.sum())} non-finite values after '
            f'preprocessing (first: person {m}, frame {t}, joint {v}, '
            f'channel {c})')
    min_frames = 1 if feature_set == 'basic' else 3
    if keypoint.shape[1] < min_frames:
        raise FeatureError(
            sample, 'keypoint', f'{keypoint.shape[1]} frame(s); the '
            f'{feature_set!r} features need at least {min_frames} (the '
            'accelerations are second differences over frames)')
    return keypoint


def sequence_features(keypoint: np.ndarray,
                      feature_set: str = 'extended',
                      layout: str = 'nturgb+d',
                      sample: Optional[str] = None) -> np.ndarray:
    """The feature vector of one sequence.

    Args:
        keypoint (np.ndarray): ``(M, T, V, C)`` coordinates.
        feature_set (str): ``'basic'``, ``'rich'`` or ``'extended'``.
            Defaults to 'extended'.
        layout (str): Skeleton layout, ``'nturgb+d'`` or ``'coco'`` (its
            parent table and joint pairs). Defaults to 'nturgb+d'.
        sample (str, optional): The sample's name, for errors.
            Defaults to None ('?').

    Returns:
        np.ndarray: ``(feature_dim, )`` float64 vector.

    Raises:
        FeatureError: Too few frames, all-zero or non-finite coordinates, a
            layout without parent table or with another joint count.
    """
    sample = '?' if sample is None else str(sample)
    keypoint = _checked(keypoint, feature_set, layout, sample)
    x = _present_persons(keypoint, sample)
    blocks = [pool(x)]
    if feature_set != 'basic':
        try:
            parent = np.asarray(parents(layout))
        except KeyError as error:
            raise FeatureError(sample, 'layout', error.args[0]) from None
        if len(parent) != x.shape[2]:
            raise FeatureError(
                sample, 'keypoint', f'{x.shape[2]} joints, but layout '
                f'{layout!r} has {len(parent)}')
        velocity = np.diff(x, axis=1)
        acceleration = np.diff(velocity, axis=1)
        child = np.flatnonzero(parent != np.arange(len(parent)))
        bones = x[:, :, child] - x[:, :, parent[child]]
        blocks += [pool(velocity), pool(acceleration), pool(bones)]
    if feature_set == 'extended':
        pairs = np.asarray(joint_pairs(layout))
        dist = np.linalg.norm(
            x[:, :, pairs[:, 0]] - x[:, :, pairs[:, 1]], axis=-1)
        blocks.append(pool(dist.reshape(-1, len(pairs))))
    return np.concatenate(blocks)


def batch_features(keypoints: Sequence[np.ndarray],
                   feature_set: str = 'extended',
                   layout: str = 'nturgb+d',
                   names: Optional[Sequence[str]] = None) -> np.ndarray:
    """:func:`sequence_features` of several sequences, ``(N, D)``.

    Args:
        keypoints (Sequence[np.ndarray]): ``(M, T, V, C)`` arrays (``T`` and
            ``M`` may differ between them).
        feature_set (str): See :func:`sequence_features`.
            Defaults to 'extended'.
        layout (str): See :func:`sequence_features`. Defaults to 'nturgb+d'.
        names (Sequence[str], optional): Sample names for errors; defaults
            to ``#index``.
    """
    rows = [
        sequence_features(kp, feature_set, layout,
                          f'#{i}' if names is None else names[i])
        for i, kp in enumerate(keypoints)
    ]
    if not rows:
        raise ValueError('no sequences to compute features of')
    return np.stack(rows)
