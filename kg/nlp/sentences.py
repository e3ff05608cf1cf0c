"""Sentence boundaries tuned for abstracts, from the text alone (no parser, so it costs next to nothing).

A sentence ends at ".", "!" or "?" (possibly followed by closing quotes or brackets) when whitespace and
then a capital letter, a digit or an opening quote/bracket follow, unless the word before the period is an
abbreviation ("et al.", "e.g.", "i.e.", "Fig.", "Eq.", "vs.", "cf.") or a single initial ("J. Smith").
Decimals ("3.5") and URLs ("github.com/x") never have whitespace after their periods, so they never split.
A blank line always ends a sentence; a single line break (hard-wrapped arXiv abstracts) does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.nlp.lexicon import word_set

ABBREVIATIONS = word_set(
    "al e.g eg i.e ie fig figs eq eqs sec secs tab cf vs approx resp dr mr ms "
    "prof no nos vol pp ref refs ca incl est appx app def thm lem prop cor alg"
)
# doc.user_data key of the sentence starts an input gave (a plain key: user_data survives Doc.to_bytes, which
# is how nlp.pipe hands docs to worker processes).
SENTENCE_STARTS = "kg_sentence_starts"
_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_LAST_WORD = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, period: int) -> bool:
    """Whether the period at ``period`` closes an abbreviation or an initial rather than a sentence."""
    if text[period] != ".":
        return False
    word = _LAST_WORD.search(text, 0, period)
    if word is None:
        return False
    token = word.group(1).lstrip("([\"'").lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _boundaries(text: str) -> list[int]:
    """Offsets just after each sentence end, before the whitespace that follows it."""
    ends = [m.end() for m in _END.finditer(text) if not _is_abbreviation(text, m.start())]
    ends += [m.start() for m in _BLANK_LINE.finditer(text)]
    return sorted(set(ends))


def sentence_bounds(text: str, starts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """The sentences of ``text`` as ``(start, end)`` offsets, without surrounding whitespace.

    Args:
        text: a title or an abstract, exactly as read.
        starts: offsets where the input says a sentence begins (``Record.sentence_starts``); each one that
            begins a word (follows whitespace) is a boundary besides those found in the text.

    Returns:
        Non-overlapping spans in order, covering every non-space character of ``text``.
    """
    given = [s for s in starts if 0 < s < len(text) and text[s - 1].isspace()]
    spans = []
    start = 0
    for end in [*sorted({*_boundaries(text), *given}), len(text)]:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        start = end
    return spans
