"""Importing mmhar_robust registers our components beside mmaction2's."""
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from conftest import SYNTHETIC_CONFIG, fast_train_options


def test_every_config_imports_the_plugin():
    import glob
    import os.path as osp
    from conftest import ROOT
    leaves = [
        p for p in glob.glob(
            osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
        if '_base_' not in p
    ]
    assert leaves
    for path in leaves:
        cfg = Config.fromfile(path)
        assert cfg.custom_imports == dict(
            imports=['mmhar_robust'], allow_failed_imports=False), path
        assert cfg.default_scope == 'mmaction', path


def test_build_mmaction_model_and_our_dataset_from_config(tiny_synthetic):
    import mmhar_robust  # noqa: F401
    from mmaction.registry import DATASETS, MODELS

    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    cfg.merge_from_dict(fast_train_options(tiny_synthetic))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'Recognizer3D'
    assert type(model.backbone).__name__ == 'ResNet3dSlowOnly'
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert type(dataset).__name__ == 'CheckedPoseDataset'
    assert len(dataset) == 26
    sample = dataset[0]
    # 16 frames of 17 (x, y, score) keypoints for one person, which the
    # model's data preprocessor renders as 1 clip x 17 heatmaps x 16 frames
    # x 32 x 32.
    assert tuple(sample['inputs'].shape) == (1, 16, 17, 3)
    batch = model.data_preprocessor(pseudo_collate([sample]))
    assert tuple(batch['inputs'].shape) == (1, 1, 17, 16, 32, 32)
