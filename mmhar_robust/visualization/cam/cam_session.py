"""Grad-CAM of MMAction2 recognizers: a context-managed session over
pytorch-grad-cam.

Example:
    >>> with CAMSession(model, 'GradCAM', 'backbone.layer3') as session:
    ...     results = session(inputs)          # preprocessed batch
    >>> results[0].cam.shape                   # (clips, T, H, W)
"""
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn as nn
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

from .layers import default_layer_name, resolve_layer
from .methods import get_method, run_cam
from .model_state import frozen_for_explanation
from .model_wrapper import (ClipLayout, RecognizerScores,
                            channels_last_features, infer_kind, unwrap_model)

Target = Union[int, Callable[[torch.Tensor], torch.Tensor]]


@dataclass
class CAMResult:
    """The explanation of one sample.

    Attributes:
        cam (np.ndarray): Importance in [0, 1] shaped like the input without
            channels: ``(clips, T, H, W)`` for 3D CNNs, ``(clips, M, T, V)``
            for GCNs and MotionBERT's DSTformer.
        target (int): The explained class (-1 for a custom target).
        pred (int): The class MMAction2 predicts.
        scores (np.ndarray): ``(num_classes,)`` logits, mean over clips.
        kind (str): ``'rgb'``, ``'heatmap'`` or ``'gcn'``.
        method (str): The CAM method.
        layer (str): The target layer's name.
    """
    cam: np.ndarray
    target: int
    pred: int
    scores: np.ndarray
    kind: str
    method: str
    layer: str

    def summary(self) -> np.ndarray:
        """One map per sample: ``(T, H, W)`` (mean over clips), or for GCNs
        ``(T, V)`` (mean over clips, max over persons)."""
        mean = self.cam.mean(axis=0)
        return mean.max(axis=0) if self.kind == 'gcn' else mean


class CAMSession:
    """Explain a recognizer with a pytorch-grad-cam method.

    Inside ``with``, call the session on preprocessed inputs (the data
    preprocessor's output). The target layer is resolved once (on the first
    call when it is chosen by default). On exit, whatever happened, no hook
    is left on the model and its training flags, ``requires_grad`` flags and
    gradients are as they were.

    Args:
        model (nn.Module): ``Recognizer3D`` or ``RecognizerGCN``, possibly in
            an MMEngine model wrapper.
        method (str): A name of ``methods.METHODS``. Defaults to 'GradCAM'.
        target_layer (str, optional): Dotted module name, e.g.
            ``'backbone.layer4'``. None: the last backbone layer with
            feature maps (see ``default_layer_name``). Defaults to None.
        kind (str, optional): ``'rgb'``, ``'heatmap'`` or ``'gcn'``; None
            infers it from the model. Defaults to None.
    """

    def __init__(self,
                 model: nn.Module,
                 method: str = 'GradCAM',
                 target_layer: Optional[str] = None,
                 kind: Optional[str] = None) -> None:
        self.model = unwrap_model(model)
        self.kind = kind or infer_kind(self.model)
        self.channels_last = (
            self.kind == 'gcn' and channels_last_features(self.model))
        self.method = method
        self.method_cls = get_method(method, volumes=self.kind != 'gcn')
        self.layer_name = target_layer
        self.layer = (
            resolve_layer(self.model, target_layer)
            if target_layer is not None else None)
        self._state = None

    def __enter__(self) -> 'CAMSession':
        self._state = frozen_for_explanation(self.model)
        self._state.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        # The CAM's own hooks are gone already (run_cam); restore the rest.
        self._state.__exit__(*exc_info)
        self._state = None

    def _targets(self, targets: Optional[Union[Target, Sequence[Target]]],
                 preds: torch.Tensor) -> List[Callable]:
        if targets is None:
            targets = preds.tolist()
        elif isinstance(targets, int) or callable(targets):
            targets = [targets] * len(preds)
        if len(targets) != len(preds):
            raise ValueError(f'got {len(targets)} targets for a batch of '
                             f'{len(preds)} samples')
        return [
            ClassifierOutputTarget(int(t)) if isinstance(t, int) else t
            for t in targets
        ]

    def __call__(
        self,
        inputs: torch.Tensor,
        targets: Optional[Union[Target, Sequence[Target]]] = None
    ) -> List[CAMResult]:
        """CAMs of a batch.

        Args:
            inputs (Tensor): ``(N, clips, C, T, H, W)`` or
                ``(N, clips, M, T, V, C)``, as the data preprocessor gives.
            targets (int | callable | list, optional): The class to explain
                per sample (one for all, or one each); a callable maps the
                ``(num_classes,)`` logits to a score. None: the predicted
                class. Defaults to None.

        Returns:
            list[CAMResult]: One per sample.
        """
        if self._state is None:
            raise RuntimeError('use CAMSession inside a `with` block')
        layout = ClipLayout.of(inputs, self.kind, self.channels_last)
        scores_model = RecognizerScores(self.model, layout)
        device = next(self.model.parameters()).device
        folded = layout.fold(inputs.detach().to(device).float()).clone()
        folded.requires_grad_(True)
        scores_model.eval()  # as the library would; restored on exit
        with torch.enable_grad():
            mean, preds = scores_model.predict(folded)
            if self.layer is None:
                self.layer_name = default_layer_name(scores_model, folded)
                self.layer = resolve_layer(self.model, self.layer_name)
            cam_targets = self._targets(targets, preds)
            cams = run_cam(
                self.method_cls,
                scores_model, [self.layer],
                folded,
                cam_targets,
                reshape_transform=layout.fold_activations)
        cams = layout.unfold_cam(cams)
        return [
            CAMResult(
                cam=cams[i],
                target=(t.category
                        if isinstance(t, ClassifierOutputTarget) else -1),
                pred=int(preds[i]),
                scores=mean[i].detach().cpu().numpy(),
                kind=self.kind,
                method=self.method,
                layer=self.layer_name) for i, t in enumerate(cam_targets)
        ]


def compute_cam(model: nn.Module,
                inputs: torch.Tensor,
                targets: Optional[Union[Target, Sequence[Target]]] = None,
                method: str = 'GradCAM',
                target_layer: Optional[str] = None,
                kind: Optional[str] = None) -> List[CAMResult]:
    """One-shot :class:`CAMSession` (arguments as there)."""
    with CAMSession(model, method, target_layer, kind) as session:
        return session(inputs, targets)
