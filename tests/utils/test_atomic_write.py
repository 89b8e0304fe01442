"""atomic_write / atomic_path: the old file stays whole until the new one is
on disk; an error or a kill between write and rename loses nothing."""
import os
import stat

import pytest

from mmhar_robust.utils.atomic_write import (atomic_path, atomic_write,
                                             temporary_name)


def _leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith('.'))


def test_writes_the_whole_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / 'sub' / 'table.csv'
    with atomic_write(str(path), newline='') as f:
        f.write('a,b\r\n1,2\r\n')
    assert path.read_bytes() == b'a,b\r\n1,2\r\n'  # newline='' kept CRLF
    with atomic_write(str(path), 'wb') as f:
        f.write(b'\x00\x01')
    assert path.read_bytes() == b'\x00\x01'
    assert _leftovers(path.parent) == []
    # Permissions as open() would give them (umask), not mkstemp's 0600.
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_an_error_while_writing_keeps_the_old_file(tmp_path):
    path = tmp_path / 'summary.md'
    path.write_text('finished results')
    with pytest.raises(RuntimeError):
        with atomic_write(str(path)) as f:
            f.write('half of the new')
            raise RuntimeError('disk full')
    assert path.read_text() == 'finished results'
    assert _leftovers(tmp_path) == []


def test_a_kill_between_write_and_rename_keeps_the_old_file(
        tmp_path, monkeypatch):
    path = tmp_path / 'results.json'
    path.write_text('[1, 2, 3]')

    def killed(src, dst):
        raise KeyboardInterrupt  # the process dies before the rename

    monkeypatch.setattr(os, 'replace', killed)
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(str(path)) as f:
            f.write('[]')
    assert path.read_text() == '[1, 2, 3]'
    assert _leftovers(tmp_path) == []


def test_atomic_path_keeps_the_extension_for_writers_that_take_a_path(
        tmp_path):
    path = tmp_path / 'curve.png'
    path.write_bytes(b'old')
    with atomic_path(str(path)) as temporary:
        assert temporary.endswith('.png')
        assert os.path.dirname(temporary) == str(tmp_path)
        with open(temporary, 'wb') as f:
            f.write(b'new')
        assert path.read_bytes() == b'old'  # not yet replaced
    assert path.read_bytes() == b'new'
    # A writer that wrote nothing: an error, the old file kept.
    with pytest.raises(FileNotFoundError, match='nothing was written'):
        with atomic_path(str(path)):
            pass
    assert path.read_bytes() == b'new'
    assert temporary_name(str(path)) != temporary_name(str(path))


def test_only_whole_file_modes():
    with pytest.raises(ValueError, match="mode must be 'w' or 'wb'"):
        with atomic_write('x.txt', 'a'):
            pass
