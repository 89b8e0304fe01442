"""Skeleton-C summaries: mean performance under corruption (mPC), relative
to clean (rPC), per family, with paired bootstrap intervals.

For a model, ``mPC`` is the mean over the suite's corruptions of the mean
top-1 over severities 1-5 (ImageNet-C's mPC); a family's mPC is the same over
its corruptions; ``rPC = mPC / clean top-1``. Intervals resample the test
clips: each resample's accuracies of every condition are recomputed from the
per-sample outcomes (two-person corruptions over their two-person clips
only), and mPC, rPC and the differences to the baseline from those, with the
same resamples for every model, which is what pairs the differences.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

Row = Dict


def _groups(rows: Sequence[Row]) -> Dict[str, List[str]]:
    """Family -> its corruptions, in row order (clean excluded)."""
    out: Dict[str, List[str]] = {}
    for r in rows:
        if r['severity'] != 0 and r['corruption'] not in out.setdefault(
                r['family'], []):
            out[r['family']].append(r['corruption'])
    return out


def families_of(row: Row) -> List[str]:
    """The families of a summary row, in order (its ``mPC_<family>`` keys,
    not the interval bounds)."""
    return [
        k[4:] for k in row
        if k.startswith('mPC_') and not k.endswith(('_low', '_high'))
    ]


def clean_on_kept(outcomes: Dict[Tuple[str, str, int], Dict]
                  ) -> Optional[float]:
    """Clean top-1 over the clips a two-person corruption keeps (those not
    predicted -1 in any of its records): what its accuracy should be read
    against. None if no corruption skipped a clip.

    Args:
        outcomes (dict): ``(family, corruption, severity) -> dict(pred,
            gt)`` of one model.
    """
    clean = outcomes.get(('clean', 'clean', 0))
    skipped = [np.asarray(o['pred']) == -1 for o in outcomes.values()]
    skipped = [s for s in skipped if s.any()]
    if clean is None or not skipped:
        return None
    kept = ~np.any(skipped, axis=0)
    if not kept.any():
        return float('nan')
    right = np.asarray(clean['pred']) == np.asarray(clean['gt'])
    return float(right[kept].mean())


def _mpc(acc: Dict[Tuple[str, int], float], corruptions: Sequence[str]):
    means = [
        np.mean([v for (c, s), v in acc.items() if c == name and s > 0])
        for name in corruptions
    ]
    return float(np.mean(means)) if means else float('nan')


def mpc_summary(rows: Sequence[Row], metric: str = 'top1') -> List[Row]:
    """Per model (and mitigation): clean accuracy, mPC, rPC and per-family
    mPC and rPC, from an unaggregated results table (rows with model,
    family, corruption, severity and the metric; severity 0 is clean)."""
    out = []
    keys = list(dict.fromkeys((r['model'], r.get('mitigation', 'none'))
                              for r in rows))
    for model, mitigation in keys:
        mine = [
            r for r in rows
            if r['model'] == model and r.get('mitigation', 'none') ==
            mitigation
        ]
        clean = next((r[metric] for r in mine if r['severity'] == 0),
                     float('nan'))
        acc = {(r['corruption'], r['severity']): r[metric] for r in mine}
        groups = _groups(mine)
        every = [c for names in groups.values() for c in names]
        row = dict(model=model, mitigation=mitigation, clean=clean,
                   mPC=_mpc(acc, every))
        row['rPC'] = row['mPC'] / clean if clean else float('nan')
        for family, names in groups.items():
            row[f'mPC_{family}'] = _mpc(acc, names)
            row[f'rPC_{family}'] = (row[f'mPC_{family}'] / clean
                                    if clean else float('nan'))
        out.append(row)
    return out


def _stats(correct: np.ndarray, kept: np.ndarray, weights: np.ndarray,
           conditions: List[Tuple[str, str, int]],
           groups: Dict[str, List[str]]) -> Dict[str, np.ndarray]:
    """mPC, rPC, clean and family mPCs for each row of ``weights``."""
    acc = (weights @ (correct & kept).T) / np.maximum(weights @ kept.T, 1)
    index = {(c, s): i for i, (_, c, s) in enumerate(conditions)}
    clean = acc[:, index[('clean', 0)]]

    def mean_of(names):
        per = [
            acc[:, [i for (c, s), i in index.items() if c == n and s > 0]]
            .mean(axis=1) for n in names
        ]
        return np.mean(per, axis=0)

    every = [c for names in groups.values() for c in names]
    out = dict(clean=clean, mPC=mean_of(every))
    out['rPC'] = out['mPC'] / np.where(clean > 0, clean, np.nan)
    for family, names in groups.items():
        out[f'mPC_{family}'] = mean_of(names)
    return out


def bootstrap_mpc(outcomes: Dict[str, Dict[Tuple[str, str, int], Dict]],
                  baseline: Optional[str] = None,
                  confidence: float = 0.95,
                  num_resamples: int = 10000,
                  seed: int = 0,
                  batch: int = 500) -> Dict[str, Dict[str, float]]:
    """Percentile bootstrap intervals of clean, mPC, rPC and per-family mPC
    of every model, and of its mPC minus the baseline's (paired).

    Args:
        outcomes (dict): Model -> {(family, corruption, severity) ->
            ``dict(pred, gt)``} (a record's ``samples``; a prediction of -1
            is a clip the corruption skipped). Every model must have the same
            conditions and test clips.
        baseline (str, optional): Model the differences are taken to.
            Defaults to None (no differences).
        confidence (float): Coverage. Defaults to 0.95.
        num_resamples (int): Resamples of the test clips. Defaults to 10000.
        seed (int): Bootstrap seed. Defaults to 0.
        batch (int): Resamples drawn at once. Defaults to 500.

    Returns:
        dict: model -> ``{<stat>_low, <stat>_high}`` (and
        ``diff_mPC``, ``diff_mPC_low/high`` against the baseline).
    """
    models = list(outcomes)
    conditions = list(outcomes[models[0]])
    groups = _groups([dict(family=f, corruption=c, severity=s)
                      for f, c, s in conditions])
    data = {}
    for model in models:
        if list(outcomes[model]) != conditions:
            raise ValueError(f'{model}: other conditions than {models[0]}')
        pred = np.array([outcomes[model][k]['pred'] for k in conditions])
        gt = np.array([outcomes[model][k]['gt'] for k in conditions])
        data[model] = (pred == gt, pred != -1)
    n = data[models[0]][0].shape[1]
    rng = np.random.default_rng(seed)
    draws: Dict[str, Dict[str, List[np.ndarray]]] = {m: {} for m in models}
    done = 0
    while done < num_resamples:
        size = min(batch, num_resamples - done)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        weights = weights.astype(np.float64)
        for model in models:
            stats = _stats(*data[model], weights, conditions, groups)
            for key, values in stats.items():
                draws[model].setdefault(key, []).append(values)
        done += size
    tail = 100 * (1 - confidence) / 2
    out: Dict[str, Dict[str, float]] = {}
    for model in models:
        stats = {k: np.concatenate(v) for k, v in draws[model].items()}
        if baseline is not None and model != baseline:
            stats['diff_mPC'] = stats['mPC'] - np.concatenate(
                draws[baseline]['mPC'])
        row = {}
        for key, values in stats.items():
            low, high = np.nanpercentile(values, [tail, 100 - tail])
            row[f'{key}_low'], row[f'{key}_high'] = float(low), float(high)
        out[model] = row
    return out


def format_mpc_table(summary: Sequence[Row], suite: str) -> str:
    """Markdown: one row per model, accuracies in %."""
    families = families_of(summary[0]) if summary else []
    two_person = any(r.get('clean_two_person') is not None for r in summary)

    def cell(row, key):
        value = row.get(key)
        if value is None or value != value:
            return ''
        text = f'{100 * value:.1f}'
        if f'{key}_low' in row:
            text += (f' [{100 * row[f"{key}_low"]:.1f}, '
                     f'{100 * row[f"{key}_high"]:.1f}]')
        return text

    extra = ['clean_two_person'] if two_person else []
    head = ['model', 'mitigation', 'clean top-1'] + [
        'clean top-1, two-person clips'
    ] * two_person + ['mPC', 'rPC'] + [f'mPC {f}' for f in families]
    lines = [f'Suite: {suite}', '', '| ' + ' | '.join(head) + ' |',
             '|' + ' --- |' * len(head)]
    for row in summary:
        cells = [row['model'], row['mitigation']] + [
            cell(row, k) for k in ['clean'] + extra + ['mPC', 'rPC'] +
            [f'mPC_{f}' for f in families]
        ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)
