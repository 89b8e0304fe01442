from .robustness_curves import plot_robustness_curves

__all__ = ['plot_robustness_curves']
