"""Seed 003's self-supervised pretraining: a masked student regresses the
features of an EMA teacher, and optionally reconstructs the input (or, as
MAMP, predicts its motion)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmaction.utils import ConfigType, OptConfigType, SampleList
from mmengine.dist import get_rank
from mmengine.model import BaseModel, ExponentialMovingAverage

from ...registry import MODELS
from ...utils.sample import sample_rng
from .masking import (STRATEGIES, check_ratio, motion_aware_mask,
                      random_mask, token_motion)
from .token_predictor import TokenPredictor


def masked_mse(pred: torch.Tensor,
               target: torch.Tensor,
               mask: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Squared error averaged over the channels, then over the tokens where
    ``mask`` is True (every token without a mask): seed 003's Eq. 1 divided
    by the width. Zero (with a gradient) when nothing is masked."""
    error = (pred - target).pow(2).mean(-1)
    if mask is None:
        return error.mean()
    if not bool(mask.any()):
        return error.sum() * 0.0
    return error[mask].mean()


@MODELS.register_module()
class MaskedSkeletonDistiller(BaseModel):
    """Student-teacher masked pretraining of a :class:`SkeletonTransformer`.

    Every person of every clip is one sequence (persons that are all zeros,
    the padding of ``FormatGCNInput``, are left out). Its tokens are masked
    (``masking``, see :mod:`.masking`), then:

    - the student, ``backbone``, encodes the masked sequence. ``mask_mode=
      'token'`` (seed 003's "+ patches & mask tokens"): masked tokens are
      dropped from attention and replaced by learned mask tokens before the
      predictor and decoder; ``'zero'`` (the basic variants): masked
      coordinates are set to 0 and encoded like any other;
    - ``predictor`` (3 layers) regresses the teacher's features at the
      masked tokens: ``loss_feature``, an L2 on masked positions only;
    - the teacher, ``teacher.module``, is the same encoder without masking,
      its parameters an exponential moving average of the student's
      (MMEngine's ``ExponentialMovingAverage``, no gradients): after each
      step ``teacher = a * teacher + (1 - a) * student``, ``a`` =
      ``teacher_momentum`` (seed 003's alpha; MMEngine's ``momentum`` is
      ``1 - a``). The update runs at the start of every training ``loss``
      call, i.e. after the previous iteration's optimizer step and before
      the teacher is used (as MoCo updates its key encoder): it needs no
      hook and works under DDP, whose wrapper bypasses the model's
      ``train_step``. With gradient accumulation it runs per micro-batch;
    - ``decoder`` (3 layers, optional) reconstructs every token's
      coordinates (``reconstruct='coords'``, seed 003's Eq. 2) or, MAMP,
      the motion ``x[t + 1] - x[t]`` of the masked tokens
      (``reconstruct='motion'``, ``reconstruct_on='masked'``):
      ``loss_rec``.

    Without ``predictor`` there is no teacher (MAMP). Masks come from a
    ``torch.Generator`` keyed by ``(seed, the model's step counter, rank)``
    (:func:`~mmhar_robust.utils.sample.sample_rng`); the counter,
    ``mask_step``, is a buffer, so a resumed run draws what an uninterrupted
    one would. No label is read: ``data_samples`` is ignored.

    Args:
        backbone (dict): A :class:`SkeletonTransformer` config.
        predictor (dict, optional): :class:`TokenPredictor` arguments
            (``embed_dims``, ``depth``, ``num_heads``, ``mlp_ratio``,
            ``mode``; ``mode`` defaults to the backbone's). None: no teacher
            and no feature loss. Defaults to None.
        decoder (dict, optional): The same for the decoder. None: no
            reconstruction. Defaults to None.
        mask_mode (str): 'token' or 'zero'. Defaults to 'token'.
        masking (str): 'random' or 'motion'. Defaults to 'random'.
        frame_mask_ratio (float): 'random': share of time segments masked,
            in [0, 1). Defaults to 0.25.
        joint_mask_ratio (float): 'random': share of joints masked per
            segment, in [0, 1). Defaults to 0.4.
        mask_ratio (float): 'motion': share of tokens masked, in [0, 1).
            Defaults to 0.9.
        motion_tau (float): 'motion': softmax temperature. Defaults to 0.75.
        teacher_momentum (float): ``a`` in [0, 1]; 1 freezes the teacher.
            Defaults to 0.996.
        norm_target (bool): LayerNorm (no affine) on the teacher's features.
            Defaults to True.
        reconstruct (str): 'coords' or 'motion'. Defaults to 'coords'.
        reconstruct_on (str): 'all' tokens (seed 003) or 'masked' (MAMP).
            Defaults to 'all'.
        loss_weight_feature (float): Weight of ``loss_feature``.
            Defaults to 1.0.
        loss_weight_rec (float): Weight of ``loss_rec``. Defaults to 1.0.
        seed (int): Seed of the masks. Defaults to 0.
        data_preprocessor (dict, optional): Defaults to None
            (``ActionDataPreprocessor``).
        init_cfg (dict or list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 backbone: ConfigType,
                 predictor: OptConfigType = None,
                 decoder: OptConfigType = None,
                 mask_mode: str = 'token',
                 masking: str = 'random',
                 frame_mask_ratio: float = 0.25,
                 joint_mask_ratio: float = 0.4,
                 mask_ratio: float = 0.9,
                 motion_tau: float = 0.75,
                 teacher_momentum: float = 0.996,
                 norm_target: bool = True,
                 reconstruct: str = 'coords',
                 reconstruct_on: str = 'all',
                 loss_weight_feature: float = 1.0,
                 loss_weight_rec: float = 1.0,
                 seed: int = 0,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        for field, value, choices in (
            ('mask_mode', mask_mode, ('token', 'zero')),
            ('masking', masking, STRATEGIES),
            ('reconstruct', reconstruct, ('coords', 'motion')),
            ('reconstruct_on', reconstruct_on, ('all', 'masked'))):
            if value not in choices:
                raise ValueError(
                    f'{field} must be one of {choices}, got {value!r}')
        self.frame_mask_ratio = check_ratio(frame_mask_ratio,
                                            'frame_mask_ratio')
        self.joint_mask_ratio = check_ratio(joint_mask_ratio,
                                            'joint_mask_ratio')
        self.mask_ratio = check_ratio(mask_ratio, 'mask_ratio')
        if isinstance(teacher_momentum, bool) or not isinstance(
                teacher_momentum, (int, float)) or not (
                    0.0 <= teacher_momentum <= 1.0):
            raise ValueError('teacher_momentum must be a number in [0, 1], '
                             f'got {teacher_momentum!r}')
        if motion_tau <= 0:
            raise ValueError(f'motion_tau must be > 0, got {motion_tau!r}')
        if predictor is None and decoder is None:
            raise ValueError('predictor and decoder are both None: nothing '
                             'to learn')
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        super().__init__(
            data_preprocessor=MODELS.build(data_preprocessor),
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.mask_mode, self.masking = mask_mode, masking
        self.motion_tau, self.norm_target = float(motion_tau), norm_target
        self.reconstruct, self.reconstruct_on = reconstruct, reconstruct_on
        self.loss_weight_feature = loss_weight_feature
        self.loss_weight_rec = loss_weight_rec
        self.seed = seed
        self.teacher_momentum = float(teacher_momentum)
        self.register_buffer('mask_step', torch.zeros((), dtype=torch.long))
        enc = self.backbone
        grid = dict(num_joints=enc.num_joints, num_patches=enc.num_patches)
        self.predictor = self.decoder = self.teacher = None
        if predictor is not None:
            self.predictor = TokenPredictor(
                enc.embed_dims, enc.embed_dims, **grid,
                **dict(dict(mode=enc.mode), **predictor))
            # MMEngine asserts 0 < momentum < 1, but the endpoints are
            # meaningful here (a frozen teacher, a copy of the student):
            # build with a placeholder, then set.
            self.teacher = ExponentialMovingAverage(enc, momentum=0.5)
            self.teacher.momentum = 1.0 - self.teacher_momentum
            self._sync_teacher()
        if decoder is not None:
            self.decoder = TokenPredictor(
                enc.embed_dims, enc.patch_size * enc.in_channels, **grid,
                **dict(dict(mode=enc.mode), **decoder))

    def _sync_teacher(self) -> None:
        """Copy the student into the teacher; later updates average (MMEngine
        would copy again on its first update, ``steps == 0``)."""
        with torch.no_grad():
            for avg, src in zip(self.teacher.module.parameters(),
                                self.backbone.parameters()):
                avg.copy_(src)
        self.teacher.steps.fill_(1)

    def init_weights(self) -> None:
        """Initialise (or load, ``init_cfg``) the student, then copy it into
        the teacher, which MMEngine's traversal does not reach."""
        super().init_weights()
        if self.teacher is not None:
            self._sync_teacher()

    @torch.no_grad()
    def update_teacher(self) -> None:
        """``teacher = a * teacher + (1 - a) * student``, parameter-wise."""
        if self.teacher is not None:
            self.teacher.update_parameters(self.backbone)

    def generator(self, step: int, device: torch.device) -> torch.Generator:
        """The generator of the masks of training step ``step``."""
        key = sample_rng(self.seed, type(self).__name__, int(step),
                         get_rank()).integers(2**63 - 1)
        return torch.Generator(device=device).manual_seed(int(key))

    def draw_mask(self, patches: torch.Tensor, step: int) -> torch.Tensor:
        """The ``(B, T', V)`` mask of ``patches`` at step ``step``."""
        gen = self.generator(step, patches.device)
        if self.masking == 'motion':
            motion = token_motion(patches, self.backbone.in_channels)
            return motion_aware_mask(motion, self.mask_ratio,
                                     self.motion_tau, gen)
        return random_mask(patches.shape[:3], self.frame_mask_ratio,
                           self.joint_mask_ratio, gen, patches.device)

    @torch.no_grad()
    def teacher_features(self, patches: torch.Tensor) -> torch.Tensor:
        """The teacher's features of the unmasked tokens (the targets)."""
        feats = self.teacher.module.encode(patches)
        if self.norm_target:
            feats = F.layer_norm(feats, feats.shape[-1:])
        return feats

    def compute_losses(self, patches: torch.Tensor,
                       mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The losses of tokens ``(B, T', V, p * C)`` under ``mask``."""
        student_in = patches.masked_fill(mask[..., None], 0.0)
        if self.mask_mode == 'token':
            feats = self.backbone.encode(student_in, ignore=mask)
            fill = mask
        else:
            feats, fill = self.backbone.encode(student_in), None
        losses = {}
        if self.predictor is not None:
            target = self.teacher_features(patches)
            pred = self.predictor(feats, fill)
            losses['loss_feature'] = self.loss_weight_feature * masked_mse(
                pred, target, mask)
        if self.decoder is not None:
            target = patches if self.reconstruct == 'coords' else \
                token_motion(patches, self.backbone.in_channels)
            where = mask if self.reconstruct_on == 'masked' else None
            losses['loss_rec'] = self.loss_weight_rec * masked_mse(
                self.decoder(feats, fill), target, where)
        return losses

    def sequences(self, inputs: torch.Tensor) -> torch.Tensor:
        """``(N, [clips,] M, T, V, C)`` -> ``(B, T, V, C)``, the persons that
        are not all zeros (all of them if every one is)."""
        seqs = inputs.reshape((-1, ) + inputs.shape[-3:])
        keep = seqs.flatten(1).abs().sum(1) > 0
        return seqs[keep] if bool(keep.any()) else seqs

    def loss(self,
             inputs: torch.Tensor,
             data_samples: Optional[SampleList] = None) -> Dict:
        """The pretraining losses; ``data_samples`` (labels) are unused."""
        step = int(self.mask_step)
        if self.training:
            self.update_teacher()
            self.mask_step += 1
        patches = self.backbone.patchify(self.sequences(inputs))
        return self.compute_losses(patches, self.draw_mask(patches, step))

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> Union[Dict, torch.Tensor]:
        """``'loss'``: the loss dict; ``'tensor'``: the student's features
        ``(N', M, D, T', V)`` of the clips."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.backbone(inputs.reshape((-1, ) + inputs.shape[-4:]))
        raise ValueError(f'MaskedSkeletonDistiller has no mode {mode!r} '
                         "('loss' or 'tensor'): to classify, fine-tune its "
                         'backbone in a RecognizerGCN')
