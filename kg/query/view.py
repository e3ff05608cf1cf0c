"""A compact view of the graph for exploration: entities and papers as nodes, typed edges, cached on disk.

The RDF graph holds mentions, claims, values and assertions that graph algorithms do not need; the view
keeps only the nodes people navigate (papers and entities) and the edges between them (a paper's
proposes/uses/evaluatesOn/addresses/measuredBy links, ``mentions`` where no typed link exists, and entity
``outperforms`` edges). Reading it costs three whole-graph queries, so it is cached beside the store as
``<store>.view.json`` until the next build changes the store (see kg.query.cache).

`kg neighbors` needs only the part of the view around one entity, so ``read_neighbourhood`` reads that
part from the store a hop at a time (the edges of the nodes found so far, bound in VALUES blocks), which
at 100k papers costs a fraction of loading the whole view and building a networkx graph of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from kg.batching import chunks
from kg.query.cache import cached
from kg.query.sparql import select
from kg.rdf.iris import paper_key, sparql_terms
from kg.rdf.vocab import ENTITY_CLASS, RELATION
from kg.store import KgStore

if TYPE_CHECKING:
    import networkx as nx

    from kg.query.lookup import LabelIndex

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
_RELATION_TERMS = ("kg:mentions", *(f"<{iri}>" for iri in RELATION.values()))
EDGES = f"""
SELECT ?source ?relation ?target WHERE {{
  VALUES ?relation {{ {" ".join(_RELATION_TERMS)} }}
  ?source ?relation ?target .
}}
"""
# The neighbourhood's reads. {nodes} is a VALUES list of IRIs the store gave (never user text), written by
# pyoxigraph's term serialisation; {relations} a list of relation IRIs. Papers are never the object of these
# relations, so edges are read to entities only. A few IRIs per query: Oxigraph's time for a VALUES block
# grew faster than its length (1k store, 500 papers' edges: 0.5 ms for 5 IRIs, 190-1000 ms for 500 at once).
_EDGES_AT = """SELECT ?source ?relation ?target WHERE {{
  VALUES ?{end} {{ {nodes} }} ?source ?relation ?target FILTER(?relation IN ({relations})) }}"""
_PAPERS_OF = """SELECT ?node ?title ?date WHERE {{ VALUES ?node {{ {nodes} }} ?node a kg:Paper
  OPTIONAL {{ ?node dcterms:title ?title }} OPTIONAL {{ ?node dcterms:date ?date }} }}"""
_PAPER_COUNTS = "SELECT ?node ?count WHERE {{ VALUES ?node {{ {nodes} }} ?node kg:paperCount ?count }}"
_CHUNK = 4  # IRIs per VALUES block


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
        nodes[node.value] = _paper(node, title, date)
    found = {
        edge for edge in _edges(select(store, EDGES).rows) if edge.source in nodes and edge.target in nodes
    }
    return GraphView(nodes, _without_redundant_mentions(found))


def _paper(node: ox.NamedNode, title: ox.Literal | None, date: ox.Literal | None) -> Node:
    """A paper node: labelled by its title, or by the end of its IRI when it has none."""
    label = title.value if title is not None and title.value else paper_key(node.value)
    return Node(node.value, "paper", label, (), date.value if date is not None else None)


def _edges(rows: Iterable[tuple]) -> Iterator[Edge]:
    for source, relation, target in rows:
        yield Edge(source.value, relation.value.rsplit("#", 1)[-1], target.value)


def _without_redundant_mentions(found: set[Edge]) -> tuple[Edge, ...]:
    """The edges in view order, without a ``mentions`` edge where the same pair has a typed edge."""
    typed = {(e.source, e.target) for e in found if e.relation != "mentions"}
    edges = [e for e in found if e.relation != "mentions" or (e.source, e.target) not in typed]
    edges.sort(key=lambda e: (e.source, e.relation, e.target))
    return tuple(edges)


@dataclass(frozen=True)
class Neighbourhood:
    """The part of the view within ``hops`` of a node, as ``read_neighbourhood`` reads it.

    ``view`` holds the nodes within ``hops`` and every edge of the nodes nearer than ``hops`` (so it is
    exactly what breadth-first search on the whole view walks, in the same edge order); ``degree`` is each
    node's degree in the whole view, which for the nodes at ``hops`` counts edges the neighbourhood does not
    hold.
    """

    view: GraphView
    degree: dict[str, int]


def read_neighbourhood(
    store: KgStore,
    index: LabelIndex,
    source: str,
    hops: int,
    *,
    enough: Callable[[Iterable[Node]], bool] | None = None,
) -> Neighbourhood:
    """The view around ``source`` up to ``hops`` edges away, read from the store a hop at a time.

    With ``enough``, reading stops at the first distance where it holds for the nodes found so far: a caller
    that lists the nearest nodes first needs nothing farther once it has as many as it lists.
    Every entity a paper links to is one it mentions (kg.rdf.triples), so the degree of a node at ``hops``
    is read from fewer triples: a paper's from its ``kg:mentions`` edges, an entity's from its
    ``kg:paperCount`` and its ``outperforms`` edges (a frequent entity at the edge of the neighbourhood costs
    one lookup instead of a read of all its papers).

    Args:
        store: the graph.
        index: the label index, which gives every entity node's label and types (the view's entity nodes
            are the index's entities).
        source: the IRI of an entity of the index, to start from.
        hops: how far to read, in edges.
        enough: called with the nodes found (the source left out) after each hop.

    Raises:
        QueryError: the store could not be queried.
    """
    nodes = {source: _entity(index, source)}
    found: set[Edge] = set()
    seen, frontier = {source}, [source]
    for _ in range(hops):
        edges = _incident(store, index, nodes, frontier, ", ".join(_RELATION_TERMS))
        found |= edges
        frontier = sorted({end for e in edges for end in (e.source, e.target)} - seen)
        seen.update(frontier)
        if enough is not None and enough(nodes[iri] for iri in seen if iri != source):
            break
    degree = _degrees(found)
    papers = [iri for iri in frontier if nodes[iri].kind == "paper"]
    entities = [iri for iri in frontier if nodes[iri].kind == "entity"]
    degree.update(_degrees(_incident(store, index, nodes, papers, "kg:mentions"), papers))
    outperforms = _degrees(_incident(store, index, nodes, entities, f"<{RELATION['outperforms']}>"), entities)
    counts = {node.value: int(count.value) for node, count in _chunked(store, _PAPER_COUNTS, entities)}
    degree.update({iri: counts.get(iri, 0) + outperforms.get(iri, 0) for iri in entities})
    view = GraphView({iri: nodes[iri] for iri in sorted(seen)}, _without_redundant_mentions(found))
    return Neighbourhood(view, degree)


def _entity(index: LabelIndex, iri: str) -> Node:
    entity = index.entities[iri]
    return Node(iri, "entity", entity.label, entity.types)


def _incident(
    store: KgStore, index: LabelIndex, nodes: dict[str, Node], iris: list[str], relations: str
) -> set[Edge]:
    """The view edges of ``relations`` from and to the nodes ``iris``, with both ends view nodes; ``nodes``
    gains the new ends (entities from the index, papers read from the store)."""
    to_entities = [iri for iri in iris if nodes[iri].kind == "entity"]
    raw = set(_edges(_chunked(store, _EDGES_AT, iris, end="source", relations=relations)))
    raw |= set(_edges(_chunked(store, _EDGES_AT, to_entities, end="target", relations=relations)))
    unknown = {end for e in raw for end in (e.source, e.target)} - nodes.keys()
    for iri in unknown & index.entities.keys():
        nodes[iri] = _entity(index, iri)
    for node, title, date in _chunked(store, _PAPERS_OF, sorted(unknown - index.entities.keys())):
        nodes[node.value] = _paper(node, title, date)
    return {e for e in raw if e.source in nodes and e.target in nodes}


def _chunked(store: KgStore, template: str, iris: list[str], **fields: str) -> Iterator[tuple]:
    """The rows of ``template`` with ``{nodes}`` filled by ``iris``, a VALUES block of at most _CHUNK."""
    for chunk in chunks(iris, _CHUNK):
        yield from select(store, template.format(nodes=sparql_terms(chunk), **fields)).rows


def _degrees(edges: set[Edge], only: list[str] | None = None) -> dict[str, int]:
    """Each node's degree in the undirected graph of ``edges`` (a self-loop counts twice, as in networkx),
    for the nodes ``only`` when given."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        adjacent[e.source].add(e.target)
        adjacent[e.target].add(e.source)
    wanted = adjacent if only is None else only
    return {n: len(adjacent[n]) + (n in adjacent[n]) for n in wanted}
