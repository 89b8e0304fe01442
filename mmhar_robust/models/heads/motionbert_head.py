"""MotionBERT's action classification head as an MMAction2 head."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmaction.models.heads import BaseHead

from ...registry import MODELS


@MODELS.register_module()
class MotionBERTHead(BaseHead):
    """Pool per-joint representations over time and persons, then classify
    with a two-layer MLP: MotionBERT's ``ActionHeadClassification``.

    Dropout on the representation, mean over frames, the joints' features
    concatenated (joint-major, ``J * C``), mean over persons, then ``fc1``
    (``J * C`` -> ``hidden_dim``), ``bn`` (BatchNorm1d), ReLU and ``fc2``
    (-> ``num_classes``). The names are the release's, so its ``head.*``
    weights load as ``cls_head.*``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels per joint (the backbone's ``dim_rep``).
            Defaults to 512.
        num_joints (int): Joints per frame. Defaults to 17.
        hidden_dim (int): Width of ``fc1``. Defaults to 2048.
        dropout_ratio (float): Dropout on the representation. Defaults to 0.5
            (the release's fine-tuning recipe).
        loss_cls (dict): The classification loss.
            Defaults to ``dict(type='CrossEntropyLoss')``.
        average_clips (str, optional): How test scores of several clips
            are averaged: ``'score'`` (the logits, as the release's
            ``ActionNet`` outputs them), ``'prob'`` or None (then every
            sample keeps a ``(clips, num_classes)`` score, which metrics
            refuse). Defaults to 'score'.
        **kwargs: Further :class:`BaseHead` arguments (``topk``,
            ``init_cfg``...).

    Shapes:
        ``(N, M, T, J, in_channels)`` to ``(N, num_classes)``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int = 512,
                 num_joints: int = 17,
                 hidden_dim: int = 2048,
                 dropout_ratio: float = 0.5,
                 loss_cls: Optional[Dict] = None,
                 average_clips: Optional[str] = 'score',
                 **kwargs) -> None:
        if loss_cls is None:
            loss_cls = dict(type='CrossEntropyLoss')
        super().__init__(num_classes, in_channels, loss_cls=loss_cls,
                         average_clips=average_clips, **kwargs)
        self.num_joints = num_joints
        self.dropout = nn.Dropout(p=dropout_ratio)
        # Registration order as in the release (state_dict order).
        self.bn = nn.BatchNorm1d(hidden_dim, momentum=0.1)
        self.relu = nn.ReLU(inplace=True)
        self.fc1 = nn.Linear(in_channels * num_joints, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Class scores of ``(N, M, T, J, C)`` representations."""
        if x.dim() != 5 or x.shape[3:] != (self.num_joints,
                                          self.in_channels):
            raise ValueError(
                f'MotionBERTHead expects (N, M, T, {self.num_joints}, '
                f'{self.in_channels}) features, got {tuple(x.shape)}')
        feat = self.dropout(x).mean(dim=2)  # (N, M, J, C)
        feat = feat.flatten(2).mean(dim=1)  # (N, J * C)
        return self.fc2(self.relu(self.bn(self.fc1(feat))))
