"""Let ``import mmaction.models`` succeed on the mmaction2 1.2.0 wheel.

The 1.2.0 wheel on PyPI ships ``mmaction/models/localizers/__init__.py`` with
``from .drn.drn import DRN`` but without the ``drn`` sub-package (upstream issue
open-mmlab/mmaction2#2714; the fix, #2721, is unmerged). Every import of
``mmaction.models`` then fails, so no recognizer can be built.

The workaround registers, before ``mmaction.models`` is imported, a stand-in
module ``mmaction.models.localizers.drn.drn`` whose ``DRN`` raises a clear
``ImportError`` when someone actually builds DRN. It applies only when that
``__init__`` imports ``drn`` and the sub-package is missing; on mmaction2 1.1.0
or a source install it does nothing.
"""
import importlib.util
import os.path as osp
import sys
import types
from typing import Optional

_DRN_PACKAGE = 'mmaction.models.localizers.drn'
_MESSAGE = ('DRN is missing from this mmaction2 installation (the 1.2.0 wheel '
            'lacks mmaction/models/localizers/drn, upstream issue 2714). '
            'Install mmaction2 from source to use DRN.')


class MissingDRN:
    """Stand-in for mmaction2's ``DRN`` localizer when the wheel lacks it."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(_MESSAGE)


def _localizers_dir() -> Optional[str]:
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = osp.join(spec.submodule_search_locations[0], 'models',
                      'localizers')
    return folder if osp.isdir(folder) else None


def drn_is_missing() -> bool:
    """Whether mmaction's localizers import a ``drn`` package that is absent."""
    folder = _localizers_dir()
    if folder is None:
        return False
    init = osp.join(folder, '__init__.py')
    with open(init, encoding='utf-8') as f:
        imports_drn = 'from .drn' in f.read()
    return imports_drn and not osp.isdir(osp.join(folder, 'drn'))


def patch_missing_drn() -> bool:
    """Install the stand-in ``drn`` modules if the wheel lacks them.

    Returns:
        bool: True if the stand-in was installed by this call.
    """
    if _DRN_PACKAGE in sys.modules or not drn_is_missing():
        return False
    package = types.ModuleType(_DRN_PACKAGE)
    package.__path__ = []  # a package, so that ``.drn.drn`` resolves
    module = types.ModuleType(_DRN_PACKAGE + '.drn')
    module.DRN = MissingDRN
    package.drn = module
    sys.modules[_DRN_PACKAGE] = package
    sys.modules[_DRN_PACKAGE + '.drn'] = module
    return True


def drn_patched() -> bool:
    """Whether the stand-in ``drn`` modules are installed."""
    module = sys.modules.get(_DRN_PACKAGE + '.drn')
    return module is not None and getattr(module, 'DRN', None) is MissingDRN
