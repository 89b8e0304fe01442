"""Evaluate checkpoints at a list of keypoint-corruption levels; write curves.

Every model sees exactly the same corrupted inputs (the noise of a sample
depends only on the seed, the sample, the corruption and the level). Into
``--out-dir`` go:

- ``results_<model>.jsonl``: each model's raw results, appended level by level
  (a rerun with the same arguments resumes from them);
- ``results.csv`` / ``results.json``: the unaggregated table, model x
  corruption x level -> top-1, top-5, mean class accuracy, relative
  robustness, the 95 % bootstrap interval of top-1 and, against
  ``--baseline``, the paired difference of top-1 with its interval and the
  exact McNemar p-value;
- ``summary.csv`` / ``summary.json`` / ``summary.md``: per model and
  corruption (rows with an empty level) clean accuracy, mean over levels,
  area under the curve, relative robustness at the largest level and the
  corruption error against ``--baseline`` (mCE over corruptions); then per
  model, corruption and level, top-1 with its interval and the paired
  statistics;
- ``curve_<corruption>.png``: all models on one plot, with their intervals
  as bands, and their differences to the baseline below.

Example:
    python tools/noise_sweep.py \\
        --model supervised CFG_A work_dirs/a/best.pth \\
        --model contrastive CFG_B work_dirs/b/best.pth \\
        --corruptions gaussian laplace --out-dir work_dirs/sweep

A classic baseline (``tools/baselines/classic.py``) joins with ``--classic
NAME CONFIG MODEL.joblib``: its features are computed from the same noisy
keypoints of every test sample, and its results go to the same files.
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Tuple

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
from mmengine.config import DictAction
from mmengine.dist import is_main_process

from mmhar_robust.engine.runner import DEFAULT_LEVELS
from mmhar_robust.evaluation import (add_relative_robustness, format_table,
                                     summarize)
from mmhar_robust.engine.runner.sweep_records import read_sweep_file
from mmhar_robust.utils.atomic_write import atomic_write
from mmhar_robust.utils.sweep_io import (SHORT_METRICS, STAT_KEYS,
                                         paired_statistics, short_metrics,
                                         stats_legend, stats_table,
                                         write_table)
from mmhar_robust.visualization import plot_robustness_curves
# Sibling modules of tools/ (on sys.path when a tool runs).
from option_checks import warn_unknown_cfg_options
from runner_helpers import add_launcher_arguments, run_sweep
from sweep_args import (add_classic_argument, add_stats_arguments,
                        check_models, check_stats_arguments)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--model',
        nargs=3,
        action='append',
        default=[],
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help='a model to evaluate (repeat for several)')
    add_classic_argument(p, 'swept on the same noisy test samples')
    p.add_argument('--out-dir', required=True, help='where results go')
    p.add_argument(
        '--levels',
        nargs='+',
        type=float,
        default=list(DEFAULT_LEVELS),
        help='corruption levels')
    p.add_argument(
        '--corruptions',
        nargs='+',
        default=['gaussian'],
        help='corruption or group names (noise, dropout, all)')
    p.add_argument(
        '--scale',
        choices=['motion', 'video', 'body', 'seed001'],
        help='unit of additive noise; seed001: seed 001\'s own (std alpha x '
        'motion coefficient x image width/height, docs/keypoint_noise.md) '
        '(default: that of the test pipeline\'s KeypointNoise, else motion)')
    p.add_argument(
        '--seed',
        type=int,
        help='noise seed (default: that of the test pipeline\'s '
        'KeypointNoise, else 0)')
    p.add_argument(
        '--baseline',
        help='model whose error normalises the '
        'corruption error (default: the first model)')
    p.add_argument(
        '--metric',
        choices=list(SHORT_METRICS),
        default='top1',
        help='metric of the summary and plots')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='config overrides applied to every model')
    p.add_argument(
        '--overwrite',
        action='store_true',
        help='replace the models\' result files in --out-dir and evaluate '
        'every level again (default: resume from them; a file of other '
        'settings, test data or code is refused)')
    add_stats_arguments(p)
    add_launcher_arguments(p)
    args = p.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def check_args(args: argparse.Namespace) -> None:
    if not args.model and not args.classic:
        raise SystemExit('give at least one --model or --classic')
    names = check_models(args.model + args.classic)
    if args.baseline is not None and args.baseline not in names:
        raise SystemExit(f'--baseline {args.baseline!r} is not one of {names}')
    check_stats_arguments(args)
    # Fail on bad levels or corruptions before any model is loaded.
    from mmhar_robust.datasets.transforms import expand_corruptions
    from mmhar_robust.engine.runner.noise_sweep_loop import (
        check_levels, with_clean_level)
    for corruption in expand_corruptions(args.corruptions):
        check_levels(args.levels, corruption)
    # The curve summaries are taken against the clean level.
    args.levels, args.clean_added = with_clean_level(args.levels)


def sweep_model(name: str, config: str, checkpoint: str,
                args: argparse.Namespace) -> str:
    """Run the noise-sweep loop for one model; return its result file."""
    return run_sweep(
        config,
        checkpoint,
        dict(
            type='NoiseSweepTestLoop',
            levels=args.levels,
            corruptions=args.corruptions,
            scale=args.scale,
            seed=args.seed,
            overwrite=args.overwrite),
        args.out_dir,
        name,
        'noise_sweep',
        cfg_options=args.cfg_options,
        launcher=args.launcher)


def sweep_classic(name: str, config: str, model: str,
                  args: argparse.Namespace) -> str:
    """Sweep one classic baseline (rank 0 only); return its result file."""
    from mmengine.config import Config

    from mmhar_robust.baselines.sweep import classic_noise_sweep
    from mmhar_robust.engine.runner.sweep_records import StaleResultsError
    out_file = osp.join(args.out_dir, f'results_{name}.jsonl')
    if is_main_process():
        cfg = Config.fromfile(config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        try:
            classic_noise_sweep(cfg, model, out_file, name, args.levels,
                                args.corruptions, args.scale, args.seed,
                                args.overwrite)
        except StaleResultsError as error:
            raise SystemExit(f'{name}: {error}') from None
    return out_file


def read_records(path: str, levels: List[float],
                 corruptions: List[str]) -> Tuple[Dict, Dict[tuple, Dict]]:
    """The header and the requested records of one model's result file,
    keyed by ``(corruption, level)``."""
    header, records = read_sweep_file(path)
    return header, {
        (rec['corruption'], rec['level']): rec
        for rec in records
        if rec['corruption'] in corruptions and rec['level'] in levels
    }


def level_rows(summary: List[Dict], rows: List[Dict]) -> List[Dict]:
    """The summary's rows: the curve summaries (level None), then top-1
    and its statistics per model, corruption and level."""
    curves = [
        dict(
            model=r['model'],
            corruption=r['corruption'],
            level=None,
            **{
                k: v
                for k, v in r.items() if k not in ('model', 'corruption')
            }) for r in summary
    ]
    per_level = [
        dict(
            model=r['model'],
            corruption=r['corruption'],
            level=r['level'],
            top1=r.get('top1'),
            **{k: r[k]
               for k in STAT_KEYS if k in r}) for r in rows
    ]
    return curves + per_level


def main() -> None:
    args = parse_args()
    check_args(args)
    warn_unknown_cfg_options(
        args.cfg_options,
        *(config for _, config, _ in args.model + args.classic))
    from mmhar_robust.datasets.transforms import expand_corruptions
    corruptions = expand_corruptions(args.corruptions)
    os.makedirs(args.out_dir, exist_ok=True)
    headers: Dict[str, Dict] = {}
    records: Dict[str, Dict[tuple, Dict]] = {}
    files = {
        name: sweep_model(name, config, checkpoint, args)
        for name, config, checkpoint in args.model
    }
    files.update({
        name: sweep_classic(name, config, model, args)
        for name, config, model in args.classic
    })
    if not is_main_process():  # every rank evaluates, rank 0 writes
        return
    for name, result_file in files.items():
        headers[name], records[name] = read_records(result_file, args.levels,
                                                    corruptions)
    baseline = args.baseline or (args.model + args.classic)[0][0]
    stats, notes = paired_statistics(headers, records, baseline,
                                     args.confidence, args.bootstrap_resamples,
                                     args.bootstrap_seed)
    rows: List[Dict] = []
    for name, by_key in records.items():
        for key, rec in by_key.items():
            rows.append(
                dict(
                    model=name,
                    corruption=key[0],
                    level=key[1],
                    **short_metrics(rec['metrics']),
                    **stats.get((name, key), {})))
    add_relative_robustness(rows, args.metric)
    write_table(rows, osp.join(args.out_dir, 'results.csv'))
    summary = summarize(rows, args.metric, baseline=baseline)
    write_table(
        level_rows(summary, rows), osp.join(args.out_dir, 'summary.csv'))
    table = format_table(summary, args.metric)
    paired = stats_table(rows, ('corruption', 'level'), baseline,
                         args.confidence)
    legend = stats_legend(baseline, args.confidence, args.bootstrap_resamples,
                          args.bootstrap_seed, stats)
    text = (f'CE normalised by {baseline!r}; accuracies in %.\n\n{table}\n\n'
            f'{legend}\n\n{paired}\n')
    if args.clean_added:
        notes.insert(0, 'the levels lacked the clean level 0, so it was added '
                     '(clean accuracy, AUC and relative robustness need it)')
    if notes:
        text += '\n' + '\n'.join(f'- {note}' for note in notes) + '\n'
    with atomic_write(osp.join(args.out_dir, 'summary.md')) as f:
        f.write(text)
    plots = plot_robustness_curves(
        rows, args.out_dir, args.metric, baseline=baseline)
    print(f'\nNoise sweep; CE is normalised by {baseline!r}:\n{text}')
    print(f'\nwrote {osp.join(args.out_dir, "results.csv")}, summary.csv, '
          f'summary.md and {", ".join(osp.basename(p) for p in plots)}')


if __name__ == '__main__':
    main()
