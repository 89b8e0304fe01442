"""A tiny contrastive PoseC3D-like model, a batch of random views and a
minimal neck with a label-based auxiliary loss, shared by the recognizer
tests (imported, not collected)."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmhar_robust.compat import gt_label, with_gt_label

NUM_CLASSES = 5
CHANNELS = 16


@MODELS.register_module()
class ContrastiveTestNeck(nn.Module):
    """A 1x1x1 conv, plus TPN's contract: ``forward(x, data_samples)``
    returns ``(x, loss_aux)``, with an auxiliary cross-entropy on the labels
    whenever ``data_samples`` is given."""

    def __init__(self,
                 channels: int = CHANNELS,
                 num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.conv = nn.Conv3d(channels, channels, 1)
        self.aux = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor, data_samples=None):
        loss_aux = {}
        if data_samples is not None:
            labels = torch.stack(
                [gt_label(s).reshape(-1)[0] for s in data_samples])
            loss_aux['loss_aux_neck'] = F.cross_entropy(
                self.aux(x.flatten(2).mean(-1)), labels)
        return self.conv(x), loss_aux


def tiny_model(representation: str = 'softmax',
               neck: Optional[dict] = None,
               **kwargs) -> nn.Module:
    """A ``ContrastiveRecognizer3D`` (TinyC3D + I3DHead, gamma1 1, gamma2
    0.3) whose classifier is scaled up so that a random batch spreads over
    several predicted classes (a non-trivial group term)."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='ContrastiveRecognizer3D',
            backbone=dict(
                type='TinyC3D', in_channels=3, channels=(8, 8, 16, CHANNELS)),
            cls_head=dict(
                type='I3DHead',
                in_channels=CHANNELS,
                num_classes=NUM_CLASSES,
                dropout_ratio=0.5),
            representation=representation,
            contrastive_loss=dict(
                type='ViewContrastiveLoss',
                temperature=0.5,
                loss_weight_inst=1.0,
                loss_weight_group=0.3),
            neck=neck,
            **kwargs))
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        fc = model.cls_head.fc_cls
        fc.weight.copy_(3 * torch.randn(fc.weight.shape, generator=g))
        fc.bias.copy_(torch.randn(fc.bias.shape, generator=g))
    model.train()
    return model


def tiny_batch(
    labels: Sequence[int],
    labeled: Optional[Sequence[bool]] = None
) -> (torch.Tensor, List[ActionDataSample]):
    """``(N, 2, 3, 4, 16, 16)`` clean and noisy views and their samples."""
    g = torch.Generator().manual_seed(2)
    clean = torch.rand(len(labels), 1, 3, 4, 16, 16, generator=g)
    noisy = clean + 0.3 * torch.randn(clean.shape, generator=g)
    samples = []
    for i, label in enumerate(labels):
        sample = with_gt_label(ActionDataSample(), label)
        sample.set_metainfo(dict(frame_dir=f'clip{i}'))
        if labeled is not None:
            sample.set_metainfo(dict(labeled=labeled[i]))
        samples.append(sample)
    return torch.cat([clean, noisy], dim=1), samples


def total(losses: dict) -> torch.Tensor:
    """The sum MMEngine optimises."""
    return sum(v for k, v in losses.items() if k.startswith('loss'))
