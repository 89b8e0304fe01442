"""Fitting time of the five classic baselines on BABEL-sized features.

BABEL-60's training split has about 50 000 chunks; the extended features of
an NTU-25 3D sequence have 56 values (8 x 3 pooled channels + 2 x 16 joint
pairs). Random features stand in for real ones (the fitting cost depends on
the sizes, and, for the trees and the SVM, on how separable the classes are:
random labels are a worst case for them), with BABEL-like imbalance: class
``c`` drawn with probability proportional to ``0.95 ** c``.

Example:
    python benchmarks/bench_classic_fit.py --samples 50000
    python benchmarks/bench_classic_fit.py --samples 10000 --classifiers svm
"""
import argparse
import time

import numpy as np

from mmhar_robust.baselines.classic import (CLASSIFIERS, build_classifier,
                                            limit_threads)
from mmhar_robust.baselines.features import feature_dim


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--samples', type=int, default=50000)
    p.add_argument('--classes', type=int, default=60)
    p.add_argument(
        '--features',
        default='extended',
        choices=['basic', 'rich', 'extended'],
        help='feature set whose length is used (NTU-25 3D)')
    p.add_argument(
        '--classifiers',
        nargs='+',
        choices=CLASSIFIERS,
        default=list(CLASSIFIERS))
    p.add_argument(
        '--jobs',
        type=int,
        help='n_jobs of KNN and the forest, and the OpenMP/BLAS threads')
    p.add_argument('--seed', type=int, default=0)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(args.seed)
    dim = feature_dim(args.features, 'nturgb+d', 3)
    weights = 0.95**np.arange(args.classes)
    y = rng.choice(args.classes, size=args.samples, p=weights / weights.sum())
    # Class-dependent means, so the problem is learnable (not pure noise).
    centres = rng.normal(size=(args.classes, dim))
    x = centres[y] + 3.0 * rng.normal(size=(args.samples, dim))
    print(f'{args.samples} samples x {dim} features ({args.features}), '
          f'{args.classes} classes, jobs {args.jobs}')
    for name in args.classifiers:
        model = build_classifier(name, args.seed, args.jobs)
        with limit_threads(args.jobs):
            start = time.perf_counter()
            model.fit(x, y)
            fit = time.perf_counter() - start
            start = time.perf_counter()
            model.predict(x[:5000])
            predict = time.perf_counter() - start
        print(f'{name:>13}: fit {fit:8.1f} s, predict 5000 {predict:6.2f} s',
              flush=True)


if __name__ == '__main__':
    main()
