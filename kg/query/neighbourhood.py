"""Exploring around entities: neighbours within K hops, shortest connections, and related entities.

All three work on the undirected networkx form of kg.query.view (papers are nodes too, so two methods
evaluated on the same benchmark are 4 hops apart: method - paper - benchmark - paper - method); neighbours
also on the part of it within K hops read straight from the store (``neighbours_around``), which gives the
same answer without loading the whole view. Every
answer carries a readable chain such as ``ReFT ←proposes— 'ReFT: Reasoning…' —evaluatesOn→ GSM8K``, built
from the direction each edge really has in the graph. networkx is imported only by the callers of
``GraphView.to_networkx`` and here, inside the functions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.errors import NotFoundError
from kg.query.lookup import allowed_types
from kg.query.render import truncate
from kg.query.view import GraphView, Node, read_neighbourhood

if TYPE_CHECKING:
    import networkx as nx

    from kg.query.lookup import LabelIndex
    from kg.store import KgStore

RELATED_RADIUS = 4  # entity - paper - entity - paper - entity: far enough for "used where X was used"
PAGERANK_ALPHA = 0.85


@dataclass(frozen=True)
class Step:
    """One edge of a chain: the relation names, whether the edge points forward along the chain, the node."""

    relations: tuple[str, ...]
    forward: bool
    node: Node


@dataclass(frozen=True)
class Chain:
    """A walk from ``start`` through ``steps``, printable as one line."""

    start: Node
    steps: tuple[Step, ...]

    def text(self) -> str:
        """The chain on one line, each edge drawn in the direction it has in the graph."""
        parts = [node_text(self.start)]
        for step in self.steps:
            relation = "/".join(step.relations)
            parts.append(f" —{relation}→ " if step.forward else f" ←{relation}— ")
            parts.append(node_text(step.node))
        return "".join(parts)

    def to_json(self) -> dict:
        return {
            "text": self.text(),
            "nodes": [self.start.to_json(), *(s.node.to_json() for s in self.steps)],
            "edges": [{"relations": list(s.relations), "forward": s.forward} for s in self.steps],
        }


@dataclass(frozen=True)
class Neighbour:
    """A node within reach, its distance in hops, its degree and one shortest chain to it."""

    node: Node
    distance: int
    degree: int
    chain: Chain

    def to_json(self) -> dict:
        return {
            **self.node.to_json(),
            "distance": self.distance,
            "degree": self.degree,
            "via": self.chain.to_json(),
        }


@dataclass(frozen=True)
class RelatedEntity:
    """An entity ranked for its relatedness to the source, with the evidence for it."""

    node: Node
    score: float
    shared_papers: int
    reason: str

    def to_json(self) -> dict:
        extra = {"score": round(self.score, 6), "shared_papers": self.shared_papers, "reason": self.reason}
        return {**self.node.to_json(), **extra}


def node_text(node: Node) -> str:
    """An entity by its label, a paper by its (shortened) title in quotes."""
    return node.label if node.kind == "entity" else f"'{truncate(node.label, 50)}'"


def chain(view: GraphView, graph: nx.Graph, path: list[str]) -> Chain:
    """The chain for a node path, with each edge's relations in the direction they point."""
    steps = []
    for u, v in itertools.pairwise(path):
        links = graph.edges[u, v]["links"]
        forward = tuple(sorted(r for r, source in links if source == u))
        backward = tuple(sorted(r for r, source in links if source != u))
        steps.append(Step(forward or backward, bool(forward), view.nodes[v]))
    return Chain(view.nodes[path[0]], tuple(steps))


def neighbours(
    view: GraphView,
    graph: nx.Graph,
    source: str,
    *,
    hops: int,
    types: tuple[str, ...] = (),
    limit: int = 20,
    degree: dict[str, int] | None = None,
) -> list[Neighbour]:
    """Nodes within ``hops`` edges of ``source``, nearest and best-connected first.

    Args:
        view: the view the graph was made from.
        graph: ``view.to_networkx()``.
        source: the IRI of the entity to start from.
        hops: the largest distance, in edges (a paper counts as a hop).
        types: list only nodes of these types (entity types, subtypes included, or "Paper"); all when empty.
        limit: at most this many neighbours.
        degree: each node's degree in the whole view, when ``view`` is only the part within ``hops``.

    Returns:
        Neighbours sorted by distance, then degree (descending), then label.
    """
    import networkx as nx

    wanted = _type_filter(types)
    found = []
    for iri, path in nx.single_source_shortest_path(graph, source, cutoff=hops).items():
        node = view.nodes[iri]
        if iri != source and wanted(node):
            links = graph.degree(iri) if degree is None else degree[iri]
            found.append(Neighbour(node, len(path) - 1, links, chain(view, graph, path)))
    found.sort(key=lambda n: (n.distance, -n.degree, n.node.label))
    return found[:limit]


def neighbours_around(
    store: KgStore, index: LabelIndex, source: str, *, hops: int, types: tuple[str, ...] = (), limit: int = 20
) -> list[Neighbour]:
    """``neighbours`` of an entity, from only the part of the view within ``hops`` of it (read from the store
    by kg.query.view.read_neighbourhood): the same neighbours, degrees and chains as over the whole view.
    Neighbours are listed nearest first, so the reading stops at the distance where ``limit`` of them are
    found (two hops from an entity in thousands of papers: its papers, not everything they link to).

    Raises:
        QueryError: the store could not be queried.
    """
    wanted = _type_filter(types)
    near = read_neighbourhood(
        store, index, source, hops, enough=lambda found: sum(map(wanted, found)) >= limit
    )
    graph = near.view.to_networkx()
    return neighbours(near.view, graph, source, hops=hops, types=types, limit=limit, degree=near.degree)


def _type_filter(types: tuple[str, ...]):
    """A predicate for ``--types``: "Paper" (any case) selects papers, other names entity types."""
    if not types:
        return lambda node: True
    papers = any(t.casefold() == "paper" for t in types)
    entity_types = set().union(*(allowed_types(t) for t in types if t.casefold() != "paper"))
    return lambda node: (node.kind == "paper" and papers) or bool(entity_types & set(node.types))


def paths(view: GraphView, graph: nx.Graph, a: str, b: str, *, limit: int = 3) -> list[Chain]:
    """The shortest connections between two nodes (all of the shortest length, at most ``limit``).

    Raises:
        NotFoundError: the two are not connected at all.
    """
    import networkx as nx

    try:
        found = list(itertools.islice(nx.all_shortest_paths(graph, a, b), limit))
    except nx.NetworkXNoPath:
        found = []
    if not found:
        raise NotFoundError(f"{view.nodes[a].label} and {view.nodes[b].label} are not connected in the graph")
    return [chain(view, graph, path) for path in found]


def related(
    view: GraphView,
    graph: nx.Graph,
    source: str,
    *,
    method: Literal["pagerank", "cooccurrence"] = "pagerank",
    limit: int = 10,
) -> list[RelatedEntity]:
    """Entities ranked by how related they are to ``source``.

    ``pagerank`` ranks by personalised PageRank restarting at ``source`` over its neighbourhood (radius
    ``RELATED_RADIUS``), which rewards many short connections; ``cooccurrence`` ranks by the number of
    papers linked to both. Either way each entity comes with a reason: the shared papers or a direct edge,
    else the shortest chain that connects it.

    Returns:
        At most ``limit`` entities, best first; entities with no connection are left out.
    """
    import networkx as nx

    local = nx.ego_graph(graph, source, radius=RELATED_RADIUS)
    shared = {n: _shared_papers(view, graph, source, n) for n in local if view.nodes[n].kind == "entity"}
    shared.pop(source, None)
    if method == "pagerank":
        scores = personalised_pagerank(local, source)
    else:
        scores = {n: float(len(papers)) for n, papers in shared.items()}
    ranked = sorted(
        (n for n in shared if scores.get(n, 0.0) > 0), key=lambda n: (-scores[n], view.nodes[n].label)
    )
    return [
        RelatedEntity(view.nodes[n], scores[n], len(shared[n]), _reason(view, local, source, n, shared[n]))
        for n in ranked[:limit]
    ]


def personalised_pagerank(
    graph: nx.Graph, source: str, *, iterations: int = 100, tolerance: float = 1e-9
) -> dict[str, float]:
    """PageRank of every node for a walker that restarts at ``source`` with probability 1 - PAGERANK_ALPHA.

    Plain power iteration rather than ``networkx.pagerank``, which needs SciPy (not a kg dependency, and
    slow to import); neighbourhoods are small, so a few dozen sweeps over the edges are cheap.

    Returns:
        Node -> score; the scores sum to 1.
    """
    nodes = list(graph)
    position = {node: i for i, node in enumerate(nodes)}
    adjacency = [[position[n] for n in graph[node]] for node in nodes]
    start = position[source]
    rank = [0.0] * len(nodes)
    rank[start] = 1.0
    for _ in range(iterations):
        spread = [0.0] * len(nodes)
        for i, value in enumerate(rank):
            if value and adjacency[i]:
                share = PAGERANK_ALPHA * value / len(adjacency[i])
                for j in adjacency[i]:
                    spread[j] += share
        spread[start] += 1.0 - sum(spread)  # restarts, and walkers stuck on isolated nodes
        change = sum(abs(a - b) for a, b in zip(spread, rank, strict=True))
        rank = spread
        if change < tolerance:
            break
    return dict(zip(nodes, rank, strict=True))


def _shared_papers(view: GraphView, graph: nx.Graph, a: str, b: str) -> list[str]:
    """Papers adjacent to both ``a`` and ``b``, newest first."""
    both = [n for n in graph[a] if n in graph[b] and view.nodes[n].kind == "paper"]
    return sorted(both, key=lambda n: view.nodes[n].date or "", reverse=True)


def _reason(view: GraphView, graph: nx.Graph, source: str, other: str, papers: list[str]) -> str:
    """Why ``other`` is related: a direct edge, the papers it shares with ``source``, or the chain between."""
    import networkx as nx

    reasons = []
    if graph.has_edge(source, other):
        reasons.append(chain(view, graph, [source, other]).text())
    if papers:
        example = node_text(view.nodes[papers[0]])
        reasons.append(f"{len(papers)} shared paper{'s' if len(papers) != 1 else ''}, e.g. {example}")
    if not reasons:
        reasons.append("via " + chain(view, graph, nx.shortest_path(graph, source, other)).text())
    return "; ".join(reasons)
