"""Run one SPARQL query on a KgStore and hold its answer as plain, typed values.

Results are collected into small dataclasses rather than handed around as pyoxigraph iterators, because the
three callers (the CLI, the HTTP endpoint and the named-query tests) all need the same two guards that an
iterator cannot give: a row cap (``max_rows``) and a way to stop a query that ran out of time (``cancel``,
checked between rows, so a streaming query stops as soon as its time limit has passed).

Bound values go to Oxigraph as substitutions (pre-bound terms, never pasted into the text), and are also
stated as a ``VALUES`` block at the head of the query's outermost group, written by pyoxigraph's own term
serialisation (IRIs validated, literals escaped). Why both: Oxigraph plans a query before it sees the
substitutions, so a pattern on a bound entity could be evaluated last (results-for-benchmark read every
result of the corpus, 60 ms on 10k papers); the VALUES block makes it start there (0.2 ms), while the
substitutions keep the binding visible inside FILTER EXISTS. Neither reaches into a subquery (it is
evaluated on its own and joined after), so a query uses its parameters in its outermost group.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import Bindings, KgStore

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]
T = TypeVar("T")


class QueryTimeout(QueryError):
    """A query was stopped because it ran past its time limit."""


@dataclass(frozen=True)
class SelectResult:
    """The answer to a SELECT query: variable names and rows (``None`` where a variable is unbound)."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...]
    truncated: bool = False

    def column(self, name: str) -> list[Term | None]:
        """All values of one variable, in row order (handy for callers that want one column)."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Term | None]]:
        """The rows as ``{variable: term}`` dicts, for callers that read columns by name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class AskResult:
    """The answer to an ASK query."""

    value: bool


@dataclass(frozen=True)
class GraphResult:
    """The answer to a CONSTRUCT or DESCRIBE query."""

    triples: tuple[ox.Triple, ...]
    truncated: bool = False


QueryResult = SelectResult | AskResult | GraphResult


def run_query(
    store: KgStore,
    sparql: str,
    bindings: Bindings | None = None,
    *,
    max_rows: int | None = None,
    cancel: threading.Event | None = None,
) -> QueryResult:
    """Run ``sparql`` (project prefixes predefined) and collect its answer.

    Args:
        store: the graph to query.
        sparql: the query text; user values never go in here, they go in ``bindings``.
        bindings: variable name -> RDF term, pre-bound by Oxigraph (each must be projected by a SELECT).
        max_rows: keep at most this many rows or triples; ``truncated`` says whether more existed.
        cancel: when set by another thread, collection stops with QueryTimeout.

    Returns:
        SelectResult, AskResult or GraphResult depending on the query form.

    Raises:
        QueryError: the query does not parse, binds a variable it does not project, or fails.
        QueryTimeout: ``cancel`` was set before the answer was complete.
    """
    raw = _query(store, sparql, bindings)
    if isinstance(raw, ox.QueryBoolean):
        return AskResult(bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = tuple(v.value for v in raw.variables)
        rows, truncated = _collect(raw, tuple, max_rows, cancel)
        return SelectResult(variables, tuple(rows), truncated)
    triples, truncated = _collect(raw, _same_triple, max_rows, cancel)
    return GraphResult(tuple(triples), truncated)


def select(
    store: KgStore, sparql: str, bindings: Bindings | None = None, *, max_rows: int | None = None
) -> SelectResult:
    """Run one of kg's own SELECT queries (the library's internal queries go through here).

    Raises:
        QueryError: the query fails, or is not a SELECT.
    """
    result = run_query(store, sparql, bindings, max_rows=max_rows)
    if not isinstance(result, SelectResult):
        raise QueryError("expected a SELECT query")
    return result


def _query(store: KgStore, sparql: str, bindings: Bindings | None):
    """``store.query`` with the VALUES hint; a text the hint cannot be placed in runs as given."""
    hinted = with_values(sparql, bindings) if bindings else None
    if hinted is not None:
        try:
            return store.query(hinted, bindings)
        except QueryError:
            pass  # e.g. a CONSTRUCT, whose first group is its template: run the text as written
    return store.query(sparql, bindings)


def with_values(sparql: str, bindings: Bindings) -> str | None:
    """The query with ``VALUES (?a ?b) { (<term> <term>) }`` first in its first top-level ``{``; None if the
    text has no such brace outside comments, strings and IRIs."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    brace = _first_group(sparql)
    if brace is None:
        return None
    return f"{sparql[: brace + 1]} VALUES ({names}) {{ ({terms}) }} {sparql[brace + 1 :]}"


def _first_group(sparql: str) -> int | None:
    """Position of the first ``{`` that is code: not in a ``#`` comment, a quoted string or an ``<IRI>``."""
    i, quote = 0, ""
    while i < len(sparql):
        c = sparql[i]
        if quote:
            if c == "\\":
                i += 1
            elif sparql.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif c == "#":
            i = sparql.find("\n", i)
            if i < 0:
                return None
        elif c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            i += len(quote) - 1
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i)
        elif c == "{":
            return i
        i += 1
    return None


def _same_triple(triple: ox.Triple) -> ox.Triple:
    return triple


def _collect(
    items: Iterable,
    convert: Callable[..., T],
    max_rows: int | None,
    cancel: threading.Event | None,
) -> tuple[list[T], bool]:
    """Drain a lazy pyoxigraph iterator under the row cap and the cancel flag.

    Returns:
        The converted items and whether the cap cut the answer short.

    Raises:
        QueryTimeout: ``cancel`` was set while draining.
        QueryError: evaluation failed part-way (Oxigraph evaluates lazily, so errors can surface here).
    """
    out: list[T] = []
    try:
        for item in items:
            if cancel is not None and cancel.is_set():
                raise QueryTimeout("query stopped: it ran past its time limit")
            if max_rows is not None and len(out) >= max_rows:
                return out, True
            out.append(convert(item))
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    return out, False
