"""MotionBERT's dual-stream spatio-temporal transformer (DSTformer) as an
MMAction2 backbone for skeleton action recognition.

Zhu et al., "MotionBERT: A Unified Perspective on Learning Human Motion
Representations", ICCV 2023. Written from the paper and the structure of the
official release (``Walter0807/MotionBERT``, ``lib/model/DSTformer.py``):
module names and parameter shapes are the release's, so its pretrained and
fine-tuned checkpoints load with ``strict=True`` after
:func:`~mmhar_robust.models.utils.convert_motionbert_checkpoint`.
"""
from collections import OrderedDict
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_

from ...registry import MODELS
from .dstformer_blocks import DSTBlock


@MODELS.register_module()
class DSTformer(BaseModule):
    """DSTformer backbone: 2D keypoints with confidence in, one
    ``dim_rep``-wide representation per joint and frame out.

    Each frame's joints are embedded by a linear layer plus a learned joint
    (``pos_embed``) and frame (``temp_embed``, ``maxlen`` frames) embedding.
    Each of the ``depth`` layers runs two streams, spatial-then-temporal
    (``blocks_st``) and temporal-then-spatial (``blocks_ts``), and fuses them
    with per-token softmax weights from ``ts_attn``. A final LayerNorm and
    ``pre_logits`` (linear + tanh) give the representation.

    ``head`` is the release's 3D-pose output layer (``dim_rep`` -> 3): it is
    kept so that the release's checkpoints load strictly, but the action model
    never uses it, so its parameters are frozen (no gradient: DDP needs no
    ``find_unused_parameters``).

    Args:
        dim_in (int): Channels per joint, (x, y, confidence).
            Defaults to 3.
        dim_out (int): Width of the unused 3D-pose ``head``. Defaults to 3.
        dim_feat (int): Token width. Defaults to 512.
        dim_rep (int): Representation width (``pre_logits``).
            Defaults to 512.
        depth (int): Dual-stream layers. Defaults to 5.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP hidden width over ``dim_feat``. Defaults to 2.
        num_joints (int): Joints per frame. Defaults to 17.
        maxlen (int): Most frames (temporal embeddings). Defaults to 243.
        qkv_bias (bool): Bias in q/k/v projections. Defaults to True.
        qk_scale (float, optional): Attention logit scale; None for
            ``head_dim ** -0.5``. Defaults to None.
        drop_rate (float): Dropout rate. Defaults to 0.
        attn_drop_rate (float): Attention dropout rate. Defaults to 0.
        drop_path_rate (float): Stochastic depth of the last layer (linear
            from 0). Defaults to 0.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
        init_cfg (dict, optional): MMEngine init config. Defaults to None.

    Shapes:
        ``forward``: ``(N, M, T, J, dim_in)`` (``M`` persons) to
        ``(N, M, T, J, dim_rep)``; :meth:`get_representation` the same
        without the person axis.
    """

    # Its layers output (N*M*T, J, C) / (N*M, T, J, C) tokens, channels last
    # (read by Grad-CAM to fold them into joints x frames).
    tokens_channels_last = True

    def __init__(self,
                 dim_in: int = 3,
                 dim_out: int = 3,
                 dim_feat: int = 512,
                 dim_rep: int = 512,
                 depth: int = 5,
                 num_heads: int = 8,
                 mlp_ratio: float = 2,
                 num_joints: int = 17,
                 maxlen: int = 243,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 norm_eps: float = 1e-6,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.dim_in, self.dim_rep = dim_in, dim_rep
        self.num_joints, self.maxlen = num_joints, maxlen
        self.joints_embed = nn.Linear(dim_in, dim_feat)
        self.pos_drop = nn.Dropout(p=drop_rate)
        rates = torch.linspace(0, drop_path_rate, depth).tolist()
        block = dict(dim=dim_feat, num_heads=num_heads, mlp_ratio=mlp_ratio,
                     qkv_bias=qkv_bias, qk_scale=qk_scale, drop=drop_rate,
                     attn_drop=attn_drop_rate, norm_eps=norm_eps)
        self.blocks_st = nn.ModuleList(
            DSTBlock(order='st', drop_path=r, **block) for r in rates)
        self.blocks_ts = nn.ModuleList(
            DSTBlock(order='ts', drop_path=r, **block) for r in rates)
        self.norm = nn.LayerNorm(dim_feat, eps=norm_eps)
        self.pre_logits = nn.Sequential(
            OrderedDict([('fc', nn.Linear(dim_feat, dim_rep)),
                         ('act', nn.Tanh())]))
        self.head = nn.Linear(dim_rep, dim_out)
        self.temp_embed = nn.Parameter(torch.zeros(1, maxlen, 1, dim_feat))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_joints, dim_feat))
        self.ts_attn = nn.ModuleList(
            nn.Linear(dim_feat * 2, 2) for _ in range(depth))
        self._reset_parameters()
        self.head.requires_grad_(False)

    def _reset_parameters(self) -> None:
        """The release's initialisation: truncated normal (std 0.02) for
        embeddings and linear weights, zero biases, unit LayerNorms, and
        stream fusion starting at equal weights (weight 0, bias 0.5)."""
        trunc_normal_(self.temp_embed, std=.02)
        trunc_normal_(self.pos_embed, std=.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                trunc_normal_(module.weight, std=.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        for fuse in self.ts_attn:
            nn.init.zeros_(fuse.weight)
            nn.init.constant_(fuse.bias, 0.5)

    def get_representation(self, x: torch.Tensor) -> torch.Tensor:
        """The representation of single-person clips.

        Args:
            x (torch.Tensor): ``(B, T, J, dim_in)``, ``T <= maxlen``.

        Returns:
            torch.Tensor: ``(B, T, J, dim_rep)``.
        """
        if x.dim() != 4 or x.shape[2:] != (self.num_joints, self.dim_in):
            raise ValueError(
                f'DSTformer expects clips (B, T, {self.num_joints}, '
                f'{self.dim_in}), got {tuple(x.shape)}')
        batch, frames = x.shape[:2]
        if frames > self.maxlen:
            raise ValueError(
                f'DSTformer got clips of {frames} frames, more than its '
                f'maxlen {self.maxlen} (temporal embeddings): resample clips '
                f'to at most {self.maxlen} frames (MotionBERTResample)')
        x = self.joints_embed(x) + self.pos_embed + \
            self.temp_embed[:, :frames]
        x = self.pos_drop(x.flatten(0, 1))  # (B*T, J, C) tokens
        for fuse, blk_st, blk_ts in zip(self.ts_attn, self.blocks_st,
                                        self.blocks_ts):
            x_st, x_ts = blk_st(x, frames), blk_ts(x, frames)
            alpha = fuse(torch.cat([x_st, x_ts], dim=-1)).softmax(dim=-1)
            x = x_st * alpha[..., 0:1] + x_ts * alpha[..., 1:2]
        x = self.norm(x).reshape(batch, frames, self.num_joints, -1)
        return self.pre_logits(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Per-person representations, as MotionBERT's ``ActionNet`` gets
        them.

        Args:
            x (torch.Tensor): ``(N, M, T, J, dim_in)``.

        Returns:
            torch.Tensor: ``(N, M, T, J, dim_rep)``.
        """
        if x.dim() != 5:
            raise ValueError(
                'DSTformer expects (N, M, T, J, C) skeletons (a '
                'RecognizerGCN passes (N * num_clips, M, T, J, C)), got '
                f'{tuple(x.shape)}')
        n, m = x.shape[:2]
        feat = self.get_representation(x.flatten(0, 1))
        return feat.reshape((n, m) + feat.shape[1:])
