"""A dilated temporal convolutional network (TCN) as a skeleton backbone."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from ...registry import MODELS


class TemporalBlock(nn.Module):
    """Two dilated 1-D convolutions, each followed by batch normalisation,
    with ReLU and dropout between, and a residual connection (1x1 conv when
    the width changes). Padding keeps the length.

    Args:
        in_channels (int): Input width.
        out_channels (int): Output width.
        kernel_size (int): Temporal kernel (odd).
        dilation (int): Dilation of both convolutions.
        dropout (float): Dropout after each activation.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 dilation: int, dropout: float) -> None:
        super().__init__()
        pad = dilation * (kernel_size - 1) // 2
        self.body = nn.Sequential(
            nn.Conv1d(
                in_channels,
                out_channels,
                kernel_size,
                padding=pad,
                dilation=dilation,
                bias=False), nn.BatchNorm1d(out_channels),
            nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Conv1d(
                out_channels,
                out_channels,
                kernel_size,
                padding=pad,
                dilation=dilation,
                bias=False), nn.BatchNorm1d(out_channels))
        self.residual = (
            nn.Identity() if in_channels == out_channels else nn.Sequential(
                nn.Conv1d(in_channels, out_channels, 1, bias=False),
                nn.BatchNorm1d(out_channels)))
        self.out = nn.Sequential(nn.ReLU(inplace=True), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.body(x) + self.residual(x))


@MODELS.register_module()
class TCN(BaseModule):
    """Dilated temporal convolutions over frames flattened to ``V x C``.

    Seed 000's TCN (section 3.4.2) exploded (NaN by epoch 7) until it had
    normalisation layers and gradient clipping. Here every convolution is
    followed by batch normalisation, the input frames are batch-normalised
    (ST-GCN's ``data_bn``), each block is residual, and the configs clip
    gradients (``optim_wrapper.clip_grad``). The dilations double per block
    (1, 2, 4, 8 by default): with kernel 3 the receptive field is
    ``1 + 2 * 2 * (1 + 2 + 4 + 8) = 61`` frames.

    Takes ``RecognizerGCN``'s input ``(N, M, T, V, C)``; each person is a
    sequence of its own. Returns ``(N, M, channels[-1], T, 1)``, which
    mmaction2's ``GCNHead(in_channels=channels[-1])`` averages over frames
    and persons.

    Args:
        in_channels (int): Coordinates per joint, ``C``. Defaults to 3.
        num_joints (int): Joints per frame, ``V``. Defaults to 25.
        channels (Sequence[int]): Width of each block. Defaults to
            (128, 128, 256, 256).
        dilations (Sequence[int], optional): Dilation of each block.
            Defaults to None (1, 2, 4, ... doubling).
        kernel_size (int): Temporal kernel, odd. Defaults to 3.
        dropout (float): Dropout inside the blocks. Defaults to 0.2.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's).
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 channels: Sequence[int] = (128, 128, 256, 256),
                 dilations: Optional[Sequence[int]] = None,
                 kernel_size: int = 3,
                 dropout: float = 0.2,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        channels = list(channels)
        dilations = [2**i for i in range(len(channels))
                     ] if dilations is None else list(dilations)
        if not channels or len(dilations) != len(channels):
            raise ValueError(f'need one dilation per block: channels '
                             f'{channels}, dilations {dilations}')
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        self.in_channels, self.num_joints = in_channels, num_joints
        self.out_channels = channels[-1]
        width = in_channels * num_joints
        self.data_bn = nn.BatchNorm1d(width)
        blocks = []
        for out, dilation in zip(channels, dilations):
            blocks.append(
                TemporalBlock(width, out, kernel_size, dilation, dropout))
            width = out
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` -> ``(N, M, channels[-1], T, 1)``."""
        if x.ndim != 5 or tuple(x.shape[-2:]) != (self.num_joints,
                                                  self.in_channels):
            raise ValueError(
                f'TCN expects (N, M, T, {self.num_joints}, '
                f'{self.in_channels}) input, got {tuple(x.shape)}')
        n, m, t, v, c = x.shape
        frames = x.reshape(n * m, t, v * c).transpose(1, 2)
        out = self.blocks(self.data_bn(frames.contiguous()))
        return out.reshape(n, m, self.out_channels, t, 1)
