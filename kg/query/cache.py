"""Small JSON caches beside the store, valid for one store state.

Reading all entity labels (for lookup) or all paper-entity edges (for exploration) costs whole-graph
queries whose time grows with the number of papers, while the answers only change when a build changes the
store. So each is saved as ``<store>.<name>.json`` with a fingerprint of the store's state on disk, and a
cache whose fingerprint differs, or that cannot be read, is rebuilt; one that cannot be written is skipped.
JSON, not pickle, so a cache file can never run code.

The fingerprint is a hash of the names and sizes of the store's RocksDB data files: the sorted tables
(``*.sst``, immutable, each new one with a new number) and the write-ahead logs (``*.log``, append-only).
Every write either ingests new tables (the bulk loader) or appends to a log (a transaction, a dropped
graph, the derived update), so any change to the data changes it; reading never does. It costs one
directory listing (a few dozen files), where hashing every named-graph name cost 100k names per call at
100k papers. It can also change without a change to the data (a writer's close flushes its log into new
tables, a compaction merges tables): then the cache is rebuilt once for nothing, never used when stale.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from kg.store import KgStore

CACHE_VERSION = 3  # bump when a cached document changes shape, so old files are rebuilt


def fingerprint(store: KgStore) -> str | None:
    """A hash of the cache format version and the names and sizes of the store's data files; None for a
    store that is not a directory (in memory, or external), which gets no cache."""
    if store.path is None:
        return None
    digest = hashlib.sha256(f"kg-cache-{CACHE_VERSION}\n".encode())
    for name, size in sorted(_data_files(store.path)):
        digest.update(f"{name} {size}\n".encode())
    return digest.hexdigest()


def _data_files(path: Path) -> list[tuple[str, int]]:
    """(name, size) of the tables and non-empty logs in a store directory. A file a concurrent writer
    removes while it is listed is left out: the fingerprint then matches no saved one, so the cache is
    rebuilt."""
    files = []
    for entry in os.scandir(path):
        if entry.name.endswith((".sst", ".log")):
            try:
                size = entry.stat().st_size
            except FileNotFoundError:
                continue
            if size:
                files.append((entry.name, size))
    return files


def cache_path(store: KgStore, name: str) -> Path | None:
    """Where cache ``name`` of an on-disk store lives (``<store>.<name>.json``); None for in-memory stores."""
    if store.path is None:
        return None
    return store.path.parent / f"{store.path.name}.{name}.json"


def cached(store: KgStore, name: str, build: Callable[[], dict]) -> dict:
    """The document ``build()`` makes from the store as it is now, from the cache when still valid.

    Args:
        store: the store the document describes.
        name: the cache's name (one file per name).
        build: computes the document (a JSON-serialisable dict) from the store.

    Returns:
        The document, as built or as read back from the cache.
    """
    path = cache_path(store, name)
    if path is None:
        return build()
    current = fingerprint(store)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(saved, dict) and saved.get("fingerprint") == current:
            return saved["document"]
    except (OSError, ValueError, KeyError):
        pass  # absent, unreadable or foreign: rebuild it
    document = build()
    _write_atomically(path, json.dumps({"fingerprint": current, "document": document}, ensure_ascii=False))
    return document


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step so a concurrent reader never sees half a file; give up on OSError."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
