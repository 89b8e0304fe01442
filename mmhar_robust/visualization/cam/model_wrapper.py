"""An MMAction2 recognizer seen as the image classifier pytorch-grad-cam
expects: one tensor in, class scores (pre-softmax) out.

pytorch-grad-cam treats a 4-D input ``(N, C, H, W)`` as images and a 5-D one
``(N, C, T, H, W)`` as volumes, and upsamples each CAM to the input's trailing
axes. MMAction2 inputs have extra axes (clips; persons for skeletons), so each
sample is *folded* into that form and unfolded again inside ``forward``:

- 3D CNNs (RGB or PoseC3D heatmaps): ``(N, clips, C, T, H, W)`` ->
  ``(N, C, clips*T, H, W)``, a volume.
- GCNs: ``(N, clips, M, T, V, C)`` -> ``(N, C, clips*T, M*V)``, a
  frames x joints image (persons side by side).

The backbone's activations are folded the same way (``fold_activations``, the
``reshape_transform``), so every sample gets one CAM normalised over all its
clips and persons. GCN features are ``(N*clips*M, C, T', V)``; those of a
token transformer over joints and frames (MotionBERT's ``DSTformer``) have
the channels last, ``(N*clips*M, T, V, C)``, or are one row of joint tokens
per frame, ``(N*clips*M*T, V, C)``, inside its blocks: ``channels_last``
layouts move them to the GCN form first (same-rank features with the axes
read wrongly would still give a CAM of the right shape, silently).

With several clips the CAM's upsampling along time may mix the edge frames
of neighbouring clips; a single test clip is exact.
"""
from dataclasses import dataclass
from typing import Tuple

import numpy as np
import torch
import torch.nn as nn
from mmaction.models import Recognizer3D, RecognizerGCN
from mmengine.model import is_model_wrapper

KINDS = ('rgb', 'heatmap', 'gcn')


def unwrap_model(model: nn.Module) -> nn.Module:
    """The recognizer inside an MMEngine model wrapper (DDP and friends)."""
    return model.module if is_model_wrapper(model) else model


def channels_last_features(model: nn.Module) -> bool:
    """Whether the backbone's features are joint tokens with the channels
    last (it says so with ``tokens_channels_last = True``, as ``DSTformer``
    does) rather than GCN maps ``(N, C, T, V)``."""
    backbone = getattr(unwrap_model(model), 'backbone', None)
    return bool(getattr(backbone, 'tokens_channels_last', False))


def infer_kind(model: nn.Module) -> str:
    """``'gcn'`` for ``RecognizerGCN``; for ``Recognizer3D`` ``'rgb'`` when
    the backbone takes 3 input channels, else ``'heatmap'`` (PoseC3D).

    Raises:
        ValueError: for any other recognizer.
    """
    model = unwrap_model(model)
    if isinstance(model, RecognizerGCN):
        return 'gcn'
    if isinstance(model, Recognizer3D):
        channels = getattr(model.backbone, 'in_channels', 3)
        return 'rgb' if channels == 3 else 'heatmap'
    raise ValueError(
        f'Grad-CAM supports Recognizer3D (RGB 3D CNNs, PoseC3D) and '
        f'RecognizerGCN models, got {type(model).__name__}')


@dataclass(frozen=True)
class ClipLayout:
    """How a batch of MMAction2 inputs is folded.

    Args:
        kind (str): One of ``KINDS``.
        num_clips (int): Clips (views) per sample.
        clip_len (int): Frames per clip.
        num_persons (int): Persons per clip (GCN); 1 for 3D CNNs.
        channels_last (bool): Whether skeleton features are joint tokens
            with the channels last (see :func:`channels_last_features`).
            Defaults to False.
    """
    kind: str
    num_clips: int
    clip_len: int
    num_persons: int = 1
    channels_last: bool = False

    @classmethod
    def of(cls,
           inputs: torch.Tensor,
           kind: str,
           channels_last: bool = False) -> 'ClipLayout':
        """The layout of preprocessed inputs: ``(N, clips, C, T, H, W)`` for
        3D CNNs, ``(N, clips, M, T, V, C)`` for GCNs (``channels_last`` for
        a token transformer such as ``DSTformer``).

        Raises:
            ValueError: when the inputs do not have 6 axes.
        """
        if kind not in KINDS:
            raise ValueError(f'kind must be one of {KINDS}, got {kind!r}')
        if inputs.dim() != 6:
            expected = ('(N, clips, M, T, V, C)'
                        if kind == 'gcn' else '(N, clips, C, T, H, W)')
            raise ValueError(
                f'{kind} inputs must be {expected} (the data preprocessor\'s '
                f'output), got shape {tuple(inputs.shape)}')
        if kind == 'gcn':
            return cls(kind, inputs.shape[1], inputs.shape[3], inputs.shape[2],
                       channels_last)
        if channels_last:
            raise ValueError('channels_last applies to skeleton (gcn) '
                             f'features, not {kind} ones')
        return cls(kind, inputs.shape[1], inputs.shape[3])

    def fold(self, inputs: torch.Tensor) -> torch.Tensor:
        """MMAction2 inputs -> pytorch-grad-cam's image/volume batch."""
        n, c = inputs.shape[0], self.num_clips
        if self.kind == 'gcn':
            _, _, m, t, v, ch = inputs.shape
            return inputs.permute(0, 5, 1, 3, 2,
                                  4).reshape(n, ch, c * t, m * v)
        _, _, ch, t, h, w = inputs.shape
        return inputs.transpose(1, 2).reshape(n, ch, c * t, h, w)

    def unfold(self, folded: torch.Tensor) -> torch.Tensor:
        """The inverse of :meth:`fold`."""
        n, ch, c, t = (folded.shape[0], folded.shape[1], self.num_clips,
                       self.clip_len)
        if self.kind == 'gcn':
            m = self.num_persons
            v = folded.shape[-1] // m
            return folded.reshape(n, ch, c, t, m, v).permute(0, 2, 4, 3, 5, 1)
        # Contiguous: Recognizer3D .view()s its input.
        return folded.reshape(n, ch, c, t,
                              *folded.shape[-2:]).transpose(1, 2).contiguous()

    def tokens_to_maps(self, act: torch.Tensor) -> torch.Tensor:
        """Joint tokens ``(N*clips*M, T, V, C)`` or ``(N*clips*M*T, V, C)``
        -> GCN feature maps ``(N*clips*M, C, T, V)``."""
        if act.dim() == 3:
            if act.shape[0] % self.clip_len:
                raise ValueError(
                    f'the target layer outputs {act.shape[0]} rows of joint '
                    f'tokens, not a multiple of the clip\'s {self.clip_len} '
                    'frames; choose a layer with one token per joint and '
                    'frame')
            act = act.reshape(-1, self.clip_len, *act.shape[1:])
        if act.dim() != 4:
            raise ValueError(
                'the target layer of a channels-last skeleton model must '
                'output (N*M, T, V, C) or (N*M*T, V, C) joint tokens, got '
                f'shape {tuple(act.shape)}')
        return act.permute(0, 3, 1, 2)

    def fold_activations(self, act: torch.Tensor) -> torch.Tensor:
        """Backbone activations ``(N*clips[*M], C, T', ...)`` -> folded like
        the inputs, so CAMs come out shaped like them."""
        if not isinstance(act, torch.Tensor):
            raise ValueError(
                f'the target layer outputs a {type(act).__name__}, not a '
                'tensor; choose a layer with a single feature-map output')
        if self.channels_last:
            act = self.tokens_to_maps(act)
        expected = 4 if self.kind == 'gcn' else 5
        if act.dim() != expected:
            raise ValueError(
                f'the target layer of a {self.kind} model must output '
                f'{expected}-D features, got shape {tuple(act.shape)}')
        c, m = self.num_clips, self.num_persons
        n = act.shape[0] // (c * m)
        if self.kind == 'gcn':
            _, ch, t, v = act.shape
            return act.reshape(n, c, m, ch, t,
                               v).permute(0, 3, 1, 4, 2,
                                          5).reshape(n, ch, c * t, m * v)
        _, ch, t, h, w = act.shape
        return act.reshape(n, c, ch, t, h,
                           w).transpose(1, 2).reshape(n, ch, c * t, h, w)

    def unfold_cam(self, cam: np.ndarray) -> np.ndarray:
        """Library CAMs ``(N, clips*T, ...)`` -> ``(N, clips, T, H, W)`` or
        ``(N, clips, M, T, V)`` (the input's layout minus channels)."""
        n, c, t = cam.shape[0], self.num_clips, self.clip_len
        if self.kind == 'gcn':
            m = self.num_persons
            return cam.reshape(n, c, t, m, -1).transpose(0, 1, 3, 2, 4)
        return cam.reshape(n, c, t, *cam.shape[-2:])


class RecognizerScores(nn.Module):
    """Class scores (pre-softmax logits) of a recognizer for folded inputs.

    It runs MMAction2's own test path, ``extract_feat(test_mode=True)`` then
    ``cls_head``, and averages the logits over clips (GCN heads already
    average persons). Logits, not the head's ``average_clips='prob'``
    probabilities, so Grad-CAM differentiates a pre-softmax score.

    Args:
        model (nn.Module): A ``Recognizer3D``/``RecognizerGCN``, possibly in
            an MMEngine model wrapper.
        layout (ClipLayout): How the inputs are folded.
    """

    def __init__(self, model: nn.Module, layout: ClipLayout) -> None:
        super().__init__()
        self.recognizer = unwrap_model(model)
        self.layout = layout

    def clip_scores(self, folded: torch.Tensor) -> torch.Tensor:
        """``(N*clips, num_classes)`` logits."""
        inputs = self.layout.unfold(folded)
        feats, kwargs = self.recognizer.extract_feat(inputs, test_mode=True)
        return self.recognizer.cls_head(feats, **kwargs)

    def forward(self, folded: torch.Tensor) -> torch.Tensor:
        """``(N, num_classes)``: logits averaged over clips."""
        scores = self.clip_scores(folded)
        return scores.reshape(folded.shape[0], self.layout.num_clips,
                              -1).mean(dim=1)

    @torch.no_grad()
    def predict(self,
                folded: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Mean logits ``(N, K)`` and the labels MMAction2 would predict
        (its head's own clip averaging, e.g. of probabilities)."""
        scores = self.clip_scores(folded)
        mean = scores.reshape(folded.shape[0], self.layout.num_clips,
                              -1).mean(dim=1)
        head = self.recognizer.cls_head
        if hasattr(head, 'average_clip'):
            averaged = head.average_clip(scores, self.layout.num_clips)
            if averaged.dim() == 2:
                return mean, averaged.argmax(dim=1)
        return mean, mean.argmax(dim=1)
