"""Which part of the graph a page shows, and whether a browser can still lay it out.

Size limit, and why these numbers: vis-network lays the graph out in the browser (forceAtlas2 over a
Barnes-Hut tree, O(n log n) per iteration) and then redraws every node, edge and label on each frame of a
pan or zoom. Measured in headless Chromium (software rendering) on two shared cores: the whole seed corpus
(233 papers: 2,612 nodes, 3,062 edges) settles in 13 s and redraws in about 40 ms (25 frames a second);
3,451 nodes and 6,601 edges settle in 18 s and redraw in 70 ms (about 14 frames a second, the least that
still feels like dragging); 4,017 nodes and 7,606 edges need 80-110 ms a frame and stutter. MAX_NODES and
MAX_EDGES sit at that edge. Past them the export refuses and names the smallest ``--min-papers`` that would
fit, rather than writing a page nobody can use (a desktop GPU does better; the limit is for the worst case).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.errors import GraphTooLargeError, KgError
from kg.types import ENTITY_TYPES
from kg.viz.graph import PAPER, VizGraph, VizNode

MAX_NODES = 3500
MAX_EDGES = 7000


@dataclass(frozen=True)
class Selection:
    """What to draw.

    ``focus`` is a name as the user typed it (None: the whole graph) and ``hops`` how far to walk from it,
    ignoring edge direction; papers sit between entities, so 2 hops reach the entities that share a paper
    with the focus. ``types`` and ``min_papers`` filter entities (papers are always drawn while they link to
    a drawn entity); a focus node is drawn even when a filter would drop it.
    """

    focus: str | None = None
    hops: int = 2
    types: tuple[str, ...] = ENTITY_TYPES
    min_papers: int = 1

    def describe(self) -> str:
        """One line for the page header: what was selected."""
        parts = [f"focus {self.focus!r}, {self.hops} hop{'s' * (self.hops != 1)}" if self.focus else "all"]
        if set(self.types) != set(ENTITY_TYPES):
            parts.append("types " + ", ".join(self.types))
        if self.min_papers > 1:
            parts.append(f"entities in at least {self.min_papers} papers")
        return "; ".join(parts)


def select_view(graph: VizGraph, selection: Selection, roots: Iterable[str] = ()) -> VizGraph:
    """The subgraph a page draws.

    Args:
        graph: the whole graph (kg.viz.graph.load_graph).
        selection: filters, hops.
        roots: IRIs of the focus nodes (the resolved ``selection.focus``); empty for the whole graph.

    Returns:
        The filtered graph, cut to ``selection.hops`` around the roots when there are any; papers left
        without any drawn edge are dropped.
    """
    roots = frozenset(roots) & graph.nodes.keys()
    view = graph.subgraph(
        {iri for iri, node in graph.nodes.items() if iri in roots or _wanted(node, selection)}
    )
    if roots:
        view = view.subgraph(_within(view, roots, selection.hops))
    linked = {e.source for e in view.edges} | {e.target for e in view.edges} | roots
    return view.subgraph({iri for iri, node in view.nodes.items() if node.kind != PAPER or iri in linked})


def _wanted(node: VizNode, selection: Selection) -> bool:
    """Whether the type and paper-count filters keep a node."""
    if node.kind == PAPER:
        return True
    return bool(set(node.types) & set(selection.types)) and node.papers >= selection.min_papers


def _within(graph: VizGraph, roots: frozenset[str], hops: int) -> set[str]:
    """Nodes at most ``hops`` edges from any root, walking edges both ways (breadth-first)."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    seen, frontier = set(roots), set(roots)
    for _ in range(hops):
        frontier = {n for iri in frontier for n in neighbours[iri]} - seen
        seen |= frontier
    return seen


def fits(view: VizGraph) -> bool:
    """Whether a browser can lay the view out and stay responsive (see the module docstring)."""
    return len(view.nodes) <= MAX_NODES and len(view.edges) <= MAX_EDGES


def check_size(graph: VizGraph, view: VizGraph, selection: Selection, roots: Iterable[str] = ()) -> None:
    """Refuse an empty view or one too large to be usable, saying how to draw less.

    Raises:
        GraphTooLargeError: more than MAX_NODES nodes or MAX_EDGES edges.
        KgError: nothing to draw.
    """
    if not view.nodes:
        raise KgError(
            f"nothing to draw ({selection.describe()}): the graph is empty or the filters drop everything"
        )
    if fits(view):
        return
    hint = _smaller_min_papers(graph, selection, frozenset(roots))
    raise GraphTooLargeError(
        f"the selection ({selection.describe()}) has {len(view.nodes)} nodes and {len(view.edges)} edges; "
        f"a page stays usable up to {MAX_NODES} nodes and {MAX_EDGES} edges. Draw less: {hint}"
        "--focus NAME --hops 1, or --types (e.g. --types Method,Benchmark)"
    )


def _smaller_min_papers(graph: VizGraph, selection: Selection, roots: frozenset[str]) -> str:
    """The smallest ``--min-papers`` that makes the view fit, as a hint ("" when none does)."""
    counts = sorted(
        {n.papers for n in graph.nodes.values() if n.kind != PAPER and n.papers > selection.min_papers}
    )
    for count in counts:
        view = select_view(graph, replace(selection, min_papers=count), roots)
        if view.nodes and fits(view):
            return f"--min-papers {count} ({len(view.nodes)} nodes, {len(view.edges)} edges), "
    return ""
