"""The contrastive losses equal seed 001's formulas, computed naively."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmhar_robust.models import ViewContrastiveLoss


def _h(a, b, t):
    return math.exp(F.cosine_similarity(a, b, dim=0).item() / t)


def _naive(o, n, t):
    """-log h(o_i,n_i) / (sum_k h(o_i,n_k) + sum_{k!=i} h(o_i,o_k)), mean."""
    total = 0.0
    for i in range(len(o)):
        num = _h(o[i], n[i], t)
        den = sum(_h(o[i], n[k], t) for k in range(len(o)))
        den += sum(_h(o[i], o[k], t) for k in range(len(o)) if k != i)
        total += -math.log(num / den)
    return total / len(o)


def test_instance_and_group_losses_match_the_formulas():
    g = torch.Generator().manual_seed(0)
    o, n = torch.randn(6, 5, generator=g), torch.randn(6, 5, generator=g)
    labels = torch.tensor([0, 2, 0, 1, 2, 2])
    loss = ViewContrastiveLoss(
        temperature=0.5, loss_weight_inst=2.0, loss_weight_group=0.3)
    inst, group = loss(o, n, labels)
    assert inst.item() == pytest.approx(2.0 * _naive(o, n, 0.5), rel=1e-5)
    on, nn_ = F.normalize(o, dim=1), F.normalize(n, dim=1)
    go = torch.stack([on[labels == c].mean(0) for c in (0, 1, 2)])
    gn = torch.stack([nn_[labels == c].mean(0) for c in (0, 1, 2)])
    assert group.item() == pytest.approx(0.3 * _naive(go, gn, 0.5), rel=1e-5)


def test_aligned_views_give_lower_loss_than_shuffled():
    g = torch.Generator().manual_seed(1)
    o = torch.randn(8, 16, generator=g)
    labels = torch.arange(8) % 4
    loss = ViewContrastiveLoss(temperature=0.1)
    aligned, _ = loss(o, o + 0.01 * torch.randn(8, 16, generator=g), labels)
    shuffled, _ = loss(o, o[torch.randperm(8, generator=g)], labels)
    assert aligned < shuffled


def test_gradients_flow_to_both_views():
    o = torch.randn(4, 3, requires_grad=True)
    n = torch.randn(4, 3, requires_grad=True)
    inst, group = ViewContrastiveLoss()(o, n, torch.tensor([0, 0, 1, 1]))
    (inst + group).backward()
    assert o.grad.abs().sum() > 0 and n.grad.abs().sum() > 0


def test_bad_temperature():
    with pytest.raises(ValueError, match='temperature'):
        ViewContrastiveLoss(temperature=0)
