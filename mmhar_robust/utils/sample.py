"""Sample identity, names in messages, and per-sample random generators.

Everything random in the toolkit (keypoint noise, background fills, swap
sources, the labelled subset of a semi-supervised run) draws from a generator
keyed by the sample's identity and the condition it is drawn for, never from
the global RNG. So every model evaluated on a sample sees the same corrupted
input, and a rerun, with any number of workers or processes, gives the same
numbers. This module is the one place that says what a sample's identity is,
how it is named in messages, and how a key becomes a generator.

Two lookups keep fields of their own on purpose: a split is matched on
``filename`` else ``frame_dir`` of the first annotation, as mmaction2's
``PoseDataset`` matches it (``validation.select_split``), and
:class:`~mmhar_robust.datasets.transforms.MarkLabeled` hashes the identity
its own way so that it keeps choosing the samples it always chose.
"""
import hashlib
from typing import Any, Dict, Optional, Tuple

import numpy as np

# The fields that identify a sample, in the order they are looked for:
# mmaction2's pose samples have ``frame_dir``, its video samples ``filename``,
# and MMEngine's ``BaseDataset.get_data_info`` adds ``sample_idx`` to every
# sample, so a sample in a pipeline always has one.
IDENTITY_KEYS = ('frame_dir', 'filename', 'video_id', 'sample_idx')


def identity_field(results: Any) -> Optional[Tuple[str, Any]]:
    """The first of :data:`IDENTITY_KEYS` a sample has, with its value.

    Args:
        results (Any): A dict (a pipeline's ``results``, a data info, a
            dumped prediction) or anything with ``in`` and ``get``, such as
            MMEngine's ``BaseDataElement``.

    Returns:
        tuple, optional: ``(key, value)``, or None when the sample has none
        of the fields (or is not a mapping at all).
    """
    if not hasattr(results, 'get'):
        return None
    for key in IDENTITY_KEYS:
        if key in results:
            return key, results.get(key)
    return None


def sample_identity(results: Dict, what: str = 'this transform') -> str:
    """The identity of a sample: its first field among
    :data:`IDENTITY_KEYS`, as text.

    Args:
        results (dict): The sample (a pipeline's ``results`` or a dataset's
            data info).
        what (str): Who asks, for the error message.
            Defaults to 'this transform'.

    Raises:
        KeyError: The sample has none of the fields.
    """
    field = identity_field(results)
    if field is None:
        raise KeyError(f'{what} needs the sample identity (one of '
                       f'{", ".join(IDENTITY_KEYS)}); the sample has '
                       f'{sorted(results)}')
    return str(field[1])


def sample_name(results: Any,
                index: Optional[int] = None,
                quote: bool = False,
                with_key: bool = False) -> str:
    """A sample's name for messages; never raises.

    The identity (see :func:`identity_field`) as text, e.g. ``clip0``;
    ``'clip0'`` with ``quote``; ``frame_dir='clip0'`` with ``with_key``. A
    sample without identity is ``#index`` when its position is known, else
    ``?``.

    Args:
        results (Any): The sample.
        index (int, optional): Its position in the list being read.
            Defaults to None.
        quote (bool): Quote the value (its ``repr``). Defaults to False.
        with_key (bool): Prefix the field, ``key=repr(value)``.
            Defaults to False.
    """
    field = identity_field(results)
    if field is None:
        return f'#{index}' if index is not None else '?'
    key, value = field
    if with_key:
        return f'{key}={value!r}'
    return repr(value) if quote else str(value)


def sample_rng(seed: int, identity, *condition) -> np.random.Generator:
    """The generator of one sample under one condition.

    Keyed by a BLAKE2b hash of ``(seed, identity, *condition)`` (for keypoint
    noise: the corruption, the level and, in training, the epoch). A Philox
    generator takes the 128-bit key directly, skipping ``SeedSequence`` (a
    third of the noise transform's cost otherwise).

    Args:
        seed (int): The experiment's seed.
        identity: The sample's identity (see :func:`sample_identity`).
        *condition: Whatever else the draw depends on; floats and ints are
            keyed by value (``1`` and ``1.0`` differ: pass levels as floats).
    """
    key = repr((int(seed), str(identity)) + condition)
    digest = hashlib.blake2b(key.encode('utf-8'), digest_size=16).digest()
    return np.random.Generator(
        np.random.Philox(key=int.from_bytes(digest, 'little')))
