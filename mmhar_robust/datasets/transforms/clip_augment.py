"""Seed 002's online augmentation: image filters drawn once per clip."""
import warnings
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_identity, sample_name, sample_rng
from .clip_filters import FILTER_NAMES, ClipFilter, build_filter

MODES = ('one', 'some', 'all')


@TRANSFORMS.register_module()
class ClipAugment(BaseTransform):
    """Augment a clip with seed 002's filters, the same on every frame.

    Filters (see :mod:`.clip_filters` for what each does and its ranges):
    ``add``, ``multiply``, ``salt``, ``pepper``, ``elastic``, ``blur``,
    ``flip``. With probability ``prob`` the clip is augmented, by

    - ``'one'``: one filter chosen at random;
    - ``'some'``: a random number (1 to all) of distinct filters in random
      order, applied one after the other;
    - ``'all'``: every filter, in random order.

    The choice and every filter's parameters (a salt mask, an elastic field
    included) are drawn once per sample and applied to all of its frames, so
    a clip never flickers. Draws come from a per-sample generator keyed by
    ``(seed, sample)`` and, in training, the epoch, which
    :class:`KeypointNoiseEpochHook` (our default runtime has it) sets before
    every epoch; so they do not depend on the number of workers.

    Put it after the crop and resize (it is cheaper on small frames) and
    before ``FormatShape``; intensities must be in [0, 255] (uint8 or float;
    the output keeps the input's dtype and, for uint8, is rounded). Only
    ``flip`` moves keypoints, with mmaction2's ``Flip`` conventions:
    ``x -> w - x`` for non-zero ``x``, then ``left_kp`` and ``right_kp``
    swapped (scores too). The elastic field moves pixels by a few pixels and
    leaves keypoints where they are.

    Required Keys:

        - imgs (list of ``(H, W, C)`` arrays or one ``(T, H, W, C)`` array)
        - img_shape (when the sample has keypoints)
        - keypoint (optional)
        - keypoint_score (optional)
        - frame_dir, filename, video_id or sample_idx (the sample's identity)

    Modified Keys:

        - imgs
        - keypoint (optional, flip)
        - keypoint_score (optional, flip)

    Added Keys:

        - augment_filters (the names of the filters applied, in order)
        - augment_params (their scalar parameters, in the same order)
        - flip, flip_direction (when the clip was flipped)

    Args:
        filters (Sequence[str | dict]): Filter names, or dicts
            ``dict(type=name, **ranges)`` overriding ranges, e.g.
            ``dict(type='add', value=(-20, 20))``. Defaults to all seven.
        mode (str): ``'one'``, ``'some'`` or ``'all'``. Defaults to 'one'.
        prob (float): Probability that a clip is augmented at all.
            Defaults to 1.0.
        seed (int): Seed mixed with the sample identity. Defaults to 0.
        test_mode (bool): If True, a sample's augmentation is fixed by
            ``(seed, sample)``; if False (training), the epoch is mixed in.
            Defaults to False.
        left_kp (Sequence[int], optional): Left keypoints, swapped with
            ``right_kp`` by a flip. Defaults to None.
        right_kp (Sequence[int], optional): Right keypoints.
            Defaults to None.
    """

    def __init__(self,
                 filters: Sequence[Union[str, Dict]] = FILTER_NAMES,
                 mode: str = 'one',
                 prob: float = 1.0,
                 seed: int = 0,
                 test_mode: bool = False,
                 left_kp: Optional[Sequence[int]] = None,
                 right_kp: Optional[Sequence[int]] = None) -> None:
        if isinstance(filters, (str, dict)) or not filters:
            raise ValueError('ClipAugment: filters must be a non-empty list '
                             f'of filter names or dicts, got {filters!r}')
        self.filters = tuple(
            build_filter(f, f'ClipAugment: filters[{i}]')
            for i, f in enumerate(filters))
        if mode not in MODES:
            raise ValueError(f'ClipAugment: mode must be one of {MODES}, '
                             f'got {mode!r}')
        if not isinstance(prob, (int, float)) or not 0 <= prob <= 1:
            raise ValueError(
                f'ClipAugment: prob must be in [0, 1], got {prob!r}')
        if (left_kp is None) != (right_kp is None) or (
                left_kp is not None and len(left_kp) != len(right_kp)):
            raise ValueError('ClipAugment: left_kp and right_kp must be given '
                             f'together with equal lengths, got {left_kp!r} '
                             f'and {right_kp!r}')
        self.mode = mode
        self.prob = float(prob)
        self.seed = seed
        self.test_mode = test_mode
        self.left_kp = None if left_kp is None else tuple(left_kp)
        self.right_kp = None if right_kp is None else tuple(right_kp)
        # Shared memory: the hook in the main process reaches forked workers.
        self._epoch = torch.full((1, ), -1, dtype=torch.int64).share_memory_()

    @property
    def epoch(self) -> int:
        """The training epoch augmentations are drawn for (-1: never set)."""
        return int(self._epoch[0])

    def set_epoch(self, epoch: int) -> None:
        """Key training draws by ``epoch`` (the epoch hook calls this)."""
        self._epoch[0] = int(epoch)

    def _rng(self, results: Dict) -> np.random.Generator:
        identity = sample_identity(results, 'ClipAugment')
        if self.test_mode:
            return sample_rng(self.seed, identity, 'clip_augment')
        if self.epoch < 0:
            warnings.warn(
                'ClipAugment(test_mode=False) was never given an epoch, so '
                'every epoch draws the same augmentation: add '
                'KeypointNoiseEpochHook to the runner (our default_runtime '
                'has it) or call set_epoch()', stacklevel=3)
            self.set_epoch(0)
        return sample_rng(self.seed, identity, 'clip_augment', self.epoch)

    def choose(self, rng: np.random.Generator) -> Sequence[ClipFilter]:
        """The filters for one clip, in the order they are applied."""
        if rng.random() >= self.prob:
            return ()
        count = len(self.filters)
        if self.mode == 'one':
            return (self.filters[int(rng.integers(count))], )
        order = rng.permutation(count)
        if self.mode == 'some':
            order = order[:int(rng.integers(1, count + 1))]
        return tuple(self.filters[i] for i in order)

    def transform(self, results: Dict) -> Dict:
        imgs = results['imgs']
        stacked = np.stack(imgs) if isinstance(imgs, list) else imgs
        if stacked.ndim != 4:
            raise ValueError(
                f'sample {sample_name(results)!r}: ClipAugment needs field '
                'imgs as (H, W, C) frames, got shape '
                f'{tuple(stacked.shape)}')
        rng = self._rng(results)
        chosen = self.choose(rng)
        height, width = stacked.shape[1:3]
        params = [f.draw(rng, height, width) for f in chosen]
        results['augment_filters'] = tuple(f.name for f in chosen)
        results['augment_params'] = tuple({
            k: v
            for k, v in p.items() if isinstance(v, float)
        } for p in params)
        if not chosen:
            return results
        clip = torch.from_numpy(np.ascontiguousarray(stacked)).permute(
            0, 3, 1, 2).float()
        for filt, param in zip(chosen, params):
            clip = filt.apply(clip, param)
        out = clip.permute(0, 2, 3, 1).numpy()
        if stacked.dtype == np.uint8:
            out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
        else:
            out = out.astype(stacked.dtype)
        results['imgs'] = list(out) if isinstance(imgs, list) else out
        flips = results['augment_filters'].count('flip')
        if flips % 2 and 'keypoint' in results:
            self._flip_keypoints(results)
        if flips:
            results['flip'] = bool(results.get('flip', False)) ^ bool(
                flips % 2)
            results['flip_direction'] = 'horizontal'
        return results

    def _flip_keypoints(self, results: Dict) -> None:
        """mmaction2's ``Flip._flip_kps``: mirror x, swap left and right."""
        if 'img_shape' not in results:
            raise KeyError(f'sample {sample_name(results)!r}: ClipAugment '
                           'flips keypoints and needs field img_shape')
        width = results['img_shape'][1]
        keypoint = results['keypoint'].copy()
        x = keypoint[..., 0]
        x[x != 0] = width - x[x != 0]
        order = np.arange(keypoint.shape[2])
        if self.left_kp is not None:
            order[list(self.left_kp)] = self.right_kp
            order[list(self.right_kp)] = self.left_kp
        results['keypoint'] = keypoint[:, :, order]
        if results.get('keypoint_score') is not None:
            results['keypoint_score'] = results['keypoint_score'][:, :, order]

    def __repr__(self) -> str:
        filters = ', '.join(repr(f) for f in self.filters)
        return (f'{self.__class__.__name__}('
                f'filters=({filters}), '
                f'mode={self.mode!r}, '
                f'prob={self.prob}, '
                f'seed={self.seed}, '
                f'test_mode={self.test_mode}, '
                f'left_kp={self.left_kp}, '
                f'right_kp={self.right_kp})')
