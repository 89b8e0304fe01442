"""Under DDP (2 processes, gloo, CPU) the contrastive negatives come from every
rank: losses and gradients equal a single-process run on the whole batch."""
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
            torch.tensor([0, 1, 2, 0, 1, 1, 3, 0]))


def _worker(rank: int, init_file: str, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'file://{init_file}', rank=rank, world_size=WORLD)
    try:
        clean, noisy, labels = _batch()
        part = slice(rank * 4, rank * 4 + 4)
        o = clean[part].clone().requires_grad_()
        n = noisy[part].clone().requires_grad_()
        inst, group = ViewContrastiveLoss(temperature=0.2)(o, n, labels[part])
        (inst + group).backward()
        torch.save(
            dict(
                inst=inst.detach(),
                group=group.detach(),
                grad_o=o.grad,
                grad_n=n.grad), os.path.join(out_dir, f'rank{rank}.pt'))
    finally:
        dist.destroy_process_group()


def test_two_rank_gloo_matches_single_process(tmp_path):
    mp.spawn(
        _worker,
        args=(str(tmp_path / 'init'), str(tmp_path)),
        nprocs=WORLD,
        join=True)
    ranks = [torch.load(tmp_path / f'rank{r}.pt') for r in range(WORLD)]

    clean, noisy, labels = _batch()
    o, n = clean.clone().requires_grad_(), noisy.clone().requires_grad_()
    inst, group = ViewContrastiveLoss(temperature=0.2)(o, n, labels)
    (inst + group).backward()

    # DDP averages over ranks: the mean of the rank losses is the full loss.
    mean_inst = sum(r['inst'] for r in ranks) / WORLD
    assert mean_inst.item() == pytest.approx(inst.item(), rel=1e-5)
    for r in ranks:  # class means are global, so every rank agrees
        assert r['group'].item() == pytest.approx(group.item(), rel=1e-5)
    # ... and so are the gradients after DDP's averaging.
    grad_o = torch.cat([r['grad_o'] for r in ranks]) / WORLD
    grad_n = torch.cat([r['grad_n'] for r in ranks]) / WORLD
    torch.testing.assert_close(grad_o, o.grad, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(grad_n, n.grad, rtol=1e-4, atol=1e-6)


def test_without_gather_each_rank_sees_only_its_own_negatives(tmp_path):
    """A control: the single-process loss on half the batch differs from the
    full-batch one, so the test above does check the gathering."""
    clean, noisy, labels = _batch()
    loss = ViewContrastiveLoss(temperature=0.2)
    half, _ = loss(clean[:4], noisy[:4], labels[:4])
    full, _ = loss(clean, noisy, labels)
    assert abs(half.item() - full.item()) > 1e-3
