"""BiLSTM: shapes through GCNHead, its pooling, and a few steps learn."""
import pytest
import torch
from mmaction.registry import MODELS

import mmhar_robust  # noqa: F401
from mmhar_robust.models.backbones import BiLSTM


def test_shapes_and_gcn_head():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='BiLSTM', in_channels=3, num_joints=25, hidden=16))
    x = torch.randn(2, 2, 30, 25, 3)
    out = model(x)
    assert out.shape == (2, 2, 32, 1, 1)
    head = MODELS.build(dict(type='GCNHead', num_classes=5, in_channels=32))
    assert head(out).shape == (2, 5)


def test_last_pooling_is_final_states_of_both_directions():
    torch.manual_seed(0)
    model = BiLSTM(in_channels=2, num_joints=17, hidden=8, dropout=0.0)
    model.eval()
    x = torch.randn(1, 1, 12, 17, 2)
    out = model(x).flatten()
    frames = model.data_bn(x.reshape(1, 12, 34).transpose(1, 2)).transpose(
        1, 2)
    outputs, _ = model.lstm(frames.contiguous())
    # forward direction: output at the last frame; backward: at the first
    torch.testing.assert_close(out[:8], outputs[0, -1, :8])
    torch.testing.assert_close(out[8:], outputs[0, 0, 8:])
    mean = BiLSTM(in_channels=2, num_joints=17, hidden=8, dropout=0.0,
                  pooling='mean')
    mean.load_state_dict(model.state_dict())
    mean.eval()
    torch.testing.assert_close(mean(x).flatten(), outputs[0].mean(0))


def test_bad_input_and_settings():
    with pytest.raises(ValueError, match=r'\(N, M, T, 25, 3\).*\(2, 30, 25, 3\)'):
        BiLSTM()(torch.zeros(2, 30, 25, 3))
    with pytest.raises(ValueError, match="pooling must be one of"):
        BiLSTM(pooling='max')


def test_a_few_steps_reduce_the_loss():
    torch.manual_seed(0)
    backbone = BiLSTM(in_channels=3, num_joints=25, hidden=16, dropout=0.0)
    head = torch.nn.Linear(32, 3)
    x = torch.randn(6, 1, 20, 25, 3)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-2)
    losses = []
    for _ in range(15):
        loss = torch.nn.functional.cross_entropy(
            head(backbone(x).flatten(1)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
