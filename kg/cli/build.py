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
@pass_context
def build(ctx: Context, inputs, fmt, jobs, batch_size, pipeline, out) -> None:
    """Extract entities and claims from INPUT files and add them to the graph store.

    INPUT is a file or directory of abstracts: Hugging Face daily-papers dumps, JSON / JSON Lines / CSV with
    title and abstract, arXiv Atom or metadata-snapshot JSONL, OpenAlex or Semantic Scholar JSON, BibTeX.
    Papers are deduplicated across files (arXiv id, DOI, else normalised title). Re-running on the same files
    adds nothing twice; malformed records are reported with file and line and skipped.

    \b
    Examples:
      kg build examples/
      kg --store outputs/seeds build ../shared/seeds/*.txt --jobs 2
    """
    from kg.build import build as run_build

    with progress(ctx, "extracting") as tick:
        report = run_build(
            inputs,
            ctx.store,
            base=ctx.base,
            fmt=fmt,
            pipeline=pipeline,
            batch_size=batch_size,
            jobs=jobs,
            on_item=tick,
        )
    _report_skipped(report.ingest)
    if out == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
        return
    ctx.info(
        f"{report.ingest.summary()}; papers added {report.papers_added}, replaced {report.papers_replaced}, "
        f"unchanged {report.papers_unchanged}; {report.triples} triples in {report.seconds:.1f}s "
        f"-> store {ctx.store}"
    )


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
    from kg.store import KgStore, graph_stats

    counts = graph_stats(KgStore(ctx.store, read_only=True))
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


COMMANDS = [build, extract, stats, export, validate]
