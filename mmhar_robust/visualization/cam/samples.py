"""Samples to explain: a dataset index or a file run through the test
pipeline, keeping what the pipeline knew just before packing (keypoints in
the final image frame, the image size), the annotation's own keypoints, and
for video pipelines where each input frame lies in the decoded frames."""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.dataset import pseudo_collate

from ...compat import gt_label
from .model_wrapper import unwrap_model
from .views import ViewTrace


@dataclass
class Sample:
    """One pipeline output.

    Attributes:
        name (str): Used in file names and reports, e.g. ``'test_5'``.
        packed (dict): ``PackActionInputs``' output (``inputs``,
            ``data_samples``).
        raw (dict): The results dict the packing transform received.
        transforms (tuple[str]): Class names of the pipeline's transforms.
        pose (dict, optional): The annotation's own pose, as it was before
            the pipeline: ``keypoint`` ``(M, T_total, V, 2)``,
            ``keypoint_score`` (or None) and ``pose_shape``, the ``(h, w)``
            the keypoints are in (None: unknown, taken as the decoded
            frame's). None when the sample has no keypoints.
        views (ViewTrace, optional): Where the input frames lie in the
            decoded frames (video pipelines; ``views.started`` is False for
            keypoint-only ones).
    """
    name: str
    packed: Dict
    raw: Dict
    transforms: Tuple[str, ...] = ()
    pose: Optional[Dict] = None
    views: Optional[ViewTrace] = None

    @property
    def label(self) -> Optional[int]:
        """The ground-truth class, if the sample has one (>= 0)."""
        try:
            label = int(gt_label(self.packed['data_samples']).reshape(-1)[0])
        except (AttributeError, KeyError, IndexError):
            return None
        return label if label >= 0 else None


def annotation_pose(info: Dict) -> Optional[Dict]:
    """:attr:`Sample.pose` from an annotation (None without keypoints);
    copies, so no transform can change it."""
    if 'keypoint' not in info:
        return None
    keypoint = np.array(info['keypoint'], np.float64)[..., :2]
    score = info.get('keypoint_score')
    shape = info.get('img_shape')
    return dict(
        keypoint=keypoint,
        keypoint_score=None if score is None else np.array(score),
        pose_shape=None if shape is None else tuple(int(v) for v in shape[:2]))


def run_pipeline(transforms: Sequence,
                 results: Dict,
                 name: str,
                 keep_frames: bool = True) -> Sample:
    """Apply ``transforms`` one by one, keeping the dict the last one got,
    the annotation's pose and where each input frame lies in the decoded
    frames.

    Args:
        transforms (Sequence): Built transforms.
        results (dict): The sample's annotation.
        name (str): The sample's name.
        keep_frames (bool): Keep the decoded frames to draw on (see
            :class:`ViewTrace`). Defaults to True.

    Raises:
        ValueError: naming the sample and the transform when one drops it
            (returns None) or fails.
    """
    pose = annotation_pose(results)
    trace = ViewTrace(keep_frames)
    raw = results
    for transform in transforms:
        raw = results
        before = trace.snapshot(results)
        try:
            results = transform(results)
        except Exception as error:
            raise ValueError(f'sample {name}: {type(transform).__name__} '
                             f'failed: {error}') from error
        if results is None:
            raise ValueError(
                f'sample {name}: {type(transform).__name__} dropped it')
        trace.step(type(transform).__name__, before, results)
    if 'inputs' not in results:
        raise ValueError(f'sample {name}: the pipeline does not end with '
                         'PackActionInputs (no "inputs")')
    return Sample(name, results, raw,
                  tuple(type(t).__name__ for t in transforms), pose, trace)


def dataset_sample(dataset,
                   index: int,
                   prefix: str = '',
                   keep_frames: bool = True) -> Sample:
    """Sample ``index`` of an MMEngine dataset through its own pipeline
    (``keep_frames`` as in :func:`run_pipeline`).

    Raises:
        IndexError: for an index outside the dataset.
    """
    if hasattr(dataset, 'full_init'):
        dataset.full_init()
    if not 0 <= index < len(dataset):
        raise IndexError(f'sample index {index} is outside the '
                         f'{type(dataset).__name__} of {len(dataset)} samples')
    info = dataset.get_data_info(index)
    return run_pipeline(dataset.pipeline.transforms, info, f'{prefix}{index}',
                        keep_frames)


def preprocess(model: nn.Module,
               samples: List[Sample]) -> Tuple[torch.Tensor, list]:
    """The model's data preprocessor (test mode) on a list of samples:
    ``(inputs, data_samples)``."""
    data = unwrap_model(model).data_preprocessor(
        pseudo_collate([s.packed for s in samples]), False)
    return data['inputs'], data['data_samples']
