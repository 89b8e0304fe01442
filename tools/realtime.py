"""Run a recognizer on a video as if it were a live stream.

Decodes the video frame by frame, keeps the last ``--window`` frames (K,
default: the model's clip length) and predicts every ``--stride`` frames (S).
Prints and writes, per prediction, the label and the time spent decoding the
frames since the previous prediction, in the test pipeline and in the
forward pass; then the median and 95th percentile of each and the sustained
frames per second of the whole loop against the video's frame rate.

Writes ``predictions.csv`` and ``latency.json`` into ``--out-dir``, and an
overlay GIF with ``--gif``.

Example:
    python tools/realtime.py CONFIG CHECKPOINT video.mp4 --stride 4 \\
        --out-dir work_dirs/realtime --gif work_dirs/realtime/overlay.gif
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
import cv2
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmhar_robust.registry import MODELS
from mmhar_robust.utils import check_checkpoint_matches
from mmhar_robust.utils.realtime import (latency_summary, run_stream,
                                         stream_pipeline)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='model config file')
    p.add_argument('checkpoint', help='checkpoint file')
    p.add_argument('video', help='video file to stream')
    p.add_argument('--window', type=int, default=None,
                   help='frames kept (K); default: the model\'s clip length')
    p.add_argument('--stride', type=int, default=8,
                   help='predict every S frames (default 8)')
    p.add_argument('--max-predictions', type=int, default=None)
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=None,
                   help='torch CPU threads (default: torch\'s)')
    p.add_argument('--classes', default=None,
                   help='text file of class names, one a line')
    p.add_argument('--out-dir', default='work_dirs/realtime')
    p.add_argument('--gif', default=None, help='write an overlay GIF here')
    p.add_argument('--cfg-options', nargs='+', action=DictAction)
    return p.parse_args(argv)


def load_model(config: str, checkpoint: str, device: str, options=None):
    """The recognizer in eval mode, its stream pipeline and clip length."""
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    check_checkpoint_matches(model, checkpoint)
    load_checkpoint(model, checkpoint, map_location='cpu')
    model.to(device).eval()
    pipeline, clip_len = stream_pipeline(cfg.test_dataloader.dataset.pipeline)
    return model, pipeline, clip_len, cfg


def class_names(cfg: Config, path=None):
    if path:
        with open(path) as f:
            return [line.strip() for line in f if line.strip()]
    metainfo = cfg.test_dataloader.dataset.get('metainfo') or {}
    return list(metainfo.get('classes', ())) or None


def write_csv(path: str, predictions, names, fps: float) -> None:
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow([
            'index', 'end_frame', 'time_s', 'label', 'name', 'score',
            'decode_ms', 'pipeline_ms', 'forward_ms', 'total_ms'
        ])
        for p in predictions:
            writer.writerow([
                p.index, p.end_frame,
                f'{p.end_frame / fps:.3f}' if fps else '', p.label,
                names[p.label] if names else p.label, f'{p.score:.4f}',
                f'{p.decode * 1e3:.2f}', f'{p.pipeline * 1e3:.2f}',
                f'{p.forward * 1e3:.2f}', f'{p.total * 1e3:.2f}'
            ])


def write_gif(path: str, predictions, names, stride: int, fps: float):
    """Each prediction's newest ``stride`` frames with its label on top."""
    from PIL import Image
    images = []
    for p in predictions:
        text = f'{names[p.label] if names else p.label} {p.score:.2f}'
        for frame in p.frames[-stride:]:
            frame = np.ascontiguousarray(frame)
            scale = max(1, 160 // frame.shape[0])
            frame = cv2.resize(frame, None, fx=scale, fy=scale,
                               interpolation=cv2.INTER_NEAREST)
            cv2.putText(frame, text, (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                        (255, 255, 0), 1, cv2.LINE_AA)
            images.append(Image.fromarray(frame))
    images[0].save(path, save_all=True, append_images=images[1:], loop=0,
                   duration=int(1000 / (fps or 25)))


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    model, pipeline, clip_len, cfg = load_model(args.config, args.checkpoint,
                                                args.device, args.cfg_options)
    window = args.window or clip_len
    if window > clip_len:
        raise ValueError(f'--window {window} is longer than the model\'s clip '
                         f'length {clip_len} (clip_len of the test pipeline '
                         f'of {args.config})')
    predictions, info = run_stream(model, pipeline, args.video, window,
                                   args.stride, args.max_predictions,
                                   keep_frames=bool(args.gif))
    names = class_names(cfg, args.classes)
    os.makedirs(args.out_dir, exist_ok=True)
    write_csv(osp.join(args.out_dir, 'predictions.csv'), predictions, names,
              info['video_fps'])
    latency = latency_summary(predictions)
    report = dict(config=args.config, video=args.video, window=window,
                  stride=args.stride, predictions=len(predictions),
                  threads=torch.get_num_threads(), device=args.device,
                  latency=latency, **info,
                  realtime=info['sustained_fps'] >= info['video_fps'])
    with open(osp.join(args.out_dir, 'latency.json'), 'w') as f:
        json.dump(report, f, indent=2)
    if args.gif:
        write_gif(args.gif, predictions, names, args.stride,
                  info['video_fps'])
    for p in predictions:
        print(f'frame {p.end_frame:5d}  '
              f'{names[p.label] if names else p.label!s:>12} '
              f'{p.score:.3f}  {p.total * 1e3:8.1f} ms')
    print('step       median ms     p95 ms')
    for step, v in latency.items():
        print(f'{step:9s} {v["median_ms"]:10.1f} {v["p95_ms"]:10.1f}')
    print(f'sustained {info["sustained_fps"]:.1f} fps vs video '
          f'{info["video_fps"]:.1f} fps: '
          f'{"real time" if report["realtime"] else "slower than real time"}')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (ValueError, FileNotFoundError) as error:
        print(f'error: {error}', file=sys.stderr)
        sys.exit(1)
