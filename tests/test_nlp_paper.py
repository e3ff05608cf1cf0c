"""Paper-level rules: acronym folding, definition splitting, name propagation, type agreement, model trims."""

from __future__ import annotations

from kg.nlp.acronyms import find_definitions
from kg.nlp.candidates import Candidate
from kg.nlp.entities import trim_span
from kg.nlp.gazetteer import load_gazetteer
from kg.nlp.paper import FieldState, fold_acronyms, propagate_names, unify_types
from kg.nlp.sentences import sentence_bounds


def _field(name: str, text: str, spans: list[tuple[str, str, str]]) -> FieldState:
    found = []
    for surface, type_, extractor in spans:
        start = text.index(surface)
        found.append(Candidate(start, start + len(surface), type_, extractor, 0.8))
    return FieldState(name, text, sentence_bounds(text), find_definitions(text), found)


def _spans(field: FieldState) -> list[tuple[str, str, str | None]]:
    return [(field.text[s.start : s.end], s.type, s.acronym) for s in field.spans]


def test_acronym_uses_take_the_long_forms_type_and_key_in_both_fields() -> None:
    title = _field("title", "ReFT for math", [])
    abstract = _field("abstract", "We study Reinforced Fine-Tuning (ReFT). ReFT wins.", [])
    abstract.spans = [Candidate(9, 31, "Method", "acronym", 0.7, "reinforced finetuning")]
    long_forms = fold_acronyms([title, abstract], load_gazetteer())
    assert long_forms == {"reinforced finetuning": "Reinforced Fine-Tuning"}
    assert _spans(title) == [("ReFT", "Method", "ReFT")]
    assert _spans(abstract) == [
        ("Reinforced Fine-Tuning", "Method", None),
        ("ReFT", "Method", "ReFT"),
        ("ReFT", "Method", "ReFT"),
    ]
    assert {s.key for s in abstract.spans} == {"reinforced finetuning"}


def test_a_span_over_a_whole_definition_is_split() -> None:
    abstract = _field(
        "abstract",
        "Large Language Models (LLMs) reason.",
        [("Large Language Models (LLMs)", "Method", "kg_ner")],
    )
    fold_acronyms([abstract], load_gazetteer())
    assert _spans(abstract) == [("Large Language Models", "Method", None), ("LLMs", "Method", "LLMs")]
    abstract = _field(
        "abstract", "Big Language Models (BLMs) reason.", [("Language Models (BLMs)", "Method", "x")]
    )
    fold_acronyms([abstract], load_gazetteer())
    assert _spans(abstract) == [("Big Language Models", "Method", None), ("BLMs", "Method", "BLMs")]


def test_a_modifier_span_does_not_type_the_long_form() -> None:
    abstract = _field(
        "abstract",
        "We use histograms of oriented gradients (HOG) here.",
        [("oriented gradients", "Method", "kg_ner")],
    )
    fold_acronyms([abstract], load_gazetteer())
    assert _spans(abstract) == [("oriented gradients", "Method", None)]
    abstract = _field(
        "abstract",
        "We use a circular Gaussian MRF (CGMRF) here.",
        [("Gaussian MRF", "Method", "kg_ner")],
    )
    fold_acronyms([abstract], load_gazetteer())
    assert _spans(abstract) == [("circular Gaussian MRF", "Method", None), ("CGMRF", "Method", "CGMRF")]


def test_only_the_models_uses_of_a_short_form_type_its_definition() -> None:
    text = "Violations of individual rationality (IR) are rare; IR holds. Gains in IR matter."
    abstract = _field("abstract", text, [])
    use = text.index("IR holds")
    abstract.spans = [Candidate(use, use + 2, "Task", "gazetteer", 0.95, "information retrieval")]
    fold_acronyms([abstract], load_gazetteer())
    assert abstract.spans == []  # the curated "IR" is another entity than this paper's IR
    abstract.spans = [Candidate(use, use + 2, "Method", "kg_ner", 0.8)]
    fold_acronyms([abstract], load_gazetteer())
    assert _spans(abstract) == [
        ("individual rationality", "Method", None),
        ("IR", "Method", "IR"),
        ("IR", "Method", "IR"),
        ("IR", "Method", "IR"),
    ]


def test_curated_short_forms_keep_a_definition_that_words_them_alike() -> None:
    text = "We use Reinforcement Learning with Human Feedback (RLHF). RLHF helps."
    abstract = _field("abstract", text, [])
    use = text.rindex("RLHF")
    key = "reinforcement learning from human feedback"
    abstract.spans = [Candidate(use, use + 4, "Method", "gazetteer", 0.95, key)]
    fold_acronyms([abstract], load_gazetteer())
    assert [(text[s.start : s.end], s.key) for s in abstract.spans] == [("RLHF", key)]


def test_a_curated_long_form_keeps_its_curated_type() -> None:
    text = "We apply Supervised Fine-Tuning (SFT) first. SFT is cheap."
    abstract = _field("abstract", text, [("Supervised Fine-Tuning (SFT)", "Task", "kg_ner")])
    fold_acronyms([abstract], load_gazetteer(), curated=0.95)
    assert _spans(abstract) == [
        ("Supervised Fine-Tuning", "Method", None),
        ("SFT", "Method", "SFT"),
        ("SFT", "Method", "SFT"),
    ]
    assert {s.confidence for s in abstract.spans} == {0.95}


def test_untyped_definitions_add_nothing() -> None:
    abstract = _field("abstract", "Shifts out-of-distribution (OOD) hurt. OOD is hard.", [])
    fold_acronyms([abstract], load_gazetteer())
    assert abstract.spans == []


def test_names_found_once_are_found_everywhere_in_the_paper() -> None:
    title = _field("title", "GeoManip: Constraints for Robots", [("GeoManip", "Method", "rule-title")])
    abstract = _field("abstract", "We present GeoManip. GeoManip-style helps; xGeoManip does not count.", [])
    propagate_names([title, abstract], factor=0.5, min_confidence=0.7)
    assert _spans(abstract) == [("GeoManip", "Method", None), ("GeoManip", "Method", None)]
    assert abstract.spans[0].extractor == "propagated" and abstract.spans[0].confidence == 0.4


def test_types_agree_per_key_by_summed_confidence() -> None:
    text = "RFT helps. RFT again. RFT too."
    spans = [Candidate(0, 3, "Task", "kg_ner", 0.8), Candidate(11, 14, "Method", "kg_ner", 0.8)]
    spans.append(Candidate(22, 25, "Method", "kg_ner", 0.8))
    field = FieldState("abstract", text, sentence_bounds(text), [], spans)
    unify_types([field], {("abstract", s.start): "rft" for s in spans})
    assert [s.type for s in field.spans] == ["Method", "Method", "Method"]


def test_a_stated_kind_settles_the_type_of_its_key() -> None:
    text = "VolDoGer helps. We propose VolDoGer, a dataset. VolDoGer again."
    first, stated, last = (text.index("VolDoGer", i) for i in (0, 1, 30))
    spans = [
        Candidate(first, first + 8, "Method", "kg_ner", 0.8),
        Candidate(stated, stated + 8, "Dataset", "rule-propose", 0.88),
        Candidate(last, last + 8, "Method", "kg_ner", 0.8),
    ]
    field = FieldState("abstract", text, sentence_bounds(text), [], spans)
    keys = {("abstract", s.start): "voldoger" for s in spans}
    unify_types([field], keys, sure=0.85)
    assert [s.type for s in field.spans] == ["Dataset", "Dataset", "Dataset"]
    field.spans = spans
    unify_types([field], keys, sure=0.9)  # nothing sure: the model's two votes win
    assert [s.type for s in field.spans] == ["Method", "Method", "Method"]


def test_a_mention_whose_kind_noun_says_its_type_keeps_it() -> None:
    text = "Visual Question Answering (VQA) is hard. On the VQA dataset, VQA models fail."
    spans = [
        Candidate(0, 25, "Task", "acronym", 0.9),
        Candidate(text.index("VQA dataset"), text.index("VQA dataset") + 11, "Dataset", "kg_ner", 0.8),
        Candidate(text.index("VQA models"), text.index("VQA models") + 3, "Dataset", "kg_ner", 0.8),
    ]
    field = FieldState("abstract", text, sentence_bounds(text), [], spans)
    unify_types([field], {("abstract", s.start): "visual question answering" for s in spans}, sure=0.85)
    assert [s.type for s in field.spans] == ["Task", "Dataset", "Task"]


def test_model_spans_are_trimmed_to_what_annotations_hold() -> None:
    for raw, expected in [
        ("o3-mini-high and", "o3-mini-high"),
        ("Model-Based RL (MBRL", "Model-Based RL"),
        ("the GSM8K benchmark.", "GSM8K benchmark"),
        ("GPQA (Diamond)", "GPQA (Diamond)"),
        # a clause word ends the name, whatever follows it
        ("ROD-TV simultaneously delivers", "ROD-TV"),
        ("Gradient-based Data Diversification Boosts Generalization", "Gradient-based Data Diversification"),
        ("fine-grained matching harder", "fine-grained matching"),
        ("accuracy improves", "accuracy"),
        # after an acronym's parentheses a noun goes on with the name, a verb does not
        ("Foundation Models (FMs) serve", "Foundation Models (FMs)"),
        ("deep mixture of factor analyzers (DMFA) model", "deep mixture of factor analyzers (DMFA) model"),
        # only whole words count: "performance" is no "performs", "less" inside "lossless" no "less"
        ("lossless compression performance", "lossless compression performance"),
    ]:
        start, end = trim_span(raw, 0, len(raw))
        assert raw[start:end] == expected
    assert trim_span(" , ", 0, 3) is None
    # a span that starts with a clause word, or is cut down to one plain word, was no name
    for raw in (
        "even faster",
        "weaker models",
        "Order Matters",
        "Debate Helps Weak-to-Strong Generalization",
    ):
        assert trim_span(raw, 0, len(raw)) is None
    text = "We show that ROD-TV consists of two parts."
    start = text.index("ROD-TV")
    assert trim_span(text, start, start + len("ROD-TV consists")) == (start, start + len("ROD-TV"))


def test_years_and_citations_do_not_propagate() -> None:
    text = "Data of 2010 (Smith & Lee, 2009) and 2010 again; Smith & Lee, 2009 too."
    field = FieldState("abstract", text, sentence_bounds(text), [], [])
    field.spans = [Candidate(8, 12, "Dataset", "kg_ner", 0.8), Candidate(14, 31, "Dataset", "kg_ner", 0.8)]
    propagate_names([field], factor=0.9, min_confidence=0.5)
    assert len(field.spans) == 2


def test_a_name_does_not_propagate_into_a_url() -> None:
    text = "We propose DePT. DePT is fast. Code: https://github.com/Koorye/DePT."
    field = FieldState(
        "abstract", text, sentence_bounds(text), [], [Candidate(11, 15, "Method", "kg_ner", 0.9)]
    )
    propagate_names([field], factor=0.9, min_confidence=0.5)
    assert [text[s.start : s.end] for s in field.spans] == ["DePT", "DePT"]
    assert field.spans[1].start == text.index("DePT is")
