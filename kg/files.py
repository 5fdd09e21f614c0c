"""Writing files so that a failure leaves nothing half-written, and says what went wrong in one line.

Output goes to a temporary file beside the target, which replaces the target only when everything was written. Only
regular files are written: a device, a fifo or a directory at the target is refused, never replaced.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomically(folder / "a.txt", "快手\\n").read_text(encoding="utf-8")
'快手\\n'
>>> write_atomically(folder / "missing" / "a.txt", "x")
Traceback (most recent call last):
...
kg.errors.KGError: ...: the folder ... does not exist
>>> write_atomically("/dev/null", "x")
Traceback (most recent call last):
...
kg.errors.KGError: /dev/null: not a regular file (a device); kg writes only regular files
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import KGError
from .errors import shown as quoted


def shown(path: str | Path) -> str:
    """A file name fit for a one-line message (see :func:`kg.errors.shown`)."""
    return quoted(str(path))


def check_target(path: Path) -> None:
    """Refuse a target that exists and is not a regular file.

    Raises:
        KGError: a directory, device, fifo or socket is at ``path``.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise KGError(f"{shown(path)}: cannot write there: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return
    kind = "a directory" if stat.S_ISDIR(mode) else "a fifo" if stat.S_ISFIFO(mode) else "a device"
    if stat.S_ISSOCK(mode):
        kind = "a socket"
    raise KGError(f"{shown(path)}: not a regular file ({kind}); kg writes only regular files")


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file to write; it becomes ``path`` when the block ends without an error, and vanishes otherwise.

    Raises:
        KGError: the folder is missing or cannot be written, ``path`` names no file or no regular file, the disk is
            full.
    """
    target = Path(path)
    if not target.name or str(path).endswith(os.sep):
        raise KGError(f"{str(path)!r} names no file")
    check_target(target)
    folder = target.resolve().parent
    if not folder.is_dir():
        raise KGError(f"{shown(target)}: the folder {shown(folder)} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise KGError(f"{shown(target)}: cannot write there: {error.strerror or error}") from None
    _WRITING.add(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        check_target(target)
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"{shown(target)}: cannot write there: {error.strerror or error}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _WRITING.discard(tmp)


#: The temporary files being written now, removed by :func:`abandon_outputs` when the process is stopped.
_WRITING: set[str] = set()


def abandon_outputs() -> None:
    """Remove every temporary file kg is writing (the process is being stopped), so nothing half-written stays."""
    for tmp in list(_WRITING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_atomically(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with the line ends it has) to ``path`` through a temporary file beside it.

    Raises:
        KGError: the folder is missing or cannot be written, or ``path`` names no regular file.
    """
    with atomic_output(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def make_folder(path: str | Path) -> Path:
    """Create the folder ``path`` (and its parents) when missing.

    Raises:
        KGError: it cannot be created.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KGError(f"{shown(folder)}: cannot create the folder: {error.strerror or error}") from None
    return folder
