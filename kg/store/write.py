"""The write path: extractions -> one named graph per paper, idempotent, incremental, never half-written.

A paper has one IRI, from its strongest key (kg.ingest.identity.record_keys). When an input gives a stored
paper a stronger key than the one it was stored under (its arXiv id, where an earlier input had only its
title), the writer re-keys it: the new graph goes in under the new IRI and the graphs under the weaker-key
IRIs are dropped, as an older version would be. The run record says so (kg.runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.batching import chunks
from kg.rdf.iris import sparql_terms
from kg.rdf.triples import PaperGraph, paper_aliases, paper_graph
from kg.rdf.vocab import OX_KG, OX_RDF
from kg.store.core import KgStore
from kg.types import Extraction

if TYPE_CHECKING:
    from kg.store.remote import RemoteStore


@dataclass(frozen=True)
class WriteStats:
    """What a write did, counted in papers (and triples written).

    ``added``: papers the store did not hold under any of their keys; ``unchanged``: papers whose graph was
    already there (nothing written); ``replaced``: papers whose content changed or that were re-keyed (new
    graph written, old ones dropped); ``triples``: triples written into new graphs.
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


_IDENTITY = """
SELECT ?paper ?titleKey ?arxiv ?doi WHERE {
  VALUES ?paper { %s }
  ?paper a kg:Paper ; kg:titleKey ?titleKey .
  OPTIONAL { ?paper kg:arxivId ?arxiv }
  OPTIONAL { ?paper kg:doi ?doi }
}
"""


def stored_aliases(store: KgStore | RemoteStore, papers: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The weaker-key IRIs (kg.rdf.triples.paper_aliases) of each of ``papers``, from its stored identifiers
    (its arXiv id and DOI, and its kg:titleKey, which every paper graph kg writes holds).

    SPARQL, so that kg.runs can ask a remote store the same; a paper the store does not hold is left out.
    """
    values = sparql_terms(papers)
    if not values:
        return {}
    aliases: dict[str, dict[str, None]] = {}  # an ordered set per paper: two versions may both be stored
    for row in store.query(_IDENTITY % values):
        arxiv, doi = (row[name].value if row[name] is not None else None for name in ("arxiv", "doi"))
        paper = row["paper"].value
        found = paper_aliases(paper, arxiv=arxiv, doi=doi, title_key=row["titleKey"].value)
        aliases.setdefault(paper, {}).update(dict.fromkeys(found))
    return {paper: tuple(found) for paper, found in aliases.items()}


def _write_batch(store: KgStore, batch: list[PaperGraph]) -> WriteStats:
    """Write one batch: all new graphs in one bulk load, then drop the versions they replace.

    A paper that appears twice in the batch keeps its last graph. Old versions are dropped only after
    the new ones are in, and also when the current version was already present (the leftover of an
    interrupted earlier build); so are the graphs of the paper under its weaker keys (a re-keying).
    """
    latest = {ox.NamedNode(graph.paper): graph for graph in batch}
    before = {paper: paper_graphs(store, paper) for paper in latest}
    new = {g.name: g for paper, g in latest.items() if ox.NamedNode(g.name) not in before[paper]}
    if new:
        store.load_nquads("".join(g.nquads for g in new.values()))
    for paper, graph in latest.items():
        for old in before[paper] - {ox.NamedNode(graph.name)}:
            store.drop_graph(old)
    aliases = stored_aliases(store, (graph.paper for graph in latest.values()))
    added = replaced = 0
    for paper, graph in latest.items():
        rekeyed = {
            old for alias in aliases.get(paper.value, ()) for old in paper_graphs(store, ox.NamedNode(alias))
        }
        for old in rekeyed:
            store.drop_graph(old)
        if graph.name in new:
            added += not (before[paper] or rekeyed)
            replaced += bool(before[paper] or rekeyed)
    return WriteStats(added, len(latest) - len(new), replaced, sum(g.triples for g in new.values()))


def write_graphs(store: KgStore, graphs: Iterable[PaperGraph], *, batch_size: int = 64) -> WriteStats:
    """Write each paper graph unless the store already holds it, replacing older versions of that paper.

    Batches of ``batch_size`` papers are written with one bulk load each. The iterator is drained a batch
    at a time before anything of that batch is written, so an exception raised by it (or a crash) leaves
    every paper of the unfinished batch exactly as it was. Call :func:`kg.store.refresh_derived` afterwards.

    Args:
        store: an open, writable store.
        graphs: one per paper (a later one for the same paper wins within a batch).
        batch_size: papers per write.

    Returns:
        Counts of papers added, unchanged and replaced, and of triples written.

    Raises:
        StoreError: the store cannot be written.
    """
    stats = WriteStats()
    for batch in chunks(graphs, batch_size):
        stats += _write_batch(store, batch)
    return stats


def write_extractions(
    store: KgStore, extractions: Iterable[Extraction], base: str, *, batch_size: int = 64
) -> WriteStats:
    """:func:`write_graphs` of the extractions' paper graphs (see there for batches and atomicity).

    Args:
        store: an open, writable store.
        extractions: one per paper (a later one for the same record key wins within a batch).
        base: the IRI base.
        batch_size: papers per write.

    Raises:
        StoreError: the store cannot be written, or ``base`` does not make valid IRIs.
    """
    return write_graphs(store, (paper_graph(x, base) for x in extractions), batch_size=batch_size)
