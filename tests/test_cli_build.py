"""End-to-end tests of the graph-making commands: build, extract, stats, export, validate.

They run the real pipeline on the shipped example corpus (and on ../shared/seeds when present).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.types import ENTITY_TYPES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("kg") / "store"
    run("-q", "--store", str(store), "build", str(EXAMPLES))
    return store


def stats_of(store: Path) -> dict:
    return json.loads(run("--store", str(store), "stats", "--format", "json").stdout)


def test_build_examples_holds_every_paper_and_entity_type(example_store):
    counts = stats_of(example_store)
    assert counts["classes"]["Paper"] == 12  # 13 records, one paper duplicated across two files
    for entity_type in ENTITY_TYPES:
        assert counts["classes"][entity_type] > 0, entity_type
    assert counts["relations"]["evaluatesOn"] > 0
    assert counts["classes"]["Claim"] > 0


def test_rebuild_adds_nothing_and_gives_the_same_graph(example_store, tmp_path):
    before = tmp_path / "before.nt"
    after = tmp_path / "after.nt"
    run("--store", str(example_store), "export", "--format", "nt", "-o", str(before))
    report = json.loads(
        run("-q", "--store", str(example_store), "build", str(EXAMPLES), "--format", "json").stdout
    )
    assert report["papers_added"] == 0 and report["papers_replaced"] == 0
    assert report["papers_unchanged"] == 12
    run("--store", str(example_store), "export", "--format", "nt", "-o", str(after))
    assert before.read_bytes() == after.read_bytes()


def test_parallel_build_gives_the_same_graph_as_a_serial_one(tmp_path):
    from kg.build import build
    from kg.store import KgStore

    quads = []
    for jobs in (1, 2):
        store = tmp_path / f"jobs{jobs}"
        report = build([EXAMPLES], store, base="https://example.org/kg/", jobs=jobs, batch_size=3)
        assert report.papers_added == 12
        quads.append(set(KgStore(store, read_only=True).oxigraph.quads_for_pattern(None, None, None)))
    assert quads[0] == quads[1]


def test_built_graph_conforms_to_the_shapes(example_store):
    result = run("--store", str(example_store), "validate")
    assert "conforms" in result.stdout


def test_bad_records_are_reported_with_file_and_line_and_the_rest_is_built(tmp_path):
    bad = tmp_path / "mixed.jsonl"
    good = {
        "id": "x1",
        "title": "Tiny Adapters",
        "abstract": "We evaluate LoRA on GSM8K and report accuracy.",
    }
    bad.write_text(
        json.dumps(good)
        + "\n"
        + '{"id": "x2", "title": "broken\n'
        + json.dumps({"id": "x3", "title": "No abstract"})
        + "\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run("--store", str(store), "build", str(bad), "--format", "json")
    skipped = json.loads(result.stdout)["skipped"]
    assert {s["line"] for s in skipped} == {2, 3}
    assert all(s["file"].endswith("mixed.jsonl") for s in skipped)
    assert re.search(r"skipped .*mixed\.jsonl:2", result.stderr)
    assert stats_of(store)["classes"]["Paper"] == 1


def test_missing_input_is_a_usage_error(tmp_path):
    result = run("--store", str(tmp_path / "s"), "build", str(tmp_path / "nope.jsonl"), ok=False)
    assert result.exit_code == 2
    assert "nope.jsonl" in result.stderr


def test_querying_a_store_that_does_not_exist_fails_cleanly(tmp_path):
    result = run("--store", str(tmp_path / "none"), "stats", ok=False)
    assert result.exit_code == 4
    assert "kg build" in result.stderr


def test_extract_contract_offsets_point_into_the_fields(tmp_path):
    out = tmp_path / "x.jsonl"
    run("-q", "extract", str(EXAMPLES / "papers.jsonl"), "-o", str(out))
    records = {
        json.loads(line)["id"]: json.loads(line)
        for line in (EXAMPLES / "papers.jsonl").read_text().splitlines()
    }
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(records)
    seen_types = set()
    for paper in lines:
        fields = {"title": paper["title"], "abstract": None}
        source = next(r for r in records.values() if r["title"] == paper["title"])
        fields["abstract"] = source["abstract"]
        for item in paper["entities"] + paper["claims"]:
            assert item["field"] in ("title", "abstract")
            assert fields[item["field"]][item["start"] : item["end"]] == item["text"]
        for entity in paper["entities"]:
            assert entity["type"] in ENTITY_TYPES
            seen_types.add(entity["type"])
        for claim in paper["claims"]:
            assert claim["kind"] in ("comparison", "finding", "performance")
    assert {"Method", "Benchmark", "Metric"} <= seen_types


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = dict(main.commands)
    commands.update({f"export {name}": cmd for name, cmd in main.commands["export"].commands.items()})
    for name, command in commands.items():
        assert command.help and "kg " in command.help, name
        assert f"kg {name}" in readme, name


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent: the seeds build test needs it")
def test_seeds_build_yields_233_papers_and_top_benchmarks(tmp_path):
    store = tmp_path / "store"
    run("-q", "--store", str(store), "build", *map(str, sorted(SEEDS.glob("*.txt"))))
    counts = stats_of(store)
    assert counts["classes"]["Paper"] == 233
    for entity_type in ENTITY_TYPES:
        assert counts["classes"][entity_type] > 0, entity_type
    top = json.loads(
        run("--store", str(store), "sparql", "--named", "top-benchmarks", "--format", "json").stdout
    )
    rows = top["results"]["bindings"]
    assert rows and int(rows[0]["papers"]["value"]) >= int(rows[-1]["papers"]["value"])


def test_unchanged_papers_skip_the_nlp_and_changed_ones_are_replaced(tmp_path, monkeypatch):
    import kg.nlp
    from kg.build import build

    papers = tmp_path / "papers.jsonl"
    rows = [
        {"id": "p1", "title": "Tiny Adapters", "abstract": "We evaluate LoRA on GSM8K and report accuracy."},
        {
            "id": "p2",
            "title": "Small Routers",
            "abstract": "We train routers on ImageNet and report top-1 accuracy.",
        },
    ]
    papers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = tmp_path / "store"
    assert build([papers], store, base="https://example.org/kg/").papers_added == 2

    def no_pipeline(*args, **kwargs):
        raise AssertionError("the pipeline must not load when no paper changed")

    with monkeypatch.context() as patch:
        patch.setattr(kg.nlp, "build_pipeline", no_pipeline)
        again = build([papers], store, base="https://example.org/kg/")
    assert (again.papers_added, again.papers_unchanged, again.papers_replaced) == (0, 2, 0)

    rows[1]["abstract"] = "We train routers on CIFAR-10 and report top-1 accuracy."
    papers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    changed = build([papers], store, base="https://example.org/kg/")
    assert (changed.papers_added, changed.papers_unchanged, changed.papers_replaced) == (0, 1, 1)
    assert stats_of(store)["classes"]["Paper"] == 2
