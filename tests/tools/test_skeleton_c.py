"""tools/skeleton_c.py end to end on the tiny synthetic set (random weights,
one family; about 40 s on 2 cores, marked slow)."""
import csv
import json
import os.path as osp
import pickle
import subprocess

import pytest

from conftest import PYTHON, ROOT, SYNTHETIC_CONFIG, as_cli, fast_train_options


@pytest.fixture(scope='module')
def random_checkpoint(tmp_path_factory):
    """The tiny PoseC3D with its initial (random) weights, saved."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmaction.registry import MODELS
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(SYNTHETIC_CONFIG).model)
    path = str(tmp_path_factory.mktemp('random') / 'random.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return path


def _run(args):
    return subprocess.run([PYTHON, 'tools/skeleton_c.py', *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_suite_run_writes_results_summary_and_plot(random_checkpoint,
                                                   tiny_synthetic, tmp_path):
    out = str(tmp_path / 'skc')
    args = [
        '--model', 'a', SYNTHETIC_CONFIG, random_checkpoint, '--out-dir',
        out, '--families', 'estimator', '--bootstrap-resamples', '200'
    ] + as_cli(fast_train_options(tiny_synthetic))
    result = _run(args)
    assert result.returncode == 0, result.stderr[-3000:]
    with open(osp.join(out, 'results.csv')) as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:10] == [
        'model', 'mitigation', 'suite', 'family', 'corruption', 'severity',
        'top1', 'top5', 'mean_class', 'n_skipped'
    ]
    assert len(rows) == 1 + 3 * 5
    assert {r['suite'] for r in rows} == {'skeleton_c_v1'}
    # A two-person corruption counts the one-person clips out instead of
    # scoring their clean inputs.
    with open(tiny_synthetic, 'rb') as f:
        data = pickle.load(f)
    val = set(data['split']['xsub_val'])
    alone = sum(a['keypoint'].shape[0] == 1 or not a['keypoint_score'][1].any()
                for a in data['annotations'] if a['frame_dir'] in val)
    switch = [r for r in rows if r['corruption'] == 'identity_switch']
    assert 0 < alone < len(val)
    assert {r['n_skipped'] for r in switch} == {str(alone)}
    with open(osp.join(out, 'summary.json')) as f:
        summary = json.load(f)
    assert [(r['model'], r['mitigation']) for r in summary] == [('a',
                                                                  'none')]
    assert summary[0]['suite'] == 'skeleton_c_v1'
    assert summary[0]['mPC_low'] <= summary[0]['mPC'] <= summary[0][
        'mPC_high']
    with open(osp.join(out, 'summary.md')) as f:
        assert 'Suite: skeleton_c_v1' in f.read()
    assert osp.getsize(osp.join(out, 'rpc_per_family.png')) > 1000
