"""Load MMEngine checkpoints under torch's ``weights_only`` unpickler.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True`` and refuses any
global it does not know. Checkpoints written by MMEngine 0.10 hold a few
non-tensor objects: the message hub's :class:`HistoryBuffer` (whose pickled
state rebuilds its statistics methods with ``getattr(HistoryBuffer, 'mean')``)
and numpy arrays and scalars (``hook_msgs['best_score']``, buffers). Without
help, ``load_from`` and ``--resume`` fail with ``Unsupported global:
mmengine.logging.history_buffer.HistoryBuffer``.

Rather than turning the safety off, we allow-list exactly these globals. The
pickled ``builtins.getattr`` is mapped to :func:`history_buffer_getattr`, which
resolves only the statistics methods of :class:`HistoryBuffer`; a real
``getattr`` would let a malicious pickle walk to arbitrary objects.
"""
import importlib
from typing import Any, Callable, List, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

SafeGlobal = Union[Callable, Tuple[Callable, str]]
# The methods HistoryBuffer registers for itself in ``_set_default_statistics``.
_DEFAULT_STATISTICS = frozenset({'min', 'max', 'current', 'mean'})
_registered = False


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """A ``getattr`` that resolves only ``HistoryBuffer`` statistics methods.

    Args:
        obj (Any): The object the pickle asks an attribute of.
        name (str): The attribute name.

    Returns:
        Any: ``getattr(HistoryBuffer, name)`` for a statistics method.

    Raises:
        pickle.UnpicklingError: for any other object or attribute.
    """
    import pickle
    allowed = _DEFAULT_STATISTICS | set(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'checkpoint asks for getattr({obj!r}, {name!r}); only HistoryBuffer '
        f'statistics ({sorted(allowed)}) are allowed in weights-only loading')


def _numpy_globals() -> List[Callable]:
    # numpy 1.x pickles name numpy.core, numpy 2.x numpy._core.
    major = int(np.__version__.split('.')[0])
    multiarray = importlib.import_module('numpy._core.multiarray' if major >=
                                         2 else 'numpy.core.multiarray')
    found = [np.ndarray, np.dtype, multiarray._reconstruct, multiarray.scalar]
    # Pickled dtypes may name their concrete classes (numpy.dtypes.*DType).
    for code in '?bBhHiIlLqQefdgFDGUSO':
        found.append(type(np.dtype(code)))
    return found


def mmengine_checkpoint_globals() -> List[SafeGlobal]:
    """The globals an MMEngine checkpoint holds, for ``add_safe_globals``."""
    return [HistoryBuffer,
            (history_buffer_getattr, 'builtins.getattr')] + _numpy_globals()


def register_checkpoint_safe_globals() -> bool:
    """Allow-list MMEngine's checkpoint globals for ``weights_only`` loading.

    Returns:
        bool: True if registered by this call, False if done before or if this
        torch has no ``add_safe_globals`` (older torch loads them anyway).
    """
    global _registered
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if _registered or add is None:
        return False
    add(mmengine_checkpoint_globals())
    _registered = True
    return True
