"""MotionBERT's persons and frames: two persons per clip, clips resampled to
a fixed length (``lib/data/dataset_action.py``, ``resample`` in
``lib/utils/utils_data.py``), and the per-sample, per-epoch generators its
random transforms draw from."""
import warnings
from typing import Dict, Optional

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_identity, sample_name, sample_rng


class EpochKeyedTransform(BaseTransform):
    """A transform whose training draws come from a generator keyed by
    ``(seed, sample, transform, epoch)``: fresh each epoch, independent of
    workers and processes, and the same for the two views of a sample
    (``ForEachView``). :class:`KeypointNoiseEpochHook` calls
    :meth:`set_epoch`; the epoch lives in shared memory so that forked
    workers see it.

    Args:
        seed (int): The experiment's seed. Defaults to 0.
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._epoch = torch.full((1, ), -1, dtype=torch.int64).share_memory_()

    def set_epoch(self, epoch: int) -> None:
        """Key the draws by ``epoch``."""
        self._epoch[0] = int(epoch)

    def rng(self, results: Dict) -> np.random.Generator:
        """The generator of this sample in this epoch."""
        epoch = int(self._epoch[0])
        if epoch < 0:
            warnings.warn(
                f'{type(self).__name__} was never given an epoch, so every '
                'epoch draws the same: add KeypointNoiseEpochHook (our '
                'default_runtime has it) or call set_epoch()', stacklevel=3)
            self.set_epoch(0)
            epoch = 0
        identity = sample_identity(results, type(self).__name__)
        return sample_rng(self.seed, identity, type(self).__name__, epoch)


@TRANSFORMS.register_module()
class MotionBERTPersons(BaseTransform):
    """Exactly ``num_persons`` persons: missing ones are added as zeros
    (coordinates and scores), as MotionBERT adds a zero second person.

    Required Keys:

        - keypoint (M, T, V, C)
        - keypoint_score (M, T, V)

    Modified Keys:

        - keypoint
        - keypoint_score

    Args:
        num_persons (int): Persons per clip. Defaults to 2.
    """

    def __init__(self, num_persons: int = 2) -> None:
        self.num_persons = num_persons

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'])
        score = np.asarray(results['keypoint_score'])
        persons = keypoint.shape[0]
        if persons > self.num_persons:
            raise ValueError(
                f'MotionBERTPersons: sample {sample_name(results, quote=True)}'
                f' has {persons} persons, more than {self.num_persons}; '
                'select the main persons first')
        missing = self.num_persons - persons
        if missing:
            results['keypoint'] = np.concatenate(
                [keypoint, np.zeros((missing, ) + keypoint.shape[1:],
                                    keypoint.dtype)])
            results['keypoint_score'] = np.concatenate(
                [score, np.zeros((missing, ) + score.shape[1:], score.dtype)])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(num_persons={self.num_persons})'


def resample_indices(length: int, clip_len: int,
                     rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """``clip_len`` frame indices into a clip of ``length`` frames.

    Without ``rng``, evenly spaced: ``floor(i * length / clip_len)``. With
    it, each index is drawn in its stretch ``[i, i + 1) * length /
    clip_len`` when the clip is long enough, else the floor or the ceiling
    of the even position is chosen at random (sorted), as MotionBERT does.
    """
    even = np.linspace(0, length, num=clip_len, endpoint=False)
    if rng is None:
        return np.floor(even).astype(np.int64)
    if length < clip_len:
        pick_low = rng.integers(0, 2, size=clip_len).astype(bool)
        picked = np.sort(np.where(pick_low, np.floor(even), np.ceil(even)))
    else:
        picked = even + rng.random(clip_len) * (even[1] - even[0])
    return np.clip(picked, 0, length - 1).astype(np.int64)


@TRANSFORMS.register_module()
class MotionBERTResample(EpochKeyedTransform):
    """Resample a clip to ``clip_len`` frames: at random within even
    stretches in training, evenly spaced in test (see
    :func:`resample_indices`). Longer clips are thinned, shorter ones repeat
    frames.

    ``clip_len=None`` (test only) keeps every frame; a clip longer than
    ``maxlen`` (the model's temporal embeddings) is then refused, naming
    the sample.

    Required Keys:

        - keypoint (M, T, ...)
        - keypoint_score (M, T, ...)

    Modified Keys:

        - keypoint
        - keypoint_score
        - total_frames

    Added Keys:

        - frame_inds

    Args:
        clip_len (int, optional): Frames out. Defaults to 243.
        maxlen (int): The most frames the model takes. Defaults to 243.
        test_mode (bool): Evenly spaced frames. Defaults to False.
        seed (int): The experiment's seed. Defaults to 0.
    """

    def __init__(self,
                 clip_len: Optional[int] = 243,
                 maxlen: int = 243,
                 test_mode: bool = False,
                 seed: int = 0) -> None:
        super().__init__(seed)
        if clip_len is not None and not 0 < clip_len <= maxlen:
            raise ValueError(f'clip_len must be in [1, maxlen={maxlen}], '
                             f'got {clip_len}')
        if clip_len is None and not test_mode:
            raise ValueError('clip_len=None (all frames) is for test_mode')
        self.clip_len, self.maxlen = clip_len, maxlen
        self.test_mode = test_mode

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'])
        length = keypoint.shape[1]
        if length < 1:
            raise ValueError(f'MotionBERTResample: sample '
                             f'{sample_name(results, quote=True)} has no '
                             'frames')
        if self.clip_len is None:
            if length > self.maxlen:
                raise ValueError(
                    f'MotionBERTResample: sample '
                    f'{sample_name(results, quote=True)} has {length} '
                    f'frames, more than maxlen={self.maxlen}; set clip_len '
                    'to resample it')
            inds = np.arange(length)
        else:
            inds = resample_indices(
                length, self.clip_len,
                None if self.test_mode else self.rng(results))
        results['keypoint'] = keypoint[:, inds]
        results['keypoint_score'] = np.asarray(
            results['keypoint_score'])[:, inds]
        results['frame_inds'] = inds
        results['total_frames'] = len(inds)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'maxlen={self.maxlen}, test_mode={self.test_mode}, '
                f'seed={self.seed})')
