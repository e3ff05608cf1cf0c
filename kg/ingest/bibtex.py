"""BibTeX entries that carry an ``abstract`` field (bibtexparser 2.x).

BibTeX values are LaTeX, hard-wrapped by whoever wrote the file, so titles and abstracts are turned into
plain text: accent commands become accented letters ({\\"o} -> ö), escaped specials lose their backslash
(\\& -> &), formatting commands keep their argument (\\emph{Deep} -> Deep), case-protecting braces go
({BERT} -> BERT), ~ becomes a space and whitespace is collapsed. Math ($...$) is kept as written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.ingest.records import Draft, collapse, optional_text, split_authors
from kg.ingest.sources import read_document
from kg.types import Origin, Record, Skipped

NAME = "bibtex"
_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306",
    ".": "\u0307", '"': "\u0308", "H": "\u030b", "v": "\u030c", "c": "\u0327", "k": "\u0328",
}  # fmt: skip
_ACCENT = re.compile(r"\\([`'^~=.\"]|[uHvck](?![A-Za-z]))\s*\{?\s*([A-Za-z])\}?")
# An escaped special (kept without its backslash), a brace (dropped) or a tie (a space), in one pass.
_MARKUP = re.compile(r"\\([&%$#_{}])|[{}]|~")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*(?=\{)")
_AUTHORS = re.compile(r"\s+and\s+")


def latex_to_text(value: str) -> str:
    """Plain text from a BibTeX title or abstract (see the module docstring for what is converted).

    Args:
        value: the field value as bibtexparser gives it (outer braces or quotes removed).

    Returns:
        The text with LaTeX markup removed and whitespace collapsed.
    """
    accented = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), value)
    bare = _COMMAND.sub("", accented)
    return collapse(_MARKUP.sub(_unmark, bare))


def _unmark(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return " " if match.group(0) == "~" else ""


def entry_draft(key: str, fields: Mapping[str, str]) -> Draft:
    """A Draft from one entry's fields (names lower-cased).

    Fields used: title, abstract, author (" and "-separated), date (else year), url, doi, and eprint as an
    arXiv id when archiveprefix is arXiv or absent.
    """
    eprint = fields.get("eprint") if fields.get("archiveprefix", "arxiv").lower() == "arxiv" else None
    return Draft(
        title=latex_to_text(fields.get("title", "")),
        abstract=latex_to_text(fields.get("abstract", "")),
        authors=split_authors(collapse(fields.get("author", "")), _AUTHORS),
        date=optional_text(fields.get("date") or fields.get("year")),
        url=optional_text(fields.get("url")),
        doi=optional_text(fields.get("doi")),
        arxiv=optional_text(eprint),
        source_id=key,
    )


def read(path: Path) -> Iterator[Record | Skipped]:
    """Records of a BibTeX file, one per entry with an abstract.

    Args:
        path: the .bib file.

    Returns:
        Records (origin = the entry's first line), Skipped for entries without abstract and for blocks
        bibtexparser could not parse. An entry whose key repeats an earlier one is still read: a key clash
        says nothing about whether it is the same paper (dedupe decides that).

    Raises:
        InputError: the file cannot be read.
    """
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    _quiet_parser_log()
    document, problems = read_document(path)
    yield from problems
    library = bibtexparser.parse_string(document)
    for block in library.blocks:
        origin = Origin(str(path), block.start_line + 1)
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block
        if isinstance(block, Entry):
            fields = {field.key.lower(): str(field.value) for field in block.fields}
            yield entry_draft(block.key, fields).build(NAME, origin)
        elif isinstance(block, ParsingFailedBlock):
            yield Skipped(origin, f"BibTeX block not parsed: {_reason(block.error)}")


def _reason(error: Exception) -> str:
    """bibtexparser's own words for a failed block (its exceptions keep them in different attributes)."""
    detail = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error)
    return " ".join(str(detail).split()) or type(error).__name__


def _quiet_parser_log() -> None:
    """Keep bibtexparser's own log lines off stderr: its parse errors come back to the user as Skipped."""
    logger = logging.getLogger("bibtexparser")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
