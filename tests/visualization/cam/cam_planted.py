"""Tiny recognizers trained for seconds on clips whose class is decided by a
pattern planted at a known place and time (shared by the CAM tests)."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

# (t0, t1, y0, y1, x0, x1) of the bright blob deciding class 1 (red) and 2
# (green) of the RGB clips (3 x 8 x 16 x 16): top right early, bottom left
# late (off the diagonal, so swapped axes would show); class 0 is noise. The
# colour, not the place, tells the classes apart: a model told them apart by
# place alone would learn where the image border is, not the blob.
RGB_REGIONS = {1: (1, 4, 1, 6, 10, 15), 2: (4, 7, 10, 15, 1, 6)}
# (joint, t0, t1): the joint that moves, and when, for GCN class 1 (left
# wrist) and 2 (right ankle) (1 person x 32 frames x 17 COCO joints); class 0
# holds still.
GCN_REGIONS = {1: (9, 0, 8), 2: (16, 24, 32)}
GCN_FRAMES = 32

RGB_MODEL = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly',
        depth=18,
        pretrained=None,
        in_channels=3,
        base_channels=8,
        num_stages=2,
        out_indices=(1, ),
        stage_blocks=(1, 1),
        conv1_kernel=(1, 3, 3),
        conv1_stride_s=1,
        pool1_stride_s=1,
        inflate=(0, 1),
        spatial_strides=(1, 2),
        temporal_strides=(1, 1),
        dilations=(1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=16,
        num_classes=3,
        dropout_ratio=0.0,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor', format_shape='NCTHW'))

GCN_MODEL = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN',
        base_channels=16,
        num_stages=2,
        inflate_stages=[],
        down_stages=[],
        graph_cfg=dict(layout='coco', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=3, in_channels=16))


def build(cfg: dict, seed: int = 0) -> nn.Module:
    """Build with every weight drawn from a seeded generator, so the test
    does not depend on the global RNG's state."""
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    model = MODELS.build(cfg)
    gen = torch.Generator().manual_seed(seed)
    # MMAction2's own schemes (Kaiming fan-out convs, N(0, 0.01) heads),
    # not the adjacency parameters of the GCN.
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            nn.init.kaiming_normal_(
                module.weight,
                mode='fan_out',
                nonlinearity='relu',
                generator=gen)
        elif isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=0.01, generator=gen)
        else:
            continue
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    return model


def rgb_clips(n_per_class: int,
              seed: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """``(N, 1, 3, 8, 16, 16)`` noise clips and labels 0/1/2."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.arange(3).repeat_interleave(n_per_class)
    clips = 0.5 * torch.randn(len(labels), 1, 3, 8, 16, 16, generator=gen)
    yy, xx = torch.meshgrid(
        torch.arange(16.), torch.arange(16.), indexing='ij')
    for i, label in enumerate(labels.tolist()):
        if label:
            t0, t1, y0, y1, x0, x1 = RGB_REGIONS[label]
            cy, cx = (y0 + y1 - 1) / 2, (x0 + x1 - 1) / 2
            blob = torch.exp(-((yy - cy)**2 + (xx - cx)**2) / (2 * 1.5**2))
            clips[i, 0, label - 1, t0:t1] += 2.5 * blob
    return clips, labels


def gcn_clips(n_per_class: int,
              seed: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """``(N, 1, 1, GCN_FRAMES, 17, 3)`` skeletons (x, y, score) and labels:
    one body, jittered; in class 1/2 one joint moves aside by 0.8 during its
    window and back."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.arange(3).repeat_interleave(n_per_class)
    # The same body for every set, whatever its seed.
    body = torch.rand(17, 2, generator=torch.Generator().manual_seed(0))
    n = len(labels)
    xy = 2 * body - 1 + 0.05 * torch.randn(n, GCN_FRAMES, 17, 2, generator=gen)
    for i, label in enumerate(labels.tolist()):
        if label:
            joint, t0, t1 = GCN_REGIONS[label]
            xy[i, t0:t1, joint, 0] += 0.8
    score = torch.ones(n, GCN_FRAMES, 17, 1)
    return torch.cat([xy, score], -1)[:, None, None], labels


def train(model: nn.Module,
          inputs: torch.Tensor,
          labels: torch.Tensor,
          steps: int,
          seed: int = 0,
          lr: float = 0.01) -> nn.Module:
    """Adam on (inputs, labels) in shuffled batches of 16."""
    gen = torch.Generator().manual_seed(seed)
    optim = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        index = torch.randperm(len(labels), generator=gen)[:16]
        feats, _ = model.extract_feat(inputs[index], stage='backbone')
        loss = F.cross_entropy(model.cls_head(feats), labels[index])
        optim.zero_grad()
        loss.backward()
        optim.step()
    # A few dozen steps leave BatchNorm's running statistics far from the
    # data's (momentum 0.1 from var 1): recompute them exactly.
    norms = [
        m for m in model.modules()
        if isinstance(m, nn.modules.batchnorm._BatchNorm)
    ]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average
    with torch.no_grad():
        model.extract_feat(inputs, stage='backbone')
    for norm in norms:
        norm.momentum = 0.1
    model.eval()
    return model


def accuracy(model: nn.Module, inputs: torch.Tensor,
             labels: torch.Tensor) -> float:
    with torch.no_grad():
        feats, _ = model.extract_feat(inputs, stage='backbone')
        pred = model.cls_head(feats).argmax(1)
    return float((pred == labels).float().mean())
