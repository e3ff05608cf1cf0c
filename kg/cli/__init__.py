"""The `kg` command line: a thin layer over the library.

Each command module parses options, calls one library function and renders its result; errors the library
raises on purpose (kg.errors.KgError) become a one-line message on stderr and the error's exit code.
Heavy libraries (spaCy, networkx, pyvis) are imported inside the commands that need them, so
`kg lookup` and `kg sparql` start fast.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from kg import __version__
from kg.config import base_iri, store_path
from kg.errors import KgError


@dataclass
class Context:
    """Options every command shares (set on the `kg` group)."""

    store: Path
    base: str
    quiet: bool

    def info(self, message: str) -> None:
        """Progress and summary lines go to stderr, so stdout stays clean for data."""
        if not self.quiet:
            click.echo(message, err=True)


class KgGroup(click.Group):
    """Turns KgError into a clean message and exit code instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_STORE",
    default=None,
    help="Graph store directory (env KG_STORE; default ./outputs/store).",
)
@click.option("--base", envvar="KG_BASE", default=None, help="IRI base for graph nodes (env KG_BASE).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries; only data and errors.")
@click.pass_context
def main(ctx: click.Context, store: Path | None, base: str | None, quiet: bool) -> None:
    """Build and explore a knowledge graph of research from paper abstracts.

    \b
    Typical session:
      kg build examples/*.jsonl          # abstracts -> graph in ./outputs/store
      kg stats                           # what is in it
      kg sparql --named top-benchmarks   # ask it questions
      kg lookup GSM8K                    # one entity and its neighbourhood
      kg export html --all -o outputs/graph.html
    """
    ctx.obj = Context(store=store_path(store), base=base_iri(base), quiet=quiet)


def _register() -> None:
    """Attach the command modules; each module owns one group of commands."""
    from kg.cli import build as build_cmds
    from kg.cli import eval as eval_cmds
    from kg.cli import html as html_cmds
    from kg.cli import query as query_cmds

    for module in (build_cmds, query_cmds, eval_cmds):
        for command in module.COMMANDS:
            main.add_command(command)
    for command in html_cmds.COMMANDS:
        build_cmds.export.add_command(command)


_register()
