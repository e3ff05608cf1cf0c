"""The embedded, persistent graph store: Oxigraph (RocksDB) in a directory.

Why named graphs: every paper's triples (paper node, mentions, claims, its edges, the labels its surface
forms contribute) live in one named graph ``{base}graph/paper/{content hash}``. Writing a paper is then a
single atomic ``extend`` of a graph whose name already says what it holds, so

- a rebuild over the same input finds the graph present and adds nothing (idempotent, incremental);
- a changed paper gets a new graph first and its old one dropped after, so an interrupted build never
  leaves a paper half-written: at worst an old and a new version side by side, which the next write of that
  paper (changed or not) cleans up, and which the derived counts do not double-count (they count papers,
  not graphs);
- facts that depend on many papers (preferred labels, paper and support counts) are recomputed into one
  derived graph, a batch of entities at a time, and only the difference is written: atomically when it
  fits one update (any rebuild that changes little), in steps for a first build, where an interrupted
  refresh leaves part of the derived graph stale until the next one repairs it (kg.store.derived).

Queries see the union of all graphs (``use_default_graph_as_union``).

A ``--store`` value that is an http(s) URL names an external SPARQL 1.1 store instead (kg.store.remote):
``open_store`` gives a RemoteStore for it, with the same query, update and per-graph write methods.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from kg.store import core
from kg.store.core import Bindings, KgStore
from kg.store.derived import refresh_derived
from kg.store.export import FORMATS, export
from kg.store.remote import Endpoints, RemoteStore, is_url
from kg.store.stats import graph_stats
from kg.store.validate import validate
from kg.store.write import WriteStats, paper_graphs, write_extractions


def is_remote(location: str | os.PathLike | None) -> bool:
    """Whether a ``--store`` value names an external SPARQL store (an http or https URL)."""
    return location is not None and is_url(location)


@contextmanager
def open_store(
    location: str | os.PathLike | None, *, read_only: bool = False
) -> Iterator[KgStore | RemoteStore]:
    """Open the store a ``--store`` value names for a ``with`` block: a directory (None: in memory) or a URL.

    Raises:
        StoreError: a directory store cannot be opened (a remote one is only reached by its first request).
    """
    if is_remote(location):
        yield RemoteStore(Endpoints.from_url(location))
        return
    with core.open_store(location, read_only=read_only) as store:
        yield store


__all__ = [
    "FORMATS",
    "Bindings",
    "Endpoints",
    "KgStore",
    "RemoteStore",
    "WriteStats",
    "export",
    "graph_stats",
    "is_remote",
    "open_store",
    "paper_graphs",
    "refresh_derived",
    "validate",
    "write_extractions",
]
