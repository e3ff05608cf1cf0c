"""The library of named SPARQL queries shipped in kg/query/queries/*.rq, and safe binding of their parameters.

Each .rq file starts with a comment header that documents it::

    # Benchmarks the most papers evaluate on.            <- first line: the summary `--list` shows
    #
    # Counts distinct papers with kg:evaluatesOn ...     <- more description (optional)
    #
    # @param benchmark entity:Benchmark  The benchmark, by name, acronym or IRI.

A parameter is ``@param NAME KIND[:TYPE] HELP`` with KIND one of ``entity`` (a name resolved to the entity
node through kg.query.lookup, optionally of TYPE), ``type`` (an entity type name, bound to its class),
``string``, ``integer`` or ``iri``. Values are always bound as RDF terms through Oxigraph's pre-binding,
never pasted into the query text, so input like ``"} UNION { ?s ?p ?o }`` is just a string that matches
nothing. A parameter bound this way must be projected by the SELECT (see KgStore.query); the tests check
every shipped query.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources

import pyoxigraph as ox

from kg.errors import NotFoundError, QueryError
from kg.query.lookup import LabelIndex, resolve_one, type_class
from kg.store import Bindings, KgStore

PARAM_KINDS = ("entity", "type", "string", "integer", "iri")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    kind: str
    entity_type: str | None
    help: str

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "entity_type": self.entity_type, "help": self.help}


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query: its name (the file stem), documentation, parameters and text."""

    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    text: str

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "params": [p.to_json() for p in self.params],
        }


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the documentation header of one .rq file.

    Raises:
        QueryError: the header has no summary line or declares a parameter badly.
    """
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line[1:].strip())
    params = tuple(_param(name, line) for line in comments if line.startswith("@param"))
    prose = [line for line in comments if not line.startswith("@param")]
    if not prose or not prose[0]:
        raise QueryError(f"named query {name} has no summary line in its header")
    description = " ".join(" ".join(prose[1:]).split())
    return NamedQuery(name, prose[0], description, params, text)


def _param(query: str, line: str) -> Param:
    parts = line.split(maxsplit=3)
    if len(parts) < 3:
        raise QueryError(f"named query {query}: bad parameter line {line!r}")
    kind, _, entity_type = parts[2].partition(":")
    if kind not in PARAM_KINDS:
        raise QueryError(
            f"named query {query}: parameter kind {kind!r} is not one of {', '.join(PARAM_KINDS)}"
        )
    return Param(parts[1], kind, entity_type or None, parts[3] if len(parts) > 3 else "")


def load_queries() -> dict[str, NamedQuery]:
    """All shipped named queries by name, in name order."""
    folder = resources.files("kg.query") / "queries"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return {f.name[:-3]: parse_header(f.name[:-3], f.read_text(encoding="utf-8")) for f in files}


def get_query(name: str) -> NamedQuery:
    """One named query.

    Raises:
        NotFoundError: no query has that name (the closest names are suggested).
    """
    queries = load_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg sparql --list` shows them"
    raise NotFoundError(f"no named query {name!r}{hint}")


def bind_params(query: NamedQuery, values: dict[str, str], store: KgStore) -> Bindings:
    """Turn ``--param key=value`` strings into RDF terms for a named query.

    Args:
        query: the named query whose declared parameters give each value its kind.
        values: parameter name -> the user's text.
        store: where entity names are resolved.

    Returns:
        Variable name -> term, ready for KgStore.query.

    Raises:
        QueryError: a parameter is unknown, missing or not of its kind (say, "ten" for an integer).
        NotFoundError: an entity name matches nothing or is ambiguous.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise QueryError(f"{query.name} has no parameter {', '.join(unknown)} (it takes: {_names(query)})")
    missing = sorted(set(declared) - set(values))
    if missing:
        raise QueryError(f"{query.name} needs --param {missing[0]}=... (it takes: {_names(query)})")
    index = LabelIndex.from_store(store) if any(p.kind == "entity" for p in query.params) else None
    return {name: _term(declared[name], value, index) for name, value in values.items()}


def _names(query: NamedQuery) -> str:
    return ", ".join(p.name for p in query.params) or "no parameters"


def _term(param: Param, value: str, index: LabelIndex | None) -> ox.NamedNode | ox.Literal:
    """The RDF term for one value of a declared parameter."""
    if param.kind == "entity" and index is not None:
        return ox.NamedNode(resolve_one(index, value, param.entity_type).iri)
    if param.kind == "type":
        return ox.NamedNode(type_class(value))
    if param.kind == "integer":
        try:
            return ox.Literal(
                str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        except ValueError:
            raise QueryError(f"--param {param.name} takes an integer, not {value!r}") from None
    if param.kind == "iri":
        return parse_iri(param.name, value)
    return ox.Literal(value)


def parse_iri(name: str, value: str) -> ox.NamedNode:
    """An IRI given on the command line, with or without angle brackets.

    Raises:
        QueryError: not a valid absolute IRI.
    """
    try:
        return ox.NamedNode(value.removeprefix("<").removesuffix(">"))
    except ValueError:
        raise QueryError(f"--param {name} takes an IRI, not {value!r}") from None


def adhoc_bindings(values: dict[str, str]) -> Bindings:
    """Bindings for a query typed by the user: ``<...>`` binds an IRI, anything else a plain string."""
    return {
        name: parse_iri(name, value) if value.startswith("<") and value.endswith(">") else ox.Literal(value)
        for name, value in values.items()
    }
