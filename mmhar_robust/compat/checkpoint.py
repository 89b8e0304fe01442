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

:func:`load_checkpoint_file` passes ``weights_only=True`` explicitly (torch's
default can be switched off by an environment variable, and
``torch.hub.load_state_dict_from_url`` defaults to False) and turns torch's
bare ``EOFError`` / zip errors into a message that names the file and says it
is damaged. :func:`register_checkpoint_loader` makes it MMEngine's loader of
local files and http(s) URLs, so ``load_from``, ``resume`` and
``load_checkpoint`` all go through it.
"""
import importlib
import os
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, Callable, List, Optional, Tuple, Union
from urllib.parse import urlparse

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


class CheckpointError(ValueError):
    """A checkpoint cannot be loaded; the message names the file."""


class DamagedCheckpointError(CheckpointError):
    """A checkpoint file is empty, truncated or corrupt."""


class UnsafeCheckpointError(CheckpointError, pickle.UnpicklingError):
    """A checkpoint holds a global outside the ``weights_only`` allow-list.

    Args:
        filename (str): The checkpoint.
        global_name (str): The refused global (``module.name``), or ``''``
            when torch's message does not name one.
        reason (str): torch's message.
    """

    def __init__(self, filename: str, global_name: str, reason: str) -> None:
        self.filename, self.global_name = filename, global_name
        what = f'the global {global_name!r}' if global_name else 'an object'
        said = [line for line in reason.splitlines() if 'GLOBAL' in line]
        super().__init__(
            f'checkpoint {filename} was refused: it holds {what} outside '
            'the weights-only allow-list, and unpickling it could run code. '
            'If you trust the file, allow-list the type with '
            'torch.serialization.add_safe_globals (see docs/reliability.md).' +
            (f' torch said: {said[0].strip()}' if said else ''))


# torch.save's zip-less format (before torch 1.6) opens with this pickle.
_LEGACY_MAGIC = b'\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.'


def _damage(filename: str, error: BaseException) -> Optional[str]:
    """Why a checkpoint that failed to load is not a whole file, or None
    when its container is intact (the failure lies elsewhere)."""
    size = osp.getsize(filename)
    if size == 0:
        return 'the file is empty (0 bytes)'
    if zipfile.is_zipfile(filename):
        try:
            with zipfile.ZipFile(filename) as archive:
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
            return f'its zip archive cannot be read ({err})'
        return None if bad is None else (
            f'member {bad} of its zip archive fails its CRC check')
    with open(filename, 'rb') as f:
        head = f.read(len(_LEGACY_MAGIC))
    if head == _LEGACY_MAGIC:  # no checksums: judge by the error
        if isinstance(error, (EOFError, pickle.UnpicklingError)):
            return f'the file ends early or is corrupt ({size} bytes)'
        return None
    return (f'it is not a whole zip archive ({size} bytes): an interrupted '
            'save or copy, or not a checkpoint at all')


def _first_sentence(error: BaseException) -> str:
    text = re.split(r'(?<=\.)\s', str(error).strip(), maxsplit=1)[0]
    name = type(error).__name__
    return f'{name}: {text}' if text else name


def _refused_global(error: BaseException) -> Optional[str]:
    """The global a ``weights_only`` refusal names ('' if none), or None
    when ``error`` is no such refusal."""
    text = str(error)
    if not (isinstance(error, pickle.UnpicklingError)
            and 'Weights only load failed' in text):
        return None
    found = re.search(r'GLOBAL ([\w.]+)', text)
    return found.group(1) if found else ''


def load_checkpoint_file(filename: str,
                         map_location: Any = None,
                         source: Optional[str] = None) -> Any:
    """``torch.load(filename, weights_only=True)`` with clear errors.

    Args:
        filename (str): A local checkpoint file (``~`` is expanded).
        map_location (Any): As for ``torch.load``. Defaults to None.
        source (str, optional): What the file was downloaded from, named in
            messages. Defaults to None.

    Raises:
        FileNotFoundError: if there is no such file.
        DamagedCheckpointError: if it is empty, truncated or corrupt.
        UnsafeCheckpointError: if it holds a global outside the allow-list.
        CheckpointError: naming the file, for any other failure.
    """
    filename = osp.expanduser(filename)
    name = filename if source is None else f'{filename} (from {source})'
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {name}')
    register_checkpoint_safe_globals()
    try:
        return torch.load(
            filename, map_location=map_location, weights_only=True)
    except Exception as err:
        damage = _damage(filename, err)
        if damage is not None:
            raise DamagedCheckpointError(
                f'checkpoint {name} is damaged: {damage}. Save, copy or '
                'download it again, or resume from an earlier checkpoint '
                f'(torch said {_first_sentence(err)})') from err
        refused = _refused_global(err)
        if refused is not None:
            raise UnsafeCheckpointError(name, refused, str(err)) from err
        raise CheckpointError(f'cannot load checkpoint {name}: '
                              f'{type(err).__name__}: {err}') from err


def adapt_foreign_checkpoint(checkpoint: Any, source: str) -> Any:
    """A released checkpoint of another codebase (MotionBERT's) as an
    MMEngine checkpoint, so ``load_from`` takes the file; any other
    checkpoint unchanged."""
    # Imported here: compat is applied before mmaction's models exist.
    from ..models.utils.motionbert_checkpoint import \
        adapt_motionbert_checkpoint
    return adapt_motionbert_checkpoint(checkpoint, source)


def load_from_local_weights_only(filename: str,
                                 map_location: Any = None) -> Any:
    """MMEngine's loader of local paths (named so MMEngine's log line says
    ``local_weights_only backend``)."""
    return adapt_foreign_checkpoint(
        load_checkpoint_file(filename, map_location), filename)


def load_from_http_weights_only(url: str, map_location: Any = None) -> Any:
    """MMEngine's http(s) loader, downloading once per node, loading with
    :func:`load_checkpoint_file`."""
    from mmengine.dist import get_dist_info
    from torch.hub import download_url_to_file, get_dir
    rank, world_size = get_dist_info()
    cached = osp.join(get_dir(), 'checkpoints',
                      osp.basename(urlparse(url).path))

    def fetch() -> None:
        if not osp.isfile(cached):  # the download writes a temp, renames
            os.makedirs(osp.dirname(cached), exist_ok=True)
            download_url_to_file(url, cached)

    if rank == 0:
        fetch()
    if world_size > 1:
        torch.distributed.barrier()
        fetch()  # ranks of other nodes
    return adapt_foreign_checkpoint(
        load_checkpoint_file(cached, map_location, source=url), url)


_loader_registered = False


def register_checkpoint_loader() -> bool:
    """Make :func:`load_checkpoint_file` MMEngine's checkpoint loader for
    local paths and http(s) URLs (``load_from``, ``resume``,
    ``load_checkpoint``).

    Returns:
        bool: True if registered by this call, False if done before.
    """
    global _loader_registered
    if _loader_registered:
        return False
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_weights_only, force=True)
    CheckpointLoader.register_scheme(
        prefixes=['http://', 'https://'],
        loader=load_from_http_weights_only,
        force=True)
    _loader_registered = True
    return True
