"""Prediction time of 3D ResNeXt-101 vs mmaction2's I3D on the same clip.

Seed 002 chose 3D ResNeXt over I3D because it predicts faster. Both models
get the same decoded clip (16 frames of a synthetic video, or ``--video``),
each at its own input size: ResNeXt 16 x 112 x 112 (Hara's), I3D (mmaction2's
inflated ResNet-50, ``i3d_r50.py``, random weights) 16 x 224 x 224 (its
Kinetics crop). The RGB-only I3D is timed; seed 002's two-stream I3D also
needs optical flow, which comes on top. Printed side by side, with the ratio.

    python benchmarks/bench_realtime.py [--repeats 5] [--threads 2]
        [--device cuda]
"""
import argparse
import os.path as osp
import statistics
import time

import mmhar_robust  # noqa: F401
import cv2
import mmaction
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmhar_robust.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
RESNEXT = osp.join(ROOT, 'configs', '_base_', 'models',
                   'resnext3d-101_rgb.py')
# mmaction2's own config, as its wheel ships it.
I3D = osp.join(osp.dirname(mmaction.__file__), '.mim', 'configs', '_base_',
               'models', 'i3d_r50.py')


def clip_frames(video, frames: int = 16) -> np.ndarray:
    """``frames`` RGB frames of ``video``, or of a rendered synthetic clip."""
    if video is None:
        from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                                  SyntheticVideoGenerator)
        gen = SyntheticVideoGenerator(
            SyntheticVideoConfig(frames=frames, size=128, plates=False))
        return gen.clip(1, 0, 0)[1]
    capture = cv2.VideoCapture(video)
    out = []
    while len(out) < frames:
        ok, frame = capture.read()
        if not ok:
            raise ValueError(f'video {video!r} has fewer than {frames} '
                             'frames')
        out.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    return np.stack(out)


def build(config: str, device: str) -> torch.nn.Module:
    cfg = Config.fromfile(config)
    cfg.model.backbone.pop('pretrained', None)
    cfg.model.backbone.pop('pretrained2d', None)
    init_default_scope('mmaction')
    return MODELS.build(cfg.model).to(device).eval()


def time_model(model, frames: np.ndarray, size: int, repeats: int,
               device: str) -> list:
    """Seconds per prediction: resize, normalise and forward the clip."""
    times = []
    for _ in range(repeats + 1):  # the first run warms up
        start = time.perf_counter()
        resized = np.stack([cv2.resize(f, (size, size)) for f in frames])
        inputs = torch.from_numpy(resized).permute(3, 0, 1, 2)[None, None]
        with torch.no_grad():
            data = model.data_preprocessor(
                dict(inputs=[inputs[0].to(device)], data_samples=None))
            model(data['inputs'], mode='tensor')
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return times[1:]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--video', default=None)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--device', default='cpu')
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    frames = clip_frames(args.video)
    rows = []
    for name, config, size in (('3D ResNeXt-101', RESNEXT, 112),
                               ('I3D R50 (RGB)', I3D, 224)):
        model = build(config, args.device)
        params = sum(q.numel() for q in model.parameters()) / 1e6
        times = time_model(model, frames, size, args.repeats, args.device)
        rows.append((name, size, params, statistics.median(times)))
        del model
    print(f'device {args.device}, {torch.get_num_threads()} threads, '
          f'clip of {len(frames)} frames, median of {args.repeats}')
    print(f'{"model":16s} {"input":>12s} {"params M":>9s} {"ms/clip":>9s} '
          f'{"clips/s":>8s}')
    for name, size, params, median in rows:
        print(f'{name:16s} {f"16x{size}x{size}":>12s} {params:9.1f} '
              f'{median * 1e3:9.1f} {1 / median:8.2f}')
    print(f'I3D / ResNeXt time ratio: {rows[1][3] / rows[0][3]:.2f}')


if __name__ == '__main__':
    main()
