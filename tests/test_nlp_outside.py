"""Organisations and citations are not research entities (kg.nlp.outside), and extract() drops them."""

from __future__ import annotations

import pytest

from kg.nlp.canonical import key_of
from kg.nlp.gazetteer import load_words
from kg.nlp.outside import is_outside, organisation_keys

ORGANISATIONS = organisation_keys(load_words("organisations"))


@pytest.mark.parametrize(
    "surface",
    [
        "OpenAI",
        "Facebook AI Research",
        "Google-DeepMind",
        "MIT Lincoln Laboratory",
        "University College London",
        "University of Toronto",
        "Schüssler and Axhausen (2009)",
        "the method of Smith et al.",
        "a parser (Collins, 1999)",
    ],
)
def test_organisations_and_citations_are_outside(surface: str) -> None:
    assert is_outside(surface, key_of(surface), ORGANISATIONS)


@pytest.mark.parametrize(
    "surface",
    ["OpenAI Gym", "Microsoft COCO", "Stanford Alpaca", "Meta-World", "Lab color space", "foundation models"],
)
def test_names_that_contain_an_organisation_are_kept(surface: str) -> None:
    assert not is_outside(surface, key_of(surface), ORGANISATIONS)


def test_an_acronym_of_an_organisation_is_outside_through_its_key() -> None:
    assert is_outside("FAIR", key_of("Facebook AI Research"), ORGANISATIONS)
    assert not is_outside("FAIR", key_of("fairness-aware ranking"), ORGANISATIONS)
