"""MotionBERT's keypoint preparation: pixels to [-1, 1], COCO-17 to H36M-17.

As MotionBERT's ``lib/data/dataset_action.py`` (``make_cam``, ``coco2h36m``)
does it. Run seed 001's ``KeypointNoise`` before these, on pixels.
"""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_name

# H36M joint <- the COCO joints it averages. H36M: 0 root, 1 rhip, 2 rknee,
# 3 rankle, 4 lhip, 5 lknee, 6 lankle, 7 belly, 8 neck, 9 nose, 10 head,
# 11 lshoulder, 12 lelbow, 13 lwrist, 14 rshoulder, 15 relbow, 16 rwrist.
# COCO: 0 nose, 1/2 l/r eye, 3/4 l/r ear, 5/6 l/r shoulder, 7/8 l/r elbow,
# 9/10 l/r wrist, 11/12 l/r hip, 13/14 l/r knee, 15/16 l/r ankle.
H36M_FROM_COCO = ((11, 12), (12, ), (14, ), (16, ), (11, ), (13, ), (15, ),
                  (5, 6, 11, 12), (5, 6), (0, ), (1, 2), (5, ), (7, ), (9, ),
                  (6, ), (8, ), (10, ))


def coco_to_h36m_matrix() -> np.ndarray:
    """``(17, 17)`` weights: H36M joint ``j`` = ``sum_c W[j, c] COCO c``.
    The belly is the mean of the root (mid-hip) and neck (mid-shoulder),
    so of the four hips and shoulders."""
    weights = np.zeros((17, 17))
    for joint, sources in enumerate(H36M_FROM_COCO):
        weights[joint, list(sources)] = 1 / len(sources)
    return weights


def check_coco17_2d(results: Dict, what: str) -> None:
    """Raise unless the sample holds COCO-17 2D keypoints with scores."""
    name = sample_name(results, quote=True)
    keypoint = results.get('keypoint')
    if keypoint is None or 'keypoint_score' not in results:
        raise KeyError(f'{what}: sample {name} needs keypoint and '
                       f'keypoint_score, it has {sorted(results)}')
    keypoint = np.asarray(keypoint)
    score = np.asarray(results['keypoint_score'])
    if keypoint.ndim != 4 or keypoint.shape[2:] != (17, 2):
        raise ValueError(
            f'{what}: sample {name} has keypoint of shape {keypoint.shape}; '
            'MotionBERT takes COCO-17 2D keypoints (M, T, 17, 2) in pixels')
    if score.shape != keypoint.shape[:3]:
        raise ValueError(
            f'{what}: sample {name} has keypoint_score of shape '
            f'{score.shape}, not {keypoint.shape[:3]} (M, T, 17)')


@TRANSFORMS.register_module()
class MotionBERTNormalize(BaseTransform):
    """Map pixel coordinates to [-1, 1] by the longer side of the video:
    ``x / max(h, w) * 2 - 1`` on both axes (MotionBERT's ``make_cam``).

    Required Keys:

        - keypoint (M, T, 17, 2), pixels
        - keypoint_score (M, T, 17)
        - img_shape (h, w)

    Modified Keys:

        - keypoint (float32)
    """

    def transform(self, results: Dict) -> Dict:
        check_coco17_2d(results, 'MotionBERTNormalize')
        shape = results.get('img_shape')
        if shape is None or len(shape) < 2 or min(shape[:2]) <= 0:
            raise KeyError(
                f'MotionBERTNormalize: sample '
                f'{sample_name(results, quote=True)} needs img_shape (h, w) '
                f'of its video, got {shape!r}')
        side = float(max(shape[0], shape[1]))
        keypoint = np.asarray(results['keypoint'], dtype=np.float32)
        results['keypoint'] = keypoint / side * 2 - 1
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'


@TRANSFORMS.register_module()
class COCOToH36M(BaseTransform):
    """Reorder COCO-17 keypoints into MotionBERT's H36M-17 skeleton
    (root, belly, neck and head are means of COCO joints, see
    :data:`H36M_FROM_COCO`).

    The released MotionBERT code reorders the coordinates but leaves the
    confidences in COCO order (MotionBERT issue 132), and its released
    action checkpoints were trained that way: ``reorder_score=False``
    reproduces it, for those checkpoints. By default the scores are mapped
    like the coordinates, so each joint keeps its own confidence.

    Required Keys:

        - keypoint (M, T, 17, 2)
        - keypoint_score (M, T, 17)

    Modified Keys:

        - keypoint
        - keypoint_score (unless ``reorder_score=False``)

    Args:
        reorder_score (bool): Map the scores like the coordinates.
            Defaults to True.
    """

    def __init__(self, reorder_score: bool = True) -> None:
        self.reorder_score = reorder_score
        self._weights = coco_to_h36m_matrix()

    def transform(self, results: Dict) -> Dict:
        check_coco17_2d(results, 'COCOToH36M')
        keypoint = np.asarray(results['keypoint'])
        results['keypoint'] = np.einsum(
            'jc,mtcd->mtjd', self._weights, keypoint).astype(keypoint.dtype)
        if self.reorder_score:
            score = np.asarray(results['keypoint_score'])
            results['keypoint_score'] = np.einsum(
                'jc,mtc->mtj', self._weights, score).astype(score.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'reorder_score={self.reorder_score})')
