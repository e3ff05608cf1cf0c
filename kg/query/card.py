"""The entity card behind `kg lookup`: what the graph knows about one entity, in four queries from it.

The card lists the entity's names, how many papers link to it and which ones matter most (papers that
propose it first, then those with the most typed links to it, newest first), the entities that share papers
with it grouped by how those papers relate to them, its direct ``kg:outperforms`` edges with the number of
papers asserting each, and the claims about it. The names come from the label index the caller already
holds (kg.query.lookup): in the store, an entity's names are repeated in every paper graph that mentions
it, so reading them cost time in proportion to its papers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kg.query.claims import ClaimRef, claims_about, date_key, format_claims
from kg.query.lookup import Entity, LabelIndex
from kg.query.render import truncate
from kg.query.sparql import select
from kg.rdf.vocab import RELATION
from kg.store import KgStore

PAPER_RELATIONS = ("proposes", "uses", "evaluatesOn", "addresses", "measuredBy")
_PAPER_VALUES = " ".join(f"<{RELATION[r]}>" for r in PAPER_RELATIONS)

PAPERS = f"""
SELECT ?entity ?paper ?title ?date (GROUP_CONCAT(DISTINCT STR(?rel); separator=" ") AS ?rels) WHERE {{
  VALUES ?rel {{ kg:mentions {_PAPER_VALUES} }}
  ?paper ?rel ?entity ; a kg:Paper .
  OPTIONAL {{ ?paper dcterms:title ?title }}
  OPTIONAL {{ ?paper dcterms:date ?date }}
}}
GROUP BY ?entity ?paper ?title ?date
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
        limit: how many papers, related entities per relation and claims to list.

    Returns:
        The card; ``paper_count`` counts all linked papers, the lists are cut to ``limit``.

    Raises:
        QueryError: the store could not be queried.
    """
    bound = {"entity": ox.NamedNode(entity.iri)}
    names = index.names.get(entity.iri, {})
    papers = [_paper(row) for row in select(store, PAPERS, bound).rows]
    papers.sort(key=lambda p: date_key(p.date), reverse=True)
    papers.sort(key=lambda p: ("proposes" not in p.relations, -len(p.relations)))
    return EntityCard(
        entity=entity,
        alt_labels=tuple(sorted(set(names.get("altLabel", ())) - {entity.label})),
        acronyms=tuple(names.get("acronym", ())),
        key=min(names.get("key", ()), default=None),
        paper_count=len(papers),
        top_papers=tuple(papers[:limit]),
        related=_related(store, index, bound, limit),
        claims=tuple(claims_about(store, entity.iri, limit=limit)),
    )


def _paper(row: tuple) -> PaperRef:
    _, paper, title, date, rels = row
    relations = sorted({r.rsplit("#", 1)[-1] for r in rels.value.split()} - {"mentions"})
    return PaperRef(
        paper.value, title.value if title else None, date.value if date else None, tuple(relations)
    )


def _related(store: KgStore, index: LabelIndex, bound: dict, limit: int) -> dict[str, tuple[Related, ...]]:
    """Entities linked through shared papers (by the relation the papers have to them) and directly."""
    groups: dict[str, list[Related]] = defaultdict(list)
    rows = [
        (rel.value.rsplit("#", 1)[-1], other, n) for _, rel, other, n in select(store, CO_LINKED, bound).rows
    ]
    rows += [(direction.value, other, n) for _, direction, other, n in select(store, OUTPERFORMS, bound).rows]
    for relation, other, count in rows:
        if other.value in index.entities:
            groups[relation].append(Related(index.entities[other.value], int(count.value)))
    order = [*PAPER_RELATIONS, "outperforms", "outperformed by"]
    return {
        rel: tuple(sorted(groups[rel], key=lambda r: (-r.papers, r.entity.label))[:limit])
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
