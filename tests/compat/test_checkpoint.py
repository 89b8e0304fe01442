"""MMEngine checkpoints load under torch's weights_only unpickler, and only
what they hold is allowed."""
import io
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import mmhar_robust  # noqa: F401
from mmhar_robust.compat import history_buffer_getattr


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
