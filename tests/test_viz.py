"""The HTML export without a browser: what is selected, what the page embeds, what it refuses.

tiny.trig (tests/fixtures/viz) documents its nodes and edges in its header; the expectations below are read
off that table.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fixtures.query.helpers import kg_group
from fixtures.viz.graphs import (
    BASE,
    ENTITY,
    EVIL_CLAIM,
    EVIL_LABEL,
    EVIL_TITLE,
    synthetic_store,
    tiny_store,
)

from kg.cli.html import COMMANDS
from kg.errors import KgError, NotFoundError
from kg.viz import GraphTooLargeError, Selection, export_html
from kg.viz import select as select_module
from kg.viz.details import node_details
from kg.viz.graph import load_graph
from kg.viz.render import node_size, short_label
from kg.viz.select import check_size, fits, select_view

E = ENTITY
P = BASE + "paper/arxiv:2401.0000"


@pytest.fixture(scope="module")
def tiny():
    return tiny_store()


@pytest.fixture(scope="module")
def tiny_graph(tiny):
    return load_graph(tiny)


def labels(view) -> set[str]:
    return {node.label for node in view.nodes.values()}


def test_whole_graph_holds_linked_papers_and_typed_entities(tiny_graph):
    view = select_view(tiny_graph, Selection())
    assert set(view.nodes) == {E + e for e in ("reft", "sft", "gsm8k", "accuracy", "mwp", "evil")} | {
        P + "1",
        P + "2",
        P + "3",
    }  # P4 links to nothing
    assert len(view.edges) == 11
    gsm8k = view.nodes[E + "gsm8k"]
    assert (gsm8k.kind, gsm8k.types, gsm8k.papers) == ("Benchmark", ("Benchmark", "Dataset"), 3)
    assert view.nodes[E + "reft"].acronyms == ("ReFT",)


def test_bare_mentions_are_drawn_only_where_no_typed_relation_exists(tiny_graph):
    relations = {(e.source, e.target): e.relations for e in tiny_graph.edges}
    assert relations[P + "1", E + "sft"] == ("uses",)  # P1 also mentions SFT: one edge, typed
    assert relations[P + "2", E + "evil"] == ("mentions",)
    assert relations[E + "reft", E + "sft"] == ("outperforms",)


@pytest.mark.parametrize(
    ("selection", "focus", "expected", "edges"),
    [
        (
            Selection(types=("Method",)),
            (),
            {"Reinforced Fine-Tuning", "SFT", EVIL_LABEL, "P1", "P2", "P3"},
            6,
        ),
        (Selection(min_papers=2), (), {"SFT", "GSM8K", EVIL_LABEL, "P1", "P2", "P3"}, 7),
        (Selection(focus="ReFT", hops=1), ("reft",), {"Reinforced Fine-Tuning", "P1", "SFT"}, 3),
        (
            Selection(focus="ReFT", hops=2),
            ("reft",),
            {"Reinforced Fine-Tuning", "P1", "SFT", "GSM8K", "accuracy", "P2"},
            7,
        ),
        (Selection(focus="GSM8K", min_papers=5), ("gsm8k",), {"GSM8K", "P1", "P2", "P3"}, 3),
    ],
    ids=["types", "min-papers", "focus-1-hop", "focus-2-hops", "focus-survives-filters"],
)
def test_selection_options(tiny_graph, selection, focus, expected, edges):
    view = select_view(tiny_graph, selection, {E + f for f in focus})
    papers = {P + n: f"P{n}" for n in "123"}
    assert {papers.get(iri, node.label) for iri, node in view.nodes.items()} == expected
    assert len(view.edges) == edges


def test_focus_resolves_entity_names_and_paper_identifiers(tiny, tmp_path):
    by_acronym = export_html(tiny, Selection(focus="reft", hops=1), tmp_path / "a.html")
    assert by_acronym.focus == ("Reinforced Fine-Tuning",) and by_acronym.nodes == 3
    by_paper = export_html(tiny, Selection(focus="arxiv:2401.00003", hops=1), tmp_path / "b.html")
    assert by_paper.focus == ("Solving math word problems",) and (by_paper.nodes, by_paper.edges) == (4, 3)
    with pytest.raises(NotFoundError):
        export_html(tiny, Selection(focus="no such method anywhere"), tmp_path / "c.html")


def test_tooltips_rank_proposing_then_newest_papers_and_carry_claims(tiny, tiny_graph):
    details = node_details(tiny, tiny_graph, select_view(tiny_graph, Selection()))
    # all three GSM8K papers evaluate on it: newest first, undated last
    assert details[E + "gsm8k"].papers == (
        EVIL_TITLE,
        "ReFT: Reasoning with Reinforced Fine-Tuning",
        "Solving math word problems",
    )
    assert details[E + "reft"].claims == ("ReFT outperforms SFT on GSM8K by 9 points of accuracy.",)
    assert details[P + "2"].claims == (EVIL_CLAIM,) and details[P + "2"].papers == ()


class _Page(HTMLParser):
    """Collects tags, URL attributes and script bodies as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("src", "href", "action", "srcset")]
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


@pytest.fixture(scope="module")
def page(tiny, tmp_path_factory) -> _Page:
    out = tmp_path_factory.mktemp("page") / "tiny.html"
    export_html(tiny, Selection(), out)
    parsed = _Page()
    parsed.feed(out.read_text(encoding="utf-8"))
    return parsed


def test_page_loads_nothing_from_anywhere(page):
    assert all(url.startswith("data:") for url in page.urls), page.urls
    assert all("src" not in attrs for attrs, _ in page.scripts)


def test_untrusted_text_stays_inert_json(page):
    # A browser would split a script element at "</script>": each body must be exactly what we wrote.
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None, None]
    assert "img" not in page.tags  # the payload's <img> never became an element
    data = json.loads(page.scripts[0][1])
    texts = json.dumps([node["kg"] for node in data["nodes"]], ensure_ascii=False)
    for payload in (EVIL_LABEL, EVIL_TITLE, EVIL_CLAIM):
        assert json.dumps(payload, ensure_ascii=False)[1:-1] in texts  # carried verbatim, as data
    assert "<" not in page.scripts[0][1]


def test_header_escapes_the_focus_name(tiny, tmp_path):
    out = tmp_path / "evil.html"
    export_html(tiny, Selection(focus=EVIL_LABEL, hops=1), out)
    parsed = _Page()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert "img" not in parsed.tags


def test_a_corpus_of_250_papers_fits_and_a_larger_one_is_refused_with_a_working_hint():
    assert fits(select_view(load_graph(synthetic_store(250)), Selection()))
    graph = load_graph(synthetic_store(900, vocabulary=8000))
    with pytest.raises(GraphTooLargeError, match="--focus NAME") as refused:
        check_size(graph, select_view(graph, Selection()), Selection())
    hinted = int(str(refused.value).split("--min-papers ")[1].split()[0])
    assert fits(select_view(graph, Selection(min_papers=hinted)))
    assert not fits(select_view(graph, Selection(min_papers=hinted - 1)))


def test_nothing_to_draw_is_refused(tiny, tmp_path):
    with pytest.raises(KgError, match="nothing to draw"):
        export_html(tiny, Selection(min_papers=50, types=("Metric",)), tmp_path / "none.html")
    assert not (tmp_path / "none.html").exists()


def test_labels_are_cut_and_sizes_grow_with_papers(tiny_graph):
    assert short_label("a" * 40, 10) == "a" * 9 + "…" and short_label("GSM8K") == "GSM8K"
    sizes = [node_size(tiny_graph.nodes[E + name]) for name in ("accuracy", "sft", "gsm8k")]  # 1, 2, 3 papers
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    assert node_size(tiny_graph.nodes[P + "1"]) < sizes[0]


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    tiny_store(path)
    return path


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(kg_group(store, COMMANDS, quiet=False), ["html", *args], catch_exceptions=False)


def test_cli_writes_to_outputs_by_default(disk_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(disk_store, "--all", "--types", "method,task", "--min-papers", "1")
    assert result.exit_code == 0, result.output
    assert "7 nodes, 7 edges" in result.output  # ReFT, SFT, EVIL, MWP and P1-P3
    assert (tmp_path / "outputs" / "graph.html").is_file()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--all", "--focus", "GSM8K"], 2, "either --focus"),
        ([], 2, "either --focus"),
        (["--all", "--hops", "1"], 2, "--hops goes with --focus"),
        (["--all", "--types", "Method,Gadget"], 2, "unknown entity type"),
        (["--focus", "nothing like this"], NotFoundError.exit_code, "no entity named"),
        (["--all", "--min-papers", "99"], KgError.exit_code, "nothing to draw"),
    ],
)
def test_cli_refuses_bad_requests(disk_store, tmp_path, args, code, message):
    result = run(disk_store, *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == code and message in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_refuses_a_page_too_large(disk_store, tmp_path, monkeypatch):
    monkeypatch.setattr(select_module, "MAX_NODES", 5)
    result = run(disk_store, "--all", "-o", str(tmp_path / "big.html"))
    assert result.exit_code != 0 and "--min-papers 3" in result.output and "--focus" in result.output
    assert not (tmp_path / "big.html").exists()


def test_cli_help_has_examples(disk_store):
    result = run(disk_store, "--help")
    assert result.exit_code == 0 and "kg export html --focus" in result.output
