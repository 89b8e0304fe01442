"""The restricted unpickler reads what pose files hold and runs nothing."""
import os
import os.path as osp
import pickle
import subprocess
import time
from collections import OrderedDict

import numpy as np
import pytest

from mmhar_robust.utils.safe_pickle import UnsafePickleError, load_pickle

SYSTEM = f'{os.system.__module__}.system'  # posix.system on Linux


def _annotation_file():
    """What mmaction2's pose files and ours hold, with every plain type."""
    rng = np.random.default_rng(0)
    sample = dict(
        frame_dir='S001C001P001R001A001',
        label=np.int64(3),
        img_shape=(1080, 1920),
        total_frames=5,
        keypoint=rng.normal(size=(2, 5, 17, 2)).astype(np.float16),
        keypoint_score=rng.random((2, 5, 17)).astype(np.float32),
        valid={0.5: np.int32(4)},
        fps=np.float64(29.97),
        mask=np.array([True, False]),
        names=np.array(['ab', 'c']),
        boxes=np.zeros(2, dtype=[('x', 'f4'), ('y', 'i2')]),
        empty=np.zeros((0, 3)),
        fortran=np.asfortranarray(np.arange(6.).reshape(2, 3)),
        extra=OrderedDict(a=1),
        tags={'x', 'y'},
        frozen=frozenset({1}),
        raw=b'\x00\xff',
        nothing=b'',
        span=slice(1, 4),
        steps=range(3),
        z=1 + 2j,
        none=None)
    return dict(
        split=dict(xsub_train=[sample['frame_dir']]), annotations=[sample])


def _assert_same(a, b):
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert type(a) is type(b) and a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    else:
        assert type(a) is type(b) and a == b


@pytest.mark.parametrize('protocol', [2, 4, 5])
def test_reads_pose_files_like_pickle(tmp_path, protocol):
    path = str(tmp_path / 'ann.pkl')
    with open(path, 'wb') as f:
        pickle.dump(_annotation_file(), f, protocol=protocol)
    with open(path, 'rb') as f:
        expected = pickle.load(f)
    _assert_same(load_pickle(path), expected)


class _System:
    """Unpickles as ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


class _Popen(_System):

    def __reduce__(self):
        return (subprocess.Popen, (['touch', self.marker], ))


class _Memmap(_System):
    """``numpy.memmap(marker, mode='w+')``: an ndarray subclass that writes
    files."""

    def __reduce__(self):
        return (np.memmap, (self.marker, np.uint8, 'w+', 0, (4, )))


def _eval_pickle(marker):
    """Hand-written protocol 0: ``builtins.eval("open(marker, 'w')")``."""
    code = f'open({marker!r}, "w").close()'
    return b'cbuiltins\neval\n(V' + code.encode() + b'\ntR.'


def _getattr_pickle(marker):
    """``getattr(__import__('os'), 'system')('touch marker')``."""
    return (b'cbuiltins\ngetattr\n(cbuiltins\n__import__\n(Vos\ntRVsystem\n'
            b'tR(Vtouch ' + marker.encode() + b'\ntR.')


def _nested_in_object_array(marker):
    return pickle.dumps(
        dict(keypoint=np.array([_System(marker)], dtype=object)), protocol=2)


@pytest.mark.parametrize('make,global_name', [
    (lambda m: pickle.dumps({'a': [_System(m)]}, protocol=2), SYSTEM),
    (lambda m: pickle.dumps(_System(m), protocol=5), SYSTEM),
    (lambda m: pickle.dumps(_Popen(m)), 'subprocess.Popen'),
    (_eval_pickle, 'builtins.eval'),
    (_getattr_pickle, 'builtins.getattr'),
    (_nested_in_object_array, SYSTEM),
    (lambda m: pickle.dumps(_Memmap(m)), 'numpy.memmap'),
])
def test_crafted_pickle_runs_nothing_and_names_file_and_global(
        tmp_path, make, global_name):
    marker = str(tmp_path / 'pwned')
    path = str(tmp_path / 'crafted.pkl')
    with open(path, 'wb') as f:
        f.write(make(marker))
    with pytest.raises(UnsafePickleError) as info:
        load_pickle(path)
    assert not osp.exists(marker)
    assert info.value.source == path and info.value.global_name == global_name
    assert path in str(info.value) and repr(global_name) in str(info.value)
    assert 'safe_load=False' in str(info.value)
    # The same file is truly malicious: plain pickle runs it (the opt-out).
    load_pickle(path, safe=False)
    for _ in range(100):  # Popen runs touch in a child process
        if osp.exists(marker):
            break
        time.sleep(0.02)
    assert osp.exists(marker)


def test_refusal_is_a_value_error_and_an_unpickling_error(tmp_path):
    path = str(tmp_path / 'x.pkl')
    with open(path, 'wb') as f:
        pickle.dump(np.load, f)  # a numpy function, not an array type
    with pytest.raises(ValueError, match=r"numpy\.load"):
        load_pickle(path)
    with pytest.raises(pickle.UnpicklingError):
        load_pickle(path)
