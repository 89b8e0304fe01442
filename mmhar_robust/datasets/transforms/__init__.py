from .background import (COCO17_EDGES, RecordPoseShape, StripBackground,
                         person_mask, valid_joints)
from .clip_augment import ClipAugment
from .clip_window import ClipWindow
from .corruptions import (CORRUPTION_GROUPS, CORRUPTIONS, check_level,
                          expand_corruptions, get_corruption)
from .fast_pose_target import FastGeneratePoseTarget, keypoint_heatmaps
from .for_each_view import ForEachView
from .format_skeleton_volume import FormatSkeletonVolume
from .keypoint_noise import KeypointNoise
from .mark_labeled import MarkLabeled
from .merge_heatmaps import MergeHeatmaps
from .motionbert_augment import (MotionBERTCropScale, MotionBERTFormatInput,
                                 MotionBERTRandomMove)
from .motionbert_frames import MotionBERTPersons, MotionBERTResample
from .motionbert_keypoints import COCOToH36M, MotionBERTNormalize
from .pack_pose_inputs import PackPoseInputs
from .skeleton_normalization import (AlignSkeleton, CenterSkeleton,
                                     PadNullFrames)
from .temporal_crop_resize import TemporalCropResize
from .temporal_mitigation import InterpolateMissing, TemporalMedianFilter

__all__ = [
    'StripBackground', 'RecordPoseShape', 'person_mask', 'valid_joints',
    'COCO17_EDGES', 'ClipWindow', 'PadNullFrames', 'CenterSkeleton',
    'AlignSkeleton', 'KeypointNoise', 'ForEachView', 'FormatSkeletonVolume',
    'MergeHeatmaps', 'ClipAugment',
    'MarkLabeled', 'PackPoseInputs', 'FastGeneratePoseTarget',
    'keypoint_heatmaps',
    'CORRUPTIONS', 'CORRUPTION_GROUPS', 'get_corruption', 'expand_corruptions',
    'check_level', 'MotionBERTNormalize', 'COCOToH36M', 'MotionBERTPersons',
    'MotionBERTResample', 'MotionBERTRandomMove', 'MotionBERTCropScale',
    'MotionBERTFormatInput', 'TemporalCropResize', 'InterpolateMissing',
    'TemporalMedianFilter'
]
