"""`kg lookup`: name resolution (exact, normalised, acronym, fuzzy, typed) and the entity card."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from fixtures.query.helpers import ENTITY, add_trig, invoke, small_store

from kg.errors import NotFoundError
from kg.query.cache import cache_path
from kg.query.card import entity_card, format_card
from kg.query.lookup import LabelIndex, normalise, resolve_one
from kg.store import KgStore


@pytest.fixture(scope="module")
def store():
    return small_store()


@pytest.fixture(scope="module")
def index(store):
    return LabelIndex.from_store(store)


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("lookup") / "store"
    small_store(path)
    return path


def labels(resolution) -> list[str]:
    return [c.entity.label for c in resolution.candidates]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("GSM8K", "GSM8K"),
        ("gsm-8k", "GSM8K"),  # case and punctuation do not matter
        ("CoT", "Chain-of-Thought prompting"),  # acronym
        ("chain of thought", "Chain-of-Thought prompting"),  # surface form
        ("self consistancy", "Self-Consistency"),  # typo, fuzzy
        ("ImageNet-1k", "ImageNet"),
        (ENTITY + "svamp", "SVAMP"),  # an IRI names its node
    ],
)
def test_names_resolve_to_one_entity(index, name, label):
    resolution = index.resolve(name)
    assert resolution.status == "found" and labels(resolution) == [label]


def test_equally_good_matches_are_ambiguous(index):
    fine_tuning = index.resolve("fine-tuning")
    assert fine_tuning.status == "ambiguous" and len(fine_tuning.candidates) == 4
    rft = index.resolve("RFT")
    assert rft.status == "ambiguous"
    assert set(labels(rft)) == {"Robust Fine-Tuning", "Rejection sampling Fine-Tuning"}
    assert {c.matched for c in rft.candidates} == {"RFT"} and {c.score for c in rft.candidates} == {100.0}


def test_type_narrows_the_match_and_dataset_includes_benchmarks(index):
    assert index.resolve("math").status == "ambiguous"  # MathQA and the task
    assert labels(index.resolve("math", "benchmark")) == ["MathQA"]
    assert labels(index.resolve("gsm8k", "Dataset")) == ["GSM8K"]
    assert index.resolve("gsm8k", "Method").status == "unknown"
    with pytest.raises(NotFoundError, match="unknown entity type"):
        index.resolve("gsm8k", "Gadget")


def test_unknown_names_suggest_the_closest_or_nothing(index):
    near = index.resolve("GSM9K")
    assert near.status == "unknown" and labels(near)[0] == "GSM8K"
    assert index.resolve("xyzzy").candidates == ()
    with pytest.raises(NotFoundError, match="closest: GSM8K"):
        resolve_one(index, "GSM9K")
    with pytest.raises(NotFoundError, match=r"ambiguous: .*Robust Fine-Tuning"):
        resolve_one(index, "RFT")


def test_normalise_keeps_letters_and_digits_only():
    assert normalise("GSM-8K") == normalise("gsm 8k") == "gsm8k"
    assert normalise("Über_Net") == "übernet"


def test_card_gathers_names_papers_relations_and_claims(store, index):
    card = entity_card(store, index, resolve_one(index, "GSM8K"), limit=2)
    assert card.entity.types == ("Benchmark",) and card.alt_labels == ("GSM-8K",) and card.key == "gsm8k"
    assert card.paper_count == 3 and len(card.top_papers) == 2
    assert [p.date for p in card.top_papers] == ["2024-01-17", "2022-03-21"]  # newest first
    assert [(r.entity.label, r.papers) for r in card.related["evaluatesOn"]] == [("SVAMP", 2), ("MathQA", 1)]
    assert {r.entity.label for r in card.related["proposes"]} <= {
        "Reinforced Fine-Tuning",
        "Self-Consistency",
        "Rejection sampling Fine-Tuning",
    }
    assert len(card.claims) == 2 and "GSM8K" in card.claims[0].text


def test_card_puts_proposing_papers_first_and_shows_outperforms_both_ways(store, index):
    reft = entity_card(store, index, resolve_one(index, "ReFT"))
    assert reft.acronyms == ("ReFT",) and reft.top_papers[0].relations == ("proposes",)
    assert [(r.entity.label, r.papers) for r in reft.related["outperforms"]] == [
        ("Supervised Fine-Tuning", 1)
    ]
    sft = entity_card(store, index, resolve_one(index, "SFT"))
    assert [r.entity.label for r in sft.related["outperformed by"]] == ["Reinforced Fine-Tuning"]
    text = format_card(reft)
    assert (
        text.startswith("Reinforced Fine-Tuning  (Method)")
        and "outperforms: Supervised Fine-Tuning (1)" in text
    )


def test_cli_shows_a_card_as_text_and_json(disk_store):
    text = invoke(disk_store, "lookup", "gsm-8k")
    assert text.exit_code == 0 and text.output.startswith("GSM8K  (Benchmark)") and "papers: 3" in text.output
    data = json.loads(invoke(disk_store, "lookup", "CoT", "--format", "json", "--limit", "1").output)
    assert data["status"] == "found" and data["entity"]["label"] == "Chain-of-Thought prompting"
    assert len(data["entity"]["claims"]) == 1 and data["entity"]["paper_count"] == 1


def test_cli_lists_candidates_for_an_ambiguous_name(disk_store):
    text = invoke(disk_store, "lookup", "RFT")
    assert text.exit_code == 0 and "matches 2 entities" in text.output and "Robust Fine-Tuning" in text.output
    data = json.loads(invoke(disk_store, "lookup", "RFT", "--format", "json").output)
    assert data["status"] == "ambiguous" and len(data["candidates"]) == 2
    narrowed = invoke(disk_store, "lookup", "fine-tuning", "--type", "Method")
    assert "matches 4 entities" in narrowed.output


def test_cli_unknown_name_exits_not_found_with_a_suggestion(disk_store):
    result = invoke(disk_store, "lookup", "GSM9K")
    assert result.exit_code == NotFoundError.exit_code and "closest: GSM8K" in result.output


def test_lookup_works_on_a_graph_built_by_the_real_writer():
    from fixtures.rdf.sample import sample_store

    built = sample_store()
    built_index = LabelIndex.from_store(built)
    assert labels(built_index.resolve("uber net")) == ["Über-Net"]
    card = entity_card(built, built_index, resolve_one(built_index, "ReFT"))
    assert card.acronyms == ("ReFT",) and "Reinforced Fine-Tuning" in card.alt_labels
    assert [r.entity.label for r in card.related["outperforms"]] == ["supervised fine-tuning"]
    gsm8k = resolve_one(built_index, "GSM8K")
    assert set(gsm8k.types) == {"Benchmark", "Dataset"}  # papers disagree; both types are kept


def test_lookup_does_not_import_spacy_or_networkx(disk_store):
    script = (
        "import sys\n"
        "from fixtures.query.helpers import invoke\n"
        f"result = invoke({str(disk_store)!r}, 'lookup', 'GSM8K')\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('spacy', 'networkx') if m in sys.modules))\n"
    )
    tests_dir = Path(__file__).parent
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tests_dir, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_labels_are_cached_beside_the_store_until_it_changes(tmp_path):
    small_store(tmp_path / "store")
    store = KgStore(tmp_path / "store", read_only=True)  # as `kg lookup` opens it
    assert labels(LabelIndex.from_store(store).resolve("GSM8K")) == ["GSM8K"]
    cache = cache_path(store, "labels")
    data = json.loads(cache.read_text())
    gsm8k = next(row for row in data["document"]["entities"] if row[0] == ENTITY + "gsm8k")
    gsm8k[3].append(["Grade School Maths", "gradeschoolmaths", "grade school maths"])
    cache.write_text(json.dumps(data))
    assert labels(LabelIndex.from_store(store).resolve("grade school maths")) == [
        "GSM8K"
    ]  # read from the cache
    writer = KgStore(tmp_path / "store")
    add_trig(writer, "g:new { e:gsm8k skos:altLabel 'GSM 8k v2' }")
    del writer  # closed, as a build is before the next lookup
    rebuilt = LabelIndex.from_store(KgStore(tmp_path / "store", read_only=True))
    assert rebuilt.resolve("grade school maths").status == "unknown"
    assert labels(rebuilt.resolve("GSM 8k v2")) == ["GSM8K"]


def test_a_card_from_the_card_index_is_the_live_card(monkeypatch):
    from fixtures.rdf.sample import BASE, sample_store

    from kg.query import card
    from kg.query.card import INDEXED
    from kg.query.sparql import select
    from kg.store import derived, refresh_derived

    # an index two deep, so that which papers, claims and entities it keeps matters for the sample papers
    monkeypatch.setattr(derived, "CARD_DEPTH", 2)
    monkeypatch.setattr(card, "CARD_DEPTH", 2)
    live = sample_store()  # its entities are in too few papers for a card index
    indexed = sample_store()
    refresh_derived(indexed, BASE, index_min=1)
    live_index, indexed_index = LabelIndex.from_store(live), LabelIndex.from_store(indexed)
    assert not select(live, "SELECT ?e WHERE { ?e kg:coLink ?x }").rows
    used = 0
    for iri, entity in indexed_index.entities.items():
        used += bool(select(indexed, INDEXED, {"entity": ox.NamedNode(iri)}).rows)
        for limit in (1, 2):
            expected = entity_card(live, live_index, live_index.entities[iri], limit=limit)
            assert entity_card(indexed, indexed_index, entity, limit=limit) == expected, (iri, limit)
    assert used > 1
