"""Parse the reported values of a claim sentence: "32.8%", "2-3.5 times", "from 17% to 60%", "+5.1 BLEU".

A pure module (no spaCy), so the parser can be tested exhaustively. Every value becomes a
:class:`kg.types.ClaimValue` with ``low``/``high`` (the minimum and maximum of what was stated; equal for a
single number), a normalised ``unit`` and character offsets into the text given.

Units: ``%`` (percent), ``x`` (a factor: "3x", "2 times", "4-fold", "an order of magnitude"), ``points``
(absolute differences: "4.2 points", "3 pp", "percentage points") or a metric written after the number
("+5.1 BLEU", "0.85 F1"). Bare integers ("12 benchmarks", "2024", "7B") are not values; a bare decimal
("reaches 85.2") or a signed number ("+3.1") is, with ``unit=None``.
"""

from __future__ import annotations

import re

from kg.types import ClaimValue

TIMES = "\u00d7"  # the multiplication sign in "3\u00d7"
MINUS = "\u2212"  # the minus sign in "\u22123.1%"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Numbers glued to names ("GPT-3.5", "Qwen2.5", "v1.5", "3D") are part of the name, not values.
_LEFT = r"(?<![\w.\-/])"
_RIGHT = r"(?![\w])"
_METRICS = (
    r"BLEU|ROUGE(?:-[12L])?|METEOR|CIDEr|F1|mAP|AP|AUC|AUROC|EM|IoU|mIoU|PSNR|SSIM|FID|WER|CER|dB|"
    r"ELO|Elo|pass@\d+|accuracy|acc\.?"
)
_UNIT = (
    r"(?P<pct>%|\s?percent(?:age)?(?!\s*points?))"
    r"|(?P<pts>\s?(?:percentage\s+points?|points?|pp|pts?\.?))"
    r"|(?P<fac>\s?(?:x|\u00d7|times|-?fold)|\u00d7)"
    r"|(?P<met>\s(?:" + _METRICS + r"))"
)
_SIGN = r"(?P<sign>[+\u00b1]|(?<![\w.])[-\u2212](?=\d))?"

_FROM_TO = re.compile(
    r"\bfrom\s+(?P<a>" + _NUM + r")\s*(?P<ua>%|x|\u00d7)?\s+to\s+"
    r"(?P<b>" + _NUM + r")(?:" + _UNIT + r")?" + _RIGHT,
    re.IGNORECASE,
)
# "2-3.5 times", "10 to 20%", "between 10 and 20%" ("0.97 and 14%" is two values, not a range)
_RANGE = re.compile(
    r"(?:\bbetween\s+" + _LEFT + r"(?P<a>" + _NUM + r")\s*(?P<ua>%|x|\u00d7)?\s*and"
    r"|" + _LEFT + r"(?P<a2>" + _NUM + r")\s*(?P<ua2>%|x|\u00d7)?\s*(?:-|\u2013|\u2014|to))"
    r"\s*(?P<b>" + _NUM + r")(?:" + _UNIT + r")" + _RIGHT,
    re.IGNORECASE,
)
_MAGNITUDE = re.compile(
    r"\b(?P<n>an|one|two|three|four|five|several|\d+)\s+orders?\s+of\s+magnitude\b", re.IGNORECASE
)
_SINGLE = re.compile(_SIGN + _LEFT + r"(?P<a>" + _NUM + r")(?:" + _UNIT + r")?" + _RIGHT, re.IGNORECASE)
_WORD_NUMBERS = {"an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _number(text: str) -> float:
    """The float value of a matched number ("1,024.5" -> 1024.5)."""
    return float(text.replace(",", ""))


def _unit(match: re.Match[str]) -> str | None:
    """The normalised unit of a match that used the shared _UNIT alternatives."""
    if match.group("pct"):
        return "%"
    if match.group("pts"):
        return "points"
    if match.group("fac"):
        return "x"
    if match.group("met"):
        return match.group("met").strip()
    return None


def _value(
    text: str, start: int, end: int, low: float | None, high: float | None, unit: str | None
) -> ClaimValue:
    """A ClaimValue over text[start:end] with low <= high."""
    if low is not None and high is not None and low > high:
        low, high = high, low
    return ClaimValue(text=text[start:end], low=low, high=high, unit=unit, start=start, end=end)


def _pair(text: str, match: re.Match[str]) -> ClaimValue:
    """A two-number value: a "from A to B" change or an "A-B unit" range."""
    groups = match.groupdict()
    first = groups["a"] or groups.get("a2")
    unit_a = groups["ua"] or groups.get("ua2") or ""
    unit = _unit(match) or {"%": "%", "x": "x", TIMES: "x"}.get(unit_a.lower())
    return _value(text, match.start(), match.end(), _number(first), _number(match.group("b")), unit)


def _magnitude(text: str, match: re.Match[str]) -> ClaimValue:
    """A factor stated in orders of magnitude; "several" leaves the number open."""
    word = match.group("n").lower()
    count = _WORD_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
    factor = float(10**count) if count is not None else None
    return _value(text, match.start(), match.end(), factor, factor, "x")


def _single(text: str, match: re.Match[str]) -> ClaimValue | None:
    """A single number with its unit, or None for a bare integer (a count, a year, a size)."""
    unit = _unit(match)
    raw = match.group("a")
    if unit is None and not match.group("sign") and "." not in raw:
        return None
    number = _number(raw)
    if match.group("sign") in ("-", MINUS):
        number = -number
    return _value(text, match.start(), match.end(), number, number, unit)


def parse_values(text: str, offset: int = 0) -> list[ClaimValue]:
    """Find the reported values in a sentence, in text order, without overlaps.

    Two-number forms ("from 17% to 60%", "2-3.5 times") win over the single numbers inside them.

    Args:
        text: the sentence (or any text) to scan.
        offset: added to every start/end, so values point into the field string the text came from.

    Returns:
        The values found; ``text`` of each is the exact surface, ``start``/``end`` its offsets + ``offset``.
    """
    found: list[ClaimValue] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for pattern, build in ((_FROM_TO, _pair), (_RANGE, _pair), (_MAGNITUDE, _magnitude), (_SINGLE, _single)):
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            value = build(text, match)
            if value is not None:
                found.append(value)
                taken.append((match.start(), match.end()))
    found.sort(key=lambda v: v.start or 0)
    return [_shift(v, offset) for v in found] if offset else found


def _shift(value: ClaimValue, offset: int) -> ClaimValue:
    """The same value with its offsets moved by offset."""
    start = None if value.start is None else value.start + offset
    end = None if value.end is None else value.end + offset
    return ClaimValue(value.text, value.low, value.high, value.unit, start, end)


_RELATIVE_BEFORE = re.compile(
    r"(?:\bby|\b(?:gains?|improvements?|increases?|decreases?|reductions?|boosts?|margins?|drops?|declines?|"
    r"loss(?:es)?)(?:\s+of)?)\s*"
    r"(?:(?:up\s+to|over|about|approximately|nearly|almost|roughly|an?|average|of)\s+)*$",
    re.IGNORECASE,
)

# "an 11% higher success rate", "20% fewer tokens", "a 3.1% absolute gain"
_RELATIVE_AFTER = re.compile(
    r"\s*(?:absolute\s+|relative\s+)?(?:higher|lower|more|less|fewer|better|worse|faster|slower|smaller|"
    r"larger|improvements?|gains?|increases?|decreases?|reductions?|drops?|boosts?)\b",
    re.IGNORECASE,
)


def is_relative(value: ClaimValue, text: str, offset: int = 0) -> bool:
    """Whether a value states a difference or factor ("by 4.2 points", "+5.1", "3x") rather than a level.

    Args:
        value: a value parsed from ``text``.
        text: the text the value was parsed from.
        offset: the offset that was passed to :func:`parse_values` for it.

    Returns:
        True for factors, points, signed numbers, values introduced by "by"/"gain of"/"drop of" and values
        followed by a comparative ("11% higher", "20% fewer").
    """
    if value.unit in ("x", "points") or value.text.startswith(("+", "\u00b1", MINUS, "-")):
        return True
    if value.text.lower().startswith(("from", "between")):
        return False
    start = (value.start or offset) - offset
    before = text[max(0, start - 40) : start]
    after = text[start + len(value.text) :]
    return bool(_RELATIVE_BEFORE.search(before) or _RELATIVE_AFTER.match(after))


def end_point(value: ClaimValue) -> ClaimValue:
    """The level a value ends at: the "to" part of "from 17% to 60%", else the value itself.

    Args:
        value: a parsed value.

    Returns:
        A single-number value over the last number of a "from A to B" change (same unit), else ``value``.
    """
    if not value.text.lower().startswith("from"):
        return value
    last = list(re.finditer(_NUM, value.text))[-1]
    number = _number(last.group(0))
    start = None if value.start is None else value.start + last.start()
    end = None if value.end is None else start + len(value.text) - last.start()
    return ClaimValue(value.text[last.start() :], number, number, value.unit, start, end)
