"""Acronym definitions (Schwartz-Hearst, both orders) and the uses of a short form."""

from __future__ import annotations

import pytest

from kg.nlp.acronyms import find_definitions, is_short_form, match_long_form, occurrences


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(text[slice(*d.short)], text[slice(*d.long)]) for d in find_definitions(text)]


@pytest.mark.parametrize(
    "text, pair",
    [
        ("We study Reinforced Fine-Tuning (ReFT) for math.", ("ReFT", "Reinforced Fine-Tuning")),
        ("We study ReFT (Reinforced Fine-Tuning) for math.", ("ReFT", "Reinforced Fine-Tuning")),
        ("Robust Fine-Tuning (RFT )~wortsman2021robust interpolates.", ("RFT", "Robust Fine-Tuning")),
        (
            "Trained with RL from human feedback, i.e. Reinforcement Learning from Human Feedback "
            "(RLHF; Ouyang et al., 2022).",
            ("RLHF", "Reinforcement Learning from Human Feedback"),
        ),
        ("Large Language Models (LLMs), such as o1, excel.", ("LLMs", "Large Language Models")),
        (
            "via Reinforcement Learning with Verifiable Rewards (RLVR), but",
            ("RLVR", "Reinforcement Learning with Verifiable Rewards"),
        ),
        ("robustness to out-of-distribution (OOD) shifts", ("OOD", "out-of-distribution")),
    ],
)
def test_definitions_are_found_with_exact_offsets(text: str, pair: tuple[str, str]) -> None:
    assert _pairs(text) == [pair]


@pytest.mark.parametrize(
    "text",
    [
        "Results improve (e.g., on GSM8K) a lot.",
        "It reaches 32.8% (ARC-AGI) and more.",
        "Models (see Section 3) are strong.",
        "We use BERT (Devlin et al., 2019) here.",
        "Accuracy grows (32.8%) quickly.",
        "The policy (PPO) is trained.",  # the letters do not spell the long form
    ],
)
def test_parentheses_that_are_not_definitions(text: str) -> None:
    assert _pairs(text) == []


def test_long_form_stays_in_its_sentence() -> None:
    text = "Results are in. Fine-Tuning (FT) helps."
    assert _pairs(text) == [("FT", "Fine-Tuning")]


def test_short_form_shape() -> None:
    assert is_short_form("ReFT") and is_short_form("LLMs") and is_short_form("S3FT")
    assert not is_short_form("e.g.") and not is_short_form("a") and not is_short_form("see text")
    assert not is_short_form("VERYLONGACRONYM", max_length=10)


def test_backward_match_requires_a_word_start_for_the_first_letter() -> None:
    assert match_long_form("RFT", "the Robust Fine-Tuning") == 4
    assert match_long_form("RFT", "interpolated fine-tuning") is None


def test_occurrences_are_whole_words_with_plural_variants() -> None:
    text = "RFT works. RFT-based tuning beats E-RFT, and RFTs help; DRFT does not."
    found = [text[s:e] for s, e in occurrences(text, "RFT")]
    assert found == ["RFT", "RFT", "RFTs"]
    text = "LLMs are large. An LLM is one."
    assert [text[s:e] for s, e in occurrences(text, "LLMs")] == ["LLMs", "LLM"]
