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

    Two views (``KeypointNoise(two_views=True)``, which appends the noisy
    persons after the clean ones and records ``view_persons``) become two
    groups of clips, clean first: the persons of view ``v`` are moved to
    frames ``v F .. (v + 1) F - 1`` and ``num_clips`` is multiplied by the
    number of views, so the preprocessor renders what ``ForEachView`` over
    the per-sample renderer stacks on the clip axis.

    ``double=True`` asks the preprocessor for ``GeneratePoseTarget``'s
    ``double`` flip test on this sample (``double`` in the metainfo), so
    that a test pipeline can flip while the validation one does not.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - img_shape
        - num_clips
        - clip_len
        - label (optional)
        - view_persons (optional)

    Modified Keys:

        - num_clips (with ``view_persons``)

    Added Keys:

        - inputs
        - data_samples

    Args:
        double (bool): Render the left-right flipped copy too (test-time
            augmentation). Defaults to False.
        collect_keys (tuple[str], optional): As ``PackActionInputs``.
            Defaults to None.
        meta_keys (Sequence[str]): Metainfo keys; must hold ``img_shape``,
            ``num_clips`` and ``clip_len``. Defaults to
            ``('img_shape', 'num_clips', 'clip_len', 'frame_dir', 'img_key',
            'video_id', 'timestamp')``.
    """

    def __init__(
        self,
        double: bool = False,
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
        self.double = double
        super().__init__(
            collect_keys=collect_keys,
            meta_keys=tuple(meta_keys) + (('double', ) if double else ()))

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
        keypoint = np.concatenate(
            [keypoint, np.asarray(score, np.float32)[..., None]], axis=-1)
        if 'view_persons' in results:
            keypoint = self._views_as_clips(results, keypoint)
        results.pop('imgs', None)
        results.pop('heatmap_imgs', None)
        results.pop('keypoint_score', None)
        results['keypoint'] = keypoint
        if self.double:
            results['double'] = True
        return super().transform(results)

    @staticmethod
    def _views_as_clips(results: Dict, keypoint: np.ndarray) -> np.ndarray:
        """``(V x M, F, J, 3)`` -> ``(M, V x F, J, 3)``; updates
        ``num_clips`` and drops ``view_persons``."""
        persons = results.pop('view_persons')
        total = keypoint.shape[0]
        if persons <= 0 or total % persons:
            raise ValueError(
                f'PackPoseInputs: {results.get("frame_dir")} has {total} '
                f'persons, which do not split into views of {persons}.')
        views = total // persons
        results['num_clips'] = results['num_clips'] * views
        return np.concatenate(np.split(keypoint, views, axis=0), axis=1)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(double={self.double}, '
                f'collect_keys={self.collect_keys}, '
                f'meta_keys={self.meta_keys})')
