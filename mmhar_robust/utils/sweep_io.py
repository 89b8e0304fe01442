"""What the sweep tools (noise sweep, background influence) share: writing
result tables, and the per-sample statistics (top-1 intervals, paired tests
against a baseline) computed from the result files. Their command-line checks
live in tools/sweep_args.py."""
import csv
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..evaluation.paired_stats import (bootstrap_ci, discordant_pairs,
                                       mcnemar_exact, paired_bootstrap_diff)
from .atomic_write import atomic_write

# Short metric name -> the evaluator keys that give it (mmaction2's
# AccMetric's, then ClassReportMetric's): the columns of the result tables.
SHORT_METRICS = {
    'top1': ('acc/top1', ),
    'top5': ('acc/top5', ),
    'mean_class': ('acc/mean1', 'acc/mean_class_accuracy'),
    'macro_f1': ('acc/macro_f1', )
}


def short_metrics(metrics: Dict[str, float]) -> Dict[str, float]:
    """The :data:`SHORT_METRICS` found in an evaluator's output."""
    out = {}
    for short, keys in SHORT_METRICS.items():
        key = next((k for k in keys if k in metrics), None)
        if key is not None:
            out[short] = metrics[key]
    return out


def write_table(rows: List[Dict], path: str) -> None:
    """``rows`` as a CSV at ``path`` and as JSON beside it."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    # Replaced whole: a kill leaves the previous table, never half of one.
    with atomic_write(path, newline='') as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    with atomic_write(osp.splitext(path)[0] + '.json') as f:
        json.dump(rows, f, indent=1)


# Header fields that differ between models by nature (each model has its
# own weights and config, its own test pipeline after the corruption); any
# other difference (noise scale, seed, mask, annotation files, corruption
# code ...) means the models saw different inputs.
_OWN_FIELDS = ('model', 'checkpoint', 'checkpoint_sha256', 'model_config',
               'model_config_sha256', 'test_dataset', 'test_dataset_sha256',
               'evaluator', 'evaluator_sha256', 'fp16')
STAT_KEYS = ('n_samples', 'top1_low', 'top1_high', 'diff_top1',
             'diff_top1_low', 'diff_top1_high', 'model_only_correct',
             'baseline_only_correct', 'mcnemar_p')


def _correct(record: Dict) -> Optional[np.ndarray]:
    samples = record.get('samples') or {}
    if 'pred' not in samples:
        return None
    return np.asarray(samples['pred']) == np.asarray(samples['gt'])


def _missing(model: str, records: Dict[tuple, Dict]) -> List[str]:
    """Notes on the records of a model that carry no outcomes."""
    old = [k for k, r in records.items() if 'samples' not in r]
    notes = []
    if old:
        notes.append(
            f'{model}: {len(old)} result(s) written before per-sample '
            'outcomes were kept, so no interval or paired test for them; '
            f'delete results_{model}.jsonl and rerun to get them')
    why = {
        r['samples']['missing']
        for r in records.values() if 'missing' in r.get('samples', {})
    }
    notes += [f'{model}: no per-sample outcomes ({w})' for w in sorted(why)]
    return notes


def paired_statistics(headers: Dict[str, Dict],
                      records: Dict[str, Dict[tuple, Dict]],
                      baseline: str,
                      confidence: float = 0.95,
                      num_resamples: int = 10000,
                      seed: int = 0) -> Tuple[Dict, List[str]]:
    """Top-1 intervals and paired tests against ``baseline`` for every model
    and condition whose record kept per-sample outcomes.

    Args:
        headers (dict): Model name -> its result file's header.
        records (dict): Model name -> {condition key -> record}.
        baseline (str): The model the others are compared with.
        confidence (float): Coverage of the intervals. Defaults to 0.95.
        num_resamples (int): Bootstrap resamples. Defaults to 10000.
        seed (int): Seed of every bootstrap (each starts from it afresh, so
            a result does not depend on the other models). Defaults to 0.

    Returns:
        tuple[dict, list[str]]: ``{(model, key): stats}``, stats keyed by
        :data:`STAT_KEYS` (the paired ones only where the pairing holds),
        and notes on what could not be computed and why.
    """
    stats: Dict = {}
    notes: List[str] = []
    base_header = headers.get(baseline, {})
    for model, by_key in records.items():
        notes += _missing(model, by_key)
        other = sorted(
            k for k in set(headers[model]) | set(base_header)
            if k not in _OWN_FIELDS
            and headers[model].get(k) != base_header.get(k))
        if model != baseline and other:
            notes.append(
                f'{model}: not paired with {baseline}, the inputs differ '
                f'({", ".join(other)} in the result headers)')
        unpaired = set()
        for key, record in by_key.items():
            correct = _correct(record)
            if correct is None:
                continue
            low, high = bootstrap_ci(correct, confidence, num_resamples, seed)
            row = dict(
                n_samples=int(correct.size), top1_low=low, top1_high=high)
            top1 = record.get('metrics', {}).get('acc/top1')
            if top1 is not None and abs(top1 - correct.mean()) > 1e-6:
                notes.append(f'{model} {key}: the outcomes give top-1 '
                             f'{correct.mean():.4f}, the evaluator {top1:.4f}')
            stats[(model, key)] = row
            base = records.get(baseline, {}).get(key)
            base_correct = None if base is None else _correct(base)
            if model == baseline or other or base_correct is None:
                continue
            mine, theirs = record['samples'], base['samples']
            if (mine['test_set_sha256'] != theirs['test_set_sha256']
                    or mine['gt'] != theirs['gt']):
                unpaired.add(key)
                continue
            diff, d_low, d_high = paired_bootstrap_diff(
                correct, base_correct, confidence, num_resamples, seed)
            b, c = discordant_pairs(correct, base_correct)
            row.update(
                diff_top1=diff,
                diff_top1_low=d_low,
                diff_top1_high=d_high,
                model_only_correct=b,
                baseline_only_correct=c,
                mcnemar_p=mcnemar_exact(b, c))
        if unpaired:
            notes.append(
                f'{model}: not paired with {baseline} on another test set '
                f'({len(unpaired)} condition(s))')
    return stats, notes


def _pct(value: float) -> str:
    return f'{100 * value:.1f}'


def stats_cells(row: Dict) -> List[str]:
    """Markdown cells of one row's statistics: top-1 with its interval,
    the difference to the baseline with its interval (in points), the
    discordant counts and the McNemar p-value."""
    top1 = row.get('top1')
    cells = ['' if top1 is None else _pct(top1)]
    if 'top1_low' in row:
        cells[0] += f' [{_pct(row["top1_low"])}, {_pct(row["top1_high"])}]'
    if 'diff_top1' not in row:
        return cells + ['', '', '']
    p = row['mcnemar_p']
    return cells + [
        f'{100 * row["diff_top1"]:+.1f} [{100 * row["diff_top1_low"]:+.1f}, '
        f'{100 * row["diff_top1_high"]:+.1f}]',
        f'{row["model_only_correct"]} / {row["baseline_only_correct"]}',
        f'{p:.3f}' if p >= 0.001 else f'{p:.1e}'
    ]


def stats_table(rows: List[Dict],
                fields: Sequence[str],
                baseline: str,
                confidence: float = 0.95) -> str:
    """Markdown table of :func:`stats_cells`, one row per model and
    condition (``fields`` name the condition's columns)."""
    ci = f'{100 * confidence:g} % CI'
    head = [
        'model', *fields, f'top-1 % [{ci}]',
        f'Δ top-1 vs {baseline}, points [{ci}]',
        f'right only: model / {baseline}', 'McNemar p'
    ]
    lines = ['| ' + ' | '.join(head) + ' |', '|' + ' --- |' * len(head)]
    for row in rows:
        cells = [str(row['model'])] + [
            f'{row[f]:g}' if isinstance(row[f], float) else str(row[f])
            for f in fields
        ]
        lines.append('| ' + ' | '.join(cells + stats_cells(row)) + ' |')
    return '\n'.join(lines)


def stats_legend(baseline: str,
                 confidence: float,
                 num_resamples: int,
                 seed: int,
                 stats: Optional[Dict] = None) -> str:
    """What :func:`stats_table`'s columns mean, for the Markdown summary;
    with ``stats`` (:func:`paired_statistics`), also how many samples."""
    sizes = sorted({row['n_samples'] for row in (stats or {}).values()})
    of = ('the test samples'
          if not sizes else f'the {sizes[0]} test samples' if len(sizes) == 1
          else f'the {"/".join(map(str, sizes))} test samples')
    return (f'Top-1 with its {100 * confidence:g} % percentile bootstrap '
            f'interval ({num_resamples} resamples of {of}, seed {seed}); Δ: '
            f'top-1 minus that of {baseline!r} on the same inputs, with its '
            'paired bootstrap interval; right only: samples only the model / '
            f'only {baseline!r} got right; McNemar p: exact two-sided test of '
            'equal accuracy on those samples.')
