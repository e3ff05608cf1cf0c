"""graph_stats: distinct nodes per class and distinct edges per relation, checked against the input."""

from __future__ import annotations

from fixtures.rdf.sample import sample_extractions, sample_store

from kg.store import KgStore, graph_stats
from kg.store.stats import CLASSES, RELATIONS
from kg.types import Claim, Extraction


def _about(x: Extraction, c: Claim) -> set[str]:
    """What a claim is about, per the data model: its structured parts and the entities mentioned in it."""
    s = c.span
    inside = {
        m.key for m in x.mentions if m.span.field == s.field and s.start <= m.span.start < m.span.end <= s.end
    }
    parts = {c.subject, *c.baselines, *c.datasets, *c.metrics} - {None}
    return parts | inside


def _expected() -> dict[str, int]:
    """The counts the sample input implies, computed from the Extractions, not from the graph."""
    xs = sample_extractions()
    types: dict[str, set[str]] = {}
    for x in xs:
        for m in x.mentions:
            types.setdefault(m.type, set()).add(m.key)
    edges = {(x.record.id if r.head is None else r.head, r.type, r.tail) for x in xs for r in x.relations}
    return {
        "Paper": len(xs),
        "Entity": len({m.key for x in xs for m in x.mentions}),
        "Mention": len({(x.record.id, m.span, m.key) for x in xs for m in x.mentions}),
        "Claim": len({(x.record.id, c.span) for x in xs for c in x.claims}),
        "Result": sum(len(x.results) for x in xs),
        "Assertion": len({(x.record.id, r.head, r.type, r.tail) for x in xs for r in x.relations}),
        "Value": sum(len(c.values) for x in xs for c in x.claims) + sum(len(x.results) for x in xs),
        **{name: len(keys) for name, keys in types.items()},
        **{f"rel:{rel}": sum(1 for e in edges if e[1] == rel) for rel in RELATIONS[1:7]},
        "rel:mentions": len({(x.record.id, m.key) for x in xs for m in x.mentions}),
        "rel:makesClaim": len({(x.record.id, c.span) for x in xs for c in x.claims}),
        "rel:about": sum(len(_about(x, c)) for x in xs for c in x.claims),
    }


def test_counts_match_what_the_extractions_contain() -> None:
    stats = graph_stats(sample_store())
    expected = _expected()
    found = {**stats["classes"], **{f"rel:{name}": n for name, n in stats["relations"].items()}}
    # Which relations cite a sentence rather than a claim is the writer's own decision: not derived here.
    assert set(found) - set(expected) == {"Sentence"}
    assert {name: found[name] for name in expected} == expected
    assert stats["store"]["paper graphs"] == expected["Paper"]


def test_every_class_and_relation_is_listed_even_in_an_empty_store() -> None:
    stats = graph_stats(KgStore(None))
    assert list(stats["classes"]) == list(CLASSES)
    assert list(stats["relations"]) == list(RELATIONS)
    assert set(stats["classes"].values()) == set(stats["relations"].values()) == {0}
    assert stats["store"] == {"triples": 0, "paper graphs": 0}


def test_triples_shared_by_papers_are_counted_once() -> None:
    store = sample_store()
    stats = graph_stats(store)
    assert stats["store"]["triples"] == len(store.triples())
    assert stats["store"]["triples"] < len(list(store.oxigraph.quads_for_pattern(None, None, None)))
