"""The result file of a sweep: a JSON-lines file with a header naming the
checkpoint and settings, then one record per condition, each with the
metrics and, since per-sample outcomes are kept, every test sample's
predicted and true class (``samples``)."""
import hashlib
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

# Fields of a data info that name a clip, best first.
_NAME_KEYS = ('frame_dir', 'filename', 'video_id', 'img_path')


def _dumps(row: Dict) -> str:
    # No spaces: the per-sample lists are most of the file.
    return json.dumps(row, separators=(',', ':'))


def file_digest(path: str) -> str:
    """SHA-256 of a file (identifies a checkpoint in sweep results)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _plain(value):
    """A label as JSON can hold it (numpy scalars and arrays included)."""
    if hasattr(value, 'tolist'):
        return value.tolist()
    return value


def samples_digest(dataset) -> str:
    """SHA-256 of a test set's sample names and labels, in dataset order.

    Two sweep records can be paired sample by sample only if they were
    computed on the same samples in the same order; this digest, kept with
    each record's outcomes, says so (a clip is named by its ``frame_dir``,
    ``filename``, ``video_id`` or ``img_path``, else by its index alone;
    a dataset without ``get_data_info`` by its length alone).
    """
    digest = hashlib.sha256()
    get_info = getattr(dataset, 'get_data_info', lambda index: {})
    for index in range(len(dataset)):
        info = get_info(index)
        name = next((info[k] for k in _NAME_KEYS if k in info), None)
        entry = [index, str(name), _plain(info.get('label'))]
        digest.update(_dumps(entry).encode() + b'\n')
    return digest.hexdigest()


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
                f.write(_dumps(dict(header=header)) + '\n')

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
                f.write(_dumps(row) + '\n')

    def done(self, *key) -> Optional[Dict]:
        """The record of a condition (its key fields' values), or None."""
        return self.records.get(tuple(key))

    def add(self, record: Dict) -> None:
        self.records[tuple(record[k] for k in self.keys)] = record
        with open(self.path, 'a', encoding='utf-8') as f:
            f.write(_dumps(record) + '\n')
            f.flush()
            os.fsync(f.fileno())
