"""MMEngine checkpoints load under torch's weights_only unpickler, and only
what they hold is allowed."""
import io
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import mmhar_robust  # noqa: F401
from mmhar_robust.compat import (DamagedCheckpointError,
                                 UnsafeCheckpointError, history_buffer_getattr,
                                 load_checkpoint_file)


def _roundtrip(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


def test_message_hub_and_numpy_state_load_weights_only():
    buffer = HistoryBuffer()
    buffer.update(1.5)
    buffer.update(2.5)
    state = dict(
        meta=dict(epoch=3, hook_msgs=dict(best_score=np.float64(0.75))),
        message_hub=dict(log_scalars={'train/loss': buffer}),
        state_dict={'w': torch.ones(2)},
        arr=np.arange(4, dtype=np.float32))
    loaded = _roundtrip(state)
    assert loaded['meta']['hook_msgs']['best_score'] == 0.75
    assert loaded['message_hub']['log_scalars']['train/loss'].mean() == 2.0
    np.testing.assert_array_equal(loaded['arr'], np.arange(4))


def test_guarded_getattr_allows_only_statistics():
    assert history_buffer_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(np, 'load')


class _Evil:
    """Pickles as ``getattr(HistoryBuffer, '__init__')``: from a function, a
    real getattr would reach ``__globals__`` and with it any module."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_malicious_getattr_pickle_is_refused():
    buf = io.BytesIO()
    torch.save({'x': _Evil()}, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match='__init__'):
        torch.load(buf, weights_only=True)


def _checkpoint(path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    torch.save(
        dict(
            meta=dict(epoch=1, hook_msgs=dict(best_score=np.float64(0.5))),
            message_hub=dict(log_scalars={'loss': buffer}),
            state_dict={'w': torch.arange(4.)}), path)
    return path


def _truncated(path):
    raw = open(_checkpoint(path), 'rb').read()
    with open(path, 'wb') as f:
        f.write(raw[:len(raw) // 2])
    return path


def _empty(path):
    open(path, 'wb').close()
    return path


def _legacy_truncated(path):
    torch.save({'w': torch.ones(3)},
               path,
               _use_new_zipfile_serialization=False)
    raw = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(raw[:len(raw) // 2])
    return path


def _not_a_checkpoint(path):
    with open(path, 'w') as f:
        f.write('version https://git-lfs.github.com/spec/v1\n')
    return path


@pytest.mark.parametrize('make,what', [
    (_empty, 'empty (0 bytes)'),
    (_truncated, 'not a whole zip archive'),
    (_legacy_truncated, 'ends early'),
    (_not_a_checkpoint, 'not a whole zip archive'),
])
def test_damaged_checkpoint_is_named(tmp_path, make, what):
    """torch alone says EOFError, RuntimeError, OSError or KeyError."""
    path = make(str(tmp_path / 'epoch_3.pth'))
    with pytest.raises(DamagedCheckpointError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert message.startswith(f'checkpoint {path} is damaged: ')
    assert what in message


def test_whole_checkpoint_loads(tmp_path):
    loaded = load_checkpoint_file(_checkpoint(str(tmp_path / 'a.pth')))
    assert torch.equal(loaded['state_dict']['w'], torch.arange(4.))
    assert loaded['message_hub']['log_scalars']['loss'].mean() == 0.5


class _System:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_crafted_checkpoint_runs_nothing_even_if_torch_default_is_off(
        tmp_path, monkeypatch):
    marker = str(tmp_path / 'pwned')
    path = str(tmp_path / 'crafted.pth')
    torch.save({'state_dict': {}, 'meta': _System(marker)}, path)
    # This switch turns torch's default off; the explicit argument stays.
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint_file(path)
    assert not osp.exists(marker)
    system = f'{os.system.__module__}.system'
    assert info.value.global_name == system
    assert path in str(info.value) and repr(system) in str(info.value)
    torch.load(path)  # what relying on the default does under that switch
    assert osp.exists(marker)


def test_mmengine_loads_local_and_http_checkpoints_through_ours(tmp_path):
    from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint
    for path in ('work_dirs/x/epoch_1.pth', 'https://x.org/a.pth'):
        loader = CheckpointLoader._get_checkpoint_loader(path)
        assert loader.__module__ == 'mmhar_robust.compat.checkpoint', path
    path = _empty(str(tmp_path / 'empty.pth'))
    with pytest.raises(DamagedCheckpointError, match='empty.pth is damaged'):
        _load_checkpoint(path, map_location='cpu')


def test_runner_load_from_and_resume_name_a_damaged_checkpoint(tmp_path):
    from mmengine.model import BaseModel
    from mmengine.runner import Runner

    class Tiny(BaseModel):

        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(2, 2)

        def forward(self, *args, **kwargs):
            return {}

    path = _truncated(str(tmp_path / 'epoch_1.pth'))
    runner = Runner(model=Tiny(), work_dir=str(tmp_path), load_from=path)
    with pytest.raises(DamagedCheckpointError, match='epoch_1.pth'):
        runner.load_or_resume()  # load_from
    with pytest.raises(DamagedCheckpointError, match='epoch_1.pth'):
        runner.resume(path)  # what --resume calls
