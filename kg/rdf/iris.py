"""Deterministic instance IRIs: the same key always gives the same node, distinct keys never the same one.

Keys come from arbitrary text (record ids with ``/`` and ``:``, entity keys in any script, with any
punctuation), so every segment is either percent-encoded (injective by construction) or slugged with a hash
suffix whenever slugging would lose information. ontology/README.md ("IRI segments") is the contract other
modules rely on; change it together with this module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.errors import StoreError
from kg.types import Span

_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_PLAIN = 80
_MAX_READABLE = 48


def digest(text: str, length: int = 16) -> str:
    """Hex SHA-256 of ``text``, cut to ``length`` digits: stable across runs, unlike ``hash()``."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def encode_segment(value: str) -> str:
    """Percent-encode every UTF-8 byte outside ``A-Z a-z 0-9 - . _ ~ :``; ``%`` itself is encoded, so the
    mapping is injective and the result is a valid IRI path segment (no ``/``, ``#``, ``?``)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe=":")


@lru_cache(maxsize=65536)
def entity_slug(key: str) -> str:
    """The IRI segment of an entity key (see ontology/README.md, "IRI segments").

    Readable where possible (``gsm8k``), and safe everywhere else: a key that is not already a plain slug gets
    a readable ASCII approximation plus ``--`` plus 16 hex digits of its SHA-256, so two keys that slug alike
    ("GSM8K", "gsm8k", "GSM-8K") still get distinct nodes.
    """
    if len(key) <= _MAX_PLAIN and _PLAIN_SLUG.fullmatch(key):
        return key
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii").lower()
    readable = _NOT_SLUG.sub("-", ascii_text).strip("-")[:_MAX_READABLE].strip("-")
    return f"{readable or 'entity'}--{digest(key)}"


def sparql_terms(iris: Iterable[str]) -> str:
    """IRIs as the space-separated terms of a SPARQL ``VALUES`` block, each checked and written by pyoxigraph
    (so an IRI read from a store can be sent back in a query text, never user input).

    Raises:
        ValueError: one of them is not a valid IRI.
    """
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def _node(iri: str) -> ox.NamedNode:
    """A NamedNode, turning an invalid IRI (only possible through a bad base) into a kg error.

    Raises:
        StoreError: the IRI is not valid; every segment this module builds is, so the base is at fault.
    """
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise StoreError(f"cannot name graph nodes under {iri!r}: {exc} (check --base / KG_BASE)") from exc


def _span_segment(span: Span) -> str:
    return f"{encode_segment(span.field)}/{span.start}-{span.end}"


def paper_iri(base: str, key: str) -> ox.NamedNode:
    """``{base}paper/{key}`` for a record key (``arxiv:…``, ``doi:…``, ``title:…``)."""
    return _node(f"{base}paper/{encode_segment(key)}")


def paper_key(paper: str) -> str:
    """The record key a paper IRI was made from (the inverse of :func:`paper_iri`)."""
    return unquote(paper.rsplit("/", 1)[-1])


def rekeyed_paper(paper: str, key: str) -> str:
    """The IRI the paper ``paper`` has under another record key, under the same base."""
    return paper[: paper.rindex("/") + 1] + encode_segment(key)


def claims_prefix(paper: str) -> str:
    """What every claim IRI of the paper ``paper`` starts with: ``{base}claim/{key}``."""
    base, _, key = paper.rpartition("paper/")
    return f"{base}claim/{key}"


def claim_parts(claim: str) -> tuple[str, str]:
    """A claim IRI (:func:`claim_iri`) as its paper's IRI and its span part ``{field}/{start}-{end}``, so that
    ``claims_prefix(paper) + "/" + span`` gives the claim back."""
    owner, field, span = claim.rsplit("/", 2)
    base, _, key = owner.rpartition("claim/")
    return f"{base}paper/{key}", f"{field}/{span}"


def entity_iri(base: str, key: str) -> ox.NamedNode:
    """``{base}entity/{slug}``: the one node shared by every paper that mentions the canonical ``key``."""
    return _node(f"{base}entity/{entity_slug(key)}")


def mention_iri(base: str, paper_key: str, span: Span, entity_key: str) -> ox.NamedNode:
    """One mention: the span in the paper's field, and the entity (a span could name two entities)."""
    return _node(f"{base}mention/{encode_segment(paper_key)}/{_span_segment(span)}/{entity_slug(entity_key)}")


def claim_iri(base: str, paper_key: str, span: Span) -> ox.NamedNode:
    """One claim: a sentence span of the paper."""
    return _node(f"{base}claim/{encode_segment(paper_key)}/{_span_segment(span)}")


def sentence_iri(base: str, paper_key: str, span: Span) -> ox.NamedNode:
    """A sentence cited as evidence (when it is not a claim)."""
    return _node(f"{base}sentence/{encode_segment(paper_key)}/{_span_segment(span)}")


def result_iri(base: str, paper_key: str, parts: str) -> ox.NamedNode:
    """A result, named by a digest of ``parts`` (a canonical text of everything that defines it)."""
    return _node(f"{base}result/{encode_segment(paper_key)}/{digest(parts)}")


def assertion_iri(base: str, paper_key: str, relation: str, tail: str, head: str | None) -> ox.NamedNode:
    """One paper's assertion of an edge; ``head`` is None for paper edges (one segment fewer, no clash)."""
    ends = entity_slug(tail) if head is None else f"{entity_slug(head)}/{entity_slug(tail)}"
    return _node(f"{base}assertion/{encode_segment(paper_key)}/{encode_segment(relation)}/{ends}")


def extractor_iri(base: str, name: str) -> ox.NamedNode:
    """The software agent that produced a mention."""
    return _node(f"{base}extractor/{encode_segment(name)}")


def paper_graph_iri(base: str, content_digest: str) -> ox.NamedNode:
    """The named graph of one version of one paper, named by the digest of its triples."""
    return _node(f"{base}graph/paper/{content_digest}")


def derived_graph_iri(base: str) -> ox.NamedNode:
    """The graph of facts computed over all papers (preferred labels, counts)."""
    return _node(f"{base}graph/derived")
