"""Leave a model exactly as it was after explaining it.

pytorch-grad-cam switches the model to eval mode, zeroes its gradients and
backpropagates into its parameters. Explaining a model in the middle of a
run (a hook during validation) must change none of that.
"""
import contextlib
from typing import Iterator

import torch.nn as nn


@contextlib.contextmanager
def frozen_for_explanation(model: nn.Module) -> Iterator[nn.Module]:
    """Inside: parameters do not require gradients (Grad-CAM only needs
    gradients of activations, so no weight gradients are computed or
    stored). On exit, whatever happened inside: every module's training flag,
    every parameter's ``requires_grad`` and ``.grad`` are restored.

    Args:
        model (nn.Module): The model to protect.
    """
    training = {m: m.training for m in model.modules()}
    params = list(model.parameters())
    requires = [p.requires_grad for p in params]
    grads = [p.grad for p in params]
    try:
        for p in params:
            p.requires_grad_(False)
        yield model
    finally:
        for m, flag in training.items():
            m.training = flag
        for p, flag, grad in zip(params, requires, grads):
            p.requires_grad_(flag)
            p.grad = grad
