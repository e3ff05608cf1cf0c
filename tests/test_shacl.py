"""SHACL validation: a graph built by the writer conforms; each kind of broken graph does not."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from fixtures.rdf.sample import BASE, reft_paper, sample_store

from kg.store import KgStore, refresh_derived, validate, write_extractions
from kg.types import Extraction, Span


def _built(*extractions: Extraction) -> KgStore:
    store = KgStore(None)
    write_extractions(store, extractions, BASE)
    refresh_derived(store, BASE)
    return store


def test_the_sample_graph_conforms() -> None:
    conforms, report = validate(sample_store())
    assert conforms, report


def test_without_the_derived_graph_entities_lack_their_preferred_label() -> None:
    store = KgStore(None)
    write_extractions(store, [reft_paper()], BASE)
    conforms, report = validate(store)
    assert not conforms
    assert "preferred label" in report


def _empty_mention(x: Extraction) -> None:
    m = x.mentions[1]
    x.mentions[1] = dataclasses.replace(m, span=Span(m.span.start, m.span.start, "", m.span.field))


def _unknown_claim_kind(x: Extraction) -> None:
    x.claims[0] = dataclasses.replace(x.claims[0], kind="opinion")  # type: ignore[arg-type]


def _unknown_field(x: Extraction) -> None:
    m = x.mentions[1]
    x.mentions[1] = dataclasses.replace(m, span=dataclasses.replace(m.span, field="body"))  # type: ignore[arg-type]


def _shifted_offsets(x: Extraction) -> None:
    c = x.claims[0]
    x.claims[0] = dataclasses.replace(c, span=dataclasses.replace(c.span, start=c.span.start + 1))


def _confidence_above_one(x: Extraction) -> None:
    x.mentions[1] = dataclasses.replace(x.mentions[1], confidence=1.5)


def _reversed_value_range(x: Extraction) -> None:
    value = dataclasses.replace(x.claims[0].values[0], low=10.0, high=1.0)
    x.claims[0] = dataclasses.replace(x.claims[0], values=(value,))


def _unknown_entity_type(x: Extraction) -> None:
    x.mentions[1] = dataclasses.replace(x.mentions[1], type="Model")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("breakage", "in_report"),
    [
        (_unknown_entity_type, "entity's types"),
        (_empty_mention, "kg:start"),
        (_unknown_claim_kind, "kg:kind"),
        (_unknown_field, "kg:field"),
        (_shifted_offsets, "offsets select"),
        (_confidence_above_one, "kg:confidence"),
        (_reversed_value_range, "kg:low"),
    ],
)
def test_a_broken_extraction_gives_a_graph_that_does_not_conform(
    breakage: Callable[[Extraction], None], in_report: str
) -> None:
    x = reft_paper()
    breakage(x)
    conforms, report = validate(_built(x))
    assert not conforms
    assert in_report in report


def test_two_keys_on_one_entity_node_are_reported() -> None:
    store = sample_store()
    store.update("INSERT { GRAPH ?g { ?e kg:key 'another key' } } WHERE { GRAPH ?g { ?e kg:key 'gsm8k' } }")
    conforms, report = validate(store)
    assert not conforms
    assert "exactly one canonical key" in report
