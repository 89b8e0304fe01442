"""Apply every workaround the stack needs, once, in the order that matters."""
from typing import Dict

from .checkpoint import (register_checkpoint_loader,
                         register_checkpoint_safe_globals)
from .distributed import patch_cpu_distributed
from .mmaction_localizers import patch_missing_drn
from .torchvision_ops import patch_torchvision_ops

_applied: Dict[str, bool] = {}


def apply() -> Dict[str, bool]:
    """Apply the compatibility fixes; idempotent.

    ``import mmhar_robust`` calls this first: mmaction2's own tools import us
    through ``custom_imports`` before they build a Runner, so the fixes must
    be active by then. Each fix is a no-op where the stack is sound:

    - ``torchvision ops``: define ``torchvision::nms``/``qnms`` when
      torchvision's extension cannot load beside the CPU torch (before
      anything imports torchvision);
    - ``mmaction2 drn``: a stand-in for the ``localizers/drn`` package the
      mmaction2 1.2.0 wheel lacks (before ``mmaction.models`` is imported);
    - ``checkpoint globals`` and ``checkpoint loader``: MMEngine checkpoints
      load with ``weights_only=True`` (an allow-list, damaged files named);
    - ``cpu distributed``: ``--launcher pytorch`` on a machine without a GPU
      (gloo, no CUDA device, DDP without ``device_ids``), for mmaction2's
      tools as for ours.

    Returns:
        dict: For each fix, whether it changed anything (the first call's
        answer; :func:`mmhar_robust.print_environment` lists them).
    """
    if not _applied:
        _applied['torchvision ops'] = bool(patch_torchvision_ops())
        _applied['mmaction2 drn'] = bool(patch_missing_drn())
        _applied['checkpoint globals'] = bool(
            register_checkpoint_safe_globals())
        _applied['checkpoint loader'] = bool(register_checkpoint_loader())
        _applied['cpu distributed'] = bool(patch_cpu_distributed())
    return dict(_applied)
