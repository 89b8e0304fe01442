"""tools/train.py trains, resumes (epoch counter and weights), a resumed run
equals the uninterrupted one bit for bit, and our configs also run under
mmaction2's own tools/train.py and tools/test.py."""
import glob
import os
import os.path as osp
import re
import signal
import subprocess
import time
import uuid

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


NOISEAUG_CONFIG = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_noiseaug-a0.025_1xb8-u16-3e_synthetic-xsub-keypoint.py')


def _train_in_process(config, options, work_dir, resume_from=None):
    from unittest import mock

    import mmhar_robust  # noqa: F401
    from mmengine.config import Config
    from mmengine.runner import Runner

    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options)
    cfg.work_dir, cfg.load_from = work_dir, resume_from
    cfg.resume = resume_from is not None
    # Runners of one process share a MessageHub per experiment name.
    cfg.experiment_name = f'resume_test_{uuid.uuid4().hex}'
    # yapf's formatting of the config for the log and every checkpoint's
    # meta would take most of this test's time; nothing reads it back.
    with mock.patch.object(Config, 'pretty_text',
                           property(lambda self: self.filename)):
        runner = Runner.from_cfg(cfg)
        runner.train()
    return runner.model.state_dict()


@pytest.mark.parametrize(
    'config', [SYNTHETIC_CONFIG, NOISEAUG_CONFIG],
    ids=['supervised', 'noiseaug-2view'])
def test_resumed_weights_equal_the_uninterrupted_run(config, tiny_synthetic,
                                                     tmp_path):
    """Train 2 epochs; resume from the first epoch's checkpoint (as left by
    a run killed after it) to 2 epochs: every tensor equal. mmaction2's
    random transforms draw from numpy's global RNG in this process
    (num_workers=0) and the validation between the epochs re-seeds it; the
    2-view noise-augmentation config adds KeypointNoise (keyed by seed,
    sample and epoch) and a second view through the same transforms."""
    options = fast_train_options(tiny_synthetic, epochs=2)
    options.update({  # 2 iterations of 2 clips per epoch
        'train_dataloader.dataset.indices': 4,
        'train_dataloader.batch_size': 2,
        'val_dataloader.dataset.indices': 2,
        'train_cfg.val_interval': 1,
        'default_hooks.checkpoint.save_best': None,
        'load_from': None,
    })
    whole = _train_in_process(config, options, str(tmp_path / 'whole'))
    first = str(tmp_path / 'whole' / 'epoch_1.pth')
    assert 'random_states' in _load(first)
    resumed = _train_in_process(
        config, options, str(tmp_path / 'resumed'), resume_from=first)
    assert whole.keys() == resumed.keys()
    for name, value in whole.items():
        assert torch.equal(value, resumed[name]), name


def _children(pid):
    """The processes ``pid`` started that still run."""
    found = [int(entry) for entry in os.listdir('/proc') if entry.isdigit()]
    return _running([child for child in found if _status(child)[1] == pid])


def _status(pid):
    """(state, parent pid) of a process, ('', -1) when it is gone."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            # The name may hold spaces and parentheses: split after it.
            state, ppid = f.read().rsplit(')', 1)[1].split()[:2]
    except (OSError, IndexError, ValueError):
        return '', -1
    return state, int(ppid)


def _running(pids):
    return [pid for pid in pids if _status(pid)[0] not in ('', 'Z', 'X')]


@pytest.mark.slow
@pytest.mark.skipif(not osp.isdir('/proc'), reason='reads /proc (Linux)')
def test_kill_of_the_main_process_ends_its_dataloader_workers(
        tiny_synthetic, tmp_path):
    """``kill -9`` of tools/train.py while its 2 persistent workers load
    data: PyTorch's workers see their parent change (ManagerWatchdog, every
    5 s) and exit; none stays alive."""
    options = fast_train_options(tiny_synthetic, epochs=2)
    options.update({
        'train_dataloader.num_workers': 2,
        'train_dataloader.persistent_workers': True
    })
    log = tmp_path / 'train.log'
    workers = []
    with open(log, 'w') as out:
        main = subprocess.Popen(
            [
                PYTHON, 'tools/train.py', SYNTHETIC_CONFIG, '--work-dir',
                str(tmp_path)
            ] + as_cli(options),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while len(workers) < 2:
            assert main.poll() is None and time.monotonic() < deadline, \
                log.read_text()[-3000:]
            time.sleep(0.2)
            workers = _children(main.pid)
        time.sleep(1.0)  # let them load batches
        assert len(_running(workers)) == 2
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        killed = time.monotonic()
        while _running(workers) and time.monotonic() < killed + 30:
            time.sleep(0.2)
        assert not _running(workers), (
            f'workers {_running(workers)} alive 30 s after the kill')
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for pid in _running(workers):
            os.kill(pid, signal.SIGKILL)


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
