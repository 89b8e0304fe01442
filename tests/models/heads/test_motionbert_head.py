"""MotionBERTHead: the head's pooling by hand, and the whole recognizer
against a functional re-implementation of MotionBERT's ActionNet."""
import importlib.util
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401  (registers the models)
from mmhar_robust.compat.action_data_sample import pred_score
from mmhar_robust.registry import MODELS

from conftest import ROOT

init_default_scope('mmaction')


def _release():
    if 'motionbert_release' not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            'motionbert_release',
            osp.join(ROOT, 'tests', 'models', 'utils',
                     'motionbert_release.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules['motionbert_release'] = module
    return sys.modules['motionbert_release']


def _x(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_head_pools_time_then_joints_then_persons():
    head = MODELS.build(dict(type='MotionBERTHead', num_classes=3,
                             in_channels=2, num_joints=17, hidden_dim=4))
    head.eval()
    feat = _x(2, 2, 5, 17, 2)
    f = feat.numpy().astype(np.float64)
    pooled = np.zeros((2, 34))
    for n in range(2):
        for j in range(17):
            for c in range(2):  # joint-major flattening
                pooled[n, 2 * j + c] = f[n, :, :, j, c].mean()
    w1, b1 = head.fc1.weight.detach().double().numpy(), \
        head.fc1.bias.detach().double().numpy()
    hidden = pooled @ w1.T + b1
    bn = head.bn
    hidden = (hidden - bn.running_mean.double().numpy()) / np.sqrt(
        bn.running_var.double().numpy() + bn.eps)
    hidden = np.maximum(hidden * bn.weight.detach().double().numpy() +
                        bn.bias.detach().double().numpy(), 0)
    logits = hidden @ head.fc2.weight.detach().double().numpy().T + \
        head.fc2.bias.detach().double().numpy()
    with torch.no_grad():
        np.testing.assert_allclose(head(feat).double().numpy(), logits,
                                   rtol=1e-5, atol=1e-6)


def test_head_names_load_as_the_releases():
    head = MODELS.build(dict(type='MotionBERTHead', num_classes=60))
    assert [(k, tuple(v.shape)) for k, v in head.state_dict().items()] == \
        _release().head_shapes(**_release().RELEASE)


def test_bad_features_are_refused():
    head = MODELS.build(dict(type='MotionBERTHead', num_classes=3,
                             in_channels=8))
    with pytest.raises(ValueError, match=r'\(N, M, T, 17, 8\)'):
        head(_x(2, 5, 17, 8))


def _recognizer_and_release_state():
    release = _release()
    model = MODELS.build(release.SMALL_RECOGNIZER).eval()
    official = release.fake_action_checkpoint(seed=5, **release.SMALL)
    state = {k[len('module.'):]: v for k, v in official['model'].items()}
    model.load_state_dict({
        k.replace('head.', 'cls_head.', 1) if k.startswith('head.') else k: v
        for k, v in state.items()}, strict=True)
    return model, state


def test_recognizer_gives_actionnets_logits():
    model, state = _recognizer_and_release_state()
    x = _x(3, 2, 12, 17, 3)
    _, expected = _release().reference_action_net(state, x, num_heads=4)
    with torch.no_grad():
        # RecognizerGCN takes (N, num_clips, M, T, J, C)
        logits, _ = model.extract_feat(x[:, None], stage='head')
        tensor = model(x[:, None], mode='tensor', stage='head')
    torch.testing.assert_close(logits, expected, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(tensor, expected, rtol=1e-4, atol=1e-5)


def test_recognizer_loss_and_predict():
    model, _ = _recognizer_and_release_state()
    x = _x(2, 1, 2, 8, 17, 3)
    samples = [ActionDataSample().set_gt_label(i) for i in (1, 4)]
    model.train()
    losses = model(x, samples, mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    losses['loss_cls'].backward()
    assert model.cls_head.fc1.weight.grad is not None
    model.eval()
    with torch.no_grad():
        preds = model(x, samples, mode='predict')
        logits = model(x, mode='tensor', stage='head')
    for pred, row in zip(preds, logits):  # average_clips="score": raw scores
        torch.testing.assert_close(pred_score(pred).reshape(-1), row)
