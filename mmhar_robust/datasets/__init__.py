from . import transforms  # noqa: F401
from .checked_pose_dataset import CheckedPoseDataset
from .synthetic import SyntheticSkeletonConfig, SyntheticSkeletonGenerator
from .validation import (PoseAnnotationError, check_pose_sample,
                         check_pose_samples, load_pose_pickle, select_split)

__all__ = [
    'CheckedPoseDataset', 'SyntheticSkeletonConfig',
    'SyntheticSkeletonGenerator', 'PoseAnnotationError', 'check_pose_sample',
    'check_pose_samples', 'load_pose_pickle', 'select_split'
]
