"""Evaluate RGB checkpoints with the background kept and stripped each way.

Seed 004 found that stripping the background hurts RGB models. For each model
the test set is evaluated once per fill: ``none`` (the background kept) and
``StripBackground``'s ``black``, ``mean``, ``blur``, ``noise`` and ``swap``.
Every model sees the same stripped inputs (noise and swapped backgrounds
depend only on the seed and the sample). Into ``--out-dir`` go:

- ``results_<model>.jsonl``: each model's raw results, appended fill by fill
  (a rerun with the same arguments resumes from them);
- ``results.csv`` / ``results.json``: the unaggregated table, model x fill ->
  top-1, top-5, mean class accuracy, ``rel_<metric>`` = acc(fill) /
  acc(none), the 95 % bootstrap interval of top-1 and, against
  ``--baseline``, the paired difference of top-1 with its interval and the
  exact McNemar p-value;
- ``summary.csv`` / ``summary.json`` / ``summary.md``: one row per model, one
  column per fill, plus the mean over the stripped fills (rows with an empty
  fill); then per model and fill, top-1 with its interval and the paired
  statistics;
- ``background_influence.png``: a grouped bar chart, the intervals as error
  bars.

Example:
    python tools/background_influence.py \\
        --model biased CFG_BIASED work_dirs/biased/epoch_12.pth \\
        --model unbiased CFG_UNBIASED work_dirs/unbiased/epoch_12.pth \\
        --mask box --out-dir work_dirs/background_influence
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional, Tuple

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
from mmengine.config import DictAction
from mmengine.dist import is_main_process

from mmhar_robust.engine.runner.background_sweep_loop import (BACKGROUND_FILLS,
                                                              check_fills)
from mmhar_robust.engine.runner.sweep_records import read_sweep_file
from mmhar_robust.utils.atomic_write import atomic_write
from mmhar_robust.utils.sweep_io import (SHORT_METRICS, STAT_KEYS,
                                         paired_statistics, short_metrics,
                                         stats_legend, stats_table,
                                         write_table)
from mmhar_robust.visualization.robustness_curves import plot_background_bars
# Sibling modules of tools/ (on sys.path when a tool runs).
from option_checks import warn_unknown_cfg_options
from runner_helpers import add_launcher_arguments, run_sweep
from sweep_args import (add_stats_arguments, check_models,
                        check_stats_arguments)

PLOT = 'background_influence.png'


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--model',
        nargs=3,
        action='append',
        required=True,
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help='a model to evaluate (repeat for several)')
    p.add_argument('--out-dir', required=True, help='where results go')
    p.add_argument(
        '--fills',
        nargs='+',
        default=list(BACKGROUND_FILLS),
        help=f'fills to evaluate, of {", ".join(BACKGROUND_FILLS)} '
        '(none: the background kept)')
    p.add_argument(
        '--mask',
        choices=['box', 'silhouette'],
        default='box',
        help='what counts as the person')
    p.add_argument('--margin', type=float, default=0.1, help='box enlargement')
    p.add_argument(
        '--swap-source',
        nargs='+',
        help='videos/images (or folders) without people for the swap fill '
        '(default: the annotations\' plate videos)')
    p.add_argument(
        '--noise',
        choices=['uniform', 'gaussian'],
        default='uniform',
        help='noise of the noise fill')
    p.add_argument(
        '--seed', type=int, default=0, help='seed of noise and swap')
    p.add_argument(
        '--metric',
        choices=list(SHORT_METRICS),
        default='top1',
        help='metric of the summary and the chart')
    p.add_argument(
        '--baseline',
        help='model the others are compared with, sample by sample '
        '(default: the first model)')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='config overrides applied to every model')
    p.add_argument(
        '--overwrite',
        action='store_true',
        help='replace the models\' result files in --out-dir and evaluate '
        'every fill again (default: resume from them; a file of other '
        'settings, test data or code is refused)')
    add_stats_arguments(p)
    add_launcher_arguments(p)
    args = p.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def check_args(args: argparse.Namespace) -> None:
    """Stop on bad arguments before any model is loaded or file written."""
    names = check_models(args.model)
    if args.baseline is not None and args.baseline not in names:
        raise SystemExit(f'--baseline {args.baseline!r} is not one of {names}')
    check_stats_arguments(args)
    try:
        args.fills = check_fills(args.fills)
    except ValueError as error:
        raise SystemExit(f'--fills: {error}')
    if args.margin < 0:
        raise SystemExit(f'--margin must be >= 0, got {args.margin}')
    if args.swap_source:
        from mmhar_robust.datasets.transforms.background import \
            resolve_sources
        try:
            resolve_sources(args.swap_source)
        except (ValueError, FileNotFoundError) as error:
            raise SystemExit(f'--swap-source: {error}')


def sweep_model(name: str, config: str, checkpoint: str,
                args: argparse.Namespace) -> str:
    """Run the background sweep loop for one model; return its result
    file."""
    return run_sweep(
        config,
        checkpoint,
        dict(
            type='BackgroundSweepTestLoop',
            fills=args.fills,
            mask=args.mask,
            margin=args.margin,
            noise=args.noise,
            swap_source=args.swap_source,
            seed=args.seed,
            overwrite=args.overwrite),
        args.out_dir,
        name,
        'background_influence',
        cfg_options=args.cfg_options,
        launcher=args.launcher)


def read_records(path: str) -> Tuple[Dict, Dict[tuple, Dict]]:
    """The header and the records of a model's result file, keyed by
    ``(fill, )``."""
    header, records = read_sweep_file(path)
    return header, {(rec['fill'], ): rec for rec in records}


def read_rows(path: str,
              fills: List[str],
              metric: str,
              stats: Optional[Dict] = None) -> List[Dict]:
    """One row per requested fill of a model's result file, in ``fills``
    order, with ``rel_<metric>`` = value / value with ``none`` and the
    fill's entry of ``stats`` (:func:`paired_statistics`), if any."""
    _, records = read_records(path)
    by_fill = {key[0]: rec for key, rec in records.items()}
    stats = stats or {}
    rows = [
        dict(
            model=by_fill[f]['model'],
            fill=f,
            **short_metrics(by_fill[f]['metrics']),
            **stats.get((by_fill[f]['model'], (f, )), {})) for f in fills
        if f in by_fill
    ]
    for row in rows:
        if metric not in row:
            found = sorted(by_fill[row['fill']]['metrics'])
            raise SystemExit(f'{path}: the evaluator gave no {metric} '
                             f'(fill {row["fill"]!r} has {found})')
    clean = by_fill.get('none')
    clean = None if clean is None else short_metrics(
        clean['metrics']).get(metric)
    for row in rows:
        row[f'rel_{metric}'] = (row[metric] / clean if clean else float('nan'))
    return rows


def summarize(rows: List[Dict], fills: List[str], metric: str) -> List[Dict]:
    """One row per model: the metric per fill, the mean over the stripped
    fills and its ratio to ``none``."""
    out: Dict[str, Dict] = {}
    for row in rows:
        out.setdefault(row['model'], dict(model=row['model']))
        out[row['model']][row['fill']] = row[metric]
    stripped = [f for f in fills if f != 'none']
    for summary in out.values():
        values = [summary[f] for f in stripped if f in summary]
        if values:
            mean = sum(values) / len(values)
            summary['mean_stripped'] = mean
            none = summary.get('none')
            summary['rel_mean_stripped'] = (
                mean / none if none else float('nan'))
    return list(out.values())


def format_table(summary: List[Dict], fills: List[str]) -> str:
    """The summary as a Markdown table: rows models, columns fills, values in
    %, the ratio to ``none`` in brackets."""
    stripped = any(f != 'none' for f in fills)
    head = ['model'] + fills + (['mean stripped'] if stripped else [])
    lines = ['| ' + ' | '.join(head) + ' |', '|' + ' --- |' * len(head)]

    def cell(value, none):
        if value is None or value != value:
            return ''
        if none is None or none == 0:
            return f'{100 * value:.1f}'
        return f'{100 * value:.1f} ({value / none:.2f})'

    for row in summary:
        none = row.get('none')
        cells = [str(row['model'])]
        cells += [
            cell(row.get(f), None if f == 'none' else none) for f in fills
        ]
        if stripped:
            cells.append(cell(row.get('mean_stripped'), none))
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def fill_rows(rows: List[Dict]) -> List[Dict]:
    """The summary's per-fill rows: top-1 and its statistics per model and
    fill."""
    return [
        dict(
            model=r['model'],
            fill=r['fill'],
            top1=r.get('top1'),
            **{k: r[k]
               for k in STAT_KEYS if k in r}) for r in rows
    ]


def main(argv=None) -> None:
    args = parse_args(argv)
    check_args(args)
    warn_unknown_cfg_options(args.cfg_options,
                             *(config for _, config, _ in args.model))
    os.makedirs(args.out_dir, exist_ok=True)
    files = {
        name: sweep_model(name, config, checkpoint, args)
        for name, config, checkpoint in args.model
    }
    if not is_main_process():  # every rank evaluates, rank 0 writes
        return
    headers, records = {}, {}
    for name in files:
        headers[name], found = read_records(files[name])
        records[name] = {
            (f, ): found[(f, )]
            for f in args.fills if (f, ) in found
        }
    baseline = args.baseline or args.model[0][0]
    stats, notes = paired_statistics(headers, records, baseline,
                                     args.confidence, args.bootstrap_resamples,
                                     args.bootstrap_seed)
    rows: List[Dict] = []
    for name in files:
        rows.extend(read_rows(files[name], args.fills, args.metric, stats))
    write_table(rows, osp.join(args.out_dir, 'results.csv'))
    summary = summarize(rows, args.fills, args.metric)
    wide = [dict(dict(model=r['model'], fill=None), **r) for r in summary]
    write_table(wide + fill_rows(rows), osp.join(args.out_dir, 'summary.csv'))
    table = format_table(summary, args.fills)
    title = (f'{args.metric} accuracy (%) with the background kept (none) '
             f'and stripped (mask {args.mask}, margin {args.margin:g}, seed '
             f'{args.seed}); in brackets: the ratio to none.')
    legend = stats_legend(baseline, args.confidence, args.bootstrap_resamples,
                          args.bootstrap_seed, stats)
    paired = stats_table(rows, ('fill', ), baseline, args.confidence)
    text = f'{title}\n\n{table}\n\n{legend}\n\n{paired}\n'
    if notes:
        text += '\n' + '\n'.join(f'- {note}' for note in notes) + '\n'
    with atomic_write(osp.join(args.out_dir, 'summary.md')) as f:
        f.write(text)
    plot_background_bars(rows, args.fills, args.metric,
                         osp.join(args.out_dir, PLOT), args.confidence)
    print(f'\nBackground influence: {text}')
    print(f'\nwrote {osp.join(args.out_dir, "results.csv")}, summary.csv, '
          f'summary.md and {PLOT}')


if __name__ == '__main__':
    main()
