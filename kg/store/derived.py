"""The derived graph: facts no single paper owns, recomputed from all paper graphs in one atomic update.

Why it is done this way (measured on 10k papers, where the first all-SPARQL refresh took 53 s):

- The counts are made in Python from one-pattern reads (paper, label, link, claim and assertion nodes per
  graph) instead of SPARQL aggregates over ``GRAPH ?g`` joins; an assertion's group (relation, head, tail)
  is read from its IRI, which ``kg.rdf.iris.assertion_iri`` builds from exactly those parts.
- Only the difference to the current derived graph is written (one ``DELETE DATA`` / ``INSERT DATA``
  update, atomic): a large ``INSERT DATA`` costs far more than the reads, and a rebuild changes few facts.
- Only ``query`` and ``update`` are used, so it runs the same on an external SPARQL store.

The card index: an entity card (kg.query.card) lists an entity's first papers, claims and co-linked entities,
which live queries find by reading every paper that mentions the entity: fine for most entities, far too slow
for one that a third of 100k papers mention. So for entities with at least ``index_min`` papers the lists the
card shows are kept here, ``CARD_DEPTH`` long (see ontology/README.md, "Named graphs").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS, XSD

from kg.rdf import iris
from kg.rdf.vocab import KG
from kg.store.core import KgStore

CARD_DEPTH = 10  # papers, claims and co-linked entities per relation the card index keeps for an entity
INDEX_MIN = 20  # papers from which an entity gets a card index; below, live card queries take a few ms
PAPER_RELATIONS = ("proposes", "uses", "evaluatesOn", "addresses", "measuredBy")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Each read gives the graph of every fact: the graph names the paper (its ``a kg:Paper``), so the counts are
# over distinct papers even when an interrupted build left an old and a new version of a paper side by side.
_PAPERS = """SELECT ?g ?p ?title ?date WHERE { GRAPH ?g { ?p a kg:Paper
  OPTIONAL { ?p dcterms:title ?title } OPTIONAL { ?p dcterms:date ?date } } }"""
_LABELS = "SELECT ?g ?e ?label WHERE { GRAPH ?g { ?e kg:label ?label } }"
_LINKS = f"""SELECT ?g ?rel ?e WHERE {{
  VALUES ?rel {{ kg:mentions {" ".join(f"kg:{r}" for r in PAPER_RELATIONS)} }} GRAPH ?g {{ ?p ?rel ?e }} }}"""
_CLAIMS = "SELECT ?g ?c ?e ?text WHERE { GRAPH ?g { ?c kg:about ?e ; kg:text ?text } }"
_ASSERTIONS = "SELECT ?g ?x WHERE { GRAPH ?g { ?x a kg:Assertion } }"
_CURRENT = "SELECT ?s ?p ?o WHERE {{ GRAPH <{derived}> {{ ?s ?p ?o }} }}"


def date_key(date: str | None) -> str:
    """A sortable ``YYYY[-MM[-DD]]`` for a paper date in ISO form or as words ("March 2023"); "" if none.

    Keys compare as strings, so a month-precision date sorts just before the days of that month.
    """
    if not date:
        return ""
    iso = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", date.strip())
    if iso:
        return iso.group(0)
    year = re.search(r"\b(\d{4})\b", date)
    if not year:
        return ""
    month = next((i for i, m in enumerate(MONTHS, 1) if re.search(rf"\b{m}", date, re.IGNORECASE)), None)
    return f"{year.group(1)}-{month:02d}" if month else year.group(1)


def _nested() -> defaultdict:
    return defaultdict(lambda: defaultdict(set))


@dataclass
class _Corpus:
    """What the refresh reads, by IRI string. ``links``: paper -> {(relation local name, entity)};
    ``groups``: assertion -> "relation/tail slug" or "relation/head slug/tail slug"; ``claims``: entity ->
    claim -> (paper, sentence)."""

    title: dict[str, str] = field(default_factory=dict)
    date: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, set[str]]] = field(default_factory=_nested)
    links: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    claims: dict[str, dict[str, tuple[str, str]]] = field(default_factory=lambda: defaultdict(dict))
    groups: dict[str, str] = field(default_factory=dict)
    support: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _read(store: KgStore, base: str) -> _Corpus:
    """The five reads, folded into a _Corpus (graphs that hold no paper, such as build runs, are left out)."""
    corpus = _Corpus()
    paper_of = {}
    for row in store.query(_PAPERS):
        paper = paper_of[row["g"].value] = row["p"].value
        corpus.title[paper] = row["title"].value if row["title"] is not None else ""
        corpus.date[paper] = date_key(row["date"].value if row["date"] is not None else None)
    for row in store.query(_LABELS):
        if (paper := paper_of.get(row["g"].value)) is not None:
            corpus.labels[row["e"].value][row["label"].value].add(paper)
    for row in store.query(_LINKS):
        if (paper := paper_of.get(row["g"].value)) is not None:
            corpus.links[paper].add((row["rel"].value.rsplit("#", 1)[-1], row["e"].value))
    for row in store.query(_CLAIMS):
        if (paper := paper_of.get(row["g"].value)) is not None:
            corpus.claims[row["e"].value][row["c"].value] = (paper, row["text"].value)
    papers = f"{base}paper/"
    for row in store.query(_ASSERTIONS):
        if (paper := paper_of.get(row["g"].value)) is not None:
            # {base}assertion/{paper segment}/{group}: the same group in two papers is the same edge
            prefix = f"{base}assertion/{paper.removeprefix(papers)}/"
            if (assertion := row["x"].value).startswith(prefix):
                corpus.groups[assertion] = assertion[len(prefix) :]
                corpus.support[assertion[len(prefix) :]].add(paper)
    return corpus


def _paper_links(corpus: _Corpus) -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    """Papers that mention each entity, and per entity the typed relations each of its papers has to it."""
    mentioned: dict[str, set[str]] = defaultdict(set)
    relations: dict[str, dict[str, set[str]]] = _nested()
    for paper, links in corpus.links.items():
        for rel, entity in links:
            if rel == "mentions":
                mentioned[entity].add(paper)
            else:
                relations[entity][paper].add(rel)
    return mentioned, relations


def _top_papers(corpus: _Corpus, papers: set[str], relations: dict[str, set[str]]) -> list[str]:
    """The card's order: papers proposing the entity, then the most typed links, newest, then by IRI."""
    ordered = sorted(papers)
    ordered.sort(key=lambda p: corpus.date.get(p, ""), reverse=True)
    ordered.sort(key=lambda p: ("proposes" not in relations.get(p, ()), -len(relations.get(p, ()))))
    return ordered[:CARD_DEPTH]


def _top_claims(corpus: _Corpus, claims: dict[str, tuple[str, str]]) -> list[str]:
    """The order of kg.query.claims.claims_about: newest paper first, then paper title, sentence, IRI."""
    ordered = sorted(claims, key=lambda c: (corpus.title.get(claims[c][0], ""), claims[c][1], c))
    ordered.sort(key=lambda c: corpus.date.get(claims[c][0], ""), reverse=True)
    return ordered[:CARD_DEPTH]


def _co_links(
    corpus: _Corpus, base: str, entities: set[str], mentioned: dict[str, set[str]], labels: dict[str, str]
) -> Iterator[tuple[str, str, str, str, int]]:
    """(entity, relation IRI, "object" or "subject", other entity, papers) for the indexed entities: the
    entities their papers link to by each relation, and their outperforms edges both ways (the other entity
    is the rdf:object of "entity outperforms it", the rdf:subject of "it outperforms entity")."""
    counts: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for entity in entities:
        for paper in mentioned[entity]:
            counts[entity].update(
                (str(KG[rel]), "object", other)
                for rel, other in corpus.links[paper]
                if rel != "mentions" and other != entity
            )
    for group, papers in corpus.support.items():
        rel, *ends = group.split("/")
        if rel == "outperforms" and len(ends) == 2:
            head, tail = (f"{base}entity/{slug}" for slug in ends)
            if head in entities:
                counts[head][str(KG.outperforms), "object", tail] = len(papers)
            if tail in entities:
                counts[tail][str(KG.outperforms), "subject", head] = len(papers)
    for entity, counter in counts.items():
        kinds: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        for (rel, side, other), n in counter.items():
            if other in labels:
                kinds[rel, side].append((other, n))
        for (rel, side), items in kinds.items():
            for other, n in sorted(items, key=lambda item: (-item[1], labels[item[0]]))[:CARD_DEPTH]:
                yield entity, rel, side, other, n


def _ntriples(corpus: _Corpus, base: str, index_min: int) -> Iterator[str]:
    """The derived graph, one N-Triples line per fact."""
    labels = {
        entity: min(votes.items(), key=lambda item: (-len(item[1]), item[0]))[0]
        for entity, votes in corpus.labels.items()
    }
    for entity, label in labels.items():
        yield f"<{entity}> <{SKOS.prefLabel}> {ox.Literal(label)} ."
    mentioned, relations = _paper_links(corpus)
    for entity, papers in mentioned.items():
        yield f"<{entity}> <{KG.paperCount}> {_integer(len(papers))} ."
    for assertion, group in corpus.groups.items():
        yield f"<{assertion}> <{KG.supportCount}> {_integer(len(corpus.support[group]))} ."
    indexed = {entity for entity, papers in mentioned.items() if len(papers) >= index_min}
    for entity in indexed:
        linked = mentioned[entity] | set(relations.get(entity, {}))
        for paper in _top_papers(corpus, linked, relations[entity]):
            yield f"<{entity}> <{KG.topPaper}> <{paper}> ."
        for claim in _top_claims(corpus, corpus.claims.get(entity, {})):
            yield f"<{entity}> <{KG.topClaim}> <{claim}> ."
    derived = iris.derived_graph_iri(base).value
    for entity, rel, side, other, n in _co_links(corpus, base, indexed, mentioned, labels):
        node = f"<{derived}#link-{iris.digest(' '.join((entity, rel, side, other)))}>"
        yield f"<{entity}> <{KG.coLink}> {node} ."
        yield f"{node} <{RDF.predicate}> <{rel}> ."
        yield f"{node} <{RDF[side]}> <{other}> ."
        yield f"{node} <{RDF.value}> {_integer(n)} ."


def _integer(n: int) -> str:
    return str(ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer))))


def refresh_derived(store: KgStore, base: str, *, index_min: int = INDEX_MIN) -> None:
    """Recompute ``{base}graph/derived`` from the paper graphs in one transaction (old or new, never half).

    It holds, per entity, exactly one ``skos:prefLabel`` (the ``kg:label`` the most papers use; ties go to
    the smallest string in code-point order, so the choice is stable) and ``kg:paperCount`` (papers that
    mention it); per assertion, ``kg:supportCount``: how many papers assert the same relation to the same
    tail (for paper edges) or from the same head to the same tail (for entity edges such as outperforms).
    Entities and assertions no paper graph holds any more get nothing. Entities with at least ``index_min``
    papers get their card index: ``kg:topPaper``, ``kg:topClaim`` and ``kg:coLink`` (see the module doc).

    Args:
        store: an open, writable store (local or external).
        base: the IRI base the graphs were written with.
        index_min: papers from which an entity gets a card index.

    Raises:
        StoreError: the update failed (the previous derived graph is kept).
    """
    derived = iris.derived_graph_iri(base).value  # minted and validated by kg.rdf.iris, never user text
    wanted = set(_ntriples(_read(store, base), base, index_min))
    current = {f"{row['s']} {row['p']} {row['o']} ." for row in store.query(_CURRENT.format(derived=derived))}
    stale, new = "\n".join(sorted(current - wanted)), "\n".join(sorted(wanted - current))
    if stale or new:
        store.update(
            f"DELETE DATA {{ GRAPH <{derived}> {{\n{stale}\n}} }} ;\n"
            f"INSERT DATA {{ GRAPH <{derived}> {{\n{new}\n}} }}"
        )
