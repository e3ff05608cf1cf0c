"""The exploration view and `kg neighbors`, `kg path`, `kg related`."""

from __future__ import annotations

import gc
import itertools
import json

import pytest
from fixtures.query.helpers import BASE, ENTITY, add_trig, invoke, small_store

from kg.errors import NotFoundError
from kg.query.cache import cache_path, fingerprint
from kg.query.lookup import LabelIndex, resolve_one
from kg.query.neighbourhood import neighbours, neighbours_around, paths, personalised_pagerank, related
from kg.query.view import build_view, load_view, read_neighbourhood
from kg.store import KgStore

REFT, SFT, GSM8K, COT = (ENTITY + n for n in ("reft", "sft", "gsm8k", "cot"))
REFT_PAPER = BASE + "paper/arxiv:2401.08967"


@pytest.fixture(scope="module")
def view():
    return load_view(small_store())


@pytest.fixture(scope="module")
def graph(view):
    return view.to_networkx()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("neighbors") / "store"
    small_store(path)
    return path


def test_view_keeps_papers_entities_and_typed_edges(view):
    assert view.nodes[REFT].kind == "entity" and view.nodes[REFT_PAPER].kind == "paper"
    assert view.nodes[REFT_PAPER].label == "ReFT: Reasoning with Reinforced Fine-Tuning"
    assert view.nodes[ENTITY + "imagenet"].types == ("Benchmark", "Dataset")
    from_reft_paper = {(e.relation, e.target) for e in view.edges if e.source == REFT_PAPER}
    assert ("evaluatesOn", GSM8K) in from_reft_paper
    assert ("mentions", GSM8K) not in from_reft_paper  # a typed edge makes the mentions edge redundant
    assert [(e.relation, e.target) for e in view.edges if e.source == REFT] == [("outperforms", SFT)]


def reopened(path, trig: str = "") -> KgStore:
    """The store at ``path`` opened read-only, as the query commands open it, after writing ``trig`` with a
    writer that is closed first (a store open for writing may rewrite its files at any time, which changes
    the fingerprint without changing the data)."""
    if trig:
        writer = KgStore(path)
        add_trig(writer, trig)
        writer.flush()
        del writer
    gc.collect()
    return KgStore(path, read_only=True)


def test_view_is_cached_beside_the_store_until_the_store_changes(tmp_path):
    small_store(tmp_path / "store")
    store = reopened(tmp_path / "store")
    before = fingerprint(store)
    load_view(store)
    cache = cache_path(store, "view")
    assert cache == tmp_path / "store.view.json" and cache.exists()
    data = json.loads(cache.read_text())
    data["document"]["nodes"][0][2] = "label from the cache"
    cache.write_text(json.dumps(data))
    assert next(iter(load_view(store).nodes.values())).label == "label from the cache"  # the cache was used
    assert fingerprint(reopened(tmp_path / "store")) == before  # reading changes nothing
    store = reopened(
        tmp_path / "store", "g:new { p:new a kg:Paper ; dcterms:title 'A new paper' ; kg:uses e:gsm8k . }"
    )
    assert fingerprint(store) != before
    rebuilt = load_view(store)
    assert "label from the cache" not in {n.label for n in rebuilt.nodes.values()}
    assert rebuilt.nodes[BASE + "paper/new"].label == "A new paper"
    cache.write_text("{not json")
    assert load_view(store) == rebuilt  # a broken cache is rebuilt, not an error
    dropped = fingerprint(store)
    store = None
    writer = KgStore(tmp_path / "store")
    writer.drop_graph(next(g for g in writer.graphs() if g.value.endswith("/new")))
    del writer
    assert fingerprint(reopened(tmp_path / "store")) != dropped


def test_stores_that_are_not_directories_get_no_cache():
    store = small_store()
    assert fingerprint(store) is None and cache_path(store, "view") is None
    assert load_view(store) == build_view(store)


def test_view_survives_a_json_round_trip(view):
    again = type(view).from_json(json.loads(json.dumps(view.to_json())))
    assert again == view


def test_neighbours_within_hops_with_chains(view, graph):
    near = neighbours(view, graph, REFT, hops=1)
    assert {n.node.iri for n in near} == {REFT_PAPER, SFT}
    two = {n.node.label: n for n in neighbours(view, graph, REFT, hops=2, limit=50)}
    assert two["GSM8K"].distance == 2
    expected = (
        "Reinforced Fine-Tuning ←proposes— 'ReFT: Reasoning with Reinforced Fine-Tuning' —evaluatesOn→ GSM8K"
    )
    assert two["GSM8K"].chain.text() == expected
    assert all(a.distance <= b.distance for a, b in itertools.pairwise(near))


def test_neighbours_filter_by_type_and_limit(view, graph):
    methods = neighbours(view, graph, GSM8K, hops=2, types=("Method",))
    assert {n.node.label for n in methods} == {
        "Reinforced Fine-Tuning",
        "Supervised Fine-Tuning",
        "Self-Consistency",
        "Chain-of-Thought prompting",
        "Rejection sampling Fine-Tuning",
    }
    papers = neighbours(view, graph, GSM8K, hops=1, types=("paper",))
    assert len(papers) == 3 and all(n.node.kind == "paper" for n in papers)
    assert len(neighbours(view, graph, GSM8K, hops=3, limit=4)) == 4
    datasets = neighbours(view, graph, ENTITY + "coco", hops=2, types=("Dataset",))
    assert "ImageNet" in {n.node.label for n in datasets}


def test_paths_are_the_shortest_and_point_the_right_way(view, graph):
    chains = paths(view, graph, REFT, COT, limit=5)
    assert {len(c.steps) for c in chains} == {4}
    middles = {c.steps[1].node.label for c in chains}
    assert middles == {"GSM8K", "SVAMP", "math word problem solving", "accuracy"}  # all four shared entities
    for chain in chains:
        assert chain.start.iri == REFT and chain.steps[-1].node.iri == COT
        assert chain.text().startswith("Reinforced Fine-Tuning ←proposes— 'ReFT")
        assert chain.text().endswith("—uses→ Chain-of-Thought prompting")
    assert (
        paths(view, graph, REFT, SFT)[0].text()
        == "Reinforced Fine-Tuning —outperforms→ Supervised Fine-Tuning"
    )


def test_unconnected_entities_have_no_path():
    store = small_store()
    add_trig(store, "g:lone { p:lone a kg:Paper ; kg:proposes e:lone . e:lone a kg:Method . }")
    add_trig(store, "<https://w3id.org/kg/id/graph/derived> { e:lone skos:prefLabel 'Lonely' }")
    view = build_view(store)
    with pytest.raises(NotFoundError, match="not connected"):
        paths(view, view.to_networkx(), REFT, ENTITY + "lone")


def test_related_ranks_with_reasons(view, graph):
    ranked = related(view, graph, REFT, limit=20)
    assert ranked[0].node.iri == SFT  # a direct edge and a shared paper
    assert "outperforms" in ranked[0].reason and "1 shared paper" in ranked[0].reason
    assert REFT not in {r.node.iri for r in ranked} and all(r.node.kind == "entity" for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    far = next(r for r in ranked if r.shared_papers == 0)
    assert far.reason.startswith("via Reinforced Fine-Tuning")


def test_related_by_cooccurrence_counts_shared_papers(view, graph):
    ranked = related(view, graph, GSM8K, method="cooccurrence", limit=3)
    assert [(r.node.label, r.score) for r in ranked] == [
        ("math word problem solving", 3.0),
        ("SVAMP", 2.0),
        ("accuracy", 2.0),
    ]
    assert all(r.shared_papers == r.score for r in ranked)


def test_cli_neighbors_path_related(disk_store):
    near = invoke(disk_store, "neighbors", "ReFT", "--hops", "1")
    assert (
        near.exit_code == 0
        and near.output.splitlines()[0] == "2 nodes within 1 hops of Reinforced Fine-Tuning"
    )
    data = json.loads(
        invoke(disk_store, "neighbors", "GSM8K", "--types", "Method", "--format", "json").output
    )
    assert len(data["neighbours"]) == 5 and data["neighbours"][0]["via"]["text"].startswith(
        "GSM8K ←evaluatesOn—"
    )
    path = invoke(disk_store, "path", "ReFT", "chain of thought")
    assert path.exit_code == 0 and "3 shortest connections (4 hops)" in path.output  # --limit 3
    path_json = json.loads(invoke(disk_store, "path", "ReFT", "SFT", "--format", "json").output)
    assert path_json["paths"][0]["edges"] == [{"relations": ["outperforms"], "forward": True}]
    rel = invoke(disk_store, "related", "ReFT", "--limit", "2")
    assert rel.exit_code == 0 and "Supervised Fine-Tuning (Method)" in rel.output
    assert (disk_store.parent / "store.view.json").exists()
    assert invoke(disk_store, "path", "RFT", "GSM8K").exit_code == NotFoundError.exit_code


def test_personalised_pagerank_is_a_distribution_centred_on_the_source():
    import networkx as nx

    star = nx.star_graph(4)  # centre 0, leaves 1..4
    from_leaf = personalised_pagerank(star, 1)
    assert sum(from_leaf.values()) == pytest.approx(1.0)
    assert from_leaf[0] > from_leaf[1] > from_leaf[2] == pytest.approx(from_leaf[3])  # hub, source, others
    star.add_node("alone")
    assert personalised_pagerank(star, 0)["alone"] == 0.0
    path = nx.path_graph(5)
    ranks = personalised_pagerank(path, 0)
    assert [ranks[i] > ranks[i + 1] for i in range(1, 4)] == [True, True, True]  # farther along, less weight


def test_exploration_on_a_graph_built_by_the_real_writer():
    from fixtures.rdf.sample import sample_store

    built = sample_store()
    index = LabelIndex.from_store(built)
    reft, cot, uber = (resolve_one(index, n).iri for n in ("ReFT", "chain-of-thought prompting", "Über-Net"))
    view = load_view(built)
    graph = view.to_networkx()
    texts = {c.text() for c in paths(view, graph, reft, cot, limit=10)}
    assert any("—evaluatesOn→ GSM8K ←evaluatesOn—" in t for t in texts)
    with pytest.raises(NotFoundError):
        paths(view, graph, reft, uber)  # the translation paper shares nothing with the others


@pytest.mark.parametrize("built", [False, True], ids=["small", "sample"])
def test_neighbours_read_from_the_store_are_those_of_the_whole_view(built):
    from fixtures.rdf.sample import sample_store

    from kg.store import refresh_derived

    store = sample_store() if built else small_store()
    refresh_derived(store, BASE)  # the degrees at the last hop are the derived paper counts, as after a build
    index = LabelIndex.from_store(store)
    view = build_view(store)
    graph = view.to_networkx()
    checked = 0
    for iri in index.entities:
        for hops in (1, 2, 3):
            whole = neighbours(view, graph, iri, hops=hops, limit=1000)
            assert neighbours_around(store, index, iri, hops=hops, limit=1000) == whole, (iri, hops)
            checked += len(whole)
        for types in (("Method",), ("paper",)):
            expected = neighbours(view, graph, iri, hops=2, types=types, limit=3)
            assert neighbours_around(store, index, iri, hops=2, types=types, limit=3) == expected
    assert checked > 100


def test_a_neighbourhood_holds_only_what_lies_within_its_hops():
    store = small_store()
    near = read_neighbourhood(store, LabelIndex.from_store(store), REFT, 1)
    assert set(near.view.nodes) == {REFT, REFT_PAPER, SFT}
    assert near.degree[REFT_PAPER] == 7 and near.degree[SFT] == 2  # counted in the whole graph
    assert {(e.source, e.relation, e.target) for e in near.view.edges} == {
        (REFT_PAPER, "proposes", REFT),
        (REFT, "outperforms", SFT),
    }
