"""P2: wall time of a 9-level Gaussian noise sweep / 9 x the model's forward
time over the same clips, measured side by side.

For each model (the demo's CPU PoseC3D on 17 x 16 x 32 x 32 heatmaps, and
seed 001's PoseC3D on 17 x 24 x 56 x 56, random weights) on the synthetic
set's test split:

- forward: the clean test batches, made beforehand and kept in memory, go
  through ``model.test_step`` (the data preprocessor, which renders the
  heatmaps, and the network), ``--repeats`` times; the median;
- sweep, one pass: ``NoiseSweepTestLoop`` with seed 001's nine levels, all
  from one read of each sample (the default), in a real ``Runner`` with
  ``--workers`` dataloader workers, so that loading overlaps the forwards;
- sweep, level by level: the same with ``conditions_per_pass=1``.

Ratio = sweep wall / (9 x forward), where the sweep's wall is its passes
over the data (loading, forwards, metrics); the whole ``runner.test()``,
which also loads the checkpoint and the test set and digests them once per
sweep, is printed beside it. Target: <= 1.15 for the one-pass sweep.
On CPU, ``--workers`` share the cores with the forwards.

    python benchmarks/bench_sweep_pass.py [--clips 96] [--workers 1]
        [--threads 2] [--models demo,seed001]
"""
import argparse
import os.path as osp
import statistics
import tempfile
import time
from unittest import mock

import mmhar_robust  # noqa: F401
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmaction.registry import DATASETS, MODELS

from mmhar_robust.engine.runner import DEFAULT_LEVELS, NoiseSweepTestLoop
from mmhar_robust.synthetic import (SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
POSEC3D = osp.join(ROOT, 'configs', 'skeleton', 'posec3d')
MODELS_ = {
    'demo': 'slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py',
    'seed001': 'slowonly_r50_8xb16-u24-150e_ntu60-xsub-keypoint.py',
}


def config(name: str, ann_file: str, clips: int, workers: int) -> Config:
    cfg = Config.fromfile(osp.join(POSEC3D, MODELS_[name]))
    cfg.test_dataloader.update(
        num_workers=workers, persistent_workers=False, batch_size=8)
    dataset = cfg.test_dataloader.dataset
    dataset.update(ann_file=ann_file, split='xsub_val', indices=clips)
    cfg.model.cls_head.num_classes = 13
    cfg.log_level = 'WARNING'
    return cfg


def forward_time(cfg: Config, repeats: int):
    """Median time of test_step over the clean test batches (in memory),
    and the number of clips."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    size = cfg.test_dataloader.batch_size
    batches = [
        pseudo_collate([dataset[i] for i in range(s, min(s + size,
                                                         len(dataset)))])
        for s in range(0, len(dataset), size)
    ]
    times = []
    with torch.no_grad():
        for _ in range(repeats):
            start = time.perf_counter()
            for batch in batches:
                model.test_step(batch)
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(dataset)


def sweep_time(cfg: Config, folder: str, per_pass) -> tuple:
    """Wall time of the nine-level Gaussian sweep: its passes over the data
    (loading, forwards, metrics), and the whole ``runner.test()`` (with
    loading the checkpoint and the test set, digests and result files)."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    checkpoint = osp.join(folder, 'random.pth')
    if not osp.exists(checkpoint):
        model = MODELS.build(cfg.model)
        torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    cfg = cfg.copy()
    work_dir = osp.join(folder, f'sweep_{per_pass}')
    cfg.update(
        load_from=checkpoint,
        work_dir=work_dir,
        test_cfg=dict(
            type='NoiseSweepTestLoop',
            levels=list(DEFAULT_LEVELS),
            corruptions='gaussian',
            out_file=osp.join(work_dir, 'sweep.jsonl'),
            conditions_per_pass=per_pass))
    # Formatting the config for the log is not the sweep's time.
    passes = []
    evaluate_all = NoiseSweepTestLoop._evaluate_all

    def timed(self, *args):
        start = time.perf_counter()
        evaluate_all(self, *args)
        passes.append(time.perf_counter() - start)

    with mock.patch.object(Config, 'pretty_text',
                           property(lambda self: self.filename)), \
            mock.patch.object(NoiseSweepTestLoop, '_evaluate_all', timed):
        runner = Runner.from_cfg(cfg)
        start = time.perf_counter()
        runner.test()
        return passes[0], time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--clips', type=int, default=96)
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--models', default='demo,seed001')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    levels = len(DEFAULT_LEVELS)
    with tempfile.TemporaryDirectory() as tmp:
        ann_file = osp.join(tmp, 'synthetic_2d.pkl')
        SyntheticSkeletonGenerator(
            SyntheticSkeletonConfig(num_subjects=9, repeats=2)).dump(ann_file)
        for name in args.models.split(','):
            cfg = config(name, ann_file, args.clips, args.workers)
            forward, clips = forward_time(cfg, args.repeats)
            one, one_all = sweep_time(cfg, tmp, None)
            each, each_all = sweep_time(cfg, tmp, 1)
            print(f'\n{name} ({MODELS_[name]}): {clips} clips, '
                  f'{args.workers} worker(s), {args.threads} threads')
            print(f'  forward, clean batches in memory  {forward:8.2f} s '
                  f'({1000 * forward / clips:.1f} ms/clip)')
            for label, passes, whole in (('one pass', one, one_all),
                                         ('level by level', each, each_all)):
                print(f'  {levels}-level sweep, {label:15s}{passes:8.2f} s  '
                      f'ratio {passes / (levels * forward):.3f}   (whole '
                      f'runner.test() {whole:.2f} s, ratio '
                      f'{whole / (levels * forward):.3f})')
            print(f'  target: one pass <= 1.15; throughput '
                  f'{levels * clips / one:.1f} clips/s')


if __name__ == '__main__':
    main()
