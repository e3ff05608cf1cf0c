"""Instance IRIs: valid for any key, deterministic, and never shared by two distinct keys."""

from __future__ import annotations

from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.config import DEFAULT_BASE
from kg.errors import StoreError
from kg.rdf import iris
from kg.types import Span

BASE = DEFAULT_BASE
keys = st.text(min_size=0, max_size=40)
# Keys built to slug alike: the same letters with other case, spacing, punctuation and accents.
look_alikes = st.lists(
    st.sampled_from(["gsm", "GSM", "8k", "8K", "-", " ", "_", ".", "é", "e", "É", "/", "%", "--", "ß", "ss"]),
    min_size=1,
    max_size=6,
).map("".join)


def _segment(node: ox.NamedNode, prefix: str) -> str:
    assert node.value.startswith(prefix)
    return node.value[len(prefix) :]


@given(keys)
def test_entity_iri_is_a_valid_single_segment_for_any_key(key: str) -> None:
    node = iris.entity_iri(BASE, key)  # NamedNode validates the IRI (RFC 3987) or raises
    segment = _segment(node, BASE + "entity/")
    assert segment
    assert not set(segment) & set('/#?% \t\n<>"{}|\\^`')
    assert ox.NamedNode(node.value) == iris.entity_iri(BASE, key)


@given(st.one_of(keys, look_alikes), st.one_of(keys, look_alikes))
def test_distinct_entity_keys_never_share_an_iri(a: str, b: str) -> None:
    assert (iris.entity_iri(BASE, a) == iris.entity_iri(BASE, b)) == (a == b)


def test_look_alike_keys_get_distinct_readable_slugs() -> None:
    variants = ["GSM8K", "gsm8k", "GSM-8K", "gsm 8k", "gsm8k--", "gsm8k--0", "gsm_8k", "gsm8k."]
    slugs = [iris.entity_slug(v) for v in variants]
    assert len(set(slugs)) == len(variants)
    assert iris.entity_slug("gsm8k") == "gsm8k"
    assert all(s.startswith("gsm") for s in slugs)


@given(keys)
def test_paper_segment_round_trips_so_paper_iris_are_injective(key: str) -> None:
    node = iris.paper_iri(BASE, key)
    assert unquote(_segment(node, BASE + "paper/")) == key
    assert "/" not in _segment(node, BASE + "paper/")
    assert iris.paper_key(node.value) == key


@given(keys, keys, st.sampled_from(["title", "abstract"]), st.integers(0, 10**6))
def test_the_inverse_functions_read_back_what_the_builders_made(
    key: str, other: str, field: str, at: int
) -> None:
    paper = iris.paper_iri(BASE, key).value
    assert iris.rekeyed_paper(paper, other) == iris.paper_iri(BASE, other).value
    claim = iris.claim_iri(BASE, key, Span(at, at + 5, "x", field)).value  # type: ignore[arg-type]
    owner, span = iris.claim_parts(claim)
    assert owner == paper
    assert f"{iris.claims_prefix(paper)}/{span}" == claim
    moved = iris.claim_iri(BASE, other, Span(at, at + 5, "x", field)).value  # type: ignore[arg-type]
    assert f"{iris.claims_prefix(iris.rekeyed_paper(paper, other))}/{span}" == moved


@settings(max_examples=50)
@given(keys, st.sampled_from(["title", "abstract"]), st.integers(0, 10**6), st.integers(1, 100), keys)
def test_text_node_iris_are_valid_and_keep_their_parts_apart(
    paper: str, field: str, start: int, length: int, entity: str
) -> None:
    span = Span(start, start + length, "x", field)  # type: ignore[arg-type]
    mention = iris.mention_iri(BASE, paper, span, entity)
    claim = iris.claim_iri(BASE, paper, span)
    assert mention.value.startswith(claim.value.replace("/claim/", "/mention/") + "/")
    assert iris.sentence_iri(BASE, paper, span) != claim


def test_assertion_iris_of_paper_and_entity_edges_cannot_meet() -> None:
    paper_edge = iris.assertion_iri(BASE, "arxiv:1", "uses", tail="b", head=None)
    entity_edge = iris.assertion_iri(BASE, "arxiv:1", "uses", tail="b", head="a")
    assert paper_edge != entity_edge
    assert entity_edge.value.count("/") == paper_edge.value.count("/") + 1


def test_a_base_that_makes_invalid_iris_is_a_kg_error() -> None:
    with pytest.raises(StoreError, match="KG_BASE"):
        iris.entity_iri("not a base/", "gsm8k")


def test_digest_is_stable_and_sized() -> None:
    assert iris.digest("abc") == iris.digest("abc") != iris.digest("abd")
    assert len(iris.digest("abc", 32)) == 32
