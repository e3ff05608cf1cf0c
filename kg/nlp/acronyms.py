"""Acronym definitions found in text, Schwartz-Hearst style, and the later uses of each short form.

Pure functions on strings (no spaCy), so they are easy to test and give exact character offsets. Both
orders are recognised:

- long form first: "Reinforced Fine-Tuning (ReFT)", also with odd spacing "(RFT )" or a citation after the
  short form "(RLHF; Ouyang et al., 2022)";
- short form first: "ReFT (Reinforced Fine-Tuning)".

The long form is the shortest run of words before the parenthesis whose characters spell the short form in
order, with the first letter of the short form starting a word (Schwartz and Hearst, PSB 2003), limited to
``min(len(short) + 5, 2 * len(short))`` words and to the current sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,100})\)")
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n\s*\n")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Definition:
    """An acronym definition: character offsets ``(start, end)`` of the short and the long form."""

    short: tuple[int, int]
    long: tuple[int, int]


def is_short_form(text: str, max_length: int = 10) -> bool:
    """Whether ``text`` can be an acronym: 2..max_length characters, one word, a capital, starts alnum.

    Args:
        text: the candidate, already stripped.
        max_length: the longest acronym accepted.
    """
    return (
        2 <= len(text) <= max_length
        and " " not in text
        and text[0].isalnum()
        and any(c.isupper() for c in text)
        and sum(c.isalpha() for c in text) >= 2
    )


def match_long_form(short: str, candidate: str) -> int | None:
    """Where in ``candidate`` the long form of ``short`` starts, by the Schwartz-Hearst backward match.

    Every letter and digit of ``short`` must appear in ``candidate`` in order, scanning backwards from its
    end; the first one must start a word.

    Args:
        short: the acronym ("RLVR").
        candidate: the text before the parenthesis (or inside it).

    Returns:
        The offset in ``candidate`` of the first word of the long form, or None when there is no match.
    """
    s_idx, l_idx = len(short) - 1, len(candidate) - 1
    while s_idx >= 0:
        char = short[s_idx].lower()
        if not char.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            candidate[l_idx].lower() != char or (s_idx == 0 and l_idx > 0 and candidate[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    return candidate.rfind(" ", 0, l_idx + 1) + 1


def _short_in_parens(inner: str, offset: int, max_length: int) -> tuple[int, int] | None:
    """Offsets of a short form written inside parentheses ("RFT ", "RLHF; Ouyang et al."), if it is one."""
    head = re.split(r"[;,]", inner, maxsplit=1)[0]
    stripped = head.strip()
    if not is_short_form(stripped, max_length):
        return None
    start = offset + head.index(stripped)
    return start, start + len(stripped)


def _long_before(text: str, paren_start: int, short: str) -> tuple[int, int] | None:
    """The long form in the words right before an opening parenthesis, within the sentence."""
    window_start = 0
    for end in _SENTENCE_END.finditer(text, 0, paren_start):
        window_start = end.end()
    words = list(_WORD.finditer(text, window_start, paren_start))
    max_words = min(len(short) + 5, 2 * len(short))
    if not words:
        return None
    first = words[max(0, len(words) - max_words)].start()
    candidate = text[first:paren_start].rstrip()
    found = match_long_form(short, candidate)
    if found is None:
        return None
    long_text = candidate[found:]
    if len(long_text) <= len(short) or short.lower() in long_text.lower().split():
        return None
    return first + found, first + len(candidate)


def _reverse(text: str, match: re.Match[str], max_length: int) -> Definition | None:
    """A "ReFT (Reinforced Fine-Tuning)" definition: short form right before, long form inside."""
    before = re.search(r"(\S+)\s*$", text[: match.start()])
    inner = match.group(1).strip()
    if before is None or len(inner.split()) < 2 or not is_short_form(before.group(1), max_length):
        return None
    if before.group(1).lower() in inner.lower() or any(c in inner for c in ";,"):
        return None
    short = before.group(1)
    if match_long_form(short, inner) != 0 or len(inner.split()) > min(len(short) + 5, 2 * len(short)):
        return None
    long_start = match.start(1) + match.group(1).index(inner)
    return Definition((before.start(1), before.end(1)), (long_start, long_start + len(inner)))


def find_definitions(text: str, max_length: int = 10) -> list[Definition]:
    """Every acronym definition in ``text``, in order of appearance.

    Args:
        text: a title or an abstract.
        max_length: the longest short form accepted.

    Returns:
        The definitions, each with the character offsets of its short and long form.
    """
    found: list[Definition] = []
    for match in _PAREN.finditer(text):
        short = _short_in_parens(match.group(1), match.start(1), max_length)
        if short is not None:
            long = _long_before(text, match.start(), text[short[0] : short[1]])
            if long is not None:
                found.append(Definition(short, long))
                continue
        reverse = _reverse(text, match, max_length)
        if reverse is not None:
            found.append(reverse)
    return found


def short_form_variants(short: str) -> tuple[str, ...]:
    """The spellings of one acronym that count as the same: as defined, and with or without a plural "s"."""
    if len(short) > 2 and short.endswith("s") and any(c.isupper() for c in short[:-1]):
        return (short, short[:-1])
    return (short, short + "s")


def occurrences(text: str, short: str) -> list[tuple[int, int]]:
    """Every use of an acronym (or its plural/singular) in ``text`` as a whole word.

    A use glued to a hyphenated suffix counts ("RFT-based" has a use of "RFT"); one inside a longer word or
    after a hyphen does not ("E-RFT").

    Args:
        text: a title or an abstract.
        short: the short form as defined.

    Returns:
        ``(start, end)`` offsets of every use, in order.
    """
    variants = sorted(short_form_variants(short), key=len, reverse=True)
    pattern = r"(?<![\w\-/.])(?:" + "|".join(map(re.escape, variants)) + r")(?![\w])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]
