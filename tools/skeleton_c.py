"""Run the Skeleton-C corruption suite on checkpoints; write mPC/rPC tables.

Every model sees the same corrupted inputs (a sample's corruption depends
only on the seed, the sample, the corruption and the severity; the levels
come from the versioned suite file, mmhar_robust/suites/). Into
``--out-dir`` go:

- ``results_<model>[+<mitigation>].jsonl``: raw results per model (a rerun
  resumes from them);
- ``results.csv`` / ``results.json``: model, mitigation, suite, family,
  corruption, severity, top1, top5, mean_class, n_skipped (one-person clips
  a two-person corruption left out);
- ``summary.csv`` / ``summary.json`` / ``summary.md``: per model and
  mitigation: clean top-1, mPC, rPC and per-family mPC/rPC, with paired
  bootstrap intervals and the mPC difference to ``--baseline``;
- ``rpc_per_family.png``: rPC per family per model.

Example:
    python tools/skeleton_c.py \\
        --model stgcnpp CFG work_dirs/stgcnpp/best.pth \\
        --model posec3d CFG2 work_dirs/posec3d/best.pth \\
        --classic svm CFG work_dirs/classic/svm_rich.joblib \\
        --mitigation none interpolate --out-dir work_dirs/skeleton_c
"""
import argparse
import os
import os.path as osp
from typing import Dict, List

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
from mmengine.config import DictAction
from mmengine.dist import is_main_process

from mmhar_robust.suites import DEFAULT_VERSION, KNOWN_VERSIONS
from mmhar_robust.engine.runner.skeleton_c_conditions import MITIGATIONS
from mmhar_robust.engine.runner.sweep_records import read_sweep_file
from mmhar_robust.evaluation.skeleton_c import (bootstrap_mpc,
                                                clean_on_kept,
                                                families_of,
                                                format_mpc_table,
                                                mpc_summary)
from mmhar_robust.utils.atomic_write import atomic_write
from mmhar_robust.utils.sweep_io import short_metrics, write_table
from option_checks import warn_unknown_cfg_options
from runner_helpers import add_launcher_arguments, run_sweep
from sweep_args import (add_classic_argument, add_stats_arguments,
                        check_models, check_stats_arguments)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--model', nargs=3, action='append', default=[],
                   metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
                   help='a model to evaluate (repeat for several)')
    add_classic_argument(p, 'run on the same corrupted test samples')
    p.add_argument('--out-dir', required=True, help='where results go')
    p.add_argument('--suite', default=DEFAULT_VERSION,
                   choices=list(KNOWN_VERSIONS), help='suite version')
    p.add_argument('--families', nargs='+',
                   help='run only these families (default: all)')
    p.add_argument('--mitigation', nargs='+', default=['none'],
                   choices=list(MITIGATIONS),
                   help='test-time mitigations, each a run of every model '
                   '(default: none)')
    p.add_argument('--seed', type=int, default=0, help='corruption seed')
    p.add_argument('--baseline',
                   help='model of the mPC differences (default: the first)')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='config overrides applied to every model')
    p.add_argument('--conditions-per-pass', type=int,
                   help='evaluate at most this many conditions per read of '
                   'the test set (default: all in one pass; fewer bound '
                   'the memory and what a crash loses)')
    p.add_argument('--overwrite', action='store_true',
                   help='evaluate everything again instead of resuming')
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
    from mmhar_robust.suites import load_suite
    try:
        load_suite(args.suite).select(args.families)
    except ValueError as error:
        raise SystemExit(str(error)) from None


def run_name(model: str, mitigation: str) -> str:
    return model if mitigation == 'none' else f'{model}+{mitigation}'


def run_classic(run: str, config: str, model: str, mitigation: str,
                args: argparse.Namespace) -> str:
    """Run the suite on one classic baseline (rank 0 only); return its
    result file."""
    from mmengine.config import Config

    from mmhar_robust.baselines.skeleton_c import classic_skeleton_c
    from mmhar_robust.engine.runner.sweep_records import StaleResultsError
    out_file = osp.join(args.out_dir, f'results_{run}.jsonl')
    if is_main_process():
        cfg = Config.fromfile(config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        try:
            classic_skeleton_c(cfg, model, out_file, run, args.suite,
                               args.families, mitigation, args.seed,
                               args.overwrite)
        except StaleResultsError as error:
            raise SystemExit(f'{run}: {error}') from None
    return out_file


def table_rows(name: str, model: str, mitigation: str, path: str):
    """results.csv rows and per-sample outcomes of one run."""
    header, records = read_sweep_file(path)
    rows, outcomes = [], {}
    for rec in records:
        metrics = short_metrics(rec['metrics'])
        rows.append(
            dict(model=model, mitigation=mitigation,
                 suite=header['suite'], family=rec['family'],
                 corruption=rec['corruption'], severity=rec['severity'],
                 top1=metrics.get('top1'), top5=metrics.get('top5'),
                 mean_class=metrics.get('mean_class'),
                 n_skipped=int(rec['metrics'].get(
                     'skeleton_c/n_skipped', 0))))
        samples = rec.get('samples', {})
        if 'pred' in samples:
            key = (rec['family'], rec['corruption'], rec['severity'])
            outcomes[key] = samples
    return rows, outcomes


def plot_rpc(summary: List[Dict], path: str, suite: str) -> None:
    """Grouped bars: rPC per family, one bar per model run."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    families = families_of(summary[0])
    width = 0.8 / len(summary)
    fig, ax = plt.subplots(figsize=(1.4 * len(families) + 2, 3.5))
    for i, row in enumerate(summary):
        label = run_name(row['model'], row['mitigation'])
        ax.bar(np.arange(len(families)) + i * width,
               [row[f'rPC_{f}'] for f in families], width, label=label)
    ax.set_xticks(np.arange(len(families)) + 0.4 - width / 2)
    ax.set_xticklabels(families)
    ax.set_ylabel('rPC (mPC / clean top-1)')
    ax.set_title(f'{suite}: relative performance under corruption')
    ax.legend(fontsize='small')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    check_args(args)
    warn_unknown_cfg_options(
        args.cfg_options,
        *(config for _, config, _ in args.model + args.classic))
    os.makedirs(args.out_dir, exist_ok=True)
    files = {}
    for mitigation in args.mitigation:
        for name, config, checkpoint in args.model:
            loop = dict(type='SkeletonCTestLoop', suite=args.suite,
                        families=args.families, mitigation=mitigation,
                        seed=args.seed, overwrite=args.overwrite,
                        conditions_per_pass=args.conditions_per_pass)
            run = run_name(name, mitigation)
            files[run] = (name, mitigation,
                          run_sweep(config, checkpoint, loop, args.out_dir,
                                    run, 'skeleton_c', args.cfg_options,
                                    args.launcher))
        for name, config, model in args.classic:
            run = run_name(name, mitigation)
            files[run] = (name, mitigation,
                          run_classic(run, config, model, mitigation, args))
    if not is_main_process():
        return
    rows, outcomes = [], {}
    for run, (name, mitigation, path) in files.items():
        run_rows, outcomes[run] = table_rows(run, name, mitigation, path)
        rows += run_rows
    write_table(rows, osp.join(args.out_dir, 'results.csv'))
    summary = mpc_summary(rows)
    baseline = args.baseline or (args.model + args.classic)[0][0]
    notes = [f'suite {args.suite}, seed {args.seed}; mPC: mean over '
             'corruptions of the mean top-1 over severities 1-5; rPC = '
             'mPC / clean top-1; accuracies in %']
    complete = {r: o for r, o in outcomes.items() if o}
    if len(complete) == len(outcomes):
        try:
            intervals = bootstrap_mpc(complete, baseline,
                                      args.confidence,
                                      args.bootstrap_resamples,
                                      args.bootstrap_seed)
        except ValueError as error:
            intervals = {}
            notes.append(f'no intervals: {error}')
        for row in summary:
            row.update(intervals.get(run_name(row['model'],
                                              row['mitigation']), {}))
        notes.append(f'[low, high]: {100 * args.confidence:g} % percentile '
                     f'bootstrap over the test clips '
                     f'({args.bootstrap_resamples} resamples, seed '
                     f'{args.bootstrap_seed}), paired across models; '
                     f'diff_mPC: mPC minus that of {baseline!r}')
    else:
        notes.append('no intervals: some results lack per-sample outcomes')
    skipped = sorted({(r['corruption'], r['n_skipped']) for r in rows
                      if r['n_skipped']})
    for corruption, count in skipped:
        notes.append(f'{corruption}: {count} one-person clips skipped '
                     '(left out of its accuracy)')
    for row in summary:
        row['suite'] = args.suite
        row['clean_two_person'] = clean_on_kept(
            outcomes[run_name(row['model'], row['mitigation'])])
    if any(row['clean_two_person'] is not None for row in summary):
        notes.append('clean top-1, two-person clips: the clean accuracy of '
                     'the clips the two-person corruptions keep, against '
                     'which their rows are read')
    write_table(summary, osp.join(args.out_dir, 'summary.csv'))
    text = format_mpc_table(summary, args.suite) + '\n\n' + '\n'.join(
        f'- {n}' for n in notes) + '\n'
    with atomic_write(osp.join(args.out_dir, 'summary.md')) as f:
        f.write(text)
    plot_rpc(summary, osp.join(args.out_dir, 'rpc_per_family.png'),
             args.suite)
    print(f'\n{text}\nwrote results.csv, summary.csv, summary.md and '
          f'rpc_per_family.png to {args.out_dir}')


if __name__ == '__main__':
    main()
