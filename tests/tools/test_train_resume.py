"""tools/train.py trains, resumes (epoch counter and weights), and our configs
also run under mmaction2's own tools/train.py and tools/test.py."""
import glob
import os
import os.path as osp
import re
import subprocess

import pytest
import torch

from conftest import (PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli,
                      fast_train_options)


def _run(args, cwd=ROOT):
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    result = subprocess.run(
        [PYTHON] + args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def _load(path):
    # The default torch.load (weights_only=True) must accept our checkpoints.
    return torch.load(path, map_location='cpu')


@pytest.fixture(scope='module')
def trained_one_epoch(tiny_synthetic, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('train'))
    log = _run(['tools/train.py', SYNTHETIC_CONFIG, '--work-dir', work_dir] +
               as_cli(fast_train_options(tiny_synthetic, epochs=1)))
    assert re.search(r'Epoch\(val\)\s+\[1\]', log)
    return work_dir


def test_train_writes_checkpoint_and_validation_accuracy(trained_one_epoch):
    ckpt = _load(osp.join(trained_one_epoch, 'epoch_1.pth'))
    assert ckpt['meta']['epoch'] == 1
    assert ckpt['meta']['iter'] == 4  # 26 clips, batches of 8
    scalars = ckpt['message_hub']['log_scalars']
    assert 'val/acc/top1' in scalars


def test_cli_resume_continues_from_the_epoch_and_weights(
        trained_one_epoch, tiny_synthetic, tmp_path):
    work_dir = str(tmp_path)
    first = osp.join(trained_one_epoch, 'epoch_1.pth')
    log = _run([
        'tools/train.py', SYNTHETIC_CONFIG, '--work-dir', work_dir, '--resume',
        first
    ] + as_cli(fast_train_options(tiny_synthetic, epochs=2)))
    assert 'resumed epoch: 1, iter: 4' in log
    assert not re.search(r'Epoch\(train\)\s+\[1\]', log)
    assert re.search(r'Epoch\(train\)\s+\[2\]\[4/4\]', log)
    second = _load(osp.join(work_dir, 'epoch_2.pth'))
    assert second['meta']['epoch'] == 2 and second['meta']['iter'] == 8
    assert not osp.exists(osp.join(work_dir, 'epoch_1.pth'))


def test_resume_restores_weights_exactly(trained_one_epoch, tiny_synthetic,
                                         tmp_path):
    import mmhar_robust  # noqa: F401
    from mmengine.config import Config
    from mmengine.runner import Runner

    first = osp.join(trained_one_epoch, 'epoch_1.pth')
    cfg = Config.fromfile(SYNTHETIC_CONFIG)
    cfg.merge_from_dict(fast_train_options(tiny_synthetic, epochs=2))
    cfg.work_dir, cfg.resume, cfg.load_from = str(tmp_path), True, first
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()
    assert runner.epoch == 1 and runner.iter == 4
    checkpoint = _load(first)
    for name, value in runner.model.state_dict().items():
        assert torch.equal(value, checkpoint['state_dict'][name]), name
    # And the optimizer's state (AdamW's moments and step) came back too.
    state = runner.optim_wrapper.optimizer.state_dict()['state']
    saved = checkpoint['optimizer']['state']
    assert state.keys() == saved.keys() and len(state) > 0
    for key, entry in state.items():
        assert float(entry['step']) == 4
        assert torch.equal(entry['exp_avg'], saved[key]['exp_avg'])


def test_tools_test_evaluates_a_checkpoint(trained_one_epoch, tiny_synthetic,
                                           tmp_path):
    dump = str(tmp_path / 'preds.pkl')
    log = _run([
        'tools/test.py', SYNTHETIC_CONFIG,
        osp.join(trained_one_epoch, 'epoch_1.pth'), '--work-dir',
        str(tmp_path), '--dump', dump
    ] + as_cli(fast_train_options(tiny_synthetic)))
    assert 'acc/top1' in log
    assert osp.getsize(dump) > 0


def _mmaction_tool(name):
    import mmaction
    return osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools', name)


@pytest.mark.skipif(
    not osp.isfile(_mmaction_tool('train.py')),
    reason='this mmaction2 install ships no tools/ (a source checkout does)')
def test_config_runs_under_mmaction2_own_train_and_test(
        tiny_synthetic, tmp_path):
    """The plugin is loaded by custom_imports alone: mmaction2's tools know
    nothing of mmhar_robust."""
    work_dir = str(tmp_path)
    options = as_cli(fast_train_options(tiny_synthetic, epochs=1))
    log = _run(
        [_mmaction_tool('train.py'), SYNTHETIC_CONFIG, '--work-dir', work_dir]
        + options,
        cwd=str(tmp_path))
    assert re.search(r'Epoch\(val\)\s+\[1\]', log)
    ckpt = glob.glob(osp.join(work_dir, 'epoch_1.pth'))[0]
    log = _run(
        [
            _mmaction_tool('test.py'), SYNTHETIC_CONFIG, ckpt, '--work-dir',
            work_dir
        ] + options,
        cwd=str(tmp_path))
    assert 'acc/top1' in log
