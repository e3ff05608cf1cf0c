"""The extraction scorer (kg.eval) and the `kg eval` command, on tiny hand-made gold and predictions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.errors import InputError
from kg.eval import (
    Annotation,
    GoldDoc,
    GoldSentence,
    Prediction,
    evaluate,
    fold_type,
    read_gold,
    read_predictions,
    split_of,
)
from kg.types import Extraction, Mention, Origin, Record, Span

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def _gold(entities: list[tuple[int, int, str]], sentences: tuple[GoldSentence, ...] = ()) -> GoldDoc:
    record = Record(id="d", title="", abstract="x" * 200, source="test", origin=Origin("mem", 1))
    spans = tuple(Annotation("abstract", s, e, t) for s, e, t in entities)
    return GoldDoc(record, spans, sentences)


def _pred(
    entities: list[tuple[int, int, str]], claims: tuple[tuple[int, int], ...] = ()
) -> dict[str, Prediction]:
    spans = tuple(Annotation("abstract", s, e, t) for s, e, t in entities)
    return {"d": Prediction("d", spans, tuple(Annotation("abstract", s, e, "finding") for s, e in claims))}


def test_fold_type_maps_material_and_benchmark_to_dataset_and_drops_non_project_types():
    assert fold_type("Material") == fold_type("Benchmark") == fold_type("Dataset") == "Dataset"
    assert fold_type("Method") == "Method"
    assert fold_type("Generic") is None
    assert fold_type("OtherScientificTerm") is None


def test_exact_and_overlap_counts_per_type_and_micro():
    gold = _gold([(0, 10, "Method"), (20, 30, "Material"), (40, 50, "Task"), (60, 65, "Generic")])
    pred = _pred(
        [
            (0, 10, "Method"),  # exact hit
            (20, 28, "Benchmark"),  # overlaps the Material gold span, folded to Dataset
            (45, 55, "Task"),  # overlap only
            (60, 65, "Method"),  # gold there is Generic (ignored): a false positive
            (70, 75, "Metric"),  # no gold at all
        ]
    )
    report = evaluate([gold], pred)
    exact, overlap = report.entities["exact"], report.entities["overlap"]
    assert (exact["Method"].precision, exact["Method"].recall) == (0.5, 1.0)
    assert exact["Dataset"].f1 == 0.0
    assert exact["Metric"].pred == 1 and exact["Metric"].gold == 0
    # micro: 5 predictions, 3 scored gold spans, 1 exact match
    assert exact["micro"].precision == pytest.approx(1 / 5)
    assert exact["micro"].recall == pytest.approx(1 / 3)
    assert exact["micro"].f1 == pytest.approx(0.25)
    # overlap: Method, Dataset and Task predictions each touch their gold span
    assert overlap["micro"].precision == pytest.approx(3 / 5)
    assert overlap["micro"].recall == pytest.approx(1.0)
    assert overlap["micro"].f1 == pytest.approx(0.75)


def test_overlap_needs_same_type_and_same_field():
    gold = _gold([(0, 10, "Method")])
    wrong_type = _pred([(0, 10, "Task")])
    assert evaluate([gold], wrong_type).entities["overlap"]["micro"].gold_hit == 0
    title_span = {"d": Prediction("d", (Annotation("title", 0, 10, "Method"),))}
    assert evaluate([gold], title_span).entities["exact"]["micro"].pred_hit == 0


def test_one_prediction_covering_two_gold_spans_counts_once_for_precision():
    gold = _gold([(0, 5, "Method"), (6, 10, "Method")])
    counts = evaluate([gold], _pred([(0, 10, "Method")])).entities["overlap"]["Method"]
    assert (counts.pred_hit, counts.gold_hit) == (1, 2)
    assert (counts.precision, counts.recall) == (1.0, 1.0)


def test_types_filter_restricts_micro_to_the_chosen_types():
    gold = _gold([(0, 10, "Method"), (20, 30, "Task")])
    report = evaluate([gold], _pred([(0, 10, "Method"), (40, 45, "Task")]), types=("Method",))
    assert set(report.entities["exact"]) == {"Method", "micro"}
    assert report.entities["exact"]["micro"].f1 == 1.0


def test_missing_prediction_scores_as_empty_and_is_listed():
    report = evaluate([_gold([(0, 10, "Method")])], {})
    assert report.missing == ["d"]
    assert report.entities["exact"]["micro"].recall == 0.0


def test_claim_sentences_positive_labels_and_unknown_ignored():
    sentences = (
        GoldSentence(Annotation("abstract", 0, 50, "sentence"), True),
        GoldSentence(Annotation("abstract", 51, 100, "sentence"), False),
        GoldSentence(Annotation("abstract", 101, 150, "sentence"), None),
    )
    pred = _pred([], claims=((10, 20), (60, 70), (120, 130)))
    claims = evaluate([_gold([], sentences)], pred, claims=True).claims
    assert (claims.pred, claims.gold, claims.pred_hit) == (2, 1, 1)
    assert (claims.precision, claims.recall) == (0.5, 1.0)


def test_read_gold_builds_records_and_defaults_offsets_to_abstract():
    docs = list(read_gold(FIXTURES / "gold.jsonl"))
    assert [d.record.id for d in docs] == ["doc1", "doc2"]
    assert docs[1].record.title == "A title"
    assert docs[0].record.origin == Origin(str(FIXTURES / "gold.jsonl"), 1)
    assert {e.field for e in docs[0].entities} == {"abstract"}
    assert [s.positive for s in docs[1].sentences] == [False, None]


def test_read_gold_reports_bad_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "abstract": "x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        list(read_gold(bad))


def test_predictions_round_trip_through_the_extract_contract(tmp_path):
    record = Record(id="r1", title="T", abstract="We use BERT.", source="t", origin=Origin("m", 1))
    mention = Mention(Span(7, 11, "BERT", "abstract"), "Method", "bert", "BERT", (0, 12), "model", 0.9)
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(Extraction(record, mentions=[mention]).to_json()) + "\n", encoding="utf-8")
    assert read_predictions(path)["r1"].entities == (Annotation("abstract", 7, 11, "Method"),)


def test_split_of_is_deterministic_and_roughly_proportional():
    ids = [f"scirex:{i}" for i in range(2000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    assert 0.15 < splits.count("test") / len(ids) < 0.25
    assert 0.05 < splits.count("dev") / len(ids) < 0.15


def test_cli_json_output_on_fixture_files():
    from kg.cli import main
    from kg.cli.eval import eval_command

    main.add_command(eval_command)
    args = ["eval", str(FIXTURES / "gold.jsonl"), "--pred", str(FIXTURES / "pred.jsonl"), "--claims"]
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["entities"]["exact"]["micro"]["f1"] == 0.25
    assert data["entities"]["overlap"]["micro"]["f1"] == 0.5
    assert data["claims"]["recall"] == 1.0


def test_cli_table_and_help():
    from kg.cli import main
    from kg.cli.eval import eval_command

    main.add_command(eval_command)
    runner = CliRunner()
    table = runner.invoke(
        main, ["-q", "eval", str(FIXTURES / "gold.jsonl"), "--pred", str(FIXTURES / "pred.jsonl")]
    )
    assert table.exit_code == 0
    assert "micro" in table.stdout and "overlap" in table.stdout
    assert "Example" in runner.invoke(main, ["eval", "--help"]).stdout


def test_read_gold_keeps_records_with_a_repeated_id_apart(tmp_path):
    gold = tmp_path / "same-id.jsonl"
    rows = [{"id": "corpus:0", "abstract": text} for text in ("First abstract.", "Second one.", "Third.")]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ids = [doc.record.id for doc in read_gold(gold)]
    assert len(set(ids)) == 3
    assert ids[0] == "corpus:0"
