"""tools/background_influence.py and the background-influence configs: the
tables, the chart, the same inputs for every model, and bad arguments
stopped before anything runs. (Whether stripping changes what a model sees
is tested with a background-only model in
tests/engine/runner/test_background_sweep_loop.py.)"""
import importlib.util
import json
import math
import os.path as osp
import shutil
import subprocess

import pytest
import torch

from conftest import PYTHON, ROOT

CONFIGS = osp.join(ROOT, 'configs', 'recognition', 'c3d')
CONFIG = osp.join(CONFIGS,
                  'tiny-c3d_1xb8-u16-20e_synthetic-video-biased-rgb.py')
FILLS = ['none', 'black', 'swap']


@pytest.fixture(scope='module')
def tool():
    """The tool as a module, for calls in this process."""
    spec = importlib.util.spec_from_file_location(
        'background_influence',
        osp.join(ROOT, 'tools', 'background_influence.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def videos(tmp_path_factory):
    """Both synthetic variants, 3 subjects x 13 classes (13 test clips)."""
    from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                              SyntheticVideoGenerator)
    root = tmp_path_factory.mktemp('video')
    for variant in ('biased', 'unbiased'):
        SyntheticVideoGenerator(
            SyntheticVideoConfig(variant=variant, num_subjects=3,
                                 repeats=1)).dump(str(root / variant))
    return str(root)


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    """A freshly built (untrained) model: wiring only, the accuracy is
    whatever it is."""
    import mmhar_robust  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmhar_robust.registry import MODELS
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(CONFIG).model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'fresh.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return path


def _options(root):
    options = {
        'test_dataloader.dataset.ann_file': osp.join(root, 'annotations.pkl'),
        'test_dataloader.dataset.data_prefix.video': root,
        'test_dataloader.batch_size': 8,
        'test_dataloader.num_workers': 0,
        'test_dataloader.persistent_workers': False
    }
    return ['--cfg-options'] + [f'{k}={v}' for k, v in options.items()]


def _run(script, args):
    result = subprocess.run([PYTHON, script, *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + \
        result.stderr[-3000:]
    return result.stdout + result.stderr


@pytest.fixture(scope='module')
def swept(videos, checkpoint, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('influence'))
    log = _run('tools/background_influence.py', [
        '--model', 'a', CONFIG, checkpoint, '--model', 'b', CONFIG, checkpoint,
        '--fills', *FILLS, '--out-dir', out
    ] + _options(osp.join(videos, 'biased')))
    return out, log


def test_results_per_model_and_fill_with_the_same_inputs(swept):
    out, _ = swept
    with open(osp.join(out, 'results.json')) as f:
        rows = json.load(f)
    assert [(r['model'], r['fill']) for r in rows] == [(m, f) for m in 'ab'
                                                       for f in FILLS]
    a, b = rows[:3], rows[3:]
    for row_a, row_b in zip(a, b):  # same weights, same stripped inputs
        for key in ('top1', 'top5', 'mean_class', 'rel_top1'):
            assert row_a[key] == row_b[key] or (math.isnan(row_a[key])
                                                and math.isnan(row_b[key]))
    none = a[0]['top1']
    for row in a:
        if none > 0:
            assert row['rel_top1'] == pytest.approx(row['top1'] / none)
        else:
            assert math.isnan(row['rel_top1'])
    with open(osp.join(out, 'results.csv')) as f:
        assert f.readline().strip().split(',')[:3] == ['model', 'fill', 'top1']


def test_summary_table_and_chart(swept):
    out, log = swept
    with open(osp.join(out, 'summary.json')) as f:
        rows = json.load(f)
    # One row per model (no fill), then one per model and fill.
    summary = [r for r in rows if r['fill'] is None]
    assert [s['model'] for s in summary] == ['a', 'b']
    assert [(r['model'], r['fill']) for r in rows
            if r['fill']] == [(m, f) for m in 'ab' for f in FILLS]
    mean = (summary[0]['black'] + summary[0]['swap']) / 2
    assert summary[0]['mean_stripped'] == pytest.approx(mean)
    table = open(osp.join(out, 'summary.md')).read()
    assert 'top1 accuracy (%) with the background kept (none)' in table
    assert 'mask box, margin 0.1, seed 0' in table
    assert '| model | none | black | swap | mean stripped |' in table
    row = [line for line in table.splitlines() if line.startswith('| a |')]
    assert row[0].split(' | ')[1] == f'{100 * summary[0]["none"]:.1f}'
    assert '| model | none | black | swap |' in log  # printed too
    from PIL import Image
    with Image.open(osp.join(out, 'background_influence.png')) as image:
        assert image.size[0] > 300 and image.size[1] > 300
    # Each model's raw results, with the settings in the header.
    with open(osp.join(out, 'results_b.jsonl')) as f:
        header = json.loads(f.readline())['header']
    assert header['model'] == 'b' and header['mask'] == 'box'


def test_intervals_and_paired_tests(swept):
    from mmhar_robust.evaluation.paired_stats import bootstrap_ci
    out, log = swept
    with open(osp.join(out, 'results.json')) as f:
        rows = json.load(f)
    with open(osp.join(out, 'results_a.jsonl')) as f:
        records = [json.loads(line) for line in f][1:]
    right = {
        r['fill']:
        [p == g for p, g in zip(r['samples']['pred'], r['samples']['gt'])]
        for r in records
    }
    for row in rows:
        outcomes = right[row['fill']]
        assert row['n_samples'] == len(outcomes) == 13
        assert row['top1'] == pytest.approx(sum(outcomes) / 13)
        assert (row['top1_low'], row['top1_high']) == bootstrap_ci(outcomes)
        if row['model'] == 'b':  # same weights and inputs as a, the baseline
            assert (row['diff_top1'], row['model_only_correct'],
                    row['baseline_only_correct'], row['mcnemar_p']) == (0.0, 0,
                                                                        0, 1.0)
        else:
            assert 'diff_top1' not in row
    table = open(osp.join(out, 'summary.md')).read()
    assert '| model | fill | top-1 % [95 % CI] | Δ top-1 vs a' in table
    line = [r for r in table.splitlines() if r.startswith('| b | black |')]
    assert line[0].endswith('| +0.0 [+0.0, +0.0] | 0 / 0 | 1.000 |')
    assert '| b | black |' in log


def test_a_rerun_evaluates_nothing_again(swept, videos, checkpoint, tmp_path):
    out = str(tmp_path / 'again')
    shutil.copytree(swept[0], out)
    before = open(osp.join(out, 'results_a.jsonl')).read()
    log = _run('tools/background_influence.py', [
        '--model', 'a', CONFIG, checkpoint, '--fills', 'black', 'none',
        '--out-dir', out
    ] + _options(osp.join(videos, 'biased')))
    assert 'background black:' not in log  # already there
    assert open(osp.join(out, 'results_a.jsonl')).read() == before
    table = open(osp.join(out, 'summary.md')).read()
    assert '| model | black | none | mean stripped |' in table
    # --overwrite: the file is replaced and the fill evaluated again.
    log = _run('tools/background_influence.py', [
        '--model', 'a', CONFIG, checkpoint, '--fills', 'black', '--out-dir',
        out, '--overwrite'
    ] + _options(osp.join(videos, 'biased')))
    assert 'background black:' in log
    rows = [
        json.loads(line)
        for line in open(osp.join(out, 'results_a.jsonl'))
    ]
    assert [r['fill'] for r in rows[1:]] == ['black']
    assert rows[1]['metrics'] == json.loads(before.splitlines()[2])['metrics']


@pytest.mark.parametrize('args,message', [
    (['--fills', 'none', 'pink'], 'valid fills: none, black, mean, blur'),
    (['--fills', 'black', 'black'], 'fills repeat'),
    (['--margin', '-1'], '--margin must be >= 0'),
    (['--swap-source', '/nonexistent/plates'], 'does not exist'),
    (['--model', 'c', CONFIG, '/nonexistent.pth'], 'file not found'),
    (['--baseline', 'z'], "--baseline 'z' is not one of ['a']"),
    (['--confidence', '2'], '--confidence must be in (0, 1)'),
])
def test_bad_arguments_fail_before_anything_runs(args, message, tool,
                                                 checkpoint, tmp_path):
    out = str(tmp_path / 'out')
    with pytest.raises(SystemExit) as error:
        tool.main(['--model', 'a', CONFIG, checkpoint, '--out-dir', out] +
                  args)
    assert message in str(error.value)
    assert not osp.exists(out)


def test_an_unknown_mask_is_refused(tool, checkpoint, tmp_path, capsys):
    with pytest.raises(SystemExit):
        tool.main([
            '--model', 'a', CONFIG, checkpoint, '--out-dir',
            str(tmp_path), '--mask', 'ellipse'
        ])
    assert "invalid choice: 'ellipse'" in capsys.readouterr().err


@pytest.mark.parametrize('variant', ['biased', 'unbiased'])
def test_the_config_runs_the_experiment_through_tools_test(
        variant, videos, checkpoint, tmp_path):
    config = osp.join(
        CONFIGS, 'tiny-c3d_background-influence_synthetic-video-'
        f'{variant}-rgb.py')
    work_dir = str(tmp_path / 'work')
    log = _run('tools/test.py', [config, checkpoint, '--work-dir', work_dir] +
               _options(osp.join(videos, variant)))
    with open(osp.join(work_dir, 'background_influence.jsonl')) as f:
        rows = [json.loads(line) for line in f]
    header = rows[0]['header']
    assert header['model'] == 'fresh.pth'
    assert header['swap_source'] == [osp.join(videos, variant, 'plates')]
    assert [r['fill'] for r in rows[1:]
            ] == ['none', 'black', 'mean', 'blur', 'noise', 'swap']
    assert 'background swap: acc/top1' in log
