"""ViewContrastiveLoss equals NT-Xent and seed 001's group term, computed
naively (loop by loop, in plain Python floats)."""
import math
from collections import defaultdict

import pytest
import torch

from mmhar_robust.models import ViewContrastiveLoss


def _cos(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def naive_nt_xent(clean, noisy, t):
    """SimCLR's NT-Xent over the 2n vectors: each (clean_i, noisy_i) pair is
    positive, the other 2n - 2 vectors negative; mean over the 2n anchors."""
    vectors = [list(map(float, v)) for v in list(clean) + list(noisy)]
    n = len(clean)
    total = 0.0
    for i, anchor in enumerate(vectors):
        positive = (i + n) % (2 * n)
        num = math.exp(_cos(anchor, vectors[positive]) / t)
        den = sum(
            math.exp(_cos(anchor, other) / t)
            for k, other in enumerate(vectors) if k != i)
        total += -math.log(num / den)
    return total / (2 * n)


def naive_group(clean, noisy, clean_groups, noisy_groups, t):
    """Group each view by its own ids (-1: no group), average, keep the
    groups in both views, NT-Xent on the means (0 below two groups)."""
    members_c, members_n = defaultdict(list), defaultdict(list)
    for v, g in zip(clean, clean_groups):
        if g >= 0:
            members_c[int(g)].append([float(x) for x in v])
    for v, g in zip(noisy, noisy_groups):
        if g >= 0:
            members_n[int(g)].append([float(x) for x in v])
    common = [g for g in members_c if g in members_n]
    if len(common) < 2:
        return 0.0

    def mean(rows):
        return [sum(col) / len(rows) for col in zip(*rows)]

    return naive_nt_xent([mean(members_c[g]) for g in common],
                         [mean(members_n[g]) for g in common], t)


def test_instance_and_group_terms_match_the_naive_formulas():
    g = torch.Generator().manual_seed(0)
    o, n = torch.randn(7, 5, generator=g), torch.randn(7, 5, generator=g)
    # Groups differ between the views; 4 is only clean, 3 only noisy, and
    # -1 rows join no group.
    cg = torch.tensor([0, 2, 0, 1, 2, 4, -1])
    ng = torch.tensor([0, 2, 1, 1, 3, 2, 0])
    loss = ViewContrastiveLoss(
        temperature=0.5, loss_weight_inst=2.0, loss_weight_group=0.3)
    inst, group = loss(o, n, cg, ng)
    assert inst.item() == pytest.approx(
        2.0 * naive_nt_xent(o, n, 0.5), rel=1e-5)
    expected = naive_group(o, n, cg, ng, 0.5)
    assert expected > 0
    assert group.item() == pytest.approx(0.3 * expected, rel=1e-5)


def test_probability_vectors_and_one_group_list():
    """Softmax inputs (seed 001's representation); one list of ids serves
    both views (the labels of the projection variant)."""
    g = torch.Generator().manual_seed(1)
    o = torch.randn(6, 4, generator=g).softmax(1)
    n = torch.randn(6, 4, generator=g).softmax(1)
    ids = torch.tensor([3, 3, 1, -1, 0, 1])
    inst, group = ViewContrastiveLoss()(o, n, ids)
    assert inst.item() == pytest.approx(naive_nt_xent(o, n, 0.5), rel=1e-5)
    assert group.item() == pytest.approx(
        naive_group(o, n, ids, ids, 0.5), rel=1e-5)


@pytest.mark.parametrize(
    'cg, ng', [
        ([1, 1, 1, 1], [1, 1, 1, 1]),
        ([0, 1, 0, 1], [2, 3, 2, 3]),
        ([-1, -1, -1, -1], [0, 1, 2, 3]),
        ([0, 1, 2, 2], [0, 0, 0, 3]),
    ],
    ids=['one-group', 'disjoint', 'no-clean-group', 'one-shared'])
def test_group_term_is_zero_below_two_shared_groups(cg, ng):
    o = torch.randn(4, 3, requires_grad=True)
    n = torch.randn(4, 3, requires_grad=True)
    inst, group = ViewContrastiveLoss()(o, n, torch.tensor(cg),
                                        torch.tensor(ng))
    assert group.item() == 0 and inst.item() > 0
    (inst + group).backward()  # still part of the graph
    assert n.grad.abs().sum() > 0


def test_a_detached_clean_view_gets_no_gradient():
    o = torch.randn(4, 3, requires_grad=True)
    n = torch.randn(4, 3, requires_grad=True)
    ids = torch.tensor([0, 0, 1, 1])
    inst, group = ViewContrastiveLoss()(o.detach(), n, ids)
    (inst + group).backward()
    assert o.grad is None and n.grad.abs().sum() > 0
    inst, group = ViewContrastiveLoss()(o, n, ids)
    (inst + group).backward()
    assert o.grad.abs().sum() > 0


def test_aligned_views_give_lower_loss_than_shuffled():
    g = torch.Generator().manual_seed(1)
    o = torch.randn(8, 16, generator=g)
    ids = torch.arange(8) % 4
    loss = ViewContrastiveLoss(temperature=0.1)
    aligned, _ = loss(o, o + 0.01 * torch.randn(8, 16, generator=g), ids)
    shuffled, _ = loss(o, o[torch.randperm(8, generator=g)], ids)
    assert aligned < shuffled


def test_defaults_are_seed_001s():
    loss = ViewContrastiveLoss()
    assert (loss.temperature, loss.loss_weight_inst,
            loss.loss_weight_group) == (0.5, 1.0, 1.0)


def test_bad_temperature():
    with pytest.raises(ValueError, match='temperature'):
        ViewContrastiveLoss(temperature=0)


def test_group_ids_stay_integers_past_float32_precision():
    # 2 ** 24 + 1 has no float32: a float round trip merged it with 2 ** 24.
    g = torch.Generator().manual_seed(2)
    o, n = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g)
    big = 2**24
    ids = torch.tensor([big, big + 1, big, big + 1])
    for gather in (True, False):
        _, group = ViewContrastiveLoss(gather=gather)(o, n, ids)
        expected = naive_group(o, n, ids.tolist(), ids.tolist(), 0.5)
        assert expected > 0
        assert group.item() == pytest.approx(expected, rel=1e-5)
