"""tools/baselines/classic.py fits, saves and evaluates; tools/noise_sweep.py
sweeps the saved models with --classic (about 20 s: three tool runs)."""
import json
import os.path as osp
import subprocess

import numpy as np
import pytest

from mmhar_robust.baselines import classic, reader

from conftest import PYTHON, ROOT

BABEL = osp.join(ROOT, 'configs', 'skeleton', 'stgcnpp',
                 'stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py')


def _run(tool, args, check=True):
    result = subprocess.run([PYTHON, tool, *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + \
            result.stderr[-3000:]
    return result


def _options(tiny_babel):
    return [
        '--cfg-options',
        f'train_dataloader.dataset.ann_file={tiny_babel["train"]["label_file"]}',
        f'test_dataloader.dataset.ann_file={tiny_babel["val"]["label_file"]}'
    ]


@pytest.fixture(scope='module')
def fitted(tiny_babel, tmp_path_factory):
    work = str(tmp_path_factory.mktemp('classic'))
    _run('tools/baselines/classic.py', [
        BABEL, '--classifiers', 'logreg', 'knn', '--features', 'basic',
        'extended', '--work-dir', work
    ] + _options(tiny_babel))
    return work


def test_fits_saves_and_reports(fitted, tiny_babel):
    with open(osp.join(fitted, 'classic_results.json')) as f:
        rows = json.load(f)
    assert [(r['classifier'], r['features']) for r in rows] == [
        ('logreg', 'basic'), ('knn', 'basic'), ('logreg', 'extended'),
        ('knn', 'extended')
    ]
    assert all(r['n_train'] == 26 and r['n_test'] == 13 for r in rows)
    # Independently: each saved model's predict() on features read here.
    from mmengine.config import Config
    cfg = Config.fromfile(BABEL)
    cfg.test_dataloader.dataset.ann_file = tiny_babel['val']['label_file']
    test = reader.build_dataset(cfg, 'test')
    reader.cut_pipeline(test)
    for row in rows:
        x, y, _, _ = reader.read_features(test, row['features'])
        bundle = classic.load_model(
            osp.join(fitted, f'{row["classifier"]}_{row["features"]}.joblib'),
            row['features'], 'nturgb+d')
        assert x.shape[1] == {'basic': 6, 'extended': 56}[row['features']]
        top1 = np.mean(bundle['model'].predict(x) == y)
        assert row['top1'] == pytest.approx(top1)
        assert row['top5'] is not None and row['top5'] >= row['top1']
    with open(osp.join(fitted, 'classic_results.md')) as f:
        table = f.read()
    assert '| model | basic | extended |' in table
    assert f'| knn | {100 * rows[1]["top1"]:.1f} |' in table


def test_load_with_other_features_is_refused(fitted, tiny_babel):
    result = _run('tools/baselines/classic.py', [
        BABEL, '--load',
        osp.join(fitted, 'knn_basic.joblib'), '--features', 'rich',
        '--work-dir', fitted
    ] + _options(tiny_babel), check=False)
    assert result.returncode != 0
    assert "knn_basic.joblib, field 'feature_set'" in result.stderr
    assert "fitted on 'basic' features, this run computes 'rich'" in \
        result.stderr


def test_noise_sweep_includes_classic_models(fitted, tiny_babel, tmp_path):
    out = str(tmp_path)
    _run('tools/noise_sweep.py', [
        '--classic', 'knn', BABEL,
        osp.join(fitted, 'knn_extended.joblib'), '--classic', 'logreg',
        BABEL,
        osp.join(fitted, 'logreg_extended.joblib'), '--out-dir', out,
        '--levels', '0', '0.05', '--bootstrap-resamples', '200'
    ] + _options(tiny_babel))
    with open(osp.join(out, 'results.json')) as f:
        rows = json.load(f)
    assert {(r['model'], r['level']) for r in rows} == {
        ('knn', 0.0), ('knn', 0.05), ('logreg', 0.0), ('logreg', 0.05)
    }
    # Paired with the baseline (the first model): same inputs, same samples.
    logreg = [r for r in rows if r['model'] == 'logreg']
    assert all('mcnemar_p' in r for r in logreg)
    assert osp.isfile(osp.join(out, 'curve_gaussian.png'))
    with open(osp.join(out, 'summary.md')) as f:
        assert 'not paired' not in f.read()
