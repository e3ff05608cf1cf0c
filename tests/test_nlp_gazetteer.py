"""The shipped gazetteers, their matcher and the derived Papers with Code task list."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.nlp.gazetteer import DATA_DIR, SOURCES, Entry, Gazetteer, load_gazetteer, load_words, plurals
from kg.nlp.tasklist import HEADER, derive, keep

SHARED_TASKS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "pwc" / "tasks.txt"


def _hits(text: str, gazetteer: Gazetteer | None = None) -> list[tuple[str, str]]:
    found = (gazetteer or load_gazetteer()).find(text)
    return [(text[m.start : m.end], m.entry.type) for m in found]


def test_every_list_is_shipped_and_parses() -> None:
    for stem in SOURCES:
        assert (DATA_DIR / f"{stem}.txt").exists(), stem
    gazetteer = load_gazetteer()
    assert ("GSM8K", "Benchmark") in _hits("on GSM8K.", gazetteer)
    assert ("BLEU", "Metric") in _hits("BLEU rises", gazetteer)
    assert ("LoRA", "Method") in _hits("with LoRA,", gazetteer)
    assert ("The Pile", "Dataset") in _hits("trained on The Pile", gazetteer)
    assert ("semantic segmentation", "Task") in _hits("for semantic segmentation", gazetteer)


def test_case_rules() -> None:
    assert _hits("We solve MATH problems.") == [("MATH", "Benchmark")]
    assert _hits("We solve math problems.") == []  # a capitalised name matches only as written
    assert ("Accuracy", "Metric") in _hits("Accuracy improves.")  # lower-case names match in any case


def test_hyphen_space_and_plural_variants_match() -> None:
    assert _hits("fine tuning") == [("fine tuning", "Method")]
    assert _hits("fine-tuning") == [("fine-tuning", "Method")]
    assert _hits("supervised fine tuning")[0] == ("supervised fine tuning", "Method")
    assert _hits("supervised fine-tuning")[0] == ("supervised fine-tuning", "Method")
    assert ("graph neural networks", "Method") in _hits("graph neural networks")
    assert _hits("test accuracies") == [("accuracies", "Metric")]  # consonant + y -> ies
    assert _hits("their F1 scores") == [("F1 scores", "Metric")]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("accuracy", {"accuracys", "accuracies"}),
        ("latency", {"latencys", "latencies"}),
        ("policy", {"policys", "policies"}),
        ("key", {"keys"}),  # vowel + y takes "s" only
        ("bias", {"biass", "biases"}),
        ("patch", {"patchs", "patches"}),
        ("LLM", {"LLMs"}),
        ("GSM8K", {"GSM8Ks"}),
        ("pass@1", set()),
    ],
)
def test_plurals(name: str, expected: set[str]) -> None:
    assert plurals(name) == expected


def test_matches_respect_word_boundaries() -> None:
    assert _hits("GSM8Kx and xGSM8K") == []
    assert _hits("GSM8K.") == [("GSM8K", "Benchmark")]
    assert _hits("high-accuracy models") == []  # a lower-case name glued after a word is part of it
    assert _hits("accuracy-driven search")[0] == ("accuracy", "Metric")


def test_families_may_run_into_a_version() -> None:
    text = "Qwen2.5-7B beats Qwen."
    assert [t for t, _ in _hits(text)] == ["Qwen", "Qwen"]


def test_aliases_share_the_preferred_key(tmp_path: Path) -> None:
    lines = "# test\nproximal policy optimization|PPO\nGPT*\n"
    (tmp_path / "methods.txt").write_text(lines, encoding="utf-8")
    gazetteer = load_gazetteer(str(tmp_path))
    found = gazetteer.find("PPO and proximal policy optimization and GPT-4")
    assert {m.entry.key for m in found[:2]} == {"proximal policy optimization"}
    assert gazetteer.canonical("ppo") == "proximal policy optimization"
    assert found[2].entry == Entry("GPT", "Method", "gpt", "gazetteer", family=True)


def test_generic_stoplist() -> None:
    generic = load_words("generic")
    assert {"model", "approach", "method", "performance", "framework", "task"} <= generic
    assert "language" not in generic


@pytest.mark.parametrize(
    "name, kept",
    [
        ("Object Detection", True),
        ("3D Object Detection", True),
        ("Math", False),  # one word: ordinary
        ("Public Relations", False),  # no task noun
        ("Subgraph Counting - C6", False),
        ("2D Semantic Segmentation task 2 (17 classes)", False),
    ],
)
def test_task_list_filter(name: str, kept: bool) -> None:
    assert keep(name) is kept


def test_derived_task_list_is_lower_case_and_sourced() -> None:
    assert derive(["Object Detection", "object detection", "Math"]) == ["object detection"]
    lines = (DATA_DIR / "pwc_tasks.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert all(line == line.lower() for line in lines[1:])


def test_shipped_task_list_matches_its_source() -> None:
    if not SHARED_TASKS.exists():
        pytest.skip(f"{SHARED_TASKS} is absent (the shared corpora live in ../shared)")
    lines = (DATA_DIR / "pwc_tasks.txt").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == derive(SHARED_TASKS.read_text(encoding="utf-8").splitlines())


def test_weak_lines_give_way_to_the_model(tmp_path: Path) -> None:
    from kg.nlp.entities import RuleSettings, gazetteer_candidates

    (tmp_path / "methods.txt").write_text("?machine learning\nLoRA\n", encoding="utf-8")
    gazetteer = load_gazetteer(str(tmp_path))
    text = "machine learning with LoRA"
    cands = gazetteer_candidates(text, gazetteer.find(text), RuleSettings(gazetteer=0.95, pwc_tasks=0.7))
    assert [(text[c.start : c.end], c.confidence) for c in cands] == [
        ("machine learning", 0.7),
        ("LoRA", 0.95),
    ]
