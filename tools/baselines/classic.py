"""Fit and evaluate seed 000's classic baselines on a config's data.

Hand-crafted features (basic / rich / extended, ``mmhar_robust.baselines``)
of the config's training split, five scikit-learn classifiers, evaluated on
its test split with ``ClassReportMetric``'s definitions. Into ``--work-dir``
go ``<classifier>_<features>.joblib`` (the fitted model with its feature
set and layout), ``classic_results.csv`` / ``.json`` (one row per model:
fit seconds, top-1, top-5 where the model gives probabilities, mean class
accuracy) and ``classic_results.md`` (seed 000's Table 3 layout).

To sweep a saved model over keypoint noise beside deep models, give it to
``tools/noise_sweep.py --classic NAME CONFIG MODEL.joblib``.

Example:
    python tools/baselines/classic.py \\
        configs/skeleton/stgcnpp/stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py \\
        --classifiers knn svm --features basic extended \\
        --work-dir work_dirs/classic_babel60
"""
import argparse
import os
import os.path as osp
import time
from typing import Dict, List

from mmengine.config import Config, DictAction

import mmhar_robust  # noqa: F401  (compat fixes and registration first)
from mmhar_robust.baselines.classic import (CLASSIFIERS, build_classifier,
                                            class_scores, evaluate_scores,
                                            has_proba, limit_threads,
                                            load_model, save_model)
from mmhar_robust.baselines.features import FEATURE_SETS, feature_dim
from mmhar_robust.baselines.reader import (build_dataset, cut_pipeline,
                                           num_classes_of, read_features)
from mmhar_robust.utils.sweep_io import write_table


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='config whose train/test data are read')
    p.add_argument(
        '--classifiers',
        nargs='+',
        choices=CLASSIFIERS,
        default=list(CLASSIFIERS),
        help='classifiers to fit (default: all five)')
    p.add_argument(
        '--features',
        nargs='+',
        choices=FEATURE_SETS,
        default=list(FEATURE_SETS),
        help='feature sets (default: all three)')
    p.add_argument('--work-dir', help='output folder (default: '
                   'work_dirs/classic_<config name>)')
    p.add_argument(
        '--layout',
        choices=['nturgb+d', 'coco'],
        help='skeleton layout (default: from the joint count)')
    p.add_argument(
        '--load',
        help='evaluate this saved model (.joblib) instead of fitting; its '
        'feature set must be the one of --features')
    p.add_argument('--seed', type=int, default=0, help='estimator seed')
    p.add_argument(
        '--jobs',
        type=int,
        help='parallel jobs of KNN and the forest, and the OpenMP/BLAS '
        'threads of the fits (default: the libraries\' own; use 1 on a '
        'loaded machine)')
    p.add_argument(
        '--limit',
        type=int,
        help='read only the first N samples of each split (quick checks)')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='config overrides (e.g. test_dataloader.dataset.ann_file=...)')
    return p.parse_args(argv)


def _features(cfg, split: str, feature_sets: List[str], layout, limit):
    """Each requested feature set of a split, from one pass: the sets are
    prefixes of each other (basic < rich < extended)."""
    dataset = build_dataset(cfg, split)
    cut_pipeline(dataset)
    largest = max(feature_sets, key=FEATURE_SETS.index)
    x, y, _, layout = read_features(dataset, largest, layout, limit)
    # D = 2C (basic), 8C (rich) or 8C + 2P (extended; feature_dim with C=0
    # is 2P).
    extra = feature_dim(largest, layout, 0)
    channels = (x.shape[1] - extra) // (2 if largest == 'basic' else 8)
    sets = {f: x[:, :feature_dim(f, layout, channels)] for f in feature_sets}
    return sets, y, layout, dataset


def table3(rows: List[Dict], feature_sets: List[str]) -> str:
    """Top-1 (%) per classifier and feature set, seed 000's Table 3."""
    lines = [
        '| model | ' + ' | '.join(feature_sets) + ' |',
        '|' + ' --- |' * (len(feature_sets) + 1)
    ]
    for name in dict.fromkeys(r['classifier'] for r in rows):
        cells = []
        for f in feature_sets:
            row = next((r for r in rows if r['classifier'] == name
                        and r['features'] == f), None)
            cells.append('' if row is None else f'{100 * row["top1"]:.1f}')
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main(argv=None) -> List[Dict]:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    work_dir = args.work_dir or osp.join(
        'work_dirs', 'classic_' + osp.splitext(osp.basename(args.config))[0])
    os.makedirs(work_dir, exist_ok=True)
    feature_sets = list(dict.fromkeys(args.features))
    saved = None
    if args.load:
        if len(feature_sets) != 1:
            raise SystemExit('--load evaluates one model: give one --features')
        saved = load_model(args.load, feature_sets[0], args.layout)
    test, y_test, layout, test_set = _features(cfg, 'test', feature_sets,
                                               args.layout, args.limit)
    rows = []
    if saved is not None:
        models = [(saved['classifier'], feature_sets[0], saved, 0.0)]
    else:
        train, y_train, _, train_set = _features(cfg, 'train', feature_sets,
                                                 layout, args.limit)
        num_classes = max(
            num_classes_of(cfg, train_set, y_train),
            int(max(y_train.max(), y_test.max())) + 1)
        models = []
        for features in feature_sets:
            for name in args.classifiers:
                model = build_classifier(name, args.seed, args.jobs)
                start = time.perf_counter()
                with limit_threads(args.jobs):
                    model.fit(train[features], y_train)
                seconds = time.perf_counter() - start
                path = osp.join(work_dir, f'{name}_{features}.joblib')
                bundle = save_model(path, model, features, layout,
                                    num_classes, name, args.config)
                models.append((name, features, bundle, seconds))
    for name, features, bundle, seconds in models:
        model = bundle['model']
        scores = class_scores(model, test[features], bundle['num_classes'])
        metrics = evaluate_scores(y_test, scores, has_proba(model))
        row = dict(
            classifier=name,
            features=features,
            layout=layout,
            fit_seconds=round(seconds, 3),
            n_train=None if saved else int(len(y_train)),
            n_test=int(len(y_test)),
            top1=metrics['acc/top1'],
            top5=metrics.get('acc/top5'),
            mean_class=metrics['acc/mean_class_accuracy'])
        rows.append(row)
        top5 = '' if row['top5'] is None else f', top-5 {row["top5"]:.4f}'
        print(f'{name:>13} {features:>8}: top-1 {row["top1"]:.4f}{top5}, '
              f'mean class {row["mean_class"]:.4f} (fit {seconds:.1f} s)')
    write_table(rows, osp.join(work_dir, 'classic_results.csv'))
    text = (f'Top-1 (%) on the test split of {args.config}\n\n' +
            table3(rows, feature_sets) + '\n')
    with open(osp.join(work_dir, 'classic_results.md'), 'w') as f:
        f.write(text)
    print('\n' + text)
    print(f'wrote {work_dir}/classic_results.csv, .json, .md' +
          ('' if saved else ' and the .joblib models'))
    return rows


if __name__ == '__main__':
    main()
