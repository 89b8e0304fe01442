"""tools/noise_sweep.py: same noisy inputs for every model, resumable results,
summaries and plots, and clear errors for bad input."""
import json
import os.path as osp
import shutil
import subprocess

import pytest

from conftest import (PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli,
                      fast_train_options)

CONTRASTIVE = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_contrastive-a0.025-g5-g1_1xb8-u16-3e_synthetic-xsub-'
    'keypoint.py')


def _sweep(args, check=True):
    result = subprocess.run([PYTHON, 'tools/noise_sweep.py', *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=900)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + \
            result.stderr[-3000:]
    return result


@pytest.fixture(scope='module')
def checkpoint(tiny_synthetic, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('sweep_train'))
    result = subprocess.run(
        [PYTHON, 'tools/train.py', SYNTHETIC_CONFIG, '--work-dir', work_dir] +
        as_cli(fast_train_options(tiny_synthetic, epochs=1)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return osp.join(work_dir, 'epoch_1.pth')


def _options(ann_file):
    return as_cli(fast_train_options(ann_file))


@pytest.fixture(scope='module')
def swept(checkpoint, tiny_synthetic, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('sweep'))
    result = _sweep([
        '--model', 'a', SYNTHETIC_CONFIG, checkpoint, '--model', 'b',
        SYNTHETIC_CONFIG, checkpoint, '--out-dir', out, '--levels', '0',
        '0.02', '0.1', '--corruptions', 'gaussian', 'joint_dropout'
    ] + _options(tiny_synthetic))
    return out, result.stdout + result.stderr


def _rows(out):
    with open(osp.join(out, 'results.json')) as f:
        return json.load(f)


def test_every_model_sees_the_same_noisy_inputs(swept):
    out, _ = swept
    rows = _rows(out)
    assert len(rows) == 2 * 2 * 3
    a = {(r['corruption'], r['level']): r for r in rows if r['model'] == 'a'}
    b = {(r['corruption'], r['level']): r for r in rows if r['model'] == 'b'}
    assert a.keys() == b.keys()
    for key in a:  # same weights + same noisy inputs = same numbers
        assert a[key]['top1'] == b[key]['top1']
        assert a[key]['mean_class'] == b[key]['mean_class']
    assert a[('gaussian', 0.0)]['rel_top1'] == 1.0


def test_summary_table_and_plots(swept):
    out, log = swept
    with open(osp.join(out, 'summary.json')) as f:
        summary = json.load(f)
    b = [
        r for r in summary
        if r['model'] == 'b' and r['corruption'] == 'gaussian'
    ][0]
    assert b['ce'] == pytest.approx(1.0)  # as robust as the baseline, a
    assert 0 <= b['auc'] <= 1
    assert '| model | corruption |' in log
    for name in ('results.csv', 'summary.csv', 'summary.md',
                 'curve_gaussian.png', 'curve_joint_dropout.png'):
        assert osp.getsize(osp.join(out, name)) > 0
    # The metrics also went to MMEngine's visualizer backend (LocalVisBackend).
    import glob
    scalars = glob.glob(osp.join(out, 'runs', 'a', '*', 'vis_data',
                                 'scalars.json'))
    records = [json.loads(line) for line in open(scalars[0])]
    steps = [r['step'] for r in records if 'noise/gaussian/acc/top1' in r]
    assert steps == [0, 1, 2]


def test_interrupted_sweep_resumes_with_the_same_results(
        swept, checkpoint, tiny_synthetic, tmp_path):
    out, _ = swept
    resumed = str(tmp_path / 'resumed')
    shutil.copytree(out, resumed)
    path = osp.join(resumed, 'results_a.jsonl')
    lines = open(path).read().splitlines()
    # A crash after 2 levels, in the middle of writing the third.
    with open(path, 'w') as f:
        f.write('\n'.join(lines[:3]) + '\n' + lines[3][:25])
    result = _sweep([
        '--model', 'a', SYNTHETIC_CONFIG, checkpoint, '--out-dir', resumed,
        '--levels', '0', '0.02', '0.1', '--corruptions', 'gaussian',
        'joint_dropout'
    ] + _options(tiny_synthetic))
    log = result.stdout + result.stderr
    assert 'gaussian @ 0.0:' not in log  # already there: not evaluated again
    assert 'gaussian @ 0.1:' in log
    before = {
        (r['corruption'], r['level']): r['top1']
        for r in _rows(out) if r['model'] == 'a'
    }
    after = {(r['corruption'], r['level']): r['top1'] for r in _rows(resumed)}
    assert after == before


@pytest.mark.parametrize('args,message', [
    (['--corruptions', 'pink'], 'unknown corruption'),
    (['--levels', '0', '-0.1'], '>= 0'),
    (['--levels', '0', 'nan'], 'finite'),
    (['--levels'], 'expected at least one'),
    (['--corruptions', 'joint_dropout', '--levels', '0', '2'], 'probability'),
])
def test_bad_arguments_fail_before_anything_is_written(args, message,
                                                       checkpoint, tmp_path):
    out = str(tmp_path / 'out')
    result = _sweep(
        ['--model', 'a', SYNTHETIC_CONFIG, checkpoint, '--out-dir', out] +
        args,
        check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert not osp.exists(out)


def test_checkpoint_of_another_model_is_refused(checkpoint, tiny_synthetic,
                                                tmp_path):
    result = _sweep(
        [
            '--model', 'c', CONTRASTIVE, checkpoint, '--out-dir',
            str(tmp_path), '--levels', '0'
        ] + _options(tiny_synthetic),
        check=False)
    assert result.returncode != 0
    assert 'does not match' in result.stderr and 'projector' in result.stderr


def test_folder_with_another_models_results_is_not_overwritten(
        swept, tiny_synthetic, tmp_path):
    out, _ = swept
    other = str(tmp_path / 'other')
    shutil.copytree(out, other)
    path = osp.join(other, 'results_a.jsonl')
    before = open(path).read()
    fake = str(tmp_path / 'other.pth')
    shutil.copy(
        json.loads(before.splitlines()[0])['header']['checkpoint'], fake)
    with open(fake, 'ab') as f:
        f.write(b'another model')  # another file: another digest
    result = _sweep(
        [
            '--model', 'a', SYNTHETIC_CONFIG, fake, '--out-dir', other,
            '--levels', '0'
        ] + _options(tiny_synthetic),
        check=False)
    assert result.returncode != 0
    assert 'holds results of another run' in result.stderr
    assert open(path).read() == before
