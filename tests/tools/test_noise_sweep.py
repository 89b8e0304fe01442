"""tools/noise_sweep.py: same noisy inputs for every model, resumable results,
summaries and plots, and clear errors for bad input."""
import json
import os.path as osp
import shutil
import subprocess

import pytest

from mmhar_robust.engine.runner.sweep_records import read_sweep_file

from conftest import (PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli,
                      fast_train_options)


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
        r for r in summary if r['model'] == 'b'
        and r['corruption'] == 'gaussian' and r['level'] is None
    ][0]
    assert b['ce'] == pytest.approx(1.0)  # as robust as the baseline, a
    assert 0 <= b['auc'] <= 1
    assert '| model | corruption |' in log
    # Then one row per model, corruption and level with the statistics,
    # the same as in results.json.
    levels = [r for r in summary if r['level'] is not None]
    by_key = {(r['model'], r['corruption'], r['level']): r for r in _rows(out)}
    assert len(levels) == len(by_key) == 12
    for row in levels:
        full = by_key[row['model'], row['corruption'], row['level']]
        assert row == {k: full[k] for k in row}
        assert 'top1_low' in row
    for name in ('results.csv', 'summary.csv', 'summary.md',
                 'curve_gaussian.png', 'curve_joint_dropout.png'):
        assert osp.getsize(osp.join(out, name)) > 0
    # The metrics also went to MMEngine's visualizer backend (LocalVisBackend).
    import glob
    scalars = glob.glob(
        osp.join(out, 'runs', 'a', '*', 'vis_data', 'scalars.json'))
    records = [json.loads(line) for line in open(scalars[0])]
    steps = [r['step'] for r in records if 'noise/gaussian/acc/top1' in r]
    assert steps == [0, 1, 2]


def _outcomes(path):
    """(corruption, level) -> per-sample right/wrong, from a result file."""
    lines = [json.loads(line) for line in open(path)][1:]
    return {
        (r['corruption'], r['level']):
        [p == g for p, g in zip(r['samples']['pred'], r['samples']['gt'])]
        for r in lines
    }


def test_intervals_and_paired_tests(swept):
    from mmhar_robust.evaluation.paired_stats import bootstrap_ci
    out, log = swept
    outcomes = _outcomes(osp.join(out, 'results_a.jsonl'))
    for row in _rows(out):
        right = outcomes[row['corruption'], row['level']]
        assert row['n_samples'] == len(right) == 13
        assert row['top1'] == pytest.approx(sum(right) / len(right))
        assert (row['top1_low'], row['top1_high']) == bootstrap_ci(right)
        if row['model'] == 'a':
            assert 'diff_top1' not in row  # the baseline
        else:  # same weights, same inputs: no discordant sample
            assert (row['diff_top1'], row['diff_top1_low'],
                    row['diff_top1_high']) == (0.0, 0.0, 0.0)
            assert (row['model_only_correct'],
                    row['baseline_only_correct']) == (0, 0)
            assert row['mcnemar_p'] == 1.0
    table = open(osp.join(out, 'summary.md')).read()
    assert ('percentile bootstrap interval (10000 resamples of the 13 test '
            'samples, seed 0)') in table
    assert '| model | corruption | level | top-1 % [95 % CI] |' in table
    row = [
        line for line in table.splitlines()
        if line.startswith('| b | gaussian | 0.02 |')
    ][0]
    assert row.endswith('| +0.0 [+0.0, +0.0] | 0 / 0 | 1.000 |')
    assert '| b | gaussian | 0.02 |' in log  # printed too


def test_interrupted_sweep_resumes_with_the_same_results(
        swept, checkpoint, tiny_synthetic, tmp_path):
    out, _ = swept
    resumed = str(tmp_path / 'resumed')
    shutil.copytree(out, resumed)
    path = osp.join(resumed, 'results_a.jsonl')
    lines = open(path).read().splitlines()
    # A crash after 2 levels, in the middle of writing the third.
    finished = '\n'.join(lines[:3]) + '\n'
    with open(path, 'w') as f:
        f.write(finished + lines[3][:25])
    result = _sweep([
        '--model', 'a', SYNTHETIC_CONFIG, checkpoint, '--out-dir', resumed,
        '--levels', '0', '0.02', '0.1', '--corruptions', 'gaussian',
        'joint_dropout'
    ] + _options(tiny_synthetic))
    log = result.stdout + result.stderr
    assert 'gaussian @ 0.0:' not in log  # already there: not evaluated again
    assert 'gaussian @ 0.1:' in log
    # The clean level is shared: copied, not evaluated again.
    assert ('joint_dropout @ 0.0: the same inputs as gaussian @ 0.0, '
            'evaluated once') in log
    # The finished rows were not rewritten; the torn one was replaced.
    with open(path) as f:
        resumed_text = f.read()
    assert resumed_text.startswith(finished)
    assert resumed_text.count('\n') == 7  # header + 2 x 3 levels
    before = {
        (r['corruption'], r['level']): r['top1']
        for r in _rows(out) if r['model'] == 'a'
    }
    after = {(r['corruption'], r['level']): r['top1'] for r in _rows(resumed)}
    assert after == before


@pytest.mark.parametrize(
    'args,message',
    [
        (['--corruptions', 'pink'], 'unknown corruption'),
        (['--levels', '0', '-0.1'], '>= 0'),
        (['--levels', '0', 'nan'], 'finite'),
        (['--levels'], 'expected at least one'),
        (['--corruptions', 'joint_dropout', '--levels', '0', '2'
          ], 'probability'),
        # seed 001's noise is a valid scale: the bad level is what stops it.
        (['--scale', 'seed001', '--levels', '0', '-1'], '>= 0'),
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
    other = dict(
        fast_train_options(tiny_synthetic),
        **{'model.cls_head.num_classes': 7})
    result = _sweep(
        [
            '--model', 'c', SYNTHETIC_CONFIG, checkpoint, '--out-dir',
            str(tmp_path), '--levels', '0'
        ] + as_cli(other),
        check=False)
    assert result.returncode != 0
    assert 'does not match' in result.stderr
    assert 'cls_head.fc_cls.weight' in result.stderr


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
    assert 'checkpoint_sha256: ' in result.stderr  # what changed
    assert 'rerun with --overwrite' in result.stderr  # what to do
    assert 'Traceback' not in result.stderr
    assert open(path).read() == before
    # Started afresh on request; the clean level is added to the levels.
    result = _sweep([
        '--model', 'a', SYNTHETIC_CONFIG, fake, '--out-dir', other,
        '--levels', '0.1', '--overwrite'
    ] + _options(tiny_synthetic))
    header, records = read_sweep_file(path)
    assert header['checkpoint_sha256'] != json.loads(
        before.splitlines()[0])['header']['checkpoint_sha256']
    assert [(r['corruption'], r['level']) for r in records] == [
        ('gaussian', 0.0), ('gaussian', 0.1)
    ]
    table = open(osp.join(other, 'summary.md')).read()
    assert '- the levels lacked the clean level 0, so it was added' in table
