"""tools/data/babel_to_mmaction.py checks every split before converting any."""
import importlib.util
import os.path as osp
import pickle

import numpy as np
import pytest

from mmhar_robust.datasets.babel_format import write_release

from conftest import ROOT


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location(
        'babel_to_mmaction',
        osp.join(ROOT, 'tools', 'data', 'babel_to_mmaction.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _split(folder, split, x):
    n = len(x)
    return write_release(
        str(folder), split, 60, x, [f'{split}{i}' for i in range(n)],
        list(range(n)), list(range(n)), [0] * n, ['a'] * n)


def _arrays(num=3, frames=5):
    return np.arange(
        num * 3 * frames * 25, dtype=np.float32).reshape(
            num, 3, frames, 25, 1) / 100


def test_converts_both_splits(tool, tmp_path):
    train, val = _arrays(), _arrays(2) + 7
    _split(tmp_path, 'train', train)
    _split(tmp_path, 'val', val)
    out = str(tmp_path / 'out.pkl')
    tool.main([str(tmp_path), '--out', out])
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['split'] == dict(
        train=['train0_0_0', 'train1_0_1', 'train2_0_2'],
        val=['val0_0_0', 'val1_0_1'])
    last = data['annotations'][-1]
    np.testing.assert_array_equal(last['keypoint'],
                                  val[1].transpose(3, 1, 2, 0))
    assert last['total_frames'] == 5 and last['label'] == 1


@pytest.mark.parametrize('value', [np.nan, np.inf])
def test_nan_or_inf_in_a_later_split_stops_before_any_conversion(
        tool, tmp_path, capsys, value):
    _split(tmp_path, 'train', _arrays())
    val = _arrays(4)
    val[2, 1, 3, 9, 0] = value
    paths = _split(tmp_path, 'val', val)
    out = str(tmp_path / 'out.pkl')
    with pytest.raises(SystemExit) as info:
        tool.main([str(tmp_path), '--out', out])
    assert str(info.value) == (
        f"babel_to_mmaction.py: {paths['data_file']}, sample #2 val2, field "
        "'keypoint': holds NaN or infinite values in 1 of 4 samples, first "
        'at (person, frame, joint, coord) = (0, 3, 9, 1)')
    assert not osp.exists(out)
    assert 'samples' not in capsys.readouterr().out  # nothing converted


def test_array_without_frames_is_refused(tool, tmp_path):
    paths = _split(tmp_path, 'train', _arrays(frames=0))
    with pytest.raises(SystemExit) as info:
        tool.main([
            str(tmp_path), '--splits', 'train', '--out',
            str(tmp_path / 'out.pkl')
        ])
    assert f"{paths['data_file']}, field 'keypoint': its samples hold no " \
        'frames (T = 0)' in str(info.value)
