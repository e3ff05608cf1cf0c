"""Build orchestration: input files -> records -> extractions -> paper graphs in the store.

The one place where the stages meet. Everything streams: records are read lazily, extracted in spaCy
batches and written to the store in batches, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from kg import __version__
from kg.config import spacy_pipeline_name
from kg.ingest import IngestStats, dedupe, read_inputs
from kg.types import Extraction, Record

PACKAGE = Path(__file__).resolve().parent


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
    """Run the NLP pipeline over records.

    spaCy is imported and the pipeline loaded only once a first record arrives, so a rebuild in which every
    paper is unchanged never pays for them.
    """
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        return
    from kg.nlp import build_pipeline, extract

    nlp = build_pipeline(pipeline)
    for extraction in extract(chain([first], iterator), nlp, batch_size=batch_size, n_process=jobs):
        if on_item:
            on_item(1)
        yield extraction


def pipeline_version(pipeline: str | None = None) -> str:
    """A fingerprint of what decides extraction output: kg's version, the English pipeline, models and lists.

    Code changes in kg.nlp are covered by kg's version: bump it when extraction behaviour changes.
    """
    digest = hashlib.sha256(f"{__version__}\0{spacy_pipeline_name(pipeline)}".encode())
    files = sorted(PACKAGE.glob("models/*/meta.json")) + sorted(PACKAGE.glob("data/*"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_digest(record: Record, version: str) -> str:
    """Hash of everything that decides a paper's triples before NLP: its record and the pipeline version."""
    fields = (
        version,
        record.id,
        record.title,
        record.abstract,
        record.source,
        "\x1f".join(record.authors),
        record.date or "",
        record.url or "",
        record.doi or "",
        record.arxiv_id or "",
        record.source_id or "",
    )
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()[:32]


def changed_records(
    records: Iterable[Record], store, base: str, version: str, report: BuildReport
) -> Iterator[Record]:
    """Pass on the records whose paper is not in the store with the same input digest; count the others."""
    import pyoxigraph as ox

    from kg.rdf.iris import paper_iri
    from kg.rdf.vocab import OX_KG

    for record in records:
        stored = store.oxigraph.quads_for_pattern(
            paper_iri(base, record.id), OX_KG.inputDigest, ox.Literal(input_digest(record, version)), None
        )
        if next(stored, None) is None:
            yield record
        else:
            report.papers_unchanged += 1


def _with_digests(extractions: Iterable[Extraction], version: str) -> Iterator[Extraction]:
    for extraction in extractions:
        extraction.input_digest = input_digest(extraction.record, version)
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
    version = pipeline_version(pipeline)
    with open_store(store_dir) as store:
        records = changed_records(read_records(paths, report.ingest, fmt=fmt), store, base, version, report)
        extractions = extract_records(
            records, pipeline=pipeline, batch_size=batch_size, jobs=jobs, on_item=on_item
        )
        stats = write_extractions(store, _with_digests(extractions, version), base)
        refresh_derived(store, base)
    report.papers_added = stats.added
    report.papers_unchanged += stats.unchanged
    report.papers_replaced = stats.replaced
    report.triples = stats.triples
    report.seconds = time.perf_counter() - started
    return report
