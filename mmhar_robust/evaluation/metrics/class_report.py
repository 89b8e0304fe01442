"""Per-class scores of a single-label classifier, for imbalanced test sets.

Top-1 accuracy on an imbalanced set mostly measures the frequent classes.
BABEL reports "top-1-norm" (mean per-class accuracy) beside it, BAST mean class
accuracy and top-1/2/3, others per-class precision, recall and F-score. This
module computes all of them from labels and scores, and writes the per-class
table and the confusion matrix as CSV and JSON.
"""
import csv
import json
import math
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmaction.evaluation.functional import top_k_accuracy

from ...utils.atomic_write import atomic_write


@dataclass
class ClassReport:
    """Summary numbers, per-class scores and the confusion matrix.

    ``confusion[i, j]`` counts samples of ground-truth class ``i`` predicted
    as ``j``. Per-class arrays have one entry per class, absent ones included
    (support 0); the macro means skip classes absent from the ground truth.
    """
    class_names: List[str]
    summary: Dict[str, float]
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    confusion: np.ndarray

    def per_class(self) -> List[Dict[str, object]]:
        """One dict per class: index, name, support, precision, recall, f1."""
        return [{
            'index': i,
            'class': name,
            'support': int(self.support[i]),
            'precision': _plain(self.precision[i]),
            'recall': _plain(self.recall[i]),
            'f1': _plain(self.f1[i]),
        } for i, name in enumerate(self.class_names)]

    def to_dict(self) -> Dict[str, object]:
        """Everything, JSON-ready (undefined values become ``None``)."""
        return {
            'num_samples': int(self.support.sum()),
            'summary': {
                k: _plain(v)
                for k, v in self.summary.items()
            },
            'per_class': self.per_class(),
            'class_names': list(self.class_names),
            'confusion_matrix': self.confusion.tolist(),
        }

    def write(self, out_dir: str, stem: str = 'class_report') -> List[str]:
        """Write ``<stem>.csv``, ``<stem>.json`` and ``<stem>_confusion.csv``.

        Args:
            out_dir (str): Folder, created if missing.
            stem (str): File name stem. Defaults to ``'class_report'``.

        Returns:
            list[str]: The paths written.
        """
        os.makedirs(out_dir, exist_ok=True)
        paths = [
            osp.join(out_dir, f'{stem}.csv'),
            osp.join(out_dir, f'{stem}.json'),
            osp.join(out_dir, f'{stem}_confusion.csv')
        ]
        rows = self.per_class()
        # Each file is replaced whole (a kill leaves the old one).
        with atomic_write(paths[0], newline='') as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        with atomic_write(paths[1]) as f:
            json.dump(self.to_dict(), f, indent=2)
        with atomic_write(paths[2], newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['ground truth \\ prediction', *self.class_names])
            for name, row in zip(self.class_names, self.confusion.tolist()):
                writer.writerow([name, *row])
        return paths

    def format_table(self) -> str:
        """Per-class scores (in %) of the classes in the ground truth."""
        width = max(len('class'), *(len(n) for n in self.class_names))
        lines = [f'{"class":<{width}}  support  precision  recall      f1']
        for row in self.per_class():
            if row['support']:
                cells = [_pct(row[k]) for k in ('precision', 'recall', 'f1')]
                lines.append(f'{row["class"]:<{width}}  {row["support"]:>7}  '
                             f'{cells[0]:>9}  {cells[1]:>6}  {cells[2]:>6}')
        return '\n'.join(lines)


def _plain(value: float) -> Optional[float]:
    value = float(value)
    return None if math.isnan(value) else value


def _pct(value: Optional[float]) -> str:
    return 'n/a' if value is None else f'{100 * value:.1f}'


def _mean_present(values: np.ndarray, present: np.ndarray) -> float:
    """Mean over the present classes; ``nan`` entries (``zero_division=nan``)
    are skipped, and if all are ``nan`` the mean is ``nan``."""
    kept = values[present]
    kept = kept[~np.isnan(kept)]
    return float(kept.mean()) if kept.size else float('nan')


def compute_class_report(
        labels: Sequence[int],
        scores: np.ndarray,
        topk: Sequence[int] = (1, ),
        zero_division: float = 0.0,
        class_names: Optional[Sequence[str]] = None) -> ClassReport:
    """Top-k accuracy, mean class accuracy and macro precision/recall/F1.

    Mean class accuracy is the mean, over the classes present in ``labels``,
    of the fraction of their samples predicted right (BABEL's "top-1-norm").
    Classes absent from the ground truth are left out of it and of the macro
    means, so macro recall equals mean class accuracy. mmaction2's ``mean1``
    differs when a class is predicted but absent: it counts that class as 0.

    Args:
        labels (Sequence[int]): Ground-truth class of each sample, ``(N,)``.
        scores (np.ndarray): Class scores, ``(N, C)``.
        topk (Sequence[int]): The k of each top-k accuracy. Defaults to (1, ).
        zero_division (float): Precision of a class never predicted (0/0):
            0.0, 1.0 or ``nan`` (then left out of the macro mean).
            Defaults to 0.0.
        class_names (Sequence[str], optional): ``C`` names. Defaults to None
            (the class indices as strings).

    Returns:
        ClassReport: summary keys ``top{k}``, ``mean_class_accuracy``,
        ``macro_precision``, ``macro_recall``, ``macro_f1``.
    """
    labels = np.asarray(labels, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or len(scores) != len(labels) or not len(labels):
        raise ValueError(f'expected N labels and (N, C) scores with N > 0, '
                         f'got {labels.shape} and {scores.shape}')
    num_classes = scores.shape[1]
    bad = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if bad.size:
        raise ValueError(f'sample {bad[0]}: label {labels[bad[0]]} is '
                         f'outside [0, {num_classes})')
    names = ([str(i) for i in range(num_classes)]
             if class_names is None else [str(n) for n in class_names])
    if len(names) != num_classes:
        raise ValueError(f'{len(names)} class names for {num_classes} '
                         'classes')
    preds = scores.argmax(axis=1)
    every = np.arange(num_classes)
    # scikit-learn is imported on use: `import mmhar_robust` stays light.
    from sklearn.metrics import (confusion_matrix,
                                 precision_recall_fscore_support)
    confusion = confusion_matrix(labels, preds, labels=every)
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, preds, labels=every, average=None, zero_division=zero_division)
    present = support > 0
    summary = {
        f'top{k}': float(acc)
        for k, acc in zip(topk, top_k_accuracy(scores, labels, tuple(topk)))
    }
    hits = np.diag(confusion)[present] / support[present]
    summary.update(
        mean_class_accuracy=float(hits.mean()),
        macro_precision=_mean_present(precision, present),
        macro_recall=_mean_present(recall, present),
        macro_f1=_mean_present(f1, present))
    return ClassReport(names, summary, precision, recall, f1, support,
                       confusion)
