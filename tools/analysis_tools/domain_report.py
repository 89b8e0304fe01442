"""Per ground-truth class, count what a model predicts (a domain-test table).

Reads the predictions that ``tools/test.py CONFIG CKPT --dump results.pkl``
writes (MMEngine's ``DumpResults``: a list with one dict per test sample,
holding ``gt_label`` and ``pred_score`` tensors and the sample's metainfo), or
a pickle of a plain list of ``{'gt_label', 'pred_score'}`` dicts, or of one
dict ``{'gt_label': (N,), 'pred_score': (N, C)}``.

Example:
    python tools/analysis_tools/domain_report.py results.pkl \\
        --classes data/bast/classes.txt --top-n 3 --out domain.md
"""
import argparse
import csv
import os.path as osp
import pickle
import sys
from typing import Any, List, Optional, Sequence, Tuple

import mmhar_robust  # noqa: F401  (compat fixes and registration come first)
import numpy as np
from mmengine.config import Config

from mmhar_robust.evaluation.domain_report import (CSV_HEADER, domain_table,
                                                   to_csv_rows, to_markdown)
from mmhar_robust.evaluation.metrics.class_report import compute_class_report
from mmhar_robust.evaluation.metrics.sample_fields import (describe,
                                                           stack_predictions)
from mmhar_robust.registry import DATASETS


def load_predictions(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """Labels ``(N,)`` and scores ``(N, C)`` from a predictions pickle.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if it is not a pickle of predictions, or a sample is
            malformed (the message names the file and the sample).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'predictions file not found: {path}')
    try:
        with open(path, 'rb') as f:
            data = pickle.load(f)
    except Exception as err:  # truncated, not a pickle, unknown class, ...
        raise ValueError(f'{path}: cannot read the pickle '
                         f'({type(err).__name__}: {err})') from err
    if isinstance(data, dict) and {'gt_label', 'pred_score'} <= set(data):
        if len(data['gt_label']) != len(data['pred_score']):
            raise ValueError(f'{path}: {len(data["gt_label"])} labels but '
                             f'{len(data["pred_score"])} score vectors')
        data = [
            dict(gt_label=g, pred_score=s)
            for g, s in zip(data['gt_label'], data['pred_score'])
        ]
    if not isinstance(data, (list, tuple)):
        raise ValueError(f'{path}: expected a list of predictions (as '
                         "tools/test.py --dump writes) or a dict of "
                         f"'gt_label' and 'pred_score', got "
                         f'{type(data).__name__}')
    labels, scores = stack_predictions(data, path)
    bad = np.flatnonzero((labels < 0) | (labels >= scores.shape[1]))
    if bad.size:
        raise ValueError(f'{describe(data[bad[0]], path, int(bad[0]))}, '
                         f"field 'gt_label': label {labels[bad[0]]} is "
                         f'outside [0, {scores.shape[1]}) (the scores have '
                         f'{scores.shape[1]} classes)')
    return labels, scores


def read_class_file(path: str) -> List[str]:
    """Class names, one per line (blank lines skipped)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'class names file not found: {path}')
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip()]


def classes_from_config(path: str) -> List[str]:
    """``metainfo['classes']`` of the config's test dataset (a list, or a
    file of names), else the ``METAINFO`` of its dataset class."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config not found: {path}')
    cfg = Config.fromfile(path)
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    dataset = loader.get('dataset') if loader else None
    while dataset is not None and 'dataset' in dataset:  # dataset wrappers
        dataset = dataset['dataset']
    if dataset is None:
        raise ValueError(f'{path}: no test_dataloader.dataset')
    classes = (dataset.get('metainfo') or {}).get('classes')
    if classes is None and isinstance(dataset.get('type'), str) and \
            DATASETS.get(dataset['type']) is not None:
        classes = getattr(DATASETS.get(dataset['type']), 'METAINFO',
                          {}).get('classes')
    if classes is None:
        raise ValueError(f"{path}: the test dataset has no metainfo "
                         "['classes']; pass the names with --classes FILE")
    return read_class_file(classes) if isinstance(classes, str) \
        else [str(c) for c in classes]


def write_report(rows: Sequence[Any], out: str) -> None:
    """Write the table as Markdown (``.md``) or CSV (``.csv``)."""
    if out.endswith('.csv'):
        with open(out, 'w', newline='', encoding='utf-8') as f:
            writer = csv.DictWriter(f, fieldnames=CSV_HEADER)
            writer.writeheader()
            writer.writerows(to_csv_rows(rows))
    else:
        with open(out, 'w', encoding='utf-8') as f:
            f.write(to_markdown(rows) + '\n')


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', help='pickle from tools/test.py --dump')
    names = parser.add_mutually_exclusive_group()
    names.add_argument('--classes', help='class names, one per line')
    names.add_argument(
        '--config', help="config whose test dataset has metainfo['classes']")
    parser.add_argument(
        '--top-n',
        type=int,
        default=None,
        help='predicted classes listed per ground-truth class (default: all)')
    parser.add_argument('--out', help='also write the table to a .md or .csv')
    args = parser.parse_args(argv)
    if args.top_n is not None and args.top_n < 1:
        parser.error(f'--top-n must be at least 1, got {args.top_n}')
    if args.out is not None and not args.out.endswith(('.md', '.csv')):
        parser.error(f'--out must end with .md or .csv, got {args.out}')
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        labels, scores = load_predictions(args.results)
        names, names_from = None, None
        if args.classes or args.config:
            names_from = args.classes or args.config
            names = (
                read_class_file(args.classes)
                if args.classes else classes_from_config(args.config))
            if len(names) != scores.shape[1]:
                raise ValueError(
                    f'{names_from}: {len(names)} class names, but the '
                    f'scores in {args.results} have {scores.shape[1]} '
                    'classes')
        rows = domain_table(labels, scores, names, args.top_n)
    except (FileNotFoundError, ValueError) as err:
        print(f'domain_report: error: {err}', file=sys.stderr)
        return 1
    summary = compute_class_report(labels, scores).summary
    print(f'{args.results}: {len(labels)} samples, {scores.shape[1]} '
          f'classes, top-1 {100 * summary["top1"]:.1f}%, mean class '
          f'accuracy {100 * summary["mean_class_accuracy"]:.1f}%\n')
    print(to_markdown(rows))
    if args.out:
        write_report(rows, args.out)
        print(f'\nwritten to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
