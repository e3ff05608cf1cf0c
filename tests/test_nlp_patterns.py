"""Rule patterns and name boundaries."""

from __future__ import annotations

import pytest

from kg.nlp.candidates import Candidate
from kg.nlp.gazetteer import load_words
from kg.nlp.names import extend_name, in_url, is_strong_name
from kg.nlp.patterns import DEFAULT_CONFIDENCE, find_patterns, title_name, without_title_verb
from kg.nlp.sentences import sentence_bounds

GENERIC = load_words("generic")


def _found(text: str, include_head: bool = True) -> set[tuple[str, str, str]]:
    cands = find_patterns(text, sentence_bounds(text), GENERIC, include_head=include_head)
    return {(text[c.start : c.end], c.type, c.extractor) for c in cands}


def test_kind_words_after_names() -> None:
    found = _found("Results on the KITTI and Foo-2 benchmarks, and on the BarSet dataset.")
    assert ("Foo-2 benchmarks", "Benchmark", "rule-head") in found
    assert ("KITTI", "Benchmark", "rule-head") in found
    assert ("BarSet dataset", "Dataset", "rule-head") in found
    assert ("BarSet", "Dataset", "rule-head") in _found("We release the BarSet dataset.", include_head=False)


def test_names_after_on() -> None:
    found = {(t, x) for t, _, x in _found("We evaluate on ZooBench, QuuxQA and FooSet2. It relies on GRUX.")}
    assert {("ZooBench", "rule-on"), ("QuuxQA", "rule-on"), ("FooSet2", "rule-on")} <= found
    assert ("GRUX", "rule-on") not in found  # "relies on" introduces a method, not a benchmark


def test_generic_acronyms_are_not_names() -> None:
    assert not any(x == "rule-on" for _, _, x in _found("Models fail on OOD data and on AI."))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("We propose GeoManip, a framework for robots.", ("GeoManip", "Method")),
        ("We introduce WildBenchX, a new benchmark of hard prompts.", ("WildBenchX", "Benchmark")),
        ("We present a new benchmark called PuzzleSet.", ("PuzzleSet", "Benchmark")),
        ("We further propose a novel method, StackNet, that stacks images.", ("StackNet", "Method")),
        ("We release FooCorpus, a dataset of 10k dialogues.", ("FooCorpus", "Dataset")),
        (
            "We study batches and present an algorithm named Ghost Norm, which helps.",
            ("Ghost Norm", "Method"),
        ),
    ],
)
def test_proposed_names(sentence: str, expected: tuple[str, str]) -> None:
    assert (*expected, "rule-propose") in _found(sentence)


def test_apposition_and_shape() -> None:
    found = _found(
        "In practice ImageStacker, a simple yet effective method, helps. CIF-Bench is hard. ECInstruct helps."
    )
    assert ("ImageStacker", "Method", "rule-apposition") in found
    assert ("CIF-Bench", "Benchmark", "rule-shape") in found
    assert ("ECInstruct", "Dataset", "rule-shape") in found


def test_title_case_text_needs_strong_names() -> None:
    found = {text for text, _, _ in _found("GeniL: A Multilingual Dataset on Generalizing Language")}
    assert found == {"GeniL"}  # "Multilingual" is capitalised only because it is in a title


def test_bracketed_acronym_is_not_part_of_a_proposed_name() -> None:
    found = _found("We propose Domain-specific Risk Minimization (DRM) for this.")
    assert ("Domain-specific Risk Minimization", "Method", "rule-propose") in found


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Enigmata: Scaling Logical Reasoning in Large Language Models", ("Enigmata", "Method")),
        ("WildIFEval: Instruction Following in the Wild", ("WildIFEval", "Benchmark")),
        ("GeniL: A Multilingual Dataset on Generalizing Language", ("GeniL", "Dataset")),
        ("PoseKit: Benchmarking Pose Estimation", ("PoseKit", "Benchmark")),
        ("In Search of the Successful Interpolation: On the Role of Sharpness", None),
        ("Data Factors for Better Compositional Generalization", None),
    ],
)
def test_title_name(title: str, expected: tuple[str, str] | None) -> None:
    cand = title_name(title, 0.7, 0.85)
    assert (None if cand is None else (title[cand.start : cand.end], cand.type)) == expected


@pytest.mark.parametrize(
    "text, hit, expected",
    [
        ("Qwen2.5-32B-Instruct wins", "Qwen", "Qwen2.5-32B-Instruct"),
        ("we use R1-Distill-Qwen-7B here", "Qwen", "R1-Distill-Qwen-7B"),
        ("o3-mini-high is", "o3", "o3-mini-high"),
        ("BERT-base and", "BERT", "BERT-base"),
        ("Tiny-ImageNet and", "ImageNet", "Tiny-ImageNet"),
        ("LLM-based agents", "LLM", "LLM"),
        ("CLIP-like models", "CLIP", "CLIP"),
        ("Mistral-7B-Instruct-v0.2.", "Mistral", "Mistral-7B-Instruct-v0.2"),
    ],
)
def test_extend_name(text: str, hit: str, expected: str) -> None:
    start = text.index(hit)
    family = hit in ("Qwen", "Mistral")
    s, e = extend_name(text, start, start + len(hit), family=family)
    assert text[s:e] == expected


def test_urls_and_strong_names() -> None:
    text = "see https://github.com/x/GPT-4-repo and GPT-4."
    assert in_url(text, text.index("GPT-4"), text.index("GPT-4") + 5)
    assert not in_url(text, text.rindex("GPT-4"), text.rindex("GPT-4") + 5)
    assert all(is_strong_name(w) for w in ["ImageNet", "MMLU", "LoRA", "GSM8K", "T5", "o1"])
    assert not any(is_strong_name(w) for w in ["7B", "3D", "Enigmata", "A", "the"])


def test_capitalised_adjectives_are_not_proposed_names() -> None:
    found = _found(
        "We propose Bayesian optimization for tuning. The gains are large.improvements.The datasets."
    )
    assert not {x for x in found if x[2] in ("rule-propose", "rule-head")}


def test_colon_apposition_gives_the_kind() -> None:
    assert ("VolDoGer", "Dataset", "rule-propose") in _found(
        "To address this, we propose VolDoGer: Vision-Language Dataset for Domain Generalization."
    )


def test_names_given_as_examples_of_a_kind() -> None:
    found = _found(
        "It hardens reasoning benchmarks such as RuleTaker and ProofWriterX, and models like GPT-4."
    )
    assert {
        ("RuleTaker", "Benchmark", "rule-example"),
        ("ProofWriterX", "Benchmark", "rule-example"),
    } <= found
    assert ("GPT-4", "Method", "rule-example") in found
    assert not any(x == "rule-example" for _, _, x in _found("Tasks such as reasoning remain hard."))


def _confidence(text: str, surface: str, extractor: str) -> float:
    cands = find_patterns(text, sentence_bounds(text), GENERIC)
    return next(c.confidence for c in cands if text[c.start : c.end] == surface and c.extractor == extractor)


def test_a_stated_kind_is_surer_than_a_default() -> None:
    stated = _confidence("We introduce FooSet, a dataset of dialogues.", "FooSet", "rule-propose")
    default = _confidence("We introduce FooNet to align images.", "FooNet", "rule-propose")
    assert stated == DEFAULT_CONFIDENCE["propose-kind"] > default == DEFAULT_CONFIDENCE["propose"]


def test_one_name_before_a_plural_kind_word_is_less_sure() -> None:
    text = "Results on DG benchmarks improve, as on the KITTI and FooSet benchmarks."
    assert _confidence(text, "DG benchmarks", "rule-head") == DEFAULT_CONFIDENCE["head-plural"]
    assert _confidence(text, "KITTI", "rule-head") == DEFAULT_CONFIDENCE["head"]
    assert (
        _confidence("We use the FooSet benchmark.", "FooSet benchmark", "rule-head")
        == DEFAULT_CONFIDENCE["head"]
    )


def test_a_proposing_verb_needs_we_as_its_subject() -> None:
    assert not any(x == "rule-propose" for _, _, x in _found("Models train and present FooNet to users."))


@pytest.mark.parametrize(
    "title, surface, expected",
    [
        (
            "Evaluating Prompt-based Question Answering for X",
            "Evaluating Prompt-based Question Answering",
            "Prompt-based Question Answering",
        ),
        ("Benchmarking Large Language Models", "Benchmarking Large Language Models", "Large Language Models"),
        ("Learning Rate Schedules Matter", "Learning Rate Schedules", None),  # not a research verb
        ("Scaling Laws", "Scaling", None),  # the verb alone is left to the model
    ],
)
def test_title_spans_lose_their_research_verb(title: str, surface: str, expected: str | None) -> None:
    start = title.index(surface)
    trimmed = without_title_verb(title, Candidate(start, start + len(surface), "Task", "kg_ner", 0.8))
    assert (title[trimmed.start : trimmed.end] if trimmed else None) == expected
