"""Plain title/abstract tables: JSON Lines, JSON arrays and CSV with the same columns.

Columns: ``abstract`` (required), ``title`` (may be empty or absent), ``id``, ``authors`` (a list, or one
string separated by ";", "," or " and "), ``date``, ``url``, ``doi``, and in JSON ``sentences`` (the annotated
corpora's list of sentence spans, whose starts become sentence boundaries). CSV header names are matched
without regard to case. An arXiv id is recognised in ``id``, ``url`` or ``doi`` (e.g. "2505.19914v2",
"https://arxiv.org/abs/2505.19914", "10.48550/arXiv.2505.19914"). Title and abstract are kept as written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.ingest.jsondocs import object_reader
from kg.ingest.records import Draft, optional_text, sentence_starts, split_authors, text
from kg.ingest.sources import iter_lines
from kg.types import Origin, Record, Skipped

JSONL = "jsonl"
JSON = "json"
CSV = "csv"


def to_draft(row: Mapping[str, object]) -> Draft:
    """A Draft from one row or object with the columns described in the module docstring."""
    return Draft(
        title=text(row.get("title")),
        abstract=text(row.get("abstract")),
        authors=split_authors(row.get("authors")),
        date=optional_text(row.get("date")),
        url=optional_text(row.get("url")),
        doi=optional_text(row.get("doi")),
        source_id=optional_text(row.get("id")),
        sentence_starts=sentence_starts(row.get("sentences")),
    )


read_jsonl = object_reader(JSONL, to_draft, layout="lines")
read_json = object_reader(JSON, to_draft, layout="document")


def read_csv(path: Path) -> Iterator[Record | Skipped]:
    """Records of a CSV file with a header row; a record may span lines (quoted line breaks).

    Args:
        path: the CSV file (UTF-8, any dialect the csv module reads by default).

    Returns:
        Records (origin = first line of the row), Skipped for rows without abstract, lines that are not
        UTF-8, or a file whose header has no "abstract" column.

    Raises:
        InputError: the file cannot be read.
    """
    numbers: list[int] = []  # file line numbers fed to the csv reader since the last row
    problems: list[Skipped] = []

    def feed() -> Iterator[str]:
        for item in iter_lines(path):
            if isinstance(item, Skipped):
                problems.append(item)
                continue
            numbers.append(item.number)
            yield item.text + "\n"

    header: list[str] | None = None
    try:
        for row in csv.reader(feed()):
            yield from problems
            problems.clear()
            origin = Origin(str(path), numbers[0])
            numbers.clear()
            if not any(cell.strip() for cell in row):
                continue
            if header is not None:
                yield to_draft(dict(zip(header, row, strict=False))).build(CSV, origin)
                continue
            header = [name.strip().lower() for name in row]
            if "abstract" not in header:
                yield Skipped(origin, "CSV header has no 'abstract' column; file not read")
                return
    except csv.Error as exc:
        yield Skipped(Origin(str(path), numbers[0] if numbers else 1), f"invalid CSV: {exc}")
    yield from problems
