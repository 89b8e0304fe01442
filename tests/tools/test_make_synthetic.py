"""tools/data/make_synthetic.py writes the set once and is idempotent."""
import pickle
import subprocess

from conftest import PYTHON, ROOT


def _run(*args):
    result = subprocess.run([PYTHON, 'tools/data/make_synthetic.py', *args],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cli_writes_3d_set_and_skips_when_up_to_date(tmp_path):
    out = str(tmp_path / 'syn3d.pkl')
    args = ('--out', out, '--layout', 'nturgb+d', '--num-subjects', '2',
            '--repeats', '1', '--classes', 'wave', 'jump', 'squat')
    assert 'wrote' in _run(*args) and '6 clips' in _run(*args, '--force')
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['annotations'][0]['keypoint'].shape[2:] == (25, 3)
    assert 'up to date' in _run(*args)
