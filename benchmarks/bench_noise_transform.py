"""Noise transform time / whole test pipeline time, measured side by side.

Every transform of a test pipeline is timed on the same samples in one run; the
pipeline gets ``KeypointNoise`` (Gaussian, motion scale, alpha 0.015) where the
noise sweep puts it. Printed for the CPU demo pipeline (17 x 16 x 32 x 32),
seed 001's NTU pipeline (17 x 24 x 56 x 56) and mmaction2's 10-clip NTU test
pipeline, each with mmaction2's heatmap renderer and with our vectorised one,
all on the synthetic set. Target: <= 3 %.

    python benchmarks/bench_noise_transform.py [--samples 200]
"""
import argparse
import itertools
import os.path as osp
import tempfile
import time
from collections import defaultdict

import mmhar_robust  # noqa: F401
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmaction.registry import DATASETS

from mmhar_robust.engine.runner import find_or_insert_noise
from mmhar_robust.synthetic import (SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# mmaction2's renderer, and ours (8x faster, so everything else weighs more).
RENDERERS = ('GeneratePoseTarget', 'FastGeneratePoseTarget')
CONFIGS = {
    'demo 17x16x32x32':
    'skeleton/posec3d/slowonly_r50-tiny_1xb8-u16-12e_'
    'synthetic-xsub-keypoint.py',
    'NTU 17x24x56x56':
    'skeleton/posec3d/slowonly_r50_8xb16-u24-150e_'
    'ntu60-xsub-keypoint.py',
    "mmaction2's NTU test (10 clips x 48 frames, flip)":
    'skeleton/posec3d/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint.py',
}


def time_pipeline(config: str, ann_file: str, samples: int,
                  renderer: str) -> dict:
    cfg = Config.fromfile(osp.join(ROOT, 'configs', config))
    init_default_scope('mmaction')
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.ann_file = ann_file
    # The configs render heatmaps in the data preprocessor; here the
    # per-sample renderer takes the preprocessor's settings in the pipeline.
    pre = {
        k: v
        for k, v in cfg.model.data_preprocessor.items()
        if k in ('sigma', 'use_score', 'with_kp', 'with_limb', 'left_kp',
                 'right_kp')
    }
    pipeline = []
    for t in dataset_cfg.pipeline:
        if t['type'] == 'PackPoseInputs':
            pipeline += [
                dict(type=renderer, double=t.get('double', False), **pre),
                dict(type='FormatShape', input_format='NCTHW_Heatmap'),
                dict(type='PackActionInputs')
            ]
        else:
            pipeline.append(t)
    dataset_cfg.pipeline = pipeline
    dataset = DATASETS.build(dataset_cfg)
    noise = find_or_insert_noise(dataset.pipeline, scale='motion', seed=0)
    noise.set_corruption('gaussian', 0.015)
    spent = defaultdict(float)
    for index in range(samples):
        results = dataset.get_data_info(index % len(dataset))
        for transform in dataset.pipeline.transforms:
            start = time.perf_counter()
            results = transform(results)
            spent[type(transform).__name__] += time.perf_counter() - start
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--samples', type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ann_file = osp.join(tmp, 'synthetic_2d.pkl')
        SyntheticSkeletonGenerator(
            SyntheticSkeletonConfig(num_subjects=4, repeats=2)).dump(ann_file)
        for (name,
             config), renderer in itertools.product(CONFIGS.items(),
                                                    RENDERERS):
            spent = time_pipeline(config, ann_file, args.samples, renderer)
            total = sum(spent.values())
            print(
                f'\n{name} with {renderer}: {args.samples} samples, '
                f'pipeline {1000 * total / args.samples:.2f} ms/sample, '
                f'KeypointNoise {1000 * spent["KeypointNoise"] / args.samples:.3f}'
                ' ms/sample')
            for transform, seconds in sorted(
                    spent.items(), key=lambda kv: -kv[1]):
                print(f'  {transform:<22} {100 * seconds / total:6.2f} %')
            print(f'ratio KeypointNoise / whole test pipeline: '
                  f'{100 * spent["KeypointNoise"] / total:.2f} % '
                  '(target <= 3 %)')


if __name__ == '__main__':
    main()
