"""Keypoint coordinates as channels of a 3D-CNN input (seed 001's skeleton
input for PoseC3D)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_name


@TRANSFORMS.register_module()
class FormatSkeletonVolume(BaseTransform):
    """Format a pose sample as a ``(P x V x 2, T, 1, 1)`` volume per clip.

    Seed 001's pure-skeleton input, the input of its best model: instead of
    rendering heatmaps, the (x, y) coordinates of ``num_persons`` persons x
    ``num_keypoints`` joints become the channels of a volume with a 1 x 1
    spatial map, for ``ResNet3dSlowOnly(in_channels=P x V x 2)`` (68 for
    2 persons of COCO-17). It plays the role of the PYSKL fork's
    ``GeneratePoseTarget(input_format='Skeleton')`` followed by
    ``FormatShape(input_format='Skeleton')``, as one transform: mmaction2's
    ``FormatShape`` reshapes rendered ``imgs``, while this reads
    ``keypoint`` directly and checks it, so a subclass would share nothing
    with its parent.

    As in the reference:

    - coordinates are the pixels of the frame after the pipeline's crop and
      resize (0-56 for seed 001's 56 x 56), not normalised;
    - a sample with fewer persons repeats them (a lone person is
      duplicated);
    - ``keypoint_score`` is not used: a missed joint keeps the coordinates
      the crop and resize gave its placeholder.

    Unlike the reference, which kept the first two persons silently, a
    sample with more than ``num_persons`` persons is an error.

    Channel ``c`` holds person ``c // (2V)``, joint ``(c // 2) % V``,
    coordinate ``c % 2`` (0: x, 1: y). Place it where a heatmap pipeline has
    ``GeneratePoseTarget`` and ``FormatShape`` (inside ``ForEachView`` for
    two-view training), then ``PackActionInputs``; the model's data
    preprocessor uses ``format_shape='NCTHW'``.

    Required Keys:

        - keypoint (``(M, num_clips x clip_len, V, 2)``, after
          ``PoseDecode``)
        - num_clips
        - clip_len
        - frame_dir (optional, names the sample in errors)

    Added Keys:

        - imgs (``(num_clips, P x V x 2, clip_len, 1, 1)``, float32)
        - input_shape

    Args:
        num_persons (int): Persons per volume, ``P``. Defaults to 2.
        num_keypoints (int): Joints per person the sample must have, ``V``.
            Defaults to 17.
    """

    def __init__(self, num_persons: int = 2, num_keypoints: int = 17) -> None:
        if num_persons < 1:
            raise ValueError(f'num_persons must be >= 1, got {num_persons}')
        if num_keypoints < 1:
            raise ValueError(
                f'num_keypoints must be >= 1, got {num_keypoints}')
        self.num_persons = num_persons
        self.num_keypoints = num_keypoints

    def _checked_keypoint(self, results: Dict) -> np.ndarray:
        name = sample_name(results)
        if 'keypoint' not in results:
            raise KeyError(f'FormatSkeletonVolume: sample {name} has no '
                           'keypoint')
        keypoint = np.asarray(results['keypoint'])
        if keypoint.ndim != 4 or keypoint.shape[-1] != 2:
            raise ValueError(
                f'FormatSkeletonVolume: sample {name}: keypoint must be 2D '
                '(persons, frames, joints, 2), got shape '
                f'{keypoint.shape}')
        persons, frames, joints = keypoint.shape[:3]
        if joints != self.num_keypoints:
            raise ValueError(
                f'FormatSkeletonVolume: sample {name}: keypoint has {joints} '
                f'joints, the config expects num_keypoints='
                f'{self.num_keypoints}')
        if not 1 <= persons <= self.num_persons:
            raise ValueError(
                f'FormatSkeletonVolume: sample {name}: keypoint has '
                f'{persons} persons, the volume holds 1 to '
                f'num_persons={self.num_persons}')
        for key in ('num_clips', 'clip_len'):
            if key not in results:
                raise KeyError(f'FormatSkeletonVolume: sample {name} has no '
                               f'{key}; put it after UniformSampleFrames')
        expected = results['num_clips'] * results['clip_len']
        if frames != expected:
            raise ValueError(
                f'FormatSkeletonVolume: sample {name}: keypoint has {frames} '
                f'frames, num_clips x clip_len is {expected}; put it after '
                'UniformSampleFrames and PoseDecode')
        return keypoint

    def transform(self, results: Dict) -> Dict:
        keypoint = self._checked_keypoint(results)
        persons = keypoint.shape[0]
        if persons < self.num_persons:
            keypoint = keypoint[np.arange(self.num_persons) % persons]
        num_clips, clip_len = results['num_clips'], results['clip_len']
        joints = self.num_keypoints
        # (P, N x T, V, 2) -> (N, P, V, 2, T): persons, joints, coordinates
        # become the channels, time stays an axis of its own.
        volume = keypoint.reshape(self.num_persons, num_clips, clip_len,
                                  joints, 2).transpose(1, 0, 3, 4, 2)
        volume = volume.reshape(num_clips, self.num_persons * joints * 2,
                                clip_len, 1, 1)
        results['imgs'] = np.ascontiguousarray(volume, dtype=np.float32)
        results['input_shape'] = results['imgs'].shape
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'num_persons={self.num_persons}, '
                f'num_keypoints={self.num_keypoints})')
