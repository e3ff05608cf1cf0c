"""Build-run records and `kg diff`: each build that changes the store says what it added, in the store."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.rdf.sample import BASE, sample_store

from kg.cli import main
from kg.ingest.identity import title_key
from kg.rdf.iris import paper_iri
from kg.runs import Changes, Rekeyed, RunRecord, Snapshot, save_run
from kg.store import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# In papers.jsonl without its arXiv id (so keyed by its title), in feed.atom with it.
SRA_TITLE = "Sparse Routing Adapters for Parameter-Efficient Reasoning"
SRA_ABSTRACT = json.loads((EXAMPLES / "papers.jsonl").read_text().splitlines()[0])["abstract"]
SRA_OLD = paper_iri(BASE, title_key(SRA_TITLE, SRA_ABSTRACT)).value
SRA_NEW = paper_iri(BASE, "arxiv:2599.00101").value


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def kg_json(store: Path, *args: str):
    return json.loads(run("-q", "--store", str(store), *args, "--format", "json").stdout)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A store built from papers.jsonl, then from all of examples/: the two builds' JSON summaries."""
    store = tmp_path_factory.mktemp("runs") / "store"
    first = kg_json(store, "build", str(EXAMPLES / "papers.jsonl"))
    second = kg_json(store, "build", str(EXAMPLES), "--report")
    return store, first, second


def test_snapshot_changes_tell_added_from_replaced_and_new_from_known() -> None:
    known = {"p1": frozenset({"d1"}), "p2": frozenset({"d2"})}
    before = Snapshot(known, frozenset({"e1"}), frozenset({"c1"}))
    after = Snapshot(
        {"p1": frozenset({"d1"}), "p2": frozenset({"d3"}), "p3": frozenset({"d4"})},
        frozenset({"e1", "e2"}),
        frozenset({"c1", "c2", "c3"}),
    )
    changes = Changes.between(before, after)
    assert changes == Changes(("p3",), ("p2",), ("e2",), ("c2", "c3"))
    assert not Changes.between(after, after)


def test_a_rekeyed_paper_is_replaced_not_added_and_its_old_claims_are_not_new() -> None:
    old, new, other = (f"{BASE}paper/{key}" for key in ("title:t", "arxiv:a", "arxiv:b"))
    kept, added = f"{BASE}claim/title:t/abstract/0-9", f"{BASE}claim/arxiv:a/abstract/10-20"
    before = Snapshot({old: frozenset({"d1"})}, frozenset(), frozenset({kept}))
    after = Snapshot(
        {new: frozenset({"d2"}), other: frozenset({"d3"})},
        frozenset(),
        frozenset({f"{BASE}claim/arxiv:a/abstract/0-9", added, f"{BASE}claim/arxiv:b/abstract/0-9"}),
    )
    rekeyed = (Rekeyed(old, new),)
    changes = Changes.between(before, after, rekeyed)
    assert changes == Changes((other,), (new,), (), (added, f"{BASE}claim/arxiv:b/abstract/0-9"), rekeyed)


def test_each_build_that_changes_the_store_is_recorded_newest_first(two_runs) -> None:
    store, first, second = two_runs
    runs = json.loads(run("--store", str(store), "diff", "--list", "--format", "json").stdout)
    assert [r["run"] for r in runs] == [second["run"]["run"], first["run"]["run"]]
    assert runs[1]["papers_added"] == first["papers_added"] == 6
    assert runs[0]["papers_added"] == second["papers_added"] > 0
    assert runs[0]["papers_unchanged"] == second["papers_unchanged"]
    assert second["papers_added"] + second["papers_replaced"] + second["papers_unchanged"] == 12
    assert runs[0]["inputs"] == [EXAMPLES.resolve().as_uri()]
    assert runs[0]["started"] <= runs[0]["ended"]


def test_diff_lists_exactly_what_the_run_added(two_runs) -> None:
    store, first, _ = two_runs
    latest = kg_json(store, "diff", "--limit", "1000")
    earlier = kg_json(store, "diff", first["run"]["id"], "--limit", "1000")
    first_ids = {p["detail"] for p in earlier["new papers"]}
    later_ids = {p["detail"] for p in latest["new papers"]}
    papers = {json.loads(line)["title"] for line in (EXAMPLES / "papers.jsonl").read_text().splitlines()}
    assert {p["label"] for p in earlier["new papers"]} == papers
    assert len(first_ids) == 6 and later_ids and not first_ids & later_ids
    # An entity is new only once: what the first run introduced is not new again in the second.
    first_entities = {e["iri"] for e in earlier["new entities"]}
    later_entities = {e["iri"] for e in latest["new entities"]}
    assert first_entities and later_entities and not first_entities & later_entities
    assert len(later_entities) == latest["entities_added"]
    assert all(e["detail"] for e in latest["new entities"]), "every entity shows its types"
    later_titles = {p["label"] for p in latest["new papers"]}
    assert {c["detail"] for c in latest["new claims"]} <= later_titles


def test_build_report_prints_the_run_and_json_carries_it(two_runs) -> None:
    _, _, second = two_runs
    assert second["run"]["papers_added"] == len(second["run"]["new papers"]) == second["papers_added"]
    assert second["run"]["claims_added"] == len(second["run"]["new claims"])


def test_the_second_build_rekeys_the_paper_the_first_keyed_by_its_title(two_runs) -> None:
    store, _, second = two_runs
    assert kg_json(store, "stats")["classes"]["Paper"] == 12
    assert (second["papers_added"], second["papers_replaced"], second["papers_unchanged"]) == (6, 1, 5)
    recorded = second["run"]
    assert recorded["rekeyed"] == [{"old": SRA_OLD, "new": SRA_NEW}]
    assert (recorded["papers_added"], recorded["papers_replaced"]) == (6, 1), "re-keyed is not new"
    [replaced] = recorded["replaced papers"]
    assert replaced["iri"] == SRA_NEW and replaced["label"] == SRA_TITLE
    assert replaced["detail"] == f"arxiv:2599.00101, was {title_key(SRA_TITLE, SRA_ABSTRACT)}"
    assert SRA_NEW not in {p["iri"] for p in recorded["new papers"]}
    listed = kg_json(store, "diff", "--list")[0]
    assert listed["rekeyed"] == recorded["rekeyed"], "read back from the store as it was recorded"
    assert "1 replaced (1 re-keyed)" in run("--store", str(store), "diff").stdout


def test_a_title_only_record_after_its_arxiv_keyed_paper_adds_nothing(tmp_path) -> None:
    """The reverse order: the stored paper's kg:titleKey says the title-keyed record is the same paper."""
    store = tmp_path / "store"
    kg_json(store, "build", str(EXAMPLES))
    later = kg_json(store, "build", str(EXAMPLES / "papers.jsonl"))
    assert (later["papers_added"], later["papers_replaced"], later["papers_unchanged"]) == (0, 0, 6)
    assert later["run"] is None
    assert kg_json(store, "stats")["classes"]["Paper"] == 12


def test_an_earlier_run_names_the_rekeyed_paper_by_what_it_became(two_runs) -> None:
    store, first, _ = two_runs
    earlier = kg_json(store, "diff", first["run"]["id"])
    [sra] = [p for p in earlier["new papers"] if p["iri"] == SRA_OLD]
    assert sra["label"] == SRA_TITLE
    assert sra["detail"] == f"{title_key(SRA_TITLE, SRA_ABSTRACT)}, now arxiv:2599.00101"
    claims = [c for c in earlier["new claims"] if c["iri"].startswith(SRA_OLD.replace("/paper/", "/claim/"))]
    assert claims and all(c["detail"] == SRA_TITLE and c["label"] in SRA_ABSTRACT for c in claims)


def test_a_build_that_changes_nothing_is_not_recorded(two_runs) -> None:
    store, _, second = two_runs
    again = run("--store", str(store), "build", str(EXAMPLES), "--report")
    assert "nothing new" in again.stdout
    third = kg_json(store, "build", str(EXAMPLES))
    assert (third["papers_added"], third["papers_replaced"], third["papers_unchanged"]) == (0, 0, 12)
    assert third["run"] is None
    runs = json.loads(run("--store", str(store), "diff", "--list", "--format", "json").stdout)
    assert len(runs) == 2 and runs[0]["run"] == second["run"]["run"]


def test_a_store_with_runs_still_conforms_to_the_shapes(two_runs) -> None:
    store, _, _ = two_runs
    assert "conforms" in run("--store", str(store), "validate").stdout


def _record(iri: str, changes: Changes) -> RunRecord:
    now = datetime.now(UTC)
    return RunRecord(iri, now, now, "p", "s", "local", (), 0, 0, changes)


def test_a_run_naming_a_paper_gone_without_a_successor_does_not_conform() -> None:
    store = sample_store()
    kept = paper_iri(BASE, "arxiv:2401.00001").value
    gone = paper_iri(BASE, "title:0123456789abcdef").value
    earlier = _record(f"{BASE}run/1", Changes((gone,), (), (), ()))
    save_run(store, earlier)
    conforms, report = validate(store)
    assert not conforms and "addedPaper" in report
    later = Changes((), (kept,), (), (), (Rekeyed(gone, kept),))
    save_run(store, dataclasses.replace(earlier, iri=f"{BASE}run/2", changes=later))
    assert validate(store)[0]


def test_a_changed_paper_is_reported_as_replaced_with_its_new_claims(tmp_path) -> None:
    papers = tmp_path / "papers.jsonl"
    row = {"id": "p1", "title": "Tiny Adapters", "abstract": "We evaluate LoRA on GSM8K and report accuracy."}
    papers.write_text(json.dumps(row) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    kg_json(store, "build", str(papers))
    row["abstract"] += " Our adapters outperform LoRA by 3.1 points on GSM8K and on MATH."
    papers.write_text(json.dumps(row) + "\n", encoding="utf-8")
    changed = kg_json(store, "build", str(papers), "--report")["run"]
    assert changed["papers_added"] == 0 and changed["papers_replaced"] == 1
    assert [p["label"] for p in changed["replaced papers"]] == ["Tiny Adapters"]
    assert any("MATH" in e["label"] for e in changed["new entities"])
    assert all("LoRA" not in e["label"] for e in changed["new entities"]), "LoRA was known before"


def test_diff_of_an_unknown_run_or_an_empty_store_fails_cleanly(two_runs, tmp_path) -> None:
    store, _, _ = two_runs
    unknown = run("--store", str(store), "diff", "no-such-run", ok=False)
    assert unknown.exit_code == 6 and "no build run" in unknown.stderr
    missing = run("--store", str(tmp_path / "none"), "diff", ok=False)
    assert missing.exit_code == 4


def test_runs_are_listed_per_iri_base(two_runs, tmp_path) -> None:
    store, first, second = two_runs
    papers = tmp_path / "papers.jsonl"
    row = {"id": "b1", "title": "Tiny Adapters", "abstract": "We evaluate LoRA on GSM8K and report accuracy."}
    papers.write_text(json.dumps(row) + "\n", encoding="utf-8")
    other = kg_json(store, "--base", "https://example.org/other/", "build", str(papers))
    assert other["run"]["run"].startswith("https://example.org/other/run/")

    def listed(*base: str) -> list[str]:
        return [r["run"] for r in kg_json(store, *base, "diff", "--list")]

    assert listed() == [second["run"]["run"], first["run"]["run"]]
    assert listed("--base", "https://example.org/other/") == [other["run"]["run"]]
