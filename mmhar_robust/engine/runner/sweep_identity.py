"""What decides a sweep's rows, written to its result file's header: the
test data (digests of the annotation files), the resolved configs of the
test dataset, the model and the evaluator (readable, with a canonical
digest), the corruption code and the package version. A rerun reuses rows
only when all of it is the same, and otherwise says what changed."""
import hashlib
import json
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

from ...version import __version__

# Header format of the result files; files without one are from before the
# header named everything above, and are refused.
FORMAT = 2
# Dataset attributes that name its annotation files (mmengine's ann_file;
# BABELDataset's data_file and label_map_file; BASTDataset's label_file).
ANNOTATION_ATTRS = ('ann_file', 'data_file', 'label_file', 'label_map_file')
# The package root: code files are named relative to it.
PACKAGE_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def file_digest(path: str) -> str:
    """SHA-256 of a file (a checkpoint, an annotation file, a source)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def plain(value: Any) -> Any:
    """``value`` as JSON holds it, the same in every process and run: dicts
    (a config's ``ConfigDict`` included) and sequences recursively, numpy
    values as numbers or lists, classes and functions by their qualified
    name, other objects by their type alone (their ``repr`` may hold a
    memory address)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, 'tolist'):  # numpy arrays and scalars
        return value.tolist()
    if isinstance(value,
                  type) or callable(value) and hasattr(value, '__qualname__'):
        return f'{value.__module__}.{value.__qualname__}'
    kind = type(value)
    return f'<{kind.__module__}.{kind.__qualname__} object>'


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces: one text per value."""
    return json.dumps(plain(value), sort_keys=True, separators=(',', ':'))


def config_digest(value: Any) -> str:
    """SHA-256 of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def _datasets(dataset) -> List:
    """The dataset and those it wraps (mmengine's Concat/Repeat/
    ClassBalanced datasets)."""
    found = [dataset]
    for inner in getattr(dataset, 'datasets', None) or []:
        found += _datasets(inner)
    inner = getattr(dataset, 'dataset', None)
    if inner is not None and inner is not dataset:
        found += _datasets(inner)
    return found


def annotation_digests(dataset) -> Dict[str, str]:
    """SHA-256 of every annotation file of a test dataset (and of the
    datasets it wraps), keyed by the path the dataset reads.

    The files are those named by :data:`ANNOTATION_ATTRS`; per-sample files
    (``data_prefix`` skeleton pickles, BAST's ``poses/``, videos) are not
    read: their names and labels are in the test-set digest of each record.
    """
    digests = {}
    for part in _datasets(dataset):
        for attr in ANNOTATION_ATTRS:
            path = getattr(part, attr, None)
            if isinstance(path, str) and osp.isfile(path):
                digests[path] = file_digest(path)
    return digests


def code_digests(files: Sequence[str],
                 root: str = PACKAGE_ROOT) -> Dict[str, str]:
    """SHA-256 of source files, keyed by their path relative to ``root``
    (a folder stands for the ``.py`` files in it)."""
    paths = []
    for name in files:
        path = osp.join(root, name)
        if osp.isdir(path):
            paths += sorted(
                osp.join(name, f) for f in os.listdir(path)
                if f.endswith('.py'))
        else:
            paths.append(name)
    return {p: file_digest(osp.join(root, p)) for p in paths}


def sweep_header(model: str,
                 checkpoint: str,
                 dataset,
                 configs: Dict[str, Any],
                 code_files: Sequence[str] = (),
                 fp16: bool = False,
                 settings: Optional[Dict] = None) -> Dict:
    """The header of a sweep's result file: everything its records depend
    on.

    Args:
        model (str): The model's name in the results.
        checkpoint (str): Its weights (path and SHA-256 are written).
        dataset: The built test dataset (for its annotation files).
        configs (dict): Name -> config (``test_dataset``, ``model_config``,
            ``evaluator``): each written readable and as ``<name>_sha256``.
        code_files (Sequence[str]): Sources of the corruption
            (:func:`code_digests`). Defaults to ().
        fp16 (bool): Whether the test runs in fp16. Defaults to False.
        settings (dict, optional): The sweep's own settings (noise scale,
            seed, background mask ...). Defaults to None.
    """
    header = dict(
        model=model,
        checkpoint=osp.abspath(checkpoint),
        checkpoint_sha256=file_digest(checkpoint),
        mmhar_robust=__version__,
        code=code_digests(code_files),
        annotations=annotation_digests(dataset),
        fp16=bool(fp16),
        **(settings or {}))
    for key, value in configs.items():
        header[key] = plain(value)
        header[f'{key}_sha256'] = config_digest(value)
    return header


def _short(value: Any, width: int = 70) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[:width - 3] + '...'


def _flat(value: Any, prefix: str) -> Dict[str, Any]:
    """Dotted paths of a nested value's leaves."""
    if isinstance(value, dict) and value:
        out = {}
        for key, inner in value.items():
            out.update(_flat(inner, f'{prefix}.{key}'))
        return out
    if isinstance(value, list) and value and any(
            isinstance(v, (dict, list)) for v in value):
        out = {}
        for index, inner in enumerate(value):
            out.update(_flat(inner, f'{prefix}[{index}]'))
        return out
    return {prefix: value}


def _file_changes(what: str, old: Dict, new: Dict) -> List[str]:
    old, new = old or {}, new or {}
    changes = []
    for path in sorted(set(old) | set(new)):
        if path not in new:
            changes.append(f'{what} {path} no longer read')
        elif path not in old:
            changes.append(f'{what} {path} now read')
        elif old[path] != new[path]:
            changes.append(f'{what} {path} changed (sha256 {old[path][:12]}'
                           f'... -> {new[path][:12]}...)')
    return changes


def header_changes(old: Dict,
                   new: Dict,
                   ignore: Sequence[str] = (),
                   limit: int = 8) -> List[str]:
    """What differs between two headers, in words.

    Args:
        old (dict): The header in the file.
        new (dict): The header of this run.
        ignore (Sequence[str]): Fields that do not decide a row.
        limit (int): At most this many config differences per field.

    Returns:
        list[str]: One line per change; empty when the rows can be reused.
    """
    changes: List[str] = []
    for key in sorted(set(old) | set(new)):
        if key in ignore or old.get(key) == new.get(key):
            continue
        readable = key[:-len('_sha256')]
        if (key.endswith('_sha256') and readable not in ignore
                and old.get(readable) != new.get(readable)):
            continue  # its readable form says what changed
        if key == 'annotations':
            changes += _file_changes('annotation file', old.get(key),
                                     new.get(key))
        elif key == 'code':
            changes += _file_changes('corruption code', old.get(key),
                                     new.get(key))
        elif isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            before, after = _flat(old[key], key), _flat(new[key], key)
            diff = [
                f'{path}: {_short(before.get(path))} -> '
                f'{_short(after.get(path))}'
                for path in sorted(set(before) | set(after))
                if before.get(path) != after.get(path)
            ]
            more = len(diff) - limit
            changes += diff[:limit] + ([f'... and {more} more in {key}']
                                       if more > 0 else [])
        else:
            changes.append(f'{key}: {_short(old.get(key))} -> '
                           f'{_short(new.get(key))}')
    return changes
