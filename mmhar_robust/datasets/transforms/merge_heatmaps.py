"""Merge per-joint heatmaps into one grayscale channel (seed 001's input)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class MergeHeatmaps(BaseTransform):
    """Merge the K joint heatmaps of every frame into one channel.

    Seed 001's "grayscale" input: one 56 x 56 image per frame instead of 17
    heatmaps. Put it after ``GeneratePoseTarget`` and before ``FormatShape``;
    the backbone then takes ``in_channels=1``.

    Required Keys:

        - imgs (``(num_frames, K, H, W)`` from ``GeneratePoseTarget``)

    Modified Keys:

        - imgs (``(num_frames, 1, H, W)``)

    Args:
        mode (str): ``'max'`` (overlapping joints keep the brighter peak) or
            ``'sum'`` (clipped to 1). Defaults to 'max'.
    """

    def __init__(self, mode: str = 'max') -> None:
        if mode not in ('max', 'sum'):
            raise ValueError(f"mode must be 'max' or 'sum', got {mode!r}")
        self.mode = mode

    def transform(self, results: Dict) -> Dict:
        imgs = results['imgs']
        if imgs.ndim != 4:
            raise ValueError(
                'MergeHeatmaps expects imgs of shape (frames, K, '
                f'H, W) from GeneratePoseTarget, got {imgs.shape}')
        if self.mode == 'max':
            merged = imgs.max(axis=1, keepdims=True)
        else:
            merged = np.minimum(imgs.sum(axis=1, keepdims=True), 1.0)
        results['imgs'] = merged.astype(imgs.dtype, copy=False)
        return results

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mode='{self.mode}')"
