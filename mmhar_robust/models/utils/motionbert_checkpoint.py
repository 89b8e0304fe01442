"""Read MotionBERT's released checkpoints as MMEngine state dicts.

The release (``Walter0807/MotionBERT``) saves ``torch.save`` dicts from
``nn.DataParallel`` models, so every name starts with ``module.``:

- the fine-tuned action model (``best_epoch.bin`` of ``train_action.py``):
  key ``model``, names ``backbone.*`` (the DSTformer) and ``head.*``
  (``ActionHeadClassification``: ``fc1``, ``bn``, ``fc2``);
- the pretrained or 3D-pose model (``latest_epoch.bin`` of ``train.py``):
  key ``model_pos``, the bare DSTformer (its ``head.*`` is the 3D-pose output
  layer, ``dim_rep`` -> 3). Pretraining and 3D-pose fine-tuning save the same
  names and shapes; either can only initialise the backbone.

Our recognizer names them ``backbone.*`` and ``cls_head.*``.
"""
from collections import OrderedDict
from typing import Any, Dict, Mapping, Tuple

import torch
import torch.nn as nn

EXPECTS = ('any', 'action', 'backbone')
# ActionHeadClassification's state, in the release's names.
ACTION_HEAD_KEYS = ('fc1.weight', 'fc1.bias', 'bn.weight', 'bn.bias',
                    'bn.running_mean', 'bn.running_var',
                    'bn.num_batches_tracked', 'fc2.weight', 'fc2.bias')
# A key every DSTformer state has: how an official file is recognised.
_DSTFORMER_KEY = 'joints_embed.weight'


def _strip_module(state: Mapping[str, Any]) -> 'OrderedDict[str, Any]':
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items())


def is_motionbert_checkpoint(checkpoint: Any) -> bool:
    """Whether ``checkpoint`` is a release file (``model`` or ``model_pos``
    holding a DSTformer), not an MMEngine checkpoint."""
    if not isinstance(checkpoint, Mapping) or 'state_dict' in checkpoint:
        return False
    for key, prefix in (('model', 'backbone.'), ('model_pos', '')):
        state = checkpoint.get(key)
        if isinstance(state, Mapping) and \
                prefix + _DSTFORMER_KEY in _strip_module(state):
            return True
    return False


def _action_state(state: Mapping[str, Any],
                  source: str) -> 'OrderedDict[str, Any]':
    head = {k[len('head.'):] for k in state if k.startswith('head.')}
    other = [k for k in state if not k.startswith(('backbone.', 'head.'))]
    if other:
        raise KeyError(f'{source}: key model has {other[0]!r}, neither '
                       'backbone.* nor head.*: not a MotionBERT ActionNet')
    if 'fc1.weight' in head and 'fc2.weight' not in head:
        raise KeyError(
            f'{source}: key model has head.fc1.weight but no '
            'head.fc2.weight: this is the one-shot embedding head '
            '(ActionHeadEmbed, version "embed"), not a classifier')
    extra = sorted(head - set(ACTION_HEAD_KEYS))
    if extra:
        raise KeyError(
            f'{source}: key model has head.{extra[0]}, which MotionBERT\'s '
            'action head (fc1, bn, fc2) does not have: a checkpoint of '
            'another MotionBERT model (e.g. the mesh model)?')
    missing = [k for k in ACTION_HEAD_KEYS if k not in head]
    if missing:
        raise KeyError(f'{source}: key model lacks head.{missing[0]} of '
                       'MotionBERT\'s action head')
    return OrderedDict(
        ('cls_head.' + k[len('head.'):] if k.startswith('head.') else k, v)
        for k, v in state.items())


def convert_motionbert_checkpoint(
        checkpoint: Mapping[str, Any],
        source: str = 'checkpoint',
        expect: str = 'any') -> Tuple['OrderedDict[str, Any]', str]:
    """The state dict of a release checkpoint in our recognizer's names.

    Args:
        checkpoint (Mapping): What ``torch.load`` returned for the file.
        source (str): The file, named in errors. Defaults to 'checkpoint'.
        expect (str): 'action' to require the fine-tuned action model
            (a ``model_pos`` file, pretrained or 3D pose, is refused),
            'backbone' to take only the DSTformer (an action file's head is
            dropped), 'any' for either. Defaults to 'any'.

    Returns:
        tuple: The state dict (``backbone.*``, with ``cls_head.*`` for an
        action file) and its kind, 'action' or 'backbone'.

    Raises:
        KeyError: naming the key that is missing or out of place.
    """
    if expect not in EXPECTS:
        raise ValueError(f'expect must be one of {EXPECTS}, got {expect!r}')
    if not isinstance(checkpoint, Mapping):
        raise KeyError(f'{source} is a {type(checkpoint).__name__}, not a '
                       'MotionBERT checkpoint (a dict with key model or '
                       'model_pos)')
    if 'model' in checkpoint:
        state = _action_state(_strip_module(checkpoint['model']), source)
        kind = 'action'
    elif 'model_pos' in checkpoint:
        if expect == 'action':
            raise KeyError(
                f'{source} holds key model_pos, MotionBERT\'s pretrained or '
                '3D-pose DSTformer, and no action head (no key model with '
                'head.fc1.weight): it can initialise the backbone for '
                'fine-tuning (load_from), not classify actions')
        bare = _strip_module(checkpoint['model_pos'])
        if _DSTFORMER_KEY not in bare:
            raise KeyError(f'{source}: key model_pos lacks {_DSTFORMER_KEY} '
                           '(not a DSTformer)')
        state = OrderedDict(('backbone.' + k, v) for k, v in bare.items())
        kind = 'backbone'
    else:
        raise KeyError(f'{source} has neither key model (fine-tuned action '
                       'model) nor model_pos (pretrained DSTformer); it has '
                       f'{sorted(checkpoint)}')
    if expect == 'backbone' and kind == 'action':
        state = OrderedDict(
            (k, v) for k, v in state.items() if k.startswith('backbone.'))
        kind = 'backbone'
    if 'backbone.' + _DSTFORMER_KEY not in state:
        raise KeyError(f'{source} lacks backbone.{_DSTFORMER_KEY} (module.'
                       f'backbone.{_DSTFORMER_KEY} in the release): not a '
                       'DSTformer')
    return state, kind


def check_state_dict_matches(state: Mapping[str, torch.Tensor],
                             model: nn.Module,
                             source: str = 'checkpoint',
                             backbone_only: bool = False) -> None:
    """Raise unless ``model.load_state_dict(state, strict=True)`` would load.

    Args:
        state (Mapping): A converted state dict.
        model (nn.Module): The recognizer.
        source (str): The file, named in errors. Defaults to 'checkpoint'.
        backbone_only (bool): Compare only ``backbone.*`` (a pretrained
            backbone for fine-tuning). Defaults to False.

    Raises:
        KeyError: naming the first missing or unexpected key.
        ValueError: naming the first key of another shape.
    """
    expected = model.state_dict()
    if backbone_only:
        expected = {k: v for k, v in expected.items()
                    if k.startswith('backbone.')}
    missing = [k for k in expected if k not in state]
    if missing:
        hint = (' (a pretrained or 3D-pose checkpoint has no action head: '
                'use it with load_from to fine-tune)'
                if missing[0].startswith('cls_head.') else '')
        raise KeyError(f'{source} lacks {missing[0]!r} of the model '
                       f'({len(missing)} missing){hint}')
    unexpected = [k for k in state if k not in expected]
    if unexpected:
        raise KeyError(f'{source} has {unexpected[0]!r}, which the model '
                       f'does not have ({len(unexpected)} such)')
    for key, value in expected.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise ValueError(
                f'{source}: {key!r} has shape {tuple(state[key].shape)}, '
                f'the model {tuple(value.shape)} (another dim_feat, '
                'mlp_ratio, depth, maxlen or number of classes?)')


def adapt_motionbert_checkpoint(checkpoint: Any,
                                source: str = 'checkpoint') -> Any:
    """An MMEngine checkpoint for a release file, anything else unchanged:
    what our checkpoint loaders return, so ``load_from`` takes the file.

    Returns:
        Any: ``{'state_dict': ..., 'meta': {'motionbert_kind': ...}}`` for a
        release file, else ``checkpoint`` itself.
    """
    if not is_motionbert_checkpoint(checkpoint):
        return checkpoint
    state, kind = convert_motionbert_checkpoint(checkpoint, source)
    return dict(state_dict=state,
                meta=dict(motionbert_kind=kind, converted_from=source))


def to_mmengine_checkpoint(checkpoint: Mapping[str, Any],
                           source: str = 'checkpoint',
                           expect: str = 'any') -> Dict[str, Any]:
    """:func:`convert_motionbert_checkpoint` as a file-ready MMEngine
    checkpoint, its ``meta`` naming the kind and the release epoch."""
    state, kind = convert_motionbert_checkpoint(checkpoint, source, expect)
    meta = dict(motionbert_kind=kind, converted_from=source)
    if isinstance(checkpoint.get('epoch'), int):
        meta['epoch'] = checkpoint['epoch']
    return dict(state_dict=state, meta=meta)
