"""Ingestion: input files -> `kg.types.Record` (or `kg.types.Skipped` for what cannot be read).

    stats = IngestStats()
    for item in dedupe(read_inputs(["papers.jsonl", "feeds/"]), stats):
        ...                       # Record, or Skipped with file and 1-based line
    print(stats.summary())

Formats (``FORMATS``, detected from content unless ``fmt`` is given): hf-daily, jsonl, json, csv,
arxiv-atom, arxiv-snapshot, openalex, s2, bibtex. Everything streams except JSON documents, Atom and
BibTeX files, which are parsed whole (one file at a time).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.dedupe import IngestStats, dedupe
from kg.ingest.detect import detect_format
from kg.ingest.registry import FORMATS, Format, suffixes
from kg.ingest.sources import expand_paths, unreadable
from kg.types import Record, Skipped

__all__ = ["FORMATS", "Format", "IngestStats", "dedupe", "detect_format", "read_inputs"]


def read_inputs(paths: Iterable[str | os.PathLike], fmt: str | None = None) -> Iterator[Record | Skipped]:
    """Read every record of the given files and directories, in order.

    Paths are checked before anything is read, so a missing input fails at once rather than after a long
    run. Directories are walked for files with a known suffix (.txt, .jsonl, .json, .csv, .atom, .xml,
    .bib, ...). Empty and binary files, and bad records inside a file, come out as Skipped.

    Args:
        paths: files and directories.
        fmt: a name from FORMATS to use for every file instead of detecting each file's format.

    Returns:
        A lazy stream of Record and Skipped items (not deduplicated; see `dedupe`).

    Raises:
        InputError: ``fmt`` is unknown, or a path does not exist or cannot be read. While iterating: a
            file cannot be read, or its format cannot be told.
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    return _read_files(expand_paths(paths, suffixes()), fmt)


def _read_files(files: list[Path], fmt: str | None) -> Iterator[Record | Skipped]:
    """Each file through its reader, lazily; files without text become one Skipped each."""
    for path in files:
        problem = unreadable(path)
        if problem is not None:
            yield problem
            continue
        yield from FORMATS[fmt or detect_format(path)].read(path)
