"""Samples to explain: a dataset index or a file run through the test
pipeline, keeping what the pipeline knew just before packing (keypoints in
the final image frame, the image size) for the person mask."""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.dataset import pseudo_collate

from ...compat import gt_label
from .model_wrapper import unwrap_model


@dataclass
class Sample:
    """One pipeline output.

    Attributes:
        name (str): Used in file names and reports, e.g. ``'test_5'``.
        packed (dict): ``PackActionInputs``' output (``inputs``,
            ``data_samples``).
        raw (dict): The results dict the packing transform received.
        transforms (tuple[str]): Class names of the pipeline's transforms.
    """
    name: str
    packed: Dict
    raw: Dict
    transforms: Tuple[str, ...] = ()

    @property
    def label(self) -> Optional[int]:
        """The ground-truth class, if the sample has one (>= 0)."""
        try:
            label = int(gt_label(self.packed['data_samples']).reshape(-1)[0])
        except (AttributeError, KeyError, IndexError):
            return None
        return label if label >= 0 else None


def run_pipeline(transforms: Sequence, results: Dict, name: str) -> Sample:
    """Apply ``transforms`` one by one, keeping the dict the last one got.

    Raises:
        ValueError: naming the sample and the transform when one drops it
            (returns None) or fails.
    """
    raw = results
    for transform in transforms:
        raw = results
        try:
            results = transform(results)
        except Exception as error:
            raise ValueError(f'sample {name}: {type(transform).__name__} '
                             f'failed: {error}') from error
        if results is None:
            raise ValueError(
                f'sample {name}: {type(transform).__name__} dropped it')
    if 'inputs' not in results:
        raise ValueError(f'sample {name}: the pipeline does not end with '
                         'PackActionInputs (no "inputs")')
    return Sample(name, results, raw,
                  tuple(type(t).__name__ for t in transforms))


def dataset_sample(dataset, index: int, prefix: str = '') -> Sample:
    """Sample ``index`` of an MMEngine dataset through its own pipeline.

    Raises:
        IndexError: for an index outside the dataset.
    """
    if hasattr(dataset, 'full_init'):
        dataset.full_init()
    if not 0 <= index < len(dataset):
        raise IndexError(f'sample index {index} is outside the '
                         f'{type(dataset).__name__} of {len(dataset)} samples')
    info = dataset.get_data_info(index)
    return run_pipeline(dataset.pipeline.transforms, info, f'{prefix}{index}')


def preprocess(model: nn.Module,
               samples: List[Sample]) -> Tuple[torch.Tensor, list]:
    """The model's data preprocessor (test mode) on a list of samples:
    ``(inputs, data_samples)``."""
    data = unwrap_model(model).data_preprocessor(
        pseudo_collate([s.packed for s in samples]), False)
    return data['inputs'], data['data_samples']


def person_mask_of(sample: Sample, mode: str = 'box') -> Optional[np.ndarray]:
    """``(frames, H, W)`` bool person mask from the keypoints the pipeline
    carried to the end (in the final image frame), or None when it carried
    none. Keypoints of a video pipeline without ``PoseDecode`` still cover
    every frame of the video: the clip's ``frame_inds`` pick them.

    Only meaningful for image inputs (RGB, heatmaps): GCN keypoints are
    normalised coordinates.
    """
    raw = sample.raw
    if 'keypoint' not in raw or 'img_shape' not in raw:
        return None
    # Written alongside this module; imported only when a mask is needed.
    from mmhar_robust.datasets.transforms.background.person_mask import \
        person_mask
    keypoint = np.asarray(raw['keypoint'])[..., :2]
    score = raw.get('keypoint_score')
    score = (
        np.ones(keypoint.shape[:-1], np.float32)
        if score is None else np.asarray(score))
    if 'PoseDecode' not in sample.transforms and 'frame_inds' in raw:
        inds = np.asarray(raw['frame_inds']).reshape(-1) + raw.get('offset', 0)
        keypoint, score = keypoint[:, inds], score[:, inds]
    return person_mask(
        keypoint, score, img_shape=tuple(raw['img_shape'][:2]), mode=mode)
