"""Check that a checkpoint holds the weights of a model built from a config."""
from typing import Dict

import torch
import torch.nn as nn
from mmengine.model import is_model_wrapper


def load_state_dict(checkpoint: str) -> Dict[str, torch.Tensor]:
    """The model weights of a checkpoint, loaded with torch's ``weights_only``
    (MMEngine's own globals are allow-listed by ``mmhar_robust.compat``)."""
    state = torch.load(checkpoint, map_location='cpu')
    return state.get('state_dict', state)


def check_checkpoint_matches(model: nn.Module, checkpoint: str) -> None:
    """Raise if ``checkpoint`` lacks weights of ``model`` or their shapes differ.

    MMEngine loads checkpoints with ``strict=False`` and only warns, so a
    checkpoint of another architecture would be evaluated with random weights.
    Extra weights in the checkpoint (e.g. the projection head of a contrastive
    model tested with a plain recognizer config) are fine.

    Raises:
        ValueError: naming the checkpoint and the first mismatching weights.
    """
    if is_model_wrapper(model):
        model = model.module
    saved = load_state_dict(checkpoint)
    expected = model.state_dict()
    missing = [k for k in expected if k not in saved]
    wrong = [
        f'{k}: checkpoint {tuple(saved[k].shape)} vs model '
        f'{tuple(v.shape)}' for k, v in expected.items()
        if k in saved and tuple(saved[k].shape) != tuple(v.shape)
    ]
    if missing or wrong:
        problems = [f'missing {k}' for k in missing[:5]] + wrong[:5]
        raise ValueError(
            f'checkpoint {checkpoint} does not match the config\'s model '
            f'({len(missing)} weights missing, {len(wrong)} of another '
            f'shape): ' + '; '.join(problems))
