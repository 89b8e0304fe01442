"""Check that a checkpoint holds the weights of a model built from a config."""
from typing import Dict, List

import torch
import torch.nn as nn
from mmengine.model import is_model_wrapper

from ..compat.checkpoint import (adapt_foreign_checkpoint,
                                 load_checkpoint_file)

# Keys listed per kind in the message; the counts are always complete.
_SHOWN = 10


def load_state_dict(checkpoint: str) -> Dict[str, torch.Tensor]:
    """The model weights of a checkpoint, loaded with ``weights_only=True``
    (MMEngine's own globals are allow-listed by ``mmhar_robust.compat``).

    Raises:
        DamagedCheckpointError: naming the file when it is empty or
            truncated.
    """
    state = adapt_foreign_checkpoint(
        load_checkpoint_file(checkpoint, map_location='cpu'), checkpoint)
    return state.get('state_dict', state)


def _listed(kind: str, items: List[str]) -> str:
    shown = ', '.join(items[:_SHOWN])
    more = f', ... ({len(items) - _SHOWN} more)' if len(items) > _SHOWN else ''
    return f'{len(items)} {kind}: {shown}{more}'


def check_checkpoint_matches(model: nn.Module,
                             checkpoint: str,
                             allow_unexpected: bool = True) -> None:
    """Raise if ``checkpoint`` lacks weights of ``model``, has them in
    another shape or (unless allowed) has weights the model lacks.

    MMEngine loads checkpoints with ``strict=False`` and only warns, so a
    checkpoint of another architecture would be evaluated with random weights.

    Args:
        model (nn.Module): The model built from the config.
        checkpoint (str): The checkpoint file.
        allow_unexpected (bool): Accept weights the model does not have (e.g.
            the projection head of a contrastive model tested with a plain
            recognizer config). Defaults to True.

    Raises:
        ValueError: naming the checkpoint and listing the missing,
            unexpected and misshapen weights.
    """
    if is_model_wrapper(model):
        model = model.module
    saved = load_state_dict(checkpoint)
    expected = model.state_dict()
    missing = [k for k in expected if k not in saved]
    unexpected = [] if allow_unexpected else [
        k for k in saved if k not in expected
    ]
    wrong = [
        f'{k} (checkpoint {tuple(saved[k].shape)}, model '
        f'{tuple(v.shape)})' for k, v in expected.items()
        if k in saved and tuple(saved[k].shape) != tuple(v.shape)
    ]
    problems = [
        (kind, items)
        for kind, items in (('weights missing from the checkpoint', missing),
                            ('weights the model does not have',
                             unexpected), ('weights of another shape', wrong))
        if items
    ]
    if problems:
        raise ValueError(
            f'checkpoint {checkpoint} does not match the config\'s model '
            '(is it a checkpoint of another model?): ' +
            '; '.join(_listed(kind, items) for kind, items in problems))
