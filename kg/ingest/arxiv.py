"""arXiv sources: the API's Atom feed and the metadata snapshot (JSON Lines, as on Kaggle).

Both hard-wrap titles and abstracts (the API breaks lines and indents them; the snapshot keeps the
submitter's line breaks), so their whitespace is layout: it is collapsed to single spaces here. Entity
offsets then refer to the collapsed strings, which are what the records hold.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.ingest.jsondocs import object_reader
from kg.ingest.records import Draft, collapse, optional_text, split_authors, text
from kg.ingest.sources import LineIndex, read_document
from kg.types import Origin, Record, Skipped

ATOM = "arxiv-atom"
SNAPSHOT = "arxiv-snapshot"
_ENTRY_TAG = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")


def read_atom(path: Path) -> Iterator[Record | Skipped]:
    """Records of an arXiv API Atom response (feedparser), one per <entry>.

    Args:
        path: the XML file.

    Returns:
        Records (origin = line of the <entry> tag, ``source_id`` = the entry id URL, e.g.
        http://arxiv.org/abs/2505.19914v2, giving the arXiv id 2505.19914), and Skipped for entries
        without summary or a feed that cannot be parsed.

    Raises:
        InputError: the file cannot be read.
    """
    import feedparser

    document, problems = read_document(path)
    yield from problems
    feed = feedparser.parse(
        io.BytesIO(document.encode("utf-8")), sanitize_html=False, resolve_relative_uris=False
    )
    if feed.get("bozo") and not feed.entries:
        problem = feed.get("bozo_exception")
        line = getattr(problem, "getLineNumber", lambda: 1)() or 1
        yield Skipped(Origin(str(path), line), f"not a readable Atom feed: {problem}")
        return
    lines = LineIndex(document)
    starts = [match.start() for match in _ENTRY_TAG.finditer(document)]
    for index, entry in enumerate(feed.entries):
        line = lines.line_at(starts[index]) if index < len(starts) else 1
        yield _atom_draft(entry).build(ATOM, Origin(str(path), line))


def _atom_draft(entry: Mapping[str, object]) -> Draft:
    """A Draft from one feedparser entry (the arXiv id comes from the entry id URL via ``source_id``)."""
    return Draft(
        title=collapse(text(entry.get("title"))),
        abstract=collapse(text(entry.get("summary"))),
        authors=split_authors([author.get("name") for author in entry.get("authors") or []]),
        date=optional_text(text(entry.get("published"))[:10]),
        url=optional_text(entry.get("link")),
        doi=optional_text(entry.get("arxiv_doi")),
        source_id=optional_text(entry.get("id")),
    )


def snapshot_draft(obj: Mapping[str, object]) -> Draft:
    """A Draft from one line of the arXiv metadata snapshot.

    Fields used: id, title, abstract, authors (one string, "A, B and C"), update_date, doi (may list
    several; the first is kept).
    """
    source_id = optional_text(obj.get("id"))
    return Draft(
        title=collapse(text(obj.get("title"))),
        abstract=collapse(text(obj.get("abstract"))),
        authors=split_authors(collapse(text(obj.get("authors")))),
        date=optional_text(obj.get("update_date")),
        url=f"https://arxiv.org/abs/{source_id}" if source_id else None,
        doi=optional_text(obj.get("doi")),
        source_id=source_id,
    )


read_snapshot = object_reader(SNAPSHOT, snapshot_draft, layout="lines")
