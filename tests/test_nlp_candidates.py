"""The overlap policy between extractors."""

from __future__ import annotations

from kg.nlp.candidates import Candidate, resolve


def test_non_overlapping_spans_are_all_kept_in_order() -> None:
    a, b = Candidate(10, 15, "Method", "kg_ner", 0.8), Candidate(0, 5, "Task", "gazetteer", 0.95)
    assert resolve([a, b]) == [b, a]


def test_curated_short_span_beats_a_longer_model_span() -> None:
    curated = Candidate(0, 8, "Dataset", "gazetteer", 0.95)
    model = Candidate(0, 23, "Task", "kg_ner", 0.8)
    assert resolve([model, curated]) == [curated]
    assert resolve([model, curated], length_weight=0.5) == [model]


def test_longer_span_wins_between_equals() -> None:
    short, long = Candidate(5, 9, "Method", "x", 0.8), Candidate(0, 20, "Method", "y", 0.8)
    assert resolve([short, long]) == [long]


def test_agreeing_extractors_add_confidence() -> None:
    (kept,) = resolve(
        [Candidate(0, 5, "Method", "kg_ner", 0.8), Candidate(0, 5, "Method", "gazetteer", 0.9)],
        agreement_bonus=0.05,
    )
    assert kept.extractor == "gazetteer" and abs(kept.confidence - 0.95) < 1e-9
    (kept,) = resolve([Candidate(0, 5, "Task", "kg_ner", 0.8), Candidate(0, 5, "Method", "gazetteer", 0.9)])
    assert kept.type == "Method" and kept.confidence == 0.9


def test_round_trip_through_plain_tuples() -> None:
    cand = Candidate(3, 9, "Benchmark", "rule-on", 0.7, "gsm8k")
    assert Candidate.from_tuple(list(cand.to_tuple())) == cand


def test_phrase_spans_swallow_what_is_inside_them() -> None:
    curated = Candidate(12, 31, "Task", "gazetteer", 0.95)  # "machine translation"
    phrase = Candidate(0, 31, "Task", "kg_ner", 0.8)  # "statistical machine translation"
    crossing = Candidate(25, 40, "Method", "gazetteer", 0.95)
    assert resolve([curated, phrase]) == [curated]
    assert resolve([curated, phrase], phrases=[phrase]) == [phrase]
    assert resolve([crossing, phrase], phrases=[phrase]) == [crossing]  # only what is inside
