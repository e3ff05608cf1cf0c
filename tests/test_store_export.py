"""export: every format parses back (rdflib) to exactly the stored graph, without duplicate triples."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from fixtures.rdf.sample import sample_store
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg.errors import StoreError
from kg.store import FORMATS, KgStore, export

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "nq": "nquads"}


def _term(term: ox.NamedNode | ox.Literal) -> rdflib.term.Identifier:
    """A pyoxigraph term as rdflib builds it, independently of any serialiser under test."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    plain = term.language or term.datatype.value == str(XSD.string)  # rdflib leaves xsd:string implicit
    return rdflib.Literal(term.value, lang=term.language, datatype=None if plain else term.datatype.value)


def _expected_graph(store: KgStore) -> rdflib.Graph:
    graph = rdflib.Graph()
    for t in store.triples():
        graph.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return graph


def _export(store: KgStore, fmt: str) -> bytes:
    out = io.BytesIO()
    export(store, fmt, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def store() -> KgStore:
    return sample_store()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_triple_formats_round_trip_to_the_union(store: KgStore, fmt: str) -> None:
    parsed = rdflib.Graph().parse(data=_export(store, fmt), format=RDFLIB_FORMAT[fmt])
    assert isomorphic(parsed, _expected_graph(store))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads parser
def test_nquads_keep_every_named_graph(store: KgStore) -> None:
    parsed = rdflib.Dataset()
    parsed.parse(data=_export(store, "nq"), format="nquads")
    graphs = {g.value for g in store.graphs()}
    assert {str(g.identifier) for g in parsed.graphs()} >= graphs
    for name in graphs:
        quads = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))
        expected = {(_term(q.subject), _term(q.predicate), _term(q.object)) for q in quads}
        assert set(parsed.graph(rdflib.URIRef(name))) == expected


def test_nt_has_no_duplicate_triples_although_papers_share_them(store: KgStore) -> None:
    lines = _export(store, "nt").decode("utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(store.triples())
    assert len(lines) < len(list(store.oxigraph.quads_for_pattern(None, None, None)))


def test_turtle_uses_the_project_prefixes(store: KgStore) -> None:
    text = _export(store, "ttl").decode("utf-8")
    assert "@prefix kg: <https://w3id.org/kg/ontology#> ." in text
    assert "kg:Paper" in text


def test_the_same_input_exports_the_same_bytes() -> None:
    for fmt in ("ttl", "nt"):
        assert _export(sample_store(), fmt) == _export(sample_store(), fmt)


def test_unknown_format_is_a_store_error(store: KgStore) -> None:
    assert "xml" not in FORMATS
    with pytest.raises(StoreError, match="unknown export format"):
        export(store, "xml", io.BytesIO())
