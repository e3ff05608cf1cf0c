"""Extraction on a Dask cluster: partitions of records go to workers, N-Quads shards come back to one store.

Why shards: the store (one RocksDB directory, or a remote SPARQL store) has a single writer, so workers do
everything up to the triples (spaCy, then kg.rdf.triples.paper_graph) and each partition ends as one
N-Quads file with its papers' named graphs. The driver loads the shards as they complete with
kg.store.write_graphs, as a local build writes a batch, so the store ends up with the same quads.

The shards go to a directory the driver and the workers both see: a temporary one on this machine for a
LocalCluster, or ``shard_dir`` on a shared filesystem for a remote cluster. The driver never holds the
corpus: it reads records lazily and keeps at most two per worker partitions in flight.

Dask is an optional dependency (``pip install 'kg[dask]'``), imported only here, only when used.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.build import BuildReport, changed_records, input_digest, pipeline_version, read_records
from kg.errors import KgError, StoreError
from kg.rdf.triples import PaperGraph
from kg.rdf.vocab import OX_KG, OX_RDF
from kg.store import KgStore, WriteStats
from kg.store.write import write_graphs
from kg.types import Record

_PIPELINES: dict[str | None, object] = {}
_PIPELINE_LOCK = threading.Lock()


class DaskMissingError(KgError):
    """The Dask executor was asked for but dask.distributed is not installed."""

    exit_code = 2


@dataclass(frozen=True)
class Shard:
    """One partition's output: the N-Quads file and how many papers it holds."""

    path: str
    papers: int


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise DaskMissingError(
            "the dask executor needs dask.distributed: pip install 'kg[dask]' (or 'dask[distributed]')"
        ) from exc
    return distributed


def extract_shard(
    records: list[Record], path: str, *, pipeline: str | None, base: str, version: str, batch_size: int
) -> Shard:
    """On a worker: extract a partition and write its paper graphs to ``path`` as N-Quads.

    The spaCy pipeline is loaded once per worker process and shared by its threads under a lock (spaCy
    pipelines are not documented as thread-safe; run one thread per worker process for parallelism).
    The graphs are kg.rdf.triples.paper_graph's, the ones a local build writes.
    """
    from kg.nlp import build_pipeline, extract
    from kg.rdf.triples import paper_graph

    with _PIPELINE_LOCK:
        nlp = _PIPELINES.get(pipeline)
        if nlp is None:
            nlp = _PIPELINES[pipeline] = build_pipeline(pipeline)
        extractions = list(extract(records, nlp, batch_size=batch_size))
    with open(path, "w", encoding="utf-8") as shard:
        for extraction in extractions:
            extraction.input_digest = input_digest(extraction.record, version)
            shard.write(paper_graph(extraction, base).nquads)
    return Shard(path, len(extractions))


def read_shard(path: str | Path) -> list[PaperGraph]:
    """The paper graphs of one shard (each graph names its paper by ``<paper> a kg:Paper``).

    Raises:
        StoreError: the shard is missing (remote cluster without a shared ``shard_dir``) or unreadable.
    """
    quads: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            quads[quad.graph_name].append(quad)
    except (OSError, SyntaxError) as exc:
        raise StoreError(
            f"cannot read shard {path}: {exc} (with a remote cluster, pass a shard directory that the "
            "workers and this machine share)"
        ) from exc
    return [
        PaperGraph(
            paper=next(
                q.subject.value for q in graph if q.predicate == OX_RDF.type and q.object == OX_KG.Paper
            ),
            name=name.value,
            nquads=ox.serialize(graph, format=ox.RdfFormat.N_QUADS).decode(),
            triples=len(graph),
        )
        for name, graph in quads.items()
    ]


def load_shard(store: KgStore, path: str | Path) -> WriteStats:
    """Write one shard's paper graphs as a local build writes a batch (kg.store.write_graphs): in one bulk
    load, graphs already present left alone, older versions of their papers dropped after.

    Raises:
        StoreError: the shard cannot be read or the write failed.
    """
    graphs = read_shard(path)
    return write_graphs(store, graphs, batch_size=max(1, len(graphs)))


def _partitions(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while part := list(islice(iterator, size)):
        yield part


def _load(store: KgStore, shard: Shard, on_item: Callable[[int], None] | None) -> WriteStats:
    stats = load_shard(store, shard.path)
    Path(shard.path).unlink()
    if on_item:
        on_item(shard.papers)
    return stats


@contextmanager
def _client(scheduler: str | None, workers: int):
    """A Dask client on ``scheduler``, or on a LocalCluster of ``workers`` single-threaded processes."""
    distributed = _distributed()
    if scheduler is not None:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with (
        distributed.LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def build_on_dask(
    paths: Sequence[str | Path],
    store_dir: Path,
    *,
    base: str,
    scheduler: str | None = None,
    workers: int = 2,
    fmt: str | None = None,
    pipeline: str | None = None,
    batch_size: int = 64,
    partition_size: int = 128,
    shard_dir: Path | None = None,
    on_item: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build (or extend) the graph in ``store_dir`` with extraction on a Dask cluster.

    Same result as kg.build.build: unchanged papers are skipped before anything is sent to the cluster, the
    derived graph is recomputed at the end. ``on_item`` is called with the number of papers of each shard
    as it is loaded.

    Raises:
        DaskMissingError: dask.distributed is not installed.
        InputError, StoreError, ModelError: as kg.build.build.
    """
    from kg.store import open_store, refresh_derived

    started = time.perf_counter()
    report = BuildReport(inputs=[str(p) for p in paths])
    version = pipeline_version(pipeline)
    settings = {"pipeline": pipeline, "base": base, "version": version, "batch_size": batch_size}
    stats = WriteStats()
    with (
        _client(scheduler, workers) as client,
        tempfile.TemporaryDirectory(prefix="kg-shards-", dir=shard_dir) as shards,
        open_store(store_dir) as store,
    ):
        pending = _distributed().as_completed()
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        records = changed_records(read_records(paths, report.ingest, fmt=fmt), store, base, version, report)
        for i, part in enumerate(_partitions(records, partition_size)):
            path = str(Path(shards) / f"shard-{i:06d}.nq")
            pending.add(client.submit(extract_shard, part, path, pure=False, **settings))
            while pending.count() >= limit:
                stats += _load(store, next(pending).result(), on_item)
        for future in pending:
            stats += _load(store, future.result(), on_item)
        refresh_derived(store, base)
    return report.count_writes(stats, started)
