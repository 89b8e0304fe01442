from . import samplers, transforms  # noqa: F401
from .babel_dataset import BABELDataset
from .bast_dataset import BASTDataset, cut_clips
from .bast_format import (BASTFormatError, Segment, read_annotation_table,
                          read_label_file, read_pose_file,
                          write_annotation_table, write_label_file,
                          write_pose_file)
from .checked_pose_dataset import CheckedPoseDataset
from .class_statistics import (class_counts, effective_number_weights,
                               get_labels, inverse_frequency_weights)
from .validation import (PoseAnnotationError, check_pose_sample,
                         check_pose_samples, load_pose_pickle, select_split)
from .video_checks import VideoDecodeError

__all__ = [
    'BASTDataset', 'cut_clips', 'BASTFormatError', 'Segment',
    'read_annotation_table', 'read_label_file', 'read_pose_file',
    'write_annotation_table', 'write_label_file', 'write_pose_file',
    'class_counts', 'effective_number_weights', 'get_labels',
    'inverse_frequency_weights', 'BABELDataset', 'CheckedPoseDataset',
    'PoseAnnotationError', 'check_pose_sample', 'check_pose_samples',
    'load_pose_pickle', 'select_split', 'VideoDecodeError'
]
