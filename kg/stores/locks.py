"""Readers and writers of a store on disk: many readers side by side, one writer alone.

pyoxigraph says that opening a store read-only while another process writes it is undefined behaviour, so kg keeps
readers and writers apart with a lock of its own: ``flock`` on the file ``kg.lock`` in the store's directory, shared
for readers and exclusive for writers. The kernel lets go of it when a process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import gc
import os
import sys
import time
from pathlib import Path

from ..errors import KGError

LOCK_FILE = "kg.lock"
#: Seconds a reader or writer waits for the store by default on the command line (``KG_STORE_WAIT``).
ENV_WAIT = "KG_STORE_WAIT"
DEFAULT_WAIT = 60.0


def wait_from_env() -> float:
    """Seconds to wait for a store another process writes, from ``KG_STORE_WAIT`` (default 60).

    Raises:
        KGError: the variable is set but is not a number of seconds (0 or more).
    """
    text = os.environ.get(ENV_WAIT, "")
    if not text:
        return DEFAULT_WAIT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise KGError(f"{ENV_WAIT} must be a number of seconds (0 or more), not {text!r}")
    return value


class StoreLock:
    """kg's lock on the store in ``directory``: shared (reading) or exclusive (writing)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.fd: int | None = None
        self.exclusive = False

    def acquire(self, *, exclusive: bool, wait: float) -> None:
        """Take the lock, waiting up to ``wait`` seconds for other processes (telling a person at a terminal).

        Raises:
            KGError: the store is still in use after ``wait`` seconds, or the lock file cannot be made.
        """
        try:
            self.fd = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise KGError(f"cannot lock the store at {self.directory}: {error.strerror or error}") from None
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        told = collected = False
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
                self.exclusive = exclusive
                return
            except BlockingIOError:
                pass
            if not collected:  # the holder may be an unreachable store of this very process
                collected = True
                gc.collect()
                continue
            if time.monotonic() >= deadline:
                self.release()
                raise KGError(f"the store at {self.directory} is in use by another process")
            if not told and sys.stderr.isatty():
                told = True
                what = "writing" if not exclusive else "using"
                print(f"kg: waiting for another process {what} the store at {self.directory}…", file=sys.stderr)
            time.sleep(0.05)

    def release(self) -> None:
        """Let go of the lock."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


#: The file a server of the store holds locked, so that a second server of the same store refuses to start.
SERVER_LOCK_FILE = "kg-serve.lock"


def serving_lock(directory: Path) -> int:
    """Take the server's lock on the store in ``directory`` (held until the process ends); return its descriptor.

    Two servers of one store would each take every writer's turn from the other (each write waited a minute and
    failed): the second is refused at start.

    Raises:
        KGError: another process serves the store.
    """
    try:
        fd = os.open(directory / SERVER_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise KGError(f"cannot lock the store at {directory}: {error.strerror or error}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise KGError(f"the store at {directory} is served by another kg serve already") from None
    return fd
