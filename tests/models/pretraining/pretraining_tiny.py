"""Tiny configs shared by the pretraining tests (fast on CPU)."""
import torch
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401  (registers the models)


def tiny_backbone(**kwargs) -> dict:
    """A 16-wide, one-layer SkeletonTransformer on 8-frame 5-joint clips."""
    cfg = dict(type='SkeletonTransformer', in_channels=3, num_joints=5,
               clip_len=8, patch_size=2, embed_dims=16, depth=1, num_heads=2,
               mlp_ratio=2.0, mode='spatial')
    cfg.update(kwargs)
    return cfg


def build(backbone=None, **kwargs):
    """A MaskedSkeletonDistiller with a predictor and a decoder."""
    from mmaction.registry import MODELS
    init_default_scope('mmaction')
    cfg = dict(type='MaskedSkeletonDistiller',
               backbone=backbone or tiny_backbone(),
               predictor=dict(embed_dims=16, depth=1, num_heads=2),
               decoder=dict(embed_dims=16, depth=1, num_heads=2),
               teacher_momentum=0.9)
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def clips(n: int = 2, persons: int = 2, seed: int = 0) -> torch.Tensor:
    """``(N, 1, M, 8, 5, 3)`` random clips, the collated input shape."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, persons, 8, 5, 3, generator=gen)
