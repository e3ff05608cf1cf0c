"""Build orchestration: input files -> records -> extractions -> paper graphs in the store.

The one place where the stages meet. Everything streams: records are read lazily, extracted in spaCy
batches and written to the store in batches, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from kg import __version__
from kg.batching import chunks
from kg.config import spacy_pipeline_name
from kg.ingest import IngestStats, dedupe, read_inputs
from kg.rdf.bundled import ONTOLOGY, ontology_text
from kg.types import Extraction, Record

if TYPE_CHECKING:
    from kg.rdf.triples import PaperGraph
    from kg.store.write import WriteStats

T = TypeVar("T")

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

    def count_writes(self, stats: WriteStats, started: float) -> BuildReport:
        """Add what the store writes did (papers unchanged before extraction are already counted) and the
        time since ``started`` (a ``time.perf_counter()`` value); returns itself."""
        self.papers_added = stats.added
        self.papers_unchanged += stats.unchanged
        self.papers_replaced = stats.replaced
        self.triples = stats.triples
        self.seconds = time.perf_counter() - started
        return self

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


class WorkerTask(Protocol):
    """A picklable recipe for what a worker process does: :meth:`start` runs once in each worker (loading
    a pipeline, say) and returns the function then applied to every chunk of items sent to that worker."""

    def start(self) -> Callable[[list], list]: ...


@dataclass(frozen=True)
class _Job:
    """What an extraction worker needs besides its records.

    ``base`` None: the worker returns Extractions; else it returns their serialised paper graphs, with
    ``version`` stamped into each as its input digest.
    """

    pipeline: str | None
    base: str | None = None
    version: str = ""

    def start(self) -> _Worker:
        return _Worker(self)


class _Worker:
    """The kg pipeline plus what to do with its output, loaded once per worker process."""

    def __init__(self, job: _Job) -> None:
        from kg.nlp import build_pipeline

        self.job = job
        self.nlp = build_pipeline(job.pipeline)

    def __call__(self, records: list[Record]) -> list[Extraction] | list[PaperGraph]:
        from kg.nlp import extract
        from kg.rdf.triples import paper_graph

        extractions = list(extract(records, self.nlp, batch_size=len(records)))
        if self.job.base is None:
            return extractions
        for extraction in extractions:
            extraction.input_digest = input_digest(extraction.record, self.job.version)
        return [paper_graph(extraction, self.job.base) for extraction in extractions]


_work: Callable[[list], list] | None = None


def _start_worker(task: WorkerTask) -> None:
    global _work
    _work = task.start()


def _run_worker(items: list) -> list:
    assert _work is not None, "_start_worker runs first (pool initializer)"
    return _work(items)


def pipelined(items: Iterable[T], task: WorkerTask, *, batch_size: int, jobs: int) -> Iterator:
    """Run ``task`` over chunks of ``batch_size`` items, in ``jobs`` worker processes when ``jobs`` > 1,
    yielding the results in input order. Nothing starts (no pipeline loads) until a first item arrives.

    For a build each worker runs the whole per-paper path (spaCy, the paper rules, the triples and their
    N-Quads text), so the parent only reads records and writes the store, overlapping with the workers.
    spaCy's own ``n_process`` was used before: it ships every Doc back to the parent, which then ran the
    paper rules, the triples and the writes alone, about 35 ms a paper, capping any build near 29
    abstracts/s however many processes parsed. At most ``2 * jobs`` chunks are in flight, so memory stays
    flat however long the input. Workers are spawned, not forked: the parent holds an open RocksDB store
    and its threads.
    """
    batches = chunks(items, batch_size)
    first = next(batches, None)
    if first is None:
        return
    if jobs <= 1:
        work = task.start()
        for chunk in chain([first], batches):
            yield from work(chunk)
        return
    pool = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(task,)
    )
    pending: deque[Future] = deque()
    try:
        for chunk in chain([first], batches):
            pending.append(pool.submit(_run_worker, chunk))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def extract_records(
    records: Iterable[Record],
    *,
    pipeline: str | None = None,
    batch_size: int = 64,
    jobs: int = 1,
    on_item: Callable[[int], None] | None = None,
) -> Iterator[Extraction]:
    """Run the NLP pipeline over records, in ``jobs`` worker processes, yielding in input order.

    spaCy is imported and the pipeline loaded only once a first record arrives, so a rebuild in which every
    paper is unchanged never pays for them.
    """
    for extraction in pipelined(records, _Job(pipeline), batch_size=batch_size, jobs=jobs):
        if on_item:
            on_item(1)
        yield extraction


def graph_records(
    records: Iterable[Record],
    *,
    base: str,
    version: str,
    pipeline: str | None = None,
    batch_size: int = 64,
    jobs: int = 1,
    on_item: Callable[[int], None] | None = None,
) -> Iterator[PaperGraph]:
    """Records -> serialised paper graphs (extraction and triples), in ``jobs`` worker processes.

    Args:
        records: the papers to (re)build.
        base: the IRI base.
        version: :func:`pipeline_version`, stamped into each paper's input digest.
        pipeline, batch_size, jobs, on_item: as for :func:`extract_records`; ``batch_size`` records are one
            worker task.
    """
    job = _Job(pipeline, base, version)
    for graph in pipelined(records, job, batch_size=batch_size, jobs=jobs):
        if on_item:
            on_item(1)
        yield graph


def pipeline_version(pipeline: str | None = None) -> str:
    """A fingerprint of what decides a paper's graph: kg's version, the English pipeline, models and lists,
    and the ontology (a change of the data model comes with a change of ontology/kg.ttl).

    Code changes in kg.nlp are covered by kg's version: bump it when extraction behaviour changes.
    """
    digest = hashlib.sha256(f"{__version__}\0{spacy_pipeline_name(pipeline)}".encode())
    digest.update(ontology_text(ONTOLOGY).encode())
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
    """Pass on the records whose paper is not in the store with the same input digest; count the others.

    A record known only by its title whose paper is already stored under a stronger key (an earlier input
    gave its arXiv id or DOI; the stored paper's ``kg:titleKey`` says so) counts as unchanged too: the
    stored version is the better identified one, and writing this record would add a second paper.
    """
    import pyoxigraph as ox

    from kg.ingest.identity import title_key
    from kg.rdf.iris import paper_iri
    from kg.rdf.vocab import OX_KG

    for record in records:
        paper = paper_iri(base, record.id)
        digest = ox.Literal(input_digest(record, version))
        unchanged = next(store.oxigraph.quads_for_pattern(paper, OX_KG.inputDigest, digest, None), None)
        if unchanged is None and record.id == title_key(record.title, record.abstract):
            same_title = store.oxigraph.quads_for_pattern(None, OX_KG.titleKey, ox.Literal(record.id), None)
            unchanged = next((q for q in same_title if q.subject != paper), None)
        if unchanged is None:
            yield record
        else:
            report.papers_unchanged += 1


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
    from kg.store import open_store, refresh_derived
    from kg.store.write import write_graphs

    started = time.perf_counter()
    report = BuildReport(inputs=[str(p) for p in paths])
    version = pipeline_version(pipeline)
    with open_store(store_dir) as store:
        records = changed_records(read_records(paths, report.ingest, fmt=fmt), store, base, version, report)
        options = {"pipeline": pipeline, "batch_size": batch_size, "jobs": jobs, "on_item": on_item}
        graphs = graph_records(records, base=base, version=version, **options)
        stats = write_graphs(store, graphs, batch_size=batch_size)
        refresh_derived(store, base)
    return report.count_writes(stats, started)
