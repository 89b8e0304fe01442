from .noise_sweep_loop import (DEFAULT_LEVELS, NoiseSweepTestLoop,
                               find_or_insert_noise)
from .sweep_records import (StaleResultsError, SweepRecords, file_digest,
                            read_sweep_file)

__all__ = [
    'NoiseSweepTestLoop', 'SweepRecords', 'DEFAULT_LEVELS', 'file_digest',
    'find_or_insert_noise'
]
from .background_sweep_loop import (BACKGROUND_FILLS, BackgroundSweepTestLoop,
                                    check_fills, strip_position)
from .sweep_loop import SweepTestLoop
from .skeleton_c_loop import SkeletonCTestLoop

__all__ += [
    'BackgroundSweepTestLoop', 'BACKGROUND_FILLS', 'check_fills',
    'strip_position', 'SweepTestLoop', 'read_sweep_file', 'StaleResultsError',
    'SkeletonCTestLoop'
]
