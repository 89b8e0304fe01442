"""Corrupt keypoints with a registered corruption at a given level."""
import warnings
from typing import Dict

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_identity, sample_name, sample_rng
from .corruptions import (body_size, check_level, get_corruption,
                          seed001_std, total_difference, video_size)
from .keypoint_visibility import VISIBLE_KEY, keypoint_visibility

SCALES = ('motion', 'video', 'body', 'seed001')


@TRANSFORMS.register_module()
class KeypointNoise(BaseTransform):
    """Corrupt a sample's keypoints (seed 001's noise and more families).

    For additive families (``gaussian``, ``laplace``, ``student_t``) the noise
    has std ``level x unit``, where ``scale`` picks the unit (see
    :mod:`.corruptions.scale` and docs/keypoint_noise.md):

    - ``'seed001'``: seed 001's code exactly: ``unit = c x w`` on x and
      ``c x h`` on y, ``(h, w)`` the ``img_shape``, ``c = clip(sqrt(D /
      10000), 0.2, 1)``, ``D`` the first person's summed pixel displacement
      over the clip's frames. Put the transform first in the pipeline, before
      ``UniformSampleFrames``: seed 001 noises the raw clip, and ``D`` is
      measured on all its frames. 2D pixels only.
    - ``'motion'``: video size x our resolution-free motion amount;
    - ``'video'``: video size alone, ``max(h, w)`` of ``original_shape``;
    - ``'body'``: the skeleton's bounding-box diagonal (PYSKL-style; works for
      3D keypoints in metres, which have no video size).

    For ``joint_dropout`` and ``frame_dropout`` the level is the probability a
    joint or a frame is lost. Missing joints (score 0, or the
    ``keypoint_visible`` mask the normalisation transforms record; zeros only
    in raw keypoints) stay missing unless ``corrupt_missing=True``.

    Randomness: a sample's draw is keyed by ``(seed, sample, corruption,
    level)`` and, in training, the epoch, which :class:`KeypointNoiseEpochHook`
    sets before every epoch (the value lives in shared memory, so dataloader
    workers, persistent or not, see it). The noise therefore does not depend
    on the number of workers or processes, and a resumed run draws what the
    uninterrupted one drew.

    With ``two_views=True`` the clean keypoints are kept and the corrupted copy
    is appended as extra persons (``M`` -> ``2M``), so the geometric transforms
    that follow (crop, resize, flip) treat both views identically;
    :class:`ForEachView` later splits them again.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)
        - img_shape (scale 'seed001'), original_shape or img_shape (scale
          'motion' and 'video')
        - frame_dir, filename, video_id or sample_idx (the sample's identity)

    Modified Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional, ``two_views=True``)

    Added Keys:

        - noise_level
        - noise_std (additive families; ``(x, y)`` for scale 'seed001')
        - total_difference (scale 'motion')
        - view_persons (``two_views=True``)

    Args:
        corruption (str): A name in ``CORRUPTIONS``. Defaults to 'gaussian'.
        level (float): Noise level (alpha) or loss probability.
            Defaults to 0.0.
        scale (str): ``'seed001'``, ``'motion'``, ``'video'`` or ``'body'``.
            Defaults to 'motion'.
        seed (int): Seed mixed with the sample identity and the level.
            Defaults to 0.
        test_mode (bool): If True, a sample's corruption is fixed by
            ``(seed, sample, corruption, level)``. If False (training), the
            epoch is mixed in, so each epoch sees fresh noise.
            Defaults to False.
        two_views (bool): Keep the clean keypoints and append the corrupted
            ones as extra persons. Defaults to False.
        corrupt_missing (bool): Move missing joints too, as seed 001's code
            did. Defaults to False.
    """

    def __init__(self,
                 corruption: str = 'gaussian',
                 level: float = 0.0,
                 scale: str = 'motion',
                 seed: int = 0,
                 test_mode: bool = False,
                 two_views: bool = False,
                 corrupt_missing: bool = False) -> None:
        self._corruption = get_corruption(corruption)
        if scale not in SCALES:
            raise ValueError(f'scale must be one of {SCALES}, got {scale!r}')
        self.level = check_level(corruption, level)
        self.scale = scale
        self.seed = seed
        self.test_mode = test_mode
        self.two_views = two_views
        self.corrupt_missing = corrupt_missing
        # In shared memory, so that a hook in the main process reaches the
        # copies in dataloader workers (they are forked after this).
        self._epoch = torch.full((1, ), -1, dtype=torch.int64).share_memory_()

    @property
    def corruption(self) -> str:
        return self._corruption.name

    @property
    def epoch(self) -> int:
        """The training epoch the noise is drawn for (-1: never set)."""
        return int(self._epoch[0])

    def set_epoch(self, epoch: int) -> None:
        """Key training noise by ``epoch`` (:class:`KeypointNoiseEpochHook`
        calls this before every epoch)."""
        self._epoch[0] = int(epoch)

    def set_corruption(self, corruption: str, level: float) -> None:
        """Switch to another corruption and level (the noise sweep does)."""
        corr = get_corruption(corruption)
        self.level = check_level(corruption, level)
        self._corruption = corr

    def _unit(self, results: Dict, keypoint: np.ndarray,
              visible: np.ndarray):
        """The unit of additive noise: a float, or ``(x, y)`` stds."""
        if self.scale == 'seed001':
            return seed001_std(keypoint, self._img_shape(results), 1.0)
        if self.scale == 'body':
            sizes = body_size(keypoint, visible)
            return float(sizes[sizes > 0].mean()) if (sizes > 0).any() else 0.0
        unit = video_size(results)
        if self.scale == 'motion':
            motion = total_difference(keypoint, visible)
            results['total_difference'] = motion
            unit *= motion
        return unit

    def _img_shape(self, results: Dict):
        name = sample_name(results)
        if results['keypoint'].shape[-1] != 2:
            raise ValueError(
                f'sample {name!r}: scale="seed001" is seed 001\'s noise for '
                '2D keypoints in pixels, but field keypoint has '
                f'{results["keypoint"].shape[-1]} coordinates; use '
                'scale="body" for 3D keypoints')
        shape = results.get('img_shape')
        if shape is None or len(shape) < 2:
            raise KeyError(
                f'sample {name!r}: scale="seed001" needs field img_shape '
                '(h, w) of the video the keypoints are in, before any crop')
        return shape

    def _draw_key(self):
        if self.test_mode:
            return None
        epoch = self.epoch
        if epoch < 0:
            warnings.warn(
                'KeypointNoise(test_mode=False) was never given an epoch, so '
                'every epoch draws the same noise: add '
                'KeypointNoiseEpochHook to the runner (our default_runtime '
                'has it) or call set_epoch()', stacklevel=3)
            self.set_epoch(0)
            epoch = 0
        return epoch

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        score = results.get('keypoint_score')
        carries_mask = VISIBLE_KEY in results
        visible = keypoint_visibility(results)
        results['noise_level'] = self.level
        if self.two_views:
            results['view_persons'] = keypoint.shape[0]
        noisy, noisy_score, noisy_visible = keypoint, score, visible
        if self.level != 0:
            noisy, noisy_score, noisy_visible = self._corrupt(
                results, keypoint, score, visible)
        if self.two_views:
            noisy = np.concatenate([keypoint, noisy])
            if score is not None:
                noisy_score = np.concatenate([score, noisy_score])
            noisy_visible = np.concatenate([visible, noisy_visible])
        results['keypoint'] = noisy
        if score is not None:
            results['keypoint_score'] = noisy_score
        if carries_mask:
            results[VISIBLE_KEY] = noisy_visible
        return results

    def _corrupt(self, results: Dict, keypoint: np.ndarray, score,
                 visible: np.ndarray):
        """The corrupted keypoints, scores and mask of present joints."""
        rng = sample_rng(self.seed, sample_identity(results, 'KeypointNoise'),
                         self.corruption, self.level, self._draw_key())
        if self._corruption.kind == 'additive':
            unit = self._unit(results, keypoint, visible)
            results['noise_std'] = self.level * unit
            target = np.ones_like(visible) if self.corrupt_missing else visible
            noisy, noisy_score = self._corruption.fn(keypoint, score, target,
                                                     self.level, unit, rng)
            return noisy, noisy_score, visible
        if score is None and self._corruption.needs_score:
            raise ValueError(
                f'sample {sample_name(results)!r}: {self.corruption} lowers '
                'keypoint_score, but the sample has none (3D keypoints '
                'usually have no scores)')
        # A lost joint gets score 0: a stand-in score tells which were lost
        # when the sample has none (a lost joint at the origin looks the same).
        given = score if score is not None else visible.astype(np.float32)
        noisy, noisy_score = self._corruption.fn(keypoint, given, visible,
                                                 self.level, 1.0, rng)
        still_visible = visible & (noisy_score > 0)
        return noisy, noisy_score if score is not None else None, still_visible

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'corruption={self.corruption!r}, '
                f'level={self.level}, '
                f'scale={self.scale!r}, '
                f'seed={self.seed}, '
                f'test_mode={self.test_mode}, '
                f'two_views={self.two_views}, '
                f'corrupt_missing={self.corrupt_missing})')
