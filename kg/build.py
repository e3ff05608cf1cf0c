"""Build orchestration: input files -> records -> extractions -> paper graphs in the store.

The one place where the stages meet. Everything streams: records are read lazily, extracted in spaCy
batches and written to the store in batches, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest import IngestStats, dedupe, read_inputs
from kg.types import Extraction, Record


@dataclass
class BuildReport:
    """What a build did, for the summary line and `--format json`."""

    inputs: list[str]
    ingest: IngestStats = field(default_factory=IngestStats)
    papers_added: int = 0
    papers_unchanged: int = 0
    papers_replaced: int = 0
    triples: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "inputs": self.inputs,
            "read": self.ingest.read,
            "by_format": dict(sorted(self.ingest.by_format.items())),
            "duplicates_merged": self.ingest.duplicates,
            "skipped": [
                {"file": s.origin.path, "line": s.origin.line, "reason": s.reason}
                for s in self.ingest.skipped
            ],
            "papers_added": self.papers_added,
            "papers_unchanged": self.papers_unchanged,
            "papers_replaced": self.papers_replaced,
            "triples": self.triples,
            "seconds": round(self.seconds, 2),
        }


def read_records(
    paths: Sequence[str | Path], stats: IngestStats, *, fmt: str | None = None
) -> Iterator[Record]:
    """Read and deduplicate records, counting read, merged and skipped items in ``stats`` as they pass."""
    for item in dedupe(read_inputs(paths, fmt=fmt), stats):
        if isinstance(item, Record):
            yield item


def extract_records(
    records: Iterable[Record],
    *,
    pipeline: str | None = None,
    batch_size: int = 64,
    jobs: int = 1,
    on_item: Callable[[int], None] | None = None,
) -> Iterator[Extraction]:
    """Run the NLP pipeline over records (spaCy is imported here, not at CLI start-up)."""
    from kg.nlp import build_pipeline, extract

    nlp = build_pipeline(pipeline)
    for extraction in extract(records, nlp, batch_size=batch_size, n_process=jobs):
        if on_item:
            on_item(1)
        yield extraction


def build(
    paths: Sequence[str | Path],
    store_dir: Path,
    *,
    base: str,
    fmt: str | None = None,
    pipeline: str | None = None,
    batch_size: int = 64,
    jobs: int = 1,
    on_item: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build (or extend) the graph in ``store_dir`` from input files.

    Papers already in the store with identical content are left as they are, so re-running a build adds
    nothing twice; each batch of papers is written in one transaction, so an interrupted build never
    leaves a half-written paper behind.

    Raises:
        InputError: an input path does not exist or cannot be read at all.
        StoreError: the store cannot be opened or written.
    """
    from kg.store import open_store, refresh_derived, write_extractions

    started = time.perf_counter()
    report = BuildReport(inputs=[str(p) for p in paths])
    records = read_records(paths, report.ingest, fmt=fmt)
    extractions = extract_records(
        records, pipeline=pipeline, batch_size=batch_size, jobs=jobs, on_item=on_item
    )
    with open_store(store_dir) as store:
        stats = write_extractions(store, extractions, base)
        refresh_derived(store, base)
    report.papers_added = stats.added
    report.papers_unchanged = stats.unchanged
    report.papers_replaced = stats.replaced
    report.triples = stats.triples
    report.seconds = time.perf_counter() - started
    return report
