"""NoiseSweepTestLoop on the MotionBERT-Lite config (tiny synthetic set,
random weights, two levels): the noise goes in first, on the raw keypoints
in pixels before MotionBERTNormalize, and ClassReportMetric reports every
level. Also: seed 001's noise goes before a GCN pipeline's PreNormalize2D."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.engine.runner import find_or_insert_noise, read_sweep_file
from mmhar_robust.registry import MODELS, TRANSFORMS

from conftest import ROOT

LITE = osp.join(
    ROOT, 'configs', 'skeleton', 'motionbert',
    'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
    'keypoint.py')
LEVEL = 0.05


def _test_pipeline(cfg):
    init_default_scope('mmaction')
    return Compose(
        [TRANSFORMS.build(t) for t in cfg.test_dataloader.dataset.pipeline])


def test_inserted_before_the_motionbert_normalisation():
    cfg = Config.fromfile(LITE)
    pixels = dict(keypoint=np.zeros((1, 5, 17, 2)), img_shape=(480, 640))
    for scale in ('seed001', 'motion'):
        pipeline = _test_pipeline(cfg)
        noise = find_or_insert_noise(pipeline, scale=scale)
        names = [type(t).__name__ for t in pipeline.transforms]
        assert names[:2] == ['KeypointNoise', 'MotionBERTNormalize'], scale
        assert pipeline.transforms[0] is noise
    pipeline = _test_pipeline(cfg)
    noise = find_or_insert_noise(pipeline, sample=pixels)
    assert noise.scale == 'seed001' and pipeline.transforms[0] is noise
    # One the config put after the normalisation is moved before it.
    pipeline = _test_pipeline(cfg)
    late = KeypointNoise(scale='seed001')
    pipeline.transforms.insert(3, late)
    assert find_or_insert_noise(pipeline) is late
    assert pipeline.transforms[0] is late and len(pipeline.transforms) == 8


def test_seed001_noise_goes_before_a_gcn_normalisation_too():
    """A GCN test pipeline normalises before it samples frames: seed 001's
    noise goes before both (as in its training pipeline), not between."""
    gcn = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'datasets',
                 'ntu60-xsub-keypoint-2d_gcn-u100.py'))
    pipeline = _test_pipeline(gcn)
    noise = find_or_insert_noise(pipeline, scale='seed001')
    names = [type(t).__name__ for t in pipeline.transforms]
    assert names[:2] == ['KeypointNoise', 'PreNormalize2D']
    assert pipeline.transforms[0] is noise
    pipeline = _test_pipeline(gcn)  # other scales: before the geometry
    find_or_insert_noise(pipeline, scale='motion')
    assert type(pipeline.transforms[0]).__name__ == 'KeypointNoise'


def _checkpoint(cfg, path):
    """Random weights drawn from a seeded generator."""
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    gen = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            torch.nn.init.normal_(module.weight, std=0.1, generator=gen)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return path


def test_sweep_noises_motionbert_inputs_in_pixels(tiny_synthetic, tmp_path):
    cfg = Config.fromfile(LITE)
    cfg.work_dir = str(tmp_path)
    # The Lite pipeline with a narrower model: 89 G multiply-adds per level
    # at the Lite width are too slow for a test on 2 shared cores.
    cfg.model.backbone.update(dim_feat=32, dim_rep=32, mlp_ratio=2)
    cfg.model.cls_head.update(in_channels=32, hidden_dim=32)
    cfg.load_from = _checkpoint(cfg, str(tmp_path / 'lite.pth'))
    cfg.log_level = 'WARNING'
    loader = cfg.test_dataloader
    loader.dataset.ann_file = tiny_synthetic
    loader.batch_size, loader.num_workers = 13, 0  # the whole val split
    loader.persistent_workers = False
    cfg.test_evaluator = dict(type='ClassReportMetric', topk=(1, 5))
    out_file = str(tmp_path / 'sweep.jsonl')
    cfg.test_cfg = dict(
        type='NoiseSweepTestLoop',
        levels=[0, LEVEL],
        corruptions=['gaussian'],
        out_file=out_file,
        model_name='lite')
    for key in ('train_dataloader', 'train_cfg', 'optim_wrapper',
                'param_scheduler', 'val_dataloader', 'val_cfg',
                'val_evaluator'):
        cfg[key] = None
    runner = Runner.from_cfg(cfg)
    seen = []
    runner.model.backbone.register_forward_pre_hook(
        lambda module, args: seen.append(args[0].detach().clone()))
    metrics = runner.test()

    for level in (0.0, LEVEL):
        for key in ('top1', 'top5', 'mean_class_accuracy', 'macro_f1'):
            assert 0 <= metrics[f'gaussian@{level}/acc/{key}'] <= 1
    header, records = read_sweep_file(out_file)
    assert header['scale'] == 'seed001'  # 2D pixels with an img_shape
    assert [r['level'] for r in records] == [0.0, LEVEL]
    for level, stem in ((0.0, 'clean'), (LEVEL, f'gaussian_{LEVEL:g}')):
        with open(osp.join(runner.log_dir, f'class_report_{stem}.json')) as f:
            report = json.load(f)
        assert report['num_samples'] == 13
        assert report['summary']['top1'] == pytest.approx(
            metrics[f'gaussian@{level}/acc/top1'])

    # What the backbone got, from an independent pipeline: seed 001's noise
    # on the raw keypoints, then the config's MotionBERT test pipeline.
    dataset = runner.test_dataloader.dataset
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    clean = _test_pipeline(cfg)
    noisy = Compose([
        KeypointNoise('gaussian', LEVEL, 'seed001', seed=0, test_mode=True),
        *_test_pipeline(cfg).transforms
    ])

    def inputs(pipeline):
        batch = [pipeline(dict(info))['inputs'] for info in infos]
        return torch.stack(batch).flatten(0, 1)  # (N * clips, M, T, V, C)

    assert len(seen) == 2
    torch.testing.assert_close(seen[0], inputs(clean).float())
    torch.testing.assert_close(seen[1], inputs(noisy).float())
    assert (seen[1] - seen[0]).abs().max() > 0.01  # the noise got there
    # The same noise one step later, on normalised keypoints, is another
    # input: the position matters and the sweep's is the pixels'.
    late = _test_pipeline(cfg).transforms
    late.insert(
        1, KeypointNoise('gaussian', LEVEL, 'seed001', seed=0, test_mode=True))
    assert not torch.allclose(seen[1], inputs(Compose(late)).float())
