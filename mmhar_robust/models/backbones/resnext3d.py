"""Hara et al.'s 3D ResNeXt (CVPR 2018), the network seed 002 fine-tunes."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch.nn.modules.batchnorm import _BatchNorm

from ...registry import MODELS

STAGE_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
CONV = dict(type='Conv3d')
NORM = dict(type='BN3d', requires_grad=True)


class ResNeXtBottleneck3d(nn.Module):
    """1x1x1 reduce, grouped 3x3x3 (``cardinality`` groups), 1x1x1 expand,
    plus the shortcut (Hara's type B: a strided 1x1x1 conv and BN when the
    shape changes, the identity otherwise).

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Channels of the grouped conv.
        out_channels (int): Output channels.
        cardinality (int): Groups of the 3x3x3 conv.
        stride (int): Stride of the 3x3x3 conv in time and space.
            Defaults to 1.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: int,
                 out_channels: int,
                 cardinality: int,
                 stride: int = 1) -> None:
        super().__init__()
        common = dict(bias=False, conv_cfg=CONV, norm_cfg=NORM)
        self.conv1 = ConvModule(in_channels, mid_channels, 1, **common)
        self.conv2 = ConvModule(
            mid_channels, mid_channels, 3, stride=stride, padding=1,
            groups=cardinality, **common)
        self.conv3 = ConvModule(
            mid_channels, out_channels, 1, act_cfg=None, **common)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = ConvModule(
                in_channels, out_channels, 1, stride=stride, act_cfg=None,
                **common)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.conv3(self.conv2(self.conv1(x))) + identity)


@MODELS.register_module()
class ResNeXt3d(BaseModule):
    """3D ResNeXt as in Hara et al., "Can Spatiotemporal 3D CNNs Retrace the
    History of 2D CNNs and ImageNet?" (CVPR 2018), for 16 x 112 x 112 clips.

    Stem: a 7x7x7 conv, stride (1, 2, 2), BN, ReLU, and a 3x3x3 max pool of
    stride 2 (time included). Four stages of :class:`ResNeXtBottleneck3d`
    (3, 4, 6, 3 blocks for depth 50; 3, 4, 23, 3 for 101); the first block
    of stages 2-4 has stride 2 in time and space. With cardinality 32 and
    bottleneck width 4 the grouped convs have 128, 256, 512 and 1024
    channels and the stages output 256, 512, 1024 and 2048. A 16 x 112 x 112
    clip ends as 2048 x 1 x 4 x 4; mmaction2's ``I3DHead`` averages and
    classifies it.

    Hara's released checkpoints use other module names and would need their
    keys renamed to load; ours (``load_from``) load as they are.

    Args:
        depth (int): 50, 101 or 152. Defaults to 101.
        in_channels (int): Input channels. Defaults to 3.
        stem_channels (int): Channels of the stem conv. Defaults to 64.
        base_channels (int): Output channels of the first stage; each stage
            doubles them. Defaults to 256.
        cardinality (int): Groups of the 3x3x3 convs. Defaults to 32.
        bottleneck_width (int): Channels per group in the first stage; each
            stage doubles them. Defaults to 4.
        stage_blocks (Sequence[int], optional): Blocks per stage, overriding
            ``depth`` (e.g. a tiny CPU variant). Defaults to None.
        frozen_stages (int): Stages kept frozen (weights and BN statistics):
            0 freezes the stem, 1 the stem and stage 1, ...; -1 none.
            Defaults to -1.
        norm_eval (bool): Keep every BN in eval mode while training.
            Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to Kaiming for convs and constant for norms.
    """

    def __init__(self,
                 depth: int = 101,
                 in_channels: int = 3,
                 stem_channels: int = 64,
                 base_channels: int = 256,
                 cardinality: int = 32,
                 bottleneck_width: int = 4,
                 stage_blocks: Optional[Sequence[int]] = None,
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv3d', mode='fan_out',
                     nonlinearity='relu'),
                dict(type='Constant', layer='BatchNorm3d', val=1)
            ]
        super().__init__(init_cfg=init_cfg)
        if stage_blocks is None:
            if depth not in STAGE_BLOCKS:
                raise ValueError(f'ResNeXt3d: depth must be one of '
                                 f'{sorted(STAGE_BLOCKS)}, got {depth!r}')
            stage_blocks = STAGE_BLOCKS[depth]
        if len(stage_blocks) != 4 or min(stage_blocks) < 1:
            raise ValueError('ResNeXt3d: stage_blocks must be four positive '
                             f'counts, got {stage_blocks!r}')
        if base_channels % 2 or min(cardinality, bottleneck_width) < 1:
            raise ValueError(
                'ResNeXt3d: base_channels must be even and cardinality, '
                f'bottleneck_width positive, got {base_channels}, '
                f'{cardinality}, {bottleneck_width}')
        if not -1 <= frozen_stages <= 4:
            raise ValueError('ResNeXt3d: frozen_stages must be in [-1, 4], '
                             f'got {frozen_stages!r}')
        self.depth = depth
        self.stage_blocks = tuple(stage_blocks)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.stem = ConvModule(
            in_channels, stem_channels, 7, stride=(1, 2, 2), padding=3,
            bias=False, conv_cfg=CONV, norm_cfg=NORM)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        channels = stem_channels
        stages = []
        for i, blocks in enumerate(self.stage_blocks):
            mid = cardinality * bottleneck_width * 2**i
            out = base_channels * 2**i
            layers = []
            for j in range(blocks):
                stride = 2 if i > 0 and j == 0 else 1
                layers.append(
                    ResNeXtBottleneck3d(channels, mid, out, cardinality,
                                        stride))
                channels = out
            stages.append(nn.Sequential(*layers))
        self.stages = nn.ModuleList(stages)
        self.feat_dim = channels
        self._freeze()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C, T, H, W)`` clips to ``(N, feat_dim, T/16, H/32, W/32)``
        features (sizes rounded up)."""
        x = self.maxpool(self.stem(x))
        for stage in self.stages:
            x = stage(x)
        return x

    def _freeze(self) -> None:
        for module in [self.stem, *self.stages][:self.frozen_stages + 1]:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def init_weights(self) -> None:
        super().init_weights()
        self._freeze()

    def train(self, mode: bool = True) -> 'ResNeXt3d':
        super().train(mode)
        self._freeze()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self
