"""MotionBERT's augmentation and input format: random move, crop-scale,
and the ``(1, M, T, 17, 3)`` input (``random_move`` in
``lib/data/dataset_action.py``, ``crop_scale`` in ``lib/utils/utils_data.py``).
"""
from typing import Dict, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .motionbert_frames import EpochKeyedTransform


@TRANSFORMS.register_module()
class MotionBERTRandomMove(EpochKeyedTransform):
    """Rotate, scale and translate the 2D keypoints of a clip, the amounts
    drifting linearly between random values at ``move_time + 1`` evenly
    spaced frames (training only; MotionBERT's ``random_move``).

    Required Keys:

        - keypoint (M, T, V, 2), normalised

    Modified Keys:

        - keypoint

    Args:
        angle_range (Sequence[float]): Rotation in degrees.
            Defaults to (-10., 10.).
        scale_range (Sequence[float]): Scale. Defaults to (0.9, 1.1).
        translate_range (Sequence[float]): Shift on each axis.
            Defaults to (-0.1, 0.1).
        move_time_candidate (Sequence[int]): Numbers of segments to choose
            from. Defaults to (1, ).
        seed (int): The experiment's seed. Defaults to 0.
    """

    def __init__(self,
                 angle_range: Sequence[float] = (-10., 10.),
                 scale_range: Sequence[float] = (0.9, 1.1),
                 translate_range: Sequence[float] = (-0.1, 0.1),
                 move_time_candidate: Sequence[int] = (1, ),
                 seed: int = 0) -> None:
        super().__init__(seed)
        self.angle_range = tuple(angle_range)
        self.scale_range = tuple(scale_range)
        self.translate_range = tuple(translate_range)
        self.move_time_candidate = tuple(move_time_candidate)

    def _drift(self, rng: np.random.Generator, nodes: np.ndarray,
               bounds: Tuple[float, float], frames: int) -> np.ndarray:
        """Per-frame values interpolated between random node values."""
        ends = rng.uniform(bounds[0], bounds[1], len(nodes))
        out = np.zeros(frames)
        for i in range(len(nodes) - 1):
            out[nodes[i]:nodes[i + 1]] = np.linspace(
                ends[i], ends[i + 1], nodes[i + 1] - nodes[i])
        return out

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'])
        frames = keypoint.shape[1]
        rng = self.rng(results)
        move_time = self.move_time_candidate[rng.integers(
            len(self.move_time_candidate))]
        nodes = np.append(
            np.arange(0, frames, frames / move_time).round().astype(int),
            frames)
        angle = np.deg2rad(self._drift(rng, nodes, self.angle_range, frames))
        scale = self._drift(rng, nodes, self.scale_range, frames)
        shift = np.stack([
            self._drift(rng, nodes, self.translate_range, frames),
            self._drift(rng, nodes, self.translate_range, frames)
        ], -1)  # (T, 2)
        cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
        rotation = np.stack([np.stack([cos, -sin], -1),
                             np.stack([sin, cos], -1)], -2)  # (T, 2, 2)
        moved = np.einsum('tij,mtvj->mtvi', rotation, keypoint[..., :2])
        results['keypoint'] = (moved + shift[None, :, None]).astype(
            keypoint.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(angle_range={self.angle_range}, '
                f'scale_range={self.scale_range}, '
                f'translate_range={self.translate_range}, '
                f'move_time_candidate={self.move_time_candidate}, '
                f'seed={self.seed})')


@TRANSFORMS.register_module()
class MotionBERTCropScale(EpochKeyedTransform):
    """Fit the clip's keypoints into [-1, 1]: a square of side ``ratio x``
    the longer side of the box around every keypoint with a nonzero score
    (all persons and frames), centred on that box; ``ratio`` is drawn from
    ``scale_range`` (1-3 in MotionBERT's training, 2 in its tests). Then
    everything, scores too, is clipped to [-1, 1]. A clip with fewer than 4
    scored keypoints, or a box of size 0, becomes all zeros (scores too).

    Which score goes with which joint matters here: after
    ``COCOToH36M(reorder_score=False)`` the mask is the release's.

    Required Keys:

        - keypoint (M, T, V, 2)
        - keypoint_score (M, T, V)

    Modified Keys:

        - keypoint
        - keypoint_score

    Args:
        scale_range (Sequence[float]): Low and high ``ratio``; equal for a
            fixed one. Defaults to (1., 3.).
        seed (int): The experiment's seed. Defaults to 0.
    """

    def __init__(self,
                 scale_range: Sequence[float] = (1., 3.),
                 seed: int = 0) -> None:
        super().__init__(seed)
        low, high = (float(v) for v in scale_range)
        if not 0 < low <= high:
            raise ValueError(f'scale_range must be 0 < low <= high, got '
                             f'{tuple(scale_range)}')
        self.scale_range = (low, high)

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'])
        score = np.asarray(results['keypoint_score'])
        valid = keypoint[score != 0]
        low, high = self.scale_range
        ratio = low if low == high else self.rng(results).uniform(low, high)
        side = 0.
        if len(valid) >= 4:
            lo, hi = valid.min(0), valid.max(0)
            side = float((hi - lo).max()) * ratio
        if side == 0:
            results['keypoint'] = np.zeros_like(keypoint)
            results['keypoint_score'] = np.zeros_like(score)
            return results
        corner = (lo + hi - side) / 2
        fitted = ((keypoint - corner) / side - 0.5) * 2
        results['keypoint'] = np.clip(fitted, -1, 1).astype(keypoint.dtype)
        results['keypoint_score'] = np.clip(score, -1, 1)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale_range={self.scale_range}, '
                f'seed={self.seed})')


@TRANSFORMS.register_module()
class MotionBERTFormatInput(BaseTransform):
    """Join coordinates and scores into MotionBERT's input, one clip:
    ``keypoint`` becomes ``(1, M, T, V, 3)`` float32 (x, y, score), which
    ``PackActionInputs`` packs as ``inputs`` and ``RecognizerGCN`` passes
    to ``DSTformer`` as ``(N, M, T, V, 3)``.

    Required Keys:

        - keypoint (M, T, V, 2)
        - keypoint_score (M, T, V)

    Modified Keys:

        - keypoint

    Added Keys:

        - num_clips
        - clip_len
    """

    def transform(self, results: Dict) -> Dict:
        keypoint = np.asarray(results['keypoint'], dtype=np.float32)
        score = np.asarray(results['keypoint_score'], dtype=np.float32)
        results['keypoint'] = np.concatenate([keypoint, score[..., None]],
                                             -1)[None]
        results['num_clips'] = 1
        results['clip_len'] = keypoint.shape[1]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
