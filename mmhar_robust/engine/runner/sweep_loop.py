"""What every sweep loop shares: one full test pass per condition (a noise
level, a background fill ...), results appended to a resumable JSON-lines
file that names the checkpoint they belong to."""
import hashlib
import json
import os
import os.path as osp
from abc import abstractmethod
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner import TestLoop
from torch.utils.data import DataLoader

from ...utils.checkpoint_match import check_checkpoint_matches

# Short metric name -> the evaluator keys that give it (mmaction2's
# AccMetric's, then ClassReportMetric's): the columns of the result tables.
SHORT_METRICS = {
    'top1': ('acc/top1', ),
    'top5': ('acc/top5', ),
    'mean_class': ('acc/mean1', 'acc/mean_class_accuracy'),
    'macro_f1': ('acc/macro_f1', )
}


def file_digest(path: str) -> str:
    """SHA-256 of a file (identifies a checkpoint in sweep results)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def short_metrics(metrics: Dict[str, float]) -> Dict[str, float]:
    """The :data:`SHORT_METRICS` found in an evaluator's output."""
    out = {}
    for short, keys in SHORT_METRICS.items():
        key = next((k for k in keys if k in metrics), None)
        if key is not None:
            out[short] = metrics[key]
    return out


def read_sweep_file(path: str) -> Tuple[Dict, List[Dict]]:
    """The header and the records of a sweep's JSON-lines file.

    A crash mid-write leaves a partial last line; it is dropped.

    Raises:
        ValueError: The file does not start with a sweep header.
    """
    with open(path, encoding='utf-8') as f:
        lines = [line for line in f if line.strip()]
    try:
        rows = [json.loads(line) for line in lines]
    except json.JSONDecodeError:
        rows = [json.loads(line) for line in lines[:-1]]
    if not rows or 'header' not in rows[0]:
        raise ValueError(f'{path} is not a sweep result file (no header)')
    return rows[0]['header'], rows[1:]


class SweepRecords:
    """The JSON-lines file of one model's sweep: a header, then one record
    per condition. Appended as results come, so a crashed sweep resumes
    from what it wrote.

    Args:
        path (str): The ``.jsonl`` file.
        header (dict): Identifies the model (name, checkpoint digest) and the
            sweep's settings.
        keys (Sequence[str]): Record fields that name a condition.
            Defaults to ('corruption', 'level').
        identity (Sequence[str]): Header fields an existing file must match;
            a file with others is refused, nothing in it overwritten.
            Defaults to ('model', 'checkpoint_sha256', 'scale', 'seed').
    """

    def __init__(
        self,
        path: str,
        header: Dict,
        keys: Sequence[str] = ('corruption', 'level'),
        identity: Sequence[str] = ('model', 'checkpoint_sha256', 'scale',
                                   'seed')
    ) -> None:
        self.path, self.header = path, header
        self.keys, self.identity = tuple(keys), tuple(identity)
        self.records: Dict[tuple, Dict] = {}
        if osp.isfile(path):
            self._load()
        else:
            os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(json.dumps(dict(header=header)) + '\n')

    def _load(self) -> None:
        old, rows = read_sweep_file(self.path)
        for key in self.identity:
            if old.get(key) != self.header.get(key):
                raise ValueError(
                    f'{self.path} holds results of another run ({key}: '
                    f'{old.get(key)!r}, now {self.header.get(key)!r}); '
                    'choose another output folder or model name, nothing '
                    'was overwritten')
        for row in rows:
            self.records[tuple(row[k] for k in self.keys)] = row
        with open(self.path, 'w', encoding='utf-8') as f:  # drop torn lines
            for row in [dict(header=old)] + rows:
                f.write(json.dumps(row) + '\n')

    def done(self, *key) -> Optional[Dict]:
        """The record of a condition (its key fields' values), or None."""
        return self.records.get(tuple(key))

    def add(self, record: Dict) -> None:
        self.records[tuple(record[k] for k in self.keys)] = record
        with open(self.path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()
            os.fsync(f.fileno())


class SweepTestLoop(TestLoop):
    """Evaluate the model once per condition of a sweep; resumable.

    Subclasses say what the conditions are (:meth:`conditions`, dicts of the
    ``record_keys`` fields), how the test pipeline is set to one
    (:meth:`apply`) and which settings identify the sweep
    (:meth:`settings`, checked on rerun with the header fields named in
    ``identity_keys``). Each condition is a full pass over the test set with
    a fresh dataloader; its metrics are appended to ``out_file`` at once, and
    a rerun skips the conditions already there.

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
            old.dataset,
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

    def _evaluate(self) -> Dict[str, float]:
        self.runner.model.eval()
        for idx, data_batch in enumerate(self._loader()):
            self.run_iter(idx, data_batch)
        return self.evaluator.evaluate(len(self.dataloader.dataset))

    def run(self) -> Dict[str, float]:
        """Evaluate every condition; return all metrics, named
        ``<metric_prefix>/<metric>``."""
        from tqdm import tqdm
        header = self._header()
        check_checkpoint_matches(self.runner.model, header['checkpoint'])
        records = SweepRecords(self.out_file, header, self.record_keys,
                               self.identity_keys)
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
                metrics = self._evaluate()
                self.runner.call_hook('after_test_epoch', metrics=metrics)
                record = dict(
                    model=records.header['model'],
                    **condition,
                    metrics=metrics)
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
