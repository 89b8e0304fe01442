"""TinyC3D through its public interface: built from a config, the shapes of
its stages (Grad-CAM targets ``stages.<i>``), its size, the global max pool
and what that pool buys (a pattern is found wherever it is)."""
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModule

import mmhar_robust  # noqa: F401  (registers TinyC3D)
from mmhar_robust.models.backbones import TinyC3D
from mmhar_robust.registry import MODELS


def _build(**kwargs):
    with torch.random.fork_rng():  # the same weights in every run
        torch.manual_seed(0)
        model = MODELS.build(dict(type='TinyC3D', **kwargs))
        model.init_weights()
    return model.eval()


def _randn(*shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(1))


def _stage_outputs(model, x):
    """The output of each ``stages.<i>`` for input ``x``."""
    outputs = []
    handles = [
        model.get_submodule(f'stages.{i}').register_forward_hook(
            lambda module, args, out: outputs.append(out)) for i in range(4)
    ]
    try:
        final = model(x)
    finally:
        for handle in handles:
            handle.remove()
    return outputs, final


def test_stage_shapes_for_a_16x32x32_clip():
    model = _build()
    x = _randn(2, 3, 16, 32, 32)
    stages, out = _stage_outputs(model, x)
    # Pooling in space after stage 0, in space and time after 1 and 2.
    assert [tuple(s.shape) for s in stages] == [(2, 32, 16, 16, 16),
                                                (2, 64, 8, 8, 8),
                                                (2, 128, 4, 4, 4),
                                                (2, 128, 4, 4, 4)]
    assert out.shape == (2, 128, 1, 1, 1)


@pytest.mark.parametrize('shape,channels', [
    ((1, 1, 8, 20, 24), (4, 6, 8, 10)),
    ((3, 2, 5, 17, 33), (2, 2, 2, 3)),
])
def test_output_is_one_vector_per_clip_whatever_the_size(shape, channels):
    model = _build(in_channels=shape[1], channels=channels,
                   first_kernel=(1, 3, 3))
    assert model(_randn(*shape)).shape == (shape[0], channels[-1], 1,
                                                1, 1)


def test_parameter_count_of_the_default_model():
    # Conv weights (no bias: BatchNorm follows) 3*32*3*5*5 + 32*64*27 +
    # 64*128*27 + 128*128*27 = 726048; BatchNorm weight and bias 2 * 352.
    model = _build()
    assert sum(p.numel() for p in model.parameters()) == 726048 + 704


def test_ends_in_a_global_max_pool_of_the_last_stage():
    model = _build(channels=(4, 4, 8, 8))
    x = _randn(2, 3, 8, 16, 16)
    stages, out = _stage_outputs(model, x)
    torch.testing.assert_close(out.flatten(1), stages[3].amax(dim=(2, 3, 4)))


def test_a_pattern_is_found_wherever_it_is():
    """Shifted by the total spatial stride (8), away from the borders, a
    small pattern gives the same features: the max pool does not care where
    the person is."""
    model = _build(in_channels=1, channels=(4, 4, 4, 4))
    pattern = _randn(8, 5, 5)
    clips = torch.zeros(3, 1, 8, 128, 128)
    clips[0, 0, :, 48:53, 48:53] = pattern
    clips[1, 0, :, 64:69, 56:61] = pattern
    clips[2, 0, :, 48:53, 48:53] = pattern.flip(-1)
    with torch.no_grad():
        out = model(clips).flatten(1)
    torch.testing.assert_close(out[1], out[0], rtol=1e-5, atol=1e-6)
    assert not torch.allclose(out[2], out[0], rtol=1e-3, atol=1e-4)


def test_trains_end_to_end():
    model = _build(channels=(4, 4, 4, 4)).train()
    x = _randn(2, 3, 4, 16, 16)
    model(x).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.parameters())


@pytest.mark.parametrize('channels', [(8, 8, 8), (8, 8, 8, 8, 8), ()])
def test_channels_must_give_one_width_per_stage(channels):
    # zip() over the four stages used to drop extra widths and build fewer
    # stages for short ones without a word.
    with pytest.raises(ValueError,
                       match=r'TinyC3D has 4 stages, so channels must give 4 '
                       r'widths; got \(' + ', '.join(map(str, channels))):
        TinyC3D(channels=channels)
    with pytest.raises(ValueError, match=r'first_kernel must be 3 sizes'):
        TinyC3D(first_kernel=(3, 3))


def _earlier_layout(in_channels, channels, first_kernel):
    """TinyC3D as it was written before ConvModule: plain Sequentials."""
    stages, pools = [], [(1, 2, 2), (2, 2, 2), (2, 2, 2), None]
    for i, (width, pool) in enumerate(zip(channels, pools)):
        kernel = first_kernel if i == 0 else (3, 3, 3)
        layers = [
            nn.Conv3d(in_channels, width, kernel,
                      padding=tuple(k // 2 for k in kernel), bias=False),
            nn.BatchNorm3d(width),
            nn.ReLU()
        ] + ([nn.MaxPool3d(pool)] if pool else [])
        stages.append(nn.Sequential(*layers))
        in_channels = width
    return nn.Sequential(*stages)


def test_checkpoints_of_the_earlier_layout_load_and_agree():
    torch.manual_seed(3)
    old = _earlier_layout(2, (3, 4, 5, 6), (1, 3, 3))
    for module in old.modules():
        if isinstance(module, nn.BatchNorm3d):  # not the identity: a test
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
            module.weight.data.uniform_(0.5, 2)
            module.bias.data.uniform_(-1, 1)
    old.eval()
    state = {f'stages.{k}': v for k, v in old.state_dict().items()}
    assert 'stages.0.1.running_var' in state
    model = _build(in_channels=2, channels=(3, 4, 5, 6),
                   first_kernel=(1, 3, 3))
    model.load_state_dict(state)  # strict: every key found a home
    x = _randn(2, 2, 8, 16, 16)
    with torch.no_grad():
        expected = old(x).amax(dim=(2, 3, 4))
        torch.testing.assert_close(model(x).flatten(1), expected)
    # And the current layout round-trips through its own state dict.
    again = _build(in_channels=2, channels=(3, 4, 5, 6),
                   first_kernel=(1, 3, 3))
    again.load_state_dict(model.state_dict())
    with torch.no_grad():
        torch.testing.assert_close(again(x), model(x))


def test_a_seeded_model_has_the_earlier_layouts_weights():
    """ConvModule draws no extra random numbers: built from a seed (and
    after init_weights), TinyC3D equals the plain-torch layout, and the
    global stream is left where that layout left it."""

    class Earlier(BaseModule):

        def __init__(self):
            super().__init__(init_cfg=[
                dict(type='Kaiming', layer='Conv3d'),
                dict(type='Constant', layer='BatchNorm3d', val=1)
            ])
            self.stages = _earlier_layout(3, (4, 6, 8, 8), (3, 5, 5))

    for init in (False, True):
        torch.manual_seed(5)
        old = Earlier()
        if init:
            old.init_weights()
        old_next = torch.rand(4)
        torch.manual_seed(5)
        new = TinyC3D(channels=(4, 6, 8, 8))
        if init:
            new.init_weights()
        torch.testing.assert_close(torch.rand(4), old_next, rtol=0, atol=0)
        converted = TinyC3D(channels=(4, 6, 8, 8))
        converted.load_state_dict(old.state_dict())
        for key, value in converted.state_dict().items():
            assert torch.equal(new.state_dict()[key], value), (init, key)
