"""Target layers: resolved once from a dotted name (``backbone.layer4``,
``backbone.gcn.9``), or chosen from a forward pass when none is given."""
import difflib
from typing import List, Optional

import torch
import torch.nn as nn
from torch.nn.modules.conv import _ConvNd

from .model_wrapper import RecognizerScores, unwrap_model

# Deeper names are single convs/norms inside blocks: valid targets too, but
# listing them would bury the useful ones (a ResNet3d-50 has hundreds).
MAX_LISTED_DEPTH = 3
MAX_LISTED = 80


def candidate_layer_names(model: nn.Module,
                          max_depth: int = MAX_LISTED_DEPTH) -> List[str]:
    """Names worth targeting: blocks (modules with children) and
    convolutions under the backbone and neck, at most ``max_depth`` dotted
    parts deep. Any module name still resolves; this is what errors list.

    Args:
        model (nn.Module): A recognizer, possibly wrapped.
        max_depth (int): Deepest name listed. Defaults to 3.
    """
    names = []
    for name, module in unwrap_model(model).named_modules():
        parts = name.split('.')
        if parts[0] not in ('backbone', 'neck') or len(parts) > max_depth:
            continue
        if isinstance(module, nn.ModuleList):
            continue  # never called itself; its entries are
        if len(parts) > 1 and (next(module.children(), None) is not None
                               or isinstance(module, _ConvNd)):
            names.append(name)
    return names


def resolve_layer(model: nn.Module, name: str) -> nn.Module:
    """The submodule of the (unwrapped) recognizer called ``name``.

    Raises:
        ValueError: naming the layer, with close matches and the valid
            block/conv names.
    """
    recognizer = unwrap_model(model)
    try:
        return recognizer.get_submodule(name)
    except AttributeError:
        pass
    valid = candidate_layer_names(recognizer)
    close = difflib.get_close_matches(name, valid, n=3)
    hint = f' Did you mean {", ".join(close)}?' if close else ''
    listed = ', '.join(valid[:MAX_LISTED])
    more = (f' (and {len(valid) - MAX_LISTED} more)'
            if len(valid) > MAX_LISTED else '')
    raise ValueError(
        f'target layer {name!r} is not a module of '
        f'{type(recognizer).__name__}.{hint} Valid layers: {listed}{more}')


def default_layer_name(scores: RecognizerScores,
                       folded: torch.Tensor,
                       max_depth: Optional[int] = MAX_LISTED_DEPTH) -> str:
    """The backbone layer that runs last and still outputs a feature map of
    the kind's rank (5-D for 3D CNNs, 4-D for GCNs): e.g. ``backbone.layer3``
    of a 3-stage SlowOnly, ``backbone.gcn.9`` of ST-GCN,
    ``backbone.pre_logits`` of MotionBERT's DSTformer (its blocks output
    3-D joint tokens).

    Found with one forward pass; the probing hooks are removed afterwards.

    Raises:
        ValueError: when no backbone layer outputs such a feature map.
    """
    rank = 4 if scores.layout.kind == 'gcn' else 5
    order: List[str] = []
    handles = []

    def record(name):

        def hook(module, args, output):
            if isinstance(output, torch.Tensor) and output.dim() == rank:
                order.append(name)

        return hook

    try:
        for name in candidate_layer_names(scores.recognizer, max_depth):
            if name.startswith('backbone.'):
                module = scores.recognizer.get_submodule(name)
                handles.append(module.register_forward_hook(record(name)))
        with torch.no_grad():
            scores(folded)
    finally:
        for handle in handles:
            handle.remove()
    if not order:
        raise ValueError(
            f'no backbone layer of {type(scores.recognizer).__name__} outputs '
            f'{rank}-D feature maps; pass target_layer explicitly')
    return order[-1]
