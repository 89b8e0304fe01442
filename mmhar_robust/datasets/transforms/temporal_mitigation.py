"""Test-time mitigations of degraded skeletons (Skeleton-C): fill missing
joints by linear interpolation over time (SHARDeg's mitigation), and a
temporal median filter against jitter and outliers."""
import warnings
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .keypoint_visibility import VISIBLE_KEY, keypoint_visibility


@TRANSFORMS.register_module()
class InterpolateMissing(BaseTransform):
    """Fill each missing joint linearly in time from the nearest frames where
    that joint of that person is present (per joint, per coordinate).

    Put it right after the corruption (or any step that loses joints) and
    before frame sampling, so that gaps are filled on the clip's own
    timeline. A joint never present in the clip stays missing. Filled joints
    get the score interpolated the same way and count as present.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Modified Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Args:
        extrapolate (bool): Also fill the frames before the first and after
            the last present frame, holding those values. Defaults to True.
    """

    def __init__(self, extrapolate: bool = True) -> None:
        self.extrapolate = extrapolate

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        score = results.get('keypoint_score')
        visible = keypoint_visibility(results)
        out = keypoint.copy()
        out_score = None if score is None else score.copy()
        filled = visible.copy()
        frames = np.arange(keypoint.shape[1])
        for m, v in zip(*np.nonzero(visible.any(axis=1) &
                                    ~visible.all(axis=1))):
            shown = np.flatnonzero(visible[m, :, v])
            todo = ~visible[m, :, v]
            if not self.extrapolate:
                todo &= (frames > shown[0]) & (frames < shown[-1])
            for c in range(keypoint.shape[-1]):
                out[m, todo, v, c] = np.interp(frames[todo], shown,
                                               keypoint[m, shown, v, c])
            if out_score is not None:
                out_score[m, todo, v] = np.interp(frames[todo], shown,
                                                  score[m, shown, v])
            filled[m, todo, v] = True
        results['keypoint'] = out
        if out_score is not None:
            results['keypoint_score'] = out_score
        if VISIBLE_KEY in results:
            results[VISIBLE_KEY] = filled
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'extrapolate={self.extrapolate})')


@TRANSFORMS.register_module()
class TemporalMedianFilter(BaseTransform):
    """Replace each present joint's coordinates by their median over a
    centred window of frames (per joint, per coordinate), using only the
    frames where the joint is present; the window is cut at the clip's ends.
    Missing joints stay missing and scores are kept.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Modified Keys:

        - keypoint

    Args:
        window (int): Frames in the window, odd. Defaults to 5.
    """

    def __init__(self, window: int = 5) -> None:
        if window < 1 or window % 2 == 0:
            raise ValueError(f'window must be an odd number >= 1, got '
                             f'{window}')
        self.window = window

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        visible = keypoint_visibility(results)
        half = self.window // 2
        values = np.where(visible[..., None], keypoint.astype(np.float64),
                          np.nan)
        padded = np.pad(values, ((0, 0), (half, half), (0, 0), (0, 0)),
                        constant_values=np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(
            padded, self.window, axis=1)
        with warnings.catch_warnings():  # all-NaN: a missing joint's window
            warnings.simplefilter('ignore', RuntimeWarning)
            median = np.nanmedian(windows, axis=-1)
        results['keypoint'] = np.where(visible[..., None], median,
                                       keypoint).astype(keypoint.dtype)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(window={self.window})'
