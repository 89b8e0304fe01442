"""Grad-CAM of MotionBERT's DSTformer (the Lite config, random weights):
joint tokens with the channels last are read on the right axes, the map is
one (T, 17) image per person in [0, 1], and it follows the input."""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmhar_robust.registry import DATASETS, MODELS
from mmhar_robust.visualization.cam import (CAMSession, ClipLayout,
                                            channels_last_features,
                                            compute_cam)
from mmhar_robust.visualization.cam.samples import dataset_sample, preprocess

from conftest import ROOT

LITE = osp.join(
    ROOT, 'configs', 'skeleton', 'motionbert',
    'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
    'keypoint.py')
FRAMES = 12  # != 17 joints != 2 persons != the channels: axes cannot swap


def _lite(seed=0):
    """The Lite config's model, every weight drawn from a seeded generator
    (not the global RNG)."""
    init_default_scope('mmaction')
    cfg = Config.fromfile(LITE)
    model = MODELS.build(cfg.model)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, std=0.1, generator=gen)
                nn.init.normal_(module.bias, std=0.1, generator=gen)
        for embed in (model.backbone.temp_embed, model.backbone.pos_embed):
            nn.init.normal_(embed, std=0.1, generator=gen)
    return model.eval(), cfg


def _inputs(seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.rand(1, 1, 2, FRAMES, 17, 3, generator=gen) * 2 - 1


def _gradient_times_activation(model, inputs, target):
    """GradCAM at ``backbone.pre_logits`` computed directly: channel weights
    are the target logit's gradient averaged over persons, frames and
    joints; the map is ReLU(sum_c w_c A_c), scaled to [0, 1] over the
    sample (as pytorch-grad-cam scales)."""
    store = {}
    handle = model.backbone.pre_logits.register_forward_hook(
        lambda module, args, out: store.setdefault('act', out))
    try:
        logits = model(inputs, mode='tensor', stage='head')
    finally:
        handle.remove()
    act = store['act']  # (M, T, J, C): one clip of one sample
    grad, = torch.autograd.grad(logits[0, target], act)
    weights = grad.mean(dim=(0, 1, 2))
    cam = torch.relu((act * weights).sum(dim=-1)).detach().numpy()
    cam = cam - cam.min()
    return cam / (cam.max() + 1e-7)


def test_the_dstformer_has_channels_last_tokens():
    model, _ = _lite()
    assert channels_last_features(model)
    layout = ClipLayout.of(_inputs(), 'gcn', channels_last=True)
    tokens = torch.arange(2 * FRAMES * 17 * 5.).reshape(2, FRAMES, 17, 5)
    maps = tokens.permute(0, 3, 1, 2)  # (M, C, T, V) by hand
    torch.testing.assert_close(layout.tokens_to_maps(tokens), maps)
    torch.testing.assert_close(
        layout.tokens_to_maps(tokens.reshape(2 * FRAMES, 17, 5)), maps)
    with pytest.raises(ValueError, match='multiple of the clip'):
        layout.tokens_to_maps(tokens.reshape(-1, 17, 5)[:-1])
    with pytest.raises(ValueError, match='channels_last applies to'):
        ClipLayout.of(torch.zeros(1, 1, 3, 4, 8, 8), 'rgb', True)


def test_gradcam_equals_gradient_times_activation():
    model, _ = _lite()
    inputs = _inputs()
    result = compute_cam(model, inputs)[0]
    assert result.layer == 'backbone.pre_logits'  # the default
    assert result.cam.shape == (1, 2, FRAMES, 17)  # (clips, M, T, V)
    expected = _gradient_times_activation(model, inputs.requires_grad_(),
                                          result.target)
    np.testing.assert_allclose(result.cam[0], expected, atol=1e-5)
    assert result.cam.max() == pytest.approx(1, abs=1e-5)
    assert result.cam.min() >= 0


def test_only_the_joint_the_head_reads_is_lit():
    """A head that reads one joint only (fc1's weights of the others zeroed):
    HiResCAM's element-wise gradient x activation is zero on every other
    joint and frame, whatever layer it is taken from."""
    model, _ = _lite()
    joint, channels = 5, model.cls_head.in_channels
    with torch.no_grad():
        weight = model.cls_head.fc1.weight.view(-1, 17, channels)
        keep = weight[:, joint].clone()
        weight.zero_()
        weight[:, joint] = keep
    for layer in ('backbone.pre_logits', 'backbone.norm'):
        cam = compute_cam(
            model, _inputs(), method='HiResCAM',
            target_layer=layer)[0].cam[0]  # (M, T, V)
        others = np.delete(cam, joint, axis=-1)
        assert np.abs(others).max() < 1e-6, layer
        assert cam[..., joint].max() == pytest.approx(1, abs=1e-5), layer


def test_block_tokens_give_a_map_per_joint_and_frame():
    model, _ = _lite()
    result = compute_cam(model, _inputs(), target_layer='backbone.blocks_st.0')
    assert result[0].cam.shape == (1, 2, FRAMES, 17)
    assert np.isfinite(result[0].cam).all() and result[0].cam.max() > 0


def test_lite_config_on_the_tiny_synthetic_set(tiny_synthetic):
    model, cfg = _lite()
    cfg.test_dataloader.dataset.ann_file = tiny_synthetic
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    samples = [dataset_sample(dataset, i) for i in (0, 4)]
    with CAMSession(model) as session:
        results = [session(preprocess(model, [s])[0])[0] for s in samples]
    for result in results:
        assert result.layer == 'backbone.pre_logits'
        assert result.cam.shape == (1, 2, 16, 17)  # 16-frame clips, H36M-17
        assert result.summary().shape == (16, 17)
        assert result.cam.min() >= 0
        assert result.cam.max() == pytest.approx(1, abs=1e-5)
        assert result.cam.std() > 0.01  # not constant
    # Another clip, another explanation.
    assert np.abs(results[0].cam - results[1].cam).max() > 0.05
