"""tools/data/make_synthetic_video.py writes both variants once, idempotently.
"""
import os.path as osp
import pickle
import subprocess

from conftest import PYTHON, ROOT


def _run(*args):
    result = subprocess.run(
        [PYTHON, 'tools/data/make_synthetic_video.py', *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _load(root):
    with open(osp.join(root, 'annotations.pkl'), 'rb') as f:
        return pickle.load(f)['annotations']


def test_cli_writes_both_variants_and_skips_when_up_to_date(tmp_path):
    out = str(tmp_path / 'video')
    args = ('--out-dir', out, '--num-subjects', '2', '--repeats', '2',
            '--classes', 'wave', 'jump', 'squat', '--size', '32', '48',
            '--frames', '6')
    first = _run(*args)
    assert first.count('wrote') == 2 and '12 clips' in first
    assert '32x48 x 6 frames' in first
    biased, unbiased = _load(osp.join(out, 'biased')), _load(
        osp.join(out, 'unbiased'))
    assert [a['frame_dir']
            for a in biased] == [a['frame_dir'] for a in unbiased]
    assert all(a['background'] == a['label'] for a in biased)
    assert any(a['background'] != a['label'] for a in unbiased)
    assert osp.isfile(osp.join(out, 'unbiased', unbiased[0]['filename']))
    assert _run(*args).count('up to date') == 2
