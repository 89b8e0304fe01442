"""CAM methods by name, and which of them handle volumes.

pytorch-grad-cam treats 4-D activations as images and 5-D ones as volumes,
but not every method's weights are written for 5-D (GradCAM++ and XGradCAM
sum over axes (2, 3) only; ScoreCAM upsamples with a 2-D op). Which ones do is
not assumed here: :func:`supports_volumes` checks it on the installed
library, once per method, with twin models (see :func:`_volume_probe`).

Left out on purpose: RandomCAM (global RNG), AblationCAM (swaps the target
layer inside the model), FullGrad (ignores the target layer; Conv2d only),
ShapleyCAM and FinerCAM (do not apply ``reshape_transform`` consistently).
"""
import contextlib
import functools
import io
from typing import Any, Callable, Dict, List, Type

import numpy as np
import torch
import torch.nn as nn
from pytorch_grad_cam import (FEM, KPCA_CAM, EigenCAM, EigenGradCAM, GradCAM,
                              GradCAMElementWise, GradCAMPlusPlus, HiResCAM,
                              LayerCAM, ScoreCAM, XGradCAM)
from pytorch_grad_cam.base_cam import BaseCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

METHODS: Dict[str, Type[BaseCAM]] = {
    'GradCAM': GradCAM,
    'HiResCAM': HiResCAM,
    'GradCAMPlusPlus': GradCAMPlusPlus,
    'XGradCAM': XGradCAM,
    'EigenCAM': EigenCAM,
    'EigenGradCAM': EigenGradCAM,
    'LayerCAM': LayerCAM,
    'GradCAMElementWise': GradCAMElementWise,
    'FEM': FEM,
    'KPCA_CAM': KPCA_CAM,
    'ScoreCAM': ScoreCAM,
}


def _twin_models() -> 'tuple[nn.Module, nn.Module]':
    """A frame-wise 3D CNN and the 2D CNN with the same weights."""
    gen = torch.Generator().manual_seed(0)
    conv2d = nn.Conv2d(2, 4, 3, padding=1)
    fc = nn.Linear(4, 2)
    with torch.no_grad():
        conv2d.weight.copy_(torch.randn(conv2d.weight.shape, generator=gen))
        conv2d.bias.copy_(torch.randn(4, generator=gen))
        # Positive weights: the target's gradients are not all zero.
        fc.weight.copy_(torch.rand(fc.weight.shape, generator=gen) + 0.1)
        fc.bias.zero_()
    conv3d = nn.Conv3d(2, 4, (1, 3, 3), padding=(0, 1, 1))
    with torch.no_grad():
        conv3d.weight.copy_(conv2d.weight[:, :, None])
        conv3d.bias.copy_(conv2d.bias)
    image = nn.Sequential(conv2d, nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), fc)
    volume = nn.Sequential(conv3d, nn.ReLU(), nn.AdaptiveAvgPool3d(1),
                           nn.Flatten(), fc)
    return image, volume


def _volume_probe(method: Type[BaseCAM]) -> bool:
    """Whether ``method`` gives, for a clip of 3 identical frames through a
    frame-wise 3D CNN, the 2D CNN's CAM of that frame in every frame.

    Distinct sizes on every axis make a sum over the wrong axes fail or
    differ, rather than broadcast silently.
    """
    gen = torch.Generator().manual_seed(1)
    image_model, volume_model = _twin_models()
    frames = torch.randn(2, 2, 5, 6, generator=gen)
    clip = frames[:, :, None].expand(2, 2, 3, 5, 6).contiguous()
    targets = [ClassifierOutputTarget(0)] * 2
    try:
        # ScoreCAM draws progress bars on stderr.
        with contextlib.redirect_stderr(io.StringIO()):
            expected, got = _run(method, image_model, frames, targets), \
                _run(method, volume_model, clip, targets)
    except Exception:  # any failure on volumes means "not supported"
        return False
    return (got.shape == (2, 3, 5, 6) and bool(np.isfinite(got).all())
            and np.allclose(got, expected[:, None], atol=1e-4))


def _run(method: Type[BaseCAM], model: nn.Module, inputs: torch.Tensor,
         targets: list) -> np.ndarray:
    return run_cam(method, model, [model[1]], inputs, targets)


def run_cam(method: Type[BaseCAM], model: nn.Module, layers: List[nn.Module],
            inputs: torch.Tensor, targets: List[Callable],
            **kwargs: Any) -> np.ndarray:
    """Run ``method`` once inside the library's context manager, which
    removes its hooks from the model whatever happens.

    The library's ``__exit__`` also swallows an ``IndexError`` (it prints it
    and returns True), which would leave the caller without a result and
    without the error (a class index past the head's classes gives one):
    it is raised again here, unchanged.

    Args:
        method (type): A pytorch-grad-cam class, e.g. ``GradCAM``.
        model (nn.Module): The model; its output is ``(N, num_classes)``.
        layers (list[nn.Module]): The target layers.
        inputs (Tensor): The model's input.
        targets (list[callable]): One target per sample.
        **kwargs: More arguments of ``method``, e.g. ``reshape_transform``.

    Returns:
        np.ndarray: The CAMs, ``(N, *spatial)``.
    """
    swallowed = None
    with method(model, layers, **kwargs) as cam:
        try:
            return cam(inputs, targets)
        except IndexError as error:
            swallowed = error
    raise swallowed


@functools.lru_cache(maxsize=None)
def supports_volumes(name: str) -> bool:
    """Whether the installed library computes method ``name`` correctly on
    5-D (N, C, T, H, W) activations (checked once, then cached)."""
    return _volume_probe(get_method(name))


def volume_methods() -> List[str]:
    """Names of the methods that handle 5-D activations."""
    return [name for name in METHODS if supports_volumes(name)]


def get_method(name: str, volumes: bool = False) -> Type[BaseCAM]:
    """The pytorch-grad-cam class called ``name``.

    Args:
        name (str): A key of ``METHODS``.
        volumes (bool): Whether the activations are 5-D (3D CNNs).
            Defaults to False.

    Raises:
        ValueError: for an unknown name, or a method that cannot handle
            volumes when ``volumes`` is set, listing the ones that can.
    """
    if name not in METHODS:
        raise ValueError(f'unknown CAM method {name!r}; choose one of '
                         f'{", ".join(METHODS)}')
    if volumes and not supports_volumes(name):
        raise ValueError(
            f'CAM method {name!r} does not support 5-D (N, C, T, H, W) '
            f'activations of 3D CNNs in the installed pytorch-grad-cam; '
            f'methods that do: {", ".join(volume_methods())}')
    return METHODS[name]
