"""Writing files so that a failure leaves nothing half-written, and says what went wrong in one line.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomically(folder / "a.txt", "快手\\n").read_text(encoding="utf-8")
'快手\\n'
>>> write_atomically(folder / "missing" / "a.txt", "x")
Traceback (most recent call last):
...
kg.errors.KGError: ...: the folder ... does not exist
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import KGError


def write_atomically(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with the line ends it has) to ``path`` through a temporary file beside it.

    Raises:
        KGError: the folder is missing or cannot be written, or ``path`` names no file.
    """
    target = Path(path)
    if not target.name:
        raise KGError(f"{str(path)!r} names no file")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise KGError(f"{target}: the folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise KGError(f"{target}: cannot write there: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"{target}: cannot write there: {error.strerror or error}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def make_folder(path: str | Path) -> Path:
    """Create the folder ``path`` (and its parents) when missing.

    Raises:
        KGError: it cannot be created.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KGError(f"{folder}: cannot create the folder: {error.strerror or error}") from None
    return folder
