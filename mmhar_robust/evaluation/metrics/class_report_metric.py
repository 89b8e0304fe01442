"""``ClassReportMetric``: accuracy for imbalanced action recognition."""
import math
from typing import Any, Dict, List, Optional, Sequence, Union

from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from mmhar_robust.registry import METRICS
from .class_report import ClassReport, compute_class_report
from .sample_fields import (describe, read_gt_label, read_pred_score,
                            stack_predictions)


@METRICS.register_module()
class ClassReportMetric(BaseMetric):
    """Top-k accuracy, mean class accuracy and macro precision/recall/F1.

    A drop-in for mmaction2's ``AccMetric`` on single-label data: the same
    prefix (``acc``) and the same ``top{k}`` keys, so ``save_best='acc/top1'``
    still works, plus ``mean_class_accuracy``, ``macro_precision``,
    ``macro_recall`` and ``macro_f1``. Mean class accuracy and the macro means
    are taken over the classes present in the ground truth; classes absent
    from it are left out (mmaction2's ``mean1`` counts a class that is
    predicted but absent as 0, so the two differ only then). Use a different
    ``prefix`` to run it beside ``AccMetric``.

    Per-class precision, recall, F1 and support go to ``class_report.csv``
    and ``class_report.json`` (which also holds the summary and the confusion
    matrix), the confusion matrix to ``class_report_confusion.csv``, with the
    names in ``dataset_meta['classes']`` when the dataset has them. Each
    evaluation replaces the files (atomically); the sweep loops set
    ``file_stem`` to ``class_report_<condition>`` before each condition, so
    that every condition keeps its own.

    Example:
        >>> val_evaluator = dict(type='ClassReportMetric', topk=(1, 2, 3))

    Args:
        topk (int | Sequence[int]): The k of each top-k accuracy.
            Defaults to (1, 5).
        num_classes (int, optional): Number of classes; every score vector
            must have this length. Defaults to None (the score length).
        zero_division (float): Precision of a class that is never predicted:
            0.0, 1.0 or ``float('nan')`` (then left out of the macro mean).
            Defaults to 0.0.
        out_dir (str, optional): Folder for the files. Defaults to None: no
            files (the metrics are still returned and logged); the sweep
            loops set it to the runner's ``log_dir``.
        log_per_class (bool): Also log the per-class table. Defaults to False.
        collect_device (str): Device to gather results across ranks on, 'cpu'
            or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to None
            (``'acc'``).
        collect_dir (str, optional): Folder to gather results in with
            ``collect_device='cpu'``. Defaults to None.
    """
    default_prefix: Optional[str] = 'acc'

    def __init__(self,
                 topk: Union[int, Sequence[int]] = (1, 5),
                 num_classes: Optional[int] = None,
                 zero_division: float = 0.0,
                 out_dir: Optional[str] = None,
                 log_per_class: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        if not topk or any(not isinstance(k, int) or k < 1 for k in topk):
            raise ValueError(f'topk must be positive integers, got {topk}')
        if num_classes is not None and num_classes < 1:
            raise ValueError(f'num_classes must be positive, got '
                             f'{num_classes}')
        if not (zero_division in (0, 1) or math.isnan(zero_division)):
            raise ValueError(f'zero_division must be 0.0, 1.0 or nan, got '
                             f'{zero_division}')
        self.topk = topk
        self.num_classes = num_classes
        self.zero_division = float(zero_division)
        self.out_dir = out_dir
        self.log_per_class = log_per_class
        # The files' name stem; the sweep loops set one per condition.
        self.file_stem = 'class_report'
        self.last_report: Optional[ClassReport] = None

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Keep the label and the scores of each sample, on the CPU.

        Args:
            data_batch (Any): A batch from the dataloader (unused).
            data_samples (Sequence[dict | ActionDataSample]): The model's
                outputs, with ``gt_label`` and ``pred_score``.
        """
        for sample in data_samples:
            where = describe(sample, type(self).__name__, len(self.results))
            self.results.append({
                'gt_label': read_gt_label(sample, where),
                'pred_score': read_pred_score(sample, where)
            })

    def compute_metrics(self, results: List[Dict[str, Any]]) -> Dict:
        """The summary numbers; also writes and logs the per-class report.

        Args:
            results (list[dict]): What ``process`` kept, from every rank.

        Returns:
            dict: ``top{k}``, ``mean_class_accuracy``, ``macro_precision``,
            ``macro_recall`` and ``macro_f1``, each in [0, 1].
        """
        name = type(self).__name__
        labels, scores = stack_predictions(results, name)
        if self.num_classes is not None and \
                scores.shape[1] != self.num_classes:
            raise ValueError(f'{name}: scores have {scores.shape[1]} classes '
                             f'but num_classes={self.num_classes}')
        names = (self.dataset_meta or {}).get('classes')
        if names is not None and len(names) != scores.shape[1]:
            raise ValueError(f"{name}: dataset_meta['classes'] has "
                             f'{len(names)} names but the scores have '
                             f'{scores.shape[1]} classes')
        report = compute_class_report(labels, scores, self.topk,
                                      self.zero_division, names)
        self.last_report = report
        if self.out_dir is not None:
            paths = report.write(self.out_dir, self.file_stem)
            print_log(
                f'{name}: per-class report written to {paths[0]}',
                logger='current')
        if self.log_per_class:
            print_log(
                f'{name} per class (%):\n{report.format_table()}',
                logger='current')
        return dict(report.summary)
