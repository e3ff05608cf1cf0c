"""Build the vis-network page with pyvis and write it as one self-contained, offline, injection-safe file.

pyvis assembles the nodes, edges and options; the page itself comes from our own template
(kg/viz/assets/page.html.j2) instead of pyvis's, because pyvis's template always links Bootstrap from a CDN,
its "local" mode loads vis-network from a CDN too, and its select and filter menus need tom-select. Here the
vis-network script and stylesheet that ship inside the pyvis package are inlined, the search box and type
filter are our own few lines (kg/viz/assets/page.js), and a Content-Security-Policy forbids every fetch.

Safety: titles, labels and claims come from untrusted abstracts. They reach the page only as JSON inside a
``<script type="application/json">`` block (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``, so no
``</script>`` can close it) and the page script puts them into the DOM with ``textContent`` only; tooltips
are DOM elements built that way (vis-network shows a string title as text, an element as is).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from kg.viz.details import NodeDetails
from kg.viz.graph import PAPER, VizEdge, VizGraph, VizNode

if TYPE_CHECKING:
    from pyvis.network import Network

LABEL_WIDTH = 28  # characters of a node label drawn on the canvas (the tooltip has the full name)
# From this many nodes: edges drawn straight and hidden while dragging or zooming, and 300 layout
# iterations instead of 1000 (each costs ~25 ms at 1,000 nodes in headless Chromium; the layout barely
# changes after 300).
BIG = 400


@dataclass(frozen=True)
class NodeStyle:
    """How one node type looks: fill colour, vis-network shape, and the legend glyph of that shape."""

    color: str
    shape: str
    glyph: str


# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one shape per type too.
NODE_STYLES: dict[str, NodeStyle] = {
    "Method": NodeStyle("#0072B2", "dot", "●"),
    "Dataset": NodeStyle("#E69F00", "diamond", "◆"),
    "Benchmark": NodeStyle("#D55E00", "star", "★"),
    "Task": NodeStyle("#009E73", "triangle", "▲"),
    "Metric": NodeStyle("#CC79A7", "triangleDown", "▼"),
    PAPER: NodeStyle("#8C8C8C", "square", "■"),
}
EDGE_COLORS = {"proposes": "#0072B2", "outperforms": "#D55E00"}
EDGE_COLOR = "#A0A0A0"


@dataclass(frozen=True)
class Page:
    """What the page header says: a title and a line about the selection."""

    title: str
    subtitle: str


def node_size(node: VizNode) -> float:
    """Marker size: papers small and equal; an entity's area grows with its number of papers."""
    if node.kind == PAPER:
        return 7.0
    return round(min(48.0, 10.0 + 5.0 * math.sqrt(max(node.papers, 1) - 1)), 1)


def short_label(text: str, width: int = LABEL_WIDTH) -> str:
    """One line of at most ``width`` characters for the canvas, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def build_network(view: VizGraph, details: dict[str, NodeDetails], roots: frozenset[str]) -> Network:
    """The pyvis Network of a view: styled nodes carrying their tooltip data, labelled directed edges.

    pyvis is imported here, not at module level, so other commands start without it.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node in view.nodes.values():
        net.add_node(node.iri, **_node_options(node, details[node.iri], node.iri in roots))
    for edge in view.edges:
        net.add_edge(edge.source, edge.target, **_edge_options(edge))
    net.options = vis_options(len(view.nodes))
    return net


def _node_options(node: VizNode, details: NodeDetails, is_root: bool) -> dict:
    """vis-network options of one node, plus ``kg``: the data its tooltip and the search box use."""
    style = NODE_STYLES[node.kind]
    border = "#111111" if is_root else style.color
    paper = node.kind == PAPER
    return {
        "label": short_label(node.label, 22 if paper else LABEL_WIDTH),
        "shape": style.shape,
        "size": node_size(node),
        "borderWidth": 4 if is_root else 1,
        "color": {
            "background": style.color,
            "border": border,
            "highlight": {"background": style.color, "border": "#111111"},
            "hover": {"background": style.color, "border": "#111111"},
        },
        "font": {"size": 10 if paper else 14, "color": "#666666" if paper else "#1a1a1a"},
        "kg": {
            "name": node.label,
            "kind": node.kind,
            "types": list(node.types),
            "acronyms": list(node.acronyms),
            "papers": node.papers,
            "identifier": node.identifier,
            "date": node.date,
            "focus": is_root,
            "top": list(details.papers),
            "claims": list(details.claims),
        },
    }


def _edge_options(edge: VizEdge) -> dict:
    """vis-network options of one edge: the relation names as its label, bare mentions dashed."""
    color = next((EDGE_COLORS[r] for r in edge.relations if r in EDGE_COLORS), EDGE_COLOR)
    return {
        "label": ", ".join(edge.relations),
        "color": {"color": color, "highlight": "#111111", "hover": "#111111"},
        "dashes": edge.relations == ("mentions",),
        "width": 2 if color != EDGE_COLOR else 1,
    }


def vis_options(nodes: int) -> dict:
    """Layout and interaction options: forceAtlas2 physics that stabilises before the first draw (the page
    then turns physics off, freezing positions), fixed seed so the same graph lays out the same way."""
    big = nodes >= BIG
    return {
        "layout": {"randomSeed": 7, "improvedLayout": not big},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60 if big else -90,
                "centralGravity": 0.012,
                "springLength": 80 if big else 110,
                "springConstant": 0.06,
                "damping": 0.6,
                "avoidOverlap": 0.4,
            },
            "minVelocity": 1.5,
            "stabilization": {
                "enabled": True,
                "iterations": 300 if big else 1000,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "nodes": {"font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {
                "size": 9,
                "color": "#555555",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            "smooth": False if big else {"type": "continuous", "roundness": 0.3},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
    }


def render_html(net: Network, page: Page) -> str:
    """The complete page for a pyvis Network: our template, vis-network inlined, the graph as inert JSON.

    Raises:
        TemplateError (jinja2): only when the packaged template is broken.
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    nodes, edges, _, _, _, options = net.get_network_data()
    assets = resources.files("kg.viz") / "assets"
    env = Environment(loader=FileSystemLoader(str(assets)), autoescape=select_autoescape(default=True))
    kinds = [n["kg"]["kind"] for n in nodes]
    legend = [
        {"kind": kind, **asdict(style), "count": kinds.count(kind)} for kind, style in NODE_STYLES.items()
    ]
    vis_dir = _vis_dir()
    return env.get_template("page.html.j2").render(
        page=page,
        legend=[item for item in legend if item["count"]],
        counts={"nodes": len(nodes), "edges": len(edges)},
        data={"nodes": nodes, "edges": edges, "options": json.loads(options)},
        vis_css=_inline((vis_dir / "vis-network.css").read_text(encoding="utf-8"), "style"),
        vis_js=_inline((vis_dir / "vis-network.min.js").read_text(encoding="utf-8"), "script"),
        page_css=_inline((assets / "page.css").read_text(encoding="utf-8"), "style"),
        page_js=_inline((assets / "page.js").read_text(encoding="utf-8"), "script"),
    )


def _vis_dir() -> Path:
    """The vis-network build that ships inside the pyvis package (the one pyvis's own pages use)."""
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


def _inline(text: str, tag: str) -> Markup:
    """Trusted asset text, made safe to inline: an end tag inside it could not close its element early
    (``</script`` -> ``<\\/script``, which means the same inside JavaScript strings and CSS)."""
    return Markup(re.sub(rf"</(?={tag})", r"<\\/", text, flags=re.IGNORECASE))
