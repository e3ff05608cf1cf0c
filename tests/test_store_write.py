"""The write path: idempotent, incremental, replaces changed papers cleanly, never half-writes a paper."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fixtures.rdf.sample import BASE, cot_paper, gpt4_paper, reft_paper, sample_extractions, sample_store

from kg.ingest.identity import title_key
from kg.rdf import iris
from kg.rdf.triples import paper_triples
from kg.store import KgStore, WriteStats, paper_graphs, refresh_derived, write_extractions
from kg.types import Extraction


class Interrupted(Exception):
    """Stands for a crash of the NLP stage while the writer is draining its input."""


def _quads(store: KgStore) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None))


def _then_crash(extractions: list[Extraction]) -> Iterator[Extraction]:
    yield from extractions
    raise Interrupted


def test_first_write_adds_every_paper_and_counts_its_triples() -> None:
    store = KgStore(None)
    stats = write_extractions(store, sample_extractions(), BASE)
    expected = sum(len(paper_triples(x, BASE)[1]) for x in sample_extractions())
    assert stats == WriteStats(added=4, unchanged=0, replaced=0, triples=expected)
    assert len(_quads(store)) == expected


def test_writing_the_same_extractions_again_changes_nothing() -> None:
    store = sample_store()
    before = _quads(store)
    stats = write_extractions(store, sample_extractions(), BASE, batch_size=3)
    refresh_derived(store, BASE)
    assert stats == WriteStats(added=0, unchanged=4, replaced=0, triples=0)
    assert _quads(store) == before


def test_a_changed_paper_replaces_its_old_graph_without_stale_triples() -> None:
    store = sample_store()
    changed = reft_paper(" We release code.")
    stats = write_extractions(store, [changed], BASE)
    refresh_derived(store, BASE)
    assert stats.replaced == 1 and stats.added == stats.unchanged == 0
    fresh = KgStore(None)
    write_extractions(store=fresh, extractions=[changed, *sample_extractions()[1:]], base=BASE)
    refresh_derived(fresh, BASE)
    assert _quads(store) == _quads(fresh)
    assert paper_graphs(store, iris.paper_iri(BASE, changed.record.id)) == {paper_triples(changed, BASE)[0]}


def test_an_entity_no_paper_mentions_any_more_disappears() -> None:
    store = sample_store()
    without_mathqa = reft_paper()
    without_mathqa.mentions = [m for m in without_mathqa.mentions if m.key != "mathqa"]
    without_mathqa.claims = [c for c in without_mathqa.claims if "mathqa" not in c.datasets]
    write_extractions(store, [without_mathqa], BASE)
    refresh_derived(store, BASE)
    mathqa = iris.entity_iri(BASE, "mathqa")
    assert not list(store.oxigraph.quads_for_pattern(mathqa, None, None, None))


def test_a_crash_midway_through_a_batch_leaves_the_previous_graph_intact() -> None:
    store = sample_store()
    before = _quads(store)
    changed = reft_paper(" A changed sentence.")
    new_paper = Extraction(dataclasses.replace(gpt4_paper().record, id="arxiv:9999.00001"))
    with pytest.raises(Interrupted):
        write_extractions(store, _then_crash([changed, new_paper]), BASE, batch_size=10)
    assert _quads(store) == before
    assert not store.has_graph(paper_triples(changed, BASE)[0])
    assert not paper_graphs(store, iris.paper_iri(BASE, "arxiv:9999.00001"))


def test_a_crash_in_a_later_batch_keeps_every_paper_whole() -> None:
    store = sample_store()
    changed = [reft_paper(" First."), cot_paper()]
    with pytest.raises(Interrupted):
        write_extractions(store, _then_crash(changed), BASE, batch_size=1)
    for x in sample_extractions():
        graphs = paper_graphs(store, iris.paper_iri(BASE, x.record.id))
        assert len(graphs) == 1
    assert store.has_graph(paper_triples(changed[0], BASE)[0])


def test_a_leftover_old_version_is_dropped_by_the_next_write() -> None:
    store = sample_store()
    old_name, old_triples = paper_triples(reft_paper(" Old version."), BASE)
    store.add_graphs({old_name: old_triples})  # as if a build died between adding and dropping
    stats = write_extractions(store, [reft_paper()], BASE)
    assert stats.unchanged == 1
    assert not store.has_graph(old_name)


def test_within_a_batch_the_last_extraction_of_a_paper_wins() -> None:
    store = KgStore(None)
    first, last = reft_paper(" One."), reft_paper(" Two.")
    stats = write_extractions(store, [first, last], BASE)
    assert stats.added == 1
    assert paper_graphs(store, iris.paper_iri(BASE, first.record.id)) == {paper_triples(last, BASE)[0]}


def _weaker_key(extraction: Extraction, doi: str | None = None) -> Extraction:
    """The same paper as an input without its arXiv id gives it: keyed by its DOI, else by its title."""
    r = extraction.record
    extraction.record = dataclasses.replace(
        r, id=f"doi:{doi}" if doi else title_key(r.title, r.abstract), arxiv_id=None, doi=doi, url=None
    )
    return extraction


@pytest.mark.parametrize("doi", [None, "10.1000/reft"])
def test_a_paper_given_a_stronger_key_is_rekeyed_not_added(doi: str | None) -> None:
    store = KgStore(None)
    weak = _weaker_key(reft_paper(), doi)
    write_extractions(store, [weak, *sample_extractions()[1:]], BASE)
    strong = reft_paper()
    strong.record = dataclasses.replace(strong.record, doi=doi)
    stats = write_extractions(store, [strong], BASE)
    refresh_derived(store, BASE)
    assert stats.replaced == 1 and stats.added == stats.unchanged == 0
    assert not paper_graphs(store, iris.paper_iri(BASE, weak.record.id))
    fresh = KgStore(None)
    write_extractions(fresh, [strong, *sample_extractions()[1:]], BASE)
    refresh_derived(fresh, BASE)
    assert _quads(store) == _quads(fresh), "nothing of the title-keyed version is left"


def test_a_same_titled_paper_with_another_arxiv_id_is_a_different_paper() -> None:
    store = sample_store()
    other = reft_paper()
    other.record = dataclasses.replace(other.record, id="arxiv:2401.99999", arxiv_id="2401.99999")
    stats = write_extractions(store, [other], BASE)
    assert stats.added == 1 and stats.replaced == 0
    assert paper_graphs(store, iris.paper_iri(BASE, "arxiv:2401.00001"))


def test_the_store_on_disk_keeps_what_was_written(tmp_path) -> None:
    expected = _quads(sample_store())
    store = sample_store(tmp_path / "store")
    store.flush()
    del store
    assert _quads(KgStore(tmp_path / "store", read_only=True)) == expected
