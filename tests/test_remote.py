"""An external SPARQL 1.1 store: kg builds into a real Virtuoso and queries it with `kg sparql --endpoint`.

The fixture starts Debian's virtuoso-t on loopback with a fresh database in a temporary directory and an ini
file it writes, and stops it at the end; the tests skip with a message where Virtuoso is not installed
(scripts/install-virtuoso.sh, run by `make test`) or does not start. Writes go through the authenticated
endpoints (Digest, dba:dba on a fresh database); queries through the anonymous /sparql.
"""

from __future__ import annotations

import http.server
import json
import math
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.config import DEFAULT_BASE
from kg.errors import QueryError
from kg.store import Endpoints, KgStore, RemoteStore
from kg.store.remote import is_url, redacted, store_url

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PAPER_GRAPHS = f"{DEFAULT_BASE}graph/paper/"
DERIVED = ox.NamedNode(f"{DEFAULT_BASE}graph/derived")

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    """The endpoints of the running test server."""

    http: str

    @property
    def query(self) -> str:
        return f"{self.http}/sparql"

    @property
    def store(self) -> str:
        """The --store URL: authenticated query and update endpoint, credentials in the URL."""
        return self.http.replace("http://", "http://dba:dba@") + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.http}/sparql-graph-crud-auth"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip(
            "virtuoso-t not found: install Debian's virtuoso-opensource (scripts/install-virtuoso.sh)"
        )
    db = tmp_path_factory.mktemp("virtuoso")
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(dir=db, sql_port=_free_port(), http_port=(http_port := _free_port())))
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    log = (db / "stdout.log").open("wb")
    process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=db, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not _answers(server.query):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (db / "stdout.log").read_text(errors="replace")[-600:]
                pytest.skip(f"Virtuoso did not start on 127.0.0.1:{http_port}: {tail}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def graph_store(virtuoso, monkeypatch) -> Virtuoso:
    """Paper graphs written with the Graph Store Protocol (KG_STORE_GSP)."""
    monkeypatch.setenv("KG_STORE_GSP", virtuoso.graph_store)
    return virtuoso


def kg(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def remote_paper_quads(server: Virtuoso, prefix: str = PAPER_GRAPHS) -> set[ox.Quad]:
    rows = RemoteStore(Endpoints.from_url(server.query)).query(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?prefix)) }",
        {"prefix": ox.Literal(prefix)},
    )
    return {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows}


XSD = "http://www.w3.org/2001/XMLSchema#"


def same_values(remote: set[ox.Quad], local: set[ox.Quad]) -> bool:
    """Whether two sets of quads agree up to how Virtuoso answers literals: booleans as 0/1, doubles to six
    significant digits (compared with a relative tolerance of 1e-5)."""

    def split(quads: set[ox.Quad]) -> tuple[set, dict]:
        exact, doubles = set(), {}
        for q in quads:
            o = q.object
            if isinstance(o, ox.Literal) and o.datatype.value == XSD + "double":
                doubles[(q.subject, q.predicate, q.graph_name)] = float(o.value)
            elif isinstance(o, ox.Literal) and o.datatype.value == XSD + "boolean":
                exact.add((q.subject, q.predicate, o.value in ("1", "true"), q.graph_name))
            else:
                exact.add((q.subject, q.predicate, o, q.graph_name))
        return exact, doubles

    (r_exact, r_doubles), (l_exact, l_doubles) = split(remote), split(local)
    return (
        r_exact == l_exact
        and r_doubles.keys() == l_doubles.keys()
        and all(math.isclose(r_doubles[k], l_doubles[k], rel_tol=1e-5) for k in l_doubles)
    )


@pytest.fixture(scope="module")
def local_examples(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("local") / "store"
    build([EXAMPLES], store, base=DEFAULT_BASE)
    return store


@pytest.fixture
def built(graph_store, local_examples) -> Virtuoso:
    """Virtuoso holding the examples graph, built through `kg --store URL build`."""
    if not remote_paper_quads(graph_store):
        kg("-q", "--store", graph_store.store, "build", str(EXAMPLES))
    return graph_store


def test_store_urls_are_told_from_directories_and_survive_a_path() -> None:
    assert is_url("https://db.example.org/sparql") and not is_url("outputs/store")
    assert store_url(Path("http://h:8890/sparql")) == "http://h:8890/sparql"  # a Path drops one '/'
    assert redacted("http://dba:secret@h/sparql-auth") == "http://dba:***@h/sparql-auth"


def test_endpoints_take_credentials_from_the_url_or_the_environment() -> None:
    env = {"KG_STORE_USER": "u", "KG_STORE_PASSWORD": "p", "KG_STORE_GSP": "http://h/gsp"}
    from_url = Endpoints.from_url("http://dba:s%40cret@h:8890/sparql-auth", env)
    assert (from_url.query, from_url.user, from_url.password) == (
        "http://h:8890/sparql-auth",
        "dba",
        "s@cret",
    )
    assert from_url.update == from_url.query and from_url.graph_store == "http://h/gsp"
    from_env = Endpoints.from_url("http://h/sparql", env)
    assert (from_env.user, from_env.password) == ("u", "p")


def test_a_build_into_virtuoso_holds_the_same_paper_graphs_as_a_local_build(built, local_examples) -> None:
    local = KgStore(local_examples, read_only=True).oxigraph
    expected = {
        q for q in local.quads_for_pattern(None, None, None) if q.graph_name.value.startswith(PAPER_GRAPHS)
    }
    assert same_values(remote_paper_quads(built), expected)
    derived = set(local.quads_for_pattern(None, None, None, DERIVED))
    assert derived and same_values(remote_paper_quads(built, DERIVED.value), derived)


def test_stats_of_the_store_in_virtuoso_are_those_of_the_local_build(built, local_examples) -> None:
    remote = kg("--store", built.store, "stats", "--format", "json").stdout
    local = kg("--store", str(local_examples), "stats", "--format", "json").stdout
    remote_counts, local_counts = json.loads(remote), json.loads(local)
    # the triple total differs: Virtuoso's own system graphs and the run record are in the store too
    assert remote_counts["store"]["paper graphs"] == local_counts["store"]["paper graphs"] == 12
    for section in ("classes", "relations"):
        assert remote_counts[section] == local_counts[section]


def test_the_run_is_recorded_in_virtuoso_and_a_rebuild_adds_nothing(built) -> None:
    again = kg("--store", built.store, "build", str(EXAMPLES), "--report")
    assert "nothing new" in again.stdout and "dba:***@" in again.stderr
    # papers.jsonl names one paper by its title only: the stored arXiv-keyed paper's kg:titleKey reaches
    # the staging store, so it is not added a second time
    title_only = kg("--store", built.store, "build", str(EXAMPLES / "papers.jsonl"), "--report")
    assert "nothing new" in title_only.stdout
    runs = json.loads(kg("--store", built.store, "diff", "--list", "--format", "json").stdout)
    assert len(runs) == 1 and runs[0]["papers_added"] == 12 and runs[0]["entities_added"] > 0


def test_kg_sparql_endpoint_answers_like_the_local_store(built, local_examples) -> None:
    named = ["sparql", "--named", "top-benchmarks", "--format", "json"]
    remote = json.loads(kg("sparql", "--endpoint", built.query, *named[1:]).stdout)
    local = json.loads(kg("--store", str(local_examples), *named).stdout)
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    assert sorted(map(key, remote["results"]["bindings"])) == sorted(map(key, local["results"]["bindings"]))
    assert remote["results"]["bindings"]

    query = "SELECT ?paper ?title WHERE { ?paper dcterms:title ?title }"
    title = json.loads((EXAMPLES / "papers.jsonl").read_text().splitlines()[0])["title"]
    rows = json.loads(
        kg("sparql", "--endpoint", built.query, query, "--param", f"title={title}", "--format", "json").stdout
    )["results"]["bindings"]
    assert [r["title"]["value"] for r in rows] == [title]
    tricky = '"quoted" {braces} \\ backslash'
    none = kg("sparql", "--endpoint", built.query, query, "--param", f"title={tricky}", "--format", "json")
    assert json.loads(none.stdout)["results"]["bindings"] == []


def test_a_changed_paper_replaces_its_graph_through_sparql_update(virtuoso, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("KG_STORE_GSP", raising=False)  # no Graph Store endpoint: INSERT DATA / DROP GRAPH
    base = "https://example.org/replace/"
    papers = tmp_path / "papers.jsonl"
    row = {"id": "r1", "title": "Tiny Adapters", "abstract": "We evaluate LoRA on GSM8K and report accuracy."}
    for abstract in (row["abstract"], "We evaluate LoRA on MATH and report accuracy."):
        papers.write_text(json.dumps({**row, "abstract": abstract}) + "\n", encoding="utf-8")
        report = json.loads(
            kg(
                "-q", "--store", virtuoso.store, "--base", base, "build", str(papers), "--format", "json"
            ).stdout
        )
    assert (report["papers_added"], report["papers_replaced"]) == (0, 1)
    graphs = {q.graph_name for q in remote_paper_quads(virtuoso, f"{base}graph/paper/")}
    reference = tmp_path / "reference"
    build([papers], reference, base=base)
    assert graphs == set(KgStore(reference, read_only=True).graphs()) - {ox.NamedNode(f"{base}graph/derived")}


def test_writing_without_update_permission_fails_cleanly(virtuoso, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("KG_STORE_GSP", raising=False)
    result = kg("--store", virtuoso.query, "build", str(EXAMPLES / "papers.jsonl"), ok=False)
    assert result.exit_code == 4 and "answered" in result.stderr


def test_an_answer_cut_at_the_servers_row_limit_is_an_error() -> None:
    """Virtuoso answers at most ResultSetMaxRows rows and says so in a header; kg must not count on it."""

    class Capped(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("X-SPARQL-MaxRows", "10000")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            """Quiet."""

    server = http.server.HTTPServer(("127.0.0.1", 0), Capped)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(Endpoints.from_url(f"http://127.0.0.1:{server.server_port}/sparql"))
        with pytest.raises(QueryError, match="ResultSetMaxRows"):
            store.query("SELECT ?s WHERE { ?s ?p ?o }")
    finally:
        server.shutdown()
        server.server_close()
