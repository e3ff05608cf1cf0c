"""`kg serve`: a SPARQL 1.1 Protocol endpoint over the store, on the standard library's ThreadingHTTPServer.

Why the standard library: the endpoint needs GET and two POST encodings, content negotiation and a few
error statuses, which http.server covers in one small module without adding a web framework to a tool that
is mostly a CLI. One thread per connection; each query runs in a worker pool with a time limit and a row
cap, so a slow or huge query answers 503 or a capped result instead of holding the endpoint.

Protocol summary (https://www.w3.org/TR/sparql11-protocol/):

- ``GET /sparql?query=...``; ``POST /sparql`` with ``application/x-www-form-urlencoded`` (``query=`` or
  ``update=``) or a raw ``application/sparql-query`` / ``application/sparql-update`` body. ``/`` is the
  same endpoint and, without a query, a small HTML form.
- Answers by the Accept header: SELECT/ASK as results JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE
  as Turtle (default), N-Triples, RDF/XML or JSON-LD. A ``format`` parameter naming one of those (json,
  xml, csv, tsv, ttl, nt, json-ld) wins over Accept when it fits the answer.
- 400 with the parser's message for malformed queries, 403 for updates unless ``allow_update``, 406 when
  nothing acceptable can be produced, 413 for oversized bodies, 415 for other content types, 503 when a
  query runs past the time limit. A capped answer carries ``X-KG-Truncated: true``.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError, QueryError, StoreError
from kg.query.render import render
from kg.query.sparql import GraphResult, QueryResult, QueryTimeout, run_query
from kg.store import KgStore

RESULTS_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "application/ld+json": "json",
}
CONTENT_TYPES = {
    "results": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv; charset=utf-8",
        "tsv": "text/tab-separated-values; charset=utf-8",
    },
    "graph": {
        "ttl": "text/turtle; charset=utf-8",
        "nt": "application/n-triples",
        "xml": "application/rdf+xml",
        "json": "application/ld+json",
    },
}
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "ttl": "ttl", "turtle": "ttl"}
FORMAT_PARAM |= {"nt": "nt", "n-triples": "nt", "json-ld": "json"}
# A parsed protocol request: the operation ("query" or "update"), its text and all request parameters.
Request = tuple[str, str, dict[str, list[str]]]


@dataclass(frozen=True)
class ServerSettings:
    """Limits and switches of one endpoint."""

    allow_update: bool = False
    timeout: float = 30.0
    max_rows: int | None = 10_000
    max_body: int = 1_000_000
    workers: int = 4
    quiet: bool = False


@dataclass(frozen=True)
class Reply:
    """An HTTP answer before it is written."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class HttpProblem(KgError):
    """A request the endpoint refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class SparqlServer(ThreadingHTTPServer):
    """The endpoint: an HTTP server bound to one store, with a worker pool for the queries themselves."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: KgStore, settings: ServerSettings) -> None:
        self.store = store
        self.settings = settings
        self.pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="kg-sparql")
        self.running: set[threading.Event] = set()  # cancel flags of the queries in flight
        self.lock = threading.Lock()
        super().__init__(address, SparqlHandler)  # binds; a failure calls server_close, which needs the pool

    @property
    def url(self) -> str:
        """The endpoint URL, with the port actually bound (useful with port 0)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        """Close the socket, drop queued queries and stop running ones at their next row."""
        with self.lock:
            for cancel in self.running:
                cancel.set()
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def answer(self, operation: str, text: str, params: dict[str, list[str]], accept: str) -> Reply:
        """Run one protocol operation (``query`` or ``update``) and encode the answer.

        Raises:
            HttpProblem: the operation is refused (403, 406) or failed (400, 503).
        """
        if operation == "update":
            return self._update(text)
        cancel = threading.Event()
        with self.lock:
            self.running.add(cancel)
        try:
            future = self.pool.submit(
                run_query, self.store, text, max_rows=self.settings.max_rows, cancel=cancel
            )
            result = future.result(timeout=self.settings.timeout)
        except (FutureTimeout, QueryTimeout):
            cancel.set()
            raise HttpProblem(503, f"query ran past the time limit of {self.settings.timeout:g} s") from None
        except QueryError as exc:
            raise HttpProblem(400, str(exc)) from exc
        finally:
            with self.lock:
                self.running.discard(cancel)
        return _encode(result, negotiate(result, accept, params.get("format", [])))

    def _update(self, text: str) -> Reply:
        if not self.settings.allow_update:
            raise HttpProblem(403, "this endpoint is read-only (start it with `kg serve --allow-update`)")
        try:
            self.store.update(text)
        except QueryError as exc:
            raise HttpProblem(400, str(exc)) from exc
        return Reply(204, b"")


def _encode(result: QueryResult, fmt: str) -> Reply:
    kind = "graph" if isinstance(result, GraphResult) else "results"
    truncated = getattr(result, "truncated", False)
    headers = {"X-KG-Truncated": "true"} if truncated else {}
    return Reply(200, render(result, fmt), CONTENT_TYPES[kind][fmt], headers)


def negotiate(result: QueryResult, accept: str, format_param: list[str]) -> str:
    """The output format for an answer: a fitting ``format`` parameter, else the best Accept entry.

    Raises:
        HttpProblem: 406, nothing in Accept can be produced for this kind of answer.
    """
    graph = isinstance(result, GraphResult)
    media = GRAPH_MEDIA if graph else RESULTS_MEDIA
    default = "ttl" if graph else "json"
    for value in format_param:
        fmt = FORMAT_PARAM.get(value.lower())
        if fmt in media.values():
            return fmt
    ranges = _accept_ranges(accept)
    if not ranges:
        return default
    for media_range, _ in ranges:
        if media_range in media:
            return media[media_range]
        if media_range in ("*/*", "application/*") or (media_range == "text/*" and graph):
            return default
        if media_range == "text/*":
            return "csv"
    offered = ", ".join(sorted(set(media)))
    raise HttpProblem(406, f"cannot answer as {accept!r}; this answer can be {offered}")


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    """Accept header entries with q > 0, best first (ties keep the header's order)."""
    ranges = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((media.lower(), q))
    return sorted(ranges, key=lambda r: -r[1])


class SparqlHandler(BaseHTTPRequestHandler):
    """Parses one protocol request, asks the server for the answer and writes it."""

    server: SparqlServer
    server_version = "kg-sparql/1"

    def do_GET(self) -> None:
        """A query in the URL, or the HTML form when there is none."""
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        self._dispatch(parts.path, lambda: _operation(params, allow_update=False))

    def do_POST(self) -> None:
        """A query or update in a form body or a raw SPARQL body."""
        parts = urlsplit(self.path)
        url_params = parse_qs(parts.query, keep_blank_values=True)
        self._dispatch(parts.path, lambda: self._read_post(url_params))

    def _dispatch(self, path: str, read: Callable[[], Request | None]) -> None:
        """Route, parse, answer, and turn every refusal or failure into a status with a readable body."""
        try:
            if path not in ("/", "/sparql"):
                raise HttpProblem(404, f"no such resource {path}; the endpoint is /sparql")
            request = read()
            if request is None:
                reply = Reply(200, FORM_PAGE.format(url=html.escape(self.server.url)).encode(), "text/html")
            else:
                operation, text, all_params = request
                reply = self.server.answer(operation, text, all_params, self.headers.get("Accept", ""))
        except HttpProblem as exc:
            reply = Reply(exc.status, f"{exc}\n".encode())
        except KgError as exc:
            reply = Reply(500, f"{exc}\n".encode())
        self._send(reply)

    def _read_post(self, url_params: dict[str, list[str]]) -> Request:
        """The operation of a POST, from a form body or a raw query/update body.

        Raises:
            HttpProblem: 413 body too large, 415 unsupported content type, 400 missing or duplicate operation.
        """
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.settings.max_body:
            raise HttpProblem(413, f"request body over {self.server.settings.max_body} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            params = parse_qs(body, keep_blank_values=True)
            request = _operation(params | {k: v for k, v in url_params.items() if k not in params}, True)
            if request is None:
                raise HttpProblem(400, "the form has neither a query nor an update parameter")
            return request
        if content_type == "application/sparql-query":
            return "query", body, url_params
        if content_type == "application/sparql-update":
            return "update", body, url_params
        raise HttpProblem(
            415, f"cannot read a {content_type or 'missing'} body; send a form or a SPARQL body"
        )

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args) -> None:
        """One access-log line per request on stderr, unless the server is quiet."""
        if not self.server.settings.quiet:
            super().log_message(format, *args)


def _operation(params: dict[str, list[str]], allow_update: bool) -> Request | None:
    """``("query" | "update", text, params)`` from request parameters, or None when there is neither.

    Raises:
        HttpProblem: 400 for both, for repeated values, or for an update sent with GET.
    """
    present = [name for name in ("query", "update") if name in params]
    if not present:
        return None
    if len(present) > 1 or len(params[present[0]]) > 1:
        raise HttpProblem(400, "send exactly one query or update per request")
    if present[0] == "update" and not allow_update:
        raise HttpProblem(400, "updates must be sent with POST")
    return present[0], params[present[0]][0], params


def make_server(store: KgStore, host: str = "127.0.0.1", port: int = 7878, **settings) -> SparqlServer:
    """An endpoint bound to ``host:port`` (port 0 picks a free one), not yet serving.

    Args:
        store: the store to answer from (open it read-only unless updates are allowed).
        host: interface to listen on; keep the loopback default unless the graph may be public.
        port: TCP port.
        **settings: ServerSettings fields (allow_update, timeout, max_rows, ...).

    Raises:
        StoreError: the address cannot be bound.
    """
    try:
        return SparqlServer((host, port), store, ServerSettings(**settings))
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port}: {exc}") from exc


FORM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}textarea{{width:100%}}</style></head>
<body><h1>kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>{url}</code>. The kg, skos, dcterms, schema, oa, prov, rdf, rdfs, owl and xsd
prefixes are predefined.</p>
<form action="/sparql" method="get">
<textarea name="query" rows="12">SELECT ?benchmark ?label (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
  ?paper kg:evaluatesOn ?benchmark . ?benchmark skos:prefLabel ?label .
}} GROUP BY ?benchmark ?label ORDER BY DESC(?papers) LIMIT 10</textarea>
<p><label>Format <select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option><option>ttl</option><option>nt</option></select></label>
<button type="submit">Run</button></p></form></body></html>
"""
