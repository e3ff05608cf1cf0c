"""What a node's tooltip says beyond its name: its most telling papers and the claims that name it.

Fetched only for the nodes a page draws (one small bound query per node), so a focused page on a large store
costs little. Top papers follow the entity card of `kg lookup` (papers that propose the entity first, then
those with the most typed links to it, newest first); claims are those of `kg claims`, newest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kg.query.claims import claims_about
from kg.query.render import truncate
from kg.query.sparql import select
from kg.store import KgStore
from kg.viz.graph import PAPER, VizGraph, VizNode

TOP_PAPERS = 5
TOP_CLAIMS = 3
SNIPPET = 220  # characters of a claim shown in a tooltip

PAPER_CLAIMS = """
SELECT ?paper ?text WHERE {
  ?paper kg:makesClaim ?claim .
  ?claim kg:text ?text .
  OPTIONAL { ?claim kg:confidence ?confidence }
}
ORDER BY DESC(?confidence) ?text
"""


@dataclass(frozen=True)
class NodeDetails:
    """Tooltip texts of one node: titles of its top papers (entities only) and claim snippets."""

    papers: tuple[str, ...]
    claims: tuple[str, ...]


def node_details(store: KgStore, graph: VizGraph, drawn: VizGraph) -> dict[str, NodeDetails]:
    """Tooltip texts for every node of ``drawn``.

    Args:
        store: the graph store.
        graph: the whole graph, so an entity's top papers are found even when the page does not draw them.
        drawn: the nodes to describe.

    Returns:
        Details by node IRI.

    Raises:
        QueryError: the store could not be queried.
    """
    linked = _papers_by_entity(graph)
    return {
        iri: NodeDetails(
            papers=() if node.kind == PAPER else tuple(p.label for p in linked[iri][:TOP_PAPERS]),
            claims=tuple(truncate(text, SNIPPET) for text in _claims(store, node)),
        )
        for iri, node in drawn.nodes.items()
    }


def _papers_by_entity(graph: VizGraph) -> dict[str, list[VizNode]]:
    """Each entity's papers, best first: proposing papers, then more typed links, then newest."""
    links: dict[str, list[tuple[VizNode, tuple[str, ...]]]] = defaultdict(list)
    for edge in graph.edges:
        source = graph.nodes[edge.source]
        if source.kind == PAPER:
            links[edge.target].append((source, edge.relations))
    ranked: dict[str, list[VizNode]] = defaultdict(list)
    for entity, papers in links.items():
        papers.sort(key=lambda item: (item[0].date or "", item[0].label), reverse=True)
        papers.sort(key=lambda item: ("proposes" not in item[1], -len(set(item[1]) - {"mentions"})))
        ranked[entity] = [paper for paper, _ in papers]
    return ranked


def _claims(store: KgStore, node: VizNode) -> list[str]:
    """Claims to show: a paper's own (most confident first), or those naming an entity (newest first)."""
    if node.kind != PAPER:
        return [claim.text for claim in claims_about(store, node.iri, limit=TOP_CLAIMS)]
    rows = select(store, PAPER_CLAIMS, {"paper": ox.NamedNode(node.iri)}, max_rows=TOP_CLAIMS).rows
    return [text.value for _, text in rows]
