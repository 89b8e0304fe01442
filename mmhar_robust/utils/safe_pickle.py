"""Load data pickles without letting them run code.

A pickle names the functions that rebuild its objects, and ``pickle.load``
imports and calls whatever it names: ``os.system``, ``builtins.eval``,
``subprocess.Popen``. Pose annotations (mmaction2's format, BAST pose files,
BABEL label files) need none of that: they hold dicts, lists, strings, numbers
and numpy arrays. :class:`RestrictedUnpickler` admits exactly those and
refuses every other global before it is imported, naming the file and the
global.

Trusted files with custom objects can still be read with ``safe=False`` (the
datasets' ``safe_load=False``), which is plain ``pickle.load``.
"""
import _compat_pickle
import importlib
import pickle
from typing import IO, Any, FrozenSet, Tuple

import numpy as np

# Python's plain types, as protocols 2-5 name them (protocol 2 writes bytes as
# ``_codecs.encode(text, 'latin1')``).
_PLAIN_GLOBALS: FrozenSet[Tuple[str, str]] = frozenset(
    ('builtins', name)
    for name in ('bool', 'bytearray', 'bytes', 'complex', 'dict', 'float',
                 'frozenset', 'int', 'list', 'range', 'set', 'slice', 'str',
                 'tuple'))
_PLAIN_GLOBALS |= {('_codecs', 'encode'), ('collections', 'OrderedDict'),
                   ('collections', 'defaultdict')}
# numpy 1.x pickles name numpy.core, numpy 2.x numpy._core; 1.26 reads both.
_NUMPY_GLOBALS: FrozenSet[Tuple[str, str]] = frozenset(
    (f'numpy.{core}.{module}', name) for core in ('core', '_core')
    for module, name in (('multiarray', '_reconstruct'),
                         ('multiarray', 'scalar'), ('numeric', '_frombuffer')))


class UnsafePickleError(pickle.UnpicklingError, ValueError):
    """A pickle names a global the restricted unpickler does not admit.

    Args:
        source (str): The file.
        global_name (str): The refused global, ``module.name``.
    """

    def __init__(self, source: str, global_name: str) -> None:
        self.source, self.global_name = source, global_name
        super().__init__(
            f'{source}: refused to unpickle the global {global_name!r}. Data '
            'pickles are read with a restricted unpickler that admits only '
            'numpy arrays, dtypes and plain Python types, because any other '
            'global can run code when loaded. If you trust this file, load '
            'it with safe_load=False (see docs/reliability.md).')


def _is_numpy_type(obj: Any) -> bool:
    """``ndarray`` itself, dtype classes and scalar types.

    Subclasses of ``ndarray`` are not admitted: ``numpy.memmap(path,
    mode='w+')`` would create or truncate any file.
    """
    if not isinstance(obj, type):
        return False
    return obj is np.ndarray or issubclass(obj, (np.dtype, np.generic))


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that admits only numpy arrays, dtypes and plain types.

    Args:
        file (IO[bytes]): The open pickle.
        source (str): The file's name, for messages.
    """

    def __init__(self, file: IO[bytes], source: str) -> None:
        super().__init__(file)
        self.source = source

    def find_class(self, module: str, name: str) -> Any:
        """Resolve an admitted global; refuse any other before importing."""
        # Protocol 2 names Python 2's globals (``__builtin__.xrange``); map
        # them as the stock unpickler does, then check the Python 3 name.
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        else:
            module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        key = (module, name)
        if key in _PLAIN_GLOBALS or key in _NUMPY_GLOBALS:
            return getattr(importlib.import_module(module), name)
        if module in ('numpy', 'numpy.dtypes') and '.' not in name:
            obj = getattr(importlib.import_module(module), name, None)
            if _is_numpy_type(obj):
                return obj
        raise UnsafePickleError(self.source, f'{module}.{name}')


def load_pickle(path: str, safe: bool = True) -> Any:
    """Load a pickle file, by default with :class:`RestrictedUnpickler`.

    Args:
        path (str): The file.
        safe (bool): Admit only numpy arrays, dtypes and plain Python types.
            False is plain ``pickle.load``, for trusted files with custom
            objects. Defaults to True.

    Raises:
        UnsafePickleError: naming the file and the refused global.
    """
    with open(path, 'rb') as f:
        if not safe:
            return pickle.load(f)
        return RestrictedUnpickler(f, path).load()
