"""KgStore: the Oxigraph store behind every kg command (design rationale: kg/store/__init__.py)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
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
        The union repeats a triple once per named graph that holds it (entity types and labels sit in every
        paper graph that mentions the entity), so count with DISTINCT.
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
        except RuntimeError as exc:  # Oxigraph: a bound variable missing from the SELECT projection
            raise QueryError(f"cannot bind parameters: {exc}") from exc
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
        """Whether the named graph holds any triple (Oxigraph keeps no empty named graphs we create)."""
        return self._store.contains_named_graph(graph)

    def graphs(self) -> Iterator[ox.NamedNode]:
        """Every named graph in the store."""
        return (g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def add_graphs(self, graphs: Mapping[ox.NamedNode, Iterable[ox.Triple]]) -> None:
        """Write several named graphs at once: all of them or none (see :meth:`load_nquads`).

        Raises:
            StoreError: the write failed; nothing of it is in the store.
        """
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, g) for g, triples in graphs.items() for t in triples
        ]
        try:
            self._store.bulk_extend(quads)
        except OSError as exc:
            raise StoreError(f"writing {len(graphs)} graphs failed: {exc}") from exc

    def load_nquads(self, nquads: str) -> None:
        """Bulk-load N-Quads text (the build writes each batch of papers with one call).

        Oxigraph's bulk loader sorts the quads into RocksDB SST files and ingests them with one atomic
        ingestion per million quads, so a batch below that (a batch of papers is tens of thousands) is
        all or nothing, like a transaction. It is several times faster than a transactional ``extend``
        and writes no write-ahead log: ``extend`` left a WAL larger than the data itself on disk.

        Raises:
            StoreError: the text does not parse or the write failed; nothing of it is in the store.
        """
        try:
            self._store.bulk_load(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"bulk loading {nquads.count(chr(10))} quads failed: {exc}") from exc

    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and its triples in one transaction.

        Raises:
            StoreError: the removal failed.
        """
        try:
            self._store.remove_graph(graph)
        except OSError as exc:
            raise StoreError(f"dropping {graph.value} failed: {exc}") from exc

    def triples(self) -> set[ox.Triple]:
        """The union of all graphs as a set: a triple several papers state appears once."""
        return {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None)
        }

    def flush(self) -> None:
        """Write buffered data to disk (the directory store only)."""
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
