from .checkpoint_match import check_checkpoint_matches, load_state_dict
from .collect_env import collect_env, print_environment
from .safe_pickle import RestrictedUnpickler, UnsafePickleError, load_pickle
from .version_check import check_versions

__all__ = [
    'collect_env', 'print_environment', 'check_versions',
    'check_checkpoint_matches', 'load_state_dict', 'load_pickle',
    'RestrictedUnpickler', 'UnsafePickleError'
]
