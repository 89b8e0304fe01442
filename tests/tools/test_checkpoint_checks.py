"""tools/test.py and tools/train.py stop, naming the file, on a checkpoint of
another model or a damaged one, instead of testing random weights or
ending in a bare EOFError."""
import os
import subprocess

import torch

from conftest import PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli, fast_train_options


def _run(args):
    return subprocess.run(
        [PYTHON] + args,
        cwd=ROOT,
        env=dict(os.environ, PYTHONUNBUFFERED='1'),
        capture_output=True,
        text=True,
        timeout=300)


def test_checkpoint_of_another_model_stops_with_the_weights_listed(
        tiny_synthetic, tmp_path):
    # Without the check this run exits 0 with random-weight accuracy.
    path = str(tmp_path / 'stgcn.pth')
    torch.save(
        dict(
            meta=dict(epoch=1),
            state_dict={
                'backbone.gcn.0.weight': torch.zeros(3),
                'cls_head.fc_cls.weight': torch.zeros(5, 4)
            }), path)
    result = _run(
        ['tools/test.py', SYNTHETIC_CONFIG, path, '--work-dir',
         str(tmp_path)] + as_cli(fast_train_options(tiny_synthetic)))
    assert result.returncode != 0
    err = result.stderr
    assert f'checkpoint {path} does not match' in err
    assert 'weights missing from the checkpoint: backbone.' in err
    assert '1 weights the model does not have: backbone.gcn.0.weight' in err
    assert 'cls_head.fc_cls.weight (checkpoint (5, 4), model (13, ' in err
    assert 'acc/top1' not in result.stdout + err


def test_train_resume_from_a_damaged_checkpoint_names_it(
        tiny_synthetic, tmp_path):
    # tools/test.py reads checkpoints with the same loader (tests/compat).
    path = str(tmp_path / 'epoch_1.pth')
    open(path, 'wb').close()
    result = _run([
        'tools/train.py', SYNTHETIC_CONFIG, '--resume', path, '--work-dir',
        str(tmp_path)
    ] + as_cli(fast_train_options(tiny_synthetic)))
    assert result.returncode != 0
    assert f'checkpoint {path} is damaged: the file is empty' in result.stderr
    assert 'Traceback' not in result.stderr
