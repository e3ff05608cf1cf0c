"""Format detection from a file's content, with the file name as the last resort.

Only the first 64 KiB are looked at. JSON-based formats are told apart by the keys they use: OpenAlex
works have ``abstract_inverted_index``/``authorships``, Semantic Scholar papers ``paperId``/
``externalIds``, the arXiv snapshot ``update_date``/``authors_parsed``/``submitter``; anything else with an
abstract is plain JSON (a document) or JSON Lines.
"""

from __future__ import annotations

import csv
import re
from itertools import islice
from pathlib import Path

from kg.errors import InputError
from kg.ingest import arxiv, bibtex, hf_daily, scholarly, tabular
from kg.ingest.jsondocs import iter_json_lines, layout_of
from kg.ingest.registry import by_suffix
from kg.ingest.sources import head_text

# Keys of a JSON object, not escaped quotes inside a string value.
_JSON_KEY = re.compile(r'(?<!\\)"(\w+)(?<!\\)"\s*:')
_JSON_SIGNATURES = (
    (scholarly.OPENALEX, {"abstract_inverted_index", "authorships"}),
    (scholarly.S2, {"paperId", "externalIds"}),
    (arxiv.SNAPSHOT, {"update_date", "authors_parsed", "submitter"}),
)
SNIFF_RECORDS = 5  # lines looked at for a first readable JSON object
_ATOM = re.compile(r"<(?:[\w.-]+:)?feed[\s>]")
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)


def detect_format(path: str | Path) -> str:
    """The format name of a file, decided from its content.

    Args:
        path: the file.

    Returns:
        One of the names in kg.ingest.FORMATS.

    Raises:
        InputError: the file cannot be read, or neither its content nor its name tells its format.
    """
    path = Path(path)
    start = head_text(path)
    found = _detect_text(path, start) or by_suffix(path)
    if found is None:
        raise InputError(
            f"{path}: cannot tell its format from its content or name; "
            "name it (kg --input-format, read_inputs fmt=)"
        )
    return found


def _detect_text(path: Path, start: str) -> str | None:
    """The format the start of a file shows, most distinctive syntax first; None when it shows none."""
    stripped = start.lstrip()
    if stripped.startswith(("{", "[")):
        return _detect_json(path, start)
    if stripped.startswith("<"):
        return arxiv.ATOM if _ATOM.search(start) else None
    if _BIBTEX.search(start):
        return bibtex.NAME
    lines = [line for line in start.splitlines() if line.strip()]
    if _is_csv_header(lines[0] if lines else ""):
        return tabular.CSV
    if any(hf_daily.CHROME.match(line.strip()) or hf_daily.is_abstract(line.strip()) for line in lines):
        return hf_daily.NAME
    return None


def _detect_json(path: Path, start: str) -> str:
    """Which JSON-based format, by the keys in the first objects, else plain JSON or JSON Lines."""
    layout = layout_of(start)
    keys = set(_JSON_KEY.findall(start))
    if layout == "lines":
        keys |= _first_object_keys(path)
    for name, signature in _JSON_SIGNATURES:
        if keys & signature:
            return name
    return tabular.JSONL if layout == "lines" else tabular.JSON


def _first_object_keys(path: Path) -> set[str]:
    """Keys of the first object in a JSON Lines file, read whole (a record may be longer than the start)."""
    for item in islice(iter_json_lines(path), SNIFF_RECORDS):
        if isinstance(item, tuple) and isinstance(item[1], dict):
            return set(item[1])
    return set()


def _is_csv_header(line: str) -> bool:
    """Whether a first line is a CSV header naming an abstract column (the one column every record needs)."""
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return len(cells) > 1 and "abstract" in (cell.strip().lower() for cell in cells)
