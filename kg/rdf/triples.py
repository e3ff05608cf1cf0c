"""One Extraction -> the triples of its paper's named graph (pyoxigraph terms, for speed).

The output depends only on the extraction and the base: triples are deduplicated and sorted, and the graph
is named by a digest of them, so identical input gives an identical graph and any change gives a new one.
The node and edge layout is ontology/README.md.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import date

import pyoxigraph as ox

from kg.ingest.identity import record_keys, title_key
from kg.rdf import iris
from kg.rdf.vocab import OX_DCTERMS, OX_KG, OX_OA, OX_PROV, OX_RDF, OX_RDFS, OX_SCHEMA, OX_SKOS, OX_XSD
from kg.types import Claim, ClaimValue, Extraction, Mention, Record, Relation, Result, Span

Term = ox.NamedNode | ox.Literal
SpanKey = tuple[str, int, int]


def _key(span: Span) -> SpanKey:
    return (span.field, span.start, span.end)


@dataclass
class _EntityFacts:
    """What one paper says about one entity: types, display labels (with mention counts), surface forms and
    acronyms."""

    types: set[str] = field(default_factory=set)
    labels: Counter[str] = field(default_factory=Counter)
    surfaces: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)


class _PaperGraph:
    """Accumulates the triples of one paper; one method per part of the data model."""

    def __init__(self, extraction: Extraction, base: str) -> None:
        self.extraction = extraction
        self.base = base
        self.key = extraction.record.id
        self.paper = iris.paper_iri(base, self.key)
        self.triples: set[ox.Triple] = set()
        self.entities: dict[str, _EntityFacts] = {}
        self.claims = _unique_claims(extraction.claims)

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        self.triples.add(ox.Triple(s, p, o))

    def facts(self, key: str) -> _EntityFacts:
        """What this paper says about entity ``key`` (registering the key on first use)."""
        return self.entities.setdefault(key, _EntityFacts())

    def entity(self, key: str) -> ox.NamedNode:
        """The node of ``key``, noted so that the paper mentions it even when no mention names it."""
        self.facts(key)
        return iris.entity_iri(self.base, key)

    def mention_facts(self) -> None:
        """Types, labels, surface forms and acronyms of every mention (duplicates included)."""
        for m in self.extraction.mentions:
            facts = self.facts(m.key)
            facts.types.add(m.type)
            facts.labels[m.label] += 1
            facts.surfaces.add(m.span.text)
            if m.acronym:
                facts.acronyms.add(m.acronym)

    def metadata(self, record: Record, input_digest: str = "") -> None:
        """Paper node with its bibliographic metadata (title always present, even when empty)."""
        p = self.paper
        self.add(p, OX_RDF.type, OX_KG.Paper)
        self.add(p, OX_DCTERMS.identifier, ox.Literal(record.id))
        self.add(p, OX_DCTERMS.title, ox.Literal(record.title))
        self.add(p, OX_DCTERMS.abstract, ox.Literal(record.abstract))
        self.add(p, OX_DCTERMS.source, ox.Literal(record.source))
        for author in record.authors:
            self.add(p, OX_DCTERMS.creator, ox.Literal(author))
        if record.date:
            self.add(p, OX_DCTERMS.date, _date(record.date))
        ids = (OX_KG.doi, record.doi), (OX_KG.arxivId, record.arxiv_id), (OX_KG.sourceId, record.source_id)
        for predicate, value in ids:
            if value:
                self.add(p, predicate, ox.Literal(value))
        if input_digest:
            self.add(p, OX_KG.inputDigest, ox.Literal(input_digest))
        # kept under any key, so that a later input naming the paper by its title alone finds it (kg.build)
        self.add(p, OX_KG.titleKey, ox.Literal(title_key(record.title, record.abstract)))
        if record.url:
            with suppress(ValueError):  # not an IRI: schema:url is omitted (documented)
                self.add(p, OX_SCHEMA.url, ox.NamedNode(record.url))

    def position(self, node: ox.NamedNode, span: Span) -> None:
        """Where ``node`` (a mention, claim or sentence) sits: paper, field and character offsets.

        Stated on the node itself: a Web Annotation target and selector pair said the same with seven
        triples per node instead of four, and mentions are most of a graph.
        """
        self.add(node, OX_KG.inPaper, self.paper)
        self.add(node, OX_KG.field, ox.Literal(span.field))
        self.add(node, OX_KG.start, ox.Literal(span.start))
        self.add(node, OX_KG.end, ox.Literal(span.end))

    def mention(self, m: Mention) -> None:
        """A mention node with its provenance (the entity's facts come from :meth:`mention_facts`).

        No ``kg:text``: the surface is what the offsets select, and it is among the entity's altLabels.
        """
        node = iris.mention_iri(self.base, self.key, m.span, m.key)
        agent = iris.extractor_iri(self.base, m.extractor)
        self.add(node, OX_RDF.type, OX_KG.Mention)
        self.add(node, OX_OA.hasBody, iris.entity_iri(self.base, m.key))
        self.position(node, m.span)
        self.add(node, OX_KG.sentenceStart, ox.Literal(m.sentence[0]))
        self.add(node, OX_KG.sentenceEnd, ox.Literal(m.sentence[1]))
        self.add(node, OX_KG.confidence, ox.Literal(float(m.confidence)))
        if m.merged_by:
            self.add(node, OX_KG.mergedBy, ox.Literal(m.merged_by))
        self.add(node, OX_PROV.wasAttributedTo, agent)
        self.add(agent, OX_RDF.type, OX_PROV.SoftwareAgent)
        self.add(agent, OX_RDFS.label, ox.Literal(m.extractor))

    def acronym_definitions(self) -> None:
        """Acronym definitions whose long or short span is a mention: the entity gets both forms."""
        by_span: dict[SpanKey, list[str]] = defaultdict(list)
        for m in self.extraction.mentions:
            by_span[_key(m.span)].append(m.key)
        for a in self.extraction.acronyms:
            for key in by_span.get(_key(a.long), []) + by_span.get(_key(a.short), []):
                self.facts(key).acronyms.add(a.short.text)
                self.facts(key).surfaces.add(a.long.text)

    def entity_nodes(self) -> None:
        """Every entity this paper touches, with its types and labels, mentioned by the paper."""
        for key, facts in self.entities.items():
            node = iris.entity_iri(self.base, key)
            self.add(self.paper, OX_KG.mentions, node)
            self.add(node, OX_RDF.type, OX_KG.Entity)
            self.add(node, OX_KG.key, ox.Literal(key))
            for type_name in facts.types:
                self.add(node, OX_RDF.type, OX_KG[type_name])
            self.add(node, OX_KG.label, ox.Literal(_most_used(facts.labels) or key))
            for alt in set(facts.labels) | facts.surfaces | facts.acronyms or {key}:
                self.add(node, OX_SKOS.altLabel, ox.Literal(alt))
            for acronym in facts.acronyms:
                self.add(node, OX_KG.acronym, ox.Literal(acronym))

    def claim(self, c: Claim) -> None:
        """A claim with its kind, flags, structured parts and the entities mentioned inside it."""
        node = iris.claim_iri(self.base, self.key, c.span)
        self.add(self.paper, OX_KG.makesClaim, node)
        self.add(node, OX_RDF.type, OX_KG.Claim)
        self.position(node, c.span)
        self.add(node, OX_KG.text, ox.Literal(c.span.text))
        self.add(node, OX_KG.kind, ox.Literal(c.kind))
        self.add(node, OX_KG.confidence, ox.Literal(float(c.confidence)))
        self.add(node, OX_KG.hedged, ox.Literal(bool(c.hedged)))
        self.add(node, OX_KG.negated, ox.Literal(bool(c.negated)))
        if c.direction:
            self.add(node, OX_KG.direction, ox.Literal(c.direction))
        parts = ((OX_KG.subject, (c.subject,) if c.subject else ()), (OX_KG.baseline, c.baselines))
        parts += ((OX_KG.dataset, c.datasets), (OX_KG.metric, c.metrics))
        about = {m.key for m in self.extraction.mentions if _inside(m.span, c.span)}
        for predicate, keys in parts:
            for key in keys:
                self.add(node, predicate, self.entity(key))
                about.add(key)
        for key in about:
            self.add(node, OX_KG.about, self.entity(key))
        for i, value in enumerate(c.values):
            self.value(node, ox.NamedNode(f"{node.value}#value-{i}"), value)

    def value(self, owner: ox.NamedNode, node: ox.NamedNode, v: ClaimValue) -> None:
        """A reported value, with its parsed bounds and unit when the parser found them."""
        self.add(owner, OX_KG.value, node)
        self.add(node, OX_RDF.type, OX_KG.Value)
        self.add(node, OX_KG.text, ox.Literal(v.text))
        for predicate, number in ((OX_KG.low, v.low), (OX_KG.high, v.high)):
            if number is not None:
                self.add(node, predicate, ox.Literal(float(number)))
        if v.unit:
            self.add(node, OX_KG.unit, ox.Literal(v.unit))

    def evidence(self, span: Span) -> ox.NamedNode:
        """The claim with exactly this span, else a sentence node for it (created on first use)."""
        if _key(span) in self.claims:
            return iris.claim_iri(self.base, self.key, span)
        node = iris.sentence_iri(self.base, self.key, span)
        self.add(node, OX_RDF.type, OX_KG.Sentence)
        self.position(node, span)
        self.add(node, OX_KG.text, ox.Literal(span.text))
        return node

    def relation(self, r: Relation) -> None:
        """The plain edge plus its per-paper assertion pointing at the supporting claim or sentence."""
        head = self.paper if r.head is None else self.entity(r.head)
        predicate = OX_KG[r.type]
        tail = self.entity(r.tail)
        node = iris.assertion_iri(self.base, self.key, r.type, r.tail, r.head)
        self.add(head, predicate, tail)
        self.add(node, OX_RDF.type, OX_KG.Assertion)
        self.add(node, OX_RDF.subject, head)
        self.add(node, OX_RDF.predicate, predicate)
        self.add(node, OX_RDF.object, tail)
        self.add(node, OX_KG.inPaper, self.paper)
        self.add(node, OX_PROV.wasDerivedFrom, self.evidence(r.evidence))

    def result(self, r: Result) -> None:
        """An n-ary result node named by a digest of its parts."""
        parts = json.dumps([r.method, r.benchmark, r.metric, asdict(r.value), _key(r.claim)], sort_keys=True)
        node = iris.result_iri(self.base, self.key, parts)
        self.add(node, OX_RDF.type, OX_KG.Result)
        self.add(node, OX_KG.inPaper, self.paper)
        self.add(node, OX_PROV.wasDerivedFrom, self.evidence(r.claim))
        parts = (OX_KG.method, r.method), (OX_KG.benchmark, r.benchmark), (OX_KG.metric, r.metric)
        for predicate, key in parts:
            if key is not None:
                self.add(node, predicate, self.entity(key))
        self.value(node, ox.NamedNode(node.value + "#value"), r.value)


def _most_used(labels: Counter[str]) -> str | None:
    """The label most mentions use; ties go to the smallest in code-point order (stable across runs)."""
    return min(labels, key=lambda label: (-labels[label], label), default=None)


def _date(text: str) -> ox.Literal:
    """An ``xsd:date`` when ``text`` is a valid ISO date, else the text as it came."""
    try:
        return ox.Literal(date.fromisoformat(text).isoformat(), datatype=OX_XSD.date)
    except ValueError:
        return ox.Literal(text)


def _inside(inner: Span, outer: Span) -> bool:
    return inner.field == outer.field and outer.start <= inner.start and inner.end <= outer.end


def _unique_claims(claims: Iterable[Claim]) -> dict[SpanKey, Claim]:
    """One claim per span (a claim is a sentence): the most confident wins, the first one on ties."""
    chosen: dict[SpanKey, Claim] = {}
    for claim in claims:
        held = chosen.get(_key(claim.span))
        if held is None or claim.confidence > held.confidence:
            chosen[_key(claim.span)] = claim
    return chosen


def _unique_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """One mention node per (span, entity): the most confident one speaks for its duplicates."""
    chosen: dict[tuple[SpanKey, str], Mention] = {}
    for m in mentions:
        held = chosen.get((_key(m.span), m.key))
        if held is None or m.confidence > held.confidence:
            chosen[(_key(m.span), m.key)] = m
    return list(chosen.values())


@dataclass(frozen=True)
class PaperGraph:
    """One paper's named graph serialised as N-Quads: what an extraction worker hands to the writer.

    Text, not pyoxigraph objects, because it crosses process boundaries cheaply and the store bulk-loads it
    as it is.
    """

    paper: str
    name: str
    nquads: str
    triples: int


def _sorted_triples(extraction: Extraction, base: str) -> tuple[ox.NamedNode, list[tuple[str, ox.Triple]]]:
    """The graph name and the ``(N-Triples text, triple)`` pairs of one paper, sorted by text."""
    graph = _PaperGraph(extraction, base)
    graph.metadata(extraction.record, extraction.input_digest)
    graph.mention_facts()
    for m in _unique_mentions(extraction.mentions):
        graph.mention(m)
    graph.acronym_definitions()
    for c in graph.claims.values():
        graph.claim(c)
    for r in extraction.relations:
        graph.relation(r)
    for r in extraction.results:
        graph.result(r)
    graph.entity_nodes()
    lines = sorted((str(t), t) for t in graph.triples)
    name = iris.paper_graph_iri(base, iris.digest("\n".join(text for text, _ in lines), 32))
    return name, lines


def paper_triples(extraction: Extraction, base: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """All triples one paper contributes, and the name of the graph that holds them.

    Args:
        extraction: one record and everything the NLP found in it.
        base: the IRI base (see kg.config.base_iri).

    Returns:
        ``({base}graph/paper/{digest}, triples)``: the triples sorted and without duplicates, the digest taken
        over their N-Triples text, so the name changes exactly when the content does.

    Raises:
        StoreError: ``base`` does not make valid IRIs.
    """
    name, lines = _sorted_triples(extraction, base)
    return name, [t for _, t in lines]


def paper_graph(extraction: Extraction, base: str) -> PaperGraph:
    """:func:`paper_triples` as N-Quads in its graph, ready for :meth:`kg.store.KgStore.load_nquads`.

    Raises:
        StoreError: ``base`` does not make valid IRIs.
    """
    name, lines = _sorted_triples(extraction, base)
    suffix = f" {name} .\n"
    paper = iris.paper_iri(base, extraction.record.id).value
    return PaperGraph(paper, name.value, "".join(text + suffix for text, _ in lines), len(lines))


def paper_aliases(paper: str, *, arxiv: str | None, doi: str | None, title_key: str) -> tuple[str, ...]:
    """The IRIs the paper ``paper`` would have under its weaker keys (kg.ingest.identity.record_keys).

    An input without a paper's arXiv id or DOI stores it under a weaker key (its DOI or title key); these are
    the IRIs a later build, which has the stronger key, looks for to re-key it instead of adding a second
    paper. Paper IRIs are ``{base}paper/{key}`` (kg.rdf.iris.paper_iri), so the paper under another key is
    its IRI with the last segment swapped: no base is needed, and the writer is not given one.

    Args:
        paper: the paper's IRI (under its strongest key).
        arxiv, doi, title_key: its identifiers as stored (kg:arxivId, kg:doi, kg:titleKey).

    Returns:
        The other IRIs, strongest key first; empty for a paper keyed by its title alone.
    """
    keyed = (iris.rekeyed_paper(paper, key) for key in record_keys(arxiv, doi, title_key))
    return tuple(alias for alias in keyed if alias != paper)
