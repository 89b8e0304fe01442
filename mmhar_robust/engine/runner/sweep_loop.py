"""What every sweep loop shares: one full test pass per condition (a noise
level, a background fill ...), results appended to a resumable JSON-lines
file that names the checkpoint they belong to, with every sample's predicted
and true class so that models can be compared sample by sample."""
import logging
import os.path as osp
from abc import abstractmethod
from typing import Dict, List, Optional, Tuple, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner import TestLoop
from mmengine.structures import BaseDataElement
from torch.utils.data import DataLoader, Dataset

from ...evaluation.metrics.sample_outcome_metric import (INDEX_KEY,
                                                         SampleOutcomeMetric)
from ...utils.checkpoint_match import check_checkpoint_matches
# The file format lived here first; still importable from this module.
from .sweep_records import file_digest, read_sweep_file  # noqa: F401
from .sweep_records import SweepRecords, samples_digest

# Short metric name -> the evaluator keys that give it (mmaction2's
# AccMetric's, then ClassReportMetric's): the columns of the result tables.
SHORT_METRICS = {
    'top1': ('acc/top1', ),
    'top5': ('acc/top5', ),
    'mean_class': ('acc/mean1', 'acc/mean_class_accuracy'),
    'macro_f1': ('acc/macro_f1', )
}


def short_metrics(metrics: Dict[str, float]) -> Dict[str, float]:
    """The :data:`SHORT_METRICS` found in an evaluator's output."""
    out = {}
    for short, keys in SHORT_METRICS.items():
        key = next((k for k in keys if k in metrics), None)
        if key is not None:
            out[short] = metrics[key]
    return out


class IndexedDataset(Dataset):
    """A dataset whose samples carry their index (``sample_idx`` in the
    data sample's metainfo), which mmaction2's ``PackActionInputs`` drops:
    the sweep's outcomes are keyed by it.

    Args:
        dataset (Dataset): The test set; its items are dicts whose
            ``data_samples`` is a data sample.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> Dict:
        item = self.dataset[index]
        sample = item.get('data_samples') if isinstance(item, dict) else None
        # Anything else is left as it is; the outcome metric then reports
        # the missing index instead of failing the sweep.
        if isinstance(sample, BaseDataElement):
            sample.set_metainfo({INDEX_KEY: int(index)})
        return item


class SweepTestLoop(TestLoop):
    """Evaluate the model once per condition of a sweep; resumable.

    Subclasses say what the conditions are (:meth:`conditions`, dicts of the
    ``record_keys`` fields), how the test pipeline is set to one
    (:meth:`apply`) and which settings identify the sweep
    (:meth:`settings`, checked on rerun with the header fields named in
    ``identity_keys``). Each condition is a full pass over the test set with
    a fresh dataloader; its metrics are appended to ``out_file`` at once, and
    a rerun skips the conditions already there.

    Each record also keeps the test samples' outcomes, ``samples =
    dict(test_set_sha256, pred, gt)``: the predicted class (the one
    ``acc/top1`` counts) and the true class of every sample in dataset
    order, collected by a :class:`SampleOutcomeMetric` the loop adds to the
    evaluator (correct under distributed testing), with a digest of the
    test set's sample names and labels so that records of two models pair
    up only on the same samples. When the predictions cannot give them,
    ``samples = dict(missing=<why>)``. A rerun refuses a file whose records
    were computed on another test set.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Test dataloader.
        evaluator (Evaluator | dict | list): Test metrics.
        out_file (str): Result file (JSON lines).
        model_name (str, optional): Name written with the results; defaults
            to the checkpoint's file name.
        fp16 (bool): Test in fp16. Defaults to False.
    """
    kind = 'sweep'  # what log lines and errors call it
    unit = 'condition'  # of the progress bar
    record_keys: Tuple[str, ...] = ()
    identity_keys: Tuple[str, ...] = ('model', 'checkpoint_sha256')

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 out_file: str,
                 model_name: Optional[str] = None,
                 fp16: bool = False) -> None:
        super().__init__(runner, dataloader, evaluator, fp16)
        self.out_file = out_file
        self.model_name = model_name
        self.outcome_metric = SampleOutcomeMetric()
        self.evaluator.metrics.append(self.outcome_metric)

    @abstractmethod
    def conditions(self) -> List[Dict]:
        """The conditions in order, each a dict of the ``record_keys``."""

    @abstractmethod
    def apply(self, condition: Dict) -> None:
        """Set the test pipeline to one condition."""

    def settings(self) -> Dict:
        """Sweep settings written to the header."""
        return {}

    def describe(self, condition: Dict) -> str:
        """Short text for the log and the progress bar."""
        return ' '.join(str(condition[k]) for k in self.record_keys)

    def metric_prefix(self, condition: Dict) -> str:
        """Prefix of the condition's metrics in :meth:`run`'s result."""
        return '@'.join(str(condition[k]) for k in self.record_keys)

    def log_scalars(self, condition: Dict, metrics: Dict) -> None:
        """Send one condition's metrics to the visualizer backends."""

    def _loader(self) -> DataLoader:
        """A fresh loader per condition: workers must copy the pipeline as
        it is set now (persistent workers would keep the old one)."""
        old = self.dataloader
        return DataLoader(
            IndexedDataset(old.dataset),
            batch_size=old.batch_size,
            sampler=old.sampler,
            num_workers=old.num_workers,
            collate_fn=old.collate_fn,
            pin_memory=old.pin_memory,
            worker_init_fn=old.worker_init_fn)

    def _header(self) -> Dict:
        checkpoint = self.runner.cfg.get('load_from')
        if not checkpoint or not osp.isfile(checkpoint):
            raise ValueError(f'the {self.kind} needs a checkpoint (load_from)')
        return dict(
            model=self.model_name or osp.basename(checkpoint),
            checkpoint=osp.abspath(checkpoint),
            checkpoint_sha256=file_digest(checkpoint),
            **self.settings())

    def _evaluate(self, digest: str) -> Tuple[Dict[str, float], Dict]:
        """One pass: the evaluator's metrics and the samples' outcomes."""
        self.runner.model.eval()
        for idx, data_batch in enumerate(self._loader()):
            self.run_iter(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        outcomes = metrics.pop(f'{self.outcome_metric.prefix}/outcomes')
        if 'missing' in outcomes:
            print_log(
                f'no per-sample outcomes: {outcomes["missing"]}; the '
                'summaries will have no intervals or paired tests',
                logger='current',
                level=logging.WARNING)
            return metrics, outcomes
        return metrics, dict(test_set_sha256=digest, **outcomes)

    def _check_test_set(self, record: Dict, digest: str) -> None:
        """Refuse a record computed on another test set."""
        old = record.get('samples', {}).get('test_set_sha256')
        if old is not None and old != digest:
            raise ValueError(
                f'{self.out_file} holds results on another test set '
                f'({self.describe(record)}: test set {old[:12]}..., now '
                f'{digest[:12]}...); choose another output folder, nothing '
                'was overwritten')

    def run(self) -> Dict[str, float]:
        """Evaluate every condition; return all metrics, named
        ``<metric_prefix>/<metric>``."""
        from tqdm import tqdm
        header = self._header()
        check_checkpoint_matches(self.runner.model, header['checkpoint'])
        records = SweepRecords(self.out_file, header, self.record_keys,
                               self.identity_keys)
        digest = samples_digest(self.dataloader.dataset)
        for record in records.records.values():  # before anything is added
            self._check_test_set(record, digest)
        self.runner.call_hook('before_test')
        all_metrics: Dict[str, float] = {}
        bar = tqdm(
            self.conditions(),
            desc=f'{self.kind} {records.header["model"]}',
            unit=self.unit,
            disable=self.runner.rank != 0)
        for condition in bar:
            bar.set_postfix_str(self.describe(condition))
            record = records.done(*[condition[k] for k in self.record_keys])
            if record is None:
                self.apply(condition)
                self.runner.call_hook('before_test_epoch')
                metrics, samples = self._evaluate(digest)
                self.runner.call_hook('after_test_epoch', metrics=metrics)
                record = dict(
                    model=records.header['model'],
                    **condition,
                    metrics=metrics,
                    samples=samples)
                if self.runner.rank == 0:
                    records.add(record)
                print_log(
                    f'{self.describe(condition)}: ' +
                    ', '.join(f'{k} {v:.4f}' for k, v in metrics.items()),
                    logger='current')
            self.log_scalars(condition, record['metrics'])
            prefix = self.metric_prefix(condition)
            for key, value in record['metrics'].items():
                all_metrics[f'{prefix}/{key}'] = value
        self.runner.call_hook('after_test')
        return all_metrics
