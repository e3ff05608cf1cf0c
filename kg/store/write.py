"""The write path: extractions -> one named graph per paper, idempotent, incremental, never half-written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kg.rdf import iris
from kg.rdf.triples import paper_triples
from kg.rdf.vocab import OX_KG, OX_RDF
from kg.store.core import KgStore
from kg.types import Extraction


@dataclass(frozen=True)
class WriteStats:
    """What a write did, counted in papers (and triples written).

    ``added``: papers the store did not hold; ``unchanged``: papers whose graph was already there (nothing
    written); ``replaced``: papers whose content changed (new graph written, old ones dropped); ``triples``:
    triples written into new graphs.
    """

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    triples: int = 0

    def __add__(self, other: WriteStats) -> WriteStats:
        return WriteStats(
            self.added + other.added,
            self.unchanged + other.unchanged,
            self.replaced + other.replaced,
            self.triples + other.triples,
        )


def paper_graphs(store: KgStore, paper: ox.NamedNode) -> set[ox.NamedNode]:
    """Every named graph holding a version of ``paper``: each paper graph states ``<paper> a kg:Paper``."""
    quads = store.oxigraph.quads_for_pattern(paper, OX_RDF.type, OX_KG.Paper, None)
    return {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}


def _batches(items: Iterable[Extraction], size: int) -> Iterator[list[Extraction]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_batch(store: KgStore, batch: list[Extraction], base: str) -> WriteStats:
    """Write one batch: all new graphs in one transaction, then drop the versions they replace.

    A paper that appears twice in the batch keeps its last extraction. Old versions are dropped only after
    the new ones are committed, and also when the current version was already present (the leftover of an
    interrupted earlier build).
    """
    latest: dict[ox.NamedNode, tuple[ox.NamedNode, list[ox.Triple]]] = {}
    for extraction in batch:
        latest[iris.paper_iri(base, extraction.record.id)] = paper_triples(extraction, base)
    before = {paper: paper_graphs(store, paper) for paper in latest}
    new = {graph: triples for paper, (graph, triples) in latest.items() if graph not in before[paper]}
    store.add_graphs(new)
    added = replaced = 0
    for paper, (graph, _) in latest.items():
        for old in before[paper] - {graph}:
            store.drop_graph(old)
        if graph in new:
            added += not before[paper]
            replaced += bool(before[paper])
    unchanged = len(latest) - len(new)
    return WriteStats(added, unchanged, replaced, sum(len(t) for t in new.values()))


def write_extractions(
    store: KgStore, extractions: Iterable[Extraction], base: str, *, batch_size: int = 64
) -> WriteStats:
    """Write each paper's graph unless the store already holds it, replacing older versions of that paper.

    Batches of ``batch_size`` papers are written in one transaction each. The iterator is drained a batch at
    a time before anything of that batch is written, so an exception raised by it (or a crash) leaves every
    paper of the unfinished batch exactly as it was. Call :func:`kg.store.refresh_derived` afterwards.

    Args:
        store: an open, writable store.
        extractions: one per paper (a later one for the same record key wins within a batch).
        base: the IRI base.
        batch_size: papers per transaction.

    Returns:
        Counts of papers added, unchanged and replaced, and of triples written.

    Raises:
        StoreError: the store cannot be written, or ``base`` does not make valid IRIs.
    """
    stats = WriteStats()
    for batch in _batches(extractions, batch_size):
        stats += _write_batch(store, batch, base)
    return stats
