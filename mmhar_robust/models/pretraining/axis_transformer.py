"""Transformer layers that attend along one axis of a skeleton token grid."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

MODES = ('spatial', 'temporal', 'spatiotemporal')


def check_mode(mode: str, field: str = 'mode') -> str:
    """Return ``mode`` if it is one of :data:`MODES`, else raise."""
    if mode not in MODES:
        raise ValueError(f'{field} must be one of {MODES}, got {mode!r}')
    return mode


class AxisTransformer(BaseModule):
    """A stack of ``nn.TransformerEncoderLayer`` over a ``(B, T, V, D)`` grid
    of tokens (``T`` time steps or patches, ``V`` joints).

    Each layer attends along one axis: ``'spatial'`` between the joints of
    one time step, ``'temporal'`` between the time steps of one joint,
    ``'spatiotemporal'`` alternating the two (spatial first, as MAMP does).
    Pre-norm layers with GELU, and a final LayerNorm.

    ``ignore`` (``(B, T, V)`` bool, True for tokens that must not be
    attended to) drops tokens as keys in every layer: the outputs of the
    other tokens then do not depend on them, as if they had been removed
    (MAE's encoder), while the grid stays rectangular. A group (one time
    step in a spatial layer, one joint in a temporal one) whose tokens are
    all ignored attends among itself, so that softmax has a key; those
    outputs are discarded by the caller anyway.

    Args:
        embed_dims (int): Token width. Defaults to 256.
        depth (int): Layers. Defaults to 5.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): Feed-forward width over ``embed_dims``.
            Defaults to 4.0.
        mode (str): One of :data:`MODES`. Defaults to 'spatial'.
        dropout (float): Dropout in the layers. Defaults to 0.0.
        init_cfg (dict, optional): MMEngine init config. Defaults to None.
    """

    def __init__(self,
                 embed_dims: int = 256,
                 depth: int = 5,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.0,
                 mode: str = 'spatial',
                 dropout: float = 0.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.mode = check_mode(mode)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims ({embed_dims}) must be divisible '
                             f'by num_heads ({num_heads})')
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(
                embed_dims,
                num_heads,
                int(embed_dims * mlp_ratio),
                dropout,
                activation='gelu',
                batch_first=True,
                norm_first=True) for _ in range(depth))
        self.norm = nn.LayerNorm(embed_dims)

    def axis(self, index: int) -> str:
        """The axis layer ``index`` attends along."""
        if self.mode == 'spatiotemporal':
            return 'spatial' if index % 2 == 0 else 'temporal'
        return self.mode

    def forward(self,
                x: torch.Tensor,
                ignore: Optional[torch.Tensor] = None) -> torch.Tensor:
        """``(B, T, V, D)`` -> ``(B, T, V, D)``."""
        b, t, v, d = x.shape
        for index, layer in enumerate(self.layers):
            temporal = self.axis(index) == 'temporal'
            if temporal:  # sequences of the T steps of each joint
                x = x.transpose(1, 2)
            shape = x.shape
            seq = x.reshape(-1, shape[2], d)
            pad = None
            if ignore is not None:
                pad = (ignore.transpose(1, 2) if temporal else ignore)
                pad = pad.reshape(-1, shape[2])
                pad = pad & ~pad.all(dim=1, keepdim=True)
            x = layer(seq, src_key_padding_mask=pad).reshape(shape)
            if temporal:
                x = x.transpose(1, 2)
        return self.norm(x)
