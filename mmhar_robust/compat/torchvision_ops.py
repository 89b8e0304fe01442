"""Make ``import torchvision`` work when its compiled extension cannot load.

The registry's torchvision 0.28.0 is a CUDA build; next to the CPU build of torch
its ``_C`` extension fails to load, and ``torchvision`` then dies at import with
``RuntimeError: operator torchvision::nms does not exist`` because its Python
code registers fake kernels for ops that were never defined. That breaks
``pytorch_grad_cam`` and MMEngine's ``Runner`` (its environment report imports
torchvision).

The fix: when, and only when, the extension cannot be loaded, define the schemas
of the two ops that torchvision's import needs (``nms`` and ``qnms``) with
:mod:`torch.library`. torchvision then imports; everything that does not call
those two compiled kernels works, and calling them raises torch's own
"no kernel registered" error instead of breaking every import.
"""
import importlib.util
import os.path as osp
import sys
from typing import Optional

import torch

_OP_SCHEMAS = {
    'nms': 'nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor',
    'qnms':
    'qnms(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor',
}
# A torch.library.Library drops its definitions when garbage-collected, so the
# one that holds our schemas lives as long as the process.
_LIBRARY: Optional[torch.library.Library] = None


def _extension_path() -> Optional[str]:
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for name in ('_C.so', '_C.pyd'):
            if osp.exists(osp.join(folder, name)):
                return osp.join(folder, name)
    return None


def _op_defined(name: str) -> bool:
    try:
        getattr(torch.ops.torchvision, name)
    except (AttributeError, RuntimeError):
        return False
    return True


def torchvision_extension_loads() -> bool:
    """Whether torchvision's compiled extension loads next to this torch.

    Returns:
        bool: True if the extension is already loaded or loads now, False if it
        is missing or fails to load (e.g. a CUDA build beside a CPU torch).
    """
    if _LIBRARY is not None:  # the op exists because we defined its schema
        return False
    if _op_defined('nms'):
        return True
    path = _extension_path()
    if path is None:
        return False
    try:
        torch.ops.load_library(path)
    except (OSError, RuntimeError):
        return False
    return _op_defined('nms')


def patch_torchvision_ops() -> bool:
    """Define ``torchvision::nms``/``qnms`` if torchvision's extension fails.

    Must run before anything imports torchvision. Does nothing when torchvision is
    not installed, already imported, or its extension loads.

    Returns:
        bool: True if the schemas were defined by this call.
    """
    global _LIBRARY
    if _LIBRARY is not None or 'torchvision' in sys.modules:
        return False
    if importlib.util.find_spec('torchvision') is None:
        return False
    if torchvision_extension_loads():
        return False
    library = torch.library.Library('torchvision', 'DEF')
    for name, schema in _OP_SCHEMAS.items():
        if not _op_defined(name):
            library.define(schema)
    _LIBRARY = library
    return True


def torchvision_ops_patched() -> bool:
    """Whether :func:`patch_torchvision_ops` defined the op schemas."""
    return _LIBRARY is not None
