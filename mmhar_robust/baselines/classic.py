"""Seed 000's five classic classifiers on scikit-learn, their scores and
their saved form.

Each is a ``Pipeline`` of ``StandardScaler`` and the estimator: logistic
regression, KNN (k = 5), random forest (200 trees), histogram gradient
boosting and an SVM (RBF ``SVC``). Seed 000's weighted sampler becomes
``class_weight='balanced'`` where the estimator has it (all but KNN).

Scores are ``(N, num_classes)`` with a column per dataset class (classes
absent from the training split score 0): ``predict_proba`` where the
estimator has it (the first top class, its ``predict``, raised by
:data:`TIE_BREAK` so that ties go the same way in every metric), else a one-hot of ``predict`` (``SVC`` without
``probability=True``), which gives top-1 but no top-5. Metrics are those of
:class:`~mmhar_robust.evaluation.metrics.ClassReportMetric`
(:func:`compute_class_report`).

A fitted model is saved with joblib as a dict recording what its features
were made of (feature set, layout, number of classes, config); loading it
for a run whose feature set or layout differs raises ``ValueError``.
"""
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np

CLASSIFIERS = ('logreg', 'knn', 'random_forest', 'grad_boost', 'svm')
# Written in the saved file; a file of another format is refused.
MODEL_FORMAT = 1
TIE_BREAK = 1e-9


def build_classifier(name: str, seed: int = 0, n_jobs: Optional[int] = None):
    """A standardising pipeline around one of :data:`CLASSIFIERS`.

    Args:
        name (str): ``'logreg'``, ``'knn'``, ``'random_forest'``,
            ``'grad_boost'`` or ``'svm'``.
        seed (int): ``random_state`` of the randomised estimators.
            Defaults to 0.
        n_jobs (int, optional): Parallel jobs of KNN and the forest.
            Defaults to None (one).
    """
    from sklearn.ensemble import (HistGradientBoostingClassifier,
                                  RandomForestClassifier)
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    builders = {
        'logreg':
        lambda: LogisticRegression(max_iter=1000, class_weight='balanced'),
        'knn':
        lambda: KNeighborsClassifier(n_neighbors=5, n_jobs=n_jobs),
        'random_forest':
        lambda: RandomForestClassifier(
            n_estimators=200,
            class_weight='balanced',
            n_jobs=n_jobs,
            random_state=seed),
        'grad_boost':
        lambda: HistGradientBoostingClassifier(
            class_weight='balanced', random_state=seed),
        'svm':
        lambda: SVC(class_weight='balanced', random_state=seed),
    }
    if name not in builders:
        raise ValueError(f'unknown classifier {name!r}; choose from '
                         f'{CLASSIFIERS}')
    return Pipeline([('scale', StandardScaler()), (name, builders[name]())])


def limit_threads(jobs: Optional[int] = None):
    """A context limiting the OpenMP and BLAS threads (gradient boosting,
    logistic regression) to ``jobs``; no limit when None.

    On a loaded machine OpenMP threads spin waiting for each other: gradient
    boosting fitted 25 times faster with one thread than with two on two
    shared cores (benchmarks/bench_classic_fit.py).
    """
    import contextlib
    if jobs is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=jobs)


def has_proba(model) -> bool:
    """Whether the fitted pipeline gives class probabilities."""
    # A pipeline ending in SVC(probability=False) hides the method.
    return hasattr(model, 'predict_proba')


def class_scores(model, features: np.ndarray, num_classes: int) -> np.ndarray:
    """``(N, num_classes)`` scores of a fitted pipeline (see the module
    docstring)."""
    classes = np.asarray(model.classes_, dtype=np.int64)
    if classes.size and classes.max() >= num_classes:
        raise ValueError(f'the model knows class {classes.max()}, but the '
                         f'data has {num_classes} classes')
    scores = np.zeros((len(features), num_classes))
    if has_proba(model):
        scores[:, classes] = model.predict_proba(features)
        # KNN's five votes tie often; mmaction2's top-1 (argsort) and the
        # metrics' argmax would then pick different classes. The first of
        # the tied, the estimators' own ``predict``, is raised by a hair.
        first = scores.argmax(axis=1)
        scores[np.arange(len(scores)), first] += TIE_BREAK
    else:
        pred = np.asarray(model.predict(features), dtype=np.int64)
        scores[np.arange(len(pred)), pred] = 1.0
    return scores


def evaluate_scores(labels: Sequence[int],
                    scores: np.ndarray,
                    with_top5: bool,
                    class_names: Optional[Sequence[str]] = None) -> Dict:
    """``ClassReportMetric``'s numbers under its keys (``acc/top1``,
    ``acc/top5`` when ``with_top5``, ``acc/mean_class_accuracy``, the
    macro means)."""
    from ..evaluation.metrics import compute_class_report
    topk = (1, 5) if with_top5 and scores.shape[1] >= 5 else (1, )
    report = compute_class_report(labels, scores, topk, 0.0, class_names)
    return {f'acc/{k}': v for k, v in report.summary.items()}


def save_model(path: str, model, feature_set: str, layout: str,
               num_classes: int, classifier: str,
               config: Optional[str] = None) -> Dict:
    """Save a fitted pipeline with what its features were made of."""
    import joblib
    bundle = dict(
        format=MODEL_FORMAT,
        model=model,
        classifier=classifier,
        feature_set=feature_set,
        layout=layout,
        num_classes=int(num_classes),
        config=config)
    if osp.dirname(path):
        import os
        os.makedirs(osp.dirname(path), exist_ok=True)
    joblib.dump(bundle, path)
    return bundle


def load_model(path: str,
               feature_set: Optional[str] = None,
               layout: Optional[str] = None) -> Dict:
    """Load a saved model; check it was fitted on the features asked for.

    Args:
        path (str): The joblib file of :func:`save_model`.
        feature_set (str, optional): The feature set of this run; None
            accepts the saved one. Defaults to None.
        layout (str, optional): Likewise the skeleton layout.
            Defaults to None.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not a saved classic model, or fitted on another
            feature set or layout.
    """
    import joblib
    if not osp.isfile(path):
        raise FileNotFoundError(f'no saved classic model at {path}')
    bundle = joblib.load(path)
    if not isinstance(bundle, dict) or bundle.get('format') != MODEL_FORMAT:
        raise ValueError(f'{path} is not a classic model saved by '
                         f'mmhar_robust.baselines (format {MODEL_FORMAT})')
    for field, wanted in (('feature_set', feature_set), ('layout', layout)):
        if wanted is not None and bundle[field] != wanted:
            raise ValueError(
                f'{path}, field {field!r}: the model was fitted on '
                f'{bundle[field]!r} features, this run computes {wanted!r}; '
                f'use --features {bundle["feature_set"]} --layout '
                f'{bundle["layout"]} or fit a model for {wanted!r}')
    return bundle
