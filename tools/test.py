"""Test a checkpoint: mmaction2's ``tools/test.py`` command line and flow.

Example:
    python tools/test.py CONFIG work_dirs/demo/best_acc_top1_epoch_12.pth \\
        --dump results.pkl
"""
import argparse
import os
import os.path as osp

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
from mmengine.config import Config, DictAction

from mmhar_robust.utils.checkpoint_match import check_checkpoint_matches
from option_checks import warn_unknown_cfg_options  # tools/ is on sys.path
from runner_helpers import build_runner, set_work_dir


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test an action recognizer')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save the metrics')
    parser.add_argument(
        '--dump',
        type=str,
        help='dump the predictions to a pickle file for offline evaluation')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--allow-extra-weights',
        action='store_true',
        help='accept checkpoint weights the model does not have (e.g. a '
        'contrastive model\'s projection head); missing weights always stop '
        'the test')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Fold the command-line options into the config."""
    # Before anything is merged: a merged key is a key of the config.
    warn_unknown_cfg_options(args.cfg_options, cfg)
    cfg.launcher = args.launcher
    set_work_dir(cfg, args.work_dir, args.config)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint not found: {args.checkpoint}')
    cfg.load_from = args.checkpoint
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise SystemExit('--dump must name a .pkl or .pickle file')
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        evaluator = cfg.test_evaluator
        if isinstance(evaluator, (list, tuple)):
            cfg.test_evaluator = [*evaluator, dump_metric]
        else:
            cfg.test_evaluator = [evaluator, dump_metric]
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = build_runner(cfg)
    # MMEngine loads with strict=False and only warns: another model's
    # checkpoint would be tested with random weights and exit 0.
    try:
        check_checkpoint_matches(
            runner.model,
            cfg.load_from,
            allow_unexpected=args.allow_extra_weights)
    except ValueError as err:  # damaged, refused or mismatched
        raise SystemExit(f'tools/test.py: {err}') from None
    runner.test()


if __name__ == '__main__':
    main()
