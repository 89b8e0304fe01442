"""A small plain 3D CNN for CPU demos and tests on low-resolution clips."""
from typing import Dict, List, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from ...registry import MODELS

# Pool in space only after the first stage (keep early motion), in space and
# time after the next two, not after the last.
STAGE_POOLS = ((1, 2, 2), (2, 2, 2), (2, 2, 2), None)


class TorchInitConv3d(nn.Conv3d):
    """``nn.Conv3d`` with an ``init_weights`` of its own (torch's), so that
    ``ConvModule`` leaves it alone instead of drawing a Kaiming init when it
    is built: building TinyC3D then draws the same random numbers as the
    plain-torch layout did, and a seeded run gives the same weights.
    TinyC3D's ``init_cfg`` (``layer='Conv3d'`` matches the base class)
    initialises it in ``init_weights`` as before."""

    def init_weights(self) -> None:
        self.reset_parameters()


@MODELS.register_module()
class TinyC3D(BaseModule):
    """Four 3x3x3 conv-BN-ReLU stages (mmcv's ``ConvModule``) with max
    pooling, C3D style, ending in a global max pool.

    Sized for 2 CPU cores and 32 x 32 clips (about 0.8 M parameters). The
    global max pool lets a small model find a local motion pattern anywhere
    in the clip; averaging would dilute a small person into the background.
    Grad-CAM's default target is the last stage (``stages.3``), whose maps
    are 4 x 4 for 16 x 32 x 32 inputs.

    Checkpoints of the earlier layout (each stage a plain ``Sequential`` of
    ``Conv3d``, ``BatchNorm3d``, ``ReLU`` and ``MaxPool3d``) still load: their
    keys ``stages.<i>.0.weight`` and ``stages.<i>.1.*`` are renamed to
    ``stages.<i>.0.conv.weight`` and ``stages.<i>.0.bn.*``.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (Sequence[int]): Width of each of the four stages. Defaults
            to (32, 64, 128, 128).
        first_kernel (Sequence[int]): Kernel of the first conv, (t, h, w).
            Defaults to (3, 5, 5).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to Kaiming for convs and constant for norms.

    Raises:
        ValueError: ``channels`` does not give four widths, or
            ``first_kernel`` is not three sizes.
    """

    def __init__(
        self,
        in_channels: int = 3,
        channels: Sequence[int] = (32, 64, 128, 128),
        first_kernel: Sequence[int] = (3, 5, 5),
        init_cfg=(dict(type='Kaiming', layer='Conv3d'),
                  dict(type='Constant', layer='BatchNorm3d', val=1))
    ) -> None:
        super().__init__(init_cfg=list(init_cfg))
        if len(channels) != len(STAGE_POOLS):
            raise ValueError(
                f'TinyC3D has {len(STAGE_POOLS)} stages, so channels must '
                f'give {len(STAGE_POOLS)} widths; got {tuple(channels)}')
        if len(first_kernel) != 3:
            raise ValueError('first_kernel must be 3 sizes (t, h, w), got '
                             f'{tuple(first_kernel)}')
        stages = []
        for i, (width, pool) in enumerate(zip(channels, STAGE_POOLS)):
            kernel = tuple(first_kernel) if i == 0 else (3, 3, 3)
            layers: List[nn.Module] = [
                ConvModule(
                    in_channels,
                    width,
                    kernel,
                    padding=tuple(k // 2 for k in kernel),
                    bias=False,
                    conv_cfg=dict(type=TorchInitConv3d),
                    norm_cfg=dict(type='BN3d'),
                    act_cfg=dict(type='ReLU', inplace=True))
            ]
            if pool is not None:
                layers.append(nn.MaxPool3d(pool))
            stages.append(nn.Sequential(*layers))
            in_channels = width
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveMaxPool3d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, channels[-1], 1, 1, 1)."""
        return self.pool(self.stages(x))

    def _load_from_state_dict(self, state_dict: Dict, prefix: str, *args,
                              **kwargs) -> None:
        """Rename the earlier layout's keys, then load as usual (children
        load after this, from the same dict)."""
        for i in range(len(self.stages)):
            stage = f'{prefix}stages.{i}.'
            for key in [k for k in state_dict if k.startswith(stage)]:
                rest = key[len(stage):]
                if rest == '0.weight':
                    state_dict[f'{stage}0.conv.weight'] = state_dict.pop(key)
                elif rest.startswith('1.'):
                    state_dict[f'{stage}0.bn.{rest[2:]}'] = state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
