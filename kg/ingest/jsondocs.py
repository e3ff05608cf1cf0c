"""JSON inputs of every layout, as (origin, object) pairs, and the reader factory the JSON formats share.

Layouts: JSON Lines (one value per line, streamed), or one document: an array of objects, a single object,
or an API page that wraps its objects in "results" (OpenAlex) or "data" (Semantic Scholar). A document is
read whole, so JSON Lines is the layout for large corpora. Each object's origin is the line where it
starts. A format then only has to say how one object maps to a `Draft`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from kg.ingest.records import Draft
from kg.ingest.sources import LineIndex, head_text, iter_lines, read_document
from kg.types import Origin, Record, Skipped

Layout = Literal["lines", "document"]
Item = tuple[Origin, object]
WRAPPER_KEYS = ("results", "data")
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


def layout_of(text: str) -> Layout:
    """Tell JSON Lines from a JSON document by the start of a file.

    JSON Lines when one of the first two non-empty lines is a whole object ("{...}"; two, so one broken
    line does not turn a JSON Lines file into one unreadable document), or when the start is a single
    line that begins with "{" (a record longer than the sniffed start; a one-line document reads the same
    either way). Pretty-printed documents open with "[" or a line like "{" or '{"results": ['.

    Args:
        text: the start of the file.

    Returns:
        "lines" or "document".
    """
    stripped = text.strip()
    if stripped.startswith("["):
        return "document"
    lines = [line.strip() for line in stripped.splitlines() if line.strip()]
    if len(lines) == 1 and stripped.startswith("{"):
        return "lines"
    whole = any(line.startswith("{") and line.endswith("}") for line in lines[:2])
    return "lines" if whole else "document"


def _wrapper_key(value: object) -> str | None:
    """The key under which an API page keeps its records, or None when ``value`` is not such a page."""
    if not isinstance(value, dict):
        return None
    return next((key for key in WRAPPER_KEYS if isinstance(value.get(key), list)), None)


def _unwrap(value: object) -> list[object]:
    """The records a top-level value holds: array items, an API page's items, or the value itself."""
    if isinstance(value, list):
        return value
    key = _wrapper_key(value)
    return [value] if key is None else value[key]


def iter_json_lines(path: Path) -> Iterator[Item | Skipped]:
    """Objects of a JSON Lines file, streamed; a line that is not JSON is Skipped and reading goes on."""
    for item in iter_lines(path):
        if isinstance(item, Skipped):
            yield item
            continue
        if not item.text.strip():
            continue
        origin = Origin(str(path), item.number)
        try:
            value = json.loads(item.text)
        except json.JSONDecodeError as exc:
            yield Skipped(origin, _invalid(exc))
            continue
        for record in _unwrap(value):
            yield origin, record


def iter_json_document(path: Path) -> Iterator[Item | Skipped]:
    """Objects of a JSON document with the line each starts on.

    Items of a top-level array are decoded one at a time, so the items before a syntax error are still
    read; the error itself is one Skipped at its line.
    """
    text, problems = read_document(path)
    yield from problems
    lines = LineIndex(text)
    try:
        start = _skip_space(text, 0)
        if text.startswith("[", start):
            items = _array_items(text, start)
        else:
            value, array_start = _top_value(text, start)
            if array_start is None:
                yield Origin(str(path), lines.line_at(start)), value
                return
            items = _array_items(text, array_start)
        for offset, item in items:
            yield Origin(str(path), lines.line_at(offset)), item
    except json.JSONDecodeError as exc:
        yield Skipped(Origin(str(path), exc.lineno), _invalid(exc))


def _invalid(exc: json.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in _WHITESPACE:
        offset += 1
    return offset


def _top_value(text: str, start: int) -> tuple[object, int | None]:
    """The value of a document that is not an array, and the offset of its wrapped "results"/"data" array.

    Returns:
        The decoded value and the offset of the wrapped array, or None when the value is not an API page.
    """
    value, end = _DECODER.raw_decode(text, start)
    if _skip_space(text, end) != len(text):
        raise json.JSONDecodeError("Extra data", text, _skip_space(text, end))
    key = _wrapper_key(value)
    if key is None:
        return value, None
    offset = _skip_space(text, start + 1)
    while True:
        name, offset = _DECODER.raw_decode(text, offset)
        offset = _skip_space(text, _skip_space(text, offset) + 1)  # past the ":"
        if name == key:
            return value, offset
        offset = _skip_space(text, _DECODER.raw_decode(text, offset)[1])
        offset = _skip_space(text, offset + 1)  # past the ","


def _array_items(text: str, start: int) -> Iterator[tuple[int, object]]:
    """The items of the array at ``start`` with their offsets, decoded one at a time.

    Raises:
        json.JSONDecodeError: at the first syntax error (the items before it have been yielded).
    """
    offset = _skip_space(text, start + 1)
    if text.startswith("]", offset):
        return
    while True:
        item, end = _DECODER.raw_decode(text, offset)
        yield offset, item
        offset = _skip_space(text, end)
        if text.startswith("]", offset):
            return
        if not text.startswith(",", offset):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, offset)
        offset = _skip_space(text, offset + 1)


ObjectMapper = Callable[[Mapping[str, object]], Draft]
ObjectReader = Callable[[Path], Iterator[Record | Skipped]]


def object_reader(source: str, to_draft: ObjectMapper, layout: Layout | None = None) -> ObjectReader:
    """A reader for a JSON-based format, given how one object becomes a Draft.

    Args:
        source: the format name recorded in ``Record.source``.
        to_draft: maps one JSON object to a Draft.
        layout: force JSON Lines or document; None decides from the file's first lines.

    Returns:
        A function path -> records and Skipped items.
    """

    def read(path: Path) -> Iterator[Record | Skipped]:
        chosen = layout or layout_of(head_text(path))
        items = iter_json_lines(path) if chosen == "lines" else iter_json_document(path)
        for item in items:
            if isinstance(item, Skipped):
                yield item
                continue
            origin, value = item
            if not isinstance(value, dict):
                yield Skipped(origin, f"expected a JSON object, found {type(value).__name__}")
                continue
            yield to_draft(value).build(source, origin)

    read.__doc__ = f"Records of a {source} file (JSON Lines or JSON document)."
    return read
