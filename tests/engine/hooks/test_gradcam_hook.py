"""GradCAMHook inside real MMEngine test and validation loops."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

import mmhar_robust  # noqa: F401
from mmengine.config import Config
from mmengine.runner import Runner

from mmhar_robust.engine.hooks.gradcam_hook import GradCAMHook

from conftest import SYNTHETIC_CONFIG, fast_train_options


def _runner(ann_file, work_dir, **hook):
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    cfg.merge_from_dict(fast_train_options(ann_file))
    # A validation outside training cannot track the best checkpoint.
    cfg.default_hooks.checkpoint.save_best = None
    cfg.work_dir = work_dir
    cfg.custom_hooks = [dict(type='GradCAMHook', **hook)]
    return Runner.from_cfg(cfg)


def _hooks(model):
    return [
        name for name, m in model.named_modules()
        if m._forward_hooks or m._backward_hooks
    ]


def test_hook_explains_test_samples(tiny_synthetic, tmp_path):
    runner = _runner(tiny_synthetic, str(tmp_path), sample_indices=[0, 2])
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    metrics = runner.test()

    out = osp.join(runner.log_dir, 'gradcam', 'test')
    with open(osp.join(out, 'reliance.json')) as f:
        report = json.load(f)
    rows = report['samples']
    assert [r['sample'] for r in rows] == ['test_0', 'test_2']
    assert all(r['layer'] == 'backbone.layer3' for r in rows)
    assert all(0 <= r['in_person'] <= 1 for r in rows)
    mean = sum(r['in_person'] for r in rows) / 2
    assert report['summary']['mean_in_person'] == pytest.approx(mean)
    for name in ('test_0_GradCAM.png', 'test_0_GradCAM.gif',
                 'test_2_GradCAM.png', 'reliance.csv'):
        assert osp.isfile(osp.join(out, name)), name

    # Every PNG reached the visualizer's backends too (here the config's
    # LocalVisBackend), pixel for pixel; GIFs stay in the folder only.
    vis = osp.join(runner.log_dir, 'vis_data', 'vis_image')
    sent = sorted(osp.basename(p) for p in glob.glob(osp.join(vis, '*')))
    assert sent == ['gradcam_test_0_GradCAM_0.png',
                    'gradcam_test_2_GradCAM_0.png']
    for index in (0, 2):
        written = Image.open(osp.join(out, f'test_{index}_GradCAM.png'))
        backend = Image.open(
            osp.join(vis, f'gradcam_test_{index}_GradCAM_0.png'))
        np.testing.assert_array_equal(
            np.asarray(backend.convert('RGB')),
            np.asarray(written.convert('RGB')))

    # Reported next to the accuracy, in the returned metrics and the log.
    assert metrics['gradcam_in_person'] == pytest.approx(mean)
    assert 'acc/top1' in metrics
    log = open(glob.glob(osp.join(runner.log_dir, '*.log'))[0]).read()
    assert 'gradcam_in_person' in log and 'Grad-CAM (GradCAM' in log

    # The model is left as it was.
    assert _hooks(runner.model) == []
    after = runner.model.state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())


def test_hook_after_validation_every_n(tiny_synthetic, tmp_path):
    runner = _runner(
        tiny_synthetic,
        str(tmp_path),
        sample_indices=[1],
        every=1,
        out_dir=str(tmp_path / 'cams'),
        mask=None,
        target='gt')
    metrics = runner.val()
    with open(tmp_path / 'cams' / 'val_epoch_0' / 'reliance.json') as f:
        report = json.load(f)
    row = report['samples'][0]
    assert row['sample'] == 'val_1' and row['target'] == row['gt']
    added = []
    runner.visualizer.add_image = lambda name, image, step: added.append(
        (name, image.shape, step))
    runner.val()  # the second validation: sent to the visualizer as well
    assert added == [('gradcam_val_1_GradCAM', added[0][1], 0)]
    assert added[0][1][2] == 3 and min(added[0][1][:2]) >= 128
    assert row['in_person'] is None  # mask=None: no score
    assert 'gradcam_in_person' not in metrics


def test_index_outside_the_test_set_fails_before_testing(
        tiny_synthetic, tmp_path):
    runner = _runner(tiny_synthetic, str(tmp_path), sample_indices=[0, 13])
    hook = [h for h in runner.hooks if isinstance(h, GradCAMHook)][0]
    with pytest.raises(
            IndexError, match='index 13 is outside the test set '
            'of 13 samples'):
        hook.before_test(runner)


def test_hook_rejects_bad_arguments():
    with pytest.raises(ValueError, match='sample_indices'):
        GradCAMHook(sample_indices=[])
    with pytest.raises(ValueError, match='mask must be one of'):
        GradCAMHook(mask='blob')
    with pytest.raises(ValueError, match='every'):
        GradCAMHook(every=-1)
    with pytest.raises(ValueError, match='unknown CAM method'):
        GradCAMHook(method='GradCRAM')
