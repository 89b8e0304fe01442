"""The domain-test table: for each ground-truth class, what the model predicts.

BAST's domain tests list, per ground-truth class, the predicted classes and
their counts (its Table 11: "Ground truth | Model's prediction | Count"). The
table shows which classes a model confuses, which one accuracy number hides.
These are pure functions; ``tools/analysis_tools/domain_report.py`` runs them
on a ``tools/test.py --dump`` pickle.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

CSV_HEADER = ('gt_index', 'ground_truth', 'support', 'rank', 'pred_index',
              'prediction', 'count', 'fraction')


@dataclass
class DomainRow:
    """The predictions for one ground-truth class.

    Args:
        gt_index (int): The ground-truth class.
        gt_name (str): Its name.
        support (int): Its number of samples.
        predictions (list[tuple[int, str, int]]): ``(index, name, count)`` of
            the predicted classes, most frequent first (ties: lower index
            first), at most ``top_n`` of them, zero counts left out.
        other (int): Samples predicted as classes beyond the ``top_n`` shown.
    """
    gt_index: int
    gt_name: str
    support: int
    predictions: List[Tuple[int, str, int]]
    other: int = 0


def domain_table(gt_labels: Sequence[int],
                 predictions: np.ndarray,
                 class_names: Optional[Sequence[str]] = None,
                 top_n: Optional[int] = None,
                 num_classes: Optional[int] = None) -> List[DomainRow]:
    """Counts of predicted classes per ground-truth class.

    Args:
        gt_labels (Sequence[int]): Ground-truth class of each sample, ``(N,)``.
        predictions (np.ndarray): Predicted classes ``(N,)`` or class scores
            ``(N, C)`` (the argmax is the prediction).
        class_names (Sequence[str], optional): One name per class. Defaults
            to None (the class indices).
        top_n (int, optional): Most predicted classes listed per row; the rest
            are summed in ``other``. Defaults to None (all).
        num_classes (int, optional): Number of classes. Defaults to None: the
            score width, else the number of names, else the largest label + 1.

    Returns:
        list[DomainRow]: One row per class present in the ground truth, by
        class index.

    Raises:
        ValueError: on mismatched lengths, a label outside the classes, a
            name list of the wrong length or ``top_n < 1``.
    """
    gt = np.asarray(gt_labels)
    pred = np.asarray(predictions)
    if pred.ndim == 2:
        num_classes = num_classes or pred.shape[1]
        if pred.shape[1] != num_classes:
            raise ValueError(f'scores have {pred.shape[1]} classes, '
                             f'expected {num_classes}')
        pred = pred.argmax(axis=1)
    if gt.ndim != 1 or pred.shape != gt.shape or not gt.size:
        raise ValueError(f'expected N > 0 labels and N predictions, got '
                         f'shapes {gt.shape} and {np.shape(predictions)}')
    if top_n is not None and top_n < 1:
        raise ValueError(f'top_n must be at least 1, got {top_n}')
    if num_classes is None:
        num_classes = (
            len(class_names)
            if class_names is not None else int(max(gt.max(), pred.max())) + 1)
    for what, values in (('label', gt), ('prediction', pred)):
        bad = np.flatnonzero((values < 0) | (values >= num_classes))
        if bad.size:
            raise ValueError(f'sample {bad[0]}: {what} {values[bad[0]]} is '
                             f'outside [0, {num_classes})')
    names = class_names_or_indices(class_names, num_classes)
    # scikit-learn is imported on use: `import mmhar_robust` stays light.
    from sklearn.metrics import confusion_matrix
    counts = confusion_matrix(gt, pred, labels=np.arange(num_classes))
    rows = []
    for i in np.flatnonzero(counts.sum(axis=1)):
        order = np.argsort(-counts[i], kind='stable')
        order = order[counts[i][order] > 0][:top_n]
        shown = [(int(j), names[j], int(counts[i, j])) for j in order]
        support = int(counts[i].sum())
        rows.append(
            DomainRow(
                int(i), names[i], support, shown,
                support - sum(c for _, _, c in shown)))
    return rows


def class_names_or_indices(class_names: Optional[Sequence[str]],
                           num_classes: int) -> List[str]:
    """The names as strings, or ``'0', '1', ...`` when there are none.

    Raises:
        ValueError: if the number of names is not ``num_classes``.
    """
    if class_names is None:
        return [str(i) for i in range(num_classes)]
    if len(class_names) != num_classes:
        raise ValueError(f'{len(class_names)} class names for {num_classes} '
                         'classes')
    return [str(n) for n in class_names]


def to_csv_rows(rows: Sequence[DomainRow]) -> List[Dict[str, object]]:
    """One dict per (ground truth, prediction) pair, keys ``CSV_HEADER``.

    The ``other`` remainder, when not 0, is a row with ``prediction``
    ``'(other)'`` and empty ``rank`` and ``pred_index``.
    """
    out = []
    for row in rows:
        pairs = [(rank, j, name, count)
                 for rank, (j, name, count) in enumerate(row.predictions, 1)]
        if row.other:
            pairs.append(('', '', '(other)', row.other))
        for rank, j, name, count in pairs:
            out.append(
                dict(
                    zip(CSV_HEADER,
                        (row.gt_index, row.gt_name, row.support, rank, j, name,
                         count, round(count / row.support, 6)))))
    return out


def _cell(text: str) -> str:
    return text.replace('|', '\\|')


def to_markdown(rows: Sequence[DomainRow]) -> str:
    """The table in Markdown: ground truth (with its sample count) on its
    first row only, then prediction, count and share of the class in %."""
    lines = [
        '| Ground truth (samples) | Prediction | Count | % |',
        '| --- | --- | ---: | ---: |'
    ]
    for row in to_csv_rows(rows):
        gt = (f'{_cell(row["ground_truth"])} ({row["support"]})'
              if row['rank'] == 1 else '')
        lines.append(f'| {gt} | {_cell(row["prediction"])} | '
                     f'{row["count"]} | {100 * row["fraction"]:.1f} |')
    return '\n'.join(lines)
