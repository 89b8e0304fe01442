"""SweepRecords: finished rows are never rewritten (a torn last line is
skipped on read and cut off before the next append), a kill at any moment
loses no finished row, and a file of other settings or of the old format is
refused with what changed and how to start afresh."""
import json
import os
import signal
import time

import pytest

from mmhar_robust.engine.runner.sweep_records import (StaleResultsError,
                                                      SweepRecords,
                                                      read_sweep_file)
from mmhar_robust.engine.runner.sweep_identity import FORMAT

HEADER = dict(
    model='a',
    checkpoint='/x/a.pth',
    checkpoint_sha256='c' * 64,
    annotations={'data/ann.pkl': '1' * 64},
    scale='body',
    seed=0,
    test_dataset=dict(
        type='PoseDataset',
        pipeline=[dict(type='UniformSampleFrames', num_clips=1)]))


def _record(level, top1=0.5):
    return dict(
        model='a',
        corruption='gaussian',
        level=level,
        metrics={'acc/top1': top1})


def _lines(path):
    return path.read_bytes().split(b'\n')


def test_records_are_appended_and_read_back(tmp_path):
    path = tmp_path / 'r.jsonl'
    records = SweepRecords(str(path), HEADER)
    assert not path.exists()  # created with the first record
    records.add(_record(0.0))
    records.add(_record(0.1, 0.25))
    header, rows = read_sweep_file(str(path))
    assert header == dict(HEADER, format=FORMAT)
    assert rows == [_record(0.0), _record(0.1, 0.25)]
    again = SweepRecords(str(path), HEADER)
    assert again.done('gaussian', 0.1) == _record(0.1, 0.25)
    assert again.done('gaussian', 0.2) is None


def test_a_torn_tail_is_skipped_and_finished_rows_are_not_rewritten(
        tmp_path, monkeypatch):
    path = tmp_path / 'r.jsonl'
    records = SweepRecords(str(path), HEADER)
    records.add(_record(0.0))
    records.add(_record(0.1))
    finished = path.read_bytes()
    torn = json.dumps(_record(0.2)).encode()[:25]
    with open(path, 'ab') as f:
        f.write(torn)  # killed in the middle of the third record
    # Reading (and resuming) writes nothing: the file is only opened for
    # reading until a new record comes.
    opened = []
    real_open = open

    def spy(file, mode='r', *args, **kwargs):
        opened.append(mode)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr('builtins.open', spy)
    _, rows = read_sweep_file(str(path))
    resumed = SweepRecords(str(path), HEADER)
    monkeypatch.undo()
    assert set(opened) == {'rb'}
    assert rows == [_record(0.0), _record(0.1)]
    assert path.read_bytes() == finished + torn
    assert resumed.done('gaussian', 0.2) is None
    resumed.add(_record(0.2, 0.125))
    data = path.read_bytes()
    assert data.startswith(finished)  # the finished rows, byte for byte
    assert data[len(finished):] == (
        json.dumps(_record(0.2, 0.125), separators=(',', ':')) +
        '\n').encode()


def test_a_last_row_without_its_newline_is_kept(tmp_path):
    path = tmp_path / 'r.jsonl'
    SweepRecords(str(path), HEADER).add(_record(0.0))
    path.write_bytes(path.read_bytes()[:-1])  # the newline never came
    resumed = SweepRecords(str(path), HEADER)
    assert resumed.done('gaussian', 0.0) == _record(0.0)
    resumed.add(_record(0.1))
    assert read_sweep_file(str(path))[1] == [_record(0.0), _record(0.1)]


def test_a_damaged_line_before_the_last_is_an_error(tmp_path):
    path = tmp_path / 'r.jsonl'
    records = SweepRecords(str(path), HEADER)
    records.add(_record(0.0))
    records.add(_record(0.1))
    lines = _lines(path)
    lines[1] = lines[1][:10]
    path.write_bytes(b'\n'.join(lines))
    with pytest.raises(ValueError, match=r'r.jsonl, line 2: not a JSON'):
        read_sweep_file(str(path))


def test_other_settings_are_refused_naming_what_changed(tmp_path):
    path = tmp_path / 'r.jsonl'
    SweepRecords(str(path), HEADER).add(_record(0.0))
    before = path.read_bytes()
    changed = json.loads(json.dumps(HEADER))
    changed['annotations']['data/ann.pkl'] = '2' * 64
    changed['test_dataset']['pipeline'][0]['num_clips'] = 10
    changed['seed'] = 1
    changed['checkpoint'] = '/elsewhere/a.pth'  # the path alone: no matter
    with pytest.raises(StaleResultsError) as error:
        SweepRecords(str(path), changed)
    message = str(error.value)
    assert 'holds results of another run' in message
    assert ('annotation file data/ann.pkl changed (sha256 111111111111... '
            '-> 222222222222...)') in message
    assert ('test_dataset.pipeline[0].num_clips: 1 -> 10') in message
    assert '  - seed: 0 -> 1' in message
    assert 'checkpoint:' not in message
    assert '--overwrite' in message and 'another output folder' in message
    assert path.read_bytes() == before
    # Started afresh on request: replaced at the first record.
    fresh = SweepRecords(str(path), changed, overwrite=True)
    assert fresh.records == {} and path.read_bytes() == before
    fresh.add(_record(0.0, 0.75))
    header, rows = read_sweep_file(str(path))
    assert header['seed'] == 1 and rows == [_record(0.0, 0.75)]


def test_files_of_the_old_format_are_refused(tmp_path):
    path = tmp_path / 'r.jsonl'
    old = dict(model='a', checkpoint_sha256='c' * 64, scale='body', seed=0)
    path.write_text(
        json.dumps(dict(header=old)) + '\n' + json.dumps(_record(0.0)) + '\n')
    with pytest.raises(
            StaleResultsError,
            match='older version of the sweep.*--overwrite'):
        SweepRecords(str(path), HEADER)


def test_a_kill_while_replacing_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / 'r.jsonl'
    SweepRecords(str(path), HEADER).add(_record(0.0))
    before = path.read_bytes()
    fresh = SweepRecords(str(path), dict(HEADER, seed=3), overwrite=True)

    def killed(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'replace', killed)
    with pytest.raises(KeyboardInterrupt):
        fresh.add(_record(0.0, 0.0))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ['r.jsonl']


def test_only_the_writer_writes(tmp_path):
    path = tmp_path / 'r.jsonl'
    reader = SweepRecords(str(path), HEADER, writable=False)
    reader.add(_record(0.0))
    assert reader.done('gaussian', 0.0) == _record(0.0)
    assert not path.exists()


def test_a_file_changed_by_another_writer_is_not_truncated(tmp_path):
    path = tmp_path / 'r.jsonl'
    SweepRecords(str(path), HEADER).add(_record(0.0))
    mine = SweepRecords(str(path), HEADER)
    SweepRecords(str(path), HEADER).add(_record(0.1))  # another sweep
    with pytest.raises(ValueError, match='another sweep writing'):
        mine.add(_record(0.2))
    assert len(read_sweep_file(str(path))[1]) == 2


def _write_until_killed(path):
    """In a forked child: append large records (a kill often lands in the
    middle of one) until killed."""
    records = SweepRecords(str(path), dict(model='a', seed=0))
    start = len(records.records)
    for i in range(start, start + 100000):
        records.add(
            dict(
                model='a',
                corruption='gaussian',
                level=i,
                samples=dict(pred=[i % 7] * 20000)))
    os._exit(0)


def _killed_writer(path, rows_before=None, delay=None):
    """Start a writer process (a fork: no second import of the toolkit) and
    SIGKILL it after ``delay`` seconds, or once it wrote 3 more records than
    ``rows_before``."""
    pid = os.fork()
    if pid == 0:
        try:
            _write_until_killed(path)
        finally:
            os._exit(1)
    if delay is not None:
        time.sleep(delay)
    else:
        deadline = time.time() + 30
        while time.time() < deadline and not (path.exists()
                                              and path.stat().st_size >
                                              (rows_before + 3) * 60000):
            time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _finished(path):
    data = path.read_bytes()
    return data[:data.rfind(b'\n') + 1]


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='needs os.fork')
def test_a_killed_sweep_and_killed_reruns_lose_no_finished_row(tmp_path):
    path = tmp_path / 'killed.jsonl'
    _killed_writer(path, rows_before=0)
    rows = read_sweep_file(str(path))[1]
    assert len(rows) >= 3
    # Reruns killed at once (while reading the file), soon, and later.
    for delay in (0.0, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.006, 0.01,
                  0.02, None):
        finished = _finished(path)
        _killed_writer(path, rows_before=len(rows), delay=delay)
        assert path.read_bytes().startswith(finished)
        again = read_sweep_file(str(path))[1]
        assert again[:len(rows)] == rows
        rows = again
    for i, row in enumerate(rows):
        assert row['level'] == i and row['samples']['pred'][-1] == i % 7
