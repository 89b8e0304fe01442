"""Train a recognizer: mmaction2's ``tools/train.py`` command line and flow.

Example:
    python tools/train.py configs/skeleton/posec3d/\
slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py \\
        --work-dir work_dirs/demo --resume
"""
import argparse
import os

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
from mmengine.config import Config, DictAction

from mmhar_robust.compat.checkpoint import CheckpointError
from option_checks import warn_unknown_cfg_options  # tools/ is on sys.path
from runner_helpers import build_runner, set_work_dir


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train an action recognizer')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest one in '
        'the work dir when no path is given')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic mixed precision training (needs a GPU)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='give each rank a different seed')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='make cuDNN deterministic')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value pairs (e.g. '
        'train_cfg.max_epochs=2 "model.backbone.depth=18")')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Fold the command-line options into the config."""
    # Before anything is merged: a merged key is a key of the config.
    warn_unknown_cfg_options(args.cfg_options, cfg)
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = args.launcher
    set_work_dir(cfg, args.work_dir, args.config)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a GPU: MMEngine mixed precision '
                             'does not run on the CPU')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness', None) is None:
        cfg.randomness = dict(
            seed=args.seed, diff_rank_seed=False, deterministic=False)
    if args.seed is not None:
        cfg.randomness.seed = args.seed
    if args.diff_rank_seed:
        cfg.randomness.diff_rank_seed = True
    if args.deterministic:
        cfg.randomness.deterministic = True
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    try:
        build_runner(cfg).train()
    except CheckpointError as err:  # load_from / --resume: damaged, refused
        raise SystemExit(f'tools/train.py: {err}') from None


if __name__ == '__main__':
    main()
