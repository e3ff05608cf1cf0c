"""The embedded, persistent graph store: Oxigraph (RocksDB) in a directory.

Why named graphs: every paper's triples (paper node, mentions, claims, its edges, the labels its surface
forms contribute) live in one named graph ``{base}graph/paper/{content hash}``. Writing a paper is then a
single atomic ``extend`` of a graph whose name already says what it holds, so

- a rebuild over the same input finds the graph present and adds nothing (idempotent, incremental);
- a changed paper gets a new graph first and its old one dropped after, so an interrupted build never
  leaves a paper half-written: at worst an old and a new version side by side, which the next write of that
  paper (changed or not) cleans up, and which the derived counts do not double-count (they count papers,
  not graphs);
- facts that depend on many papers (preferred labels, paper and support counts) are recomputed into one
  derived graph by a single SPARQL update, also atomic.

Queries see the union of all graphs (``use_default_graph_as_union``).
"""

from kg.store.core import Bindings, KgStore, open_store
from kg.store.derived import refresh_derived
from kg.store.export import FORMATS, export
from kg.store.stats import graph_stats
from kg.store.validate import validate
from kg.store.write import WriteStats, paper_graphs, write_extractions

__all__ = [
    "FORMATS",
    "Bindings",
    "KgStore",
    "WriteStats",
    "export",
    "graph_stats",
    "open_store",
    "paper_graphs",
    "refresh_derived",
    "validate",
    "write_extractions",
]
