"""`kg serve`: the SPARQL 1.1 Protocol endpoint, driven by SPARQLWrapper and by plain urllib on loopback."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fixtures.query.helpers import add_trig, small_store
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.query.server import SparqlServer, make_server, negotiate
from kg.query.sparql import AskResult, GraphResult, SelectResult

TIMEOUT = 10  # seconds any one request may take before the test fails instead of hanging
BENCHMARKS = "SELECT DISTINCT ?label WHERE { ?b a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"
PROLOGUE = "PREFIX kg: <https://w3id.org/kg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


def running(server: SparqlServer) -> Iterator[SparqlServer]:
    """Serve in a background thread for the duration of a test, then stop and join it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[SparqlServer]:
    yield from running(make_server(small_store(), "127.0.0.1", 0, timeout=5.0, max_rows=1000, quiet=True))


def client(server: SparqlServer, query: str, fmt: str = JSON) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.url)
    wrapper.setQuery(PROLOGUE + query)  # SPARQLWrapper needs PREFIX lines to tell the query form
    wrapper.setReturnFormat(fmt)
    wrapper.setTimeout(TIMEOUT)
    return wrapper


def request(server: SparqlServer, *, path: str = "/sparql", data: bytes | None = None, **headers: str):
    """``(status, headers, body)`` of one urllib request (error statuses included)."""
    req = urllib.request.Request(server.url.rsplit("/", 1)[0] + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(server: SparqlServer, query: str, **headers: str):
    return request(server, path="/sparql?" + urllib.parse.urlencode({"query": query}), **headers)


def labels_of(results: dict) -> list[str]:
    return [b["label"]["value"] for b in results["results"]["bindings"]]


def test_sparqlwrapper_select_by_get_and_both_posts(endpoint):
    expected = ["GSM8K", "ImageNet", "MathQA", "SVAMP"]
    assert labels_of(client(endpoint, BENCHMARKS).queryAndConvert()) == expected
    for method in ("urlencoded", POSTDIRECTLY):
        wrapper = client(endpoint, BENCHMARKS)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(method)
        assert labels_of(wrapper.queryAndConvert()) == expected


def test_sparqlwrapper_gets_xml_csv_and_tsv(endpoint):
    document = client(endpoint, BENCHMARKS, XML).queryAndConvert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["GSM8K", "ImageNet", "MathQA", "SVAMP"]
    rows = list(csv.reader(io.StringIO(client(endpoint, BENCHMARKS, CSV).queryAndConvert().decode())))
    assert rows[0] == ["label"] and rows[1] == ["GSM8K"]
    assert client(endpoint, BENCHMARKS, TSV).queryAndConvert().decode().splitlines()[:2] == [
        "?label",
        '"GSM8K"',
    ]


def test_sparqlwrapper_ask_and_construct(endpoint):
    assert client(endpoint, "ASK { ?m kg:outperforms ?n }").queryAndConvert()["boolean"] is True
    graph = client(endpoint, "CONSTRUCT WHERE { ?m kg:outperforms ?n }", TURTLE).queryAndConvert()
    assert b"kg:outperforms" in graph
    rdf = client(
        endpoint, "CONSTRUCT WHERE { ?m kg:outperforms ?n }", XML
    ).queryAndConvert()  # an rdflib Graph
    assert len(rdf) == 2


def test_sparqlwrapper_sees_a_malformed_query_as_bad_request(endpoint):
    with pytest.raises(QueryBadFormed, match="malformed SPARQL"):
        client(endpoint, "SELECT ?x WHERE { ?x ").queryAndConvert()


def test_updates_are_refused_unless_allowed(endpoint):
    wrapper = client(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    wrapper.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        wrapper.query()
    assert refused.value.code == 403 and b"read-only" in refused.value.read()
    raw = {"Content-Type": "application/sparql-update"}
    assert request(endpoint, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", **raw)[0] == 403
    assert json.loads(get(endpoint, "ASK { <urn:a> ?p ?o }")[2])["boolean"] is False


def test_updates_apply_when_allowed():
    store = small_store()
    for server in running(make_server(store, "127.0.0.1", 0, allow_update=True, quiet=True)):
        body = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
        status, _, _ = request(server, data=body, **{"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 204
        assert json.loads(get(server, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is True
        update_by_get = request(server, path="/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"}))
        assert update_by_get[0] == 400


def test_content_negotiation_over_plain_http(endpoint):
    status, headers, body = get(endpoint, BENCHMARKS, Accept="text/csv;q=0.5, text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?label"
    status, headers, body = get(endpoint, BENCHMARKS, Accept="application/sparql-results+xml")
    assert headers["Content-Type"] == "application/sparql-results+xml"
    assert ET.fromstring(body).tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    _, headers, body = get(
        endpoint, "CONSTRUCT WHERE { ?m kg:outperforms ?n }", Accept="application/n-triples"
    )
    assert headers["Content-Type"] == "application/n-triples" and len(body.decode().strip().splitlines()) == 2
    _, headers, _ = get(endpoint, "DESCRIBE <https://w3id.org/kg/id/entity/gsm8k>", Accept="*/*")
    assert headers["Content-Type"].startswith("text/turtle")
    status, _, body = get(endpoint, BENCHMARKS, Accept="image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_format_parameter_wins_when_it_fits(endpoint):
    query = urllib.parse.urlencode({"query": BENCHMARKS, "format": "csv"})
    _, headers, body = request(endpoint, path="/sparql?" + query, Accept="application/sparql-results+json")
    assert headers["Content-Type"].startswith("text/csv") and body.decode().splitlines()[0] == "label"


def test_raw_and_form_posts_and_refusals(endpoint):
    status, _, body = request(
        endpoint, data=BENCHMARKS.encode(), **{"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and labels_of(json.loads(body))[0] == "GSM8K"
    form = urllib.parse.urlencode({"query": BENCHMARKS}).encode()
    status, _, body = request(endpoint, data=form, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and len(labels_of(json.loads(body))) == 4
    assert request(endpoint, data=b"x", **{"Content-Type": "application/json"})[0] == 415
    assert request(endpoint, data=b"a=1", **{"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    both = urllib.parse.urlencode({"query": "ASK {}", "update": "CLEAR ALL"}).encode()
    assert request(endpoint, data=both, **{"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert request(endpoint, path="/elsewhere")[0] == 404


def test_malformed_query_answers_400_with_the_parser_message(endpoint):
    status, headers, body = get(endpoint, "SELECT ?x WHERE { ?x ")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.startswith(b"malformed SPARQL:")


def test_html_form_at_root(endpoint):
    status, headers, body = request(endpoint, path="/")
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b'<form action="/sparql"' in body and endpoint.url.encode() in body


def test_row_cap_marks_the_answer_as_truncated():
    for server in running(make_server(small_store(), "127.0.0.1", 0, max_rows=2, quiet=True)):
        status, headers, body = get(server, BENCHMARKS)
        assert status == 200 and headers["X-KG-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 2
        assert "X-KG-Truncated" not in get(server, "SELECT ?x WHERE { VALUES ?x { 1 } }")[1]


def test_a_query_past_the_time_limit_answers_503():
    store = small_store()
    rows = " ".join(f"e:n{i} kg:key 'k{i}' ." for i in range(400))
    add_trig(store, f"g:big {{ {rows} }}")
    endless = "SELECT * WHERE { ?a kg:key ?x . ?b kg:key ?y . ?c kg:key ?z . ?d kg:key ?w }"  # 400^4 rows
    for server in running(make_server(store, "127.0.0.1", 0, timeout=0.3, max_rows=None, quiet=True)):
        status, _, body = get(server, endless)
        assert status == 503 and b"time limit of 0.3 s" in body
        assert get(server, "ASK { ?s ?p ?o }")[0] == 200  # the endpoint still answers afterwards


def test_negotiation_prefers_higher_quality_and_knows_the_answer_kind():
    select, graph = SelectResult(("x",), ()), GraphResult(())
    assert negotiate(select, "text/csv;q=0.2, application/sparql-results+xml;q=0.9", []) == "xml"
    assert negotiate(select, "", []) == "json" and negotiate(AskResult(True), "text/*", []) == "csv"
    assert negotiate(graph, "application/rdf+xml, text/turtle;q=0.1", []) == "xml"
    assert negotiate(graph, "text/*", ["csv"]) == "ttl"  # csv does not fit a graph: Accept decides
    assert negotiate(graph, "application/sparql-results+json, */*;q=0.1", []) == "ttl"


def test_an_address_in_use_is_a_store_error():
    from kg.errors import StoreError

    for server in running(make_server(small_store(), "127.0.0.1", 0, quiet=True)):
        with pytest.raises(StoreError, match="cannot listen"):
            make_server(small_store(), "127.0.0.1", server.server_address[1])
