"""The entity card behind `kg lookup`: what the graph knows about one entity, in a few queries from it.

The card lists the entity's names, how many papers link to it and which ones matter most (papers that
propose it first, then those with the most typed links to it, newest first), the entities that share papers
with it grouped by how those papers relate to them, its direct ``kg:outperforms`` edges with the number of
papers asserting each, and the claims about it. The names come from the label index the caller already
holds (kg.query.lookup): in the store, an entity's names are repeated in every paper graph that mentions
it, so reading them cost time in proportion to its papers.

The other lists are read live for most entities, and from the card index in the derived graph for an entity
that many papers mention (kg.store.derived: ``kg:topPaper``, ``kg:topClaim``, ``kg:coLink``), so a card
costs about the same for an entity in 20 papers as for one in 30,000. Both give the same card, up to
``CARD_DEPTH`` items per list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kg.query.claims import TOP_CLAIMS, ClaimRef, claims_about, format_claims
from kg.query.lookup import Entity, LabelIndex
from kg.query.render import truncate
from kg.query.sparql import select
from kg.rdf.vocab import RELATION
from kg.store import KgStore
from kg.store.derived import CARD_DEPTH, date_key

PAPER_RELATIONS = ("proposes", "uses", "evaluatesOn", "addresses", "measuredBy")
_PAPER_VALUES = " ".join(f"<{RELATION[r]}>" for r in PAPER_RELATIONS)

_PAPERS = f"""
SELECT ?entity ?paper ?title ?date (GROUP_CONCAT(DISTINCT STR(?rel); separator=" ") AS ?rels) WHERE {{{{
  VALUES ?rel {{{{ kg:mentions {_PAPER_VALUES} }}}}
  ?paper ?rel ?entity .
  {{papers}}
  OPTIONAL {{{{ ?paper dcterms:title ?title }}}}
  OPTIONAL {{{{ ?paper dcterms:date ?date }}}}
}}}}
GROUP BY ?entity ?paper ?title ?date
"""
PAPERS = _PAPERS.format(papers="?paper a kg:Paper .")  # every paper linked to the entity
TOP_PAPERS = _PAPERS.format(papers="?entity kg:topPaper ?paper .")  # the card index's papers
# The card index's paper count and co-linked entities. No rows: the entity has no card index (or an index
# with nothing co-linked, which the live queries answer as fast). OPTIONALs, not a UNION of the two sides:
# Oxigraph evaluated the UNION four times slower.
INDEXED = """
SELECT ?entity ?count ?rel ?side ?other ?papers WHERE {
  ?entity kg:paperCount ?count ; kg:coLink ?link .
  ?link rdf:predicate ?rel ; rdf:value ?papers .
  OPTIONAL { ?link rdf:object ?object }
  OPTIONAL { ?link rdf:subject ?subject }
  BIND(COALESCE(?object, ?subject) AS ?other)
  BIND(IF(BOUND(?object), "object", "subject") AS ?side)
}
"""
# One UNION branch per relation, each with its predicate bound, so Oxigraph goes from the bound ?entity to
# its papers and reads only their typed edges: a variable predicate (filtered, or from VALUES) made it read
# every edge of those papers, or of all papers (1.7x and 50x slower on the seeds graph).
_CO_LINK_BRANCHES = "\n  UNION ".join(
    f"{{ ?paper <{RELATION[r]}> ?other BIND(<{RELATION[r]}> AS ?rel) }}" for r in PAPER_RELATIONS
)
CO_LINKED = f"""
SELECT ?entity ?rel ?other (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
  ?paper kg:mentions ?entity .
  {_CO_LINK_BRANCHES}
  FILTER(?other != ?entity)
}}
GROUP BY ?entity ?rel ?other
"""
OUTPERFORMS = """
SELECT ?entity ?direction ?other (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  {
    ?assertion rdf:subject ?entity ; rdf:predicate kg:outperforms ; rdf:object ?other ; kg:inPaper ?paper .
    BIND("outperforms" AS ?direction)
  } UNION {
    ?assertion rdf:object ?entity ; rdf:predicate kg:outperforms ; rdf:subject ?other ; kg:inPaper ?paper .
    BIND("outperformed by" AS ?direction)
  }
}
GROUP BY ?entity ?direction ?other
"""


@dataclass(frozen=True)
class PaperRef:
    """A paper linked to the entity, and how (the relation names, e.g. proposes, evaluatesOn)."""

    iri: str
    title: str | None
    date: str | None
    relations: tuple[str, ...]

    def to_json(self) -> dict:
        return {"iri": self.iri, "title": self.title, "date": self.date, "relations": list(self.relations)}


@dataclass(frozen=True)
class Related:
    """Another entity and the number of papers that back the link."""

    entity: Entity
    papers: int

    def to_json(self) -> dict:
        return {**self.entity.to_json(), "papers": self.papers}


@dataclass(frozen=True)
class EntityCard:
    """Everything `kg lookup` shows about one entity."""

    entity: Entity
    alt_labels: tuple[str, ...]
    acronyms: tuple[str, ...]
    key: str | None
    paper_count: int
    top_papers: tuple[PaperRef, ...]
    related: dict[str, tuple[Related, ...]]
    claims: tuple[ClaimRef, ...]

    def to_json(self) -> dict:
        return {
            **self.entity.to_json(),
            "key": self.key,
            "alt_labels": list(self.alt_labels),
            "acronyms": list(self.acronyms),
            "paper_count": self.paper_count,
            "top_papers": [p.to_json() for p in self.top_papers],
            "related": {rel: [r.to_json() for r in items] for rel, items in self.related.items()},
            "claims": [c.to_json() for c in self.claims],
        }


def entity_card(store: KgStore, index: LabelIndex, entity: Entity, *, limit: int = 5) -> EntityCard:
    """Gather the card of one entity.

    Args:
        store: the graph.
        index: the label index (gives labels and types of related entities without more queries).
        entity: the entity, as resolved from the user's name.
        limit: how many papers, related entities per relation and claims to list (at most CARD_DEPTH).

    Returns:
        The card; ``paper_count`` counts all linked papers, the lists are cut to ``limit``.

    Raises:
        QueryError: the store could not be queried.
    """
    limit = min(limit, CARD_DEPTH)
    bound = {"entity": ox.NamedNode(entity.iri)}
    names = index.names.get(entity.iri, {})
    indexed = select(store, INDEXED, bound).rows
    if indexed:
        count, links = int(indexed[0][1].value), [_indexed_link(row) for row in indexed]
        papers = _papers(store, TOP_PAPERS, bound)
        claims = claims_about(store, entity.iri, limit=limit, query=TOP_CLAIMS)
    else:
        papers = _papers(store, PAPERS, bound)
        count, links = len(papers), _live_links(store, bound)
        claims = claims_about(store, entity.iri, limit=limit)
    return EntityCard(
        entity=entity,
        alt_labels=tuple(sorted(set(names.get("altLabel", ())) - {entity.label})),
        acronyms=tuple(names.get("acronym", ())),
        key=min(names.get("key", ()), default=None),
        paper_count=count,
        top_papers=tuple(papers[:limit]),
        related=_related(index, links, limit),
        claims=tuple(claims),
    )


def _papers(store: KgStore, query: str, bound: dict) -> list[PaperRef]:
    """Papers in card order: proposing the entity first, then most typed links, newest, then by IRI."""
    papers = sorted((_paper(row) for row in select(store, query, bound).rows), key=lambda p: p.iri)
    papers.sort(key=lambda p: date_key(p.date), reverse=True)
    papers.sort(key=lambda p: ("proposes" not in p.relations, -len(p.relations)))
    return papers


def _paper(row: tuple) -> PaperRef:
    _, paper, title, date, rels = row
    relations = sorted({r.rsplit("#", 1)[-1] for r in rels.value.split()} - {"mentions"})
    return PaperRef(
        paper.value, title.value if title else None, date.value if date else None, tuple(relations)
    )


Link = tuple[str, str, int]  # the card's relation heading key, the other entity's IRI, papers


def _live_links(store: KgStore, bound: dict) -> list[Link]:
    """Entities linked through the entity's papers (by the relation the papers have to them) and directly."""
    links = [
        (rel.value.rsplit("#", 1)[-1], other.value, int(n.value))
        for _, rel, other, n in select(store, CO_LINKED, bound).rows
    ]
    links += [
        (direction.value, other.value, int(n.value))
        for _, direction, other, n in select(store, OUTPERFORMS, bound).rows
    ]
    return links


def _indexed_link(row: tuple) -> Link:
    """A kg:coLink row: the relation, and "outperformed by" where the other entity is the rdf:subject."""
    _, _, rel, side, other, n = row
    name = rel.value.rsplit("#", 1)[-1]
    return ("outperformed by" if side.value == "subject" else name), other.value, int(n.value)


def _related(index: LabelIndex, links: list[Link], limit: int) -> dict[str, tuple[Related, ...]]:
    """The links grouped under the card's headings, most papers first, then by label."""
    groups: dict[str, list[Related]] = defaultdict(list)
    for relation, other, count in links:
        if other in index.entities:
            groups[relation].append(Related(index.entities[other], count))
    order = [*PAPER_RELATIONS, "outperforms", "outperformed by"]
    return {
        rel: tuple(sorted(groups[rel], key=lambda r: (-r.papers, r.entity.label, r.entity.iri))[:limit])
        for rel in order
        if groups[rel]
    }


def format_card(card: EntityCard) -> str:
    """The card as text for a terminal."""
    e = card.entity
    lines = [f"{e.label}  ({', '.join(e.types)})", f"  iri: {e.iri}"]
    if card.acronyms:
        lines.append(f"  acronyms: {', '.join(card.acronyms)}")
    if card.alt_labels:
        lines.append(f"  also written: {truncate(', '.join(card.alt_labels), 90)}")
    lines.append(f"  papers: {card.paper_count}")
    for paper in card.top_papers:
        how = f" [{', '.join(paper.relations)}]" if paper.relations else ""
        lines.append(f"    - {truncate(paper.title or paper.iri, 80)} ({paper.date or 'undated'}){how}")
    for relation, items in card.related.items():
        shown = ", ".join(f"{r.entity.label} ({r.papers})" for r in items)
        lines.append(f"  {_RELATION_HEADINGS.get(relation, relation)}: {truncate(shown, 100)}")
    if card.claims:
        lines.append("  claims:")
        lines.extend("    " + line for line in format_claims(list(card.claims)).splitlines())
    return "\n".join(lines) + "\n"


_RELATION_HEADINGS = {
    "proposes": "methods proposed in these papers",
    "uses": "also used",
    "evaluatesOn": "evaluated on",
    "addresses": "tasks",
    "measuredBy": "metrics",
}
