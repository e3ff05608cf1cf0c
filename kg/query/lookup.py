"""Find entities by name: exact and fuzzy matching over preferred labels, surface forms, acronyms and keys.

Every command that takes an entity NAME (lookup, claims, neighbors, path, related, named-query parameters)
resolves it here, so "GSM-8K", "gsm8k" and "GSM8K" mean the same node everywhere. Matching is two-step:
names equal after dropping case and punctuation win outright; otherwise rapidfuzz's WRatio ranks all
forms and a clear winner (at least ``ACCEPT`` and ``MARGIN`` ahead of the next entity) is taken. Anything
else is reported as ambiguous (with the candidates) or unknown (with the closest names).

This module is on the fast path of `kg lookup`: it must not import spaCy or networkx.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from kg.errors import NotFoundError
from kg.query.cache import cached
from kg.query.sparql import select
from kg.rdf.vocab import ENTITY_CLASS, KG
from kg.store import KgStore
from kg.types import ENTITY_TYPES

ACCEPT = 85.0  # WRatio score from which a fuzzy match counts as the name asked for
MARGIN = 5.0  # how far the best entity must lead the next one to be taken without asking
SUGGEST = 65.0  # lowest score still worth suggesting for an unknown name
# Types that also answer for a more general one: a benchmark is a dataset (kg:Benchmark ⊑ kg:Dataset).
SUBTYPES: dict[str, frozenset[str]] = {"Dataset": frozenset({"Dataset", "Benchmark"})}

ENTITIES = f"""
SELECT DISTINCT ?entity ?type ?label WHERE {{
  VALUES ?type {{ {" ".join(f"<{iri}>" for iri in ENTITY_CLASS.values())} }}
  ?entity a ?type ; skos:prefLabel ?label .
}}
"""
FORMS = """
SELECT DISTINCT ?entity ?property ?form WHERE {
  VALUES ?property { skos:altLabel kg:label kg:acronym kg:key }
  ?entity ?property ?form .
}
"""


@dataclass(frozen=True)
class Entity:
    """An entity node as the query layer shows it: IRI, preferred label and type names."""

    iri: str
    label: str
    types: tuple[str, ...]

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "types": list(self.types)}


@dataclass(frozen=True)
class Candidate:
    """An entity that matched a name, with the form that matched best and its score (100 = exact)."""

    entity: Entity
    matched: str
    score: float

    def to_json(self) -> dict:
        return {**self.entity.to_json(), "matched": self.matched, "score": round(self.score, 1)}


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to: exactly one entity, several equally good ones, or none."""

    name: str
    status: Literal["found", "ambiguous", "unknown"]
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "candidates": [c.to_json() for c in self.candidates],
        }


def normalise(text: str) -> str:
    """The exact-match key: case-folded, letters and digits only ("GSM-8K" -> "gsm8k")."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _fuzzy_form(text: str) -> str:
    """The fuzzy-match form: case-folded words separated by single spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


class LabelIndex:
    """All names of all entities, loaded once, matched in memory.

    Args:
        entities: ``[iri, preferred label, [type names], [[form, exact key, fuzzy form], ...], names]`` per
            entity, as ``_read_labels`` writes them (the keys are precomputed so that loading from the cache
            is only dictionary building); ``names`` maps ``altLabel``, ``acronym`` and ``key`` to the
            entity's values of that property, which the entity card shows without querying the store.
    """

    def __init__(self, entities: list[list]) -> None:
        self.entities: dict[str, Entity] = {}
        self.names: dict[str, dict[str, list[str]]] = {}
        self._exact: dict[str, dict[str, str]] = defaultdict(dict)
        self._forms: list[str] = []
        self._owners: list[str] = []
        self._originals: list[str] = []
        for iri, label, types, forms, names in entities:
            self.entities[iri] = Entity(iri, label, tuple(types))
            self.names[iri] = names
            for form, exact, fuzzy in forms:
                self._exact[exact].setdefault(iri, form)
                self._forms.append(fuzzy)
                self._owners.append(iri)
                self._originals.append(form)

    @classmethod
    def from_store(cls, store: KgStore) -> LabelIndex:
        """Every entity's labels, acronyms and key: from the cache beside the store while it is valid
        (see kg.query.cache), else read with two queries.

        Raises:
            QueryError: the store could not be queried.
        """
        return cls(cached(store, "labels", lambda: _read_labels(store))["entities"])

    def resolve(self, name: str, type_: str | None = None, *, limit: int = 10) -> Resolution:
        """Match a user's name (or an entity IRI) against the index.

        Args:
            name: what the user typed.
            type_: only entities of this type (or a subtype: Dataset includes Benchmark).
            limit: at most this many candidates in an ambiguous or unknown answer.

        Returns:
            found (one candidate), ambiguous (the tied candidates) or unknown (the closest names, maybe none).
        """
        allowed = allowed_types(type_)
        if name in self.entities:
            entity = self.entities[name]
            if allowed is None or allowed & set(entity.types):
                return Resolution(name, "found", (Candidate(entity, name, 100.0),))
        scored = self._score(name, allowed)
        ranked = sorted(scored.values(), key=lambda c: (-c.score, c.entity.label))
        if not ranked or ranked[0].score < ACCEPT:
            closest = tuple(c for c in ranked[:limit] if c.score >= SUGGEST)
            return Resolution(name, "unknown", closest)
        best = ranked[0].score
        tied = tuple(c for c in ranked if c.score > best - MARGIN and c.score >= ACCEPT)[:limit]
        return Resolution(name, "found" if len(tied) == 1 else "ambiguous", tied)

    def _score(self, name: str, allowed: frozenset[str] | None) -> dict[str, Candidate]:
        """Best-scoring form per entity: 100 for exact matches, else WRatio over all forms."""
        from rapidfuzz import fuzz, process

        def keep(iri: str) -> bool:
            """Whether the entity passes the type restriction."""
            return allowed is None or bool(allowed & set(self.entities[iri].types))

        exact = {iri: form for iri, form in self._exact.get(normalise(name), {}).items() if keep(iri)}
        if exact:
            return {iri: Candidate(self.entities[iri], form, 100.0) for iri, form in exact.items()}
        best: dict[str, Candidate] = {}
        query = _fuzzy_form(name)
        for _, score, i in process.extract(query, self._forms, scorer=fuzz.WRatio, limit=None):
            iri = self._owners[i]
            if keep(iri) and (iri not in best or score > best[iri].score):
                best[iri] = Candidate(self.entities[iri], self._originals[i], float(score))
        return best


def _read_labels(store: KgStore) -> dict:
    """``{"entities": [...]}`` in the layout LabelIndex takes, read from the store with two queries."""
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for entity, type_, label in select(store, ENTITIES).rows:
        # exactly one prefLabel is expected; taking the smallest keeps the answer stable if not
        labels[entity.value] = min(labels.get(entity.value, label.value), label.value)
        types[entity.value].add(type_.value.rsplit("#", 1)[-1])
    forms: dict[str, set[str]] = defaultdict(set)
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entity, prop, form in select(store, FORMS).rows:
        if entity.value in labels:
            forms[entity.value].add(form.value)
            names[entity.value][prop.value.rsplit("#", 1)[-1]].add(form.value)
    rows = [
        [
            iri,
            label,
            sorted(types[iri]),
            [[f, normalise(f), _fuzzy_form(f)] for f in [label, *sorted(forms[iri] - {label})]],
            {kind: sorted(names[iri][kind]) for kind in ("altLabel", "acronym", "key")},
        ]
        for iri, label in sorted(labels.items())
    ]
    return {"entities": rows}


def canonical_type(type_: str) -> str:
    """The entity type name as kg.types spells it ("benchmark" -> "Benchmark").

    Raises:
        NotFoundError: not an entity type.
    """
    for known in ENTITY_TYPES:
        if known.casefold() == type_.casefold():
            return known
    raise NotFoundError(f"unknown entity type {type_!r}; the types are {', '.join(ENTITY_TYPES)}")


def type_class(type_: str) -> str:
    """The class IRI of an entity type name (case-insensitive); raises NotFoundError for other names."""
    return str(KG[canonical_type(type_)])


def allowed_types(type_: str | None) -> frozenset[str] | None:
    """The type names that satisfy ``--type T``, or None for no restriction."""
    if type_ is None:
        return None
    known = canonical_type(type_)
    return SUBTYPES.get(known, frozenset({known}))


def resolve_one(index: LabelIndex, name: str, type_: str | None = None) -> Entity:
    """The one entity a name means, for commands that cannot show a list of candidates.

    Raises:
        NotFoundError: no entity matches (the closest names are in the message), or several match equally.
    """
    resolution = index.resolve(name, type_)
    if resolution.status == "found":
        return resolution.candidates[0].entity
    names = "; ".join(f"{c.entity.label} ({'/'.join(c.entity.types)})" for c in resolution.candidates[:5])
    if resolution.status == "ambiguous":
        raise NotFoundError(f"{name!r} is ambiguous: {names}; give the full name or --type")
    hint = f"; closest: {names}" if names else ""
    raise NotFoundError(f"no entity named {name!r}{hint}")
