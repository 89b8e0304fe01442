"""``GeneratePoseTarget`` with the keypoint heatmaps rendered in one pass."""
from typing import Dict

import numpy as np
from mmaction.datasets.transforms import GeneratePoseTarget

from ...registry import TRANSFORMS


def keypoint_heatmaps(keypoint: np.ndarray, score: np.ndarray, height: int,
                      width: int, sigma: float, eps: float) -> np.ndarray:
    """Heatmaps ``(T, V, H, W)`` of keypoints ``(M, T, V, 2)``, as
    ``GeneratePoseTarget.generate_a_heatmap`` draws them, for all at once.

    That method draws, per person, frame and joint, ``score x exp(-d^2 /
    2 sigma^2)`` inside the window ``[int(mu - 3 sigma), int(mu + 3 sigma)]``
    of each axis, and keeps the maximum over persons. Gaussian and window are
    both separable, so each heatmap is the outer product of a column and a row
    profile.
    """
    mu_x, mu_y = keypoint[..., 0], keypoint[..., 1]
    value = np.where(score < eps, 0.0, score).astype(np.float32)

    def profile(mu: np.ndarray, size: int) -> np.ndarray:
        grid = np.arange(size, dtype=np.float32)
        # The original bounds its window in float64 (numpy promotes a float32
        # scalar minus a Python float), which decides the edge pixels.
        wide = mu.astype(np.float64)
        start = np.maximum(np.trunc(wide - 3 * sigma), 0)[..., None]
        stop = np.minimum(np.trunc(wide + 3 * sigma) + 1, size)[..., None]
        inside = (grid >= start) & (grid < stop)
        curve = np.exp(-(grid - mu[..., None])**2 / (2 * sigma**2))
        return np.where(inside, curve, 0).astype(np.float32)

    rows = profile(mu_y, height) * value[..., None]  # (M, T, V, H)
    cols = profile(mu_x, width)  # (M, T, V, W)
    heat = rows[..., :, None] * cols[..., None, :]  # (M, T, V, H, W)
    return heat.max(axis=0) if heat.shape[0] > 1 else heat[0]


@TRANSFORMS.register_module()
class FastGeneratePoseTarget(GeneratePoseTarget):
    """mmaction2's ``GeneratePoseTarget``, with keypoint heatmaps vectorised.

    Same arguments, same output (to float32 rounding; tested against the
    original), several times faster: the original loops in Python over frames,
    joints and persons, and is almost all of PoseC3D's data pipeline. Limb
    heatmaps (``with_limb=True``) fall back to the original code.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - img_shape

    Added Keys:

        - imgs (or heatmap_imgs if imgs exists)
    """

    def gen_an_aug(self, results: Dict) -> np.ndarray:
        if self.with_limb:
            return super().gen_an_aug(results)
        keypoint = results['keypoint'][..., :2].astype(np.float32)
        score = results.get('keypoint_score')
        if score is None or not self.use_score:
            score = np.ones(keypoint.shape[:-1], dtype=np.float32)
        img_h, img_w = results['img_shape']
        img_h = int(img_h * self.scaling + 0.5)
        img_w = int(img_w * self.scaling + 0.5)
        keypoint *= self.scaling
        return keypoint_heatmaps(keypoint, score, img_h, img_w, self.sigma,
                                 self.eps)
