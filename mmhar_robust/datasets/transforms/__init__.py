from .corruptions import (CORRUPTION_GROUPS, CORRUPTIONS, check_level,
                          expand_corruptions, get_corruption)
from .for_each_view import ForEachView
from .keypoint_noise import KeypointNoise, sample_rng

__all__ = [
    'KeypointNoise', 'ForEachView', 'sample_rng', 'CORRUPTIONS',
    'CORRUPTION_GROUPS', 'get_corruption', 'expand_corruptions', 'check_level'
]
