"""The result file of a sweep: a JSON-lines file with a header naming
everything the rows depend on (:mod:`.sweep_identity`), then one record per
condition, each with the metrics and every test sample's predicted and true
class (``samples``).

Finished rows are never rewritten: records are only appended (and synced),
a torn last line left by a kill is skipped when reading and cut off before
the next append, and a new or replaced file takes its name by an atomic
rename once its header is on disk."""
import hashlib
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from ...utils.atomic_write import atomic_write
from ...utils.sample import identity_field
from .sweep_identity import FORMAT, file_digest, header_changes

__all__ = [
    'file_digest', 'samples_digest', 'read_sweep_file', 'SweepRecords',
    'StaleResultsError'
]

# How to start afresh, for every refusal.
_FRESH = ('Nothing was overwritten. To start afresh, rerun with --overwrite '
          "(the loop's overwrite=True), which replaces this file, or choose "
          'another output folder.')


class StaleResultsError(ValueError):
    """A result file holds rows that this run may not reuse."""


def _dumps(row: Dict) -> str:
    # No spaces: the per-sample lists are most of the file.
    return json.dumps(row, separators=(',', ':'))


def _plain(value):
    """A label as JSON can hold it (numpy scalars and arrays included)."""
    if hasattr(value, 'tolist'):
        return value.tolist()
    return value


def samples_digest(dataset) -> str:
    """SHA-256 of a test set's sample names and labels, in dataset order.

    Two sweep records can be paired sample by sample only if they were
    computed on the same samples in the same order; this digest, kept with
    each record's outcomes, says so (a clip is named by its identity, see
    :mod:`mmhar_robust.utils.sample`, else by its index alone; a dataset
    without ``get_data_info`` by its length alone).
    """
    digest = hashlib.sha256()
    get_info = getattr(dataset, 'get_data_info', lambda index: {})
    for index in range(len(dataset)):
        info = get_info(index)
        field = identity_field(info)
        name = None if field is None else field[1]
        entry = [index, str(name), _plain(info.get('label'))]
        digest.update(_dumps(entry).encode() + b'\n')
    return digest.hexdigest()


def _read_rows(path: str) -> Tuple[List[Dict], int, int, bool]:
    """The whole rows of a JSON-lines file; the byte offset where they end;
    the file's size; whether the last row lacks its newline.

    A last line that does not parse is a write cut short by a kill: it is
    not a row. A damaged line before it is an error.
    """
    with open(path, 'rb') as f:
        data = f.read()
    lines = data.split(b'\n')
    rows, end, offset, needs_newline = [], 0, 0, False
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for number, line in enumerate(lines):
        terminated = number < len(lines) - 1
        after = offset + len(line) + terminated
        if line.strip():
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError('not an object')
            except ValueError:
                if number == last:
                    break  # torn tail
                raise ValueError(
                    f'{path}, line {number + 1}: not a JSON record; the file '
                    'is damaged (only its last line may be cut short)')
            rows.append(row)
            end, needs_newline = after, not terminated
        offset = after
    return rows, end, len(data), needs_newline


def read_sweep_file(path: str) -> Tuple[Dict, List[Dict]]:
    """The header and the records of a sweep's JSON-lines file.

    A partial last line (a crash mid-write) is skipped; the file is not
    changed.

    Raises:
        ValueError: The file does not start with a sweep header, or a line
            before the last is damaged.
    """
    rows = _read_rows(path)[0]
    if not rows or 'header' not in rows[0]:
        raise ValueError(f'{path} is not a sweep result file (no header)')
    return rows[0]['header'], rows[1:]


class SweepRecords:
    """The JSON-lines file of one model's sweep: a header, then one record
    per condition. Appended as results come, so a crashed sweep resumes
    from what it wrote; finished records are never rewritten.

    Args:
        path (str): The ``.jsonl`` file.
        header (dict): Everything the records depend on (the model, its
            checkpoint, the test data, the settings); made JSON-plain.
        keys (Sequence[str]): Record fields that name a condition.
            Defaults to ('corruption', 'level').
        ignore (Sequence[str]): Header fields that do not decide a record;
            an existing file whose header differs in any other field is
            refused (:class:`StaleResultsError`) and left as it is.
            Defaults to ('checkpoint', ) (the path; its digest decides).
        writable (bool): Write the file; False for the ranks of a
            distributed run other than 0, which keep records in memory only.
            Defaults to True.
        overwrite (bool): Ignore an existing file and replace it (atomically,
            at the first record). Defaults to False.
    """

    def __init__(self,
                 path: str,
                 header: Dict,
                 keys: Sequence[str] = ('corruption', 'level'),
                 ignore: Sequence[str] = ('checkpoint', ),
                 writable: bool = True,
                 overwrite: bool = False) -> None:
        self.path = path
        self.header = json.loads(_dumps(dict(header, format=FORMAT)))
        self.keys, self.ignore = tuple(keys), tuple(ignore)
        self.writable = writable
        self.records: Dict[tuple, Dict] = {}
        # None: the file is (re)created at the first record.
        self._end: Optional[int] = None
        self._size, self._needs_newline = 0, False
        if osp.isfile(path) and not overwrite:
            self._load()

    def _load(self) -> None:
        rows, end, size, needs_newline = _read_rows(self.path)
        if not rows or 'header' not in rows[0]:
            raise StaleResultsError(
                f'{self.path} is not a sweep result file (no header). '
                f'{_FRESH}')
        old = rows[0]['header']
        if 'format' not in old:
            raise StaleResultsError(
                f'{self.path} was written by an older version of the sweep, '
                'whose header does not name the test data, configs and code '
                'its results depend on, so they cannot be checked. '
                f'{_FRESH}')
        if old['format'] != FORMAT:
            raise StaleResultsError(
                f'{self.path} has result format {old["format"]}, this '
                f'version reads {FORMAT}. {_FRESH}')
        changes = header_changes(old, self.header, self.ignore)
        if changes:
            raise StaleResultsError(
                f'{self.path} holds results of another run; a result is '
                'reused only when everything that decides it is the same, '
                'and here:\n' + '\n'.join(f'  - {c}'
                                          for c in changes) + f'\n{_FRESH}')
        for row in rows[1:]:
            self.records[tuple(row[k] for k in self.keys)] = row
        self._end, self._size, self._needs_newline = end, size, needs_newline

    def done(self, *key) -> Optional[Dict]:
        """The record of a condition (its key fields' values), or None."""
        return self.records.get(tuple(key))

    def add(self, record: Dict) -> None:
        """Keep a record; append it to the file (if writable) and sync."""
        self.records[tuple(record[k] for k in self.keys)] = record
        if not self.writable:
            return
        line = (_dumps(record) + '\n').encode()
        if self._end is None:
            with atomic_write(self.path, 'wb') as f:
                f.write((_dumps(dict(header=self.header)) + '\n').encode())
                f.write(line)
            self._end = self._size = osp.getsize(self.path)
            return
        with open(self.path, 'r+b') as f:
            size = f.seek(0, os.SEEK_END)
            if size != self._size:
                raise ValueError(
                    f'{self.path} changed while this sweep was running '
                    f'({self._size} -> {size} bytes): is another sweep '
                    'writing the same file? Nothing was written')
            if size > self._end:
                f.truncate(self._end)  # a torn line, not a record
            f.seek(self._end)
            data = (b'\n' if self._needs_newline else b'') + line
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self._end = self._size = self._end + len(data)
        self._needs_newline = False
