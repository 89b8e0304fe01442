"""Contrastive training step time / supervised step time, side by side.

Both models are built from the CPU demo configs and trained on the same fixed
batch (forward, backward, optimizer step), alternating supervised and
contrastive steps so that machine noise hits both alike. Two views double the
backbone's work, so 2.0 is the floor; the target is <= 2.1.

    python benchmarks/bench_contrastive_step.py [--steps 20] [--batch 16]
"""
import argparse
import os.path as osp
import time

import mmhar_robust  # noqa: F401
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from mmhar_robust.compat import with_gt_label

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = osp.join(ROOT, 'configs', 'skeleton', 'posec3d')
SUPERVISED = 'slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py'
CONTRASTIVE = ('slowonly_r50-tiny_contrastive-a0.025-g5-g1_1xb8-u16-3e_'
               'synthetic-xsub-keypoint.py')


def build(config: str):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    model.train()
    return model, torch.optim.AdamW(model.parameters(), lr=1e-3)


def step(model, optim, clips, samples) -> float:
    start = time.perf_counter()
    data = model.data_preprocessor(
        dict(inputs=list(clips), data_samples=samples), training=True)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    loss = sum(v for k, v in losses.items() if k.startswith('loss'))
    optim.zero_grad()
    loss.backward()
    optim.step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument(
        '--batch',
        type=int,
        default=8,
        help='the demo configs train with batches of 8')
    args = parser.parse_args()
    torch.manual_seed(0)
    sup, sup_opt = build(SUPERVISED)
    con, con_opt = build(CONTRASTIVE)
    n = args.batch
    one_view = torch.rand(n, 1, 17, 16, 32, 32)
    two_views = torch.cat(
        [one_view, one_view + 0.05 * torch.rand_like(one_view)], dim=1)
    samples = [with_gt_label(ActionDataSample(), i % 13) for i in range(n)]
    for _ in range(3):  # warm-up
        step(sup, sup_opt, one_view, samples)
        step(con, con_opt, two_views, samples)
    t_sup, t_con = [], []
    for _ in range(args.steps):
        t_sup.append(step(sup, sup_opt, one_view, samples))
        t_con.append(step(con, con_opt, two_views, samples))
    t_sup.sort()
    t_con.sort()
    med_sup, med_con = t_sup[len(t_sup) // 2], t_con[len(t_con) // 2]
    print(f'batch {n}, {args.steps} alternating steps, '
          f'{torch.get_num_threads()} threads')
    print(f'supervised step   (median): {med_sup * 1000:8.1f} ms')
    print(f'contrastive step  (median): {med_con * 1000:8.1f} ms')
    print(f'ratio contrastive / supervised: {med_con / med_sup:.2f} '
          '(floor 2.0, target <= 2.1)')


if __name__ == '__main__':
    main()
