"""Small JSON caches beside the store, valid for one store state.

Reading all entity labels (for lookup) or all paper-entity edges (for exploration) costs whole-graph
queries whose time grows with the number of papers, while the answers only change when a build changes the
store. So each is saved as ``<store>.<name>.json`` with a fingerprint of the store: a hash of its sorted
named-graph names, which every build that adds, changes or drops a paper changes (paper graphs are named
by content hash). A cache whose fingerprint differs, or that cannot be read, is rebuilt; one that cannot be
written is skipped. JSON, not pickle, so a cache file can never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from kg.store import KgStore

CACHE_VERSION = 3  # bump when a cached document changes shape, so old files are rebuilt


def fingerprint(store: KgStore) -> str:
    """A hash of the store's sorted named-graph names (and of the cache format version)."""
    digest = hashlib.sha256(f"kg-cache-{CACHE_VERSION}\n".encode())
    for name in sorted(graph.value for graph in store.graphs()):
        digest.update(name.encode() + b"\n")
    return digest.hexdigest()


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
    current = fingerprint(store)
    path = cache_path(store, name)
    if path is not None:
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(saved, dict) and saved.get("fingerprint") == current:
                return saved["document"]
        except (OSError, ValueError, KeyError):
            pass  # absent, unreadable or foreign: rebuild it
    document = build()
    if path is not None:
        _write_atomically(
            path, json.dumps({"fingerprint": current, "document": document}, ensure_ascii=False)
        )
    return document


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step so a concurrent reader never sees half a file; give up on OSError."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
