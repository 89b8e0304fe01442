"""Two processes on the CPU (``torchrun --nproc_per_node 2 ... --launcher
pytorch``): mmaction2's own train and test flow (our package loaded by the
config's ``custom_imports`` alone) trains with the data split between the
ranks and tests the checkpoint, and our noise sweep gives what one process
gives, written once."""
import json
import os
import os.path as osp
import signal
import subprocess

import pytest

from conftest import (PYTHON, ROOT, as_cli, fast_train_options)

# The skeleton-input PoseC3D: the cheapest model of the suite on the CPU.
CONFIG = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_skeleton_1xb8-u16-12e_synthetic-xsub-keypoint.py')
# A rank that waits for another fails after this (not after gloo's 30 min).
DIST_OPTIONS = {'env_cfg.dist_cfg.timeout': 120}

# What mmaction2's tools/train.py and then tools/test.py do with a config
# (their command-line options reduced to the ones used here), in one script
# so that one torchrun start covers both. It imports nothing of ours.
MMACTION2_FLOW = """
import argparse
import json
import os
import os.path as osp
import sys

from mmengine.config import Config
from mmengine.runner import Runner

from mmaction.registry import RUNNERS  # noqa: F401  (as their tools do)

parser = argparse.ArgumentParser()
parser.add_argument('config')
parser.add_argument('work_dir')
parser.add_argument('options')
parser.add_argument('--launcher', default='none')
args = parser.parse_args()
if 'LOCAL_RANK' not in os.environ:
    os.environ['LOCAL_RANK'] = '0'
with open(args.options) as f:
    options = json.load(f)
if 'mmhar_robust' in sys.modules:
    raise SystemExit('mmhar_robust was imported before the config')


def load():
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    cfg.work_dir = args.work_dir
    return cfg


cfg = load()  # tools/train.py
print('mmhar_robust loaded by custom_imports:', 'mmhar_robust' in sys.modules)
if cfg.get('randomness', None) is None:
    cfg.randomness = dict(seed=None, diff_rank_seed=False, deterministic=False)
cfg.merge_from_dict(options)
Runner.from_cfg(cfg).train()

cfg = load()  # tools/test.py
cfg.load_from = osp.join(args.work_dir, 'epoch_1.pth')
cfg.merge_from_dict(options)
Runner.from_cfg(cfg).test()
"""


def _run(args, processes=1, cwd=ROOT):
    """Run a tool, under torchrun with ``processes`` > 1; a free port each
    time (``--standalone``), every process killed if it hangs."""
    if processes > 1:
        args = [
            '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node',
            str(processes), *args, '--launcher', 'pytorch'
        ]
    proc = subprocess.Popen([PYTHON, *args],
                            cwd=cwd,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=400)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        pytest.fail('timed out:\n' + out[-3000:])
    assert proc.returncode == 0, out[-5000:]
    return out


@pytest.fixture(scope='module')
def trained(tiny_synthetic, tmp_path_factory):
    """One epoch of 2-process training, then a 2-process test, as
    mmaction2's tools run them, outside our repository: the work dir and
    the log."""
    folder = tmp_path_factory.mktemp('dist_train')
    work_dir = str(folder / 'work_dir')
    script = folder / 'mmaction2_train_test.py'
    script.write_text(MMACTION2_FLOW, encoding='utf-8')
    options = folder / 'options.json'
    options.write_text(
        json.dumps(
            dict(
                fast_train_options(tiny_synthetic),
                **DIST_OPTIONS,
                # MMEngine's default, which needs CUDA: gloo runs instead.
                **{'env_cfg.dist_cfg.backend': 'nccl'})),
        encoding='utf-8')
    log = _run([str(script), CONFIG, work_dir,
                str(options)],
               processes=2,
               cwd=str(folder))
    return work_dir, log


@pytest.mark.slow
def test_two_process_training_and_test_on_the_cpu(trained):
    work_dir, log = trained
    # Rank 0's console (the other ranks print errors only).
    assert 'mmhar_robust loaded by custom_imports: True' in log
    assert 'no GPU: 2 processes on the CPU, gloo backend' in log
    # 26 clips, batches of 8: 4 iterations in one process, 2 per rank here.
    assert 'Epoch(train) [1][2/2]' in log
    assert 'Epoch(train) [1][4/4]' not in log
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
    from mmhar_robust.compat.checkpoint import load_checkpoint_file
    checkpoint = load_checkpoint_file(osp.join(work_dir, 'epoch_1.pth'))
    assert checkpoint['meta']['epoch'] == 1
    # Saved from the model inside the DDP wrapper.
    assert not any(k.startswith('module.') for k in checkpoint['state_dict'])
    # The test run: 13 clips, 7 and 6 per rank, one batch each.
    assert 'Load checkpoint from' in log
    assert 'Epoch(test) [1/1]' in log
    assert 'acc/top1' in log.split('Epoch(test) [1/1]')[-1]


def _records(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f]


@pytest.mark.slow
def test_two_process_sweep_equals_one_process(trained, tiny_synthetic,
                                              tmp_path):
    work_dir, _ = trained
    outs = {n: str(tmp_path / f'sweep_{n}') for n in (1, 2)}
    logs = {}
    for processes, out in outs.items():
        logs[processes] = _run(
            [
                'tools/noise_sweep.py', '--model', 'a', CONFIG,
                osp.join(work_dir,
                         'epoch_1.pth'), '--out-dir', out, '--levels', '0',
                '0.05', '--corruptions', 'gaussian', 'joint_dropout'
            ] +
            as_cli(dict(fast_train_options(tiny_synthetic), **DIST_OPTIONS)),
            processes=processes)
    assert 'no GPU: 2 processes on the CPU, gloo backend' in logs[2]
    # Rank 0 alone writes the tables (and says so).
    assert logs[2].count('Noise sweep; CE is normalised') == 1
    one, two = (_records(osp.join(outs[n], 'results_a.jsonl')) for n in (1, 2))
    # Each condition once (not once per rank), in the same order.
    assert len(one) == len(two) >= 4
    assert one[0] == two[0]  # the header
    for a, b in zip(one[1:], two[1:]):
        assert (a['corruption'], a['level']) == (b['corruption'], b['level'])
        assert a['metrics'] == b['metrics']
        # Every one of the 13 samples (an odd number: the ranks' padding
        # must be dropped) with the same prediction.
        assert len(a['samples']['pred']) == 13
        assert a['samples'] == b['samples']
    for name in ('results.csv', 'summary.md'):
        with open(osp.join(outs[1], name), encoding='utf-8') as f1, \
                open(osp.join(outs[2], name), encoding='utf-8') as f2:
            assert f1.read() == f2.read(), name
