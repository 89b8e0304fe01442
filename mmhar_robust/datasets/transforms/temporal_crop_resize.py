"""Seed 003's input: a random temporal crop resized to a fixed length."""
from typing import Dict, Optional, Sequence

import numpy as np

from ...registry import TRANSFORMS
from ...utils.sample import sample_name
from .keypoint_visibility import VISIBLE_KEY
from .motionbert_frames import EpochKeyedTransform


def _sources(frames: int, start: float, length: int, clip_len: int):
    """For each output frame: the two source frames it blends and the
    weight of the second."""
    pos = np.linspace(start, start + length - 1, num=clip_len)
    low = np.clip(np.floor(pos).astype(np.int64), 0, frames - 1)
    high = np.minimum(low + 1, frames - 1)
    return low, high, pos - low


def resize_frames(array: np.ndarray, start: float, length: int,
                  clip_len: int) -> np.ndarray:
    """Frames ``[start, start + length)`` of ``array`` (time on axis 1)
    linearly interpolated to ``clip_len`` frames, first and last frame of
    the crop kept."""
    low, high, frac = _sources(array.shape[1], start, length, clip_len)
    frac = frac.reshape((1, -1) + (1, ) * (array.ndim - 2))
    out = array[:, low] * (1 - frac) + array[:, high] * frac
    return out.astype(array.dtype, copy=False)


def resize_visible(visible: np.ndarray, start: float, length: int,
                   clip_len: int) -> np.ndarray:
    """The ``(M, T, V)`` visibility mask of :func:`resize_frames`' output:
    an output joint is present when every source frame that weighs in it
    is (a blend with a missing joint, whose coordinates are 0, is not a
    position)."""
    low, high, frac = _sources(visible.shape[1], start, length, clip_len)
    return visible[:, low] & (visible[:, high] | (frac == 0)[None, :, None])


@TRANSFORMS.register_module()
class TemporalCropResize(EpochKeyedTransform):
    """Crop a random stretch of frames and resize it to ``clip_len`` frames
    (linear interpolation), as seed 003 and MAMP feed their transformers.

    In training the crop covers a share of the clip drawn uniformly in
    ``crop_ratio`` (or exactly ``crop_len`` frames) at a uniform start, from
    the sample's generator for the epoch (see :class:`EpochKeyedTransform`;
    the default runtime's ``KeypointNoiseEpochHook`` sets the epoch). In
    test mode the crop is the central ``crop_ratio[1]`` of the clip (or
    ``crop_len`` frames). It replaces ``UniformSampleFrames`` + ``PoseDecode``
    and goes before ``FormatGCNInput``.

    Required Keys:

        - keypoint (M, T, V, C)
        - keypoint_score (M, T, V), optional
        - keypoint_visible (M, T, V), optional

    Modified Keys:

        - keypoint
        - keypoint_score
        - keypoint_visible
        - total_frames

    A ``keypoint_visible`` mask (the joints present, recorded by the
    skeleton normalisation) is resized with the clip, so that transforms
    after it (a sweep's corruption) see which joints are there: an output
    joint blended from a missing one is missing. The coordinates are
    blended as they are.

    Args:
        clip_len (int): Frames out. Defaults to 120.
        crop_ratio (Sequence[float]): ``(low, high)`` share of the clip a
            crop covers, ``0 < low <= high <= 1`` (a crop cannot be longer
            than the clip). Defaults to (0.5, 1.0).
        crop_len (int, optional): Crop exactly this many frames instead; a
            clip shorter than it is refused, naming the sample.
            Defaults to None.
        test_mode (bool): Central, deterministic crop. Defaults to False.
        seed (int): The experiment's seed. Defaults to 0.
    """

    def __init__(self,
                 clip_len: int = 120,
                 crop_ratio: Sequence[float] = (0.5, 1.0),
                 crop_len: Optional[int] = None,
                 test_mode: bool = False,
                 seed: int = 0) -> None:
        super().__init__(seed)
        if isinstance(clip_len, bool) or not isinstance(clip_len, int) or \
                clip_len < 1:
            raise ValueError(f'clip_len must be an int >= 1, got '
                             f'{clip_len!r}')
        low, high = (float(v) for v in crop_ratio)
        if not 0.0 < low <= high <= 1.0:
            raise ValueError(
                'crop_ratio must be (low, high) with 0 < low <= high <= 1 '
                f'(a share of the clip), got {tuple(crop_ratio)!r}')
        if crop_len is not None and (isinstance(crop_len, bool)
                                     or not isinstance(crop_len, int)
                                     or crop_len < 1):
            raise ValueError(f'crop_len must be None or an int >= 1, got '
                             f'{crop_len!r}')
        self.clip_len, self.crop_len = clip_len, crop_len
        self.crop_ratio = tuple(crop_ratio)
        self.test_mode = test_mode

    def crop(self, results: Dict, frames: int) -> tuple:
        """``(start, length)`` of this sample's crop of ``frames`` frames."""
        if self.crop_len is not None and self.crop_len > frames:
            raise ValueError(
                f'TemporalCropResize: crop_len={self.crop_len} is longer '
                f'than sample {sample_name(results, quote=True)} '
                f'({frames} frames)')
        if self.test_mode:
            length = self.crop_len or max(
                1, int(round(self.crop_ratio[1] * frames)))
            return (frames - length) // 2, length
        rng = self.rng(results)
        length = self.crop_len or max(
            1, int(round(rng.uniform(*self.crop_ratio) * frames)))
        return int(rng.integers(0, frames - length + 1)), length

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'])
        frames = keypoint.shape[1]
        if frames < 1:
            raise ValueError(f'TemporalCropResize: sample '
                             f'{sample_name(results, quote=True)} has no '
                             'frames')
        start, length = self.crop(results, frames)
        results['keypoint'] = resize_frames(keypoint, start, length,
                                            self.clip_len)
        if 'keypoint_score' in results:
            results['keypoint_score'] = resize_frames(
                np.asarray(results['keypoint_score']), start, length,
                self.clip_len)
        if VISIBLE_KEY in results:
            results[VISIBLE_KEY] = resize_visible(
                np.asarray(results[VISIBLE_KEY], dtype=bool), start, length,
                self.clip_len)
        results['total_frames'] = self.clip_len
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'crop_ratio={self.crop_ratio}, crop_len={self.crop_len}, '
                f'test_mode={self.test_mode}, seed={self.seed})')
