"""Seed 000's frame-wise bi-directional LSTM as a skeleton backbone."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from ...registry import MODELS


@MODELS.register_module()
class BiLSTM(BaseModule):
    """A bi-directional LSTM over frames flattened to ``V x C`` vectors.

    Seed 000 (section 3.4.1): each frame's joints as one 75-value vector (25
    NTU joints x 3 coordinates), 2 bidirectional layers with dropout. The
    frame vectors are batch-normalised first (as ST-GCN's ``data_bn``: the
    coordinates of different joints have different ranges).

    Takes ``RecognizerGCN``'s input ``(N, M, T, V, C)``; each person is a
    sequence of its own. Returns ``(N, M, 2 * hidden, 1, 1)``, the shape
    mmaction2's ``GCNHead(in_channels=2 * hidden)`` pools (a no-op over the
    two unit axes) and averages over the persons. ``pooling`` chooses the
    sequence summary:

    - ``'last'`` (seed 000's): the final hidden state of the last layer in
      each direction (the forward one after frame ``T``, the backward one
      after frame 1), concatenated;
    - ``'mean'``: the last layer's outputs averaged over the frames.

    Args:
        in_channels (int): Coordinates per joint, ``C``. Defaults to 3.
        num_joints (int): Joints per frame, ``V``. Defaults to 25.
        hidden (int): Hidden size of each direction. Defaults to 128.
        num_layers (int): Stacked bidirectional layers. Defaults to 2.
        dropout (float): Dropout between the layers and on the summary.
            Defaults to 0.5.
        pooling (str): ``'last'`` or ``'mean'``. Defaults to 'last'.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's).
    """
    POOLINGS = ('last', 'mean')

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 hidden: int = 128,
                 num_layers: int = 2,
                 dropout: float = 0.5,
                 pooling: str = 'last',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if pooling not in self.POOLINGS:
            raise ValueError(f'pooling must be one of {self.POOLINGS}, got '
                             f'{pooling!r}')
        self.in_channels, self.num_joints = in_channels, num_joints
        self.pooling = pooling
        self.out_channels = 2 * hidden
        self.data_bn = nn.BatchNorm1d(in_channels * num_joints)
        self.lstm = nn.LSTM(
            in_channels * num_joints,
            hidden,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
            bidirectional=True)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` -> ``(N, M, 2 * hidden, 1, 1)``."""
        if x.ndim != 5 or tuple(x.shape[-2:]) != (self.num_joints,
                                                  self.in_channels):
            raise ValueError(
                f'BiLSTM expects (N, M, T, {self.num_joints}, '
                f'{self.in_channels}) input, got {tuple(x.shape)}')
        n, m, t, v, c = x.shape
        frames = x.reshape(n * m, t, v * c)
        frames = self.data_bn(frames.transpose(1, 2)).transpose(1, 2)
        outputs, (h_n, _) = self.lstm(frames.contiguous())
        if self.pooling == 'last':
            # h_n: (layers * 2, N*M, hidden); the last layer's two
            # directions are its last two entries.
            summary = torch.cat([h_n[-2], h_n[-1]], dim=1)
        else:
            summary = outputs.mean(dim=1)
        summary = self.drop(summary)
        return summary.reshape(n, m, self.out_channels, 1, 1)
