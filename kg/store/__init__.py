"""The embedded, persistent graph store: Oxigraph (RocksDB) in a directory.

Why named graphs: every paper's triples (paper node, mentions, claims, its edges, the labels its surface
forms contribute) live in one named graph ``{base}graph/paper/{content hash}``. Writing a paper is then a single
atomic ``extend`` of a graph whose name already says what it holds, so

- a rebuild over the same input finds the graph present and adds nothing (idempotent, incremental);
- a changed paper gets a new graph first and its old one dropped after, so an interrupted build never
  leaves a paper half-written: at worst an old and a new version side by side until the next build;
- facts that depend on many papers (preferred labels, support counts) are recomputed into one derived
  graph by a single SPARQL update, also atomic.

Queries see the union of all graphs (``use_default_graph_as_union``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.rdf.vocab import PREFIXES

Bindings = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]


class KgStore:
    """A kg graph in an Oxigraph directory (or in memory when ``path`` is None, for tests)."""

    def __init__(self, path: str | os.PathLike | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"no graph store at {self.path} (run `kg build` first or pass --store)")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the graph store at {path}: {exc}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk operations the wrapper does not cover."""
        return self._store

    def query(self, sparql: str, bindings: Bindings | None = None):
        """Run a SPARQL query over the union of all graphs with the project prefixes predefined.

        User values must come in ``bindings`` (variable name -> RDF term), never pasted into ``sparql``.
        Oxigraph pre-binds them (SPARQL-dev SEP-0007) and requires each bound variable to be projected,
        so a SELECT that takes ``?name`` as input also lists ``?name`` in its SELECT clause.

        Returns:
            bool for ASK, an iterator of pyoxigraph Triples for CONSTRUCT/DESCRIBE, else QuerySolutions.

        Raises:
            QueryError: the query does not parse or fails.
        """
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs or None
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Run one SPARQL update atomically (Oxigraph runs a whole update request in one transaction)."""
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return self._store.contains_named_graph(graph)

    def graphs(self) -> Iterator[ox.NamedNode]:
        return self._store.named_graphs()

    def add_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        """Write ``triples`` into ``graph`` in one transaction: all of them or none."""
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        try:
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"writing {graph.value} failed: {exc}") from exc

    def drop_graph(self, graph: ox.NamedNode) -> None:
        try:
            self._store.remove_graph(graph)
        except OSError as exc:
            raise StoreError(f"dropping {graph.value} failed: {exc}") from exc

    def dump(self, output, fmt: ox.RdfFormat) -> None:
        """Serialise the union of all graphs (as triples) to a binary file object."""
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self._store.quads_for_pattern(None, None, None))
        ox.serialize(triples, output, fmt, prefixes=PREFIXES)

    def flush(self) -> None:
        self._store.flush()


@contextmanager
def open_store(path: str | os.PathLike | None, *, read_only: bool = False) -> Iterator[KgStore]:
    """Open a store for the duration of a ``with`` block and flush it on the way out."""
    store = KgStore(path, read_only=read_only)
    try:
        yield store
    finally:
        if not read_only:
            store.flush()
