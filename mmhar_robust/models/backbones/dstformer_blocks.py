"""The building blocks of MotionBERT's DSTformer: an MLP, spatial or temporal
multi-head self-attention, and the dual-stream block that chains them.

Module and parameter names follow MotionBERT's release (``norm1_s``,
``attn_t.qkv``, ``mlp_s.fc1``...), so that its checkpoints load with
``strict=True`` into :class:`~mmhar_robust.models.backbones.DSTformer`.

Tokens are ``(B * T, J, C)``: one row of joints per frame. Spatial attention
mixes the joints of a frame, temporal attention mixes the frames of a joint;
the latter needs the clip length ``seqlen`` to unfold ``B * T``.
"""
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn.bricks.drop import DropPath

ATTENTION_MODES = ('spatial', 'temporal')
BLOCK_ORDERS = ('st', 'ts')


class MLP(nn.Module):
    """Linear, GELU, dropout, linear, dropout.

    Args:
        in_features (int): Input and output width.
        hidden_features (int): Hidden width.
        drop (float): Dropout after each linear layer. Defaults to 0.
    """

    def __init__(self,
                 in_features: int,
                 hidden_features: int,
                 drop: float = 0.) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_features, in_features)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class STAttention(nn.Module):
    """Multi-head self-attention over the joints of a frame (``spatial``) or
    the frames of a joint (``temporal``).

    Args:
        dim (int): Token width; a multiple of ``num_heads``.
        num_heads (int): Attention heads. Defaults to 8.
        mode (str): 'spatial' or 'temporal'. Defaults to 'spatial'.
        qkv_bias (bool): Bias in the query/key/value projection.
            Defaults to True.
        qk_scale (float, optional): Logit scale; None for
            ``head_dim ** -0.5``. Defaults to None.
        attn_drop (float): Dropout on attention weights. Defaults to 0.
        proj_drop (float): Dropout after the output projection.
            Defaults to 0.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 mode: str = 'spatial',
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if mode not in ATTENTION_MODES:
            raise ValueError(
                f'mode must be one of {ATTENTION_MODES}, got {mode!r}')
        if dim % num_heads:
            raise ValueError(
                f'dim {dim} is not a multiple of num_heads {num_heads}')
        self.mode = mode
        self.num_heads = num_heads
        self.scale = qk_scale or (dim // num_heads)**-0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor, seqlen: int = 1) -> torch.Tensor:
        """Attend within frames or within joints.

        Args:
            x (torch.Tensor): Tokens ``(B * T, J, C)``.
            seqlen (int): ``T``, for temporal attention. Defaults to 1.
        """
        bt, joints, channels = x.shape
        heads = self.num_heads
        # (3, B*T, heads, J, head_dim)
        qkv = self.qkv(x).reshape(bt, joints, 3, heads, channels // heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        if self.mode == 'temporal':
            # (B, heads, J, T, head_dim): attend over T for each joint.
            q, k, v = (t.reshape(-1, seqlen, heads, joints, channels //
                                 heads).permute(0, 2, 3, 1, 4)
                       for t in (q, k, v))
        attn = self.attn_drop(((q @ k.transpose(-2, -1)) *
                               self.scale).softmax(dim=-1))
        out = attn @ v
        if self.mode == 'temporal':
            out = out.permute(0, 3, 2, 1, 4)  # (B, T, J, heads, head_dim)
        else:
            out = out.transpose(1, 2)  # (B*T, J, heads, head_dim)
        out = out.reshape(bt, joints, channels)
        return self.proj_drop(self.proj(out))


class DSTBlock(nn.Module):
    """One stream of a dual-stream layer: spatial then temporal attention
    (``order='st'``) or the reverse (``'ts'``), each followed by an MLP, all
    pre-norm residual branches.

    Args:
        dim (int): Token width.
        num_heads (int): Attention heads.
        mlp_ratio (float): MLP hidden width over ``dim``. Defaults to 4.
        order (str): 'st' or 'ts'. Defaults to 'st'.
        qkv_bias (bool): Bias in the q/k/v projections. Defaults to True.
        qk_scale (float, optional): Attention logit scale. Defaults to None.
        drop (float): Dropout in MLPs and after projections. Defaults to 0.
        attn_drop (float): Dropout on attention weights. Defaults to 0.
        drop_path (float): Stochastic depth rate of the residual branches.
            Defaults to 0.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 order: str = 'st',
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 norm_eps: float = 1e-6) -> None:
        super().__init__()
        if order not in BLOCK_ORDERS:
            raise ValueError(
                f'order must be one of {BLOCK_ORDERS}, got {order!r}')
        self.order = order
        attn = dict(num_heads=num_heads, qkv_bias=qkv_bias,
                    qk_scale=qk_scale, attn_drop=attn_drop, proj_drop=drop)
        # Registration order as in the release (state_dict order).
        self.norm1_s = nn.LayerNorm(dim, eps=norm_eps)
        self.norm1_t = nn.LayerNorm(dim, eps=norm_eps)
        self.attn_s = STAttention(dim, mode='spatial', **attn)
        self.attn_t = STAttention(dim, mode='temporal', **attn)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else \
            nn.Identity()
        self.norm2_s = nn.LayerNorm(dim, eps=norm_eps)
        self.norm2_t = nn.LayerNorm(dim, eps=norm_eps)
        hidden = int(dim * mlp_ratio)
        self.mlp_s = MLP(dim, hidden, drop)
        self.mlp_t = MLP(dim, hidden, drop)

    def _spatial(self, x: torch.Tensor, seqlen: int) -> torch.Tensor:
        x = x + self.drop_path(self.attn_s(self.norm1_s(x), seqlen))
        return x + self.drop_path(self.mlp_s(self.norm2_s(x)))

    def _temporal(self, x: torch.Tensor, seqlen: int) -> torch.Tensor:
        x = x + self.drop_path(self.attn_t(self.norm1_t(x), seqlen))
        return x + self.drop_path(self.mlp_t(self.norm2_t(x)))

    def forward(self, x: torch.Tensor, seqlen: int) -> torch.Tensor:
        """Tokens ``(B * T, J, C)`` in, the same shape out."""
        if self.order == 'st':
            return self._temporal(self._spatial(x, seqlen), seqlen)
        return self._spatial(self._temporal(x, seqlen), seqlen)
