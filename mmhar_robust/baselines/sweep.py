"""The noise sweep of a fitted classic model, written as the deep models'.

The test set is the config's, with its ``KeypointNoise`` found or inserted by
the deep sweep's own :func:`find_or_insert_noise` (same place, scale and
seed), so each sample gets the same noisy keypoints from the same
per-sample generator as in :class:`NoiseSweepTestLoop`; the pipeline is then
cut before frame sampling (:mod:`.reader`). Results go to a JSON-lines file
of :class:`SweepRecords` with the header fields of the deep sweep (the noise
settings and the digests of the noise code and annotation files are equal,
so ``tools/noise_sweep.py`` pairs the models sample by sample), one record
per corruption and level with ``ClassReportMetric``'s metrics and every
sample's predicted and true class. A rerun resumes, as the deep sweep does.

:func:`run_conditions` is the condition loop itself, shared with the
Skeleton-C run of a classic model (:mod:`.skeleton_c`).
"""
import logging
from typing import Callable, Dict, Hashable, List, Optional, Sequence

from mmengine.logging import print_log

from ..engine.runner.noise_sweep_loop import (DEFAULT_LEVELS,
                                              NoiseSweepTestLoop,
                                              check_levels,
                                              find_or_insert_noise,
                                              with_clean_level)
from ..engine.runner.sweep_identity import code_digests, sweep_header
from ..engine.runner.sweep_records import SweepRecords, samples_digest
from ..evaluation.metrics import top1_class
from .classic import class_scores, evaluate_scores, has_proba, load_model
from .reader import (build_dataset, cut_pipeline, dataset_config,
                     read_features, read_sample)

# The classic path's own code: a change makes old rows stale.
CLASSIC_CODE = ('baselines/features.py', 'baselines/skeletons.py',
                'baselines/reader.py', 'baselines/classic.py')


def corrupted_test_dataset(cfg, insert: Callable):
    """The config's test dataset with a corruption put in its pipeline by
    ``insert(dataset) -> KeypointNoise``, the pipeline then cut for the
    classic features.

    Returns:
        tuple: ``(dataset, noise transform)``.

    Raises:
        ValueError: The dataset is empty, or the noise would sit after the
            cut (the test pipeline puts its ``KeypointNoise`` after frame
            sampling).
    """
    dataset = build_dataset(cfg, 'test')
    if len(dataset) == 0:
        raise ValueError('the classic model\'s test dataset is empty')
    noise = insert(dataset)
    kept = cut_pipeline(dataset)
    if not any(t is noise for t in dataset.pipeline.transforms):
        raise ValueError(
            'the test pipeline\'s KeypointNoise comes after frame sampling '
            f'or formatting; the classic path keeps only {kept}: move the '
            'noise before them')
    return dataset, noise


def noisy_test_dataset(cfg,
                       scale: Optional[str] = None,
                       seed: Optional[int] = None):
    """The config's test dataset with the noise sweep's ``KeypointNoise``
    (:func:`corrupted_test_dataset`)."""
    return corrupted_test_dataset(
        cfg, lambda dataset: find_or_insert_noise(
            dataset.pipeline, scale, seed, dataset.get_data_info(0)))


def classic_header(name: str, model_file: str, bundle: Dict, cfg, dataset,
                   code_files: Sequence[str], settings: Dict) -> Dict:
    """The result file's header: the deep sweep's fields, with the classic
    model (classifier, features, its code) as the model config."""
    model_config = dict(
        type='classic',
        **{k: bundle[k]
           for k in ('classifier', 'feature_set', 'layout', 'num_classes')},
        code=code_digests(CLASSIC_CODE))
    return sweep_header(
        name,
        model_file,
        dataset,
        dict(
            test_dataset=dataset_config(cfg, 'test'),
            model_config=model_config,
            evaluator=dict(type='ClassReportMetric', topk=(1, 5))),
        code_files,
        settings=settings)


def run_conditions(bundle: Dict,
                   dataset,
                   records: SweepRecords,
                   conditions: List[Dict],
                   apply: Callable[[Dict], None],
                   equivalent: Callable[[Dict], Hashable],
                   describe: Callable[[Dict], str],
                   name: str,
                   finish: Optional[Callable] = None) -> List[Dict]:
    """Evaluate a classic model at each condition; resume from ``records``.

    A condition already recorded is kept; one whose inputs equal those of a
    recorded one (``equivalent``, e.g. every level 0) copies its record with
    ``same_as``; any other sets the corruption (``apply``), reads the
    features of every test sample, scores them and appends a record.

    Args:
        bundle (dict): The loaded model (:func:`.classic.load_model`).
        dataset: The cut test dataset.
        records (SweepRecords): The result file (its ``keys`` name a
            condition).
        conditions (list[dict]): The conditions in order.
        apply (callable): Sets the pipeline's corruption to a condition.
        equivalent (callable): A condition's input identity.
        describe (callable): A condition's name in the log.
        name (str): The model's name in the results.
        finish (callable, optional): ``finish(condition, metrics,
            outcomes)`` edits a new record's metrics and outcomes in place
            before it is written. Defaults to None.

    Returns:
        list[dict]: The records, in condition order.

    Raises:
        ValueError: The file holds results on another test set.
    """
    digest = samples_digest(dataset)
    for record in records.records.values():
        old = record.get('samples', {}).get('test_set_sha256')
        if old is not None and old != digest:
            raise ValueError(f'{records.path} holds results on another test '
                             'set; choose another output folder')
    keys = records.keys
    evaluated = {equivalent(r): r for r in records.records.values()}
    out = []
    for condition in conditions:
        record = records.done(*[condition[k] for k in keys])
        same = evaluated.get(equivalent(condition))
        if record is None and same is not None:
            origin = same.get('same_as') or {k: same[k] for k in keys}
            record = dict(same, **condition, same_as=origin)
            records.add(record)
        elif record is None:
            apply(condition)
            features, labels, _, _ = read_features(dataset,
                                                   bundle['feature_set'],
                                                   bundle['layout'])
            scores = class_scores(bundle['model'], features,
                                  bundle['num_classes'])
            metrics = evaluate_scores(labels, scores,
                                      has_proba(bundle['model']))
            outcomes = dict(pred=[top1_class(s) for s in scores],
                            gt=[int(v) for v in labels])
            if finish is not None:
                finish(condition, metrics, outcomes)
            record = dict(model=name, **condition, metrics=metrics,
                          samples=dict(test_set_sha256=digest, **outcomes))
            records.add(record)
            evaluated[equivalent(condition)] = record
            print_log(
                f'{name} {describe(condition)}: ' +
                ', '.join(f'{k} {v:.4f}' for k, v in metrics.items()),
                logger='current',
                level=logging.INFO)
        out.append(record)
    return out


def classic_noise_sweep(cfg,
                        model_file: str,
                        out_file: str,
                        name: str,
                        levels: Sequence[float] = DEFAULT_LEVELS,
                        corruptions: Sequence[str] = ('gaussian', ),
                        scale: Optional[str] = None,
                        seed: Optional[int] = None,
                        overwrite: bool = False) -> List[Dict]:
    """Evaluate a saved classic model at every corruption and level.

    Args:
        cfg (Config): The config whose ``test_dataloader`` gives the data.
        model_file (str): The joblib file of :func:`.classic.save_model`.
        out_file (str): The result file (``results_<name>.jsonl``).
        name (str): The model's name in the results.
        levels (Sequence[float]): Noise levels; 0 is added if absent.
            Defaults to seed 001's nine.
        corruptions (Sequence[str]): Corruption or group names.
            Defaults to ('gaussian', ).
        scale (str, optional): Noise unit; None: the test pipeline's
            ``KeypointNoise`` setting, as in the deep sweep.
            Defaults to None.
        seed (int, optional): Noise seed; None likewise. Defaults to None.
        overwrite (bool): Replace ``out_file`` instead of resuming.
            Defaults to False.

    Returns:
        list[dict]: The records, in condition order.
    """
    from ..datasets.transforms import expand_corruptions
    corruptions = expand_corruptions(list(corruptions))
    levels, _ = with_clean_level(levels)
    levels = {c: check_levels(levels, c) for c in corruptions}
    bundle = load_model(model_file)
    dataset, noise = noisy_test_dataset(cfg, scale, seed)
    header = classic_header(
        name, model_file, bundle, cfg, dataset, NoiseSweepTestLoop.code_files,
        dict(scale=noise.scale, seed=noise.seed,
             corrupt_missing=noise.corrupt_missing))
    records = SweepRecords(out_file, header, overwrite=overwrite)
    conditions = [
        dict(corruption=c, level=level) for c in corruptions
        for level in levels[c]
    ]

    def equivalent(condition: Dict) -> Hashable:
        # As NoiseSweepTestLoop: level 0 adds no noise, whatever the
        # corruption.
        if condition['level'] == 0:
            return ('clean', )
        return (condition['corruption'], condition['level'])

    return run_conditions(
        bundle, dataset, records, conditions,
        lambda c: noise.set_corruption(c['corruption'], c['level']),
        equivalent, lambda c: f'{c["corruption"]} @ {c["level"]}', name)


def noisy_keypoint(dataset, noise, index: int, corruption: str,
                   level: float):
    """One sample's keypoints at one condition (for checks and tests)."""
    noise.set_corruption(corruption, level)
    return read_sample(dataset, index)[0]
