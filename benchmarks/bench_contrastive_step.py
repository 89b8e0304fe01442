"""Contrastive training step time / supervised step time, side by side.

The models are built from the CPU demo configs (the tiny PoseC3D on
17 x 16 x 32 x 32 heatmaps) and trained on the same fixed batch (forward,
backward, optimizer step), one step of each in turn so that machine noise hits
all alike: the supervised model, the contrastive model with seed 001's
objective (``representation='softmax'``, temperature 0.5) and with ours
(``representation='projection'``). Two views double the backbone's batch
(2N volumes instead of N); the target is a ratio <= 2.1.

    python benchmarks/bench_contrastive_step.py [--steps 20] [--batch 16]
"""
import argparse
import os.path as osp
import time
from typing import Optional

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


def build(config: str, representation: Optional[str] = None):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    init_default_scope('mmaction')
    # The configs render the heatmaps from keypoints in the data
    # preprocessor; this benchmark feeds ready heatmaps (the rendering is
    # bench_pose_target.py's), with the same channels-last layout.
    cfg.model.data_preprocessor = dict(
        type='ChannelsLastDataPreprocessor', format_shape='NCTHW')
    if representation is not None:  # whatever the config chose
        cfg.model.representation = representation
        cfg.model.contrastive_loss.temperature = 0.5
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
    models = {
        'supervised': build(SUPERVISED),
        'contrastive softmax (seed 001)': build(CONTRASTIVE, 'softmax'),
        'contrastive projection (ours)': build(CONTRASTIVE, 'projection'),
    }
    n = args.batch
    one_view = torch.rand(n, 1, 17, 16, 32, 32)
    two_views = torch.cat(
        [one_view, one_view + 0.05 * torch.rand_like(one_view)], dim=1)
    samples = [with_gt_label(ActionDataSample(), i % 13) for i in range(n)]
    inputs = {
        name: one_view if name == 'supervised' else two_views
        for name in models
    }
    times = {name: [] for name in models}
    for i in range(3 + args.steps):  # 3 warm-up rounds
        for name, (model, optim) in models.items():
            spent = step(model, optim, inputs[name], samples)
            if i >= 3:
                times[name].append(spent)
    medians = {name: sorted(t)[len(t) // 2] for name, t in times.items()}
    print(f'batch {n}, {args.steps} rounds of one step per model, '
          f'{torch.get_num_threads()} threads')
    base = medians['supervised']
    for name, med in medians.items():
        ratio = '' if name == 'supervised' else (
            f'   ratio to supervised {med / base:.2f}')
        print(f'{name:32s} median {med * 1000:8.1f} ms{ratio}')
    print('(target: ratio <= 2.1)')


if __name__ == '__main__':
    main()
