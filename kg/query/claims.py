"""Claims about an entity, newest paper first: the data behind `kg claims NAME` and the entity card.

A claim is linked to the entities it names by ``kg:about`` and to its paper by ``kg:inPaper`` (see
ontology/README.md). Paper dates are ``xsd:date`` when the input gave an ISO date and free text otherwise
("March 2023"), so they are ordered here by ``date_key`` rather than by SPARQL; undated papers come last,
so "newest first" never hides an undated claim. For an entity with a card index (kg.store.derived), the
derived ``kg:topClaim`` edges already name its first claims in this order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from kg.query.render import truncate
from kg.query.sparql import select
from kg.store import KgStore
from kg.store.derived import date_key

_CLAIMS = """
SELECT DISTINCT ?entity ?claim ?text ?kind ?confidence ?hedged ?negated ?direction ?paper ?title ?date
WHERE {{
  {link}
  ?claim kg:text ?text ; kg:inPaper ?paper .
  OPTIONAL {{ ?claim kg:kind ?kind }}
  OPTIONAL {{ ?claim kg:confidence ?confidence }}
  OPTIONAL {{ ?claim kg:hedged ?hedged }}
  OPTIONAL {{ ?claim kg:negated ?negated }}
  OPTIONAL {{ ?claim kg:direction ?direction }}
  OPTIONAL {{ ?paper dcterms:title ?title }}
  OPTIONAL {{ ?paper dcterms:date ?date }}
}}
"""
# Every claim about the entity, or (kg.query.card, for an entity with a card index) only its first ones.
CLAIMS_ABOUT = _CLAIMS.format(link="?claim kg:about ?entity .")
TOP_CLAIMS = _CLAIMS.format(link="?entity kg:topClaim ?claim .")


@dataclass(frozen=True)
class ClaimRef:
    """One claim as listed for a reader: its sentence, kind and the paper it comes from."""

    iri: str
    text: str
    kind: str | None
    confidence: float | None
    hedged: bool
    negated: bool
    direction: str | None
    paper: str
    title: str | None
    date: str | None

    def to_json(self) -> dict:
        return asdict(self)


def claims_about(
    store: KgStore, entity_iri: str, *, limit: int | None = None, query: str = CLAIMS_ABOUT
) -> list[ClaimRef]:
    """The claims that name an entity, newest first when the papers are dated.

    Args:
        store: the graph.
        entity_iri: the entity, already resolved from a name (see kg.query.lookup.resolve_one).
        limit: at most this many claims (None: all).
        query: CLAIMS_ABOUT, or TOP_CLAIMS to read only the claims of the entity's card index.

    Returns:
        The claims in display order.

    Raises:
        QueryError: the store could not be queried.
    """
    result = select(store, query, {"entity": ox.NamedNode(entity_iri)})
    claims = sorted((_claim(row) for row in result.records()), key=lambda c: (c.title or "", c.text, c.iri))
    claims.sort(key=lambda c: date_key(c.date), reverse=True)
    return claims[:limit]


def _claim(row: dict) -> ClaimRef:
    confidence = row["confidence"]
    return ClaimRef(
        iri=row["claim"].value,
        text=row["text"].value,
        kind=_value(row["kind"]),
        confidence=float(confidence.value) if confidence is not None else None,
        hedged=_flag(row["hedged"]),
        negated=_flag(row["negated"]),
        direction=_value(row["direction"]),
        paper=row["paper"].value,
        title=_value(row["title"]),
        date=_value(row["date"]),
    )


def _value(term: ox.Literal | None) -> str | None:
    return term.value if term is not None else None


def _flag(term: ox.Literal | None) -> bool:
    return term is not None and term.value in ("true", "1")


def format_claims(claims: list[ClaimRef], *, width: int = 100) -> str:
    """Claims as text blocks: the sentence, then kind, date and paper title on an indented line."""
    blocks = []
    for claim in claims:
        flags = [f for f, on in (("hedged", claim.hedged), ("negated", claim.negated)) if on]
        kind = f"{claim.kind or 'claim'}{' (' + ', '.join(flags) + ')' if flags else ''}"
        meta = " · ".join((kind, claim.date or "undated", truncate(claim.title or claim.paper, 70)))
        blocks.append(f"- {truncate(claim.text, width)}\n    {meta}")
    return "\n".join(blocks) + ("\n" if blocks else "")
