"""Streaming deduplication across files and sources, and the counts a caller prints.

A paper is a duplicate when it shares any key with one seen before: its arXiv id, its DOI, or its
normalised-title hash. Only keys are held in memory, never records, so memory grows by a few hundred bytes
per distinct paper and the first occurrence streams through at once.

Titles are weaker evidence than identifiers: two records with the same normalised title but different
arXiv ids are different submissions, so they are both kept. A title does merge a record that has an id
with one that has none, or with one that has only a DOI (a preprint and its published version).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.ingest.identity import strong_keys, title_key
from kg.types import Record, Skipped


@dataclass
class IngestStats:
    """What reading and deduplication saw: records read, duplicates merged, problems, records per format."""

    read: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    by_format: Counter[str] = field(default_factory=Counter)

    @property
    def kept(self) -> int:
        """Distinct papers passed on."""
        return self.read - self.duplicates

    def summary(self) -> str:
        """One line for the user, e.g. "read 282 records (hf-daily 282), 49 duplicates merged, ..."."""
        formats = ", ".join(f"{name} {count}" for name, count in sorted(self.by_format.items()))
        return (
            f"read {self.read} records ({formats or 'none'}), {self.duplicates} duplicates merged, "
            f"{self.kept} papers kept, {len(self.skipped)} skipped"
        )


class SeenKeys:
    """The keys of the papers passed on so far."""

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._titles: dict[str, str | None] = {}  # title key -> arXiv id of the paper that has that title

    def add(self, record: Record) -> bool:
        """Remember a record's keys.

        Args:
            record: the next record.

        Returns:
            True when it is a duplicate of a record added before.
        """
        ids = set(strong_keys(record.arxiv_id, record.doi))
        title = title_key(record.title, record.abstract)
        duplicate = not ids.isdisjoint(self._ids) or self._title_matches(title, record.arxiv_id)
        self._ids |= ids
        self._titles[title] = self._titles.get(title) or record.arxiv_id
        return duplicate

    def _title_matches(self, title: str, arxiv: str | None) -> bool:
        """Whether the title was seen before on a paper whose arXiv id does not contradict ``arxiv``."""
        if title not in self._titles:
            return False
        known = self._titles[title]
        return not (known and arxiv and known != arxiv)


def dedupe(items: Iterable[Record | Skipped], stats: IngestStats | None = None) -> Iterator[Record | Skipped]:
    """Pass on the first occurrence of each paper (and every Skipped), dropping later duplicates.

    Args:
        items: records and Skipped items, e.g. from `read_inputs`.
        stats: counts to update as items pass, if the caller wants them.

    Returns:
        The items without duplicate records, in their original order.
    """
    seen = SeenKeys()
    for item in items:
        if isinstance(item, Skipped):
            if stats is not None:
                stats.skipped.append(item)
            yield item
            continue
        duplicate = seen.add(item)
        if stats is not None:
            stats.read += 1
            stats.by_format[item.source] += 1
            stats.duplicates += duplicate
        if not duplicate:
            yield item
