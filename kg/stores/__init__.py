"""Where the graph lives: the store interface, its two kinds, and the factory that opens one from a spec.

A store spec names the store: None for a new store in memory, a directory for an embedded store on disk (created when
missing), an ``http(s)://`` URL for a remote SPARQL 1.1 endpoint.

>>> store = open_store()
>>> store.ask("ASK { id:kuaishou a sce:Enterprise }")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .base import GraphStore
from .embedded import Store, memory_store, open_disk

__all__ = ["GraphStore", "Store", "is_remote", "open_store"]


def is_remote(spec: str | None) -> bool:
    """Whether ``spec`` names a remote SPARQL endpoint."""
    return spec is not None and spec.startswith(("http://", "https://"))


def open_store(
    spec: str | None = None,
    *,
    data: Sequence[str | Path] = (),
    write: bool = True,
    wait: float = 0.0,
    update_endpoint: str | None = None,
) -> GraphStore:
    """Open the store ``spec`` names, with the built-in graph and the ``data`` files in it.

    Args:
        spec: None for a new store in memory; a directory for a store on disk (created when missing); an
            ``http(s)://`` URL for a remote SPARQL endpoint.
        data: the user's own RDF files, each loaded into a graph named after it (into the store itself, for a
            store on disk, which is then opened for writing).
        write: False to open a store on disk read-only, beside other readers.
        wait: seconds to wait for a store on disk that another process holds.
        update_endpoint: where a remote store sends updates, when not where it guesses.

    Raises:
        InputError: a data file cannot be read.
        KGError: the store cannot be opened (in use by another process, not a store, an unusable URL).
    """
    if spec is not None and is_remote(spec):
        from .remote import open_remote  # the HTTP client loads only for a remote store

        return open_remote(spec, data=data, update_endpoint=update_endpoint)
    if spec is None:
        return memory_store(data)
    store = open_disk(spec, wait=wait, write=write or bool(data))
    try:
        store.load_all(data)
    except BaseException:
        store.close()
        raise
    return store
