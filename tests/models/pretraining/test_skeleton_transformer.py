"""The encoder as a RecognizerGCN backbone: layout, attention axes, frozen
linear probing."""
import pytest
import torch
from pretraining_tiny import tiny_backbone

from mmhar_robust.models.pretraining import AxisTransformer


def build(**kwargs):
    from mmaction.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_backbone(**kwargs))


def test_patchify_concatenates_the_frames_of_a_segment_per_joint():
    model = build(patch_size=2)
    x = torch.arange(8 * 5 * 3, dtype=torch.float32).reshape(1, 8, 5, 3)
    patches = model.patchify(x)
    assert patches.shape == (1, 4, 5, 6)
    # token (segment 1, joint 3) = frame 2 joint 3, then frame 3 joint 3
    torch.testing.assert_close(patches[0, 1, 3],
                               torch.cat([x[0, 2, 3], x[0, 3, 3]]))


@pytest.mark.parametrize('mode', ['spatial', 'temporal', 'spatiotemporal'])
def test_output_is_what_gcn_head_pools(mode):
    model = build(mode=mode)
    out = model(torch.randn(2, 2, 8, 5, 3))
    assert out.shape == (2, 2, 16, 4, 5)


def test_spatial_layers_do_not_mix_time_steps():
    """A spatial encoder's features at segment 0 ignore the other
    segments; a temporal one's do not."""
    x = torch.randn(1, 8, 5, 3)
    y = x.clone()
    y[:, 2:] += 1.0
    for mode, mixes in (('spatial', False), ('temporal', True)):
        model = build(mode=mode).eval()
        a = model.encode(model.patchify(x))[:, 0]
        b = model.encode(model.patchify(y))[:, 0]
        assert (not torch.allclose(a, b)) == mixes, mode


def test_ignored_tokens_do_not_reach_the_others():
    blocks = AxisTransformer(8, depth=2, num_heads=2,
                             mode='spatiotemporal').eval()
    x = torch.randn(2, 3, 4, 8)
    ignore = torch.zeros(2, 3, 4, dtype=torch.bool)
    ignore[0, 1, 2] = ignore[1, :, 0] = True
    y = x + 10.0 * ignore[..., None]
    a, b = blocks(x, ignore), blocks(y, ignore)
    torch.testing.assert_close(a[~ignore], b[~ignore])
    assert torch.isfinite(a).all()


def test_frozen_encoder_gets_no_gradient_and_stays_in_eval():
    model = build(frozen=True, dropout=0.5)
    model.train()
    assert not model.training and not model.blocks.training
    assert not any(p.requires_grad for p in model.parameters())
    out = model(torch.randn(1, 1, 8, 5, 3))
    assert not out.requires_grad
    x = torch.randn(1, 1, 8, 5, 3)  # dropout 0.5 would differ per call
    torch.testing.assert_close(model(x), model(x))


@pytest.mark.parametrize('kwargs, match', [
    (dict(clip_len=9, patch_size=2), 'multiple of patch_size'),
    (dict(mode='diagonal'), 'mode'),
    (dict(embed_dims=10, num_heads=4), 'divisible'),
])
def test_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(**kwargs)


def test_bad_input_is_named():
    model = build()
    with pytest.raises(ValueError, match=r'\(\.\.\., T, 5, 3\)'):
        model(torch.randn(1, 1, 8, 17, 3))
    with pytest.raises(ValueError, match='at most clip_len=8'):
        model(torch.randn(1, 1, 10, 5, 3))
