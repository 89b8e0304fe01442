from .class_report import ClassReport, compute_class_report
from .class_report_metric import ClassReportMetric
from .sample_fields import (PredictionError, read_gt_label, read_pred_score,
                            stack_predictions)
from .sample_outcome_metric import SampleOutcomeMetric, top1_class

__all__ = [
    'ClassReport', 'compute_class_report', 'ClassReportMetric',
    'PredictionError', 'read_gt_label', 'read_pred_score', 'stack_predictions',
    'SampleOutcomeMetric', 'top1_class'
]
