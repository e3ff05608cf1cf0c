"""Hugging Face daily-papers text dumps: page text copied from huggingface.co/papers.

Two layouts occur: title and abstract as blank-line separated blocks, or on consecutive lines. Both are
read the same way: blank lines are ignored, page chrome ("Subscribe", "Daily Papers", date lines...) is
dropped, and each remaining line is classed as a title or an abstract by its shape, so a missing title or
abstract, or an unknown chrome line, costs one reported Skipped instead of shifting every later pair.
Titles and abstracts are the line text with only outer whitespace stripped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.ingest.records import Draft
from kg.ingest.sources import Line, iter_lines
from kg.types import Origin, Record, Skipped

NAME = "hf-daily"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_BANNER = r"(?:Subscribe|Daily Papers|Get trending papers in your email inbox(?: once a day)?!)"
CHROME = re.compile(
    rf"^(?:{_BANNER}|new|by\s?AK and the research community|{_MONTH} \d{{1,2}}(?:, \d{{4}})?)$"
)
# A banner the page dump glued to the next title: "SubscribeIdentifiability and ...".
_GLUED = re.compile(rf"^{_BANNER}(?=[A-Z0-9\"'(\[])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# Titles on the site are short headlines; abstracts are paragraphs of several sentences.
ABSTRACT_MIN_CHARS = 300
SHORT_ABSTRACT_MIN_CHARS = 120


def content(line: str) -> str:
    """The paper text on a line: "" for blank and chrome lines, glued banners removed."""
    stripped = line.strip()
    if CHROME.match(stripped):
        return ""
    return _GLUED.sub("", stripped, count=1)


def is_abstract(text: str) -> bool:
    """Whether a content line is an abstract rather than a title.

    Long lines are abstracts; shorter ones are when they read as at least two sentences, which headlines
    (even ones with a question mark) do not.
    """
    if len(text) >= ABSTRACT_MIN_CHARS:
        return True
    return len(text) >= SHORT_ABSTRACT_MIN_CHARS and len(_SENTENCE_END.findall(text)) >= 2


def read(path: Path) -> Iterator[Record | Skipped]:
    """Records of a daily-papers dump, one per title followed by its abstract.

    Args:
        path: the text file.

    Returns:
        Records (origin = the title's line) and Skipped for a title without abstract, an abstract without
        title, or an undecodable line.

    Raises:
        InputError: the file cannot be read.
    """
    title: Line | None = None
    for item in iter_lines(path):
        if isinstance(item, Skipped):
            yield item
            continue
        text = content(item.text)
        if not text:
            continue
        if not is_abstract(text):
            if title is not None:
                yield Skipped(Origin(str(path), title.number), "title without an abstract after it")
            title = Line(item.number, text)
        elif title is None:
            yield Skipped(Origin(str(path), item.number), "abstract without a title before it")
        else:
            yield Draft(title=title.text, abstract=text).build(NAME, Origin(str(path), title.number))
            title = None
    if title is not None:
        yield Skipped(Origin(str(path), title.number), "title without an abstract after it")
