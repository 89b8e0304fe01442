"""Every leaf config builds, and its model trains on its own pipeline's output.

NTU configs read the tiny synthetic set instead of data/skeleton/ntu60_2d.pkl:
both are COCO-17 2D keypoints in mmaction2's pose format.
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from conftest import ROOT

LEAVES = sorted(
    p for p in glob.glob(
        osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


@pytest.mark.parametrize(
    'path', LEAVES, ids=[osp.basename(p)[:-3] for p in LEAVES])
def test_config_trains_one_step_on_its_pipeline(path, tiny_synthetic):
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, MODELS
    cfg = Config.fromfile(path)
    init_default_scope(cfg.default_scope)
    dataset_cfg = cfg.train_dataloader.dataset
    while 'dataset' in dataset_cfg:  # RepeatDataset and the like
        dataset_cfg = dataset_cfg.dataset
    dataset_cfg.ann_file = tiny_synthetic
    dataset = DATASETS.build(dataset_cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.train()
    batch = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(2)]), training=True)
    losses = model(**batch, mode='loss')
    loss = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(loss)
    loss.backward()
