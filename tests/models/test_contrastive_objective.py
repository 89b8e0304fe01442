"""Seed 001's objective through the recognizer, against a direct loop-based
implementation of its formulas, and the neck in the training path."""
import pytest
import torch
import torch.nn.functional as F
from contrastive_tiny import tiny_batch, tiny_model, total

from mmhar_robust.compat import pred_score

TEMPERATURE, GAMMA1, GAMMA2 = 0.5, 1.0, 0.3


def _nt_xent(clean, noisy):
    """SimCLR's NT-Xent, one anchor at a time."""
    vectors = list(clean) + list(noisy)
    n = len(clean)
    terms = []
    for i, anchor in enumerate(vectors):
        sims = [
            torch.exp(F.cosine_similarity(anchor, v, dim=0) / TEMPERATURE)
            for v in vectors
        ]
        den = sum(s for k, s in enumerate(sims) if k != i)
        terms.append(-torch.log(sims[(i + n) % (2 * n)] / den))
    return sum(terms) / (2 * n)


def _group(clean, noisy):
    """Group each view by its own argmax, average, keep the classes in both
    views, NT-Xent on the means; 0 below two classes."""
    means = []
    for view in (clean, noisy):
        members = {}
        for p in view:
            members.setdefault(int(p.argmax()), []).append(p)
        means.append({c: sum(ps) / len(ps) for c, ps in members.items()})
    common = [c for c in means[0] if c in means[1]]
    if len(common) < 2:
        return torch.zeros(())
    return _nt_xent([means[0][c] for c in common],
                    [means[1][c] for c in common])


def _reference(logits, labels):
    """CE(clean) and the two contrastive terms of seed 001 on interleaved
    (clean, noisy) logits: softmax probabilities, clean detached."""
    clean_logits, noisy_logits = logits[0::2], logits[1::2]
    ce = sum(-torch.log_softmax(row, dim=0)[y]
             for row, y in zip(clean_logits, labels)) / len(labels)
    clean = [row.softmax(0).detach() for row in clean_logits]
    noisy = [row.softmax(0) for row in noisy_logits]
    return ce, _nt_xent(clean, noisy), _group(clean, noisy)


def _capture_logits(model):
    seen = []
    model.cls_head.register_forward_hook(lambda m, i, out: seen.append(out))
    return seen


def test_softmax_objective_matches_the_formulas():
    labels = [0, 3, 1, 3, 2, 4]
    model = tiny_model('softmax')
    assert not hasattr(model, 'projector')  # nothing but the classifier
    inputs, samples = tiny_batch(labels)
    seen = _capture_logits(model)
    losses = model.loss(inputs, samples)
    logits, = seen
    ce, inst, group = _reference(logits, labels)
    assert group.item() > 0  # several predicted classes in both views
    assert losses['loss_cls'].item() == pytest.approx(ce.item(), rel=1e-5)
    assert losses['loss_inst'].item() == pytest.approx(
        GAMMA1 * inst.item(), rel=1e-5)
    assert losses['loss_group'].item() == pytest.approx(
        GAMMA2 * group.item(), rel=1e-5)

    # Gradients: the clean view's only path is the cross-entropy.
    ours = torch.autograd.grad(
        losses['loss_inst'] + losses['loss_group'], logits,
        retain_graph=True)[0]
    expected = torch.autograd.grad(GAMMA1 * inst + GAMMA2 * group, logits)[0]
    assert ours[0::2].abs().max() == 0
    torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-7)
    grad_ce = torch.autograd.grad(losses['loss_cls'], logits)[0]
    assert grad_ce[1::2].abs().max() == 0 and grad_ce[0::2].abs().max() > 0


def test_projection_variant_uses_the_projector_and_both_views():
    model = tiny_model('projection', proj_channels=8)
    inputs, samples = tiny_batch([0, 3, 1, 3, 0, 1])
    seen = _capture_logits(model)
    losses = model.loss(inputs, samples)
    assert losses['loss_group'] > 0  # three label groups
    logits, = seen
    contrast = losses['loss_inst'] + losses['loss_group']
    assert torch.autograd.grad(
        contrast, logits, retain_graph=True, allow_unused=True)[0] is None
    contrast.backward()
    assert model.projector[2].weight.grad.shape == (8, 16)
    grad = model.backbone.stages[0][0].conv.weight.grad
    assert grad is not None and grad.abs().sum() > 0


def test_bad_representation():
    with pytest.raises(ValueError, match='representation'):
        tiny_model('logits')


NECK = dict(type='ContrastiveTestNeck')


def test_the_neck_is_in_the_training_path():
    model = tiny_model('softmax', neck=NECK)
    inputs, samples = tiny_batch([0, 3, 1, 3])
    calls = []
    model.neck.register_forward_hook(
        lambda m, i, out: calls.append(i[0].shape[0]))
    losses = model.loss(inputs, samples)
    assert calls == [8]  # both views, one fused call
    assert 'loss_aux_neck' in losses
    # The classifier's loss alone reaches the neck's conv: the main path
    # goes through the neck, as in predict().
    grad = torch.autograd.grad(
        losses['loss_cls'], model.neck.conv.weight, retain_graph=True)[0]
    assert grad.abs().sum() > 0
    total(losses).backward()
    assert model.neck.aux.weight.grad.abs().sum() > 0


def test_training_and_prediction_see_the_same_features():
    """In eval mode (no dropout, running BN statistics) the training loss is
    the cross-entropy of head(neck(backbone(clean view)))."""
    labels = [0, 3, 1, 3]
    model = tiny_model('softmax', neck=NECK).eval()
    inputs, samples = tiny_batch(labels)
    with torch.no_grad():
        losses = model.loss(inputs, samples)
        feats, _ = model.neck(model.backbone(inputs[:, 0]))
        expected = F.cross_entropy(model.cls_head(feats), torch.tensor(labels))
        # predict() goes through the same neck.
        preds = model.predict(inputs[:, :1], samples)
    assert losses['loss_cls'].item() == pytest.approx(
        expected.item(), rel=1e-5)
    scores = torch.stack([pred_score(p).reshape(-1) for p in preds])
    # (average_clips=None: raw scores)
    torch.testing.assert_close(scores, model.cls_head(feats))


def test_gcn_recognizer_refuses_a_neck():
    from mmaction.registry import MODELS
    with pytest.raises(ValueError, match='neck'):
        MODELS.build(
            dict(
                type='ContrastiveRecognizerGCN',
                backbone=dict(type='STGCN', graph_cfg=dict(layout='coco')),
                cls_head=dict(type='GCNHead', num_classes=3, in_channels=256),
                neck=NECK))
