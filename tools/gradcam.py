"""Grad-CAM of an MMAction2 recognizer (RGB 3D CNN, PoseC3D or GCN).

Explains dataset samples (``--indices``, from the test or val split) or one
file (``--video`` for RGB models, optionally with ``--pose`` for the person
mask; ``--pose`` alone for skeleton models). Writes overlays and
``reliance.json``/``reliance.csv`` into ``--out-dir`` and prints, per sample,
the explained and predicted class and the share of CAM mass on the person.

Example:
    python tools/gradcam.py CONFIG CHECKPOINT --indices 0 5 7 \\
        --method GradCAM --target-layer backbone.layer3 --out-dir cams
"""
import argparse
import os.path as osp
import sys

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmhar_robust.registry import DATASETS, MODELS
from mmhar_robust.utils import check_checkpoint_matches
from mmhar_robust.visualization.cam.cam_session import CAMSession
from mmhar_robust.visualization.cam.explain import (check_masks,
                                                    explain_samples)
from mmhar_robust.visualization.cam.file_samples import file_sample
from mmhar_robust.visualization.cam.methods import METHODS
from mmhar_robust.visualization.cam.model_wrapper import infer_kind
from mmhar_robust.visualization.cam.reliance import summarize, write_report
from mmhar_robust.visualization.cam.samples import dataset_sample
from option_checks import warn_unknown_cfg_options  # tools/ is on sys.path


def _edge(text: str) -> tuple:
    try:
        i, j = (int(v) for v in text.split('-'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'an edge is two joint indices joined by "-", e.g. 0-1, not '
            f'{text!r}')
    return i, j


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='model config file')
    p.add_argument('checkpoint', help='checkpoint file')
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        '--indices', nargs='+', type=int, help='dataset sample indices')
    source.add_argument('--video', help='a video file (RGB models)')
    source.add_argument(
        '--all',
        action='store_true',
        help='every sample of the split (the mean in-person fraction of '
        'a whole set)')
    p.add_argument(
        '--max-overlays',
        type=int,
        help='draw overlays for the first N samples only (default: all)')
    p.add_argument(
        '--pose',
        help='pickled pose annotation: the input of skeleton models, the '
        'person mask of RGB ones (with --video)')
    p.add_argument('--split', choices=['test', 'val'], default='test')
    p.add_argument(
        '--target-class',
        type=int,
        help='class to explain (default: the predicted one)')
    p.add_argument('--method', default='GradCAM', choices=list(METHODS))
    p.add_argument(
        '--target-layer',
        help='dotted module name, e.g. backbone.layer4 or backbone.gcn.9 '
        '(default: the last backbone stage)')
    p.add_argument(
        '--out-dir', help='default: work_dirs/gradcam/<config name>')
    p.add_argument(
        '--mask', choices=['box', 'silhouette', 'none'], default='box')
    p.add_argument(
        '--mask-edges',
        nargs='+',
        type=_edge,
        metavar='I-J',
        help='bones of the silhouette mask as joint pairs, e.g. 0-1 1-2 '
        '(default: the built-in layout of the keypoints\' joint count: '
        'COCO-17 or NTU-25)')
    p.add_argument('--device', default='cpu')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value pairs')
    args = p.parse_args()
    if not (args.all or args.indices or args.video or args.pose):
        args.indices = [0]
    if args.indices is not None and args.pose is not None:
        p.error('--pose goes with --video or alone, not with --indices')
    return args


def build_model(cfg: Config, checkpoint: str, device: str) -> torch.nn.Module:
    """The config's model with the checkpoint's weights, in eval mode."""
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    model = MODELS.build(cfg.model)
    check_checkpoint_matches(model, checkpoint)
    load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
    return model.to(device).eval()


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        warn_unknown_cfg_options(args.cfg_options, cfg)
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    out_dir = args.out_dir or osp.join(
        'work_dirs', 'gradcam',
        osp.splitext(osp.basename(args.config))[0])
    try:
        model = build_model(cfg, args.checkpoint, args.device)
        kind = infer_kind(model)
        loader = cfg.get(f'{args.split}_dataloader')
        drawn = (None if args.max_overlays is None else max(
            0, args.max_overlays))
        if args.indices is not None or args.all:
            dataset = DATASETS.build(loader.dataset)
            indices = range(len(dataset)) if args.all else args.indices
            # Only the samples drawn keep their decoded frames.
            samples = [
                dataset_sample(
                    dataset,
                    i,
                    prefix=f'{args.split}_',
                    keep_frames=drawn is None or n < drawn)
                for n, i in enumerate(indices)
            ]
        else:
            samples = [
                file_sample(loader.dataset.pipeline, kind, args.video,
                            args.pose)
            ]
        drawn = len(samples) if drawn is None else drawn
        target = 'pred' if args.target_class is None else args.target_class
        mask = None if args.mask == 'none' else args.mask
        check_masks(samples, mask, args.mask_edges, kind)  # before any CAM
        with CAMSession(model, args.method, args.target_layer,
                        kind) as session:
            rows = explain_samples(session, samples[:drawn], out_dir, mask,
                                   target, args.mask_edges)
            rows += explain_samples(session, samples[drawn:], None, mask,
                                    target, args.mask_edges)
    except (ValueError, FileNotFoundError, IndexError) as error:
        sys.exit(f'error: {error}')
    write_report(rows, out_dir)
    for row in rows:
        fraction = ('n/a'
                    if row['in_person'] is None else f'{row["in_person"]:.4f}')
        print(f'{row["sample"]}: target {row["target"]} pred {row["pred"]} '
              f'gt {row["gt"]} in-person {fraction}')
    summary = summarize(row['in_person'] for row in rows)
    mean = summary['mean_in_person']
    print(f'{kind} model, {args.method} on {rows[0]["layer"]}: mean '
          f'in-person fraction ' + ('n/a' if mean is None else f'{mean:.4f}') +
          f' over {summary["num_scored"]}/{summary["num_samples"]} samples; '
          f'outputs in {out_dir}')


if __name__ == '__main__':
    main()
