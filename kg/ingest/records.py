"""From the fields a reader found to a `kg.types.Record`: the one place records are validated and keyed.

Every reader maps its input to a `Draft` and calls `Draft.build`, so the rules (abstract required, outer
whitespace stripped, identifiers normalised, id chosen) are the same for every format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.ingest.identity import arxiv_id, normalise_doi, record_id
from kg.types import Origin, Record, Skipped

_SPACE = re.compile(r"\s+")
_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*|\s*,\s*|\s+and\s+")


@dataclass(frozen=True)
class Draft:
    """What a reader found for one paper, before validation.

    ``doi``, ``arxiv`` and ``url`` are raw: `build` normalises them and also looks for an arXiv id in the
    DOI, the URL and ``source_id``, so readers need not know every place an id can hide.
    """

    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    source_id: str | None = None
    sentence_starts: tuple[int, ...] = ()

    def build(self, source: str, origin: Origin) -> Record | Skipped:
        """Validate and key the draft.

        Args:
            source: the format name, kept as ``Record.source``.
            origin: file and 1-based line where the paper starts.

        Returns:
            The record, or Skipped when the abstract is missing or blank.
        """
        title, abstract = self.title.strip(), self.abstract.strip()
        if not abstract:
            return Skipped(origin, "missing abstract")
        lead = len(self.abstract) - len(self.abstract.lstrip())
        starts = sorted({s - lead for s in self.sentence_starts if 0 < s - lead < len(abstract)})
        doi = normalise_doi(self.doi)
        arxiv = next(filter(None, map(arxiv_id, (self.arxiv, self.doi, self.url, self.source_id))), None)
        return Record(
            id=record_id(arxiv, doi, title, abstract),
            title=title,
            abstract=abstract,
            source=source,
            origin=origin,
            authors=self.authors,
            date=self.date or None,
            url=self.url or None,
            doi=doi,
            arxiv_id=arxiv,
            source_id=self.source_id or None,
            sentence_starts=tuple(starts),
        )


def sentence_starts(value: object) -> tuple[int, ...]:
    """Where an input's ``sentences`` list (``[{"start": 0, "end": 118, ...}, ...]``, the corpora format)
    says sentences begin; entries without an integer ``start`` are ignored, as is anything that is not a list.
    Labels in those entries are never read: they are annotations, not input."""
    if not isinstance(value, list):
        return ()
    starts = (item.get("start") for item in value if isinstance(item, dict))
    return tuple(s for s in starts if isinstance(s, int) and not isinstance(s, bool))


def text(value: object) -> str:
    """A field value as text: strings as they are, numbers as written, anything else (None, lists) as ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def optional_text(value: object) -> str | None:
    """Like `text`, with outer whitespace stripped and "" turned into None (for ids, dates, URLs)."""
    return text(value).strip() or None


def collapse(value: str) -> str:
    """Collapse runs of whitespace to one space.

    Only for formats whose producer hard-wraps text (arXiv Atom, the arXiv snapshot, BibTeX): there the
    line breaks and indentation are layout, not content. Plain-text and JSON readers never call this, since
    entity offsets are taken into the strings exactly as read.
    """
    return _SPACE.sub(" ", value).strip()


def split_authors(value: object, separator: re.Pattern[str] = _AUTHOR_SEPARATOR) -> tuple[str, ...]:
    """Author names from a list of names or from one string.

    Args:
        value: a list of names, or a string separated by ";", "," or " and " (the default ``separator``).
        separator: pattern that separates names in a string.

    Returns:
        Non-empty names with outer whitespace stripped.
    """
    names: Iterable[object] = separator.split(value) if isinstance(value, str) else value or ()
    if not isinstance(names, list | tuple):
        return ()
    return tuple(name for name in (text(item).strip() for item in names) if name)
