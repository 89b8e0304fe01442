from . import samplers, transforms  # noqa: F401
from .babel_dataset import BABELDataset
from .checked_pose_dataset import CheckedPoseDataset
from .class_statistics import (class_counts, effective_number_weights,
                               get_labels, inverse_frequency_weights)
from .synthetic import SyntheticSkeletonConfig, SyntheticSkeletonGenerator
from .validation import (PoseAnnotationError, check_pose_sample,
                         check_pose_samples, load_pose_pickle, select_split)

__all__ = [
    'class_counts', 'effective_number_weights', 'get_labels',
    'inverse_frequency_weights', 'BABELDataset', 'CheckedPoseDataset',
    'SyntheticSkeletonConfig', 'SyntheticSkeletonGenerator',
    'PoseAnnotationError', 'check_pose_sample', 'check_pose_samples',
    'load_pose_pickle', 'select_split'
]
