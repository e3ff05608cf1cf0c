"""extract(): records in, Extractions out, with exact offsets into the fields as read."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp import build_pipeline, extract
from kg.nlp.candidates import Candidate
from kg.nlp.extract import PaperSettings, Resources, paper_mentions
from kg.nlp.gazetteer import load_gazetteer, load_words
from kg.nlp.outside import organisation_keys
from kg.nlp.paper import FieldState
from kg.nlp.sentences import sentence_bounds
from kg.types import ENTITY_TYPES, Extraction, Origin, Record

FIXTURES = Path(__file__).parent / "fixtures" / "nlp" / "abstracts.jsonl"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ORGANISATIONS = organisation_keys(load_words("organisations"))


@lru_cache(maxsize=1)
def _nlp():
    return build_pipeline(entity_model="none", claims=False)


def _record(rid: str, title: str, abstract: str) -> Record:
    return Record(id=rid, title=title, abstract=abstract, source="test", origin=Origin("test", 1))


def _fixtures() -> list[dict]:
    return [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]


@lru_cache(maxsize=1)
def _extracted() -> dict[str, Extraction]:
    records = [_record(f["id"], f["title"], f["abstract"]) for f in _fixtures()]
    return {e.record.id: e for e in extract(records, _nlp())}


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda f: f["id"])
def test_expected_mentions_are_found(fixture: dict) -> None:
    extraction = _extracted()[fixture["id"]]
    found = {(m.span.text, m.type, m.span.field) for m in extraction.mentions}
    missing = [tuple(e) for e in fixture["expected"] if tuple(e) not in found]
    assert not missing, f"missing {missing}; found {sorted(found)}"


def test_every_type_is_found() -> None:
    types = {m.type for e in _extracted().values() for m in e.mentions}
    assert types == set(ENTITY_TYPES)


def test_generic_mentions_are_dropped() -> None:
    assert _extracted()["t:generic"].mentions == []


def test_acronyms_fold_into_their_long_form_per_paper() -> None:
    a, b = _extracted()["t:reft-a"], _extracted()["t:reft-b"]
    uses_a = [m for m in a.mentions if m.span.text == "ReFT"]
    uses_b = [m for m in b.mentions if m.span.text == "ReFT"]
    assert uses_a and all(m.key == "reinforced finetuning" and m.acronym == "ReFT" for m in uses_a)
    assert uses_b and all(m.key == "representation finetuning" for m in uses_b)
    assert all(m.merged_by == "acronym" and m.label == "Reinforced Fine-Tuning" for m in uses_a)
    assert [(x.short.text, x.long.text) for x in b.acronyms] == [("ReFT", "Representation Fine-Tuning")]


def test_curated_aliases_share_a_key() -> None:
    a = _extracted()["t:reft-a"]
    (llms,) = [m for m in a.mentions if m.span.text == "LLMs"]
    (long,) = [m for m in a.mentions if m.span.text == "Large Language Models"]
    assert llms.key == long.key == "large language model"


def test_heads_are_kept_in_spans_and_stripped_from_keys() -> None:
    (svamp,) = [m for m in _extracted()["t:reft-a"].mentions if m.span.text == "SVAMP dataset"]
    assert (svamp.key, svamp.label, svamp.merged_by) == ("svamp", "SVAMP", "head-stripped")


def test_a_curated_method_with_a_kind_word_is_that_method() -> None:
    text = "A Transformer model, a fine-tuning approach; a deep learning model and a Foo model stay apart."
    surfaces = ("Transformer model", "fine-tuning approach", "deep learning model", "Foo model")
    spans = [Candidate(text.index(x), text.index(x) + len(x), "Method", "kg_ner", 0.8) for x in surfaces]
    res = Resources(load_gazetteer(), load_words("generic"), ORGANISATIONS, PaperSettings(), claims=False)
    fields = [
        FieldState("title", "", [], [], []),
        FieldState("abstract", text, sentence_bounds(text), [], spans),
    ]
    keys = [(m.span.text, m.key, m.merged_by) for m in paper_mentions(fields, res)]
    assert keys == [
        ("Transformer model", "transformer", "head-stripped"),
        ("fine-tuning approach", "finetuning", "head-stripped"),
        ("deep learning model", "deep learning model", ""),
        ("Foo model", "foo model", ""),
    ]


def test_curated_names_are_never_generic() -> None:
    text = "Pre-training helps domain generalization but not model generalization."
    spans = [
        Candidate(text.index(x), text.index(x) + len(x), type_, "kg_ner", 0.8)
        for x, type_ in (
            ("Pre-training", "Method"),
            ("domain generalization", "Task"),
            ("model generalization", "Task"),
        )
    ]
    res = Resources(load_gazetteer(), load_words("generic"), ORGANISATIONS, PaperSettings(), claims=False)
    fields = [
        FieldState("title", "", [], [], []),
        FieldState("abstract", text, sentence_bounds(text), [], spans),
    ]
    assert [m.span.text for m in paper_mentions(fields, res)] == ["Pre-training", "domain generalization"]


def test_section_labels_of_structured_abstracts_are_not_entities() -> None:
    text = "Background: SGD trains deep networks. Contributions: we find a gap."
    spans = [
        Candidate(text.index(x), text.index(x) + len(x), type_, "kg_ner", 0.8)
        for x, type_ in (("Background", "Dataset"), ("SGD", "Method"), ("Contributions", "Method"))
    ]
    res = Resources(load_gazetteer(), load_words("generic"), ORGANISATIONS, PaperSettings(), claims=False)
    fields = [
        FieldState("title", "", [], [], []),
        FieldState("abstract", text, sentence_bounds(text), [], spans),
    ]
    assert [m.span.text for m in paper_mentions(fields, res)] == ["SGD"]


def test_sentences_and_mention_sentences() -> None:
    extraction = _extracted()["t:stacknet"]
    abstract = [s for s in extraction.sentences if s.field == "abstract"]
    assert [s.text[:12] for s in abstract] == ["We propose S", "Trained on I", "LoRA adds fe"]
    for mention in extraction.mentions:
        start, end = mention.sentence
        assert start <= mention.span.start and mention.span.end <= end


fragments = st.sampled_from(
    [
        "We propose ",
        "StackNet",
        " (SN)",
        "Reinforced Fine-Tuning (ReFT )",
        " on GSM8K",
        " and the MMLU benchmark",
        ", a framework.",
        " Qwen2.5-7B",
        "  ",
        "\n",
        "accuracy",
        " e.g. ",
        "\u2013",
        "caf\u00e9 ",
        "https://github.com/x/GPT-4.",
        " LoRA-based",
        ". ",
        "ReFT",
    ]
)
field_text = st.lists(fragments, max_size=12).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(field_text, field_text), min_size=1, max_size=3))
def test_offsets_are_exact_for_every_mention(fields: list[tuple[str, str]]) -> None:
    records = [_record(f"r{i}", title, abstract) for i, (title, abstract) in enumerate(fields)]
    extractions = list(extract(records, _nlp(), batch_size=2))
    assert [e.record for e in extractions] == records
    for extraction in extractions:
        for mention in extraction.mentions:
            text = getattr(extraction.record, mention.span.field)
            assert text[mention.span.start : mention.span.end] == mention.span.text
            assert mention.type in ENTITY_TYPES and mention.key
        for span in [*extraction.sentences, *(a.short for a in extraction.acronyms)]:
            assert getattr(extraction.record, span.field)[span.start : span.end] == span.text


def test_parallel_workers_give_the_same_result() -> None:
    records = [_record(f["id"], f["title"], f["abstract"]) for f in _fixtures()]
    serial = [e.to_json() for e in extract(records, _nlp())]
    parallel = [e.to_json() for e in extract(records, _nlp(), n_process=2, batch_size=1)]
    assert parallel == serial


def test_progress_is_called_per_record() -> None:
    calls: list[int] = []
    records = [_record(f["id"], f["title"], f["abstract"]) for f in _fixtures()]
    list(extract(records, _nlp(), progress=calls.append))
    assert calls == [1] * len(records)


def test_seed_abstracts_extract_with_valid_offsets() -> None:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent (the shared seeds live in ../shared)")
    from kg.ingest import read_inputs

    records = [r for r in read_inputs(sorted(SEEDS.glob("*.txt"))) if isinstance(r, Record)][:60]
    extractions = list(extract(records, _nlp()))
    assert sum(len(e.mentions) for e in extractions) > 5 * len(records)
    for extraction in extractions:
        for mention in extraction.mentions:
            text = getattr(extraction.record, mention.span.field)
            assert text[mention.span.start : mention.span.end] == mention.span.text


def test_sentence_starts_of_the_input_bound_mentions_and_survive_worker_processes() -> None:
    title = "Sparse Routing Adapters for Parameter-Efficient Fine-Tuning"
    abstract = f"{title} Sparse routing adapters are evaluated on GSM8K. They beat LoRA."
    start = len(title) + 1
    plain = _record("plain", "", abstract)
    hinted = Record(**{**plain.__dict__, "id": "hinted", "sentence_starts": (start,)})
    for n_process in (1, 2):
        by_id = {e.record.id: e for e in extract([plain, hinted], _nlp(), n_process=n_process)}
        assert (0, len(title)) in {m.sentence for m in by_id["hinted"].mentions}
        assert (0, len(title)) not in {m.sentence for m in by_id["plain"].mentions}
        assert all(s.start != start for s in by_id["plain"].sentences)
        assert any(s.start == start for s in by_id["hinted"].sentences)
