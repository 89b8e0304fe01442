"""Registries that mmhar_robust registers its components into.

We follow the convention of mmaction2's ``projects/``: components are registered
straight into mmaction2's registries, so a config with ``default_scope =
'mmaction'`` finds mmaction2's types and ours side by side, and mmaction2's own
``tools/train.py`` runs our configs once ``custom_imports`` has imported
``mmhar_robust``. Every module of this package imports its registry from here,
so that this choice lives in one place.
"""
from mmaction.registry import (DATA_SAMPLERS, DATASETS, HOOKS, LOOPS,
                               METRICS, MODELS, TRANSFORMS)

__all__ = [
    'DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'LOOPS', 'METRICS', 'MODELS',
    'TRANSFORMS'
]
