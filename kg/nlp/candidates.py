"""Candidate entity spans from every extractor, and the policy that picks among overlapping ones.

Extractors (the trained model, gazetteers, patterns, acronym long forms, propagation) each propose spans
with a type, their name and a confidence. :func:`resolve` keeps a set of non-overlapping spans:

1. a phrase span (from the trained model, which learnt how far an annotated phrase reaches, or a name read
   off its introduction: "an algorithm named Ghost Batch Normalization") swallows the spans strictly inside
   it: "statistical machine translation" over the gazetteer's "machine translation", "n-gram language
   model" over "language model". The caller passes only phrase spans that do not list several things
   ("GSM8K and MATH" is no phrase);
2. identical spans (same offsets) keep the proposal with the highest confidence; when another extractor
   agrees on span and type, its confidence gets ``agreement_bonus`` (capped at 0.99);
3. the rest are ranked by ``confidence + length_weight * min(length, 40) / 40`` (so a longer span wins
   over a contained shorter one only when it is about as trustworthy: the curated "ImageNet" beats a model's
   "ImageNet classification" unless ``length_weight`` is raised), then by earlier start;
4. greedily, a span is kept when it overlaps no span kept before it.

Confidences are set per extractor in the component config (see kg.nlp.components), so this policy is tuned
there, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Candidate:
    """A proposed entity span: character offsets into one field, its type, who proposed it and how sure.

    ``key`` is set when the extractor knows the entity's canonical key (a curated alias, an acronym's long
    form); otherwise the key is computed from the surface text later. ``acronym`` and ``merged_by`` are set
    when a short form was folded into its long form (paper level, never stored on a Doc).
    """

    start: int
    end: int
    type: str
    extractor: str
    confidence: float
    key: str | None = None
    acronym: str | None = None
    merged_by: str = ""

    def to_tuple(self) -> tuple:
        """A plain tuple of the span fields, so Doc extensions stay serialisable (multiprocessing, DocBin)."""
        return (self.start, self.end, self.type, self.extractor, self.confidence, self.key)

    @classmethod
    def from_tuple(cls, value: Iterable) -> Candidate:
        """The inverse of :meth:`to_tuple` (accepts lists, as msgpack returns them)."""
        start, end, type_, extractor, confidence, key = value
        return cls(int(start), int(end), str(type_), str(extractor), float(confidence), key)

    def overlaps(self, other: Candidate) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end


def _merge_identical(candidates: Iterable[Candidate], agreement_bonus: float) -> list[Candidate]:
    """One candidate per span: the most confident, boosted when another extractor agreed on its type."""
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for cand in candidates:
        by_span.setdefault((cand.start, cand.end), []).append(cand)
    merged = []
    for group in by_span.values():
        best = max(group, key=lambda c: (c.confidence, c.key is not None))
        agreeing = {c.extractor for c in group if c.type == best.type}
        if len(agreeing) > 1:
            best = replace(best, confidence=min(0.99, best.confidence + agreement_bonus))
        merged.append(best)
    return merged


def _inside_phrase(cand: Candidate, phrases: list[Candidate]) -> bool:
    """Whether ``cand`` lies strictly inside one of the phrase spans."""
    return any(
        p.start <= cand.start and cand.end <= p.end and p.end - p.start > cand.end - cand.start
        for p in phrases
    )


def resolve(
    candidates: Iterable[Candidate],
    *,
    phrases: Iterable[Candidate] = (),
    length_weight: float = 0.05,
    agreement_bonus: float = 0.03,
) -> list[Candidate]:
    """Non-overlapping spans chosen from ``candidates`` by the policy in the module docstring.

    Args:
        candidates: proposals from any extractors, for one field of one paper.
        phrases: those of ``candidates`` that swallow the spans strictly inside them (step 1).
        length_weight: how much a longer span's length adds to its rank.
        agreement_bonus: confidence added when two extractors propose the same span and type.

    Returns:
        The kept spans, sorted by start offset.
    """
    outer = list(phrases)
    pool = [c for c in candidates if not _inside_phrase(c, outer)]
    pool = [c for c in _merge_identical(pool, agreement_bonus) if c.end > c.start]
    pool.sort(key=lambda c: (-(c.confidence + length_weight * min(c.end - c.start, 40) / 40), c.start))
    kept: list[Candidate] = []
    for cand in pool:
        if not any(cand.overlaps(k) for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)
