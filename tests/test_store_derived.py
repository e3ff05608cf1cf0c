"""The derived graph: one preferred label per entity, paper and support counts, recomputed atomically."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from fixtures.rdf.sample import BASE, mention, sample_extractions, sample_store

from kg.rdf import iris
from kg.rdf.vocab import KG
from kg.store import KgStore, paper_graphs, refresh_derived, write_extractions
from kg.store import derived as derived_module
from kg.store.derived import Batches
from kg.types import Extraction, Origin, Record


def _one(store: KgStore, sparql: str, node: ox.NamedNode) -> list[str]:
    """Values of ``?v`` for the pre-bound ``?node`` (which Oxigraph wants projected)."""
    return sorted(row["v"].value for row in store.query(sparql, {"node": node}))


def _paper(key: str, *labels: str) -> Extraction:
    """A paper whose abstract names entity "x" once per label, each mention with that label."""
    record = Record(key, "", " and ".join(labels) + ".", "jsonl", Origin("f", 1))
    seen: Counter[str] = Counter()
    mentions = []
    for label in labels:
        mentions.append(mention(record, label, "Method", "x", label, nth=seen[label]))
        seen[label] += 1
    return Extraction(record, mentions=mentions)


def _pref_label(*papers: Extraction) -> list[str]:
    store = KgStore(None)
    write_extractions(store, papers, BASE)
    refresh_derived(store, BASE)
    return _one(store, "SELECT ?v ?node WHERE { ?node skos:prefLabel ?v }", iris.entity_iri(BASE, "x"))


def test_pref_label_is_the_label_most_papers_use() -> None:
    assert _pref_label(_paper("p:1", "Beta"), _paper("p:2", "Beta"), _paper("p:3", "Alpha")) == ["Beta"]


def test_within_a_paper_its_most_used_label_is_its_vote() -> None:
    papers = _paper("p:1", "Beta", "Alpha", "Alpha"), _paper("p:2", "Alpha"), _paper("p:3", "Beta")
    assert _pref_label(*papers) == ["Alpha"]


def test_pref_label_ties_go_to_the_smallest_string_whatever_the_order() -> None:
    assert _pref_label(_paper("p:1", "b"), _paper("p:2", "B")) == ["B"]
    assert _pref_label(_paper("p:1", "B"), _paper("p:2", "b")) == ["B"]


def _main_type(*types: str) -> list[str]:
    """kg:mainType of entity "x" when paper i types it ``types[i]``."""
    papers = []
    for i, type_ in enumerate(types):
        record = Record(f"p:{i}", "", "X.", "jsonl", Origin("f", i + 1))
        papers.append(Extraction(record, mentions=[mention(record, "X", type_, "x", "X")]))
    store = KgStore(None)
    write_extractions(store, papers, BASE)
    refresh_derived(store, BASE)
    return _one(store, "SELECT ?v ?node WHERE { ?node kg:mainType ?v }", iris.entity_iri(BASE, "x"))


def test_main_type_is_the_type_most_papers_give_ties_to_the_first_entity_type() -> None:
    assert _main_type("Task", "Method", "Task") == [str(KG.Task)]
    assert _main_type("Benchmark", "Dataset") == [str(KG.Dataset)]  # ENTITY_TYPES order: Dataset first
    assert _main_type("Metric") == [str(KG.Metric)]


def test_every_entity_has_exactly_one_pref_label_and_its_paper_count() -> None:
    store = sample_store()
    # DISTINCT: over the union, a triple comes once per graph that holds it (entity types are in every paper).
    rows = store.query(
        "SELECT ?e (COUNT(DISTINCT ?l) AS ?n) WHERE { ?e a kg:Entity OPTIONAL { ?e skos:prefLabel ?l } } "
        "GROUP BY ?e"
    )
    assert {int(row["n"].value) for row in rows} == {1}
    papers_by_key: dict[str, set[str]] = {}
    for x in sample_extractions():
        for m in x.mentions:
            papers_by_key.setdefault(m.key, set()).add(x.record.id)
    for key, papers in papers_by_key.items():
        counts = _one(store, "SELECT ?v ?node WHERE { ?node kg:paperCount ?v }", iris.entity_iri(BASE, key))
        assert counts == [str(len(papers))], key


def test_support_counts_papers_asserting_the_same_edge() -> None:
    store = sample_store()
    expected: Counter[tuple[str | None, str, str]] = Counter()
    for x in sample_extractions():
        expected.update({(r.head, r.type, r.tail) for r in x.relations})
    rows = store.query(
        "SELECT ?a ?n WHERE { ?a a kg:Assertion ; kg:supportCount ?n ; kg:inPaper ?p ; rdf:subject ?s ; "
        "rdf:predicate ?rel ; rdf:object ?o }"
    )
    found = {row["a"].value: int(row["n"].value) for row in rows}
    for x in sample_extractions():
        for r in x.relations:
            node = iris.assertion_iri(BASE, x.record.id, r.type, r.tail, r.head)
            assert found[node.value] == expected[(r.head, r.type, r.tail)], node.value
    assert max(found.values()) > 1


def test_refreshing_twice_gives_the_same_derived_graph() -> None:
    store = sample_store()
    derived = iris.derived_graph_iri(BASE)
    first = set(store.oxigraph.quads_for_pattern(None, None, None, derived))
    refresh_derived(store, BASE)
    assert set(store.oxigraph.quads_for_pattern(None, None, None, derived)) == first
    assert first


def _derived(store: KgStore) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None, iris.derived_graph_iri(BASE)))


@pytest.mark.parametrize("batches", [Batches(), Batches(entities=2, lines=3)])
def test_after_a_paper_is_dropped_the_derived_graph_is_as_if_it_never_was(batches: Batches) -> None:
    """Also in small batches, and a fact no paper backs (say, left by an interrupted refresh) goes too."""
    papers = sample_extractions()
    kept = KgStore(None)
    write_extractions(kept, papers[1:], BASE)
    refresh_derived(kept, BASE, index_min=1)
    store = KgStore(None)
    write_extractions(store, papers, BASE)
    refresh_derived(store, BASE, index_min=1)
    for graph in paper_graphs(store, iris.paper_iri(BASE, papers[0].record.id)):
        store.drop_graph(graph)
    stale = f"<{BASE}assertion/x/uses/y> <{KG.supportCount}> 7"
    store.update(f"INSERT DATA {{ GRAPH <{iris.derived_graph_iri(BASE).value}> {{ {stale} }} }}")
    refresh_derived(store, BASE, index_min=1, batches=batches)  # writes only the difference
    assert _derived(store) == _derived(kept)


def test_only_entities_in_index_min_papers_get_a_card_index() -> None:
    store = KgStore(None)
    write_extractions(store, [_paper("p:1", "Alpha"), _paper("p:2", "Alpha")], BASE)
    refresh_derived(store, BASE, index_min=3)
    assert not _one(store, "SELECT ?v ?node WHERE { ?node kg:topPaper ?v }", iris.entity_iri(BASE, "x"))
    refresh_derived(store, BASE, index_min=2)
    top = _one(store, "SELECT ?v ?node WHERE { ?node kg:topPaper ?v }", iris.entity_iri(BASE, "x"))
    assert top == sorted(iris.paper_iri(BASE, key).value for key in ("p:1", "p:2"))


def test_batches_of_one_give_the_derived_graph_of_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The derived graph does not depend on the batch sizes: one entity per read, one line per update, and a
    label cache that starts over at every batch."""
    monkeypatch.setattr(derived_module, "LABEL_CACHE", 1)
    whole, batched = KgStore(None), KgStore(None)
    for store, batches in (
        (whole, Batches(entities=10**6, lines=10**9)),
        (batched, Batches(entities=1, lines=1)),
    ):
        write_extractions(store, sample_extractions(), BASE)
        refresh_derived(store, BASE, index_min=1, batches=batches)
    assert _derived(batched) == _derived(whole)
    assert any(q.predicate == ox.NamedNode(str(KG.coLink)) for q in _derived(whole))


def test_each_types_ranking_is_the_head_of_the_full_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """kg:topEntity keeps, per main type, the first RANK_DEPTH entities by papers then label, whatever the
    batches (the top-entities query's answer without ordering every entity); kg:topObject likewise the
    entities the most papers evaluate on (top-benchmarks)."""
    monkeypatch.setattr(derived_module, "RANK_DEPTH", 2)
    store = KgStore(None)
    write_extractions(store, sample_extractions(), BASE)
    refresh_derived(store, BASE, batches=Batches(entities=1, lines=1))
    full = store.query(
        "SELECT ?t ?e WHERE { ?e kg:mainType ?t ; kg:paperCount ?n ; skos:prefLabel ?l } "
        "ORDER BY ?t DESC(?n) ?l"
    )
    expected: dict[str, list[str]] = {}
    for row in full:
        expected.setdefault(row["t"].value, []).append(row["e"].value)
    ranked: dict[str, set[str]] = {}
    for row in store.query("SELECT ?t ?e WHERE { ?t kg:topEntity ?e }"):
        ranked.setdefault(row["t"].value, set()).add(row["e"].value)
    assert len(expected) >= 3 and any(len(order) > 2 for order in expected.values())
    assert ranked == {t: set(order[:2]) for t, order in expected.items()}
    evaluated = store.query(
        "SELECT ?e (COUNT(DISTINCT ?p) AS ?n) (SAMPLE(?label) AS ?l) WHERE { ?p kg:evaluatesOn ?e . "
        "?e skos:prefLabel ?label } GROUP BY ?e ORDER BY DESC(?n) ?l"
    )
    order = [row["e"].value for row in evaluated]
    top = {row["e"].value for row in store.query("SELECT ?e WHERE { kg:evaluatesOn kg:topObject ?e }")}
    assert len(order) > 2 and top == set(order[:2])


def test_an_old_and_a_new_version_of_a_paper_count_once() -> None:
    """An interrupted build can leave two graphs of one paper: counts are over papers, not graphs."""
    papers = sample_extractions()
    once = KgStore(None)
    write_extractions(once, papers, BASE)
    refresh_derived(once, BASE, index_min=1)
    twice = KgStore(None)
    write_extractions(twice, papers, BASE)
    graph = next(iter(paper_graphs(twice, iris.paper_iri(BASE, papers[0].record.id))))
    copy = ox.NamedNode(graph.value + "-old")
    twice.oxigraph.extend(
        [
            ox.Quad(q.subject, q.predicate, q.object, copy)
            for q in twice.oxigraph.quads_for_pattern(None, None, None, graph)
        ]
    )
    refresh_derived(twice, BASE, index_min=1, batches=Batches(entities=2, lines=5))
    assert _derived(twice) == _derived(once)
