"""Data samplers for imbalanced training data."""
from .class_balanced_sampler import ClassBalancedSampler
from .class_subset_sampler import ClassSubsetSampler

__all__ = ['ClassBalancedSampler', 'ClassSubsetSampler']
