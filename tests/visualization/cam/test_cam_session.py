"""CAMSession: the model is left exactly as it was, wrappers are seen
through, targets and predictions follow MMAction2, shapes follow the input."""
import copy

import numpy as np
import pytest
import torch
import torch.nn as nn

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmaction.structures import ActionDataSample
from mmengine.model import is_model_wrapper

from mmhar_robust.visualization.cam import CAMSession, compute_cam, infer_kind

from cam_planted import GCN_MODEL, RGB_MODEL, build


def _rgb_inputs(n=2, clips=1, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, clips, 3, 8, 16, 16, generator=gen)


def _gcn_inputs(n=2, clips=1, persons=1, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, clips, persons, 12, 17, 3, generator=gen)


@pytest.fixture(params=['rgb', 'gcn'])
def model_and_inputs(request):
    if request.param == 'rgb':
        return build(RGB_MODEL), _rgb_inputs()
    return build(GCN_MODEL), _gcn_inputs()


def _hooks(model):
    return [(name, kind) for name, m in model.named_modules()
            for kind in ('_forward_hooks', '_forward_pre_hooks',
                         '_backward_hooks', '_backward_pre_hooks')
            if getattr(m, kind)]


def _snapshot(model):
    return dict(
        training={
            n: m.training
            for n, m in model.named_modules()
        },
        requires={
            n: p.requires_grad
            for n, p in model.named_parameters()
        },
        grads={
            n: None if p.grad is None else p.grad.clone()
            for n, p in model.named_parameters()
        },
        state=copy.deepcopy(model.state_dict()))


def _assert_unchanged(model, before):
    after = _snapshot(model)
    assert after['training'] == before['training']
    assert after['requires'] == before['requires']
    for name, grad in before['grads'].items():
        if grad is None:
            assert after['grads'][name] is None, name
        else:
            assert torch.equal(after['grads'][name], grad), name
    for name, value in before['state'].items():
        assert torch.equal(after['state'][name], value), name
    assert _hooks(model) == []


def _mixed_state(model):
    """Half in training mode, one frozen weight, one stale gradient."""
    model.train()
    model.cls_head.eval()
    params = list(model.parameters())
    params[0].requires_grad_(False)
    params[-1].grad = torch.full_like(params[-1], 3.0)
    return model


def test_model_left_exactly_as_it_was(model_and_inputs):
    model, inputs = model_and_inputs
    _mixed_state(model)
    assert _hooks(model) == []
    before = _snapshot(model)
    with CAMSession(model) as session:
        results = session(inputs)
        assert model.training is False  # explained in eval mode
    assert len(results) == 2 and results[0].cam.max() == pytest.approx(1)
    _assert_unchanged(model, before)


def test_model_restored_when_the_cam_fails(model_and_inputs):
    model, inputs = model_and_inputs
    _mixed_state(model)
    before = _snapshot(model)

    def broken_target(output):
        raise RuntimeError('target failed')

    with pytest.raises(RuntimeError, match='target failed'):
        compute_cam(model, inputs, broken_target)
    _assert_unchanged(model, before)


def test_session_only_inside_with():
    session = CAMSession(build(GCN_MODEL))
    with pytest.raises(RuntimeError, match='with'):
        session(_gcn_inputs())


def test_wrapped_model_gives_the_same_cam():
    model = build(RGB_MODEL).eval()
    wrapped = nn.DataParallel(model)  # in MMEngine's MODEL_WRAPPERS; CPU ok
    assert is_model_wrapper(wrapped)
    inputs = _rgb_inputs()
    plain = compute_cam(model, inputs)
    seen_through = compute_cam(wrapped, inputs)
    for a, b in zip(plain, seen_through):
        assert a.pred == b.pred
        np.testing.assert_allclose(a.cam, b.cam, atol=1e-6)
    assert _hooks(wrapped) == []


@pytest.mark.parametrize('kind', ['rgb', 'gcn'])
def test_prediction_is_mmactions_and_the_default_target(kind):
    model = build(RGB_MODEL if kind == 'rgb' else GCN_MODEL).eval()
    inputs = _rgb_inputs(3, 2) if kind == 'rgb' else _gcn_inputs(3, 2, 2)
    with torch.no_grad():
        predicted = model(
            inputs, [ActionDataSample() for _ in range(3)], mode='predict')
    expected = [int(p.pred_label) for p in predicted]
    results = compute_cam(model, inputs)
    assert [r.pred for r in results] == expected
    assert [r.target for r in results] == expected
    other = [(p + 1) % 3 for p in expected]
    assert [r.target for r in compute_cam(model, inputs, other)] == other


def test_each_sample_explained_alone_whatever_the_batch():
    model = build(GCN_MODEL).eval()
    inputs = _gcn_inputs(3, clips=2, persons=2)
    batch = compute_cam(model, inputs, 1)
    for i in range(3):
        alone = compute_cam(model, inputs[i:i + 1], 1)[0]
        np.testing.assert_allclose(batch[i].cam, alone.cam, atol=1e-5)


def test_cam_shapes_follow_the_input():
    rgb = compute_cam(build(RGB_MODEL), _rgb_inputs(2, clips=3))
    assert rgb[0].cam.shape == (3, 8, 16, 16)
    assert rgb[0].summary().shape == (8, 16, 16)
    gcn = compute_cam(build(GCN_MODEL), _gcn_inputs(1, clips=2, persons=2))
    assert gcn[0].cam.shape == (2, 2, 12, 17)  # (clips, M, T, V)
    assert gcn[0].summary().shape == (12, 17)
    np.testing.assert_allclose(gcn[0].summary(), gcn[0].cam.mean(0).max(0))


def test_kind_from_the_recognizer():
    assert infer_kind(build(RGB_MODEL)) == 'rgb'
    assert infer_kind(build(GCN_MODEL)) == 'gcn'
    heat = copy.deepcopy(RGB_MODEL)
    heat['backbone']['in_channels'] = 17
    assert infer_kind(build(heat)) == 'heatmap'
    with pytest.raises(ValueError, match='Recognizer3D'):
        infer_kind(nn.Linear(2, 2))


def test_bad_input_shape_is_named():
    with pytest.raises(ValueError, match=r'\(N, clips, M, T, V, C\)'):
        compute_cam(build(GCN_MODEL), torch.zeros(1, 2, 12, 17, 3))


def test_a_class_past_the_head_is_an_error_and_no_hook_is_left(
        model_and_inputs, capsys):
    # pytorch-grad-cam's context manager prints an IndexError and swallows
    # it; run_cam raises it again.
    model, inputs = model_and_inputs
    before = _snapshot(model)
    with pytest.raises(IndexError):
        compute_cam(model, inputs, targets=99)
    _assert_unchanged(model, before)
    with CAMSession(model) as session:
        with pytest.raises(IndexError):
            session(inputs, targets=[0, 99])
        assert _hooks(model) == []
        assert len(session(inputs, targets=[0, 1])) == 2  # still usable
    _assert_unchanged(model, before)
