"""`kg eval`: score entity (and claim) extraction against an annotated corpus file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli import Context
from kg.eval import (
    MATCH_MODES,
    SCORED_TYPES,
    EvalReport,
    evaluate,
    fold_type,
    predict_with_model,
    predict_with_pipeline,
    read_gold,
    read_predictions,
)


def _types(values: tuple[str, ...]) -> tuple[str, ...]:
    """Requested types, folded (Material/Benchmark -> Dataset), in SCORED_TYPES order; all when none given."""
    if not values:
        return SCORED_TYPES
    wanted = {fold_type(v) for v in values}
    return tuple(t for t in SCORED_TYPES if t in wanted)


def render_table(report: EvalReport) -> str:
    """A plain-text table: one row per type and mode, then the micro average and the claim scores."""
    lines = [
        f"{report.docs} documents",
        f"{'mode':<8} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}",
    ]
    for mode in MATCH_MODES:
        for name, counts in report.entities[mode].items():
            lines.append(
                f"{mode:<8} {name:<8} {counts.precision:>6.3f} {counts.recall:>6.3f} {counts.f1:>6.3f}"
                f" {counts.pred:>6} {counts.gold:>6}"
            )
    if report.claims is not None:
        c = report.claims
        lines.append(
            f"{'claims':<8} {'sentence':<8} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
            f" {c.pred:>6} {c.gold:>6}"
        )
    if report.missing:
        lines.append(f"{len(report.missing)} gold records had no prediction (scored as empty)")
    return "\n".join(lines)


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--pred",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score these `kg extract` JSON lines instead of running the pipeline.",
)
@click.option("--model", help="Score this spaCy pipeline's doc.ents alone (name or path), without kg rules.")
@click.option(
    "--types",
    "types",
    multiple=True,
    type=click.Choice(["Method", "Dataset", "Benchmark", "Material", "Task", "Metric"]),
    help="Score only these types (repeatable; Benchmark/Material count as Dataset). Default: all four.",
)
@click.option("--claims", is_flag=True, help="Also score claim sentences (gold labels result/claim).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def eval_command(
    obj: Context,
    gold: Path,
    pred: Path | None,
    model: str | None,
    types: tuple[str, ...],
    claims: bool,
    fmt: str,
) -> None:
    """Precision, recall and F1 of extraction against GOLD (annotated JSON lines).

    Per type and micro-averaged, for exact and overlapping spans. Gold Material and predicted
    Dataset/Benchmark count as Dataset; gold Generic and OtherScientificTerm are ignored.

    \b
    Examples:
      kg eval ../shared/corpora/scierc/dev.jsonl                       # full kg pipeline
      kg eval ../shared/corpora/scierc/dev.jsonl --model kg/models/entities
      kg eval gold.jsonl --pred extracted.jsonl --format json
      kg eval ../shared/corpora/csabstruct/dev.jsonl --claims --types Method
    """
    if pred and model:
        raise click.UsageError("use either --pred or --model, not both")
    gold_docs = list(read_gold(gold))
    obj.info(f"scoring {len(gold_docs)} gold records from {gold}")
    if pred:
        predictions = read_predictions(pred)
    elif model:
        predictions = predict_with_model(gold_docs, model)
    else:
        predictions = predict_with_pipeline(gold_docs)
    report = evaluate(gold_docs, predictions, _types(types), claims=claims)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(render_table(report))


COMMANDS = [eval_command]
