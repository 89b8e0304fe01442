"""A checkpoint of another model is refused with the weights listed."""
import pytest
import torch
import torch.nn as nn

from mmhar_robust.compat import DamagedCheckpointError
from mmhar_robust.utils.checkpoint_match import check_checkpoint_matches


class _Net(nn.Module):

    def __init__(self, classes=3):
        super().__init__()
        self.backbone = nn.Linear(4, 8)
        self.head = nn.Linear(8, classes)


def _save(tmp_path, state, name='ckpt.pth'):
    path = str(tmp_path / name)
    torch.save({'meta': {'epoch': 1}, 'state_dict': state}, path)
    return path


def test_own_checkpoint_matches(tmp_path):
    model = _Net()
    check_checkpoint_matches(
        model, _save(tmp_path, model.state_dict()), allow_unexpected=False)


def test_missing_unexpected_and_misshapen_weights_are_listed(tmp_path):
    state = _Net(classes=5).state_dict()  # head of another shape
    del state['backbone.bias']
    state['projector.weight'] = torch.zeros(2)
    path = _save(tmp_path, state)
    with pytest.raises(ValueError) as info:
        check_checkpoint_matches(_Net(), path, allow_unexpected=False)
    message = str(info.value)
    assert message.startswith(f'checkpoint {path} does not match')
    assert '1 weights missing from the checkpoint: backbone.bias' in message
    assert '1 weights the model does not have: projector.weight' in message
    assert (
        '2 weights of another shape: head.weight (checkpoint (5, 8), '
        'model (3, 8)), head.bias (checkpoint (5,), model (3,))') in message
    # The sweep's rule: extra weights (a projection head) are fine.
    with pytest.raises(ValueError) as info:
        check_checkpoint_matches(_Net(), path)
    assert 'projector' not in str(info.value)


def test_long_lists_are_cut_but_counted(tmp_path):
    model = nn.Sequential(*[nn.Linear(1, 1) for _ in range(12)])
    path = _save(tmp_path, {'other.weight': torch.zeros(1)})
    with pytest.raises(ValueError) as info:
        check_checkpoint_matches(model, path)
    message = str(info.value)
    assert ('24 weights missing from the checkpoint: 0.weight, 0.bias'
            in message)
    assert '4.bias, ... (14 more)' in message and '5.weight' not in message


def test_damaged_checkpoint_is_named(tmp_path):
    path = str(tmp_path / 'empty.pth')
    open(path, 'wb').close()
    with pytest.raises(DamagedCheckpointError, match='empty.pth is damaged'):
        check_checkpoint_matches(_Net(), path)
