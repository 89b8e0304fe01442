"""Pack keypoints for heatmaps rendered in the data preprocessor."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmaction.datasets.transforms import PackActionInputs

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackPoseInputs(PackActionInputs):
    """``PackActionInputs`` for ``PoseTargetDataPreprocessor``: it replaces
    ``GeneratePoseTarget`` (or ``FastGeneratePoseTarget``), ``FormatShape``
    and ``PackActionInputs`` at the end of a PoseC3D pipeline.

    The inputs become the keypoints with their scores as a third channel,
    ``(M, F, V, 3)`` float32 (scores of 1 when ``keypoint_score`` is
    absent); ``img_shape``, ``num_clips`` and ``clip_len`` go to the
    metainfo, from which the preprocessor renders ``(M', C, T, H, W)``
    heatmap volumes, as the per-sample transforms would have.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - img_shape
        - num_clips
        - clip_len
        - label (optional)

    Added Keys:

        - inputs
        - data_samples

    Args:
        collect_keys (tuple[str], optional): As ``PackActionInputs``.
            Defaults to None.
        meta_keys (Sequence[str]): Metainfo keys; must hold ``img_shape``,
            ``num_clips`` and ``clip_len``. Defaults to
            ``('img_shape', 'num_clips', 'clip_len', 'frame_dir', 'img_key',
            'video_id', 'timestamp')``.
    """

    def __init__(
        self,
        collect_keys: Optional[Tuple[str]] = None,
        meta_keys: Sequence[str] = ('img_shape', 'num_clips', 'clip_len',
                                    'frame_dir', 'img_key', 'video_id',
                                    'timestamp')
    ) -> None:
        missing = {'img_shape', 'num_clips', 'clip_len'} - set(meta_keys)
        if missing:
            raise ValueError(f'PackPoseInputs: meta_keys lacks '
                             f'{sorted(missing)}, which the preprocessor '
                             'needs.')
        super().__init__(collect_keys=collect_keys, meta_keys=meta_keys)

    def transform(self, results: Dict) -> Dict:
        """Pack ``(x, y, score)`` keypoints and the metainfo."""
        for key in ('keypoint', 'img_shape', 'num_clips', 'clip_len'):
            if key not in results:
                raise KeyError(f'PackPoseInputs: "{key}" missing from the '
                               f'results of {results.get("frame_dir")}.')
        keypoint = np.asarray(results['keypoint'], np.float32)[..., :2]
        score = results.get('keypoint_score')
        if score is None:
            score = np.ones(keypoint.shape[:-1], np.float32)
        results = dict(results)
        results.pop('imgs', None)
        results.pop('heatmap_imgs', None)
        results.pop('keypoint_score', None)
        results['keypoint'] = np.concatenate(
            [keypoint, np.asarray(score, np.float32)[..., None]], axis=-1)
        return super().transform(results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(collect_keys={self.collect_keys}'
                f', meta_keys={self.meta_keys})')
