"""Accuracy-versus-corruption curves: every model on one plot per corruption."""
import os.path as osp
from collections import defaultdict
from typing import Dict, List

import matplotlib

matplotlib.use('Agg')  # files only; never needs a display
import matplotlib.pyplot as plt  # noqa: E402


def plot_robustness_curves(rows: List[Dict],
                           out_dir: str,
                           metric: str = 'top1') -> List[str]:
    """Write ``curve_<corruption>.png`` for each corruption in ``rows``.

    Levels are spaced evenly on the x axis and labelled with their values:
    sweeps use roughly logarithmic levels that include 0.

    Returns:
        list[str]: The files written.
    """
    by_corruption: Dict[str, Dict[str, Dict[float, float]]] = defaultdict(
        lambda: defaultdict(dict))
    for row in rows:
        by_corruption[row['corruption']][row['model']][float(
            row['level'])] = 100 * float(row[metric])
    paths = []
    for corruption, models in by_corruption.items():
        levels = sorted({lv for curve in models.values() for lv in curve})
        position = {lv: i for i, lv in enumerate(levels)}
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for model, curve in models.items():
            xs = sorted(curve)
            ax.plot([position[x] for x in xs], [curve[x] for x in xs],
                    marker='o',
                    label=model)
        ax.set_xticks(range(len(levels)))
        ax.set_xticklabels([f'{lv:g}' for lv in levels], rotation=45)
        ax.set_xlabel(f'{corruption} level')
        ax.set_ylabel(f'{metric} accuracy (%)')
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.set_title(f'Accuracy under {corruption} keypoint corruption')
        ax.legend()
        fig.tight_layout()
        path = osp.join(out_dir, f'curve_{corruption}.png')
        fig.savefig(path, dpi=120)
        plt.close(fig)
        paths.append(path)
    return paths
