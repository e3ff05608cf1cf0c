"""Files as readers see them: expanding inputs, refusing binary or empty files, decoding with line numbers.

Readers never open files themselves. Line-oriented readers (one record per line or per pair of lines) use
`iter_lines`, which reports a line that is not UTF-8 as Skipped and leaves it out; document readers (JSON
documents, Atom, BibTeX), whose syntax would break if a line went missing, use `read_document`, which
reads such a line with replacement characters and reports it.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.types import Origin, Skipped

SNIFF_BYTES = 65536


@dataclass(frozen=True)
class Line:
    """One decoded line without its line break, with its 1-based number."""

    number: int
    text: str


def expand_paths(paths: Iterable[str | os.PathLike], suffixes: Iterable[str]) -> list[Path]:
    """The input files: files as given, directories walked for files with a known suffix.

    Directories are walked in sorted order so that runs are reproducible (dedupe keeps the first
    occurrence); hidden files and folders are left out.

    Args:
        paths: files and directories.
        suffixes: lower-case file suffixes (".jsonl") that a walked file must have.

    Returns:
        Files in reading order.

    Raises:
        InputError: a path does not exist or cannot be read.
    """
    wanted = frozenset(suffixes)
    files: list[Path] = []
    for path in map(Path, paths):
        _check_readable(path)
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
            if found.is_file() and not hidden and found.suffix.lower() in wanted:
                files.append(found)
    return files


def _check_readable(path: Path) -> None:
    """Fail on a missing or unreadable input before anything is read (a long build should not die late)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
        raise InputError(f"{path}: permission denied")


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading bytes.

    Raises:
        InputError: it cannot be opened (permissions, a directory, a vanished file).
    """
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of a file, without a UTF-8 byte-order mark.

    Raises:
        InputError: the file cannot be read.
    """
    with open_binary(path) as handle:
        return handle.read(size).removeprefix(codecs.BOM_UTF8)


def head_text(path: Path) -> str:
    """The start of a file decoded leniently, for deciding its layout or format.

    Raises:
        InputError: the file cannot be read.
    """
    return head(path).decode("utf-8", errors="replace")


def unreadable(path: Path) -> Skipped | None:
    """Why a file holds no text to read (empty, or binary because it has a NUL byte), or None.

    Raises:
        InputError: the file cannot be read.
    """
    start = head(path)
    if not start.strip():
        return Skipped(Origin(str(path), 1), "empty file")
    nul = start.find(b"\x00")
    if nul >= 0:
        line = start.count(b"\n", 0, nul) + 1
        return Skipped(Origin(str(path), line), "binary file (NUL byte); not read")
    return None


def iter_lines(path: Path) -> Iterator[Line | Skipped]:
    """Decoded lines of a UTF-8 file, streamed; a line that is not UTF-8 comes out as Skipped instead.

    Raises:
        InputError: the file cannot be opened.
    """
    with open_binary(path) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                decoded = raw.removeprefix(codecs.BOM_UTF8 if number == 1 else b"").decode("utf-8")
            except UnicodeDecodeError as exc:
                reason = f"line is not valid UTF-8 (byte {exc.start + 1}); line not read"
                yield Skipped(Origin(str(path), number), reason)
                continue
            yield Line(number, decoded.rstrip("\r\n"))


def read_document(path: Path) -> tuple[str, list[Skipped]]:
    """The whole file as text, with lines that are not UTF-8 read leniently and reported.

    Returns:
        The text (invalid bytes replaced by U+FFFD) and one Skipped per line that had invalid bytes.

    Raises:
        InputError: the file cannot be read.
    """
    with open_binary(path) as handle:
        data = handle.read().removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    problems: list[Skipped] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            reason = f"line is not valid UTF-8 (byte {exc.start + 1}); read with replacement characters"
            problems.append(Skipped(Origin(str(path), number), reason))
            parts.append(raw.decode("utf-8", errors="replace"))
    return "".join(parts), problems


class LineIndex:
    """Maps increasing character offsets in a text to 1-based line numbers in one pass."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line_at(self, offset: int) -> int:
        """The line of ``offset``; offsets must be asked in increasing order.

        Args:
            offset: character offset into the text.

        Returns:
            1-based line number.
        """
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line
