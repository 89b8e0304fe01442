"""Seed 003's skeleton transformer encoder, as an MMAction2 backbone."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_

from ...registry import MODELS
from .axis_transformer import AxisTransformer

_SHAPE_HINT = ('another embed_dims, depth, patch_size, clip_len, '
               'num_joints or in_channels?')


@MODELS.register_module()
class SkeletonTransformer(BaseModule):
    """Joint embedding and a spatial or temporal transformer over skeletons.

    Each person's clip ``(T, V, C)`` is cut into temporal segments of
    ``patch_size`` frames (seed 003's "patches", 4; 1 embeds every frame);
    each joint of a segment, its ``patch_size * C`` coordinates, becomes one
    token through a linear joint embedding, plus a learned joint and a
    learned time embedding. An :class:`AxisTransformer` (``mode``) encodes
    the ``(T / patch_size, V)`` grid.

    As a backbone of ``RecognizerGCN`` it takes ``(N, M, T, V, C)`` and
    returns ``(N, M, embed_dims, T / patch_size, V)``, the shape mmaction2's
    ``GCNHead`` pools (a linear head). :class:`MaskedSkeletonDistiller` uses
    :meth:`patchify` and :meth:`encode` directly.

    ``frozen=True`` (linear probing) stops gradients to every parameter and
    keeps the encoder in eval mode (no dropout) while the head trains.

    Loading weights (``load_from``, ``init_cfg=dict(type='Pretrained',
    prefix='backbone.')`` or ``load_state_dict``) is checked: a state dict
    with none, only some, or misshapen weights of this encoder raises
    ``KeyError``/``ValueError`` naming the key, where MMEngine would only warn
    and train from random weights.

    Args:
        in_channels (int): Coordinates per joint, ``C``. Defaults to 3.
        num_joints (int): Joints, ``V``. Defaults to 25.
        clip_len (int): The most frames a clip has (time embeddings for
            ``clip_len / patch_size`` segments). Defaults to 120.
        patch_size (int): Frames per temporal segment. Defaults to 1.
        embed_dims (int): Token width. Defaults to 256.
        depth (int): Transformer layers. Defaults to 5.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): Feed-forward width over ``embed_dims``.
            Defaults to 4.0.
        mode (str): 'spatial', 'temporal' or 'spatiotemporal' (alternating).
            Defaults to 'spatial'.
        dropout (float): Dropout in the layers. Defaults to 0.0.
        frozen (bool): Freeze every parameter (linear probing).
            Defaults to False.
        init_cfg (dict or list[dict], optional): MMEngine init config, e.g.
            ``dict(type='Pretrained', checkpoint=..., prefix='backbone.')``.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 clip_len: int = 120,
                 patch_size: int = 1,
                 embed_dims: int = 256,
                 depth: int = 5,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.0,
                 mode: str = 'spatial',
                 dropout: float = 0.0,
                 frozen: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if patch_size < 1 or clip_len % patch_size:
            raise ValueError(f'clip_len ({clip_len}) must be a multiple of '
                             f'patch_size ({patch_size} >= 1)')
        self.in_channels, self.num_joints = in_channels, num_joints
        self.clip_len, self.patch_size = clip_len, patch_size
        self.embed_dims, self.mode = embed_dims, mode
        self.num_patches = clip_len // patch_size
        self.joint_embed = nn.Linear(patch_size * in_channels, embed_dims)
        self.joint_pos = nn.Parameter(torch.zeros(1, 1, num_joints,
                                                  embed_dims))
        self.time_pos = nn.Parameter(
            torch.zeros(1, self.num_patches, 1, embed_dims))
        trunc_normal_(self.joint_pos, std=0.02)
        trunc_normal_(self.time_pos, std=0.02)
        self.blocks = AxisTransformer(embed_dims, depth, num_heads, mlp_ratio,
                                      mode, dropout)
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)

    def train(self, mode: bool = True) -> 'SkeletonTransformer':
        """Set the mode; a frozen encoder stays in eval mode."""
        return super().train(mode and not self.frozen)

    def patchify(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, T, V, C)`` -> ``(B, T / patch_size, V, patch_size * C)``,
        the frames of a segment concatenated per joint."""
        b, t, v, c = x.shape
        if (v, c) != (self.num_joints, self.in_channels):
            raise ValueError(f'SkeletonTransformer expects (..., T, '
                             f'{self.num_joints}, {self.in_channels}) '
                             f'input, got {tuple(x.shape)}')
        if t % self.patch_size or t > self.clip_len:
            raise ValueError(
                f'SkeletonTransformer: {t} frames, but clips must have at '
                f'most clip_len={self.clip_len} frames in whole segments of '
                f'patch_size={self.patch_size}')
        p = self.patch_size
        x = x.reshape(b, t // p, p, v, c).transpose(2, 3)
        return x.reshape(b, t // p, v, p * c)

    def encode(self,
               patches: torch.Tensor,
               ignore: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Tokens ``(B, T', V, patch_size * C)`` -> features ``(B, T', V,
        D)``; ``ignore`` (``(B, T', V)`` bool) as for
        :class:`AxisTransformer`."""
        t = patches.shape[1]
        tokens = (self.joint_embed(patches) + self.joint_pos +
                  self.time_pos[:, :t])
        return self.blocks(tokens, ignore)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` -> ``(N, M, D, T / patch_size, V)``."""
        if x.ndim != 5:
            raise ValueError('SkeletonTransformer expects (N, M, T, V, C) '
                             f'input, got {tuple(x.shape)}')
        n, m = x.shape[:2]
        feats = self.encode(self.patchify(x.flatten(0, 1)))
        feats = feats.reshape((n, m) + feats.shape[1:])
        return feats.permute(0, 1, 4, 2, 3).contiguous()

    def _load_from_state_dict(self, state_dict: Dict, prefix: str, *args,
                              **kwargs) -> None:
        own = self.state_dict()
        present = [k for k in own if prefix + k in state_dict]
        if len(present) < len(own):
            example = next(iter(state_dict), None)
            found = (f'{len(present)} of its {len(own)} weights'
                     if present else f'none of its weights (first key: '
                     f'{example!r})')
            missing = next(k for k in own if prefix + k not in state_dict)
            raise KeyError(
                f'the checkpoint lacks {prefix + missing!r}: it has {found} '
                f'under {prefix!r} (a checkpoint of another model, or '
                'another prefix in init_cfg?)')
        for key, value in own.items():
            saved = state_dict[prefix + key]
            if tuple(saved.shape) != tuple(value.shape):
                raise ValueError(
                    f'the checkpoint\'s {prefix + key!r} has shape '
                    f'{tuple(saved.shape)}, the config\'s encoder '
                    f'{tuple(value.shape)} ({_SHAPE_HINT})')
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
