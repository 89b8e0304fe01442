"""Read a config's split as ``(M, T, V, C)`` keypoints and labels.

The classic baselines read the data the deep models read: the dataset of
the config's ``train_dataloader`` or ``test_dataloader`` (BABEL release
files, NTU pickles, BAST folders, the synthetic sets), built through the
registries, with its pipeline cut just before the first transform of
:data:`STOP_AT` (frame sampling, feature generation, cropping, formatting).
What runs is the preprocessing before it: seed 000's ``PadNullFrames``,
``CenterSkeleton``, ``AlignSkeleton`` (or ``PreNormalize3D``), and the
``KeypointNoise`` of a noise sweep. So the features see every frame of the
normalised sequence, as in seed 000, and the same noise as the deep models.
"""
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..utils.sample import sample_name
from .features import sequence_features

# The first of these ends the classic pipeline.
STOP_AT = ('GenSkeFeat', 'UniformSampleFrames', 'SampleFrames',
           'UniformSample', 'PoseDecode', 'PoseCompact', 'Resize',
           'RandomResizedCrop', 'CenterCrop', 'Flip', 'GeneratePoseTarget',
           'FastGeneratePoseTarget', 'FormatGCNInput', 'FormatShape',
           'FormatSkeletonVolume', 'ForEachView', 'PackActionInputs',
           'PackPoseInputs')
SPLITS = ('train', 'val', 'test')


def dataset_config(cfg, split: str) -> Dict:
    """The dataset config of ``<split>_dataloader``, through wrappers
    (``RepeatDataset`` and the like) to the dataset that reads files."""
    if split not in SPLITS:
        raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
    loader = cfg.get(f'{split}_dataloader')
    if not loader or 'dataset' not in loader:
        raise KeyError(f'the config has no {split}_dataloader.dataset')
    dataset = loader['dataset']
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    return dataset


def build_dataset(cfg, split: str):
    """Build the split's dataset (full pipeline) with the registries."""
    import copy

    from mmengine.registry import init_default_scope

    import mmhar_robust  # noqa: F401  (registration)
    from mmaction.registry import DATASETS
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    return DATASETS.build(copy.deepcopy(dataset_config(cfg, split)))


def cut_pipeline(dataset) -> List[str]:
    """Cut the dataset's pipeline before the first :data:`STOP_AT`
    transform, in place; return the names of the transforms kept."""
    transforms = dataset.pipeline.transforms
    names = [type(t).__name__ for t in transforms]
    stop = next((i for i, n in enumerate(names) if n in STOP_AT), len(names))
    del transforms[stop:]
    return names[:stop]


def read_sample(dataset, index: int) -> Tuple[np.ndarray, int, str]:
    """The keypoints, label and name of one sample through the (cut)
    pipeline."""
    results = dataset.prepare_data(index)
    name = sample_name(results, index)
    if results is None or 'keypoint' not in results:
        raise KeyError(f'sample {name}: the pipeline gave no keypoint')
    label = results.get('label')
    if label is None or np.ndim(label) > 1 or np.size(label) != 1:
        raise ValueError(f'sample {name}, field \'label\': expected one '
                         f'class index, got {label!r}')
    return np.asarray(results['keypoint']), int(np.ravel(label)[0]), name


def read_features(dataset,
                  feature_set: str,
                  layout: Optional[str] = None,
                  limit: Optional[int] = None
                  ) -> Tuple[np.ndarray, np.ndarray, List[str], str]:
    """Features, labels and names of a cut dataset.

    Args:
        dataset: A dataset whose pipeline was cut (:func:`cut_pipeline`).
        feature_set (str): See :mod:`.features`.
        layout (str, optional): Skeleton layout; None: from the first
            sample's joint count. Defaults to None.
        limit (int, optional): Read only the first ``limit`` samples.
            Defaults to None (all).

    Returns:
        tuple: ``(features (N, D), labels (N,), names, layout)``.
    """
    from .skeletons import layout_for
    size = len(dataset) if limit is None else min(limit, len(dataset))
    if size == 0:
        raise ValueError('the dataset is empty')
    rows, labels, names = [], [], []
    for index in range(size):
        keypoint, label, name = read_sample(dataset, index)
        if layout is None:
            layout = layout_for(keypoint.shape[2])
        rows.append(sequence_features(keypoint, feature_set, layout, name))
        labels.append(label)
        names.append(name)
    return np.stack(rows), np.asarray(labels, np.int64), names, layout


def num_classes_of(cfg, dataset, labels: np.ndarray) -> int:
    """The number of classes: the model head's, else the dataset's class
    names, else the largest label + 1."""
    head = (cfg.get('model') or {}).get('cls_head') or {}
    if head.get('num_classes'):
        return int(head['num_classes'])
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    if classes:
        return len(classes)
    return int(labels.max()) + 1
