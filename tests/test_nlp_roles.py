"""Dataset vs Benchmark from how a sentence uses a dataset, and types from head words."""

from __future__ import annotations

import pytest

from kg.nlp.candidates import Candidate
from kg.nlp.entities import MergeSettings, field_entities
from kg.nlp.roles import compared_against, dataset_role, type_from_head, type_from_kind_head
from kg.nlp.sentences import sentence_bounds


@pytest.mark.parametrize(
    "before, mention, after, default, expected",
    [
        ("We evaluate on ", "GSM8K", ".", "Dataset", "Benchmark"),
        ("It reaches 80% top-1 accuracy on ", "ImageNet", ".", "Dataset", "Benchmark"),
        ("Results on ", "MMLU", " improve.", "Dataset", "Benchmark"),
        ("Experiments on ", "FooData", " show gains.", "Dataset", "Benchmark"),
        ("Our model, pretrained on ", "ImageNet", ", transfers well.", "Benchmark", "Dataset"),
        ("We fine-tune on ", "MetaMathQA", " for two epochs.", "Benchmark", "Dataset"),
        ("We collect ", "FooData", ", 10k dialogues.", "Benchmark", "Dataset"),
        ("We release ", "FooCorpus", ".", "Benchmark", "Dataset"),
        ("We fine-tune on X and then evaluate on ", "Y", ".", "Dataset", "Benchmark"),
        ("We use ", "FooData", " here.", "Dataset", "Dataset"),  # no cue: the default stands
        ("We use ", "FooData", " here.", "Benchmark", "Benchmark"),
        ("We use the ", "Foo benchmark", ".", "Dataset", "Benchmark"),
        ("We use ", "Foo", " benchmark.", "Dataset", "Benchmark"),
        ("We use ", "Foo", " training set.", "Benchmark", "Dataset"),
    ],
)
def test_dataset_role(before: str, mention: str, after: str, default: str, expected: str) -> None:
    assert dataset_role(before, mention, after, default) == expected


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Robust Fine-Tuning", "Method"),
        ("Reinforcement Learning with Verifiable Rewards", "Method"),
        ("Large Language Models", "Method"),
        ("Retrieval-Augmented Generation", "Method"),
        ("Text Generation", "Task"),
        ("Image Copy Detection", "Task"),
        ("Open Graph Benchmark", "Benchmark"),
        ("Penn Treebank", "Dataset"),
        ("Word Error Rate", "Metric"),
        ("out-of-distribution", None),
        ("Markov decision processes", None),
    ],
)
def test_type_from_head(phrase: str, expected: str | None) -> None:
    assert type_from_head(phrase) == expected


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("annotated sketch-photo datasets", "Dataset"),
        ("Wall Street Journal corpus", "Dataset"),
        ("glimpse measures", "Metric"),
        ("maximum set coverage problem", "Task"),
        ("Japanese Dictionary Task", "Task"),
        ("approximate least squares estimate (ALSE) method", "Method"),
        ("graph-based ranking model of sentences", "Method"),
        ("pedestrian detection", "Task"),
        ("word error rate", "Metric"),
        ("puzzle reasoning benchmarks", "Dataset"),  # Dataset or Benchmark is decided from its use later
        ("language-guided policy generation", "Task"),
        ("multi-document summarization", "Task"),
        ("imitation learning policies", "Method"),
        ("data augmentation strategies", "Method"),
        ("task", None),  # a kind noun alone names nothing
        ("image captioning", None),  # not a kind noun: the model's label stands
        ("problem solving", None),
    ],
)
def test_type_from_kind_head(phrase: str, expected: str | None) -> None:
    assert type_from_kind_head(phrase) == expected


def test_kind_head_overrides_the_models_label() -> None:
    text = "We build annotated sketch-photo datasets and a ranking model."
    first, second = text.index("annotated"), text.index("ranking")
    model = [(first, text.index(" and"), "Method"), (second, len(text) - 1, "Task")]
    found = field_entities(text, sentence_bounds(text), model, [], MergeSettings())
    assert [(text[c.start : c.end], c.type) for c in found] == [
        ("annotated sketch-photo datasets", "Dataset"),
        ("ranking model", "Method"),
    ]


def test_an_introduced_name_swallows_the_curated_name_inside_it() -> None:
    text = 'We present an algorithm named "Ghost Batch Normalization" here.'
    start = text.index("Ghost")
    inner = text.index("Batch")
    rules = [
        Candidate(start, start + 25, "Method", "rule-propose", 0.88),
        Candidate(inner, inner + 19, "Method", "gazetteer", 0.95),
    ]
    found = field_entities(text, sentence_bounds(text), [], rules, MergeSettings())
    assert [(text[c.start : c.end], c.extractor) for c in found] == [
        ("Ghost Batch Normalization", "rule-propose")
    ]


@pytest.mark.parametrize(
    "before, expected",
    [
        ("On ImageNet, PDS improves top-1 accuracy by 0.8 points over ", True),
        ("It is 2x faster than ", True),
        ("Our model outperforms ", True),
        ("It achieves superior recall compared with ", True),  # any of the claim parser's anchors and gains
        ("Results are averaged over ", False),  # no gain claimed: "over" spans datasets here
        ("We evaluate on ", False),
        ("It improves accuracy on ", False),  # the gain is measured on what follows
    ],
)
def test_compared_against(before: str, expected: bool) -> None:
    assert compared_against(before) is expected


def test_a_model_dataset_named_as_the_baseline_of_a_gain_is_a_method() -> None:
    text = "On ImageNet, PDS improves accuracy by 0.8 points over DeiT-S trained for as long."
    start = text.index("DeiT-S")
    model = [(start, start + len("DeiT-S"), "Dataset")]
    found = field_entities(text, sentence_bounds(text), model, [], MergeSettings())
    assert ("DeiT-S", "Method") in [(text[c.start : c.end], c.type) for c in found]
