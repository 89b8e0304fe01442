"""DSTformer: shapes, the release's forward pass (checked against a
functional re-implementation of MotionBERT's on the same weights), the
frozen 3D-pose head, and its input errors."""
import importlib.util
import os.path as osp
import sys

import pytest
import torch

import mmhar_robust  # noqa: F401  (registers DSTformer)
from mmhar_robust.registry import MODELS

from conftest import ROOT


def _release():
    """tests/models/utils/motionbert_release.py (facts and reference)."""
    if 'motionbert_release' not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            'motionbert_release',
            osp.join(ROOT, 'tests', 'models', 'utils',
                     'motionbert_release.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules['motionbert_release'] = module
    return sys.modules['motionbert_release']


def _small():
    release = _release()
    model = MODELS.build(release.SMALL_BACKBONE).eval()
    # random (not the zero/0.5 init) fusion weights, so both streams matter
    state = {'backbone.' + k: v for k, v in release.fake_state(
        release.backbone_shapes(**release.SMALL), seed=3).items()}
    model.load_state_dict({k[len('backbone.'):]: v for k, v in state.items()})
    return model, state


def _x(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_forward_shapes():
    model, _ = _small()
    assert model(_x(2, 2, 10, 17, 3)).shape == (2, 2, 10, 17, 24)
    assert model.get_representation(_x(3, 16, 17, 3)).shape == (3, 16, 17, 24)


def test_forward_is_the_releases():
    model, state = _small()
    x = _x(2, 2, 12, 17, 3)
    head = _release().fake_state(_release().head_shapes(**_release().SMALL))
    rep, _ = _release().reference_action_net(
        dict(state, **{'head.' + k: v for k, v in head.items()}), x,
        num_heads=4)
    with torch.no_grad():
        torch.testing.assert_close(model(x), rep, rtol=1e-5, atol=1e-5)


def test_persons_are_independent():
    model, _ = _small()
    x = _x(1, 2, 8, 17, 3)
    with torch.no_grad():
        both = model(x)
        alone = model(x[:, 1:])
    torch.testing.assert_close(both[:, 1:], alone)


def test_release_initialisation():
    model = MODELS.build(_release().SMALL_BACKBONE)
    for fuse in model.ts_attn:  # the streams start equally weighted
        assert torch.all(fuse.weight == 0) and torch.all(fuse.bias == 0.5)
    assert torch.all(model.norm.weight == 1)
    assert 0 < model.temp_embed.std() < 0.03  # trunc normal, std 0.02


def test_pose_head_is_frozen():
    model = MODELS.build(_release().SMALL_BACKBONE).train()
    model(_x(1, 2, 4, 17, 3)).sum().backward()
    assert not any(p.requires_grad for p in model.head.parameters())
    assert model.head.weight.grad is None
    assert model.joints_embed.weight.grad is not None


def test_clip_longer_than_maxlen_is_refused():
    model, _ = _small()
    with pytest.raises(ValueError, match='17 frames, more than its maxlen 16'):
        model(_x(1, 2, 17, 17, 3))


@pytest.mark.parametrize('shape', [(2, 8, 17, 3), (1, 2, 8, 17, 2),
                                   (1, 2, 8, 25, 3)])
def test_bad_input_shape_is_refused(shape):
    model, _ = _small()
    with pytest.raises(ValueError, match='DSTformer expects'):
        model(_x(*shape))
