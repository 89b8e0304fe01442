from .channels_last_preprocessor import ChannelsLastDataPreprocessor
from .pose_target_preprocessor import (COCO17_SKELETONS,
                                       PoseTargetDataPreprocessor)

__all__ = [
    'ChannelsLastDataPreprocessor', 'PoseTargetDataPreprocessor',
    'COCO17_SKELETONS'
]
