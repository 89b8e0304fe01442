"""Under DDP (2 processes, gloo, CPU) the contrastive negatives and group
members come from every rank: losses and gradients equal a single-process run
on the whole batch (seed 001 ran DataParallel, whose loss sees the whole
batch). Both variants: labels as groups (-1: unlabelled) with gradients
through both views, and seed 001's probabilities, clean view detached,
grouped by each view's argmax."""
import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmhar_robust.models import ViewContrastiveLoss

WORLD = 2


def _batch():
    g = torch.Generator().manual_seed(0)
    return (torch.randn(8, 6, generator=g), torch.randn(8, 6, generator=g),
            torch.tensor([0, 1, 2, 0, -1, 1, 3, 0]))


# Group ids that float32 cannot hold apart (2 ** 24 + 1 rounds to 2 ** 24):
# they travel between ranks as integers.
BIG = 2**24


def _losses(clean, noisy, labels, variant):
    """(inst, group) of one variant; gradients reach ``clean`` only in the
    labels variant."""
    loss = ViewContrastiveLoss(temperature=0.2)
    if variant == 'labels':
        return loss(clean, noisy, labels)
    if variant == 'big_labels':
        return loss(clean, noisy, torch.where(labels >= 0, labels + BIG, -1))
    p_clean, p_noisy = clean.softmax(1).detach(), noisy.softmax(1)
    return loss(p_clean, p_noisy, p_clean.argmax(1), p_noisy.argmax(1))


VARIANTS = ('labels', 'softmax', 'big_labels')


def _worker(rank: int, init_file: str, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'file://{init_file}', rank=rank, world_size=WORLD)
    try:
        clean, noisy, labels = _batch()
        part = slice(rank * 4, rank * 4 + 4)
        for variant in VARIANTS:
            o = clean[part].clone().requires_grad_()
            n = noisy[part].clone().requires_grad_()
            inst, group = _losses(o, n, labels[part], variant)
            (inst + group).backward()
            torch.save(
                dict(
                    inst=inst.detach(),
                    group=group.detach(),
                    grad_o=o.grad,
                    grad_n=n.grad), os.path.join(out_dir,
                                                 f'{variant}{rank}.pt'))
    finally:
        dist.destroy_process_group()


def test_two_rank_gloo_matches_single_process(tmp_path):
    mp.spawn(
        _worker,
        args=(str(tmp_path / 'init'), str(tmp_path)),
        nprocs=WORLD,
        join=True)
    clean, noisy, labels = _batch()
    for variant in VARIANTS:
        ranks = [
            torch.load(tmp_path / f'{variant}{r}.pt') for r in range(WORLD)
        ]
        o, n = clean.clone().requires_grad_(), noisy.clone().requires_grad_()
        inst, group = _losses(o, n, labels, variant)
        (inst + group).backward()
        assert group.item() > 0, variant  # the group term is exercised
        if variant == 'big_labels':  # only the ids differ from 'labels'
            _, small = _losses(clean, noisy, labels, 'labels')
            assert group.item() == pytest.approx(small.item(), rel=1e-6)

        # DDP averages over ranks: the mean of the rank losses is the full
        # loss.
        mean_inst = sum(r['inst'] for r in ranks) / WORLD
        assert mean_inst.item() == pytest.approx(inst.item(), rel=1e-5)
        for r in ranks:  # group means are global, so every rank agrees
            assert r['group'].item() == pytest.approx(group.item(), rel=1e-5)
        # ... and so are the gradients after DDP's averaging.
        grad_n = torch.cat([r['grad_n'] for r in ranks]) / WORLD
        torch.testing.assert_close(grad_n, n.grad, rtol=1e-4, atol=1e-6)
        if variant != 'softmax':
            grad_o = torch.cat([r['grad_o'] for r in ranks]) / WORLD
            torch.testing.assert_close(grad_o, o.grad, rtol=1e-4, atol=1e-6)
        else:
            assert o.grad is None and all(r['grad_o'] is None for r in ranks)


def test_without_gather_each_rank_sees_only_its_own_negatives(tmp_path):
    """A control: the single-process loss on half the batch differs from the
    full-batch one, so the test above does check the gathering."""
    clean, noisy, labels = _batch()
    for variant in VARIANTS:
        half, _ = _losses(clean[:4], noisy[:4], labels[:4], variant)
        full, _ = _losses(clean, noisy, labels, variant)
        assert abs(half.item() - full.item()) > 1e-3
