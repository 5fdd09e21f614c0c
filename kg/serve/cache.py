"""Answers kept for the next client asking the same: a bounded cache of whole small answers, emptied by every write.

A read-mostly knowledge graph is asked the same few queries again and again (a dashboard, a page, a named query with
the same values). A read's answer depends on the request as a :class:`~kg.serve.jobs.Job` holds it (the query, the
dataset, the format, the parameters, the base IRI) and on the store's state; the cache keys on the job and keeps an
answer only for the state it was computed on: every write moves the store to a new generation and empties the cache,
and an answer computed across a write is not kept. Only answers that come whole from a worker (up to one piece of
64 KB) are kept, up to a budget of bytes, the least recently used going first.

Every whole answer of a read carries an ``ETag`` (a hash of its bytes); a client that sends it back in
``If-None-Match`` gets ``304 Not Modified`` while the answer is the same.

>>> cache = Cache(1 << 20)
>>> job = Job("query", "ASK {}", format="json")
>>> cache.put(job, cache.generation, Kept(200, "application/json", {}, b"{}"))
>>> cache.get(job).body
b'{}'
>>> cache.invalidate()
>>> cache.get(job) is None
True

An answer computed before a write is not kept after it:

>>> before = cache.generation
>>> cache.invalidate()
>>> cache.put(job, before, Kept(200, "application/json", {}, b"{}"))
>>> cache.get(job) is None
True
"""

from __future__ import annotations

import collections
import hashlib
from dataclasses import dataclass, field

from .jobs import Job
from .routes import KEPT

#: The kinds of job whose answers may be kept: reads of the store, as the route table says (not the pages of the
#: graph's IRIs, which are made for each reader).
READS = KEPT


@dataclass(frozen=True)
class Kept:
    """An answer kept whole: status, media type, headers (with its ETag) and body."""

    status: int
    media_type: str
    headers: dict[str, str]
    body: bytes = field(repr=False)


def etag(body: bytes) -> str:
    """A strong entity tag for ``body``: a hash of its bytes.

    >>> etag(b"{}")
    '"bf78e4a953b40eee238ca2e9"'
    """
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def matches(if_none_match: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (or ``*``), compared weakly as RFC 9110 says.

    >>> matches('W/"a", "b"', '"b"'), matches("*", '"c"'), matches('"a"', '"b"')
    (True, True, False)
    """
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


class Cache:
    """Whole answers of reads by job, for the store's current generation, within ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.generation = 0
        self.entries: collections.OrderedDict[Job, Kept] = collections.OrderedDict()

    def get(self, job: Job) -> Kept | None:
        """The answer kept for ``job``, if any."""
        kept = self.entries.get(job)
        if kept is not None:
            self.entries.move_to_end(job)
        return kept

    def put(self, job: Job, generation: int, kept: Kept) -> None:
        """Keep ``kept`` as the answer to ``job``, computed on the store's ``generation`` (dropped if a write came
        since, or if it is larger than a tenth of the budget)."""
        cost = len(kept.body) + len(job.text) + 200
        if generation != self.generation or cost > self.budget // 10:
            return
        old = self.entries.pop(job, None)
        if old is not None:
            self.size -= len(old.body) + len(job.text) + 200
        self.entries[job] = kept
        self.size += cost
        while self.size > self.budget:
            dropped, gone = self.entries.popitem(last=False)
            self.size -= len(gone.body) + len(dropped.text) + 200

    def invalidate(self) -> None:
        """The store changes: forget every answer, and keep none computed before now."""
        self.generation += 1
        self.entries.clear()
        self.size = 0
