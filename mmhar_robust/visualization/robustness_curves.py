"""Accuracy-versus-corruption curves (every model on one plot per
corruption) and the background-influence bars, with the bootstrap
intervals of top-1 as bands or error bars.

Drawn with matplotlib's object API (``Figure``, no pyplot state), so
importing this module selects no backend and leaves other plots alone.
"""
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..utils.atomic_write import atomic_path


def _band(ax, xs: Sequence[float], curve: Dict, low: str, high: str,
          colour) -> None:
    """Shade ``[curve[x][low], curve[x][high]]`` (in %) over the points that
    have an interval."""
    points = [x for x in xs if low in curve[x]]
    if points:
        ax.fill_between(
            points, [100 * curve[x][low] for x in points],
            [100 * curve[x][high] for x in points],
            color=colour,
            alpha=0.2,
            linewidth=0)


def plot_robustness_curves(rows: List[Dict],
                           out_dir: str,
                           metric: str = 'top1',
                           baseline: Optional[str] = None,
                           confidence: float = 0.95) -> List[str]:
    """Write ``curve_<corruption>.png`` for each corruption in ``rows``.

    Levels are spaced evenly on the x axis and labelled with their values:
    sweeps use roughly logarithmic levels that include 0. With ``metric``
    top1, rows holding ``top1_low``/``top1_high`` get their interval as a
    band; when rows hold a paired difference to the baseline
    (``diff_top1`` and its interval), a lower panel shows it in points.

    Args:
        rows (list[dict]): One per model, corruption and level.
        out_dir (str): Where the files go.
        metric (str): The metric plotted. Defaults to 'top1'.
        baseline (str, optional): Names the baseline in the lower panel's
            label. Defaults to None.
        confidence (float): Coverage of the intervals, for the title.
            Defaults to 0.95.

    Returns:
        list[str]: The files written.
    """
    by_corruption: Dict[str, Dict[str, Dict[float, Dict]]] = defaultdict(
        lambda: defaultdict(dict))
    for row in rows:
        by_corruption[row['corruption']][row['model']][float(
            row['level'])] = row
    paths = []
    for corruption, models in by_corruption.items():
        levels = sorted({lv for curve in models.values() for lv in curve})
        position = {lv: i for i, lv in enumerate(levels)}
        has_diff = any('diff_top1' in r for curve in models.values()
                       for r in curve.values())
        fig = Figure(figsize=(7, 7 if has_diff else 4.5))
        if has_diff:
            ax, diff_ax = fig.subplots(
                2, 1, sharex=True, gridspec_kw=dict(height_ratios=(2, 1)))
        else:
            ax, diff_ax = fig.subplots(), None
        bands = False
        for model, curve in models.items():
            xs = sorted(curve)
            line, = ax.plot([position[x] for x in xs],
                            [100 * float(curve[x][metric]) for x in xs],
                            marker='o',
                            label=model)
            at = {position[x]: curve[x] for x in xs}
            if metric == 'top1':
                _band(ax, list(at), at, 'top1_low', 'top1_high',
                      line.get_color())
                bands = bands or any('top1_low' in r for r in at.values())
            if diff_ax is not None and any('diff_top1' in r
                                           for r in at.values()):
                paired = [p for p in at if 'diff_top1' in at[p]]
                diff_ax.plot(
                    paired, [100 * at[p]['diff_top1'] for p in paired],
                    marker='o',
                    color=line.get_color())
                _band(diff_ax, paired, at, 'diff_top1_low', 'diff_top1_high',
                      line.get_color())
        bottom = diff_ax if diff_ax is not None else ax
        bottom.set_xticks(range(len(levels)))
        bottom.set_xticklabels([f'{lv:g}' for lv in levels], rotation=45)
        bottom.set_xlabel(f'{corruption} level')
        ax.set_ylabel(f'{metric} accuracy (%)')
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        title = f'Accuracy under {corruption} keypoint corruption'
        if bands:
            title += (f'\n(bands: {100 * confidence:g} % bootstrap intervals '
                      'of top-1)')
        ax.set_title(title)
        ax.legend()
        if diff_ax is not None:
            diff_ax.axhline(0, color='grey', linewidth=0.8)
            diff_ax.set_ylabel(f'top-1 - {baseline or "baseline"}\n(points)')
            diff_ax.grid(alpha=0.3)
        fig.tight_layout()
        path = osp.join(out_dir, f'curve_{corruption}.png')
        with atomic_path(path) as temporary:  # a kill leaves the old plot
            fig.savefig(temporary, dpi=120)
        paths.append(path)
    return paths


def plot_background_bars(rows: List[Dict],
                         fills: Sequence[str],
                         metric: str,
                         path: str,
                         confidence: float = 0.95) -> str:
    """Grouped bars: one group per fill, one bar per model; with metric
    top1, the rows' ``top1_low``/``top1_high`` as error bars.

    Returns:
        str: ``path``.
    """
    models = list(dict.fromkeys(r['model'] for r in rows))
    by_key = {(r['model'], r['fill']): r for r in rows}
    width = 0.8 / len(models)
    fig = Figure(figsize=(1.2 + 1.1 * len(fills), 4.5))
    ax = fig.subplots()
    errors = False
    for i, model in enumerate(models):
        xs = np.arange(len(fills)) + (i - (len(models) - 1) / 2) * width
        found = [by_key.get((model, f), {}) for f in fills]
        values = [100 * r[metric] if metric in r else np.nan for r in found]
        yerr = None
        if metric == 'top1' and any('top1_low' in r for r in found):
            yerr = np.array(
                [[r[metric] - r['top1_low'], r['top1_high'] -
                  r[metric]] if 'top1_low' in r else [0, 0] for r in found]).T
            # A percentile interval may miss the estimate by a hair.
            yerr = 100 * np.clip(yerr, 0, None)
            errors = True
        ax.bar(xs, values, width, yerr=yerr, capsize=3, label=model)
    ax.set_xticks(range(len(fills)))
    ax.set_xticklabels(fills)
    ax.set_xlabel('background fill (none: kept)')
    ax.set_ylabel(f'{metric} accuracy (%)')
    ax.set_ylim(0, 100)
    ax.grid(axis='y', alpha=0.3)
    title = 'Accuracy with the background kept and stripped'
    if errors:
        title += (f'\n(error bars: {100 * confidence:g} % bootstrap '
                  'intervals)')
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    with atomic_path(path) as temporary:
        fig.savefig(temporary, dpi=120)
    return path
