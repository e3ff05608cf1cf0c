"""Commands that make and inspect the graph: build, extract, stats, export, validate."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from kg.cli import Context
from kg.ingest import FORMATS, IngestStats

pass_context = click.make_pass_decorator(Context)
INPUTS = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="INPUT..."
)
INPUT_FORMAT = click.option(
    "--input-format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="Input format for every INPUT (default: detected from each file's content).",
)
JOBS = click.option(
    "--jobs", "-j", type=click.IntRange(1), default=1, show_default=True, help="Worker processes."
)
BATCH = click.option(
    "--batch-size", type=click.IntRange(1), default=64, show_default=True, help="spaCy batch size."
)
PIPELINE = click.option(
    "--pipeline",
    envvar="KG_SPACY_PIPELINE",
    default=None,
    help="English spaCy pipeline name or path (env KG_SPACY_PIPELINE; default en_core_web_sm if installed).",
)


def extraction_options(command):
    """The inputs and NLP options that `kg build` and `kg extract` share."""
    for option in reversed((INPUTS, INPUT_FORMAT, JOBS, BATCH, PIPELINE)):
        command = option(command)
    return command


@contextmanager
def progress(ctx: Context, label: str) -> Iterator:
    """A tqdm bar on stderr counting papers, or nothing with --quiet / when stderr is not a terminal."""
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=" papers", disable=ctx.quiet or None, file=sys.stderr, dynamic_ncols=True)
    try:
        yield bar.update
    finally:
        bar.close()


def _report_skipped(stats: IngestStats) -> None:
    """One line per skipped record, always shown (even with --quiet): the user must be able to fix them."""
    for item in stats.skipped:
        click.echo(f"kg: skipped {item.origin.path}:{item.origin.line}: {item.reason}", err=True)


@click.command()
@extraction_options
@click.option("--format", "out", type=click.Choice(["text", "json"]), default="text", help="Summary format.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where extraction runs: spaCy processes here, or a Dask cluster (pip install 'kg[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler (tcp://HOST:PORT) for --executor dask; default: a local cluster of --jobs workers.",
)
@click.option(
    "--shard-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="For --executor dask: where workers write N-Quads shards (shared with them; default: temp dir).",
)
@click.option("--report", is_flag=True, help="Also print what this run added (as `kg diff` would).")
@pass_context
def build(
    ctx: Context, inputs, fmt, jobs, batch_size, pipeline, out, executor, scheduler, shard_dir, report
) -> None:
    """Extract entities and claims from INPUT files and add them to the graph store.

    INPUT is a file or directory of abstracts: Hugging Face daily-papers dumps, JSON / JSON Lines / CSV with
    title and abstract, arXiv Atom or metadata-snapshot JSONL, OpenAlex or Semantic Scholar JSON, BibTeX.
    Papers are deduplicated across files (arXiv id, DOI, else normalised title). Re-running on the same files
    adds nothing twice; malformed records are reported with file and line and skipped. A run that changed
    the store is recorded in it (see `kg diff`). --store may be a SPARQL 1.1 store URL (README, "External
    SPARQL stores").

    \b
    Examples:
      kg build examples/
      kg --store outputs/seeds build ../shared/seeds/*.txt --jobs 2
      kg build examples/ --executor dask --scheduler tcp://10.0.0.5:8786 --report
    """
    from kg.runner import BuildOptions, recorded_build
    from kg.runs import describe_run
    from kg.store.remote import redacted

    if (scheduler or shard_dir) is not None and executor != "dask":
        raise click.UsageError("--scheduler and --shard-dir need --executor dask")
    options = BuildOptions(fmt, pipeline, batch_size, jobs, executor, scheduler, shard_dir)
    with progress(ctx, "extracting") as tick:
        outcome = recorded_build(inputs, ctx.store, base=ctx.base, options=options, on_item=tick)
    built, run = outcome.report, outcome.run
    _report_skipped(built.ingest)
    diff = None
    if report and run is not None:
        with _open_store(ctx) as store:
            diff = describe_run(store, run)
    if out == "json":
        data = built.to_json()
        data["run"] = diff.to_json() if diff else run.to_json() if run else None
        click.echo(json.dumps(data, indent=2))
        return
    ctx.info(
        f"{built.ingest.summary()}; papers added {built.papers_added}, replaced {built.papers_replaced}, "
        f"unchanged {built.papers_unchanged}; {built.triples} triples in {built.seconds:.1f}s "
        f"-> store {redacted(_location(ctx))}" + (f"; recorded as run {run.id}" if run else "")
    )
    if report:
        click.echo(diff.text() if diff else "nothing new: this run changed nothing and was not recorded")


def _location(ctx: Context) -> str:
    """The --store value as the user wrote it (a URL keeps its '//', which a Path drops)."""
    from kg.store.remote import is_url, store_url

    return store_url(ctx.store) if is_url(ctx.store) else str(ctx.store)


def _open_store(ctx: Context, *, read_only: bool = False):
    from kg.store import open_store

    return open_store(_location(ctx), read_only=read_only)


@click.command()
@click.argument("run", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the recorded runs, newest first.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Papers, entities and claims to show per section.",
)
@click.option("--format", "out", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@pass_context
def diff(ctx: Context, run, list_only, limit, out) -> None:
    """Say what a recorded build run added: new and replaced papers, new entities, new claims.

    RUN is a run id (see --list) or IRI; without it, the latest run. Counts are exact; the lists show the
    first --limit of each kind, with titles, labels and types.

    \b
    Examples:
      kg diff
      kg diff --list
      kg diff 20261123T115244123456Z-3fa2 --format json
    """
    from kg.runs import describe_run, find_run, list_runs

    with _open_store(ctx, read_only=True) as store:
        if list_only:
            runs = [r.to_json() for r in list_runs(store, ctx.base)]
            if out == "json":
                click.echo(json.dumps(runs, indent=2))
                return
            for r in runs:
                click.echo(
                    f"{r['id']}  {r['executor']:<5} papers +{r['papers_added']} ~{r['papers_replaced']}  "
                    f"entities +{r['entities_added']}  claims +{r['claims_added']}"
                )
            return
        found = describe_run(store, find_run(store, ctx.base, run), limit=limit)
    click.echo(json.dumps(found.to_json(), indent=2) if out == "json" else found.text(), nl=out == "json")


@click.command()
@extraction_options
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Output file (default stdout).",
)
@pass_context
def extract(ctx: Context, inputs, fmt, jobs, batch_size, pipeline, output) -> None:
    """Print one JSON line per paper with its entities and claims (no store involved).

    Each line: {"id", "entities": [{"start","end","text","type","field"}...], "claims": [{"start","end",
    "text","kind","field"}...], ...}; offsets are into the title or abstract exactly as read ("field" says
    which); type is Method, Dataset, Benchmark, Task or Metric. See README "Extraction output".

    \b
    Example:
      kg extract examples/papers.jsonl -o outputs/extractions.jsonl
    """
    from kg.build import extract_records, read_records

    stats = IngestStats()
    with progress(ctx, "extracting") as tick:
        records = read_records(inputs, stats, fmt=fmt)
        for extraction in extract_records(
            records, pipeline=pipeline, batch_size=batch_size, jobs=jobs, on_item=tick
        ):
            output.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    _report_skipped(stats)
    ctx.info(stats.summary())


@click.command()
@click.option("--format", "out", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@pass_context
def stats(ctx: Context, out) -> None:
    """Count the nodes per class and the edges per relation in the graph.

    \b
    Example:
      kg stats --format json
    """
    from kg.store import graph_stats

    with _open_store(ctx, read_only=True) as store:
        counts = graph_stats(store)
    if out == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    for section, values in counts.items():
        click.echo(f"{section}:")
        for name, n in values.items():
            click.echo(f"  {name:<24} {n:>8}")


@click.group(invoke_without_command=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "jsonld"]),
    default="ttl",
    show_default=True,
    help="RDF serialisation (nq keeps the per-paper named graphs).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default stdout).",
)
@click.pass_context
def export(click_ctx: click.Context, fmt, output) -> None:
    """Write the graph as RDF, or (`kg export html`) as an interactive page.

    \b
    Examples:
      kg export --format ttl -o outputs/graph.ttl
      kg export html --focus GSM8K --hops 2 -o outputs/gsm8k.html
    """
    if click_ctx.invoked_subcommand is not None:
        return
    from kg.store import KgStore
    from kg.store import export as export_graph

    store = KgStore(click_ctx.obj.store, read_only=True)
    if output is None:
        export_graph(store, fmt, sys.stdout.buffer)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        export_graph(store, fmt, handle)
    click_ctx.obj.info(f"wrote {output}")


@click.command()
@pass_context
def validate(ctx: Context) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl (exit 1 when it does not conform).

    \b
    Example:
      kg validate
    """
    from kg.store import KgStore
    from kg.store import validate as run_validate

    conforms, report = run_validate(KgStore(ctx.store, read_only=True))
    if conforms:
        click.echo("conforms: the graph satisfies ontology/shapes.ttl")
        return
    click.echo(report, err=True)
    sys.exit(1)


COMMANDS = [build, diff, extract, stats, export, validate]
