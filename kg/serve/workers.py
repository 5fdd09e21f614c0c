"""Worker processes that run every request on the store, so that one can be stopped: its process is killed.

pyoxigraph cannot cancel a query and a thread cannot be killed, so the HTTP face runs each request in one of N worker
processes, each holding the store (a store in memory: a copy each; on disk: each a reader; a remote endpoint: each a
client). A request past its deadline, or whose client went away, has its worker killed (its CPU is back at once) and
a fresh one started in its place; the other workers keep answering meanwhile.

A write takes every worker, so that no query runs beside it: the first worker applies it, and the others then take
the new state (for a store in memory, the first worker's dump; on disk, they reopen it), so that every later query
reads what was written.

Messages between the server and a worker are frames of bytes: a tag, then JSON or data. ``H`` the status and media
type, ``D`` a piece of the answer, ``E`` the end, ``A`` a whole small answer (head and body), ``X`` an error (status
and message), ``R`` ready.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import functools
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..catalog import catalog
from ..errors import KGError
from ..sparqltext import ENGINE_STACK
from ..stores import Store, is_remote, open_store
from .cache import READS, Cache, Kept, etag
from .jobs import HTTPError, Job, perform

#: Bytes a worker gathers before it sends a piece of the answer.
CHUNK = 1 << 16
#: Bytes of a worker's answer the server holds unread before it stops reading the pipe (the worker then waits).
BUFFERED = 1 << 20
#: Seconds a new worker may take to open the store.
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class StoreSpec:
    """What a worker opens: ``spec`` as ``--store`` gives it (None: the built-in graph in memory) and the data files."""

    spec: str | None = None
    data: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``memory``, ``disk`` or ``remote``."""

        return "memory" if self.spec is None else "remote" if is_remote(self.spec) else "disk"


# --- The worker's side ----------------------------------------------------------------------------------------------


class _Frames:
    """The sink a job writes to in the worker: the answer goes to the server in pieces of CHUNK bytes.

    An answer that ends before its first piece is full goes as one frame, head and body together (``A``): the server
    then answers with a Content-Length, in one message each way instead of three.
    """

    def __init__(self, conn: multiprocessing.connection.Connection) -> None:
        self.conn = conn
        self.buffer = bytearray()
        self.head: bytes | None = None
        self.started = False

    def start(self, status: int, media_type: str, headers: dict[str, str] | None = None) -> None:
        self.head = _encoded_head(status, media_type, tuple((headers or {}).items()))
        self.started = True

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self._send_head()
            self.conn.send_bytes(b"D" + bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def _send_head(self) -> None:
        if self.head is not None:
            self.conn.send_bytes(b"H" + self.head)
            self.head = None

    def flush(self) -> None:
        """Nothing: pieces go when they are full, and at the end."""

    def writable(self) -> bool:
        return True

    def end(self) -> None:
        if self.head is not None:  # the whole answer in one frame
            self.conn.send_bytes(b"A" + len(self.head).to_bytes(4, "big") + self.head + bytes(self.buffer))
            self.head = None
            self.buffer.clear()
            return
        if self.buffer:
            self.conn.send_bytes(b"D" + bytes(self.buffer))
            self.buffer.clear()
        self.conn.send_bytes(b"E")


@functools.lru_cache(maxsize=64)
def _encoded_head(status: int, media_type: str, headers: tuple[tuple[str, str], ...]) -> bytes:
    return json.dumps({"status": status, "media_type": media_type, "headers": dict(headers)}).encode()


def _open(spec: StoreSpec, *, write: bool = False) -> Any:
    if spec.kind == "disk":
        return open_store(spec.spec, write=write, wait=60.0)
    return open_store(spec.spec, data=spec.data)


def worker_main(
    conn: multiprocessing.connection.Connection,
    spec: StoreSpec,
    state: bytes | None,
    parent: int | None = None,
    memory: int = 0,
) -> None:
    """A worker's life: open the store, say ready, then run jobs one at a time until the server goes away.

    Args:
        parent: the server's process id: the worker ends with it, however it ends (a SIGKILL included).
        memory: the bytes of address space the worker may take (0: no limit); a query past it fails alone.
    """

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    grow_stack(ENGINE_STACK)
    if parent is not None:
        die_with(parent)
    if memory:
        limit_memory(memory)
    try:
        store = _open(spec)
        if state is not None:
            store = _restored(state)
        catalog()  # the named queries, read before the heap is frozen: they live as long as the worker
        gc.freeze()  # what start-up made lives on: the collection after each job then walks only what the job made
        conn.send_bytes(b"R")
        _serve_jobs(conn, spec, store)
    except KGError as error:  # the store cannot be opened (again): its folder gone or unreadable
        print(f"kg serve: a worker stopped: {' '.join(str(error).split())}", file=sys.stderr, flush=True)
        sys.exit(1)


def _serve_jobs(conn: multiprocessing.connection.Connection, spec: StoreSpec, store: Any) -> None:
    """Run jobs one at a time until the server goes away.

    Raises:
        KGError: the store cannot be opened again.
    """

    done = 0
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        command, job = message
        if command == "dump":
            conn.send_bytes(b"D" + store.engine.dump(format=ox.RdfFormat.N_QUADS))
            continue
        if command == "close":  # a store on disk: another worker is about to write it
            _let_go(store)
            conn.send_bytes(b"R")
            continue
        if command == "sync":
            _let_go(store)
            store = _restored(job) if spec.kind == "memory" else _open(spec)
            _collected(thawed=True)
            conn.send_bytes(b"R")
            continue
        sink = _Frames(conn)
        if job.writes and spec.kind == "disk":
            store, failure = _written_on_disk(spec, store, job, sink)
        else:
            failure = _performed(store, job, sink)
        if failure is None:
            sink.end()
        else:
            conn.send_bytes(b"X" + json.dumps({**failure, "started": sink.started}).encode())
        # The engine's answers belong to this thread: let go of them here (see _collected).
        done += 1
        _collected(thawed=job.writes or done % THAW_EVERY == 0)


#: Jobs after which a worker's collection walks its whole heap again, frozen part included (see :func:`_collected`).
THAW_EVERY = 1000


def _collected(*, thawed: bool = False) -> None:
    """Collect what the last job left in cycles, then freeze what survives with start-up's heap.

    What outlives a job (the search index, the pages' templates and figures, the named queries) would otherwise be
    walked by every later job's collection: after the home page, ~20 ms a request, more than the work of a
    suggestion. A frozen object is still freed when nothing refers to it; only one in a cycle stays until the heap is
    thawed: ``thawed`` walks it all first (after a write, when the store's state is replaced, and every
    :data:`THAW_EVERY` jobs).
    """

    if thawed:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def _written_on_disk(spec: StoreSpec, reader: Any, job: Job, sink: _Frames) -> tuple[Any, dict[str, Any] | None]:
    """Run the write ``job`` on the store on disk: the reader let go of, a writer opened, the job run, and a reader
    again (returned) before the answer ends, since the server then has the other workers open the store, which they
    must not do while it is written. Also returned: the job's failure, as :func:`_performed` gives it.

    A store that cannot be opened for writing (its folder read-only) fails the job in one line (503). A write that
    failed (its disk full) has a writer open the store once more, whose recovery drops what the failed write left in
    the write-ahead log, so that the disk is not kept full.
    """
    _let_go(reader)
    failure = _run_writer(spec, job, sink)
    # Only now, with the writer's frames (and any error's) let go of, is its engine dropped: before, the writer would
    # stay open beside the readers.
    _collected(thawed=True)
    if failure is not None and failure["status"] >= 500:
        with contextlib.suppress(KGError):
            _let_go(_open(spec, write=True))
            _collected(thawed=True)
    return _open(spec), failure


def _run_writer(spec: StoreSpec, job: Job, sink: _Frames) -> dict[str, Any] | None:
    """Open the store for writing, run ``job`` and close it; the job's failure as :func:`_performed` gives it."""
    try:
        writer = _open(spec, write=True)
    except KGError as error:
        return {"status": 503, "message": f"{error}; nothing was written"}
    try:
        return _performed(writer, job, sink)
    finally:
        _let_go(writer)


def _let_go(store: Any) -> None:
    """Close ``store``; a store on a full disk that cannot write out what it holds in memory keeps it in its log."""
    with contextlib.suppress(KGError):
        store.close()


#: Linux's prctl option that has the kernel send a signal to a process when its parent ends.
PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Have this process killed when the process ``parent`` ends: by the kernel on Linux (``PR_SET_PDEATHSIG``),
    elsewhere by a thread watching for the parent to go. A worker left behind would hold the store's lock, and run
    its query to the end."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        threading.Thread(target=_watch, args=(parent,), name="kg-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def grow_stack(size: int) -> None:
    """Let this process's main thread, where a worker runs the engine, have ``size`` bytes of stack when ``ulimit -s``
    gives it less (the engine parses by recursion; kg's limits on queries are measured with this much)."""
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        if soft != resource.RLIM_INFINITY and soft < size:
            wanted = size if hard == resource.RLIM_INFINITY else min(size, hard)
            resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))


def limit_memory(size: int) -> None:
    """Let this process take at most ``size`` bytes of address space: past it an allocation fails, and the query
    that asked for it with it (where the system lets a process lower its own limit)."""
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or size < hard:
            resource.setrlimit(resource.RLIMIT_AS, (size, hard))


def default_worker_memory(workers: int) -> int:
    """Each worker's share of memory by default: the machine's memory shared by the workers, at least 1 GiB.

    >>> default_worker_memory(2) >= 1 << 30
    True
    """
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return 0
    return max(1 << 30, total // max(1, workers))


def _performed(store: Any, job: Job, sink: _Frames) -> dict[str, Any] | None:
    """Run ``job``, its answer going to ``sink``; None when it went well, else the status and message of its failure."""
    try:
        perform(store, job, sink)
        if not sink.started:
            sink.start(204, "text/plain")
    except HTTPError as error:
        return {"status": error.status, "message": str(error)}
    except Exception as error:  # the engine failed part-way: say so in one line; the server decides
        return {"status": 500, "message": f"the store could not answer: {' '.join(str(error).split())[:300]}"}
    return None


def _restored(state: bytes) -> Any:
    engine = ox.Store()
    engine.load(state, format=ox.RdfFormat.N_QUADS)
    return Store(engine)


# --- The server's side ----------------------------------------------------------------------------------------------


class _Reply:
    """The frames of one answer from a worker as they come, up to its last.

    Args:
        ends: the tags of the frames that end it (``A``, ``X``, ``E`` for a job); empty: its first frame ends it.
        done: called once the last frame has come (the worker is then free), from the event loop's reading.
    """

    def __init__(self, ends: bytes = b"", done: Callable[[], None] | None = None) -> None:
        self.ends = ends
        self.done = done
        self.frames: collections.deque[bytes] = collections.deque()
        self.size = 0
        self.ended = False
        self.waiter: asyncio.Future[None] | None = None

    def add(self, frame: bytes) -> None:
        self.frames.append(frame)
        self.size += len(frame)
        if not self.ends or frame[:1] in self.ends:
            self.ended = True
        self.wake()

    def wake(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class _Link(asyncio.Protocol):
    """The server's end of a worker's pipe, read by the event loop: frames as multiprocessing writes them (a length of
    4 bytes, or -1 and a length of 8, then the bytes), each handed to the answer the worker is giving.

    Reading pauses while more than :data:`BUFFERED` bytes of an answer wait unread (a slow client holds the worker
    back rather than the server's memory growing), and resumes as they are taken.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.reply: _Reply | None = None
        self.paused = False
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 4:
            size, start = int.from_bytes(self.buffer[:4], "big", signed=True), 4
            if size == -1:
                if len(self.buffer) < 12:
                    break
                size, start = int.from_bytes(self.buffer[4:12], "big"), 12
            if len(self.buffer) < start + size:
                break
            frame = bytes(self.buffer[start : start + size])
            del self.buffer[: start + size]
            self.route(frame)

    def route(self, frame: bytes) -> None:
        """Hand ``frame`` to the answer it belongs to; when that answer ends, say so (another job may go out now)."""
        reply = self.reply
        if reply is None:  # nothing was asked: the worker is not speaking the protocol
            if self.transport is not None:
                self.transport.close()
            return
        reply.add(frame)
        if reply.ended:
            self.reply = None
            if reply.done is not None:
                reply.done()
        elif reply.size > BUFFERED and not self.paused and self.transport is not None:
            self.transport.pause_reading()
            self.paused = True

    def taken(self, reply: _Reply) -> None:
        """``reply`` has had a frame taken: read on when it holds little."""
        if self.paused and reply.size <= BUFFERED and self.transport is not None:
            self.transport.resume_reading()
            self.paused = False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.reply is not None:
            self.reply.wake()


class Worker:
    """One worker process and the server's end of its pipe (read by the event loop, written without waiting)."""

    def __init__(self, spec: StoreSpec, state: bytes | None, memory: int = 0) -> None:
        context = multiprocessing.get_context("spawn")
        ours, child = context.Pipe()
        arguments = (child, spec, state, os.getpid(), memory)
        self.process = context.Process(target=worker_main, args=arguments, daemon=True)
        self.process.start()
        child.close()
        self.socket = socket.socket(fileno=os.dup(ours.fileno()))
        ours.close()
        self.link = _Link()
        self.link.reply = _Reply()  # the worker's first word: ready

    async def connect(self) -> _Reply:
        """Hand the pipe to the event loop; the answer returned is the worker saying it is ready."""
        started = self.link.reply
        assert started is not None
        await asyncio.get_running_loop().create_unix_connection(lambda: self.link, sock=self.socket)
        return started

    def ask(self, command: str, payload: Any = None, *, done: Callable[[], None] | None = None) -> _Reply:
        """Send a command to the worker (framed as its ``Connection.recv`` reads it); its answer comes in the reply.

        A job's answer ends with its ``A``, ``X`` or ``E`` frame, then ``done`` is called; any other command's with its
        first frame.

        Raises:
            EOFError: the worker is gone.
        """
        transport = self.link.transport
        if transport is None or self.link.closed or transport.is_closing():
            raise EOFError("the worker is gone")
        data = pickle.dumps((command, payload), protocol=pickle.HIGHEST_PROTOCOL)
        size = len(data)
        head = size.to_bytes(4, "big") if size < 0x7FFFFFFF else b"\xff\xff\xff\xff" + size.to_bytes(8, "big")
        reply = self.link.reply = _Reply(b"AXE" if command == "job" else b"", done)
        transport.write(head + data)
        return reply

    async def recv(self, reply: _Reply, timeout: float | None = None) -> bytes:
        """The next frame of ``reply``, waiting at most ``timeout`` seconds.

        Raises:
            TimeoutError: nothing came in time.
            EOFError: the worker is gone.
        """
        if not reply.frames:
            if self.link.closed:
                raise EOFError("the worker is gone")
            loop = asyncio.get_running_loop()
            waiter = reply.waiter = loop.create_future()
            timer = None if timeout is None else loop.call_later(timeout, _expire, waiter)
            try:
                await waiter
            finally:
                reply.waiter = None
                if timer is not None:
                    timer.cancel()
            if not reply.frames:
                raise EOFError("the worker is gone")
        frame = reply.frames.popleft()
        reply.size -= len(frame)
        self.link.taken(reply)
        return frame

    def ended(self, wait: float = 1.0) -> int | None:
        """The worker's exit code once it has ended (a signal as its negative number); None while it runs."""
        self.process.join(wait)
        return self.process.exitcode

    def kill(self) -> None:
        """Stop the worker now, whatever it computes; its memory and CPU are given back at once."""
        if self.process.pid is not None and self.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(5)
        if self.link.transport is not None:
            self.link.transport.close()
        else:
            self.socket.close()


def _expire(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class Cut(Exception):
    """An answer already under way that cannot be finished: the client must see it incomplete, not short."""


@dataclass
class Answer:
    """What a job gave: status, media type, headers, and the rest of the answer as it comes."""

    status: int
    media_type: str
    headers: dict[str, str]
    body: AsyncIterator[bytes]
    #: The whole answer when it came in one frame (the body then yields just that).
    whole: bytes | None = None
    #: The event loop's time by which the answer must have reached its client (None: no deadline).
    deadline: float | None = None


#: A request waiting for a worker: the job to send it the moment one is free (None: the worker itself, for a write),
#: and where to say which worker took it.
_Waiting = tuple[Any, "asyncio.Future[tuple[Worker, _Reply | None]]"]


class Pool:
    """N workers, each running one job at a time; jobs past ``timeout`` seconds are stopped.

    A worker that ends an answer takes the next waiting job at once, while the event loop reads that answer's last
    frame, so that it does not sit idle while the loop serves other connections.
    """

    def __init__(self, spec: StoreSpec, *, size: int, timeout: float, cache: int = 0, memory: int = 0) -> None:
        self.spec = spec
        #: Bytes of address space each worker may take (0: no limit).
        self.memory = memory
        self.size = size
        self.timeout = timeout
        #: Answers kept for the next client asking the same (None: off; never for a remote store, which others write).
        self.cache = Cache(cache) if cache > 0 and spec.kind != "remote" else None
        self.idle: collections.deque[Worker] = collections.deque()
        self.waiting: collections.deque[_Waiting] = collections.deque()
        self.state: bytes | None = None
        self.write_lock = asyncio.Lock()
        self.workers: set[Worker] = set()
        self.starting: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def _add(self) -> None:
        worker = Worker(self.spec, self.state, self.memory)
        self.workers.add(worker)
        try:
            started = await worker.connect()
            frame = await worker.recv(started, START_TIMEOUT)
        except (TimeoutError, EOFError, OSError):
            self._drop(worker)
            raise RuntimeError("a worker could not open the store") from None
        if frame != b"R":
            self._drop(worker)
            raise RuntimeError("a worker could not open the store")
        self._free(worker)

    def _drop(self, worker: Worker) -> None:
        worker.kill()
        self.workers.discard(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in its place, in the background."""
        self._drop(worker)
        task = asyncio.get_running_loop().create_task(self._add())
        self.starting.add(task)
        task.add_done_callback(self.starting.discard)

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self.workers):
            self._drop(worker)

    def _send(self, worker: Worker, job: Job) -> _Reply:
        return worker.ask("job", job, done=lambda: self._free(worker))

    def _free(self, worker: Worker) -> None:
        """``worker`` has ended its answer: give it the first waiting job now, or keep it idle."""
        if worker not in self.workers:
            return
        while self.waiting:
            job, taker = self.waiting.popleft()
            if taker.done():  # its request gave up waiting
                continue
            try:
                reply = None if job is None else self._send(worker, job)
            except EOFError:
                self.waiting.appendleft((job, taker))
                self._replace(worker)
                return
            taker.set_result((worker, reply))
            return
        self.idle.append(worker)

    async def _take(self, job: Job | None, deadline: float) -> tuple[Worker, _Reply | None]:
        """A free worker, given ``job`` already (None: the worker alone, for a write).

        Raises:
            HTTPError: no worker was free before ``deadline`` (503).
        """
        while self.idle:
            worker = self.idle.popleft()
            try:
                return worker, None if job is None else self._send(worker, job)
            except EOFError:
                self._replace(worker)
        loop = asyncio.get_running_loop()
        taker: asyncio.Future[tuple[Worker, _Reply | None]] = loop.create_future()
        self.waiting.append((job, taker))
        timer = loop.call_at(deadline, _expire, taker)
        try:
            return await taker
        except TimeoutError:
            raise HTTPError(503, f"every worker stayed busy for {self.timeout:g} s; try again later") from None
        except asyncio.CancelledError:
            if taker.done() and not taker.cancelled() and taker.exception() is None:
                self._replace(taker.result()[0])  # taken, and perhaps given the job, by a request that went away
            raise
        finally:
            timer.cancel()

    async def run(self, job: Job) -> Answer:
        """Run ``job`` on a free worker; the answer's body streams from it.

        Raises:
            HTTPError: the job failed before answering, or ran past the timeout (503).
        """
        if job.writes:
            self._invalidate()
            try:
                return await self._write(job)
            finally:
                self._invalidate()
        read = job.kind in READS
        cache = self.cache if read else None
        generation = 0
        if cache is not None:
            kept = cache.get(job)
            if kept is not None:
                return Answer(
                    kept.status, kept.media_type, {**kept.headers, "X-Cache": "hit"}, _once(kept.body), kept.body
                )
            generation = cache.generation
        deadline = asyncio.get_running_loop().time() + self.timeout
        worker, reply = await self._take(job, deadline)
        assert reply is not None
        answer = await self._answer(worker, reply, deadline)
        answer.deadline = deadline
        if read and answer.whole is not None and answer.status == 200:
            answer.headers["ETag"] = etag(answer.whole)
            if cache is not None:
                cache.put(job, generation, Kept(answer.status, answer.media_type, dict(answer.headers), answer.whole))
        return answer

    def _invalidate(self) -> None:
        if self.cache is not None:
            self.cache.invalidate()

    async def _answer(self, worker: Worker, reply: _Reply, deadline: float, *, write: bool = False) -> Answer:
        loop = asyncio.get_running_loop()
        # A write stopped part-way never committed its transaction: the store holds what it held.
        what, kept = ("write", "; nothing was written") if write else ("query", "")
        try:
            frame = await worker.recv(reply, max(0.0, deadline - loop.time()))
        except TimeoutError:
            self._replace(worker)
            raise HTTPError(
                503, f"the {what} ran past the timeout of {self.timeout:g} s and was stopped{kept}"
            ) from None
        except (EOFError, OSError):
            ended = worker.ended()
            self._replace(worker)
            if self.memory and ended == -signal.SIGABRT:  # the engine aborts when an allocation fails
                message = f"the {what} needed more than the {self.memory >> 20} MB a worker may take, and was stopped"
                raise HTTPError(503, message + kept) from None
            raise HTTPError(503, f"the worker running the {what} stopped{kept or '; try again'}") from None
        if frame[:1] == b"X":
            error = json.loads(frame[1:])
            raise HTTPError(error["status"], error["message"])
        if frame[:1] == b"A":
            size = int.from_bytes(frame[1:5], "big")
            (status, media_type, headers), whole = _head(frame[5 : 5 + size]), frame[5 + size :]
            return Answer(status, media_type, dict(headers), _once(whole), whole)
        status, media_type, headers = _head(frame[1:])
        return Answer(status, media_type, dict(headers), self._rest(worker, reply, deadline))

    async def _rest(self, worker: Worker, reply: _Reply, deadline: float) -> AsyncIterator[bytes]:
        """The pieces of an answer after its head, up to its end.

        Raises:
            Cut: the answer cannot be whole: it ran past the timeout (its worker is stopped), or the engine failed
                part-way. Its status went out with its head, so the HTTP face ends it without its last piece.
        """
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    frame = await worker.recv(reply, max(0.0, deadline - loop.time()))
                except TimeoutError:
                    raise Cut(f"an answer still streaming at the timeout of {self.timeout:g} s was stopped") from None
                except EOFError:
                    raise Cut("the worker giving an answer stopped part-way") from None
                if frame[:1] == b"D":
                    yield frame[1:]
                elif frame[:1] == b"E":
                    return
                else:
                    raise Cut(f"the store failed part-way through an answer: {json.loads(frame[1:])['message']}")
        finally:
            if not reply.ended:  # the client went away, or the timeout came: stop the work
                self._replace(worker)

    async def _write(self, job: Job) -> Answer:
        """Run a write with every worker taken, then bring the others to the new state."""
        deadline = asyncio.get_running_loop().time() + self.timeout
        async with self.write_lock:
            taken: list[Worker] = []
            try:
                while len(taken) < self.size:
                    taken.append((await self._take(None, deadline))[0])
            except HTTPError:
                for worker in taken:
                    self._free(worker)
                raise
            leader, others = taken[0], taken[1:]
            written = False
            try:
                if self.spec.kind == "disk":  # readers let go, so that the leader may write
                    for reply, worker in [(worker.ask("close"), worker) for worker in others]:
                        await worker.recv(reply)
                answer = await self._written(leader, job, deadline)
                body = b"".join([piece async for piece in answer.body])
                written = True
            finally:
                try:
                    if written or self.spec.kind == "disk":  # on disk, the readers open the store again either way
                        await self._sync(leader, others, dump=written)
                finally:
                    for worker in taken:
                        self._free(worker)
            return Answer(answer.status, answer.media_type, answer.headers, _once(body))

    async def _written(self, leader: Worker, job: Job, deadline: float) -> Answer:
        """The answer of the write ``job`` on ``leader``; a write the store failed (not the request) is also told in
        one line on the server's stderr, for whoever runs the server."""
        try:
            return await self._answer(leader, leader.ask("job", job), deadline, write=True)
        except HTTPError as error:
            if error.status >= 500:
                print(f"kg serve: a write failed: {error}", file=sys.stderr, flush=True)
            raise

    async def _sync(self, leader: Worker, others: Sequence[Worker], *, dump: bool) -> None:
        """Bring ``others`` to the state ``leader`` wrote (``dump``: a store in memory takes the leader's copy)."""
        if self.spec.kind == "remote":
            return
        if self.spec.kind == "memory" and dump:
            frame = await leader.recv(leader.ask("dump"))
            self.state = frame[1:]
        for reply, worker in [(worker.ask("sync", self.state), worker) for worker in others if worker in self.workers]:
            await worker.recv(reply)


@functools.lru_cache(maxsize=64)
def _head(data: bytes) -> tuple[int, str, tuple[tuple[str, str], ...]]:
    """Status, media type and headers from the head a worker sends (the same few heads again and again)."""
    head = json.loads(data)
    return head["status"], head["media_type"], tuple(head["headers"].items())


async def _once(body: bytes) -> AsyncIterator[bytes]:
    if body:
        yield body
