"""BABEL end to end: the converter, a short training run on release-format
files, and the noise sweep on the trained model (3D keypoints, body scale)."""
import json
import os.path as osp
import pickle
import subprocess

import numpy as np
import pytest

from conftest import PYTHON, ROOT, as_cli

CONFIG = osp.join(ROOT, 'configs', 'skeleton', 'stgcnpp',
                  'stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py')


def _run(args, timeout=900):
    result = subprocess.run([PYTHON, *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + \
        result.stderr[-3000:]
    return result.stdout + result.stderr


def _options(babel):
    options = {
        'train_cfg.max_epochs': 1,
        'train_dataloader.dataset.ann_file': babel['train']['label_file'],
        'val_dataloader.dataset.ann_file': babel['val']['label_file'],
        'test_dataloader.dataset.ann_file': babel['val']['label_file'],
    }
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options.update({
            f'{loader}.batch_size': 8,
            f'{loader}.num_workers': 0,
            f'{loader}.persistent_workers': False
        })
    return options


def test_converter_writes_what_babel_dataset_reads(tiny_babel, tmp_path):
    import mmhar_robust  # noqa: F401
    from mmaction.datasets import PoseDataset

    from mmhar_robust.datasets import BABELDataset
    folder = osp.dirname(tiny_babel['train']['label_file'])
    out = str(tmp_path / 'babel60.pkl')
    log = _run(['tools/data/babel_to_mmaction.py', folder, '--out', out])
    assert 'train: 26 samples' in log and 'val: 13 samples' in log
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert sorted(data['split']) == ['train', 'val']
    ours = BABELDataset(tiny_babel['val']['label_file'], pipeline=[])
    theirs = PoseDataset(out, pipeline=[], split='val')
    assert len(theirs) == len(ours) == 13
    for i in (0, 12):
        assert theirs[i]['frame_dir'] == ours[i]['frame_dir']
        assert theirs[i]['label'] == ours[i]['label']
        assert theirs[i]['keypoint'].dtype == np.float32
        np.testing.assert_array_equal(theirs[i]['keypoint'],
                                      ours[i]['keypoint'])


@pytest.fixture(scope='module')
def babel_checkpoint(tiny_babel, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('babel_train'))
    log = _run(['tools/train.py', CONFIG, '--work-dir', work_dir] +
               as_cli(_options(tiny_babel)))
    assert 'Epoch(val) [1]' in log
    return osp.join(work_dir, 'epoch_1.pth')


def test_training_on_release_files_writes_a_checkpoint(babel_checkpoint):
    import torch
    state = torch.load(babel_checkpoint, map_location='cpu',
                       weights_only=False)
    assert state['meta']['epoch'] == 1
    head = state['state_dict']['cls_head.fc.weight']
    assert head.shape == (60, 256)


def test_noise_sweep_on_babel_3d(babel_checkpoint, tiny_babel, tmp_path):
    out = str(tmp_path / 'sweep')
    log = _run([
        'tools/noise_sweep.py', '--model', 'stgcnpp', CONFIG,
        babel_checkpoint, '--out-dir', out, '--levels', '0', '0.05', '0.5',
        '--corruptions', 'gaussian'
    ] + as_cli(_options(tiny_babel)))
    assert 'stgcnpp' in log
    with open(osp.join(out, 'results.json')) as f:
        rows = json.load(f)
    assert [r['level'] for r in rows] == [0.0, 0.05, 0.5]
    assert all(r['mean_class'] == r['top1'] for r in rows)  # balanced val
    assert osp.isfile(osp.join(out, 'curve_gaussian.png'))
    with open(osp.join(out, 'results_stgcnpp.jsonl')) as f:
        header = json.loads(f.readline())['header']
    # 3D keypoints in metres: the noise unit is the body's size
    assert header['scale'] == 'body'
    assert rows[0]['rel_top1'] == 1.0
