from .noise_sweep_loop import (DEFAULT_LEVELS, NoiseSweepTestLoop,
                               SweepRecords, file_digest, find_or_insert_noise)

__all__ = [
    'NoiseSweepTestLoop', 'SweepRecords', 'DEFAULT_LEVELS', 'file_digest',
    'find_or_insert_noise'
]
