"""A compact view of the graph for exploration: entities and papers as nodes, typed edges, cached on disk.

The RDF graph holds mentions, claims, values and assertions that graph algorithms do not need; the view
keeps only the nodes people navigate (papers and entities) and the edges between them (a paper's
proposes/uses/evaluatesOn/addresses/measuredBy links, ``mentions`` where no typed link exists, and entity
``outperforms`` edges). Reading it costs three whole-graph queries, so it is cached beside the store as
``<store>.view.json`` until the next build changes the store (see kg.query.cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.query.cache import cached
from kg.query.sparql import select
from kg.rdf.vocab import ENTITY_CLASS, RELATION
from kg.store import KgStore

if TYPE_CHECKING:
    import networkx as nx

ENTITY_NODES = f"""
SELECT ?node ?type ?label WHERE {{
  VALUES ?type {{ {" ".join(f"<{iri}>" for iri in ENTITY_CLASS.values())} }}
  ?node a ?type ; skos:prefLabel ?label .
}}
"""
PAPER_NODES = """
SELECT ?node ?title ?date WHERE {
  ?node a kg:Paper .
  OPTIONAL { ?node dcterms:title ?title }
  OPTIONAL { ?node dcterms:date ?date }
}
"""
EDGES = f"""
SELECT ?source ?relation ?target WHERE {{
  VALUES ?relation {{ kg:mentions {" ".join(f"<{iri}>" for iri in RELATION.values())} }}
  ?source ?relation ?target .
}}
"""


@dataclass(frozen=True)
class Node:
    """A paper or an entity in the view."""

    iri: str
    kind: Literal["paper", "entity"]
    label: str
    types: tuple[str, ...] = ()
    date: str | None = None

    def to_json(self) -> dict:
        return {
            "iri": self.iri,
            "kind": self.kind,
            "label": self.label,
            "types": list(self.types),
            "date": self.date,
        }


@dataclass(frozen=True)
class Edge:
    """A typed, directed edge (``relation`` is the local name, e.g. evaluatesOn)."""

    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class GraphView:
    """The exploration view of one store state."""

    nodes: dict[str, Node]
    edges: tuple[Edge, ...]

    def to_json(self) -> dict:
        position = {iri: i for i, iri in enumerate(self.nodes)}
        return {
            "nodes": [[n.iri, n.kind, n.label, list(n.types), n.date] for n in self.nodes.values()],
            "edges": [[position[e.source], e.relation, position[e.target]] for e in self.edges],
        }

    @classmethod
    def from_json(cls, data: dict) -> GraphView:
        """The inverse of ``to_json`` (edges refer to nodes by position, which keeps the cache small)."""
        nodes = [
            Node(iri, kind, label, tuple(types), date) for iri, kind, label, types, date in data["nodes"]
        ]
        edges = tuple(Edge(nodes[s].iri, rel, nodes[t].iri) for s, rel, t in data["edges"])
        return cls({n.iri: n for n in nodes}, edges)

    def to_networkx(self) -> nx.Graph:
        """An undirected networkx graph; each edge keeps ``links``: the (relation, source IRI) pairs it stands
        for, so a path can be printed with the real direction of every step."""
        import networkx as nx

        graph = nx.Graph()
        for node in self.nodes.values():
            graph.add_node(node.iri)
        for edge in self.edges:
            if graph.has_edge(edge.source, edge.target):
                graph.edges[edge.source, edge.target]["links"].add((edge.relation, edge.source))
            else:
                graph.add_edge(edge.source, edge.target, links={(edge.relation, edge.source)})
        return graph


def load_view(store: KgStore) -> GraphView:
    """The view of the store as it is now, from the cache beside the store when it is still valid.

    Raises:
        QueryError: the store could not be queried.
    """
    return GraphView.from_json(cached(store, "view", lambda: build_view(store).to_json()))


def build_view(store: KgStore) -> GraphView:
    """Read the view from the store (three queries).

    ``mentions`` edges are kept only for pairs with no typed edge, so a paper that evaluates on GSM8K
    shows one evaluatesOn link, not that and a mentions link.
    """
    nodes: dict[str, Node] = {}
    types: dict[str, set[str]] = {}
    for node, type_, label in select(store, ENTITY_NODES).rows:
        types.setdefault(node.value, set()).add(type_.value.rsplit("#", 1)[-1])
        nodes[node.value] = Node(node.value, "entity", label.value)
    nodes = {iri: Node(iri, "entity", n.label, tuple(sorted(types[iri]))) for iri, n in nodes.items()}
    for node, title, date in select(store, PAPER_NODES).rows:
        label = title.value if title is not None and title.value else node.value.rsplit("/", 1)[-1]
        nodes[node.value] = Node(node.value, "paper", label, (), date.value if date is not None else None)
    found = {
        Edge(source.value, relation.value.rsplit("#", 1)[-1], target.value)
        for source, relation, target in select(store, EDGES).rows
        if source.value in nodes and target.value in nodes
    }
    typed = {(e.source, e.target) for e in found if e.relation != "mentions"}
    edges = [e for e in found if e.relation != "mentions" or (e.source, e.target) not in typed]
    edges.sort(key=lambda e: (e.source, e.relation, e.target))
    return GraphView(nodes, tuple(edges))
