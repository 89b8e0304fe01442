"""tools/data/make_synthetic*.py --task fall-run-walk: the preset's classes
and imbalance, the class list, and (videos) the VideoDataset lists."""
import os.path as osp
import pickle
import subprocess
from collections import Counter

from conftest import PYTHON, ROOT


def _run(tool, *args):
    result = subprocess.run([PYTHON, f'tools/data/{tool}', *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_skeleton_cli_task(tmp_path):
    out = str(tmp_path / 'frw.pkl')
    log = _run('make_synthetic.py', '--task', 'fall-run-walk', '--out', out,
               '--num-subjects', '2', '--repeats', '2', '--min-frames', '20',
               '--max-frames', '30')
    assert '"fall": 4, "run": 16, "walk": 20' in log
    with open(out, 'rb') as f:
        labels = Counter(a['label'] for a in pickle.load(f)['annotations'])
    assert labels == {0: 4, 1: 16, 2: 20}
    with open(str(tmp_path / 'frw_classes.txt')) as f:
        assert f.read().split() == ['fall', 'run', 'walk']


def test_video_cli_task_writes_lists(tmp_path):
    out = str(tmp_path / 'frw')
    log = _run('make_synthetic_video.py', '--task', 'fall-run-walk',
               '--variant', 'unbiased', '--out-dir', out, '--num-subjects',
               '2', '--repeats', '1', '--size', '16', '--frames', '4',
               '--no-plates', '--train-fraction', '0.5')
    assert 'fall 2, run 8, walk 10' in log
    root = osp.join(out, 'unbiased')
    with open(osp.join(root, 'annotations_classes.txt')) as f:
        assert f.read().split() == ['fall', 'run', 'walk']
    for name in ('train_list.txt', 'val_list.txt'):
        with open(osp.join(root, name)) as f:
            rows = [line.split() for line in f.read().splitlines()]
        assert Counter(label for _, label in rows) == {'0': 1, '1': 4, '2': 5}
        assert all(osp.isfile(osp.join(root, path)) for path, _ in rows)
