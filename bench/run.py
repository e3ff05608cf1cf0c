"""kg benchmark (issue 7): throughput, memory, store size and SPARQL latency at growing corpus sizes.

Run on demand, never from the test suite::

    python bench/run.py [--sizes 1000,10000,100000] [--jobs 2] [--out bench/results/run.json]

Why it is shaped like this:

- Each measured stage (bare spaCy parse, kg extract, kg build, queries) runs in its own child interpreter,
  so one stage's imports, caches and spaCy workers cannot inflate another's peak RSS, and the parent stays
  small.
- The baseline is measured in the same run on the same texts with the same ``n_process``, because
  absolute abstracts/s on a shared 2-core machine mean little; the ratio to a bare parse is the figure
  that says how much kg adds on top of spaCy.
- The corpus is a generator: real abstracts from ../shared are re-read and re-issued under distinct ids
  until the size is reached, so memory measured at 100k reflects kg, not the benchmark holding a list.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kg.types import Extraction, Origin, Record

if TYPE_CHECKING:
    from kg.rdf.triples import PaperGraph
    from kg.store.write import WriteStats

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ("scierc", "scirex", "csabstruct")
BASE = "https://w3id.org/kg/id/"
KB = 1024


# --- corpus ---------------------------------------------------------------------------------------------


def base_records() -> Iterator[Record]:
    """One pass over the real abstracts: the seeds through kg.ingest, then SciERC/SciREX/CSAbstruct JSONL.

    Re-read on every pass instead of cached, so the corpus never sits in memory.
    """
    from kg.build import read_records
    from kg.ingest import IngestStats

    yield from read_records([SHARED / "seeds"], IngestStats())
    for name in CORPORA:
        for path in sorted((SHARED / "corpora" / name).glob("*.jsonl")):
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    obj = json.loads(line)
                    if obj.get("abstract", "").strip():
                        yield Record(
                            id=obj["id"],
                            title=obj.get("title") or "",
                            abstract=obj["abstract"],
                            source=obj.get("source", name),
                            origin=Origin(str(path), number),
                        )


def corpus(size: int) -> Iterator[Record]:
    """``size`` records: the real abstracts repeated, each under a distinct id ``bench:<n>:<source id>``.

    The running number is needed even on the first pass: ../shared's CSAbstruct files reuse one id per file.
    """
    produced = 0
    while True:
        for record in base_records():
            if produced == size:
                return
            yield Record(
                id=f"bench:{produced}:{record.id}",
                title=record.title,
                abstract=record.abstract,
                source=record.source,
                origin=record.origin,
                date=record.date,
            )
            produced += 1


# --- child stages (run as `run.py --stage NAME`) --------------------------------------------------------


def _rusage() -> dict:
    """Peak RSS (getrusage, KiB on Linux) of this process and of its largest waited-for child (a worker),
    and the CPU seconds each side used: where the time goes when the stage is slower than its baseline."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_self_mb": round(own.ru_maxrss / KB, 1),
        "rss_worker_mb": round(kids.ru_maxrss / KB, 1),
        "cpu_self_s": round(own.ru_utime + own.ru_stime, 1),
        "cpu_workers_s": round(kids.ru_utime + kids.ru_stime, 1),
    }


def stage_parse(args: argparse.Namespace) -> dict:
    """The baseline: bare spaCy pipeline over the texts kg parses (title and abstract as separate docs)."""
    import spacy

    from kg.config import spacy_pipeline_name

    name = spacy_pipeline_name()
    nlp = spacy.load(name)
    texts = (text for record in corpus(args.size) for text in (record.title, record.abstract))
    started = time.perf_counter()
    docs = sum(1 for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.jobs))
    seconds = time.perf_counter() - started
    return {"pipeline": name, "docs": docs, "seconds": seconds, "rate": args.size / seconds, **_rusage()}


def _peak_rss_mb() -> float:
    """This process's peak RSS since the last :func:`_reset_peak_rss` (VmHWM; 0 where /proc is missing)."""
    with suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / KB, 1)
    return 0.0


def _reset_peak_rss() -> None:
    """Restart VmHWM from the current RSS (Linux ``clear_refs`` 5), so each phase gets its own peak."""
    with suppress(OSError), open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


@dataclass(frozen=True)
class Written:
    """What :func:`_write` did: the write stats, the refresh's seconds, and the main process's peak RSS
    while writing paper graphs and while refreshing the derived graph (where the memory goes, issue 7)."""

    stats: WriteStats
    derived_seconds: float
    rss_write_mb: float
    rss_derived_mb: float


def _write(graphs: Iterator, store: Path, batch_size: int) -> Written:
    """Write paper graphs and refresh the derived graph, as kg.build.build does, timing the refresh."""
    from kg.store import open_store, refresh_derived
    from kg.store.write import write_graphs

    with open_store(store) as opened:
        stats = write_graphs(opened, graphs, batch_size=batch_size)
        write_peak = _peak_rss_mb()
        _reset_peak_rss()
        started = time.perf_counter()
        refresh_derived(opened, BASE)
        seconds = time.perf_counter() - started
    return Written(stats, seconds, write_peak, _peak_rss_mb())


def _build_result(written: Written, size: int, seconds: float) -> dict:
    usage = _rusage()  # resetting VmHWM also resets getrusage's own peak: keep the larger of the phases
    usage["rss_self_mb"] = max(usage["rss_self_mb"], written.rss_write_mb, written.rss_derived_mb)
    return {
        "papers": written.stats.added,
        "papers_unchanged": written.stats.unchanged,
        "triples": written.stats.triples,
        "seconds": seconds,
        "derived_seconds": written.derived_seconds,
        "rss_write_mb": written.rss_write_mb,
        "rss_derived_mb": written.rss_derived_mb,
        "rate": size / seconds,
        **usage,
    }


def stage_build(args: argparse.Namespace) -> dict:
    """kg end to end after ingest: records -> extraction and triples in workers -> bulk writes -> derived.

    The same calls kg.build.build makes once it has read the input files (it takes paths, not a generator).
    """
    from kg.build import graph_records, pipeline_version

    started = time.perf_counter()
    graphs = graph_records(
        corpus(args.size), base=BASE, version=pipeline_version(), batch_size=args.batch_size, jobs=args.jobs
    )
    written = _write(graphs, args.store, args.batch_size)
    return _build_result(written, args.size, time.perf_counter() - started)


def stage_extract(args: argparse.Namespace) -> dict:
    """The NLP pipeline as `kg extract` runs it: records -> extractions in workers -> JSON lines.

    The like-for-like comparison with the bare parse (both run NLP only, no store); the scored held-out
    tests run this path too. The JSON lines go to a temporary file that is removed afterwards.
    """
    from kg.build import extract_records

    started = time.perf_counter()
    with tempfile.TemporaryFile("w", encoding="utf-8") as out:
        for extraction in extract_records(corpus(args.size), batch_size=args.batch_size, jobs=args.jobs):
            out.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rate": args.size / seconds, **_rusage()}


@dataclass(frozen=True)
class Replicate:
    """Worker task of the ``--reuse-nlp`` build: paper graphs for corpus numbers, from stored extractions.

    ``path`` holds the extractions of ``corpus()``'s first pass, one per distinct abstract (pickled one after
    the other), so number ``n`` gets the extraction the real build computes for ``corpus()``'s record ``n``,
    under that record's id: the same graph, without running the NLP again.
    """

    path: str
    version: str

    def start(self) -> Callable[[list[int]], list[PaperGraph]]:
        extractions = []
        with open(self.path, "rb") as stored, suppress(EOFError):
            while True:
                extractions.append(pickle.load(stored))
        return partial(_replicas, extractions, self.version)


def _replicas(extractions: list[Extraction], version: str, numbers: list[int]) -> list[PaperGraph]:
    from kg.build import input_digest
    from kg.rdf.triples import paper_graph

    graphs = []
    for n in numbers:
        original = extractions[n % len(extractions)]
        source_id = original.record.id.split(":", 2)[2]  # corpus() ids are bench:<n>:<source id>
        record = dataclasses.replace(original.record, id=f"bench:{n}:{source_id}")
        copy = dataclasses.replace(original, record=record, input_digest=input_digest(record, version))
        graphs.append(paper_graph(copy, BASE))
    return graphs


def stage_build_reused(args: argparse.Namespace) -> dict:
    """The ``--reuse-nlp`` build: NLP once per distinct abstract, then triples and writes for every id.

    Measures what grows with the corpus (triple generation, store writes, the derived refresh, memory, store
    size) at sizes where running the NLP on every repeat would take most of an hour; not end to end.
    """
    from kg.build import extract_records, pipeline_version, pipelined

    started = time.perf_counter()
    handle, path = tempfile.mkstemp(prefix="kg-bench-extractions-", suffix=".pickle")
    try:
        distinct = sum(1 for _ in base_records())
        with os.fdopen(handle, "wb") as out:
            first_pass = corpus(min(distinct, args.size))
            for extraction in extract_records(first_pass, batch_size=args.batch_size, jobs=args.jobs):
                pickle.dump(extraction, out)
        nlp_seconds = time.perf_counter() - started
        task = Replicate(path, pipeline_version())
        graphs = pipelined(range(args.size), task, batch_size=args.batch_size, jobs=args.jobs)
        written = _write(graphs, args.store, args.batch_size)
    finally:
        os.unlink(path)
    result = _build_result(written, args.size, time.perf_counter() - started)
    return {**result, "distinct_abstracts": distinct, "nlp_seconds": nlp_seconds}


def stage_query(args: argparse.Namespace) -> dict:
    """Latency of the named queries and the entity card, on Oxigraph and (if small enough) on rdflib."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import latency

    return latency.measure(Path(args.store), reps=args.reps, rdflib=args.rdflib, budget=args.budget)


STAGES = {
    "parse": stage_parse,
    "extract": stage_extract,
    "build": stage_build,
    "build-reused": stage_build_reused,
    "query": stage_query,
}


# --- parent: children, memory sampling ------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Current RSS in bytes of ``root`` and all its descendants, from /proc (Linux only; 0 elsewhere)."""
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            statm = Path(entry.path, "statm").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm.split()[1]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(parents.get(pid, ()))
    return total


def run_stage(name: str, args: argparse.Namespace, **extra: object) -> dict:
    """Run one stage in a child interpreter, sampling its process tree's total RSS every 0.2 s.

    getrusage gives exact per-process peaks but cannot add up spaCy's concurrent workers; the sampled tree
    total can (and may miss a spike shorter than the interval), so both are reported.
    """
    out = Path(tempfile.mkstemp(prefix=f"kg-bench-{name}-", suffix=".json")[1])
    opts = {"size": args.size, "jobs": args.jobs, "batch_size": args.batch_size, **extra}
    cmd = [sys.executable, __file__, "--stage", name, "--stage-out", str(out)]
    for key, value in opts.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    child = subprocess.Popen(cmd)
    peak, done = 0, threading.Event()

    def sample() -> None:
        """Track the peak of the sampled total until the child exits."""
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, _tree_rss(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = child.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"bench stage {name} failed with exit code {code}")
    result = json.loads(out.read_text())
    out.unlink()
    return {**result, "rss_tree_peak_mb": round(peak / KB / KB, 1)}


def dir_size(path: Path) -> int:
    """Bytes on disk under ``path`` (file sizes; the store is RocksDB SST and log files)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- report ---------------------------------------------------------------------------------------------


def machine() -> dict:
    """Where the figures were taken: they are only comparable on the same machine and load."""
    import pyoxigraph
    import rdflib
    import spacy

    model = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "platform": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def measure_size(args: argparse.Namespace) -> dict:
    """All stages for one corpus size, in a fresh temporary store that is removed afterwards."""
    store = Path(tempfile.mkdtemp(prefix=f"kg-bench-store-{args.size}-"))
    try:
        reuse = 0 < args.reuse_nlp <= args.size
        parse = extract = None
        if not reuse:
            print(f"[{args.size}] bare spaCy parse (n_process={args.jobs}) ...", flush=True)
            parse = run_stage("parse", args)
            print(f"[{args.size}] kg extract, NLP only (--jobs {args.jobs}) ...", flush=True)
            extract = run_stage("extract", args)
            extract["ratio_to_parse"] = extract["rate"] / parse["rate"]
        kind = "NLP once per distinct abstract, then triples and writes per id" if reuse else "end to end"
        print(f"[{args.size}] kg build, {kind} (--jobs {args.jobs}) ...", flush=True)
        build = run_stage("build-reused" if reuse else "build", args, store=store)
        build["store_mb"] = round(dir_size(store) / KB / KB, 1)
        if parse:
            build["ratio_to_parse"] = build["rate"] / parse["rate"]
        print(f"[{args.size}] built: {json.dumps(build)}", flush=True)  # queries may take long
        use_rdflib = args.size <= args.rdflib_max
        print(
            f"[{args.size}] queries ({args.reps} reps, rdflib={'yes' if use_rdflib else 'no'}) ...",
            flush=True,
        )
        query = run_stage(
            "query", args, store=store, reps=args.reps, rdflib=int(use_rdflib), budget=args.budget
        )
        if not use_rdflib:
            query["rdflib_skipped"] = (
                f"corpus of {args.size} > --rdflib-max {args.rdflib_max} (rdflib holds the whole graph in "
                "Python objects: ~0.5M triples take 15 s to load at 1k, so GBs and many minutes at 100k)"
            )
        mode = "reuse-nlp" if reuse else "end-to-end"
        return {
            "size": args.size,
            "jobs": args.jobs,
            "mode": mode,
            "parse": parse,
            "extract": extract,
            "build": build,
            "queries": query,
        }
    finally:
        if args.keep:
            print(f"[{args.size}] store kept at {store}")
        else:
            shutil.rmtree(store, ignore_errors=True)


def print_table(result: dict) -> None:
    """One readable block per size: throughput and memory, then the latency table."""
    p, b, q = result["parse"], result["build"], result["queries"]
    print(f"\n== {result['size']} abstracts, --jobs {result['jobs']}, {result['mode']} ==")
    print(
        f"{'':34}{'abstracts/s':>12}{'seconds':>9}{'peak RSS MB (proc / tree)':>28}{'CPU s main/workers':>20}"
    )
    e = result.get("extract")
    if p:
        _stage_row(f"bare {p['pipeline']} parse", p)
    if e:
        _stage_row("kg extract (NLP only)", e)
    _stage_row("kg build, end to end" if p else "kg, NLP reused (not end to end)", b)
    if p:
        extract_ratio = f"kg extract {e['ratio_to_parse']:.2f}x, " if e else ""
        print(f"vs bare {p['pipeline']} parse: {extract_ratio}kg build {b['ratio_to_parse']:.2f}x")
    else:
        print(
            f"NLP ran once on {b['distinct_abstracts']} distinct abstracts ({b['nlp_seconds']:.1f} s); every "
            "id got its own triples and writes; no parse baseline (the ratio needs NLP on every abstract)"
        )
    print(
        f"store: {b['store_mb']} MB on disk, {b['triples']} triples written, {b['papers']} papers; "
        f"derived refresh {b['derived_seconds']:.1f} s"
    )
    print(
        f"main-process peak RSS: writes {b['rss_write_mb']:.0f} MB, "
        f"derived refresh {b['rss_derived_mb']:.0f} MB"
    )
    print(
        f"\n{'query (ms)':34}{'oxigraph p50':>13}{'p95':>8}{'rdflib p50':>12}{'p95':>9}"
        f"{'rdflib/ox':>10}{'rows':>10}"
    )
    errors: list[str] = []
    for name, row in q["latency"].items():
        ox, rd = row["oxigraph"], row.get("rdflib")
        if rd and "error" in rd:
            errors.append(f"{name}: rdflib failed ({rd['error']})")
            rd = None
        rd_cols = (
            f"{rd['p50']:12.2f}{rd['p95']:9.2f}{rd['p50'] / ox['p50']:9.2f}x"
            if rd
            else f"{'-':>12}{'-':>9}{'-':>10}"
        )
        rows = f"{ox['rows']}/{rd['rows']}" if rd else str(ox["rows"])
        print(f"{name:34}{ox['p50']:13.2f}{ox['p95']:8.2f}{rd_cols}{rows:>10}")
    for line in errors:
        print(line)
    if "rdflib_skipped" in q:
        print(f"rdflib skipped: {q['rdflib_skipped']}")
    elif "rdflib_load_s" in q:
        print(
            f"rdflib: {q['rdflib_triples']} triples loaded from the N-Triples export "
            f"in {q['rdflib_load_s']:.1f} s"
        )
    print(f"entity card for: {q['card_entity']}")


def _stage_row(label: str, stage: dict) -> None:
    cpu = f"{stage['cpu_self_s']:.0f} / {stage['cpu_workers_s']:.0f}"
    print(f"{label:34}{stage['rate']:12.1f}{stage['seconds']:9.1f}{_rss(stage):>28}{cpu:>20}")


def _rss(stage: dict) -> str:
    peak = max(stage["rss_self_mb"], stage["rss_worker_mb"])
    return f"{peak:.0f} / {stage['rss_tree_peak_mb']:.0f}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Public options, plus the hidden ones the parent passes to a child stage."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000", help="comma-separated corpus sizes (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="spaCy n_process for both the baseline and kg")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--reps", type=int, default=20, help="repetitions per query (default 20)")
    ap.add_argument("--budget", type=float, default=10.0, help="max seconds of rdflib repetitions per query")
    ap.add_argument("--rdflib-max", type=int, default=10000, help="skip rdflib above this corpus size")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "run.json"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary stores")
    ap.add_argument(
        "--reuse-nlp",
        type=int,
        default=0,
        metavar="SIZE",
        help="from this size on, run the NLP once per distinct abstract and reuse it for every id "
        "(store size, memory, write and query figures; not end to end, no parse baseline); 0: never",
    )
    for hidden in ("--stage", "--stage-out", "--store"):
        ap.add_argument(hidden, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--rdflib", type=int, default=1, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Parent: every size, every stage, then the table and the JSON; child: one stage into --stage-out."""
    args = parse_args(argv)
    if args.stage:
        Path(args.stage_out).write_text(json.dumps(STAGES[args.stage](args)))
        return
    report = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "runs": []}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        args.size = size
        report["runs"].append(measure_size(args))
        print_table(report["runs"][-1])
        out.write_text(json.dumps(report, indent=1))  # after every size: a long run keeps what it measured
    m = report["machine"]
    print(f"\nmachine: {m['cpu_count']} x {m['cpu_model']}, Python {m['python']}, spaCy {m['spacy']}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
