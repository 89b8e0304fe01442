"""Data preprocessor rendering PoseC3D heatmaps for the whole batch."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.utils import SampleList
from torch import Tensor

from ...registry import MODELS
from ..utils.memory_format import clips_channels_last
from .pose_heatmaps import render_limbs, scatter_keypoints

COCO17_SKELETONS = ((0, 1), (0, 2), (1, 3), (2, 4), (0, 5), (5, 7), (7, 9),
                    (0, 6), (6, 8), (8, 10), (5, 11), (11, 13), (13, 15),
                    (6, 12), (12, 14), (14, 16), (11, 12))


@MODELS.register_module()
class PoseTargetDataPreprocessor(ActionDataPreprocessor):
    """mmaction2's ``GeneratePoseTarget`` + ``FormatShape('NCTHW_Heatmap')``
    run on the model's device, for the whole batch at once.

    Each input is what ``PackPoseInputs`` packs: ``(M, F, V, 3)`` keypoints
    ``(x, y, score)`` of ``F = num_clips x clip_len`` frames, with
    ``img_shape``, ``num_clips`` and ``clip_len`` in the sample's metainfo.
    The output equals the per-sample transforms' (to float32 rounding):
    ``(N, num_clips', C, clip_len, H, W)`` with ``num_clips' = 2 num_clips``
    under ``double``, then mmaction2's normalisation and stacking.

    Samples of one batch must share ``F``, ``V``, ``img_shape`` and
    ``clip_len``; persons are padded with zero scores (which draw nothing).

    Args:
        sigma (float): Gaussian sigma. Defaults to 0.6.
        use_score (bool): Scale each Gaussian by the keypoint score.
            Defaults to True.
        with_kp (bool): Render keypoint heatmaps. Defaults to True.
        with_limb (bool): Render limb heatmaps. Defaults to False.
        skeletons (Sequence[Sequence[int]]): Limbs as joint pairs.
            Defaults to ``COCO17_SKELETONS``.
        double (bool): Append the left-right flipped heatmaps to every
            sample; False leaves it to each sample (``PackPoseInputs(double=
            True)`` in a test pipeline). Defaults to False.
        left_kp (Sequence[int]): Left joints. Defaults to COCO-17's.
        right_kp (Sequence[int]): Right joints. Defaults to COCO-17's.
        left_limb (Sequence[int]): Left limbs. Defaults to COCO-17's.
        right_limb (Sequence[int]): Right limbs. Defaults to COCO-17's.
        scaling (float): Heatmap size / image size. Defaults to 1.
        merge (str, optional): Merge each frame's channels into one, as
            :class:`MergeHeatmaps` does (seed 001's grayscale input):
            ``'max'`` or ``'sum'`` (clipped to 1). Defaults to None.
        channels_last (bool): Lay the clips out ``channels_last_3d``, as
            :class:`ChannelsLastDataPreprocessor` does (faster 3D
            convolutions on CPU). Defaults to False.
        format_shape (str): As ``ActionDataPreprocessor``.
            Defaults to ``'NCTHW'``.
        **kwargs: Other ``ActionDataPreprocessor`` arguments.
    """

    def __init__(self,
                 sigma: float = 0.6,
                 use_score: bool = True,
                 with_kp: bool = True,
                 with_limb: bool = False,
                 skeletons: Sequence[Sequence[int]] = COCO17_SKELETONS,
                 double: bool = False,
                 left_kp: Sequence[int] = (1, 3, 5, 7, 9, 11, 13, 15),
                 right_kp: Sequence[int] = (2, 4, 6, 8, 10, 12, 14, 16),
                 left_limb: Sequence[int] = (0, 2, 4, 5, 6, 10, 11, 12),
                 right_limb: Sequence[int] = (1, 3, 7, 8, 9, 13, 14, 15),
                 scaling: float = 1.,
                 merge: Optional[str] = None,
                 channels_last: bool = False,
                 format_shape: str = 'NCTHW',
                 **kwargs) -> None:
        super().__init__(format_shape=format_shape, **kwargs)
        if format_shape != 'NCTHW' or self.to_rgb:
            raise ValueError('PoseTargetDataPreprocessor renders NCTHW '
                             'heatmaps: use format_shape="NCTHW" and no '
                             'to_rgb.')
        if not (with_kp or with_limb):
            raise ValueError('PoseTargetDataPreprocessor: at least one of '
                             'with_kp and with_limb must be True.')
        if merge not in (None, 'max', 'sum'):
            raise ValueError("PoseTargetDataPreprocessor: merge must be "
                             f"None, 'max' or 'sum', got {merge!r}.")
        self.merge, self.channels_last = merge, channels_last
        self.sigma, self.use_score, self.scaling = sigma, use_score, scaling
        self.with_kp, self.with_limb, self.double = with_kp, with_limb, double
        self.skeletons = tuple(tuple(limb) for limb in skeletons)
        self.left, self.right = (left_kp,
                                 right_kp) if with_kp else (left_limb,
                                                            right_limb)
        self.eps = 1e-4

    @staticmethod
    def _name(index: int, sample) -> str:
        meta = getattr(sample, 'metainfo', {})
        where = meta.get('frame_dir', meta.get('filename'))
        return f'sample {index}' + (f' ({where})' if where else '')

    def _check(self, inputs: List[Tensor],
               data_samples: SampleList) -> Tuple[int, ...]:
        """Shared ``(F, V, H, W, clip_len, double)`` of the batch, or an
        error."""
        first = None
        for i, (kp, sample) in enumerate(zip(inputs, data_samples)):
            name = self._name(i, sample)
            meta = sample.metainfo
            if kp.ndim != 4 or kp.shape[-1] != 3:
                raise ValueError(f'PoseTargetDataPreprocessor: {name} has '
                                 f'inputs of shape {tuple(kp.shape)}, not '
                                 '(M, F, V, 3); pack it with PackPoseInputs.')
            for key in ('img_shape', 'num_clips', 'clip_len'):
                if key not in meta:
                    raise KeyError(f'PoseTargetDataPreprocessor: {name} has '
                                   f'no "{key}" in its metainfo.')
            if not torch.isfinite(kp[..., :2]).all():
                raise ValueError(f'PoseTargetDataPreprocessor: {name} has '
                                 'non-finite keypoint coordinates.')
            if self.use_score and torch.isnan(kp[..., 2]).any():
                raise ValueError(f'PoseTargetDataPreprocessor: {name} has '
                                 'NaN keypoint scores.')
            if meta['num_clips'] * meta['clip_len'] != kp.shape[1]:
                raise ValueError(
                    f'PoseTargetDataPreprocessor: {name} has {kp.shape[1]} '
                    f'frames, not num_clips x clip_len = {meta["num_clips"]}'
                    f' x {meta["clip_len"]}.')
            img_h, img_w = meta['img_shape']
            shape = (kp.shape[1], kp.shape[2], int(img_h * self.scaling + .5),
                     int(img_w * self.scaling + .5), meta['clip_len'],
                     bool(self.double or meta.get('double', False)))
            if first is None:
                first = shape
            elif shape != first:
                fields = ('frames', 'joints', 'height', 'width', 'clip_len',
                          'double')
                diff = ', '.join(
                    f'{key} {mine} (sample 0: {theirs})'
                    for key, mine, theirs in zip(fields, shape, first)
                    if mine != theirs)
                raise ValueError(f'PoseTargetDataPreprocessor: {name} has '
                                 f'{diff}; a batch must share them.')
        return first

    def render(self, inputs: List[Tensor], data_samples: SampleList) -> Tensor:
        """Heatmap volumes ``(B, num_clips', C, clip_len, H, W)``."""
        frames, joints, height, width, clip_len, double = self._check(
            inputs, data_samples)
        persons = max(kp.shape[0] for kp in inputs)
        batch = inputs[0].new_zeros((len(inputs), persons, frames, joints, 3))
        for i, kp in enumerate(inputs):
            batch[i, :kp.shape[0]] = kp
        keypoint = batch[..., :2].float() * self.scaling
        score = batch[..., 2].float() if self.use_score else \
            torch.ones_like(batch[..., 2], dtype=torch.float32)
        # Padded persons (and those of the original with low scores) draw
        # nothing, with or without use_score.
        real = torch.zeros_like(score, dtype=torch.bool)
        for i, kp in enumerate(inputs):
            real[i, :kp.shape[0]] = True
        score = torch.where(real, score, 0.)
        value = torch.where(score < self.eps, 0., score)
        channels = (joints if self.with_kp else 0) + (
            len(self.skeletons) if self.with_limb else 0)
        index = list(range(channels))  # flipped channel c shows index[c]
        for left, right in zip(self.left, self.right):
            index[left], index[right] = right, left
        shown_at = [0] * channels
        for c, source in enumerate(index):
            shown_at[source] = c
        copies = 2 if double else 1
        num_clips = frames // clip_len
        out = keypoint.new_zeros((len(inputs), copies * num_clips, channels,
                                  clip_len, height, width))
        if self.with_kp:
            scatter_keypoints(out, keypoint, value, self.sigma,
                              [list(range(joints)),
                               shown_at[:joints]][:copies])
        if self.with_limb:
            for clip in range(num_clips):  # one clip at a time bounds memory
                lo, hi = clip * clip_len, (clip + 1) * clip_len
                limbs = keypoint.new_zeros((len(self.skeletons), len(inputs),
                                            clip_len, height, width))
                # Limbs take min(start, end score) and test it against eps.
                render_limbs(limbs, keypoint[:, :, lo:hi], score[:, :, lo:hi],
                             self.sigma, self.skeletons, self.eps)
                for limb, maps in enumerate(limbs):
                    # Limb i goes to channel i, as in mmaction2 1.x (also
                    # with with_kp); flipped, to the channel showing it.
                    target = out[:, clip, limb]
                    torch.maximum(target, maps, out=target)
                    if double:
                        target = out[:, num_clips + clip, shown_at[limb]]
                        torch.maximum(target, maps.flip(-1), out=target)
        return out

    def preprocess(self,
                   inputs: List[Tensor],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple:
        """Render the batch, then normalise and blend as mmaction2 does."""
        batch = self.render(list(inputs), data_samples)
        if self.merge == 'max':
            batch = batch.amax(dim=2, keepdim=True)
        elif self.merge == 'sum':
            batch = batch.sum(dim=2, keepdim=True).clamp_(max=1.)
        if self._enable_normalize:
            batch = (batch - self.mean) / self.std
        if training and self.blending is not None:
            batch, data_samples = self.blending(batch, data_samples)
        if self.channels_last:
            batch = clips_channels_last(batch)
        return batch, data_samples
