"""Corrupt keypoints with a registered corruption at a given level."""
import hashlib
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .corruptions import (check_level, get_corruption, body_size,
                          total_difference, video_size, visible_mask)

SCALES = ('motion', 'video', 'body')


def sample_rng(seed: int,
               identity,
               corruption: str,
               level: float,
               draw: Optional[int] = None) -> np.random.Generator:
    """The generator of one sample's corruption.

    Keyed by a hash of ``(seed, sample identity, corruption, level)`` (and the
    draw number in training), never by the global RNG: every model evaluated
    on the same sample at the same level sees the same corrupted keypoints,
    and a rerun gives the same numbers. A Philox generator takes the 128-bit
    key directly, skipping ``SeedSequence`` (a third of this transform's cost
    otherwise).
    """
    key = repr((int(seed), str(identity), corruption, float(level), draw))
    digest = hashlib.blake2b(key.encode('utf-8'), digest_size=16).digest()
    return np.random.Generator(
        np.random.Philox(key=int.from_bytes(digest, 'little')))


@TRANSFORMS.register_module()
class KeypointNoise(BaseTransform):
    """Corrupt a sample's keypoints (seed 001's noise and more families).

    For additive families (``gaussian``, ``laplace``, ``student_t``) the noise
    has std ``level x unit``, where ``scale`` picks the unit (see
    :mod:`.corruptions.scale`):

    - ``'motion'``: video size x the clip's motion amount (seed 001's
      ``alpha x video size x total_difference``);
    - ``'video'``: video size alone, ``max(h, w)`` of ``original_shape``;
    - ``'body'``: the skeleton's bounding-box diagonal (PYSKL-style; works for
      3D keypoints in metres, which have no video size).

    For ``joint_dropout`` and ``frame_dropout`` the level is the probability a
    joint or a frame is lost. Missing joints (all-zero or score 0) stay missing.

    Place it right after ``PoseDecode`` (PoseC3D) or before
    ``PreNormalize2D``/``PreNormalize3D`` (GCN): the keypoints must still be in
    the original video's pixels (or metres) for ``'motion'`` and ``'video'``.

    With ``two_views=True`` the clean keypoints are kept and the corrupted copy
    is appended as extra persons (``M`` -> ``2M``), so the geometric transforms
    that follow (crop, resize, flip) treat both views identically;
    :class:`ForEachView` later splits them again.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - original_shape or img_shape (for scale 'motion' and 'video')
        - frame_dir, filename or sample_idx (the sample's identity)

    Modified Keys:

        - keypoint
        - keypoint_score (optional)

    Added Keys:

        - noise_level
        - noise_std (additive families)
        - total_difference (scale 'motion')
        - view_persons (``two_views=True``)

    Args:
        corruption (str): A name in ``CORRUPTIONS``. Defaults to 'gaussian'.
        level (float): Noise level (alpha) or loss probability.
            Defaults to 0.0.
        scale (str): ``'motion'``, ``'video'`` or ``'body'``.
            Defaults to 'motion'.
        seed (int): Seed mixed with the sample identity and the level.
            Defaults to 0.
        test_mode (bool): If True, a sample's corruption is fixed by
            ``(seed, sample, corruption, level)``. If False (training), a draw
            counter is mixed in so each epoch sees fresh noise. Defaults to
            False.
        two_views (bool): Keep the clean keypoints and append the corrupted
            ones as extra persons. Defaults to False.
    """

    def __init__(self,
                 corruption: str = 'gaussian',
                 level: float = 0.0,
                 scale: str = 'motion',
                 seed: int = 0,
                 test_mode: bool = False,
                 two_views: bool = False) -> None:
        self._corruption = get_corruption(corruption)
        if scale not in SCALES:
            raise ValueError(f'scale must be one of {SCALES}, got {scale!r}')
        self.level = check_level(corruption, level)
        self.scale = scale
        self.seed = seed
        self.test_mode = test_mode
        self.two_views = two_views
        self._draws = 0

    @property
    def corruption(self) -> str:
        return self._corruption.name

    def set_corruption(self, corruption: str, level: float) -> None:
        """Switch to another corruption and level (the noise sweep does)."""
        corr = get_corruption(corruption)
        self.level = check_level(corruption, level)
        self._corruption = corr

    def _identity(self, results: Dict):
        for key in ('frame_dir', 'filename', 'sample_idx'):
            if key in results:
                return results[key]
        raise KeyError('KeypointNoise needs the sample identity (frame_dir, '
                       'filename or sample_idx) to seed its noise')

    def _unit(self, results: Dict, keypoint: np.ndarray,
              visible: np.ndarray) -> float:
        if self.scale == 'body':
            sizes = body_size(keypoint, visible)
            return float(sizes[sizes > 0].mean()) if (sizes > 0).any() else 0.0
        unit = video_size(results)
        if self.scale == 'motion':
            motion = total_difference(keypoint, visible)
            results['total_difference'] = motion
            unit *= motion
        return unit

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        score = results.get('keypoint_score')
        results['noise_level'] = self.level
        if self.two_views:
            results['view_persons'] = keypoint.shape[0]
        if self.level == 0:
            noisy, noisy_score = keypoint, score
        else:
            draw = None
            if not self.test_mode:
                draw = self._draws
                self._draws += 1
            rng = sample_rng(self.seed, self._identity(results),
                             self.corruption, self.level, draw)
            visible = visible_mask(keypoint, score)
            unit = 1.0
            if self._corruption.kind == 'additive':
                unit = self._unit(results, keypoint, visible)
                results['noise_std'] = self.level * unit
            noisy, noisy_score = self._corruption.fn(keypoint, score, visible,
                                                     self.level, unit, rng)
        if self.two_views:
            noisy = np.concatenate([keypoint, noisy])
            if score is not None:
                noisy_score = np.concatenate([score, noisy_score])
        results['keypoint'] = noisy
        if score is not None:
            results['keypoint_score'] = noisy_score
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'corruption={self.corruption!r}, '
                f'level={self.level}, '
                f'scale={self.scale!r}, '
                f'seed={self.seed}, '
                f'test_mode={self.test_mode}, '
                f'two_views={self.two_views})')
