"""Skeleton-C on a classic model: the deep runs' conditions, header and
outcomes, one-person clips counted out, mitigations in the cut pipeline."""
import os.path as osp
import pickle

import numpy as np
import pytest
from mmengine.config import Config

from mmhar_robust.baselines import classic, reader
from mmhar_robust.baselines.skeleton_c import classic_skeleton_c
from mmhar_robust.baselines.sweep import corrupted_test_dataset
from mmhar_robust.engine.runner.skeleton_c_conditions import \
    SkeletonCConditions
from mmhar_robust.engine.runner.skeleton_c_loop import SkeletonCTestLoop
from mmhar_robust.engine.runner.sweep_identity import code_digests
from mmhar_robust.engine.runner.sweep_records import read_sweep_file

from conftest import ROOT

CONFIG = osp.join(ROOT, 'configs', 'skeleton', 'baselines',
                  'bilstm_1xb8-u48-3e_synthetic-xsub-keypoint-3d.py')


@pytest.fixture
def cfg(tiny_synthetic_3d):
    cfg = Config.fromfile(CONFIG)
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.ann_file = tiny_synthetic_3d
    return cfg


@pytest.fixture
def model_file(cfg, tmp_path):
    train = reader.build_dataset(cfg, 'train')
    reader.cut_pipeline(train)
    x, y, _, layout = reader.read_features(train, 'basic')
    path = str(tmp_path / 'logreg_basic.joblib')
    classic.save_model(path, classic.build_classifier('logreg').fit(x, y),
                       'basic', layout, 13, 'logreg')
    return path


def _clean_predictions(cfg, model_file):
    test = reader.build_dataset(cfg, 'test')
    reader.cut_pipeline(test)
    x, y, _, _ = reader.read_features(test, 'basic')
    return classic.load_model(model_file)['model'].predict(x), y


def test_records_match_the_deep_runs_and_count_one_person_clips_out(
        cfg, model_file, tiny_synthetic_3d, tmp_path):
    out = str(tmp_path / 'results_logreg.jsonl')
    records = classic_skeleton_c(cfg, model_file, out, 'logreg',
                                 families=['estimator'])
    header, rows = read_sweep_file(out)
    spec = SkeletonCConditions(families=['estimator'])
    assert [(r['family'], r['corruption'], r['severity']) for r in rows] == [
        tuple(c.values()) for c in spec.conditions()
    ]
    assert {k: header[k] for k in ('suite', 'seed', 'mitigation')} == \
        spec.settings()
    assert header['code'] == code_digests(SkeletonCTestLoop.code_files)
    # Clean: the model's own predict() on the clean features.
    pred, gt = _clean_predictions(cfg, model_file)
    clean = rows[0]['samples']
    assert clean['pred'] == pred.tolist() and clean['gt'] == gt.tolist()
    # 'basic' pools over persons, joints and frames: swapping limbs within
    # a frame or persons between frames leaves the features, hence the
    # predictions, as they were.
    by_key = {(r['corruption'], r['severity']): r for r in rows}
    for severity in (1, 5):
        assert by_key[('limb_swap', severity)]['samples']['pred'] == \
            clean['pred']
    # Two-person corruption: one-person clips (counted from the pickle)
    # are -1 and left out; top-1 over the others.
    with open(tiny_synthetic_3d, 'rb') as f:
        data = pickle.load(f)
    val = data['split']['xsub_val']
    anns = {a['frame_dir']: a for a in data['annotations']}
    two = np.array([
        anns[name]['keypoint'].shape[0] == 2
        and np.abs(anns[name]['keypoint'][1]).sum() > 0 for name in val
    ])
    assert 0 < two.sum() < len(val)
    switch = by_key[('identity_switch', 3)]
    assert switch['metrics']['skeleton_c/n_skipped'] == (~two).sum()
    switched = np.array(switch['samples']['pred'])
    assert (switched[~two] == -1).all()
    np.testing.assert_array_equal(switched[two], pred[two])
    assert switch['metrics']['acc/top1'] == pytest.approx(
        np.mean(pred[two] == gt[two]))
    assert 'acc/top5' not in switch['metrics']
    # A rerun evaluates nothing and appends nothing.
    size = osp.getsize(out)
    assert classic_skeleton_c(cfg, model_file, out, 'logreg',
                              families=['estimator']) == records
    assert osp.getsize(out) == size


def test_mitigation_follows_the_corruption_before_the_cut(cfg):
    spec = SkeletonCConditions(families=['temporal'],
                               mitigation='interpolate')
    dataset, noise = corrupted_test_dataset(cfg, spec.prepare)
    names = [type(t).__name__ for t in dataset.pipeline.transforms]
    assert names[names.index('KeypointNoise') + 1] == 'InterpolateMissing'
    assert 'UniformSampleFrames' not in names  # cut before frame sampling
    # Uniform subsampling by 2 marks every other frame missing; the
    # interpolation puts back the line between its neighbours (compared
    # with the clip read without corruption or mitigation, where the joint
    # is present: the synthetic clips lose joints of their own).
    spec.set(noise, dict(family='temporal', corruption='uniform_subsample',
                         severity=1))
    mended = reader.read_sample(dataset, 0)[0][0]
    plain, _ = corrupted_test_dataset(
        cfg, SkeletonCConditions(families=['temporal']).prepare)
    clean = reader.read_sample(plain, 0)[0][0]
    present = np.abs(clean).sum(-1) > 0  # (T, V)
    kept = present.copy()
    kept[1::2] = False
    np.testing.assert_array_equal(mended[kept], clean[kept])
    between = np.zeros_like(present)
    between[1:-1:2] = present[:-2:2] & present[2::2]
    assert between.sum() > 100
    midpoint = np.zeros_like(clean)
    midpoint[1:-1:2] = (clean[:-2:2] + clean[2::2]) / 2
    np.testing.assert_allclose(mended[between], midpoint[between], atol=1e-5)
