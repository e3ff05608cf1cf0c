"""Claims about an entity, newest paper first: the data behind `kg claims NAME` and the entity card.

A claim is linked to the entities it names by ``kg:about`` and to its paper by ``kg:inPaper`` (see
ontology/README.md). Paper dates are ``xsd:date`` when the input gave an ISO date and free text otherwise
("March 2023"), so they are ordered here by ``date_key`` rather than by SPARQL; undated papers come last,
so "newest first" never hides an undated claim.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from kg.query.render import truncate
from kg.query.sparql import select
from kg.store import KgStore

CLAIMS_ABOUT = """
SELECT DISTINCT ?entity ?claim ?text ?kind ?confidence ?hedged ?negated ?direction ?paper ?title ?date WHERE {
  ?claim kg:about ?entity ; kg:text ?text ; kg:inPaper ?paper .
  OPTIONAL { ?claim kg:kind ?kind }
  OPTIONAL { ?claim kg:confidence ?confidence }
  OPTIONAL { ?claim kg:hedged ?hedged }
  OPTIONAL { ?claim kg:negated ?negated }
  OPTIONAL { ?claim kg:direction ?direction }
  OPTIONAL { ?paper dcterms:title ?title }
  OPTIONAL { ?paper dcterms:date ?date }
}
"""
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


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


def claims_about(store: KgStore, entity_iri: str, *, limit: int | None = None) -> list[ClaimRef]:
    """The claims that name an entity, newest first when the papers are dated.

    Args:
        store: the graph.
        entity_iri: the entity, already resolved from a name (see kg.query.lookup.resolve_one).
        limit: at most this many claims (None: all).

    Returns:
        The claims in display order.

    Raises:
        QueryError: the store could not be queried.
    """
    result = select(store, CLAIMS_ABOUT, {"entity": ox.NamedNode(entity_iri)})
    claims = sorted((_claim(row) for row in result.records()), key=lambda c: (c.title or "", c.text))
    claims.sort(key=lambda c: date_key(c.date), reverse=True)
    return claims[:limit]


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
