"""Canonical entity keys: which surface forms are folded into one entity, and why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.nlp.canonical import (
    canonical_key,
    is_generic,
    key_of,
    singular,
    strip_generic_head,
    without_kind_head,
)
from kg.nlp.gazetteer import load_words


@pytest.mark.parametrize(
    "variants",
    [
        ("fine-tuning", "fine tuning", "Fine-Tuning", "fine\u2011tuning", "fine\u2013tuning", "finetuning"),
        ("pre-training", "pre training", "Pretraining", "pre-trainings"),
        ("GPT-4", "GPT 4", "GPT4", "gpt-4"),
        ("CIFAR-10", "CIFAR10", "cifar 10"),
        ("LLMs", "LLM", "llm"),
        ("Large Language Models", "large language model", "large-language models"),
        ("GSM8K", "GSM8K dataset", "the GSM8K benchmark", "GSM8K's", "the GSM8K benchmark suite"),
        ("MMLU", "the MMLU benchmark", "MMLU benchmarks"),
        ("Transformers", "transformer", "the Transformer"),
        ("queries", "query"),
        ("Qwen2.5-7B", "Qwen2.5 7B", "qwen2.5-7b"),
        ("conditional random field", "conditional random field (CRF)", "conditional random fields (CRFs )"),
    ],
)
def test_surface_variants_share_one_key(variants: tuple[str, ...]) -> None:
    assert len({key_of(v) for v in variants}) == 1, {v: key_of(v) for v in variants}


@pytest.mark.parametrize(
    "left, right",
    [
        ("language model", "language"),  # a head after a plain word is part of the name
        ("Large Language Models", "Large Language"),
        ("diffusion model", "diffusion"),
        ("GPT-4", "GPT-3"),
        ("MMLU", "MMLU-Pro"),
        ("CIFAR-10", "CIFAR-100"),
        ("TAGS", "TAG"),  # all-capital names are not plurals
    ],
)
def test_distinct_names_keep_distinct_keys(left: str, right: str) -> None:
    assert key_of(left) != key_of(right)


@pytest.mark.parametrize(
    "surface, key, merged_by",
    [
        ("gsm8k", "gsm8k", ""),
        ("GSM8K", "gsm8k", ""),  # case alone is not worth a note
        ("GSM8K dataset", "gsm8k", "head-stripped"),
        ("the MMLU benchmark", "mmlu", "head-stripped"),
        ("BERT model", "bert", "head-stripped"),
        ("F1 score", "f1", "head-stripped"),
        ("summarization task", "summarization", "head-stripped"),
        ("fine-tuning", "finetuning", "normalised"),
        ("LLMs", "llm", "normalised"),
        ("Penn Treebank corpus", "penn treebank", "head-stripped"),
        ("CIFAR-100 datasets", "cifar100", "head-stripped"),
        ("Supervised learning datasets", "supervised learning dataset", "normalised"),  # datasets for it
    ],
)
def test_key_and_reason(surface: str, key: str, merged_by: str) -> None:
    result = canonical_key(surface)
    assert (result.key, result.merged_by) == (key, merged_by)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("models", "models"[:-1]),
        ("LLMs", "LLM"),
        ("GNNs", "GNN"),
        ("GPUs", "GPU"),  # an acronym's plural, though it ends like "bus"
        ("queries", "query"),
        ("approaches", "approach"),
        ("analysis", "analysis"),
        ("robotics", "robotics"),
        ("news", "news"),
        ("MINDSTORES", "MINDSTORES"),
        ("bus", "bus"),
        ("7Bs", "7Bs"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_head_is_only_stripped_after_a_name() -> None:
    assert strip_generic_head("reasoning benchmark") == "reasoning benchmark"
    assert strip_generic_head("Enigmata framework") == "Enigmata framework"  # not visibly a name
    assert strip_generic_head("LoRA method") == "LoRA"
    assert strip_generic_head("Vision-Language Models") == "Vision-Language Models"


@pytest.mark.parametrize(
    "surface",
    [
        "model",
        "our framework",
        "this task",
        "the proposed method",
        "Baseline models",
        "performance",
        "state-of-the-art approaches",
        "weak models",
        "real-world problems",
        "open-source models",
        "reasoning capabilities",
        "LLM reasoning capabilities",
        "surface properties",
        "model generalization",
        "GPUs",
        "deception phenomenon",
        "low-data regime",
        "average performance",
    ],
)
def test_generic_mentions_are_recognised(surface: str) -> None:
    assert is_generic(surface, load_words("generic"))


@pytest.mark.parametrize(
    "surface",
    [
        "language model",
        "GSM8K",
        "reward model",
        "deep learning",
        "LoRA",
        "data representation",
        "training strategy",
        "world model",
        "length generalization",
        "computational complexity",
        "auxiliary loss",
        "large-scale pretraining",
        "reasoning",
    ],
)
def test_named_things_are_not_generic(surface: str) -> None:
    assert not is_generic(surface, load_words("generic"))


names = st.lists(
    st.sampled_from(
        ["GSM", "8K", "Fine", "tuning", "-", " ", "the", "LLMs", "dataset", "\u2013", "Qwen2.5", "7B"]
    ),
    min_size=1,
    max_size=6,
).map("".join)


@given(names)
def test_keys_are_normal_forms(surface: str) -> None:
    key = key_of(surface)
    assert key == key.lower().strip()
    assert "  " not in key and "\u2013" not in key
    assert key_of(key) == key


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("Transformer model", ("Transformer", "model")),
        ("CLIP-architecture", ("CLIP", "architecture")),
        ("language models", ("language", "models")),  # whether the rest is a method is the caller's question
        ("GSM8K dataset", None),  # a data head is not a method's kind word
        ("model", None),
    ],
)
def test_without_kind_head(surface: str, expected: tuple[str, str] | None) -> None:
    assert without_kind_head(surface) == expected
