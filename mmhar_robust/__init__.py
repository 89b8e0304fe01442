"""mmhar_robust: robustness and explanation toolkit for MMAction2.

Importing this package registers every component into mmaction2's registries.
The compatibility workarounds run first, because the order matters: torchvision
must be fixed before anything imports it, and mmaction2 1.2.0's missing ``drn``
module before anything imports ``mmaction.models``.
"""
# isort: off
import warnings

from .compat import (patch_missing_drn, patch_torchvision_ops,
                     register_checkpoint_loader,
                     register_checkpoint_safe_globals)

patch_torchvision_ops()
from .utils import check_versions, collect_env, print_environment  # noqa: E402

check_versions()
patch_missing_drn()
register_checkpoint_safe_globals()
register_checkpoint_loader()

# mmcv-lite has no compiled ops by design; its import-time warning about one
# transformer op (unused by any recognizer) would print on every run.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
import mmaction.models  # noqa: E402,F401  (registers mmaction2's own models)
from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__, version_info  # noqa: E402
# isort: on

__all__ = ['__version__', 'version_info', 'collect_env', 'print_environment']
