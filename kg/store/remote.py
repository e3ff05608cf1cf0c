"""A kg graph in an external SPARQL 1.1 store (Virtuoso, GraphDB, Fuseki, Neptune) reached over HTTP.

``RemoteStore`` offers the part of KgStore's interface that only needs the standard protocols: ``query`` and
``update`` through the SPARQL 1.1 Protocol, per-graph writes and drops through the Graph Store HTTP Protocol
(or, when no Graph Store endpoint is configured, through SPARQL Update). Answers are parsed with pyoxigraph,
so callers get the same QuerySolutions, QueryBoolean and Triples as from the embedded store.

A build does not talk to the remote store paper by paper: ``staged_build`` copies the remote papers' input
digests into a local staging store, runs the ordinary build against it (unchanged papers are skipped as
usual), pushes each new paper graph with one PUT, drops the versions they replace, and recomputes the derived
graph remotely (kg.store.derived: SPARQL reads per entity batch, the difference written in updates).

Endpoints, from the store URL and the environment:

- query endpoint: the URL itself (``--store URL``);
- update endpoint: ``KG_STORE_UPDATE``, default the URL;
- Graph Store endpoint: ``KG_STORE_GSP``, default none (graphs are then written by SPARQL Update);
- user and password: the URL's ``user:password@``, else ``KG_STORE_USER`` and ``KG_STORE_PASSWORD``.

Credentials are offered to Basic and Digest challenges (Virtuoso's ``/sparql-auth`` uses Digest).
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.batching import chunks
from kg.errors import QueryError, StoreError
from kg.rdf.vocab import sparql_prologue

Report = TypeVar("Report")
_URL = re.compile(r"^(https?):/+(.*)$", re.IGNORECASE)
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.5"
_TIMEOUT = 300.0
_PUSH_BATCH = 64


def is_url(location: str | os.PathLike) -> bool:
    """Whether a ``--store`` value names a SPARQL store (http or https) rather than a directory."""
    return _URL.match(str(location)) is not None


def store_url(location: str | os.PathLike) -> str:
    """The URL a ``--store`` value names, repairing ``http:/host`` (a URL that went through a Path)."""
    match = _URL.match(str(location))
    if match is None:
        raise StoreError(f"not an http(s) URL: {location}")
    return f"{match.group(1).lower()}://{match.group(2)}"


def redacted(location: str | os.PathLike) -> str:
    """A store location fit for messages: a URL's password replaced by ``***``."""
    if not is_url(location):
        return str(location)
    parts = urllib.parse.urlsplit(store_url(location))
    if parts.password is None:
        return urllib.parse.urlunsplit(parts)
    return urllib.parse.urlunsplit(
        parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    )


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers queries, updates and Graph Store requests, and with which credentials."""

    query: str
    update: str
    graph_store: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, location: str | os.PathLike, env: Mapping[str, str] | None = None) -> Endpoints:
        """Endpoints for a store URL, completed from ``KG_STORE_*`` variables (see the module docstring)."""
        env = os.environ if env is None else env
        parts = urllib.parse.urlsplit(store_url(location))
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        query = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        user = urllib.parse.unquote(parts.username) if parts.username else env.get("KG_STORE_USER")
        password = urllib.parse.unquote(parts.password) if parts.password else env.get("KG_STORE_PASSWORD")
        return cls(query, env.get("KG_STORE_UPDATE") or query, env.get("KG_STORE_GSP"), user, password)


class RemoteStore:
    """A kg graph in a SPARQL 1.1 store; the query side of KgStore plus per-graph writes."""

    path = None
    """No local directory: caches that live beside a store directory (kg.query.cache) are not kept."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints
        handlers: list[urllib.request.BaseHandler] = []
        if endpoints.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoints.query, endpoints.update, endpoints.graph_store} - {None}:
                passwords.add_password(None, url, endpoints.user, endpoints.password or "")
            handlers = [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query})"

    def _send(self, request: urllib.request.Request, error: type[Exception]) -> tuple[str, bytes]:
        """Send a request; answer (content type, body), or raise ``error`` with the server's message.

        An answer the server cut at its row limit (Virtuoso says so in ``X-SPARQL-MaxRows``) is an error:
        kg reads whole lists (papers, labels, counts), and a silently shortened one would give wrong counts.
        """
        try:
            with self._opener.open(request, timeout=_TIMEOUT) as response:
                if (limit := response.headers.get("X-SPARQL-MaxRows")) is not None:
                    raise error(
                        f"{request.full_url} cut the answer at its limit of {limit} rows; raise it "
                        "(Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
                    )
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            detail = next((line for line in body.splitlines() if line.strip()), exc.reason)
            raise error(f"{request.full_url.split('?')[0]} answered {exc.code}: {detail[:300]}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach the SPARQL store at {request.full_url}: {exc}") from exc

    def _post_form(self, url: str, field: str, text: str, error: type[Exception]) -> tuple[str, bytes]:
        data = urllib.parse.urlencode({field: text}).encode()
        request = urllib.request.Request(url, data=data, method="POST", headers={"Accept": _ACCEPT})
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._send(request, error)

    def query(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None):
        """Run a SPARQL query over the store's default graph (in Virtuoso and GraphDB: all its graphs).

        Bindings are sent as a VALUES block opening the WHERE group (:func:`with_values`).

        Returns:
            QueryBoolean for ASK, an iterator of Triples for CONSTRUCT/DESCRIBE, else QuerySolutions.

        Raises:
            QueryError: the store rejected the query. StoreError: it cannot be reached.
        """
        text = sparql_prologue() + with_values(sparql, bindings or {})
        content_type, body = self._post_form(self.endpoints.query, "query", text, QueryError)
        if "sparql-results+json" in content_type or "application/json" in content_type:
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if "sparql-results+xml" in content_type:
            return ox.parse_query_results(body, ox.QueryResultsFormat.XML)
        return (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, ox.RdfFormat.N_TRIPLES))

    def update(self, sparql: str) -> None:
        """Run one SPARQL update request (one transaction in the stores kg targets).

        An operation on its own lines that writes an empty graph block (``DELETE DATA { GRAPH <g> { } }``,
        valid SPARQL 1.1, a no-op) is left out: Virtuoso 7.2 rejects it as a syntax error.

        Raises:
            StoreError: the store rejected the update (e.g. no update permission) or cannot be reached.
        """
        sparql = _EMPTY_DATA.sub("", sparql).strip().rstrip(";")
        if sparql:
            self._post_form(self.endpoints.update, "update", sparql_prologue() + sparql, StoreError)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether the named graph holds any triple."""
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def graphs(self) -> Iterator[ox.NamedNode]:
        """Every named graph holding a triple (in Virtuoso also its system graphs)."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return (row["g"] for row in rows if isinstance(row["g"], ox.NamedNode))

    def add_graphs(self, graphs: Mapping[ox.NamedNode, Iterable[ox.Triple]]) -> None:
        """Write named graphs: one Graph Store PUT per graph (each replaces that graph whole), or, without a
        Graph Store endpoint, one INSERT DATA for all of them.

        Raises:
            StoreError: a write failed; graphs written before it stay (each paper graph is whole or absent).
        """
        if self.endpoints.graph_store is None:
            body = " ".join(f"GRAPH {g} {{ {_ntriples(t).decode()} }}" for g, t in graphs.items())
            if body:
                self.update(f"INSERT DATA {{ {body} }}")
            return
        for graph, triples in graphs.items():
            request = urllib.request.Request(
                _graph_url(self.endpoints.graph_store, graph),
                data=_ntriples(triples),
                method="PUT",
                headers={"Content-Type": "text/turtle; charset=utf-8"},  # N-Triples is Turtle
            )
            self._send(request, StoreError)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph (Graph Store DELETE, or DROP SILENT GRAPH)."""
        if self.endpoints.graph_store is None:
            self.update(f"DROP SILENT GRAPH {graph}")
            return
        request = urllib.request.Request(_graph_url(self.endpoints.graph_store, graph), method="DELETE")
        self._send(request, StoreError)

    def triples(self) -> set[ox.Triple]:
        """The union of all graphs as a set."""
        return set(self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))

    def flush(self) -> None:
        """Nothing to do: every request is committed by the server."""


def _graph_url(endpoint: str, graph: ox.NamedNode) -> str:
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph.value})}"


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


# What can hide a '{' or the word WHERE in a query: strings, IRIs and comments, matched before '{' and WHERE.
_TOKENS = re.compile(
    r'"""[\s\S]*?"""'
    r"|'''[\s\S]*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
    r"|(?P<where>\bWHERE\b)|(?P<brace>\{)",
    re.IGNORECASE,
)
# An update operation alone on its lines that writes no triple: DELETE/INSERT DATA { GRAPH <g> { } } ;
_EMPTY_DATA = re.compile(r"^[ \t]*(?:DELETE|INSERT) DATA \{ GRAPH <[^<>\s]*> \{\s*\} \}[ \t]*;?[ \t]*$", re.M)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\b", re.IGNORECASE)


def with_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with ``VALUES (?a ?b) { (<x> "y") }`` opening its WHERE group, each term in its escaped
    N-Triples form: the standard way to pre-bind variables, so that FILTERs in the group see them.

    Raises:
        QueryError: a binding is a blank node, or the query has no WHERE group to put it in.
    """
    if not bindings:
        return sparql
    for name, term in bindings.items():
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise QueryError(f"cannot bind ?{name} to {term}: only IRIs and literals can be sent to a store")
    names = " ".join(f"?{name}" for name in bindings)
    values = f" VALUES ({names}) {{ ({' '.join(str(t) for t in bindings.values())}) }} "
    seen_where = False
    for token in _TOKENS.finditer(sparql):
        if token.group("where"):
            seen_where = True
        elif token.group("brace") and (seen_where or not _CONSTRUCT.search(sparql, 0, token.start())):
            return sparql[: token.end()] + values + sparql[token.end() :]
    raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")


_INDEX = """SELECT ?graph ?paper ?digest ?titleKey WHERE {
  GRAPH ?graph { ?paper a kg:Paper ; kg:inputDigest ?digest OPTIONAL { ?paper kg:titleKey ?titleKey } }
}"""


def _mirror_index(remote: RemoteStore, staging: Path) -> set[ox.NamedNode]:
    """Copy each remote paper graph's ``a kg:Paper``, ``kg:inputDigest`` and ``kg:titleKey`` into
    ``staging``, under the same graph names, so the local build skips unchanged papers (and title-only
    records of papers stored under a stronger key) and finds the versions it replaces."""
    from kg.rdf.vocab import OX_KG, OX_RDF
    from kg.store.core import open_store

    index: dict[ox.NamedNode, list[ox.Triple]] = {}
    for row in remote.query(_INDEX):
        index.setdefault(row["graph"], []).extend(
            (
                ox.Triple(row["paper"], OX_RDF.type, OX_KG.Paper),
                ox.Triple(row["paper"], OX_KG.inputDigest, row["digest"]),
            )
        )
        if row["titleKey"] is not None:
            index[row["graph"]].append(ox.Triple(row["paper"], OX_KG.titleKey, row["titleKey"]))
    with open_store(staging) as local:
        local.add_graphs(index)
    return set(index)


def _push(staging: Path, remote: RemoteStore, index: set[ox.NamedNode], derived: ox.NamedNode) -> None:
    """Send the paper graphs the build wrote to ``remote``, then drop the remote versions it replaced."""
    from kg.store.core import open_store

    with open_store(staging, read_only=True) as local:
        built = set(local.graphs()) - {derived}
        for batch in chunks(sorted(built - index, key=str), _PUSH_BATCH):
            remote.add_graphs(
                {
                    graph: [
                        ox.Triple(q.subject, q.predicate, q.object)
                        for q in local.oxigraph.quads_for_pattern(None, None, None, graph)
                    ]
                    for graph in batch
                }
            )
    for graph in sorted(index - built, key=str):
        remote.drop_graph(graph)


def staged_build(location: str | os.PathLike, base: str, build_into: Callable[[Path], Report]) -> Report:
    """Run ``build_into(staging_dir)`` against a staging copy of the remote index and push what it added.

    Args:
        location: the remote store's URL.
        base: the IRI base (names the derived graph, recomputed remotely at the end).
        build_into: builds into a store directory and returns its report (kg.build.build or the Dask one).

    Returns:
        What ``build_into`` returned.

    Raises:
        StoreError: the remote store cannot be read or written.
    """
    from kg.rdf.iris import derived_graph_iri
    from kg.store.derived import refresh_derived

    remote = RemoteStore(Endpoints.from_url(location))
    with tempfile.TemporaryDirectory(prefix="kg-staging-") as tmp:
        staging = Path(tmp) / "store"
        index = _mirror_index(remote, staging)
        report = build_into(staging)
        _push(staging, remote, index, derived_graph_iri(base))
    refresh_derived(remote, base)
    return report
