"""Read and write BABEL's action-recognition release.

The release (``babel_feats_labels.tar.gz`` in the BABEL repository's
``action_recognition``) holds, per split and label set:

- ``{split}_ntu_sk_{C}.npy``: float array ``(N, 3, 150, 25, 1)``, NTU-25
  joints in metres, 5 s chunks at 30 fps, zero-padded past a chunk's end;
- ``{split}_label_{C}.pkl``: ``(seg_ids, (labels, sids, chunk_ns,
  anntr_ids))``, one entry per chunk, labels in ``[0, C)``;
- ``{split}_extra_ntu_sk_{C}.npy`` / ``{split}_extra_label_{C}.pkl``: the
  same for the dense and extra annotations;
- ``action_label_2_idx.json``: all 150 category names to their index; BABEL-C
  uses the categories whose index is below ``C``.
"""
import json
import os
import os.path as osp
import pickle
import re
from typing import Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from ..utils.safe_pickle import UnsafePickleError, load_pickle
from .validation import PoseAnnotationError

NUM_JOINTS = 25  # NTU RGB+D layout
LABEL_MAP_FILE = 'action_label_2_idx.json'


class BABELLabels(NamedTuple):
    """The parallel lists of a BABEL label file."""
    seg_ids: List[str]
    labels: np.ndarray
    sids: List
    chunk_ns: List
    anntr_ids: List


def data_file_for(label_file: str) -> str:
    """The skeleton array that belongs to a label file.

    ``train_label_60.pkl`` -> ``train_ntu_sk_60.npy`` (``extra`` kept).
    """
    folder, name = osp.split(label_file)
    new = re.sub(r'label_(\d+)\.pkl$', r'ntu_sk_\1.npy', name)
    if new == name:
        raise ValueError(
            f'{label_file}: not a BABEL label file name '
            '({split}[_extra]_label_{60,120}.pkl); pass data_file explicitly')
    return osp.join(folder, new)


def num_classes_for(label_file: str) -> int:
    """The label-set size in a BABEL file name (``..._label_120.pkl``)."""
    found = re.search(r'_(\d+)\.(pkl|npy)$', osp.basename(label_file))
    if found is None:
        raise ValueError(
            f'{label_file}: the file name does not give the number of '
            'classes; pass num_classes explicitly')
    return int(found.group(1))


def read_labels(path: str, num_classes: int, safe: bool = True) -> BABELLabels:
    """Read and check a ``{split}_label_{C}.pkl`` file.

    Args:
        path (str): The label file.
        num_classes (int): Labels must lie in ``[0, num_classes)``.
        safe (bool): Read it with the restricted unpickler (numpy arrays
            and plain Python types only, all the release's files hold);
            False runs ``pickle.load``. Defaults to True.

    Raises:
        FileNotFoundError: if the file does not exist.
        UnsafePickleError: if the pickle names a global the restricted
            unpickler refuses.
        PoseAnnotationError: on a wrong structure, lists of different
            lengths, or a label outside ``[0, num_classes)`` (the sample's
            segment id and position are named).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'BABEL label file not found: {path}')
    try:
        content = load_pickle(path, safe=safe)
    except UnsafePickleError:
        raise
    except Exception as err:
        raise PoseAnnotationError(
            path,
            f'cannot read the pickle ({type(err).__name__}: {err})') from err
    try:
        seg_ids, (labels, sids, chunk_ns, anntr_ids) = content
    except (TypeError, ValueError):
        raise PoseAnnotationError(
            path, 'expected (sample_names, (labels, sid, chunk_n, '
            f'anntr_id)), got {type(content).__name__}') from None
    if not len(seg_ids):
        raise PoseAnnotationError(path, 'holds no samples')
    fields = dict(
        labels=labels, sid=sids, chunk_n=chunk_ns, anntr_id=anntr_ids)
    for field, values in fields.items():
        if len(values) != len(seg_ids):
            raise PoseAnnotationError(
                path, f'has {len(values)} entries but there are '
                f'{len(seg_ids)} sample names',
                field=field)
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise PoseAnnotationError(
            path,
            f'labels must be integers, got dtype {labels.dtype}',
            field='labels')
    bad = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if bad.size:
        i = int(bad[0])
        raise PoseAnnotationError(
            path, f'label {int(labels[i])} is outside the BABEL-{num_classes}'
            f' label set [0, {num_classes}) ({bad.size} such samples)',
            sample=f'#{i} {seg_ids[i]}',
            field='labels')
    return BABELLabels(
        list(seg_ids), labels.astype(np.int64), list(sids), list(chunk_ns),
        list(anntr_ids))


def frame_dirs(babel: BABELLabels) -> List[str]:
    """Unique sample names ``<seg_id>_<chunk_n>_<label>``.

    A segment with k categories gives k samples of the same chunk, so the
    label is part of the name; a repeat still left gets ``#<row>``.
    """
    names, seen = [], set()
    for i, seg_id in enumerate(babel.seg_ids):
        name = f'{seg_id}_{babel.chunk_ns[i]}_{int(babel.labels[i])}'
        if name in seen:
            name = f'{name}#{i}'
        seen.add(name)
        names.append(name)
    return names


def open_skeletons(path: str,
                   num_samples: Optional[int] = None,
                   label_file: Optional[str] = None) -> np.ndarray:
    """Memory-map a ``{split}_ntu_sk_{C}.npy`` array and check its shape.

    Args:
        path (str): The ``.npy`` file.
        num_samples (int, optional): The number of samples the label file
            has; the array must have as many. Defaults to None.
        label_file (str, optional): The label file, for the message.
            Defaults to None.

    Returns:
        np.ndarray: A read-only memory map ``(N, 3, T, 25, M)``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'BABEL skeleton file not found: {path}')
    try:
        data = np.load(path, mmap_mode='r')
    except Exception as err:
        raise PoseAnnotationError(
            path,
            f'cannot read the array ({type(err).__name__}: {err})') from err
    if data.ndim != 5 or data.shape[1] != 3 or data.shape[3] != NUM_JOINTS:
        raise PoseAnnotationError(
            path, f'expected shape (N, 3, T, {NUM_JOINTS}, M), got '
            f'{data.shape}')
    if data.shape[2] < 1 or data.shape[4] < 1:
        axis = 'frames (T = 0)' if data.shape[2] < 1 else 'person (M = 0)'
        raise PoseAnnotationError(
            path, f'its samples hold no {axis}: shape {data.shape} as '
            '(N, 3, T, 25, M); regenerate the array',
            field='keypoint')
    if num_samples is not None and data.shape[0] != num_samples:
        raise PoseAnnotationError(
            path, f'holds {data.shape[0]} samples but the label file '
            f'{label_file} has {num_samples}')
    return data


def check_finite(skeletons: np.ndarray,
                 path: str,
                 names: Sequence[str],
                 chunk_size: int = 256) -> None:
    """Refuse an array holding NaN or inf, naming the first such sample.

    The array is read ``chunk_size`` samples at a time, so a memory map
    is scanned without loading it whole.

    Args:
        skeletons (np.ndarray): ``(N, 3, T, 25, M)``, as the release.
        path (str): The array's file, for the message.
        names (Sequence[str]): The samples' names, for the message.
        chunk_size (int): Samples read at once. Defaults to 256.

    Raises:
        PoseAnnotationError: naming the file, the first bad sample, the
            field ``'keypoint'``, how many samples hold such values and
            the first one as MMAction2's (person, frame, joint, coord).
    """
    first, count = None, 0
    for start in range(0, len(skeletons), chunk_size):
        bad = ~np.isfinite(skeletons[start:start + chunk_size])
        per_sample = bad.reshape(len(bad), -1).any(axis=1)
        if first is None and per_sample.any():
            n, c, t, v, m = np.argwhere(bad)[0].tolist()
            first = (start + n, (m, t, v, c))
        count += int(per_sample.sum())
    if first is not None:
        index, where = first
        raise PoseAnnotationError(
            path, f'holds NaN or infinite values in {count} of '
            f'{len(skeletons)} samples, first at (person, frame, joint, '
            f'coord) = {where}',
            sample=f'#{index} {names[index]}',
            field='keypoint')


def to_keypoint(chunk: np.ndarray) -> np.ndarray:
    """One release sample ``(3, T, V, M)`` as MMAction2's ``(M, T, V, 3)``
    float32 (float16 would quantise the smallest noise levels away)."""
    return np.ascontiguousarray(chunk.transpose(3, 1, 2, 0), dtype=np.float32)


def read_class_names(path: str, num_classes: int) -> List[str]:
    """The names of BABEL-``num_classes`` from ``action_label_2_idx.json``.

    Raises:
        PoseAnnotationError: if the map is not name -> index, or lacks an
            index below ``num_classes``.
    """
    try:
        with open(path) as f:
            mapping = json.load(f)
    except (OSError, ValueError) as err:
        raise PoseAnnotationError(path,
                                  f'cannot read the label map: {err}') from err
    if not isinstance(mapping, dict) or not all(
            isinstance(v, int) for v in mapping.values()):
        raise PoseAnnotationError(
            path, 'expected a JSON object mapping class name -> index')
    names: Dict[int, str] = {
        i: n
        for n, i in mapping.items() if i < num_classes
    }
    missing = sorted(set(range(num_classes)) - set(names))
    if missing:
        raise PoseAnnotationError(
            path, f'has no name for indices {missing[:10]} of BABEL-'
            f'{num_classes}')
    return [names[i] for i in range(num_classes)]


def write_release(folder: str,
                  split: str,
                  num_classes: int,
                  skeletons: np.ndarray,
                  seg_ids: Sequence[str],
                  labels: Sequence[int],
                  sids: Sequence,
                  chunk_ns: Sequence,
                  anntr_ids: Sequence,
                  extra: bool = False) -> Dict[str, str]:
    """Write one split in the release's exact format.

    Args:
        folder (str): Output folder.
        split (str): ``'train'`` or ``'val'``.
        num_classes (int): 60 or 120 (any size works).
        skeletons (np.ndarray): ``(N, 3, T, 25, M)``.
        seg_ids, labels, sids, chunk_ns, anntr_ids: The label lists.
        extra (bool): Write the ``_extra_`` variant. Defaults to False.

    Returns:
        dict: ``{'data_file': ..., 'label_file': ...}``.
    """
    os.makedirs(folder, exist_ok=True)
    tag = f'{split}_extra' if extra else split
    data_file = osp.join(folder, f'{tag}_ntu_sk_{num_classes}.npy')
    label_file = osp.join(folder, f'{tag}_label_{num_classes}.pkl')
    np.save(data_file, skeletons)
    with open(label_file, 'wb') as f:
        pickle.dump(
            (list(seg_ids),
             (list(labels), list(sids), list(chunk_ns), list(anntr_ids))), f)
    return dict(data_file=data_file, label_file=label_file)


def write_label_map(folder: str, names: Sequence[str]) -> str:
    """Write ``action_label_2_idx.json`` (name -> index)."""
    path = osp.join(folder, LABEL_MAP_FILE)
    with open(path, 'w') as f:
        json.dump({n: i for i, n in enumerate(names)}, f, indent=2)
    return path
