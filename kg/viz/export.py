"""`kg export html`: select part of the graph, describe its nodes, and write the interactive page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.config import DEFAULT_HTML
from kg.errors import KgError
from kg.store import KgStore
from kg.viz.details import node_details
from kg.viz.graph import PAPER, VizGraph, load_graph
from kg.viz.render import Page, build_network, render_html
from kg.viz.select import Selection, check_size, select_view

DEFAULT_OUTPUT = DEFAULT_HTML


@dataclass(frozen=True)
class HtmlExport:
    """What was written: the file, how many nodes and edges it draws, and the focus node labels."""

    path: Path
    nodes: int
    edges: int
    focus: tuple[str, ...]


def export_html(store: KgStore, selection: Selection, output: Path = DEFAULT_OUTPUT) -> HtmlExport:
    """Write a self-contained interactive page of (part of) the graph.

    Args:
        store: the graph store.
        selection: the whole graph or a focus with hops, and the type and paper-count filters.
        output: the HTML file to write; its directory is created when missing.

    Returns:
        A summary of the page.

    Raises:
        NotFoundError: the focus name matches no entity (or is ambiguous) and no paper identifier.
        GraphTooLargeError: the selection is too large for a browser; the message says how to draw less.
        KgError: nothing to draw, or the file cannot be written.
        QueryError: the store could not be queried.
    """
    graph = load_graph(store)
    roots = resolve_focus(store, graph, selection.focus)
    view = select_view(graph, selection, roots)
    check_size(graph, view, selection, roots)
    focus = tuple(sorted(graph.nodes[iri].label for iri in roots))
    title = f"kg graph: around {', '.join(focus)}" if focus else "kg graph"
    net = build_network(view, node_details(store, graph, view), roots)
    html = render_html(net, Page(title=title, subtitle=selection.describe()))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise KgError(f"cannot write {output}: {exc.strerror or exc}") from exc
    return HtmlExport(output, len(view.nodes), len(view.edges), focus)


def resolve_focus(store: KgStore, graph: VizGraph, name: str | None) -> frozenset[str]:
    """The IRIs a focus name means: a paper by its identifier (``arxiv:…``), else one entity by name.

    Entities are matched like every other command that takes a NAME (kg.query.lookup: exact after
    dropping case and punctuation, else a clear fuzzy winner).

    Raises:
        NotFoundError: no entity matches, or several match equally well.
    """
    if name is None:
        return frozenset()
    papers = {
        iri for iri, node in graph.nodes.items() if node.kind == PAPER and name in (node.identifier, iri)
    }
    if papers:
        return frozenset(papers)
    from kg.query.lookup import LabelIndex, resolve_one

    return frozenset({resolve_one(LabelIndex.from_store(store), name).iri})
