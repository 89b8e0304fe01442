"""Three-stream contrastive recognizers (seed 001): cross-entropy on the clean
view, instance and group contrastive losses between clean and noisy views."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from mmaction.models import Recognizer3D, RecognizerGCN
from mmaction.utils import ConfigType, OptConfigType, SampleList
from mmengine.logging import MessageHub

from ...compat import gt_label
from ...registry import MODELS
from ...utils.sample import sample_name

REPRESENTATIONS = ('softmax', 'projection')


class ContrastiveMixin:
    """The training objective shared by the 3D-CNN and GCN variants.

    The pipeline stacks two views of each sample on the clip axis (clean, then
    noisy; see ``KeypointNoise(two_views=True)`` and ``ForEachView``), with
    identical spatial augmentation. :meth:`loss` runs both views through
    backbone, neck and head in one fused batch (as the base recognizer's
    ``extract_feat``, so a neck is trained as ``predict`` uses it) and
    returns:

    - ``loss_cls``: cross-entropy of the head on the clean view, on
      labelled samples only (see ``labeled_key``);
    - ``loss_inst`` and ``loss_group``: ``gamma1 x`` instance and ``gamma2 x``
      group contrastive losses (:class:`ViewContrastiveLoss`), from epoch
      ``sup_thresh`` on (zero before). With ``representation='softmax'``
      (seed 001's objective) they contrast the head's class probabilities,
      the clean view's detached, grouped by each view's own prediction; with
      ``'projection'`` (ours) projected pooled features, grouped by the
      labels of labelled samples;
    - ``loss_cls_noisy`` with ``cls_on_noisy=True``: cross-entropy on the noisy
      view too (with ``gamma1 = gamma2 = 0`` this is the noise-augmentation
      ablation);
    - a neck's auxiliary losses (e.g. TPN's), computed on both views and only
      on batches whose samples are all labelled, since they take labels.

    Subclasses define ``pool(feats) -> (B, C)`` for their feature layout and
    ``feat_stage``, the ``extract_feat`` stage that ends before the head.
    Testing and prediction are the base recognizer's, on whatever views the
    test pipeline gives (normally one, possibly corrupted).
    """

    feat_stage = 'neck'

    def __init__(self,
                 backbone: ConfigType,
                 cls_head: ConfigType,
                 contrastive_loss: OptConfigType = None,
                 representation: str = 'softmax',
                 proj_channels: int = 128,
                 sup_thresh: int = 0,
                 cls_on_noisy: bool = False,
                 labeled_key: Optional[str] = None,
                 proj_in_channels: Optional[int] = None,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None) -> None:
        if representation not in REPRESENTATIONS:
            raise ValueError(f'representation must be one of '
                             f'{REPRESENTATIONS}, got {representation!r}')
        if sup_thresh < 0:
            raise ValueError(f'sup_thresh must be >= 0, got {sup_thresh}')
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor)
        self.representation = representation
        if representation == 'projection':
            in_channels = proj_in_channels or self.cls_head.in_channels
            # A projection head on pooled features, as in SimCLR.
            self.projector = nn.Sequential(
                nn.Linear(in_channels, in_channels), nn.ReLU(inplace=True),
                nn.Linear(in_channels, proj_channels))
        self.contrastive_loss = MODELS.build(
            contrastive_loss or dict(type='ViewContrastiveLoss'))
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
        """``(N,)`` bool: which samples may use their label."""
        if self.labeled_key is None:
            return torch.ones(len(data_samples), dtype=torch.bool)
        flags = []
        for i, sample in enumerate(data_samples):
            if self.labeled_key not in sample.metainfo:
                name = sample_name(sample.metainfo, with_key=True)
                raise KeyError(
                    f'sample {i} of the batch ({name}) has no '
                    f'{self.labeled_key!r} in its metainfo, which '
                    f'labeled_key={self.labeled_key!r} needs: add MarkLabeled '
                    'to the training pipeline and the key to '
                    "PackActionInputs' meta_keys")
            flags.append(bool(sample.metainfo[self.labeled_key]))
        return torch.tensor(flags, dtype=torch.bool)

    def _cls_loss(self, logits: torch.Tensor, data_samples: SampleList,
                  labeled: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The head's loss on the labelled rows of ``logits``."""
        if labeled.all():
            return self.cls_head.loss_by_feat(logits, data_samples)
        if not labeled.any():
            # Keep the head in the graph so DDP sees every parameter used.
            return {'loss_cls': logits.sum() * 0.0}
        index = labeled.nonzero()[:, 0]
        return self.cls_head.loss_by_feat(logits[index.to(logits.device)],
                                          [data_samples[i] for i in index])

    def _contrast(self, feats: torch.Tensor, logits: torch.Tensor,
                  data_samples: SampleList,
                  labeled: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Instance and group losses of interleaved (clean, noisy) rows."""
        if self.representation == 'softmax':
            probs = logits.float().softmax(dim=1)
            clean, noisy = probs[0::2].detach(), probs[1::2]
            # Groups: each view's own prediction, no labels.
            return self.contrastive_loss(clean, noisy, clean.argmax(1),
                                         noisy.argmax(1))
        z = self.projector(self.pool(feats))
        labels = torch.stack([
            gt_label(s).reshape(-1)[0] if flag else torch.tensor(-1)
            for s, flag in zip(data_samples, labeled.tolist())
        ]).to(z.device)
        return self.contrastive_loss(z[0::2], z[1::2], labels)

    def loss(self, inputs: torch.Tensor, data_samples: SampleList,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Losses of a batch whose inputs hold (clean, noisy) views.

        Args:
            inputs (Tensor): ``(N, 2, ...)``: each sample's clean view, then
                its noisy view, on the clip axis.
            data_samples (list[ActionDataSample]): With ``gt_label`` (and
                ``labeled_key`` in the metainfo when it is set).

        Returns:
            dict: ``loss_cls``, ``loss_inst``, ``loss_group`` (and
            ``loss_cls_noisy``, the neck's auxiliary losses), plus the
            head's accuracy logs.
        """
        if inputs.shape[1] != 2:
            raise ValueError(
                f'{type(self).__name__} trains on 2 views per sample stacked '
                'on the clip axis, got inputs of shape '
                f'{tuple(inputs.shape)}; use KeypointNoise(two_views=True) '
                'and ForEachView in the training pipeline')
        num = inputs.shape[0]
        labeled = self._labeled(data_samples)
        contrast = self.contrastive_active()
        two_views = contrast or self.cls_on_noisy
        if two_views:
            # (N, 2, ...) -> (2N, 1, ...) is a view (no copy; a channels-last
            # layout survives): clean and noisy views interleave, one forward.
            views = inputs.reshape((2 * num, 1) + inputs.shape[2:])
            row_samples = [s for s in data_samples for _ in range(2)]
        else:
            views, row_samples = inputs[:, :1], data_samples
        # A neck's auxiliary loss takes labels: none from unlabelled samples.
        feats, feat_kwargs = self.extract_feat(
            views,
            stage=self.feat_stage,
            data_samples=row_samples if labeled.all() else None)
        logits = self.cls_head(feats)
        clean_logits = logits[0::2] if two_views else logits

        losses = dict(feat_kwargs.get('loss_aux', None) or {})
        losses.update(self._cls_loss(clean_logits, data_samples, labeled))
        if self.cls_on_noisy:
            losses['loss_cls_noisy'] = self._cls_loss(logits[1::2],
                                                      data_samples,
                                                      labeled)['loss_cls']
        if contrast:
            inst, group = self._contrast(feats, logits, data_samples, labeled)
        else:
            inst = group = logits.new_zeros(())
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
            ``dict(type='ViewContrastiveLoss')``, seed 001's temperature 0.5
            and weights 1. Defaults to None.
        representation (str): What the contrastive terms compare.
            ``'softmax'``: the head's class probabilities, the clean view's
            detached, groups by each view's argmax (seed 001's objective, as
            its TCL code ran it). ``'projection'`` (ours): a projection head
            on pooled features, gradients through both views, groups by the
            labels of labelled samples. Defaults to ``'softmax'``.
        proj_channels (int): Output size of the projection head (used with
            ``representation='projection'`` only). Defaults to 128.
        sup_thresh (int): First epochs trained with cross-entropy only.
            Defaults to 0.
        cls_on_noisy (bool): Also apply cross-entropy to the noisy view.
            Defaults to False.
        labeled_key (str, optional): Metainfo key marking labelled samples for
            semi-supervised training (see ``MarkLabeled``): the labels of the
            others are used nowhere. A sample without the key is an error.
            None: all labelled. Defaults to None.
        proj_in_channels (int, optional): Channels of the features the
            projection head pools. None: ``cls_head.in_channels``.
            Defaults to None.
        neck, train_cfg, test_cfg, data_preprocessor: as ``Recognizer3D``.
    """

    def pool(self, feats: torch.Tensor) -> torch.Tensor:
        """``(B, C, T, H, W)`` -> ``(B, C)``."""
        return feats.flatten(2).mean(-1)


@MODELS.register_module()
class ContrastiveRecognizerGCN(ContrastiveMixin, RecognizerGCN):
    """``RecognizerGCN`` (e.g. ST-GCN++) trained with the contrastive
    objective. Arguments as :class:`ContrastiveRecognizer3D`, except that
    ``RecognizerGCN`` has no neck stage, so a ``neck`` is refused rather than
    silently left out of training and prediction."""

    feat_stage = 'backbone'

    def __init__(self, *args, neck: OptConfigType = None, **kwargs) -> None:
        if neck is not None:
            raise ValueError(
                'ContrastiveRecognizerGCN got a neck, but RecognizerGCN never '
                'calls one (neither in training nor in prediction); remove '
                f'it from the model config: {neck}')
        super().__init__(*args, **kwargs)

    def pool(self, feats: torch.Tensor) -> torch.Tensor:
        """``(B, M, C, T, V)`` -> ``(B, C)``, averaging persons too."""
        return feats.mean(dim=(1, 3, 4))
