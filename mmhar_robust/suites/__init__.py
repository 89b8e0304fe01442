"""Versioned benchmark definitions (Skeleton-C, docs/skeleton_c.md)."""
from .suite import (DEFAULT_VERSION, KNOWN_VERSIONS, Suite, SuiteCorruption,
                    load_suite)

__all__ = [
    'DEFAULT_VERSION', 'KNOWN_VERSIONS', 'Suite', 'SuiteCorruption',
    'load_suite'
]
