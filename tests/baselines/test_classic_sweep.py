"""The classic noise sweep sees the deep sweep's noisy keypoints and writes
its result file."""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from mmhar_robust.baselines import classic, reader
from mmhar_robust.baselines.sweep import (classic_noise_sweep,
                                          noisy_keypoint, noisy_test_dataset)
from mmhar_robust.engine.runner.noise_sweep_loop import (NoiseSweepTestLoop,
                                                         find_or_insert_noise)
from mmhar_robust.engine.runner.sweep_identity import code_digests
from mmhar_robust.engine.runner.sweep_records import read_sweep_file

from conftest import ROOT

BABEL = osp.join(ROOT, 'configs', 'skeleton', 'stgcnpp',
                 'stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py')


@pytest.fixture
def babel_cfg(tiny_babel):
    cfg = Config.fromfile(BABEL)
    cfg.train_dataloader.dataset.ann_file = tiny_babel['train']['label_file']
    cfg.test_dataloader.dataset.ann_file = tiny_babel['val']['label_file']
    return cfg


def test_noisy_keypoints_equal_the_deep_paths(babel_cfg):
    # The deep path, as NoiseSweepTestLoop sets it: full test pipeline.
    deep = reader.build_dataset(babel_cfg, 'test')
    deep_noise = find_or_insert_noise(deep.pipeline, None, None,
                                      deep.get_data_info(0))
    classic_set, noise = noisy_test_dataset(babel_cfg)
    assert (noise.scale, noise.seed) == (deep_noise.scale, deep_noise.seed)
    for index in (0, 5):
        clean = noisy_keypoint(classic_set, noise, index, 'gaussian', 0.0)
        for corruption, level in (('gaussian', 0.05), ('laplace', 0.02)):
            deep_noise.set_corruption(corruption, level)
            # 150-frame chunks: frame sampling keeps every frame in order.
            # FormatGCNInput gives (clips, M, T, V, C).
            seen_deep = deep[index]['inputs'].numpy()[0]
            seen = noisy_keypoint(classic_set, noise, index, corruption,
                                  level)
            assert seen.shape == seen_deep.shape == (1, 150, 25, 3)
            np.testing.assert_array_equal(seen, seen_deep)
            assert np.abs(seen - clean).max() > 1e-3  # it is noisy


def _fit(cfg, path):
    train = reader.build_dataset(cfg, 'train')
    reader.cut_pipeline(train)
    x, y, _, layout = reader.read_features(train, 'basic')
    model = classic.build_classifier('logreg').fit(x, y)
    classic.save_model(path, model, 'basic', layout, 60, 'logreg')


def test_sweep_writes_resumable_records(babel_cfg, tmp_path):
    model = str(tmp_path / 'logreg_basic.joblib')
    _fit(babel_cfg, model)
    out = str(tmp_path / 'results_logreg.jsonl')
    records = classic_noise_sweep(
        babel_cfg, model, out, 'logreg', levels=[0.05],
        corruptions=['gaussian', 'laplace'])
    header, rows = read_sweep_file(out)
    assert [(r['corruption'], r['level']) for r in rows] == [
        ('gaussian', 0.0), ('gaussian', 0.05), ('laplace', 0.0),
        ('laplace', 0.05)
    ]
    assert rows[2]['same_as'] == dict(corruption='gaussian', level=0.0)
    # The fields the pairing compares are the deep sweep's.
    assert header['code'] == code_digests(NoiseSweepTestLoop.code_files)
    assert (header['scale'], header['seed']) == ('body', 0)
    assert header['corrupt_missing'] is False
    clean = rows[0]
    assert len(clean['samples']['pred']) == 13
    top1 = np.mean(
        np.array(clean['samples']['pred']) == clean['samples']['gt'])
    assert clean['metrics']['acc/top1'] == pytest.approx(top1)
    # Independently: the model's predict() on the clean test features.
    test = reader.build_dataset(babel_cfg, 'test')
    reader.cut_pipeline(test)
    x, y, _, _ = reader.read_features(test, 'basic')
    bundle = classic.load_model(model)
    assert clean['samples']['pred'] == bundle['model'].predict(x).tolist()
    assert clean['samples']['gt'] == y.tolist()
    # Rerun: nothing evaluated again, nothing appended.
    size = osp.getsize(out)
    again = classic_noise_sweep(
        babel_cfg, model, out, 'logreg', levels=[0.05],
        corruptions=['gaussian', 'laplace'])
    assert osp.getsize(out) == size and again == records
