from .class_report import ClassReport, compute_class_report
from .class_report_metric import ClassReportMetric
from .sample_fields import (PredictionError, read_gt_label, read_pred_score,
                            stack_predictions)

__all__ = [
    'ClassReport', 'compute_class_report', 'ClassReportMetric',
    'PredictionError', 'read_gt_label', 'read_pred_score', 'stack_predictions'
]
