"""One Extraction -> triples: deterministic, traceable to characters, and every part of the data model."""

from __future__ import annotations

import dataclasses
import random
import re

import pyoxigraph as ox
from fixtures.rdf.sample import BASE, cot_paper, reft_paper, sample_extractions, span, translation_paper
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.rdf import iris
from kg.rdf.triples import paper_triples
from kg.rdf.vocab import PREFIXES
from kg.types import Claim, Extraction, Mention, Origin, Record, Relation, Span


def _graph(extraction: Extraction) -> ox.Store:
    store = ox.Store()
    _, triples = paper_triples(extraction, BASE)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def _values(store: ox.Store, sparql: str, **bindings: ox.NamedNode | ox.Literal) -> list[str]:
    """The first projected variable of ``sparql`` over ``store``, as sorted strings.

    Oxigraph wants pre-bound variables projected, so they are added after the first one.
    """
    subs = {ox.Variable(k): v for k, v in bindings.items()} or None
    projected = re.sub(
        r"^SELECT (\?\w+)", lambda m: " ".join([m.group(0), *("?" + k for k in bindings)]), sparql
    )
    rows = store.query(projected, prefixes=PREFIXES, substitutions=subs)
    return sorted(row[0].value for row in rows)


def test_same_extraction_gives_the_same_graph_name_and_triples() -> None:
    assert paper_triples(reft_paper(), BASE) == paper_triples(reft_paper(), BASE)


def test_order_of_mentions_claims_and_relations_does_not_matter() -> None:
    x = reft_paper()
    shuffled = dataclasses.replace(x)
    for name in ("mentions", "claims", "relations", "results"):
        items = list(getattr(x, name))
        random.Random(7).shuffle(items)
        setattr(shuffled, name, items)
    assert paper_triples(shuffled, BASE) == paper_triples(x, BASE)


def test_any_change_gives_another_graph_name() -> None:
    name, _ = paper_triples(reft_paper(), BASE)
    changed, _ = paper_triples(reft_paper(" More text."), BASE)
    other_base, _ = paper_triples(reft_paper(), "https://example.org/kg/")
    assert len({name, changed, other_base}) == 3
    assert name.value.startswith(BASE + "graph/paper/")


def test_triples_are_sorted_and_unique() -> None:
    _, triples = paper_triples(cot_paper(), BASE)
    texts = [str(t) for t in triples]
    assert texts == sorted(set(texts))


def test_mention_is_an_annotation_with_its_paper_offsets_sentence_and_provenance() -> None:
    x = reft_paper()
    gsm8k = next(m for m in x.mentions if m.key == "gsm8k")
    store = _graph(x)
    node = iris.mention_iri(BASE, x.record.id, gsm8k.span, "gsm8k")
    query = "SELECT ?v WHERE { ?m %s ?v }"
    assert _values(store, query % "oa:hasBody", m=node) == [iris.entity_iri(BASE, "gsm8k").value]
    assert _values(store, query % "kg:inPaper", m=node) == [iris.paper_iri(BASE, x.record.id).value]
    assert _values(store, query % "kg:field", m=node) == ["abstract"]
    assert _values(store, query % "kg:start", m=node) == [str(gsm8k.span.start)]
    assert _values(store, query % "kg:end", m=node) == [str(gsm8k.span.end)]
    assert x.record.abstract[gsm8k.span.start : gsm8k.span.end] == gsm8k.span.text
    assert _values(store, query % "kg:sentenceStart", m=node) == [str(gsm8k.sentence[0])]
    assert _values(store, query % "kg:confidence", m=node) == [str(gsm8k.confidence)]
    assert _values(store, query % "prov:wasAttributedTo/rdfs:label", m=node) == [gsm8k.extractor]


def test_entity_carries_key_types_alt_labels_acronym_and_one_label_per_paper() -> None:
    x = reft_paper()
    store = _graph(x)
    reft = iris.entity_iri(BASE, "reft")
    assert _values(store, "SELECT ?k WHERE { ?e kg:key ?k }", e=reft) == ["reft"]
    assert _values(store, "SELECT ?a WHERE { ?e kg:acronym ?a }", e=reft) == ["ReFT"]
    surfaces = {m.span.text for m in x.mentions if m.key == "reft"} | {"Reinforced Fine-Tuning"}
    assert _values(store, "SELECT ?a WHERE { ?e skos:altLabel ?a }", e=reft) == sorted(surfaces)
    assert _values(store, "SELECT ?l WHERE { ?e kg:label ?l }", e=reft) == ["Reinforced Fine-Tuning"]
    types = _values(store, "SELECT ?t WHERE { ?e a ?t }", e=reft)
    assert types == sorted(PREFIXES["kg"] + t for t in ("Entity", "Method"))
    mentioned = _values(store, "SELECT ?e WHERE { ?p kg:mentions ?e }")
    assert mentioned == sorted({iris.entity_iri(BASE, m.key).value for m in x.mentions})


def test_label_is_the_one_most_mentions_use() -> None:
    x = cot_paper()
    labels = [m.label for m in x.mentions if m.key == "chain-of-thought prompting"]
    store = _graph(x)
    node = iris.entity_iri(BASE, "chain-of-thought prompting")
    chosen = _values(store, "SELECT ?l WHERE { ?e kg:label ?l }", e=node)
    assert chosen == [max(set(labels), key=labels.count)]


def test_claim_parts_link_to_entities_and_the_claim_is_about_what_it_mentions() -> None:
    x = reft_paper()
    claim = next(c for c in x.claims if c.kind == "comparison")
    store = _graph(x)
    node = iris.claim_iri(BASE, x.record.id, claim.span)
    entity = iris.entity_iri
    assert _values(store, "SELECT ?v WHERE { ?c kg:subject ?v }", c=node) == [entity(BASE, "reft").value]
    assert _values(store, "SELECT ?v WHERE { ?c kg:baseline ?v }", c=node) == [
        entity(BASE, "supervised fine-tuning").value
    ]
    inside = {m.key for m in x.mentions if claim.span.start <= m.span.start < claim.span.end}
    assert _values(store, "SELECT ?v WHERE { ?c kg:about ?v }", c=node) == sorted(
        entity(BASE, k).value for k in inside
    )
    assert _values(store, "SELECT ?v WHERE { ?c kg:value/kg:unit ?v }", c=node) == ["%"]
    assert _values(store, "SELECT ?v WHERE { ?c kg:direction ?v }", c=node) == ["better"]
    assert _values(store, "SELECT ?v WHERE { ?c kg:hedged ?v }", c=node) == ["false"]


def test_relation_keeps_the_plain_edge_and_an_assertion_citing_its_claim_or_sentence() -> None:
    x = reft_paper()
    store = _graph(x)
    paper = iris.paper_iri(BASE, x.record.id)
    reft, sft = iris.entity_iri(BASE, "reft"), iris.entity_iri(BASE, "supervised fine-tuning")
    assert store.query("ASK { ?p kg:proposes ?e }", prefixes=PREFIXES, substitutions=_subs(p=paper, e=reft))
    assert store.query("ASK { ?a kg:outperforms ?b }", prefixes=PREFIXES, substitutions=_subs(a=reft, b=sft))
    evidence = """SELECT ?ev WHERE { ?x rdf:subject ?s ; rdf:predicate ?r ; prov:wasDerivedFrom ?ev }"""
    beats = _values(store, evidence, s=reft, r=ox.NamedNode(PREFIXES["kg"] + "outperforms"))
    claim = next(c for c in x.claims if c.kind == "comparison")
    assert beats == [iris.claim_iri(BASE, x.record.id, claim.span).value]
    proposes = _values(store, evidence, s=paper, r=ox.NamedNode(PREFIXES["kg"] + "proposes"))
    assert proposes == [iris.sentence_iri(BASE, x.record.id, x.sentences[0]).value]
    assert _values(
        store, "SELECT ?t WHERE { ?s a kg:Sentence ; kg:text ?t }", s=ox.NamedNode(proposes[0])
    ) == [x.sentences[0].text]


def _subs(**terms: ox.NamedNode) -> dict[ox.Variable, ox.NamedNode]:
    return {ox.Variable(k): v for k, v in terms.items()}


def test_result_is_an_n_ary_node_derived_from_its_claim() -> None:
    x = translation_paper()
    (result,) = x.results
    store = _graph(x)
    rows = list(
        store.query(
            "SELECT ?m ?b ?metric ?low ?claim WHERE { ?r a kg:Result ; kg:method ?m ; kg:benchmark ?b ; "
            "kg:metric ?metric ; kg:value/kg:low ?low ; prov:wasDerivedFrom ?claim }",
            prefixes=PREFIXES,
        )
    )
    assert [[t.value for t in row] for row in rows] == [
        [
            iris.entity_iri(BASE, result.method).value,
            iris.entity_iri(BASE, result.benchmark).value,
            iris.entity_iri(BASE, result.metric).value,
            str(result.value.low),
            iris.claim_iri(BASE, x.record.id, result.claim).value,
        ]
    ]


def test_paper_metadata_with_typed_date_and_unusable_values_left_out() -> None:
    x = reft_paper()
    store = _graph(x)
    paper = iris.paper_iri(BASE, x.record.id)
    rows = store.query(
        "SELECT ?d ?p WHERE { ?p dcterms:date ?d }", prefixes=PREFIXES, substitutions=_subs(p=paper)
    )
    assert next(rows)[0] == ox.Literal(x.record.date, datatype=ox.NamedNode(PREFIXES["xsd"] + "date"))
    assert _values(store, "SELECT ?a WHERE { ?p dcterms:creator ?a }", p=paper) == sorted(x.record.authors)
    odd = dataclasses.replace(x.record, date="March 2023", url="not a url")
    store = _graph(Extraction(odd))
    assert _values(store, "SELECT ?u WHERE { ?p schema:url ?u }", p=paper) == []
    assert _values(
        store, "SELECT ?d WHERE { ?p dcterms:date ?d FILTER(DATATYPE(?d) = xsd:string) }", p=paper
    ) == ["March 2023"]


def test_keys_named_only_by_claims_or_relations_still_get_a_labelled_entity() -> None:
    record = Record("arxiv:1", "T", "Alpha beats Beta.", "jsonl", Origin("f", 1))
    sentence = Span(0, 17, "Alpha beats Beta.", "abstract")
    x = Extraction(record, claims=[Claim(sentence, "comparison", 0.5, "alpha", ("beta",))])
    x.relations = [Relation("outperforms", "alpha", "beta", sentence)]
    store = _graph(x)
    beta = iris.entity_iri(BASE, "beta")
    assert _values(store, "SELECT ?l WHERE { ?e kg:label ?l }", e=beta) == ["beta"]
    assert _values(store, "SELECT ?p WHERE { ?p kg:mentions ?e }", e=beta) == [
        iris.paper_iri(BASE, "arxiv:1").value
    ]


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=20), st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_any_record_key_and_entity_keys_give_valid_triples_and_one_node_per_key(
    record_key: str, entity_keys: list[str]
) -> None:
    abstract = " ".join(entity_keys) + " ."
    record = Record(record_key, "", abstract, "jsonl", Origin("f", 1))
    mentions = [
        Mention(Span(0, 1, abstract[:1], "abstract"), "Method", k, k or "?", (0, 1), "t", 0.5)
        for k in entity_keys
    ]
    _, triples = paper_triples(Extraction(record, mentions=mentions), BASE)
    entities = {t.subject for t in triples if t.predicate.value == PREFIXES["kg"] + "key"}
    assert len(entities) == len(set(entity_keys))


def test_every_sample_paper_converts() -> None:
    names = [paper_triples(x, BASE)[0] for x in sample_extractions()]
    assert len(set(names)) == len(names)
    assert span("abc abc", "abc", nth=1) == Span(4, 7, "abc", "abstract")
