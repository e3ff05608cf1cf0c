"""Commands that read the graph: sparql, serve, lookup, claims, neighbors, path, related.

Each opens the store read-only (``kg serve --allow-update`` excepted), calls one kg.query function and
renders its answer as text or, with ``--format json``, as JSON on stdout. Only click and kg.errors are
imported at module level; kg.query modules (and through them pyoxigraph, rapidfuzz, networkx) load inside
the command that needs them, so `kg lookup` and `kg sparql` never pay for networkx or spaCy.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.errors import QueryError

if TYPE_CHECKING:
    from kg.cli import Context
    from kg.query.lookup import LabelIndex
    from kg.store import KgStore, RemoteStore

QUERY_FORMATS = click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt"])
# Options several commands share, spelled once.
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
type_option = click.option(
    "--type", "type_", metavar="TYPE", help="Resolve NAME among entities of TYPE only (Method, Dataset, ...)."
)


def limit_option(default: int | None, help: str):
    """``--limit N`` (a positive integer) with a per-command default and help."""
    return click.option(
        "--limit", default=default, show_default=default is not None, type=click.IntRange(min=1), help=help
    )


def _open(obj: Context, *, read_only: bool = True) -> KgStore:
    from kg.store import KgStore

    return KgStore(obj.store, read_only=read_only)


def _open_endpoint(location: str | Path) -> KgStore | RemoteStore:
    """The store to query: a SPARQL endpoint when ``location`` is an http(s) URL, else the directory store."""
    from kg.store import Endpoints, KgStore, RemoteStore, is_remote

    if is_remote(location):
        return RemoteStore(Endpoints.from_url(location))
    return KgStore(location, read_only=True)


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _key_values(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("k=v", ...)`` from repeated --param options as a dict; the value may itself contain '='."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--param")
        values[key] = value
    return values


@click.command("sparql")
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from FILE.",
)
@click.option("--named", metavar="NAME", help="Run a shipped named query (see --list).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind ?KEY (repeatable); never pasted into the query.",
)
@click.option(
    "--format",
    "fmt",
    type=QUERY_FORMATS,
    default="table",
    show_default=True,
    help="table/json/csv/tsv/xml for SELECT and ASK; ttl/nt/xml/json for CONSTRUCT and DESCRIBE.",
)
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "--endpoint",
    metavar="URL",
    help="Query this SPARQL 1.1 endpoint instead of the store (credentials as http://user:pass@host/...).",
)
@click.pass_obj
def sparql(
    obj: Context,
    query: str | None,
    query_file: Path | None,
    named: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_only: bool,
    endpoint: str | None,
) -> None:
    """Run a SPARQL query (kg, skos, dcterms, schema, oa, prov, rdf, rdfs, owl, xsd prefixes predefined).

    \b
    Examples:
      kg sparql 'SELECT ?label WHERE { ?m a kg:Method ; skos:prefLabel ?label } LIMIT 5'
      kg sparql --named methods-on-benchmark --param benchmark=GSM8K --format csv
      kg sparql -f my-query.rq --param name='"quoted" {text}'
      kg sparql --list
      kg sparql --endpoint http://127.0.0.1:8890/sparql --named top-benchmarks

    With --endpoint (or a --store that is a URL) the query goes to that SPARQL 1.1 endpoint (Virtuoso,
    GraphDB, Fuseki, Neptune, `kg serve`), with the same prefixes and named queries.
    For a named query each --param is bound as its declared kind (an entity name is resolved to its node).
    For your own query, --param key=<iri> binds an IRI and anything else a plain string; the variable must
    appear in the SELECT clause.
    """
    from kg.query import named as library

    if list_only:
        return _list_queries(fmt)
    sources = [s for s in (query, query_file, named) if s is not None]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --named NAME (or --list)")
    store = _open_endpoint(endpoint or obj.store)
    values = _key_values(params)
    if named is not None:
        chosen = library.get_query(named)
        text, bindings = chosen.text, library.bind_params(chosen, values, store)
    else:
        text = query if query is not None else _read(query_file)
        bindings = library.adhoc_bindings(values)
    _run_and_print(obj, store, text, bindings, fmt)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {exc}") from exc


def _run_and_print(obj: Context, store: KgStore, text: str, bindings: dict, fmt: str) -> None:
    from kg.query.render import render
    from kg.query.sparql import run_query

    result = run_query(store, text, bindings)
    data = render(result, fmt, base=obj.base)
    stdout = click.get_binary_stream("stdout")
    stdout.write(data if data.endswith(b"\n") else data + b"\n")
    stdout.flush()


def _list_queries(fmt: str) -> None:
    from kg.query.named import load_queries

    queries = load_queries()
    if fmt == "json":
        return _emit_json([q.to_json() for q in queries.values()])
    for query in queries.values():
        params = " ".join(f"--param {p.name}=<{p.kind}>" for p in query.params)
        click.echo(f"{query.name}{'  ' + params if params else ''}\n    {query.summary}")
        for param in query.params:
            click.echo(f"    {param.name}: {param.help}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port (0: any free port).",
)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates (they answer 403 otherwise).")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds a query may run.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows (or triples) per answer at most.",
)
@click.pass_obj
def serve(obj: Context, host: str, port: int, allow_update: bool, timeout: float, max_rows: int) -> None:
    """Serve the graph as a SPARQL 1.1 Protocol endpoint (GET and POST, results JSON/XML/CSV/TSV, RDF).

    \b
    Example:
      kg serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode \\
           'query=SELECT ?l WHERE { ?b a kg:Benchmark ; skos:prefLabel ?l } LIMIT 3' \\
           http://127.0.0.1:7878/sparql
    """
    from kg.query.server import make_server

    store = _open(obj, read_only=not allow_update)
    server = make_server(
        store, host, port, allow_update=allow_update, timeout=timeout, max_rows=max_rows, quiet=obj.quiet
    )
    mode = "read-write" if allow_update else "read-only"
    obj.info(f"kg: SPARQL endpoint at {server.url} ({mode}, {timeout:g} s, {max_rows} rows); Ctrl-C stops it")
    # `kill` (SIGTERM, what process managers and `kill %1` send) stops it like Ctrl-C: the store is closed
    # and queries in flight are cancelled, instead of the process dying mid-answer.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        obj.info("kg: stopped")
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    """A signal handler that stops a long-running command the way Ctrl-C does."""
    raise KeyboardInterrupt


def _index(store: KgStore) -> LabelIndex:
    from kg.query.lookup import LabelIndex

    return LabelIndex.from_store(store)


@click.command("lookup")
@click.argument("name")
@type_option
@format_option
@limit_option(5, "Papers, related entities per relation and claims to show.")
@click.pass_obj
def lookup(obj: Context, name: str, type_: str | None, fmt: str, limit: int) -> None:
    """Find an entity by name, acronym or surface form (fuzzy) and show its card.

    \b
    Examples:
      kg lookup GSM8K
      kg lookup "chain of thought" --format json
      kg lookup RFT --type Method
    An ambiguous name lists the candidates; an unknown one suggests the closest and exits with status 6.
    """
    from kg.errors import NotFoundError
    from kg.query.card import entity_card, format_card

    store = _open(obj)
    index = _index(store)
    resolution = index.resolve(name, type_, limit=limit * 2)
    if resolution.status == "unknown":
        closest = ", ".join(c.entity.label for c in resolution.candidates[:5])
        raise NotFoundError(f"no entity named {name!r}" + (f"; closest: {closest}" if closest else ""))
    if resolution.status == "ambiguous":
        if fmt == "json":
            return _emit_json(resolution.to_json())
        click.echo(
            f"{name!r} matches {len(resolution.candidates)} entities; pick one by its full name or --type:"
        )
        for c in resolution.candidates:
            click.echo(f"  {c.entity.label}  ({', '.join(c.entity.types)})  matched {c.matched!r}")
        return None
    card = entity_card(store, index, resolution.candidates[0].entity, limit=limit)
    if fmt == "json":
        return _emit_json({"name": name, "status": "found", "entity": card.to_json()})
    click.echo(format_card(card), nl=False)
    return None


@click.command("claims")
@click.argument("name")
@type_option
@limit_option(None, "Show at most this many claims.")
@format_option
@click.pass_obj
def claims(obj: Context, name: str, type_: str | None, limit: int | None, fmt: str) -> None:
    """List the claims about an entity, newest paper first, with paper titles.

    \b
    Examples:
      kg claims ReFT
      kg claims GSM8K --limit 10 --format json
    """
    from kg.query.claims import claims_about, format_claims
    from kg.query.lookup import resolve_one

    store = _open(obj)
    entity = resolve_one(_index(store), name, type_)
    found = claims_about(store, entity.iri, limit=limit)
    if fmt == "json":
        return _emit_json({"entity": entity.to_json(), "claims": [c.to_json() for c in found]})
    click.echo(
        f"{len(found)} claim{'s' if len(found) != 1 else ''} about {entity.label} ({', '.join(entity.types)})"
    )
    click.echo(format_claims(found), nl=False)
    return None


def _explore(obj: Context, *names: tuple[str, str | None]):
    """The exploration view, its networkx graph and the resolved entities for ``(name, type)`` pairs."""
    from kg.query.lookup import resolve_one
    from kg.query.view import load_view

    store = _open(obj)
    index = _index(store)
    entities = [resolve_one(index, name, type_) for name, type_ in names]
    view = load_view(store)
    return view, view.to_networkx(), entities


@click.command("neighbors")
@click.argument("name")
@click.option(
    "--hops",
    default=2,
    show_default=True,
    type=click.IntRange(1, 6),
    help="Largest distance in edges (a paper is one hop).",
)
@click.option(
    "--types",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only list nodes of TYPE (an entity type or Paper); repeatable.",
)
@type_option
@limit_option(20, "Show at most this many nodes.")
@format_option
@click.pass_obj
def neighbors(
    obj: Context, name: str, hops: int, types: tuple[str, ...], type_: str | None, limit: int, fmt: str
) -> None:
    """Show what lies within K hops of an entity, each with the chain that reaches it.

    \b
    Examples:
      kg neighbors ReFT --hops 2
      kg neighbors GSM8K --hops 4 --types Method --limit 10
    """
    from kg.query.lookup import resolve_one
    from kg.query.neighbourhood import neighbours_around

    store = _open(obj)
    index = _index(store)
    entity = resolve_one(index, name, type_)
    found = neighbours_around(store, index, entity.iri, hops=hops, types=types, limit=limit)
    if fmt == "json":
        return _emit_json(
            {"entity": entity.to_json(), "hops": hops, "neighbours": [n.to_json() for n in found]}
        )
    click.echo(f"{len(found)} node{'s' if len(found) != 1 else ''} within {hops} hops of {entity.label}")
    for item in found:
        kind = ", ".join(item.node.types) or item.node.kind
        click.echo(f"  [{item.distance}] {item.node.label[:70]} ({kind})\n      {item.chain.text()}")
    return None


@click.command("path")
@click.argument("first")
@click.argument("second")
@limit_option(3, "Show at most this many shortest paths.")
@format_option
@click.pass_obj
def path(obj: Context, first: str, second: str, limit: int, fmt: str) -> None:
    """Show the shortest connections between two entities as readable chains.

    \b
    Example:
      kg path ReFT "chain of thought"
    """
    from kg.query.neighbourhood import paths

    view, graph, (a, b) = _explore(obj, (first, None), (second, None))
    chains = paths(view, graph, a.iri, b.iri, limit=limit)
    if fmt == "json":
        return _emit_json({"from": a.to_json(), "to": b.to_json(), "paths": [c.to_json() for c in chains]})
    click.echo(
        f"{len(chains)} shortest connection{'s' if len(chains) != 1 else ''} ({len(chains[0].steps)} hops):"
    )
    for chain in chains:
        click.echo(f"  {chain.text()}")
    return None


@click.command("related")
@click.argument("name")
@click.option(
    "--by",
    "method",
    type=click.Choice(["pagerank", "cooccurrence"]),
    default="pagerank",
    show_default=True,
    help="Personalised PageRank, or the number of shared papers.",
)
@type_option
@limit_option(10, "Show at most this many entities.")
@format_option
@click.pass_obj
def related(obj: Context, name: str, method: str, type_: str | None, limit: int, fmt: str) -> None:
    """Rank the entities most related to one, each with the reason (shared papers, a direct edge, a chain).

    \b
    Examples:
      kg related GSM8K
      kg related ReFT --by cooccurrence --format json
    """
    from kg.query.neighbourhood import related as rank_related

    view, graph, (entity,) = _explore(obj, (name, type_))
    ranked = rank_related(view, graph, entity.iri, method=method, limit=limit)
    if fmt == "json":
        return _emit_json(
            {"entity": entity.to_json(), "by": method, "related": [r.to_json() for r in ranked]}
        )
    click.echo(f"entities related to {entity.label} (by {method}):")
    for item in ranked:
        score = f"{item.score:.3f}" if method == "pagerank" else f"{item.score:g}"
        click.echo(f"  {score}  {item.node.label} ({', '.join(item.node.types)})\n         {item.reason}")
    return None


COMMANDS = [sparql, serve, lookup, claims, neighbors, path, related]
