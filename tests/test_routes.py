"""kg serve's routes, described once (kg/serve/routes.py), and the headers its answers carry; in this process over
httpx's ASGI transport where no socket is needed."""

from __future__ import annotations

import gc
import weakref

from kg.serve.workers import _collected


class _Node:
    """Something a cycle can be made of, and a weak reference can watch."""

    other: object = None


def test_what_outlives_a_job_is_frozen_and_a_thaw_frees_a_cycle_that_died_since() -> None:
    """A worker's collection after a job walks only what that job made (bench/browse.py: suggestions after the home
    page took ~50 ms over HTTP, ~20 ms of it a collection walking the home page's caches)."""
    try:
        kept = [[n] for n in range(2000)]
        before = gc.get_freeze_count()
        _collected()
        assert gc.get_freeze_count() >= before + len(kept)
        node = _Node()
        node.other = node
        watched = weakref.ref(node)
        _collected()
        del node
        gc.collect()
        assert watched() is not None  # frozen: an ordinary collection leaves it
        _collected(thawed=True)
        assert watched() is None
    finally:
        gc.unfreeze()
