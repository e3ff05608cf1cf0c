"""`kg export html`: the interactive graph page (kg.cli attaches ``html`` under the `kg export` group)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import Context
from kg.config import DEFAULT_HTML
from kg.errors import NotFoundError
from kg.types import ENTITY_TYPES

pass_context = click.make_pass_decorator(Context)


def _entity_types(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--types Method,Benchmark`` or ``--types Method --types Benchmark``, any case; none given: all types.

    Raises:
        click.BadParameter: a name is not an entity type.
    """
    from kg.query.lookup import canonical_type

    names = [part.strip() for value in values for part in value.split(",") if part.strip()]
    try:
        return tuple(dict.fromkeys(canonical_type(name) for name in names)) or ENTITY_TYPES
    except NotFoundError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command()
@click.option(
    "--focus", metavar="NAME", help="Draw around this entity (any of its names) or paper (arxiv:…)."
)
@click.option(
    "--hops",
    type=click.IntRange(1, 6),
    default=None,
    help="With --focus: how many edges away to draw. Default 2: the focus, its papers, their other entities.",
)
@click.option("--all", "whole", is_flag=True, help="Draw the whole graph.")
@click.option(
    "--types",
    multiple=True,
    callback=_entity_types,
    metavar="TYPE[,TYPE…]",
    help=f"Only these entity types ({', '.join(ENTITY_TYPES)}); papers linking them are drawn too.",
)
@click.option(
    "--min-papers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Only entities mentioned in at least N papers.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_HTML,
    show_default=True,
    help="HTML file to write.",
)
@pass_context
def html(
    ctx: Context,
    focus: str | None,
    hops: int | None,
    whole: bool,
    types: tuple[str, ...],
    min_papers: int,
    output: Path,
) -> None:
    """Write the graph as one interactive HTML page that works offline.

    Colour and shape show the type (see the legend, which also filters by type), size the number of papers,
    edge labels the relation; hover a node for its names, papers and claims; the search box finds nodes by
    name or acronym. Very large selections are refused with a hint (use --focus or --min-papers).

    \b
    Examples:
      kg export html --all -o outputs/graph.html
      kg export html --focus GSM8K --hops 2 -o outputs/gsm8k.html
      kg export html --all --types Method,Benchmark --min-papers 3
    """
    if bool(focus) == whole:
        raise click.UsageError("give either --focus NAME (optionally with --hops K) or --all")
    if hops is not None and not focus:
        raise click.UsageError("--hops goes with --focus")
    from kg.store import KgStore
    from kg.viz import Selection, export_html

    selection = Selection(focus=focus, hops=hops or 2, types=types, min_papers=min_papers)
    written = export_html(KgStore(ctx.store, read_only=True), selection, output)
    ctx.info(
        f"wrote {written.path}: {written.nodes} nodes, {written.edges} edges (opens offline in any browser)"
    )


COMMANDS = [html]
