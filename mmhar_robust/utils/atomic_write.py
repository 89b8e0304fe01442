"""Write a file so that a kill, a full disk or a crash leaves either the old
file or the new one, never a torn mix: the content goes to a temporary file
in the same folder, is flushed to disk, and then takes the file's name with
``os.replace`` (atomic on POSIX and Windows within one file system)."""
import os
import os.path as osp
import uuid
from contextlib import contextmanager
from typing import IO, Iterator, Optional


def temporary_name(path: str) -> str:
    """A hidden name beside ``path`` that keeps its extension (writers such
    as matplotlib choose the format from it) and no other writer picks."""
    folder, base = osp.split(osp.abspath(path))
    stem, ext = osp.splitext(base)
    return osp.join(
        folder, f'.{stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}'
        f'.tmp{ext}')


def _sync_folder(folder: str) -> None:
    """Make a rename in ``folder`` durable (not possible everywhere)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_with(temporary: str, path: str) -> None:
    """Flush ``temporary`` to disk and move it onto ``path``."""
    with open(temporary, 'rb+') as f:
        os.fsync(f.fileno())
    os.replace(temporary, path)
    _sync_folder(osp.dirname(osp.abspath(path)))


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """A temporary path to write ``path``'s new content to, for writers that
    take a path (``fig.savefig``); it replaces ``path`` when the block ends
    without an error, and is removed otherwise.

    Example:
        >>> with atomic_path('curve.png') as tmp:
        ...     fig.savefig(tmp)
    """
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    temporary = temporary_name(path)
    try:
        yield temporary
        if not osp.isfile(temporary):
            raise FileNotFoundError(
                f'nothing was written to {temporary} (for {path})')
        replace_with(temporary, path)
    except BaseException:
        # Also on KeyboardInterrupt and SystemExit: ``path`` stays as it was.
        _remove(temporary)
        raise


@contextmanager
def atomic_write(path: str,
                 mode: str = 'w',
                 encoding: Optional[str] = 'utf-8',
                 newline: Optional[str] = None) -> Iterator[IO]:
    """``open(path, mode)`` that replaces ``path`` only once everything is
    written: until then readers see the old file, and an error (or a kill)
    leaves it untouched.

    Args:
        path (str): The file; its folder is created if missing.
        mode (str): ``'w'`` or ``'wb'``. Defaults to 'w'.
        encoding (str, optional): Text encoding (ignored in binary mode).
            Defaults to 'utf-8'.
        newline (str, optional): As ``open``'s (``''`` for ``csv``).
            Defaults to None.

    Raises:
        ValueError: ``mode`` is not a write mode.
    """
    if mode not in ('w', 'wb'):
        raise ValueError(f'atomic_write writes whole files: mode must be '
                         f"'w' or 'wb', got {mode!r}")
    binary = mode == 'wb'
    with atomic_path(path) as temporary:
        with open(
                temporary,
                'xb' if binary else 'x',
                encoding=None if binary else encoding,
                newline=None if binary else newline) as f:
            yield f
            f.flush()
