"""P1: per-clip heatmap rendering time, mmaction2's ``GeneratePoseTarget`` /
our batched ``PoseTargetDataPreprocessor``, measured side by side.

Columns: mmaction2's transform, our per-sample ``FastGeneratePoseTarget``
(numpy) and the batched preprocessor. Settings: the demo's 17 x 16 x 32 x
32, seed 001's 17 x 24 x 56 x 56, and mmaction2's NTU test, 10 clips x 48
frames at 56 x 56 with the ``double`` flip. Inputs: 2 persons per sample,
a skeleton drifting inside the frame, scores in [0.3, 1] with 10 % missing
joints. Ours renders the batch (16) at once on ``--device``; mmaction2's
transform (plus ``FormatShape``) renders ``--ref-samples`` of the same
samples one by one, since it is per sample. Both times are per clip (a
10-clip sample counts 10). Target: >= 20x.

    python benchmarks/bench_pose_target.py [--batch 16] [--ref-samples 4]
        [--device cpu] [--threads 2]

On CPU most of our time is zero-filling the batch's output: glibc returns
blocks over 32 MB to the kernel, so each batch page-faults its output
afresh (mmaction2's per-sample arrays are small enough to be reused).
Keeping freed memory in the process, as a GPU's caching allocator does,
shows the rendering cost proper:

    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000 \
        python benchmarks/bench_pose_target.py
"""
import argparse
import time

import numpy as np
import torch
from mmaction.datasets.transforms import FormatShape, GeneratePoseTarget

from mmhar_robust.datasets.transforms import (FastGeneratePoseTarget,
                                              PackPoseInputs)
from mmhar_robust.models.data_preprocessors import PoseTargetDataPreprocessor

# name: (frames per clip, clips, heatmap size, double)
SETTINGS = {
    'demo 17x16x32x32': (16, 1, 32, False),
    'seed 001 17x24x56x56': (24, 1, 56, False),
    'mmaction2 test 17x48x56x56 x10 clips, flip': (48, 10, 56, True),
}


def make_sample(rng: np.random.Generator, clip_len: int, num_clips: int,
                size: int) -> dict:
    """Two 17-joint persons drifting inside a ``size`` x ``size`` frame."""
    frames = clip_len * num_clips
    pose = rng.uniform(0.2, 0.8, size=(2, 1, 17, 2)) * size
    drift = np.cumsum(rng.normal(0, 0.3, size=(2, frames, 17, 2)), axis=1)
    keypoint = (pose + drift).astype(np.float32)
    score = rng.uniform(0.3, 1, size=(2, frames, 17)).astype(np.float32)
    score[rng.uniform(size=score.shape) < 0.1] = 0
    return dict(
        keypoint=keypoint,
        keypoint_score=score,
        img_shape=(size, size),
        num_clips=num_clips,
        clip_len=clip_len,
        label=0)


def time_reference(samples: list,
                   double: bool,
                   renderer=GeneratePoseTarget) -> float:
    render = renderer(double=double)
    fmt = FormatShape('NCTHW_Heatmap')
    start = time.perf_counter()
    for sample in samples:
        fmt(render(dict(sample)))
    return time.perf_counter() - start


def time_batched(samples: list,
                 double: bool,
                 device: str,
                 repeats: int = 3) -> float:
    pack = PackPoseInputs()
    packed = [pack(dict(sample)) for sample in samples]
    pre = PoseTargetDataPreprocessor(double=double).to(device)
    data = dict(
        inputs=[p['inputs'] for p in packed],
        data_samples=[p['data_samples'] for p in packed])
    best = float('inf')
    for _ in range(repeats + 1):  # the first run warms up
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        pre(data)
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--ref-samples', type=int, default=4)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f'batch {args.batch}, device {args.device}, torch threads '
          f'{args.threads}; ms per clip')
    print(f'{"setting":45s} {"mmaction2":>10s} {"fast/sample":>11s} '
          f'{"ours/batch":>10s} {"ratio":>7s}')
    for name, (clip_len, num_clips, size, double) in SETTINGS.items():
        rng = np.random.default_rng(0)
        samples = [
            make_sample(rng, clip_len, num_clips, size)
            for _ in range(args.batch)
        ]
        ref = samples[:args.ref_samples]
        clips_ref = len(ref) * num_clips
        slow = time_reference(ref, double) / clips_ref * 1e3
        fast = time_reference(ref, double, FastGeneratePoseTarget) / \
            clips_ref * 1e3
        ours = time_batched(samples, double,
                            args.device) / (args.batch * num_clips) * 1e3
        print(f'{name:45s} {slow:10.2f} {fast:11.2f} {ours:10.3f} '
              f'{slow / ours:6.1f}x')


if __name__ == '__main__':
    main()
