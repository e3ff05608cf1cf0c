"""A recorded build: choose where extraction runs and where the graph goes, then record what the run added.

kg.build.build is the single-machine build into a store directory. This module puts the two scale-out
choices around it without touching it:

- the executor: ``local`` (kg.build.build, spaCy processes on this machine) or ``dask`` (kg.distributed:
  partitions extracted on a Dask cluster, each written as an N-Quads shard, shards bulk-loaded);
- the store: a directory (the embedded Oxigraph store) or an http(s) URL (a SPARQL 1.1 store: the build runs
  against a local staging store holding only the remote papers' digests, then the new paper graphs are pushed
  with the Graph Store Protocol, see kg.store.remote);

and records the run in the store (kg.runs) when it changed anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.build import BuildReport, pipeline_version
from kg.runs import RunClock, RunRecord, Snapshot, save_run, take_snapshot
from kg.store import is_remote, open_store

Executor = Literal["local", "dask"]


@dataclass(frozen=True)
class BuildOptions:
    """How to build: input format, NLP settings and where extraction runs."""

    fmt: str | None = None
    pipeline: str | None = None
    batch_size: int = 64
    jobs: int = 1
    executor: Executor = "local"
    scheduler: str | None = None
    """Dask scheduler address (``tcp://host:port``); None starts a LocalCluster of ``jobs`` workers."""
    shard_dir: Path | None = None
    """Where Dask workers write their N-Quads shards (default: the system temporary directory)."""


@dataclass(frozen=True)
class BuildOutcome:
    """The build's report and the run record (None when the run changed nothing and was not recorded)."""

    report: BuildReport
    run: RunRecord | None


def _build_into(
    paths: Sequence[str | Path],
    store_dir: Path,
    base: str,
    options: BuildOptions,
    on_item: Callable[[int], None] | None,
) -> BuildReport:
    """Build into a store directory with the chosen executor."""
    settings = {"fmt": options.fmt, "pipeline": options.pipeline, "batch_size": options.batch_size}
    if options.executor == "dask":
        from kg.distributed import build_on_dask

        return build_on_dask(
            paths,
            store_dir,
            base=base,
            scheduler=options.scheduler,
            workers=options.jobs,
            on_item=on_item,
            **settings,
        )
    from kg.build import build

    return build(paths, store_dir, base=base, jobs=options.jobs, on_item=on_item, **settings)


def _snapshot(location: str | Path) -> Snapshot:
    """Snapshot in a function of its own, so the store is closed (its lock released) when it returns."""
    with open_store(location) as store:
        return take_snapshot(store)


def recorded_build(
    paths: Sequence[str | Path],
    location: str | Path,
    *,
    base: str,
    options: BuildOptions | None = None,
    on_item: Callable[[int], None] | None = None,
) -> BuildOutcome:
    """Build (or extend) the graph at ``location`` (a directory or a SPARQL store URL) and record the run.

    Raises:
        InputError: an input path does not exist or cannot be read at all.
        StoreError: the store cannot be opened, reached or written.
        ModelError: the spaCy pipeline cannot be loaded.
    """
    options = options or BuildOptions()
    clock = RunClock(base, _snapshot(location))

    def build_into(store_dir: Path) -> BuildReport:
        return _build_into(paths, store_dir, base, options, on_item)

    if is_remote(location):
        from kg.store.remote import staged_build

        report = staged_build(location, base, build_into)
    else:
        report = build_into(Path(location))
    with open_store(location) as store:
        record = clock.finish(
            store,
            inputs=paths,
            pipeline_version=pipeline_version(options.pipeline),
            executor=options.executor,
            papers_unchanged=report.papers_unchanged,
            records_skipped=len(report.ingest.skipped),
        )
        if record is not None:
            save_run(store, record)
    return BuildOutcome(report, record)
