"""The student's predictor and decoder: a light transformer from encoder
features to a per-token target."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_

from .axis_transformer import AxisTransformer


class TokenPredictor(BaseModule):
    """Maps encoder features ``(B, T', V, in_dims)`` to ``(B, T', V,
    out_dims)``.

    A linear projection to ``embed_dims``; where ``mask`` is given, the
    masked tokens are replaced by a learned mask token (seed 003's "mask
    tokens compensate for the dropped joints and frames"); learned joint and
    time embeddings are added so that a mask token knows where it stands;
    then ``depth`` :class:`AxisTransformer` layers and a linear output.

    Args:
        in_dims (int): Width of the encoder features.
        out_dims (int): Width of the target (the teacher's features, or
            ``patch_size * C`` coordinates or motion).
        num_joints (int): ``V``.
        num_patches (int): The most time segments ``T'``.
        embed_dims (int): Width inside. Defaults to 256.
        depth (int): Layers (seed 003: 3). Defaults to 3.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): Feed-forward width over ``embed_dims``.
            Defaults to 4.0.
        mode (str): Attention axes, as for :class:`AxisTransformer`.
            Defaults to 'spatial'.
    """

    def __init__(self,
                 in_dims: int,
                 out_dims: int,
                 num_joints: int,
                 num_patches: int,
                 embed_dims: int = 256,
                 depth: int = 3,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.0,
                 mode: str = 'spatial') -> None:
        super().__init__()
        self.in_proj = nn.Linear(in_dims, embed_dims)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, 1, embed_dims))
        self.joint_pos = nn.Parameter(
            torch.zeros(1, 1, num_joints, embed_dims))
        self.time_pos = nn.Parameter(
            torch.zeros(1, num_patches, 1, embed_dims))
        for param in (self.mask_token, self.joint_pos, self.time_pos):
            trunc_normal_(param, std=0.02)
        self.blocks = AxisTransformer(embed_dims, depth, num_heads, mlp_ratio,
                                      mode)
        self.out_proj = nn.Linear(embed_dims, out_dims)

    def forward(self,
                feats: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """``(B, T', V, in_dims)`` (and a ``(B, T', V)`` bool mask) ->
        ``(B, T', V, out_dims)``."""
        x = self.in_proj(feats)
        if mask is not None:
            x = torch.where(mask[..., None], self.mask_token.to(x.dtype), x)
        x = x + self.joint_pos + self.time_pos[:, :x.shape[1]]
        return self.out_proj(self.blocks(x))
