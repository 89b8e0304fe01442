"""Sample identity, names in messages, and per-sample random generators.

Everything random in the toolkit (keypoint noise, background fills, swap
sources, the labelled subset of a semi-supervised run) draws from a generator
keyed by the sample's identity and the condition it is drawn for, never from
the global RNG. So every model evaluated on a sample sees the same corrupted
input, and a rerun, with any number of workers or processes, gives the same
numbers. This module is the one place that says what a sample's identity is
and how a key becomes a generator.
"""
import hashlib
from typing import Dict, Optional

import numpy as np

# The fields that identify a sample, in the order they are looked for:
# mmaction2's pose samples have ``frame_dir``, its video samples ``filename``.
IDENTITY_KEYS = ('frame_dir', 'filename', 'video_id', 'sample_idx')


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
    for key in IDENTITY_KEYS:
        if key in results:
            return str(results[key])
    raise KeyError(f'{what} needs the sample identity (one of '
                   f'{", ".join(IDENTITY_KEYS)}); the sample has '
                   f'{sorted(results)}')


def sample_name(results: Dict, index: Optional[int] = None) -> str:
    """A sample's name for messages: its identity, else ``#index``, else
    ``'?'``; never raises."""
    for key in IDENTITY_KEYS:
        if key in results:
            return str(results[key])
    return f'#{index}' if index is not None else '?'


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
