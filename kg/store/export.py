"""Serialise the graph: the union as triples (ttl, nt, jsonld) or every named graph as quads (nq)."""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import StoreError
from kg.rdf.vocab import PREFIXES
from kg.store.core import KgStore

FORMATS = ("ttl", "nt", "jsonld", "nq")
_TRIPLE_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def _sorted_triples(store: KgStore) -> list[ox.Triple]:
    """The union without duplicates, in N-Triples order, so the same graph always gives the same bytes."""
    return sorted(store.triples(), key=str)


def _write_jsonld(triples: list[ox.Triple], out: BinaryIO) -> None:
    """JSON-LD compacted with the project prefixes as its context (pyoxigraph only writes expanded form)."""
    import io

    import rdflib

    buffer = io.BytesIO()
    ox.serialize(triples, buffer, ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    out.write(graph.serialize(format="json-ld", context=PREFIXES, indent=1).encode("utf-8"))


def export(store: KgStore, fmt: str, out: BinaryIO) -> None:
    """Write the whole graph to a binary file object.

    Args:
        store: the store to read.
        fmt: ``ttl``, ``nt`` or ``jsonld`` (the union of all graphs, each triple once, prefixes from
            kg.rdf.vocab.PREFIXES) or ``nq`` (every quad, keeping the per-paper and derived graphs).
        out: where to write, e.g. ``sys.stdout.buffer`` or a file opened with ``"wb"``.

    Raises:
        StoreError: ``fmt`` is not one of FORMATS, or writing failed.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        if fmt == "nq":
            store.oxigraph.dump(out, ox.RdfFormat.N_QUADS)
        elif fmt == "jsonld":
            _write_jsonld(_sorted_triples(store), out)
        else:
            ox.serialize(_sorted_triples(store), out, _TRIPLE_FORMATS[fmt], prefixes=PREFIXES)
    except OSError as exc:
        raise StoreError(f"export failed: {exc}") from exc
