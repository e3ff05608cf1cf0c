"""Interactive, offline HTML view of the graph (`kg export html`), drawn with pyvis / vis-network.

from kg.viz import Selection, export_html
export_html(store, Selection(focus="GSM8K", hops=2, min_papers=2), Path("outputs/gsm8k.html"))
"""

from kg.viz.export import DEFAULT_OUTPUT, HtmlExport, export_html, resolve_focus
from kg.viz.select import MAX_EDGES, MAX_NODES, GraphTooLargeError, Selection

__all__ = [
    "DEFAULT_OUTPUT",
    "MAX_EDGES",
    "MAX_NODES",
    "GraphTooLargeError",
    "HtmlExport",
    "Selection",
    "export_html",
    "resolve_focus",
]
