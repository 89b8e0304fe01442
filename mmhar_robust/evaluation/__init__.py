from .robustness import (add_relative_robustness, area_under_curve,
                         corruption_error, format_table, relative_robustness,
                         summarize)

__all__ = [
    'area_under_curve', 'relative_robustness', 'corruption_error',
    'add_relative_robustness', 'summarize', 'format_table'
]
