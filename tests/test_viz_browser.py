"""The exported page in a real browser: it draws every node and edge, settles, stays offline and inert.

Headless Chromium from the Debian packages (scripts/install-browser.sh), driven by Selenium; skipped with the
reason when either is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.viz.browser import chromium, hover, missing, open_page
from fixtures.viz.graphs import ENTITY, EVIL_CLAIM_2, EVIL_LABEL, synthetic_store, tiny_store

from kg.config import DEFAULT_BASE
from kg.store import KgStore
from kg.viz import HtmlExport, Selection, export_html

pytestmark = [pytest.mark.browser, pytest.mark.skipif(missing() is not None, reason=str(missing()))]

EVIL = ENTITY + "evil"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
COUNTS = "return [kgGraph.network.body.data.nodes.length, kgGraph.network.body.data.edges.length]"


@pytest.fixture(scope="module")
def driver():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def tiny_page(tmp_path_factory) -> tuple[Path, HtmlExport]:
    out = tmp_path_factory.mktemp("pages") / "tiny.html"
    return out, export_html(tiny_store(), Selection(), out)


def assert_offline_and_clean(loaded) -> None:
    """Only the page itself was requested (data: URIs are not requests), and nothing went wrong."""
    assert [url for url in loaded.requests if not url.startswith("data:")] == [loaded.url]
    assert loaded.errors == ()


def test_small_page_draws_everything_offline_and_freezes(driver, tiny_page):
    out, written = tiny_page
    loaded = open_page(driver, out)
    assert_offline_and_clean(loaded)
    assert driver.execute_script(COUNTS) == [written.nodes, written.edges] == [9, 11]
    assert driver.execute_script("return kgGraph.network.physics.options.enabled") is False


def test_injected_markup_stays_text_in_tooltips(driver, tiny_page):
    out, _ = tiny_page
    open_page(driver, out)
    hover(driver, EVIL)
    tip = driver.execute_script(
        "const t = document.querySelector('div.vis-tooltip');"
        "return [t.textContent, t.querySelectorAll('img, script').length];"
    )
    assert EVIL_LABEL in tip[0] and EVIL_CLAIM_2 in tip[0] and tip[1] == 0
    # every payload (label, title, claim, abstract) would have set this had it run
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0


def test_search_and_type_filter(driver, tiny_page):
    out, _ = tiny_page
    open_page(driver, out)
    box = driver.find_element("css selector", "#kg-search input")
    box.send_keys("sft")  # SFT by name and acronym; nothing else contains "sft"
    assert driver.execute_script("return kgGraph.network.getSelectedNodes()") == [ENTITY + "sft"]
    assert driver.find_element("css selector", "#kg-matches").text == "1 match"
    driver.find_element("css selector", "#kg-legend input[data-kind='Paper']").click()
    hidden = driver.execute_script("return kgGraph.nodes.get({filter: (n) => n.hidden}).length")
    assert hidden == 3


def test_a_250_paper_graph_opens_and_settles(driver, tmp_path):
    out = tmp_path / "corpus.html"
    written = export_html(synthetic_store(250), Selection(), out)
    loaded = open_page(driver, out)
    assert_offline_and_clean(loaded)
    assert driver.execute_script(COUNTS) == [written.nodes, written.edges]
    assert written.nodes > 1000


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS} (../shared is absent)")
def test_the_whole_seed_corpus_opens_and_settles(driver, tmp_path):
    from kg.build import build

    build([SEEDS], tmp_path / "store", base=DEFAULT_BASE)
    out = tmp_path / "seeds.html"
    written = export_html(KgStore(tmp_path / "store", read_only=True), Selection(), out)
    loaded = open_page(driver, out)
    assert_offline_and_clean(loaded)
    assert driver.execute_script(COUNTS) == [written.nodes, written.edges]
