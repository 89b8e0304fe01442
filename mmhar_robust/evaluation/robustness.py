"""Summaries of accuracy-versus-corruption results (after ImageNet-C and
RobustBench): area under the curve, relative robustness, corruption error.

The input is the unaggregated table: one row per (model, corruption, level)
with the metrics measured there. Everything else is computed from it.
"""
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from scipy.integrate import trapezoid

Row = Dict[str, object]


def area_under_curve(levels: Sequence[float],
                     values: Sequence[float]) -> float:
    """Trapezoidal area under ``values(levels)`` divided by the level range:
    the mean of the curve over the swept range (1.0 = perfect throughout)."""
    levels, values = np.asarray(levels, float), np.asarray(values, float)
    order = np.argsort(levels)
    levels, values = levels[order], values[order]
    if len(levels) < 2 or levels[-1] == levels[0]:
        return float(values.mean())
    return float(trapezoid(values, levels) / (levels[-1] - levels[0]))


def relative_robustness(value: float, clean: float) -> float:
    """``acc(level) / acc(clean)``; NaN if the clean accuracy is 0."""
    return float(value / clean) if clean > 0 else float('nan')


def corruption_error(values: Sequence[float],
                     baseline: Sequence[float]) -> float:
    """ImageNet-C's CE: summed error over levels, divided by the baseline
    model's summed error on the same levels (1.0 = as robust as baseline)."""
    err = np.sum(1 - np.asarray(values, float))
    base = np.sum(1 - np.asarray(baseline, float))
    return float(err / base) if base > 0 else float('nan')


def _curves(rows: Iterable[Row],
            metric: str) -> Dict[Tuple[str, str], Dict[float, float]]:
    curves: Dict[Tuple[str, str], Dict[float, float]] = defaultdict(dict)
    for row in rows:
        curves[(row['model'],
                row['corruption'])][float(row['level'])] = float(row[metric])
    return curves


def add_relative_robustness(rows: List[Row], metric: str = 'top1') -> None:
    """Add ``rel_<metric>`` = value / value at level 0 to every row."""
    curves = _curves(rows, metric)
    for row in rows:
        clean = curves[(row['model'], row['corruption'])].get(0.0)
        row[f'rel_{metric}'] = (
            relative_robustness(float(row[metric]), clean)
            if clean is not None else float('nan'))


def summarize(rows: List[Row],
              metric: str = 'top1',
              baseline: Optional[str] = None) -> List[Row]:
    """One row per (model, corruption): clean value, mean over levels, area
    under the curve, relative robustness at the highest level, and the
    corruption error against ``baseline`` (ImageNet-C's CE), plus, per model,
    a row with corruption ``'mean'`` holding the averages (mCE).

    Levels are compared on those every model was evaluated at.
    """
    curves = _curves(rows, metric)
    models = list(dict.fromkeys(r['model'] for r in rows))
    corruptions = list(dict.fromkeys(r['corruption'] for r in rows))
    if baseline is not None and baseline not in models:
        raise ValueError(f'baseline {baseline!r} is not among the models '
                         f'{models}')
    out: List[Row] = []
    for model in models:
        per_model = []
        for corruption in corruptions:
            curve = curves.get((model, corruption))
            if not curve:
                continue
            levels = sorted(curve)
            values = [curve[level] for level in levels]
            clean = curve.get(0.0, float('nan'))
            row: Row = dict(
                model=model,
                corruption=corruption,
                clean=clean,
                mean=float(np.mean(values)),
                auc=area_under_curve(levels, values),
                rel_at_max=relative_robustness(values[-1], clean),
                max_level=levels[-1])
            if baseline is not None:
                base = curves.get((baseline, corruption), {})
                shared = [level for level in levels if level in base]
                row['ce'] = corruption_error([curve[x] for x in shared],
                                             [base[x] for x in shared])
            per_model.append(row)
        out.extend(per_model)
        if len(per_model) > 1:
            mean_row: Row = dict(model=model, corruption='mean')
            for key in ('clean', 'mean', 'auc', 'rel_at_max', 'ce'):
                if key in per_model[0]:
                    mean_row[key] = float(np.mean([r[key] for r in per_model]))
            out.append(mean_row)
    return out


def format_table(summary: List[Row], metric: str = 'top1') -> str:
    """The summary as a Markdown table (percentages for accuracies)."""
    has_ce = any('ce' in r for r in summary)
    head = [
        'model', 'corruption', f'clean {metric}', f'mean {metric}', 'AUC',
        'rel. robustness @max'
    ] + (['CE (mCE)'] if has_ce else [])
    lines = ['| ' + ' | '.join(head) + ' |', '|' + ' --- |' * len(head)]

    def pct(x):
        return '' if x is None or x != x else f'{100 * x:.1f}'

    for r in summary:
        cells = [
            str(r['model']),
            str(r['corruption']),
            pct(r.get('clean')),
            pct(r.get('mean')),
            pct(r.get('auc')),
            '' if r.get('rel_at_max') is None else f'{r["rel_at_max"]:.3f}'
        ]
        if has_ce:
            ce = r.get('ce')
            cells.append('' if ce is None or ce != ce else f'{100 * ce:.1f}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)
