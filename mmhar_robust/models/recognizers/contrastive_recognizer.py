"""Three-stream contrastive recognizers (seed 001): cross-entropy on the clean
view, instance and group contrastive losses between clean and noisy views."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmaction.models import Recognizer3D, RecognizerGCN
from mmaction.utils import ConfigType, OptConfigType, SampleList
from mmengine.logging import MessageHub

from ...compat import gt_label
from ...registry import MODELS


class ContrastiveMixin:
    """The training objective shared by the 3D-CNN and GCN variants.

    The pipeline stacks two views of each sample on the clip axis (clean, then
    noisy; see ``KeypointNoise(two_views=True)`` and ``ForEachView``), with
    identical spatial augmentation. :meth:`loss` runs both views through the
    backbone in one fused batch and returns:

    - ``loss_cls``: cross-entropy of the head on the clean view (on labelled
      samples only, see ``labeled_key``);
    - ``loss_inst`` and ``loss_group``: ``gamma1 x`` instance and ``gamma2 x``
      group contrastive losses of projected, pooled backbone features, from
      epoch ``sup_thresh`` on (zero before);
    - ``loss_cls_noisy`` with ``cls_on_noisy=True``: cross-entropy on the noisy
      view too (with ``gamma1 = gamma2 = 0`` this is the noise-augmentation
      ablation).

    Subclasses define ``pool(feats) -> (B, C)`` for their feature layout.
    Testing and prediction are the base recognizer's, on whatever views the
    test pipeline gives (normally one, possibly corrupted).
    """

    def __init__(self,
                 backbone: ConfigType,
                 cls_head: ConfigType,
                 contrastive_loss: OptConfigType = None,
                 proj_channels: int = 128,
                 sup_thresh: int = 0,
                 cls_on_noisy: bool = False,
                 labeled_key: Optional[str] = None,
                 proj_in_channels: Optional[int] = None,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None) -> None:
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor)
        in_channels = proj_in_channels or self.cls_head.in_channels
        # A projection head on pooled backbone features, as in SimCLR/TCL.
        self.projector = nn.Sequential(
            nn.Linear(in_channels, in_channels), nn.ReLU(inplace=True),
            nn.Linear(in_channels, proj_channels))
        self.contrastive_loss = MODELS.build(
            contrastive_loss or dict(type='ViewContrastiveLoss'))
        if sup_thresh < 0:
            raise ValueError(f'sup_thresh must be >= 0, got {sup_thresh}')
        self.sup_thresh = sup_thresh
        self.cls_on_noisy = cls_on_noisy
        self.labeled_key = labeled_key

    def contrastive_active(self) -> bool:
        """Whether the epoch (from MMEngine's message hub) is past
        ``sup_thresh``; outside a runner the epoch counts as 0."""
        if self.sup_thresh == 0:
            return True
        epoch = MessageHub.get_current_instance().get_info('epoch', 0)
        return epoch >= self.sup_thresh

    def _labeled(self, data_samples: SampleList) -> torch.Tensor:
        flags = [
            bool(s.metainfo.get(self.labeled_key, True))
            if self.labeled_key else True for s in data_samples
        ]
        return torch.tensor(flags)

    def _cls_loss(self, feats: torch.Tensor, data_samples: SampleList,
                  labeled: torch.Tensor) -> Dict[str, torch.Tensor]:
        if labeled.all():
            return self.cls_head.loss(feats, data_samples)
        if not labeled.any():
            # Keep the head in the graph so DDP sees every parameter used.
            zero = sum(p.sum() for p in self.cls_head.parameters()) * 0.0
            return {'loss_cls': zero}
        index = labeled.nonzero()[:, 0]
        return self.cls_head.loss(feats[index.to(feats.device)],
                                  [data_samples[i] for i in index])

    def loss(self, inputs: torch.Tensor, data_samples: SampleList,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Losses of a batch whose inputs hold (clean, noisy) views.

        Args:
            inputs (Tensor): ``(N, 2, ...)``: each sample's clean view, then its
                noisy view, on the clip axis.
            data_samples (list[ActionDataSample]): With ``gt_label``.

        Returns:
            dict: ``loss_cls``, ``loss_inst``, ``loss_group`` (and
            ``loss_cls_noisy``), plus the head's accuracy logs.
        """
        if inputs.shape[1] != 2:
            raise ValueError(
                f'{type(self).__name__} trains on 2 views per sample stacked '
                f'on the clip axis, got inputs of shape {tuple(inputs.shape)}; '
                'use KeypointNoise(two_views=True) and ForEachView in the '
                'training pipeline')
        num = inputs.shape[0]
        contrast = self.contrastive_active()
        if contrast or self.cls_on_noisy:
            # (N, 2, ...) -> (2N, 1, ...) is a view (no copy; a channels-last
            # layout survives): clean and noisy views interleave, one forward.
            views = inputs.reshape((2 * num, 1) + inputs.shape[2:])
            feats, _ = self.extract_feat(views, stage='backbone')
            # Dense copies: heads such as GCNHead .view() their input.
            clean = feats[0::2].clone(memory_format=torch.preserve_format)
            noisy = feats[1::2].clone(memory_format=torch.preserve_format)
        else:
            feats, _ = self.extract_feat(inputs[:, :1], stage='backbone')
            clean, noisy = feats, None

        labeled = self._labeled(data_samples)
        losses = self._cls_loss(clean, data_samples, labeled)
        if self.cls_on_noisy:
            noisy_losses = self._cls_loss(noisy, data_samples, labeled)
            losses['loss_cls_noisy'] = noisy_losses['loss_cls']
        if contrast:
            labels = torch.stack([
                gt_label(s).reshape(-1)[0] for s in data_samples
            ]).to(clean.device)
            z = self.projector(self.pool(torch.cat([clean, noisy])))
            inst, group = self.contrastive_loss(z[:num], z[num:], labels)
        else:
            inst = group = clean.new_zeros(())
        losses['loss_inst'], losses['loss_group'] = inst, group
        return losses


@MODELS.register_module()
class ContrastiveRecognizer3D(ContrastiveMixin, Recognizer3D):
    """``Recognizer3D`` (e.g. PoseC3D) trained with the contrastive objective.

    Args:
        backbone (dict): Backbone config, e.g. ``ResNet3dSlowOnly``.
        cls_head (dict): Head config, e.g. ``I3DHead``.
        contrastive_loss (dict): Config of :class:`ViewContrastiveLoss`
            (temperature, ``loss_weight_inst`` = gamma1,
            ``loss_weight_group`` = gamma2). None means
            ``dict(type='ViewContrastiveLoss')``. Defaults to None.
        proj_channels (int): Output size of the projection head.
            Defaults to 128.
        sup_thresh (int): First epochs trained with cross-entropy only.
            Defaults to 0.
        cls_on_noisy (bool): Also apply cross-entropy to the noisy view.
            Defaults to False.
        labeled_key (str, optional): Metainfo key marking labelled samples for
            semi-supervised training (cross-entropy on those only; see
            ``MarkLabeled``). None: all labelled. Defaults to None.
        proj_in_channels (int, optional): Channels of the backbone output;
            defaults to ``cls_head.in_channels``.
        neck, train_cfg, test_cfg, data_preprocessor: as ``Recognizer3D``.
    """

    def pool(self, feats: torch.Tensor) -> torch.Tensor:
        """``(B, C, T, H, W)`` -> ``(B, C)``."""
        return feats.flatten(2).mean(-1)


@MODELS.register_module()
class ContrastiveRecognizerGCN(ContrastiveMixin, RecognizerGCN):
    """``RecognizerGCN`` (e.g. ST-GCN++) trained with the contrastive
    objective. Arguments as :class:`ContrastiveRecognizer3D`."""

    def pool(self, feats: torch.Tensor) -> torch.Tensor:
        """``(B, M, C, T, V)`` -> ``(B, C)``, averaging persons too."""
        return feats.mean(dim=(1, 3, 4))
