"""The input formats kg reads, by name, with the reader of each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.ingest import arxiv, bibtex, hf_daily, scholarly, tabular
from kg.types import Record, Skipped


@dataclass(frozen=True)
class Format:
    """One input format.

    ``suffixes`` say which files a directory walk picks up and which format a file is assumed to have
    when its content does not tell.
    """

    name: str
    read: Callable[[Path], Iterator[Record | Skipped]]
    summary: str
    suffixes: tuple[str, ...] = ()


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(hf_daily.NAME, hf_daily.read, "Hugging Face daily-papers text dump", (".txt",)),
        Format(tabular.JSONL, tabular.read_jsonl, "JSON Lines with title/abstract", (".jsonl", ".ndjson")),
        Format(tabular.JSON, tabular.read_json, "JSON array (or object) with title/abstract", (".json",)),
        Format(tabular.CSV, tabular.read_csv, "CSV with a title/abstract header", (".csv",)),
        Format(arxiv.ATOM, arxiv.read_atom, "arXiv API Atom feed", (".atom", ".xml")),
        Format(arxiv.SNAPSHOT, arxiv.read_snapshot, "arXiv metadata snapshot (JSON Lines)"),
        Format(scholarly.OPENALEX, scholarly.read_openalex, "OpenAlex works (object, list or API page)"),
        Format(scholarly.S2, scholarly.read_s2, "Semantic Scholar Graph API papers"),
        Format(bibtex.NAME, bibtex.read, "BibTeX entries with an abstract field", (".bib", ".bibtex")),
    )
}


def by_suffix(path: Path) -> str | None:
    """The format a file name suggests, or None."""
    suffix = path.suffix.lower()
    return next((fmt.name for fmt in FORMATS.values() if suffix in fmt.suffixes), None)


def suffixes() -> frozenset[str]:
    """Every suffix a directory walk reads."""
    return frozenset(suffix for fmt in FORMATS.values() for suffix in fmt.suffixes)
