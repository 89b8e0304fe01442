"""Run a sub-pipeline once per view and stack the views on the clip axis."""
from typing import Dict, List, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class ForEachView(BaseTransform):
    """Split the persons of a two-view sample into views, transform each view
    with ``transforms``, and stack the results on the first (clip) axis.

    ``KeypointNoise(two_views=True)`` appends the corrupted keypoints as extra
    persons, so that crops, resizes and flips apply to both views alike. Just
    before the per-person rendering (``GeneratePoseTarget`` for PoseC3D,
    ``FormatGCNInput`` for GCNs), this transform separates them again and runs
    that rendering on each view. The model input then holds the clean view's
    clips followed by the noisy view's: shape ``(2 x num_clips, ...)``.

    Required Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)
        - view_persons

    Modified Keys:

        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)
        - whatever ``transforms`` modify; the keys in ``concat_keys`` are
          stacked over views

    Added Keys:

        - num_views

    Args:
        transforms (list[dict | callable]): The per-view sub-pipeline.
        concat_keys (Sequence[str]): Output keys stacked over views on axis 0.
            Defaults to ('imgs', 'keypoint').
    """

    def __init__(
        self,
        transforms: List[Union[Dict, callable]],
        concat_keys: Sequence[str] = ('imgs', 'keypoint')
    ) -> None:
        self.transforms = Compose(transforms)
        self.concat_keys = tuple(concat_keys)

    def transform(self, results: Dict) -> Dict:
        if 'view_persons' not in results:
            raise KeyError('ForEachView needs view_persons: put '
                           'KeypointNoise(two_views=True) earlier in the '
                           'pipeline')
        persons = results.pop('view_persons')
        total = results['keypoint'].shape[0]
        if persons <= 0 or total % persons:
            raise ValueError(f'{total} persons cannot be split into views of '
                             f'{persons}')
        outputs = []
        for start in range(0, total, persons):
            view = dict(results)
            view['keypoint'] = results['keypoint'][start:start + persons]
            for key in ('keypoint_score', 'keypoint_visible'):
                if key in results:
                    view[key] = results[key][start:start + persons]
            outputs.append(self.transforms(view))
        merged = outputs[0]
        for key in self.concat_keys:
            if key in merged:
                merged[key] = np.concatenate([out[key] for out in outputs])
        merged['num_views'] = len(outputs)
        return merged

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'transforms={self.transforms}, '
                f'concat_keys={self.concat_keys})')
