"""Baselines outside MMEngine: seed 000's hand-crafted skeleton features and
scikit-learn classifiers (the sequence backbones are in ``models/``)."""
from .features import (FEATURE_SETS, FeatureError, batch_features,
                       feature_dim, sequence_features)
from .skeletons import PARENTS, joint_pairs, layout_for, parents

__all__ = [
    'FEATURE_SETS', 'FeatureError', 'batch_features', 'feature_dim',
    'sequence_features', 'PARENTS', 'joint_pairs', 'layout_for', 'parents'
]
