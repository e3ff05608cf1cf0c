"""The ontology and shapes: well-formed, documented, and in step with the writer and the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from fixtures.rdf.sample import BASE, sample_store
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.rdf.bundled import ONTOLOGY, SHAPES, ontology_text
from kg.rdf.vocab import KG, OA, PREFIXES, SCHEMA
from kg.store import refresh_derived

ROOT = Path(__file__).resolve().parents[1] / "ontology"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ontology_text(ONTOLOGY), format="turtle")


def _declared(ontology: rdflib.Graph) -> set[str]:
    return {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(KG))}


def test_bundled_files_are_the_ones_in_the_ontology_folder() -> None:
    assert ontology_text(ONTOLOGY) == (ROOT / "kg.ttl").read_text(encoding="utf-8")
    assert ontology_text(SHAPES) == (ROOT / "shapes.ttl").read_text(encoding="utf-8")


def test_header_has_a_version_and_every_term_a_label_and_comment(ontology: rdflib.Graph) -> None:
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert ontology.value(header, OWL.versionInfo) and ontology.value(header, OWL.versionIRI)
    for term in _declared(ontology):
        node = rdflib.URIRef(term)
        assert ontology.value(node, RDFS.label) and ontology.value(node, RDFS.comment), term


def test_classes_are_aligned_to_the_standard_vocabularies(ontology: rdflib.Graph) -> None:
    def parents(cls: rdflib.URIRef) -> set:
        return set(ontology.objects(cls, RDFS.subClassOf))

    assert SCHEMA.ScholarlyArticle in parents(KG.Paper)
    assert SKOS.Concept in parents(KG.Entity)
    assert KG.Dataset in parents(KG.Benchmark)
    assert {OA.Annotation} <= parents(KG.Mention) & parents(KG.Claim)


def test_every_kg_term_the_writer_emits_is_declared(ontology: rdflib.Graph) -> None:
    store = sample_store()
    refresh_derived(store, BASE, index_min=1)  # every entity gets the card index too
    assert any(t.predicate.value == str(KG.coLink) for t in store.triples())
    used = {t.predicate.value for t in store.triples()}
    used |= {t.object.value for t in store.triples() if t.predicate.value == str(RDF.type)}
    used |= {t.object.value for t in store.triples() if t.predicate.value == str(RDF.predicate)}
    assert {u for u in used if u.startswith(str(KG))} <= _declared(ontology)


def test_every_kg_term_the_readme_names_is_declared(ontology: rdflib.Graph) -> None:
    named = set(re.findall(r"`kg:(\w+)`", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert named
    assert {str(KG) + n for n in named} <= _declared(ontology)


def test_shapes_target_declared_classes(ontology: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(data=ontology_text(SHAPES), format="turtle")
    targets = {str(t) for t in shapes.objects(None, SH.targetClass) if str(t).startswith(str(KG))}
    assert targets >= {str(KG) + c for c in ("Paper", "Entity", "Mention", "Claim", "Result", "Assertion")}
    assert targets <= _declared(ontology)
    assert PREFIXES["kg"] == str(KG)
