"""The hand-annotated seed set (pipelines/entities/seedgold.py): placing [text, type] annotations as spans,
and refusing annotations that do not fit the text they name."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.eval import read_gold
from kg.types import Origin, Record
from pipelines.entities import seedgold

PAPER = Record(
    id="title:x",
    title="RFT: Robust Fine-Tuning of LLMs",
    abstract="Robust Fine-Tuning (RFT) lifts OOD accuracy of LLMs and of LLMs-based agents; RFTs differ.",
    source="test",
    origin=Origin("seeds.txt", 1),
)


def _texts(spans, record=PAPER):
    return [(s.field, getattr(record, s.field)[s.start : s.end], s.type) for s in spans]


def test_every_word_bounded_occurrence_in_title_and_abstract_is_placed():
    spans = seedgold.place(PAPER, [["RFT", "Method"], ["LLMs", "Method"]], "f:1")
    assert _texts(spans) == [
        ("title", "RFT", "Method"),
        ("title", "LLMs", "Method"),
        ("abstract", "RFT", "Method"),  # not the "RFT" inside "RFTs"
        ("abstract", "LLMs", "Method"),
        ("abstract", "LLMs", "Method"),  # "LLMs-based": a hyphen bounds a word
    ]


def test_the_longer_of_two_overlapping_entries_wins_and_occurrences_can_be_chosen():
    entries = [["Fine-Tuning", "Method"], ["Robust Fine-Tuning", "Method"], ["OOD accuracy", "Metric", [0]]]
    spans = seedgold.place(PAPER, entries, "f:1")
    assert _texts(spans) == [
        ("title", "Robust Fine-Tuning", "Method"),
        ("abstract", "Robust Fine-Tuning", "Method"),
        ("abstract", "OOD accuracy", "Metric"),
    ]
    only_abstract = seedgold.place(PAPER, [["LLMs", "Method", [2]]], "f:1")
    assert [(s.field, s.start) for s in only_abstract] == [("abstract", PAPER.abstract.rindex("LLMs"))]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (["GSM8K", "Benchmark"], "does not occur"),
        (["RFT", "Material"], "not one of"),
        (["RFT", "Method", [5]], "has no occurrence 5"),
        (["RFT"], "must be \\[text, type\\]"),
    ],
)
def test_bad_entries_name_the_file_and_line(entry, message):
    with pytest.raises(InputError, match=rf"^ann.jsonl:7: .*{message}"):
        seedgold.place(PAPER, [entry], "ann.jsonl:7")


def test_build_writes_gold_that_kg_eval_reads_and_refuses_changed_text(tmp_path, monkeypatch):
    monkeypatch.setattr(seedgold, "seed_papers", lambda shared: {PAPER.id: PAPER})
    line = {"id": PAPER.id, "sha1": seedgold.digest(PAPER), "split": "test", "entities": [["LLMs", "Method"]]}
    gold = tmp_path / "ann.jsonl"
    gold.write_text(json.dumps(line) + "\n")
    assert seedgold.build(tmp_path, gold, tmp_path / "out") == {"dev": 0, "test": 1, "train": 0}
    (doc,) = read_gold(tmp_path / "out" / "seeds_test.jsonl")
    assert [a.field for a in doc.entities] == ["title", "abstract", "abstract"]
    assert doc.record.abstract == PAPER.abstract

    gold.write_text(json.dumps(line | {"sha1": "0" * 40}) + "\n")
    with pytest.raises(InputError, match=r"ann.jsonl:1: the seed text of title:x changed"):
        seedgold.build(tmp_path, gold, tmp_path / "out")


def test_order_is_fixed_by_its_seed_and_keeps_the_evaluation_papers_first():
    papers = {f"id{i}": PAPER for i in range(50)}
    order = seedgold.ordered(papers)
    assert order == seedgold.ordered(papers)
    splits = [split for split, _ in order]
    assert splits == ["dev"] * 20 + ["test"] * 20 + ["train"] * 10
