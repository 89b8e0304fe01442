"""Data samplers for imbalanced training data."""
from .class_balanced_sampler import ClassBalancedSampler

__all__ = ['ClassBalancedSampler']
