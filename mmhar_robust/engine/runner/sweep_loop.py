"""What every sweep loop shares: every condition (a noise level, a background
fill ...) evaluated on the whole test set, from one read of each sample,
results appended to a resumable JSON-lines file whose header names
everything they depend on, with every sample's predicted and true class so
that models can be compared sample by sample."""
import copy
import logging
import os.path as osp
import re
from abc import abstractmethod
from typing import Dict, Hashable, List, Optional, Tuple, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner import TestLoop
from torch.utils.data import DataLoader

from ...evaluation.metrics.sample_outcome_metric import SampleOutcomeMetric
from ...utils.checkpoint_match import check_checkpoint_matches
from ...utils.sample import sample_name
from .condition_datasets import (ConditionsCollate, ConditionsDataset,
                                 IndexedDataset)
from .sweep_identity import plain, sweep_header
from .sweep_records import SweepRecords, samples_digest

class SweepTestLoop(TestLoop):
    """Evaluate the model at every condition of a sweep; resumable.

    Subclasses say what the conditions are (:meth:`conditions`, dicts of the
    ``record_keys`` fields), how the test pipeline is set to one
    (:meth:`apply`, and :meth:`condition_pipeline` for one pass over all),
    their settings (:meth:`settings`) and the sources of their corruption
    (``code_files``).

    The conditions still to evaluate go in passes of ``conditions_per_pass``
    (all in one by default): a pass reads each test sample once, runs the
    transforms before the condition's once, and the rest once per condition
    (:class:`.ConditionsDataset`); the model then sees, batch after batch,
    each condition's batch exactly as a pass of that condition alone would
    give it, so the numbers do not depend on the grouping. Each condition
    has its own copy of the evaluator. At the end of a pass its conditions
    are appended to ``out_file`` at once; a rerun skips the conditions
    already there (a crash loses the pass in progress), but only when
    everything that decides them is the same
    (:func:`.sweep_identity.sweep_header`); otherwise it stops before
    evaluating anything, naming what changed.

    Before the first pass the pipeline runs on the first sample at every
    condition still to evaluate, so that one that cannot run stops the sweep
    before any is evaluated. Conditions :meth:`equivalent` calls the same
    are evaluated once; the others copy the record, with ``same_as``. A
    metric with a ``file_stem`` (:class:`ClassReportMetric`) writes its
    files as ``class_report_<report_name>`` per condition.

    Each record keeps the test samples' outcomes, ``samples =
    dict(test_set_sha256, pred, gt)``: the predicted class (the one
    ``acc/top1`` counts) and the true class of every sample in dataset
    order, collected by a :class:`SampleOutcomeMetric` the loop adds to the
    evaluator (correct under distributed testing), with a digest of the
    test set's sample names and labels so that records of two models pair
    up only on the same samples; ``samples = dict(missing=<why>)`` when the
    predictions cannot give them. Only rank 0 writes files.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Test dataloader.
        evaluator (Evaluator | dict | list): Test metrics.
        out_file (str): Result file (JSON lines).
        model_name (str, optional): Name written with the results; defaults
            to the checkpoint's file name.
        fp16 (bool): Test in fp16. Defaults to False.
        overwrite (bool): Replace ``out_file`` instead of resuming from it
            (every condition is evaluated again). Defaults to False.
        conditions_per_pass (int, optional): Conditions evaluated per pass
            over the data; None: all in one pass; 1: one at a time.
            Defaults to None.
    """
    kind = 'sweep'  # what log lines and errors call it
    unit = 'condition'  # of the progress bar
    record_keys: Tuple[str, ...] = ()
    # Sources of the corruption, relative to the package (folders: their
    # .py files); their digests go to the header.
    code_files: Tuple[str, ...] = ()
    # Header fields that do not decide a record.
    header_ignore: Tuple[str, ...] = ('checkpoint', )

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 out_file: str,
                 model_name: Optional[str] = None,
                 fp16: bool = False,
                 overwrite: bool = False,
                 conditions_per_pass: Optional[int] = None) -> None:
        if conditions_per_pass is not None and conditions_per_pass < 1:
            raise ValueError('conditions_per_pass must be None or >= 1, got '
                             f'{conditions_per_pass}')
        self.conditions_per_pass = conditions_per_pass
        # The configs as given, before the runner builds (and the
        # subclasses adapt) the dataset.
        dataset = dataloader.get('dataset') if isinstance(
            dataloader, dict) else getattr(dataloader, 'dataset', None)
        self._configs = dict(
            test_dataset=plain(dataset), evaluator=plain(evaluator))
        super().__init__(runner, dataloader, evaluator, fp16)
        self.out_file = out_file
        self.model_name = model_name
        self.overwrite = overwrite
        self.outcome_metric = SampleOutcomeMetric()
        self.evaluator.metrics.append(self.outcome_metric)

    @abstractmethod
    def conditions(self) -> List[Dict]:
        """The conditions in order, each a dict of the ``record_keys``."""

    @abstractmethod
    def apply(self, condition: Dict) -> None:
        """Set the test pipeline to one condition."""

    def condition_pipeline(self, condition: Dict) -> Optional[List]:
        """The test pipeline's transforms at ``condition``, those that
        differ between conditions as objects of their own; the sweep then
        evaluates several conditions per pass. None (the default): one
        condition per pass, set with :meth:`apply`."""
        return None

    def settings(self) -> Dict:
        """Sweep settings written to the header."""
        return {}

    def equivalent(self, condition: Dict) -> Hashable:
        """Conditions with equal values give identical inputs: one of them
        is evaluated. Defaults to the condition's key."""
        return tuple(condition[k] for k in self.record_keys)

    def report_name(self, condition: Dict) -> str:
        """Names the per-condition files of the metrics (class reports)."""
        return '_'.join(str(condition[k]) for k in self.record_keys)

    def describe(self, condition: Dict) -> str:
        """Short text for the log and the progress bar."""
        return ' '.join(str(condition[k]) for k in self.record_keys)

    def metric_prefix(self, condition: Dict) -> str:
        """Prefix of the condition's metrics in :meth:`run`'s result."""
        return '@'.join(str(condition[k]) for k in self.record_keys)

    def log_scalars(self, condition: Dict, metrics: Dict) -> None:
        """Send one condition's metrics to the visualizer backends."""

    def _loader(self, conditions: List[Dict]) -> DataLoader:
        """A fresh loader for one pass; each step gives a batch per
        condition. Built by hand rather than with ``runner.build_dataloader``
        (which would build a new dataset from the config and lose the
        condition set), and fresh so that workers copy the pipeline as it
        is set now."""
        old = self.dataloader
        pipelines = [self.condition_pipeline(c) for c in conditions]
        if any(p is None for p in pipelines):
            if len(conditions) != 1:
                raise ValueError(f'the {self.kind} evaluates one condition '
                                 'per pass (no condition_pipeline)')
            self.apply(conditions[0])
            dataset = IndexedDataset(old.dataset)
        else:
            dataset = ConditionsDataset(old.dataset, pipelines)
        return DataLoader(
            dataset,
            batch_size=old.batch_size,
            sampler=old.sampler,
            num_workers=old.num_workers,
            collate_fn=ConditionsCollate(old.collate_fn),
            pin_memory=old.pin_memory,
            worker_init_fn=old.worker_init_fn)

    def _header(self) -> Dict:
        """Everything that decides a record (see the class docstring)."""
        checkpoint = self.runner.cfg.get('load_from')
        if not checkpoint or not osp.isfile(checkpoint):
            raise ValueError(f'the {self.kind} needs a checkpoint (load_from)')
        return sweep_header(
            self.model_name or osp.basename(checkpoint),
            checkpoint,
            self.dataloader.dataset,
            dict(self._configs, model_config=self.runner.cfg.get('model')),
            self.code_files,
            fp16=self.fp16,
            settings=self.settings())

    def _evaluate(self, conditions: List[Dict],
                  digest: str) -> List[Tuple[Dict[str, float], Dict]]:
        """One pass: each condition's metrics and samples' outcomes."""
        evaluators = []
        for condition in conditions:
            self._name_reports(condition)
            evaluators.append(copy.deepcopy(self.evaluator))
        self.runner.model.eval()
        runner_evaluator = self.evaluator
        try:
            for idx, batches in enumerate(self._loader(conditions)):
                for evaluator, data_batch in zip(evaluators, batches):
                    self.evaluator = evaluator  # what run_iter feeds
                    self.run_iter(idx, data_batch)
        finally:
            self.evaluator = runner_evaluator
        results = []
        for evaluator in evaluators:
            metrics = evaluator.evaluate(len(self.dataloader.dataset))
            outcomes = metrics.pop(f'{self.outcome_metric.prefix}/outcomes')
            if 'missing' in outcomes:
                print_log(
                    f'no per-sample outcomes: {outcomes["missing"]}; the '
                    'summaries will have no intervals or paired tests',
                    logger='current',
                    level=logging.WARNING)
            else:
                outcomes = dict(test_set_sha256=digest, **outcomes)
            results.append((metrics, outcomes))
        return results

    def _check_test_set(self, record: Dict, digest: str) -> None:
        """Refuse a record computed on another test set."""
        old = record.get('samples', {}).get('test_set_sha256')
        if old is not None and old != digest:
            raise ValueError(
                f'{self.out_file} holds results on another test set '
                f'({self.describe(record)}: test set {old[:12]}..., now '
                f'{digest[:12]}...); choose another output folder, nothing '
                'was overwritten')

    def _check_conditions(self, conditions: List[Dict]) -> None:
        """Run the test pipeline on the first sample at every condition:
        one that cannot run stops the sweep before anything is evaluated."""
        dataset = self.dataloader.dataset
        info = getattr(dataset, 'get_data_info', lambda index: {})(0)
        name = sample_name(info, 0)
        for condition in conditions:
            self.apply(condition)
            try:
                dataset[0]
            except Exception as error:
                raise ValueError(
                    f'{self.kind}: {self.describe(condition)} fails on the '
                    f'first test sample ({name}), so no condition was '
                    f'evaluated: {type(error).__name__}: {error}') from error

    def _name_reports(self, condition: Dict) -> None:
        """One set of per-class report files per condition."""
        name = re.sub(r'[^\w.+-]', '_', self.report_name(condition))
        for metric in self.evaluator.metrics:
            if hasattr(metric, 'file_stem'):
                metric.file_stem = f'class_report_{name}'
                if getattr(metric, 'out_dir', None) is None:
                    metric.out_dir = self.runner.log_dir

    def _todo(self, records: SweepRecords) -> List[Dict]:
        """The conditions to evaluate, one per equivalence class."""
        known = {self.equivalent(r) for r in records.records.values()}
        todo = []
        for condition in self.conditions():
            key = self.equivalent(condition)
            if key not in known:
                known.add(key)
                todo.append(condition)
        return todo

    def _passes(self, todo: List[Dict]) -> List[List[Dict]]:
        """The conditions to evaluate, grouped into passes."""
        if not todo:
            return []
        size = self.conditions_per_pass or len(todo)
        if self.condition_pipeline(todo[0]) is None:
            size = 1  # set with apply(), one at a time
        return [todo[i:i + size] for i in range(0, len(todo), size)]

    def _add_records(self, records: SweepRecords, found: Dict) -> None:
        """Add, in condition order, the records of the conditions evaluated
        (``found``: equivalence key -> record) and of those with the same
        inputs (``same_as`` names the one evaluated)."""
        for condition in self.conditions():
            if records.done(*[condition[k] for k in self.record_keys]):
                continue
            same = found.get(self.equivalent(condition))
            if same is None:  # a later pass: the file keeps condition order
                break
            if all(same[k] == condition[k] for k in self.record_keys):
                records.add(same)  # written by rank 0 only
                continue
            origin = same.get('same_as') or {
                k: same[k]
                for k in self.record_keys
            }
            records.add(dict(same, **condition, same_as=origin))
            print_log(
                f'{self.describe(condition)}: the same inputs as '
                f'{self.describe(origin)}, evaluated once',
                logger='current')

    def _evaluate_all(self, todo: List[Dict], records: SweepRecords,
                      digest: str) -> None:
        """Evaluate ``todo`` pass by pass; add the records of each pass."""
        from tqdm import tqdm
        found = {}
        for record in records.records.values():
            found.setdefault(self.equivalent(record), record)
        self._add_records(records, found)  # copies of what a crash left
        bar = tqdm(
            total=len(todo),
            desc=f'{self.kind} {records.header["model"]}',
            unit=self.unit,
            disable=self.runner.rank != 0)
        for group in self._passes(todo):
            bar.set_postfix_str(', '.join(self.describe(c) for c in group))
            self.runner.call_hook('before_test_epoch')
            for condition, (metrics, samples) in zip(
                    group, self._evaluate(group, digest)):
                self.runner.call_hook('after_test_epoch', metrics=metrics)
                found[self.equivalent(condition)] = dict(
                    model=records.header['model'],
                    **condition,
                    metrics=metrics,
                    samples=samples)
                print_log(
                    f'{self.describe(condition)}: ' +
                    ', '.join(f'{k} {v:.4f}' for k, v in metrics.items()),
                    logger='current')
            self._add_records(records, found)
            bar.update(len(group))
        bar.close()

    def run(self) -> Dict[str, float]:
        """Evaluate every condition; return all metrics, named
        ``<metric_prefix>/<metric>``."""
        header = self._header()
        check_checkpoint_matches(self.runner.model, header['checkpoint'])
        records = SweepRecords(
            self.out_file,
            header,
            self.record_keys,
            self.header_ignore,
            writable=self.runner.rank == 0,
            overwrite=self.overwrite)
        digest = samples_digest(self.dataloader.dataset)
        for record in records.records.values():  # before anything is added
            self._check_test_set(record, digest)
        todo = self._todo(records)
        self._check_conditions(todo)
        self.runner.call_hook('before_test')
        self._evaluate_all(todo, records, digest)
        all_metrics: Dict[str, float] = {}
        for condition in self.conditions():
            record = records.done(*[condition[k] for k in self.record_keys])
            self.log_scalars(condition, record['metrics'])
            prefix = self.metric_prefix(condition)
            for key, value in record['metrics'].items():
                all_metrics[f'{prefix}/{key}'] = value
        self.runner.call_hook('after_test')
        return all_metrics
