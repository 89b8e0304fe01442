"""TCN: shapes through GCNHead, residual blocks, and a few steps learn."""
import pytest
import torch
from mmaction.registry import MODELS

import mmhar_robust  # noqa: F401
from mmhar_robust.models.backbones import TCN


def test_shapes_and_gcn_head():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='TCN', in_channels=3, num_joints=25, channels=(16, 24)))
    out = model(torch.randn(2, 2, 30, 25, 3))
    assert out.shape == (2, 2, 24, 30, 1)
    head = MODELS.build(dict(type='GCNHead', num_classes=5, in_channels=24))
    assert head(out).shape == (2, 5)


def test_blocks_dilation_padding_and_residual():
    model = TCN(in_channels=2, num_joints=17, channels=(8, 8, 16))
    convs = [b.body[0] for b in model.blocks]
    assert [c.dilation[0] for c in convs] == [1, 2, 4]
    assert [c.padding[0] for c in convs] == [1, 2, 4]  # length kept
    assert isinstance(model.blocks[1].residual, torch.nn.Identity)
    assert isinstance(model.blocks[0].residual, torch.nn.Sequential)
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm1d)]
    assert len(norms) == 1 + 2 * 3 + 2  # data_bn, two per block, 2 shortcuts


def test_bad_settings_and_input():
    with pytest.raises(ValueError, match='one dilation per block'):
        TCN(channels=(8, 8), dilations=(1, ))
    with pytest.raises(ValueError, match='kernel_size must be odd'):
        TCN(kernel_size=4)
    with pytest.raises(ValueError, match=r'\(N, M, T, 25, 3\)'):
        TCN()(torch.zeros(1, 1, 10, 17, 2))


def test_a_few_steps_reduce_the_loss():
    torch.manual_seed(0)
    backbone = TCN(in_channels=3, num_joints=25, channels=(16, 16),
                   dropout=0.0)
    head = MODELS.build(dict(type='GCNHead', num_classes=3, in_channels=16))
    x = torch.randn(6, 1, 20, 25, 3)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-2)
    losses = []
    for _ in range(15):
        loss = torch.nn.functional.cross_entropy(head(backbone(x)), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
