from .domain_report import (DomainRow, class_names_or_indices, domain_table,
                            to_csv_rows, to_markdown)
from .metrics import (ClassReport, ClassReportMetric, PredictionError,
                      SampleOutcomeMetric, compute_class_report)
from .paired_stats import (as_outcomes, bootstrap_ci, discordant_pairs,
                           mcnemar_exact, paired_bootstrap_diff)
from .robustness import (add_relative_robustness, area_under_curve,
                         corruption_error, format_table, relative_robustness,
                         summarize)

__all__ = [
    'DomainRow', 'class_names_or_indices', 'domain_table', 'to_csv_rows',
    'to_markdown', 'ClassReport', 'ClassReportMetric', 'PredictionError',
    'compute_class_report', 'area_under_curve', 'relative_robustness',
    'corruption_error', 'add_relative_robustness', 'summarize', 'format_table',
    'SampleOutcomeMetric', 'as_outcomes', 'bootstrap_ci', 'discordant_pairs',
    'mcnemar_exact', 'paired_bootstrap_diff'
]
