"""MotionBERT (the Lite config's model, narrowed) trains under DDP: two
iterations in 2 gloo processes on the CPU, through MMEngine's
``MMDistributedDataParallel.train_step`` without ``find_unused_parameters``
(the DSTformer's unused 3D-pose ``head`` is frozen), and every rank ends with
the weights of one process that averages the ranks' gradients itself."""
import os
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmhar_robust.registry import MODELS

from conftest import ROOT

WORLD = 2
ITERS = 2
PER_RANK = 3
LITE = osp.join(
    ROOT, 'configs', 'skeleton', 'motionbert',
    'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
    'keypoint.py')


def _model():
    """The Lite model at width 32 on 8-frame clips, no dropout (the ranks
    and the reference would draw different masks), seeded weights."""
    init_default_scope('mmaction')
    cfg = Config.fromfile(LITE).model
    cfg.backbone.update(dim_feat=32, dim_rep=32, mlp_ratio=2, maxlen=8)
    cfg.cls_head.update(in_channels=32, hidden_dim=32, dropout_ratio=0.)
    model = MODELS.build(cfg)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Linear):
                torch.nn.init.normal_(module.weight, std=0.1, generator=gen)
                torch.nn.init.normal_(module.bias, std=0.1, generator=gen)
        for embed in (model.backbone.temp_embed, model.backbone.pos_embed):
            torch.nn.init.normal_(embed, std=0.1, generator=gen)
    return model.train()


def _batch(iteration, rank):
    """The data batch of one rank at one iteration."""
    gen = torch.Generator().manual_seed(100 * iteration + rank)
    inputs = torch.rand(PER_RANK, 1, 2, 8, 17, 3, generator=gen) * 2 - 1
    labels = torch.randint(13, (PER_RANK, ), generator=gen)
    samples = [ActionDataSample().set_gt_label(int(y)) for y in labels]
    return dict(inputs=list(inputs), data_samples=samples)


def _optimizer(model):
    # SGD: an update proportional to the gradient. Adam's m / sqrt(v) turns
    # a gradient of 1e-10 whose sign depends on the order of the summation
    # (all-reduce vs one process) into a full step of either sign.
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def _worker(rank: int, init_file: str, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'file://{init_file}', rank=rank, world_size=WORLD)
    try:
        model = MMDistributedDataParallel(module=_model())
        wrapper = OptimWrapper(_optimizer(model))
        for iteration in range(ITERS):
            model.train_step(_batch(iteration, rank), wrapper)
        torch.save(model.module.state_dict(),
                   os.path.join(out_dir, f'rank{rank}.pt'))
    finally:
        dist.destroy_process_group()


def _reference():
    """One process: each rank's loss backpropagated on its own (BatchNorm
    statistics per rank, as DDP has them), gradients averaged, one step."""
    model = _model()
    optimizer = _optimizer(model)
    for iteration in range(ITERS):
        optimizer.zero_grad()
        for rank in range(WORLD):
            data = model.data_preprocessor(_batch(iteration, rank), True)
            loss, _ = model.parse_losses(model(**data, mode='loss'))
            (loss / WORLD).backward()
        optimizer.step()
    return model.state_dict()


@pytest.mark.slow  # 12-20 s on 2 busy cores: each rank imports mmaction2
def test_two_rank_gloo_training_equals_averaged_gradients(tmp_path):
    # Spawned, not forked: a fork after torch has run its thread pools in
    # this process (earlier tests) can hang.
    mp.spawn(
        _worker,
        args=(str(tmp_path / 'init'), str(tmp_path)),
        nprocs=WORLD,
        join=True)
    ranks = [torch.load(tmp_path / f'rank{r}.pt') for r in range(WORLD)]
    start, expected = _model().state_dict(), _reference()
    # Parameters only: BatchNorm's running statistics stay per rank (DDP
    # broadcasts rank 0's before each forward), not averaged.
    parameters = [name for name, _ in _model().named_parameters()]
    for name in parameters:
        value = expected[name]
        for rank in ranks:
            torch.testing.assert_close(
                rank[name], value, rtol=1e-4, atol=1e-5, msg=name)
    assert not torch.equal(ranks[0]['backbone.joints_embed.weight'],
                           start['backbone.joints_embed.weight'])
    assert torch.equal(ranks[0]['backbone.head.weight'],
                       start['backbone.head.weight'])  # frozen
