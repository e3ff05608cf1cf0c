"""The value/unit parser: percentages, ranges, factors, from-to changes, points, metrics; and non-values."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.nlp.values import end_point, is_relative, parse_values


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit"),
    [
        ("Our model achieves 32.8% on ARC-AGI.", "32.8%", 32.8, 32.8, "%"),
        ("It is 2-3.5 times faster.", "2-3.5 times", 2.0, 3.5, "x"),
        ("It is 3x faster than GPT-3.5.", "3x", 3.0, 3.0, "x"),
        ("a 3\u00d7 speed-up", "3\u00d7", 3.0, 3.0, "x"),
        ("a 4-fold reduction", "4-fold", 4.0, 4.0, "x"),
        ("accuracy rises from 17% to 60%", "from 17% to 60%", 17.0, 60.0, "%"),
        ("error falls from 60% to 17%", "from 60% to 17%", 17.0, 60.0, "%"),
        ("improves the baseline by 4.2 points", "4.2 points", 4.2, 4.2, "points"),
        ("a gain of 3 percentage points", "3 percentage points", 3.0, 3.0, "points"),
        ("reaching +5.1 BLEU on WMT14", "+5.1 BLEU", 5.1, 5.1, "BLEU"),
        ("with only a 0.6% drop", "0.6%", 0.6, 0.6, "%"),
        ("uses an order of magnitude fewer parameters", "an order of magnitude", 10.0, 10.0, "x"),
        ("two orders of magnitude cheaper", "two orders of magnitude", 100.0, 100.0, "x"),
        ("between 10 and 20% of cases", "between 10 and 20%", 10.0, 20.0, "%"),
        ("a range of 2\u20133 times", "2\u20133 times", 2.0, 3.0, "x"),
        ("an F1 of 85.2 on the test set", "85.2", 85.2, 85.2, None),
        ("a score of 0.91 AUC", "0.91 AUC", 0.91, 0.91, "AUC"),
        ("a drop of \u22123.1% in recall", "\u22123.1%", -3.1, -3.1, "%"),
        ("over 1,024.5 tokens", "1,024.5", 1024.5, 1024.5, None),
        ("50 percent of users", "50 percent", 50.0, 50.0, "%"),
    ],
)
def test_parses_value_and_unit(text: str, surface: str, low: float, high: float, unit: str | None) -> None:
    values = parse_values(text)
    assert [(v.text, v.low, v.high, v.unit) for v in values] == [(surface, low, high, unit)]
    assert text[values[0].start : values[0].end] == surface


@pytest.mark.parametrize(
    "text",
    [
        "We evaluate on 12 benchmarks released in 2024.",
        "Qwen2.5-7B and Llama-3.1 are strong baselines.",
        "A 7B model trained with GPT-3.5 labels on 3D scenes.",
        "Version v1.5 of the dataset.",
    ],
)
def test_counts_years_sizes_and_names_are_not_values(text: str) -> None:
    assert parse_values(text) == []


def test_and_joins_a_range_only_after_between() -> None:
    values = parse_values("a correlation of 0.97 and 14% more accuracy")
    assert [(v.text, v.unit) for v in values] == [("0.97", None), ("14%", "%")]


def test_several_values_come_in_text_order_without_overlap() -> None:
    text = "X reaches 85.2 F1 and 0.91 AUC, 3x faster, from 17% to 60% recall."
    values = parse_values(text)
    assert [v.text for v in values] == ["85.2 F1", "0.91 AUC", "3x", "from 17% to 60%"]
    spans = [(v.start, v.end) for v in values]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_offset_moves_positions_into_the_field() -> None:
    sentence = "It scores 32.8% overall."
    field = "Title words. " + sentence
    (value,) = parse_values(sentence, offset=13)
    assert field[value.start : value.end] == "32.8%"


@pytest.mark.parametrize(
    ("text", "relative"),
    [
        ("improves accuracy by 4.2 points", True),
        ("improves accuracy by 3.2%", True),
        ("a gain of 3.2% over GPT-4", True),
        ("reaching +5.1 BLEU", True),
        ("a performance drop of up to 4.4 on MMLU", True),
        ("achieving an 11% higher success rate", True),
        ("using 20% fewer tokens", True),
        ("3x faster", True),
        ("achieves 32.8% on ARC-AGI", False),
        ("an accuracy of 85.1%", False),
        ("from 17% to 60%", False),
    ],
)
def test_relative_values_are_told_from_levels(text: str, relative: bool) -> None:
    (value,) = parse_values(text)
    assert is_relative(value, text) is relative


def test_relative_check_accepts_field_offsets() -> None:
    text = "improves accuracy by 3.2%"
    (value,) = parse_values(text, offset=100)
    assert is_relative(value, text, offset=100)


def test_end_point_of_a_change_is_its_target() -> None:
    text = "error falls from 60.5% to 17%"
    (value,) = parse_values(text, offset=5)
    target = end_point(value)
    assert (target.text, target.low, target.high, target.unit) == ("17%", 17.0, 17.0, "%")
    assert ("xxxxx" + text)[target.start : target.end] == "17%"
    (single,) = parse_values("reaches 32.8%")
    assert end_point(single) == single


@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda f: round(f, 2)))
def test_any_percentage_round_trips(number: float) -> None:
    text = f"The method reaches {number}% accuracy."
    (value,) = parse_values(text)
    assert value.low == value.high == pytest.approx(number)
    assert value.unit == "%"
