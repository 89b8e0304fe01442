"""Read the label and the class scores of one prediction, whatever its form.

A metric's ``process`` gets dicts (MMEngine's ``Evaluator`` calls
``to_dict()`` on every data sample); a ``--dump`` pickle holds the same dicts;
code that calls a metric by hand may pass ``ActionDataSample`` objects. On
mmaction2 1.2 the fields are ``gt_label`` and ``pred_score`` (tensors); on 1.1
they are ``LabelData`` (``gt_labels.item``, ``pred_scores.item``), which become
``{'item': tensor}`` in a dict. Every error names where the sample came from.
"""
from typing import Any, Mapping, Sequence, Tuple

import numpy as np
from mmengine.structures import BaseDataElement

from mmhar_robust.compat.action_data_sample import gt_label, pred_score
from mmhar_robust.utils.sample import identity_field, sample_name


class PredictionError(ValueError):
    """A prediction sample is malformed.

    Args:
        where (str): The source and the sample, e.g. ``'res.pkl, sample 3'``.
        field (str): The offending field.
        message (str): What is wrong.
    """

    def __init__(self, where: str, field: str, message: str) -> None:
        self.where, self.field = where, field
        super().__init__(f'{where}, field {field!r}: {message}')


def describe(sample: Any, source: str, index: int) -> str:
    """``'<source>, sample <index>'``, plus the clip's identity (see
    :mod:`mmhar_robust.utils.sample`) when it has one."""
    where = f'{source}, sample {index}'
    if isinstance(sample, (Mapping, BaseDataElement)) and identity_field(
            sample) is not None:
        return f'{where} ({sample_name(sample, with_key=True)})'
    return where


def _field(sample: Any, new: str, old: str, where: str) -> Any:
    """Field ``new`` (mmaction2 1.2), or ``old['item']`` (1.1, as a dict)."""
    if isinstance(sample, BaseDataElement):
        if new not in sample and old not in sample:
            raise PredictionError(where, new, 'missing')
        return gt_label(sample) if new == 'gt_label' else pred_score(sample)
    if not isinstance(sample, Mapping):
        raise PredictionError(
            where, new, f'a sample must be a dict or a data sample, '
            f'not {type(sample).__name__}')
    if new in sample:
        return sample[new]
    if isinstance(sample.get(old), Mapping) and 'item' in sample[old]:
        return sample[old]['item']
    raise PredictionError(where, new, f'missing (keys: {sorted(sample)})')


def _to_numpy(value: Any) -> np.ndarray:
    if hasattr(value, 'detach'):  # a torch tensor, maybe on a GPU
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def read_gt_label(sample: Any, where: str) -> int:
    """The single ground-truth class index of a sample.

    Args:
        sample (dict | BaseDataElement): One prediction.
        where (str): Names the sample in errors.

    Raises:
        PredictionError: if the label is missing, not an integer or not one
            label (multi-label samples are not supported).
    """
    label = _to_numpy(_field(sample, 'gt_label', 'gt_labels', where))
    if label.size != 1:
        raise PredictionError(
            where, 'gt_label', f'expected one class index, got shape '
            f'{label.shape} (multi-label samples are not supported)')
    value = label.reshape(()).item()
    if isinstance(value, float) and not value.is_integer():
        raise PredictionError(where, 'gt_label',
                              f'{value} is not a class index')
    return int(value)


def read_pred_score(sample: Any, where: str) -> np.ndarray:
    """The class scores of a sample as a 1-D float array.

    Args:
        sample (dict | BaseDataElement): One prediction.
        where (str): Names the sample in errors.

    Raises:
        PredictionError: if the scores are missing, a dict (RGBPoseConv3D's
            per-stream scores) or not a non-empty 1-D vector of finite values.
    """
    score = _field(sample, 'pred_score', 'pred_scores', where)
    if isinstance(score, Mapping):
        raise PredictionError(
            where, 'pred_score', f'scores per stream ({sorted(score)}) are '
            'not supported; fuse them into one score vector first')
    score = _to_numpy(score).astype(np.float64)
    if score.ndim != 1 or score.size == 0:
        raise PredictionError(
            where, 'pred_score', f'expected a 1-D score vector, got shape '
            f'{score.shape}')
    if not np.all(np.isfinite(score)):
        raise PredictionError(where, 'pred_score', 'has NaN or inf values')
    return score


def stack_predictions(samples: Sequence[Any],
                      source: str) -> Tuple[np.ndarray, np.ndarray]:
    """Labels ``(N,)`` and scores ``(N, C)`` of a list of predictions.

    Args:
        samples (Sequence): Dicts or data samples, e.g. a ``--dump`` pickle.
        source (str): Names where the samples came from in errors.

    Raises:
        PredictionError: if a sample is malformed or its score length differs
            from the first sample's.
    """
    labels, scores = [], []
    for index, sample in enumerate(samples):
        where = describe(sample, source, index)
        labels.append(read_gt_label(sample, where))
        scores.append(read_pred_score(sample, where))
        if scores[-1].size != scores[0].size:
            raise PredictionError(
                where, 'pred_score', f'{scores[-1].size} scores, but sample '
                f'0 has {scores[0].size}')
    if not samples:
        raise ValueError(f'{source}: no predictions')
    return np.asarray(labels, dtype=np.int64), np.stack(scores)
