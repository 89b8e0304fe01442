"""Labels, class counts and class weights of a single-label dataset.

The imbalance tools (``ClassBalancedSampler``, ``ClassBalanceHook``) share
these functions, so a sampler and a loss see the same labels. Labels come from
``dataset.get_labels()`` when the dataset has it (it can answer without
loading keypoints), else from ``get_data_info(i)['label']``; MMEngine's
dataset wrappers are unwrapped so that the labels follow the wrapper's
indices.
"""
import numbers
import warnings
from typing import Any, Optional

import numpy as np
from mmengine.dataset import ClassBalancedDataset, RepeatDataset
from torch.utils.data import ConcatDataset, Subset

from ..utils.sample import identity_field, sample_name


def _describe(index: int, info: Optional[dict] = None) -> str:
    """``sample 3 ('S001C001P001R001A001')`` where the sample has an
    identity (see :mod:`mmhar_robust.utils.sample`)."""
    if info is None or identity_field(info) is None:
        return f'sample {index}'
    return f'sample {index} ({sample_name(info, quote=True)})'


def _as_label(value: Any, index: int, info: dict) -> int:
    """One sample's label as a Python int, or a clear error."""
    where = _describe(index, info)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    elif hasattr(value, 'ndim') and getattr(value, 'ndim') == 0:
        value = value.item()  # a 0-d torch tensor
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f'{where}: label {value!r} is a bool, expected one '
                         'integer class index')
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (list, tuple, np.ndarray)) or hasattr(value, 'ndim'):
        raise ValueError(
            f'{where}: label {value!r} is a sequence (multi-label); the class '
            'balancing tools need exactly one integer label per sample')
    raise ValueError(f'{where}: label {value!r} of type '
                     f'{type(value).__name__} is not an integer class index')


def _check_label_array(labels: Any, dataset: Any) -> np.ndarray:
    """Validate what a dataset's own ``get_labels()`` returned."""
    name = type(dataset).__name__
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(
            f'{name}.get_labels() returned shape {array.shape}; expected one '
            'integer label per sample (a 1-D array); multi-label data is not '
            'supported')
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f'{name}.get_labels() returned dtype {array.dtype}; '
                         'expected integer class indices')
    if len(array) != len(dataset):
        raise ValueError(f'{name}.get_labels() returned {len(array)} labels '
                         f'for a dataset of {len(dataset)} samples')
    return array.astype(np.int64)


def get_labels(dataset: Any) -> np.ndarray:
    """The label of every sample of a single-label dataset, in index order.

    Args:
        dataset (Any): A dataset with ``get_labels()`` (returning one integer
            per sample) or MMEngine's ``get_data_info(i)`` (with a ``label``
            key), or MMEngine's ``RepeatDataset``, ``ClassBalancedDataset``,
            a ``ConcatDataset`` or a torch ``Subset`` of such datasets.

    Returns:
        np.ndarray: int64 array of shape ``(len(dataset),)``.

    Raises:
        ValueError: a label that is not one integer (the sample is named).
        TypeError: a dataset that offers no way to read its labels.
    """
    if hasattr(dataset, 'get_labels'):
        return _check_label_array(dataset.get_labels(), dataset)
    # The wrappers may be lazily initialised; full_init is idempotent.
    if isinstance(dataset, RepeatDataset):
        return np.tile(get_labels(dataset.dataset), dataset.times)
    if isinstance(dataset, ClassBalancedDataset):
        dataset.full_init()
        inner = get_labels(dataset.dataset)
        return inner[np.asarray(dataset.repeat_indices, dtype=np.int64)]
    if isinstance(dataset, ConcatDataset):  # MMEngine's subclasses torch's
        if hasattr(dataset, 'full_init'):
            dataset.full_init()
        parts = [get_labels(part) for part in dataset.datasets]
        return np.concatenate(parts).astype(np.int64)
    if isinstance(dataset, Subset):
        inner = get_labels(dataset.dataset)
        return inner[np.asarray(dataset.indices, dtype=np.int64)]
    if hasattr(dataset, 'get_data_info'):
        labels = np.empty(len(dataset), dtype=np.int64)
        for index in range(len(dataset)):
            info = dataset.get_data_info(index)
            if 'label' not in info:
                raise ValueError(f'{type(dataset).__name__}: '
                                 f'{_describe(index, info)} has no "label"')
            labels[index] = _as_label(info['label'], index, info)
        return labels
    raise TypeError(
        f'cannot read the labels of a {type(dataset).__name__}: it has '
        'neither get_labels() nor get_data_info(), and is not a known dataset '
        'wrapper')


def class_counts(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """How many samples each class has.

    Args:
        labels (np.ndarray): One integer label per sample.
        num_classes (int): The number of classes C.

    Returns:
        np.ndarray: int64 array of shape ``(C,)``.

    Raises:
        ValueError: a label outside ``[0, C)`` (the first such sample is
            named), or labels that are not a 1-D integer array.
    """
    if isinstance(num_classes, bool) or not isinstance(
            num_classes, numbers.Integral) or num_classes < 1:
        raise ValueError(
            f'num_classes must be a positive int, got {num_classes!r}')
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype == np.bool_ or (
            len(labels) and not np.issubdtype(labels.dtype, np.integer)):
        raise ValueError(f'labels must be a 1-D integer array, got dtype '
                         f'{labels.dtype} and shape {labels.shape}')
    outside = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if len(outside):
        first = int(outside[0])
        raise ValueError(
            f'sample {first} has label {int(labels[first])}, outside '
            f'[0, {num_classes}) ({len(outside)} such samples in all)')
    return np.bincount(labels.astype(np.int64), minlength=int(num_classes))


def _check_counts(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts)
    if counts.ndim != 1 or len(counts) == 0 or not np.issubdtype(
            counts.dtype, np.integer) or (counts < 0).any():
        raise ValueError('counts must be a non-empty 1-D array of '
                         f'non-negative integers, got {counts!r}')
    if counts.sum() == 0:
        raise ValueError('every class has 0 samples; cannot weight them')
    return counts.astype(np.int64)


def _warn_empty(counts: np.ndarray) -> np.ndarray:
    empty = np.flatnonzero(counts == 0)
    if len(empty):
        warnings.warn(
            f'classes {empty.tolist()} have no samples; their weight is 0',
            stacklevel=3)
    return counts > 0


def inverse_frequency_weights(counts: np.ndarray) -> np.ndarray:
    """Inverse class frequency weights ``w_c = N / (C * n_c)``.

    scikit-learn's ``compute_class_weight('balanced')``: a balanced dataset
    gets weight 1 for every class, and ``sum_c n_c * w_c`` equals N. A class
    with no samples gets weight 0 (and a warning names it); scikit-learn
    refuses classes absent from the labels, so it weighs the ``C'`` present
    classes by ``N / (C' * n_c)``, rescaled here by ``C' / C``.

    Args:
        counts (np.ndarray): Samples per class ``n_c``, shape ``(C,)``.

    Returns:
        np.ndarray: float64 weights of shape ``(C,)``.
    """
    # Imported on use: scikit-learn costs a second at import.
    from sklearn.utils.class_weight import compute_class_weight

    counts = _check_counts(counts)
    present = _warn_empty(counts)
    classes = np.flatnonzero(present)
    weights = np.zeros(len(counts), dtype=np.float64)
    weights[classes] = compute_class_weight(
        'balanced',
        classes=classes,
        y=np.repeat(classes, counts[classes])) * (len(classes) / len(counts))
    return weights


def effective_number_weights(counts: np.ndarray,
                             beta: float = 0.9999) -> np.ndarray:
    """Class-balanced weights by the effective number of samples.

    Cui et al., "Class-Balanced Loss Based on Effective Number of Samples",
    CVPR 2019: ``w_c = (1 - beta) / (1 - beta ** n_c)``, normalised so that
    the weights sum to C. Written out here (scikit-learn has no such weights,
    and mmaction2 computes them only inside ``CBFocalLoss``'s constructor) in
    the same order as ``CBFocalLoss``, so the two agree bit for bit.
    ``beta = 0`` gives equal weights; ``beta -> 1`` tends to inverse
    frequency. A class with no samples gets weight 0 (and a warning names
    it).

    Args:
        counts (np.ndarray): Samples per class ``n_c``, shape ``(C,)``.
        beta (float): In ``[0, 1)``. Defaults to 0.9999.

    Returns:
        np.ndarray: float64 weights of shape ``(C,)``.
    """
    counts = _check_counts(counts)
    if not 0.0 <= beta < 1.0:
        raise ValueError(f'beta must be in [0, 1), got {beta!r}')
    present = _warn_empty(counts)
    weights = np.zeros(len(counts), dtype=np.float64)
    effective_num = 1.0 - np.power(beta, counts[present])
    weights[present] = (1.0 - beta) / effective_num
    return weights / np.sum(weights) * len(weights)
