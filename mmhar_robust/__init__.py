"""mmhar_robust: robustness and explanation toolkit for MMAction2.

Importing this package applies the compatibility fixes the stack needs
(:func:`compat.apply`, first: torchvision must be fixed before anything imports
it, mmaction2 1.2.0's missing ``drn`` module before ``mmaction.models``), checks
the OpenMMLab versions and registers every component into mmaction2's
registries. Nothing else: no global warning filter, no plotting backend, no
scikit-learn, grad-cam or matplotlib import.
"""
# isort: off
import warnings

from . import compat

compat.apply()
from .utils import check_versions, collect_env, print_environment  # noqa: E402

check_versions()
with warnings.catch_warnings():
    # mmcv-lite has no compiled ops by design; its warning about one
    # transformer op (unused by any recognizer) would print on every run.
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    import mmaction.models  # noqa: E402,F401  (registers mmaction2's models)
from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__, version_info  # noqa: E402
# isort: on

__all__ = ['__version__', 'version_info', 'collect_env', 'print_environment']
