"""Every leaf config builds, and its model trains on its own pipeline's output.

Each config reads a tiny file in its dataset's real format instead of the
data it names: NTU configs the synthetic COCO-17 pickle (mmaction2's pose
format), BABEL configs synthetic release files (``*_ntu_sk_60.npy`` +
``*_label_60.pkl``), BAST configs a synthetic BAST folder, RGB configs
synthetic videos.
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


VIDEO_READERS = ('DecordInit', 'OpenCVInit', 'PyAVInit')


@pytest.fixture
def tiny_files(request, tiny_synthetic):
    """The tiny training file for a dataset type (built on first use)."""

    def for_type(dataset_type):
        if dataset_type == 'BABELDataset':
            return request.getfixturevalue('tiny_babel')['train']['label_file']
        if dataset_type == 'BASTDataset':
            return request.getfixturevalue('tiny_bast')['ann_files']['train']
        return tiny_synthetic

    return for_type


@pytest.mark.parametrize(
    'path', LEAVES, ids=[osp.basename(p)[:-3] for p in LEAVES])
def test_config_trains_one_step_on_its_pipeline(path, tiny_files, request):
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, HOOKS, MODELS
    cfg = Config.fromfile(path)
    init_default_scope(cfg.default_scope)
    dataset_cfg = cfg.train_dataloader.dataset
    while 'dataset' in dataset_cfg:  # RepeatDataset and the like
        dataset_cfg = dataset_cfg.dataset
    if any(t['type'] in VIDEO_READERS for t in dataset_cfg.pipeline):
        root = request.getfixturevalue('tiny_video')
        dataset_cfg.ann_file = osp.join(root, 'annotations.pkl')
        dataset_cfg.data_prefix = dict(video=root)
    else:
        dataset_cfg.ann_file = tiny_files(dataset_cfg.type)
    if dataset_cfg.type == 'BASTDataset':  # a lab sets it to its label file
        dataset_cfg.pop('num_classes', None)
    dataset = DATASETS.build(dataset_cfg)
    if dataset_cfg.type == 'BASTDataset':
        cfg.model.cls_head.num_classes = len(dataset.metainfo['classes'])
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    for hook_cfg in cfg.get('custom_hooks', []):
        hook = HOOKS.build(hook_cfg)
        if hasattr(hook, 'apply'):  # e.g. ClassBalanceHook sets loss weights
            hook.apply(model, dataset)
    model.train()
    batch = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(2)]), training=True)
    losses = model(**batch, mode='loss')
    loss = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(loss)
    loss.backward()
