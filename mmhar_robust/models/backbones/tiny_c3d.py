"""A small plain 3D CNN for CPU demos and tests on low-resolution clips."""
from typing import Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from ...registry import MODELS


@MODELS.register_module()
class TinyC3D(BaseModule):
    """Four 3x3x3 conv-BN-ReLU stages with max pooling, C3D style, ending in
    a global max pool.

    Sized for 2 CPU cores and 32 x 32 clips (about 0.8 M parameters). The
    global max pool lets a small model find a local motion pattern anywhere
    in the clip; averaging would dilute a small person into the background.
    Grad-CAM's default target is the last stage (``stages.3``), whose maps
    are 4 x 4 for 16 x 32 x 32 inputs.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (Sequence[int]): Width of each stage. Defaults to
            (32, 64, 128, 128).
        first_kernel (Sequence[int]): Kernel of the first conv, (t, h, w).
            Defaults to (3, 5, 5).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to Kaiming for convs and constant for norms.
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
        # Pool in space only after the first stage (keep early motion), in
        # space and time after the next two, not after the last.
        pools = [(1, 2, 2), (2, 2, 2), (2, 2, 2), None]
        stages = []
        for i, (width, pool) in enumerate(zip(channels, pools)):
            kernel = tuple(first_kernel) if i == 0 else (3, 3, 3)
            layers = [
                nn.Conv3d(
                    in_channels,
                    width,
                    kernel,
                    padding=tuple(k // 2 for k in kernel),
                    bias=False),
                nn.BatchNorm3d(width),
                nn.ReLU(inplace=True)
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
