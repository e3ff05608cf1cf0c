"""Rule-based sentence bounds for abstracts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.nlp.sentences import sentence_bounds


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_bounds(text)]


def test_abbreviations_decimals_and_urls_do_not_split() -> None:
    text = (
        "We follow Smith et al. (2020) and use e.g. GPT-4 (see Fig. 3). "
        "Accuracy rises from 3.5 to 4.2 points! "
        "Code: https://github.com/a/b. J. Smith agrees i.e. it works. Next?"
    )
    assert _sentences(text) == [
        "We follow Smith et al. (2020) and use e.g. GPT-4 (see Fig. 3).",
        "Accuracy rises from 3.5 to 4.2 points!",
        "Code: https://github.com/a/b.",
        "J. Smith agrees i.e. it works.",
        "Next?",
    ]


def test_blank_lines_split_and_hard_wraps_do_not() -> None:
    text = "A sentence that is\nwrapped across lines\n\nNew paragraph"
    assert _sentences(text) == ["A sentence that is\nwrapped across lines", "New paragraph"]


def test_lowercase_after_period_does_not_split() -> None:
    assert _sentences("Compared with approx. three baselines it wins.") == [
        "Compared with approx. three baselines it wins."
    ]


text_parts = st.lists(
    st.sampled_from(
        ["We", "test", "GSM8K", "3.5", "et al.", "e.g.", ".", "!", "?", " ", "  ", "\n\n", "Fig.", "A"]
    ),
    max_size=25,
).map(" ".join)


@given(text_parts)
def test_sentences_cover_the_text_in_order_without_edges_of_whitespace(text: str) -> None:
    bounds = sentence_bounds(text)
    covered = set()
    previous_end = 0
    for start, end in bounds:
        assert previous_end <= start < end
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_starts_the_input_gives_split_where_no_punctuation_does() -> None:
    # SciREX runs the title into the abstract; its `sentences` say where the abstract proper begins.
    text = "V-Net: Convolutional Networks for Segmentation Convolutional networks are used. They work."
    start = text.index("Convolutional networks")
    assert [text[s:e] for s, e in sentence_bounds(text, [start])] == [
        "V-Net: Convolutional Networks for Segmentation",
        "Convolutional networks are used.",
        "They work.",
    ]


def test_starts_inside_a_word_or_out_of_range_are_ignored() -> None:
    text = "One sentence here. Two."
    assert sentence_bounds(text, [5, 0, len(text), 99, -3]) == sentence_bounds(text)
