"""Claims: which sentences assert the paper's own result, and what each one states.

Two parts:

- the ``kg_claims`` spaCy component (:mod:`kg.nlp.claims_component`) scores every sentence of a doc and
  keeps the claim sentences in ``doc.spans["kg_claims"]``, with their scores in
  ``doc.spans["kg_claims"].attrs["scores"]`` (a list parallel to the spans, as spaCy's spancat does);
- :func:`claims_from_doc` turns those spans plus the entity mentions of the same field into typed
  :class:`kg.types.Claim`, :class:`kg.types.Relation` and :class:`kg.types.Result` values.

Claim spans are always whole pipeline sentences, so a predicted claim overlaps exactly the gold sentence it
stands for when scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.errors import ModelError
from kg.nlp import claims_cues as cues
from kg.nlp.docview import doc_text
from kg.nlp.relations import paper_relations, proposed_methods
from kg.nlp.values import end_point, is_relative, parse_values
from kg.types import Claim, ClaimValue, Field, Mention, Relation, Result, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPANS_KEY = "kg_claims"
FIRST_BASELINE_REACH = 60  # characters from a comparison anchor to the first baseline it introduces
# After the first baseline, these words start a new part of the sentence (where, how, by how much).
BASELINES_END = cues.words(
    "on",
    "in",
    "across",
    "using",
    "with",
    "via",
    "for",
    "while",
    "at",
    "when",
    "under",
    "by",
    "through",
    "which",
)


def claim_spans(doc: Doc, field: Field, key: str = SPANS_KEY) -> list[tuple[Span, float]]:
    """The claim sentences the kg_claims component stored on a doc, with their scores.

    Args:
        doc: a doc processed by a pipeline that contains the kg_claims component.
        field: which record field the doc text is.
        key: the span group the component wrote.

    Returns:
        (sentence span, score) pairs in text order.

    Raises:
        ModelError: the doc was not processed by the kg_claims component.
    """
    if key not in doc.spans:
        raise ModelError(f"doc has no spans[{key!r}]; add the kg_claims component to the pipeline")
    group = doc.spans[key]
    scores = group.attrs.get("scores", [1.0] * len(group))
    return [
        (Span(s.start_char, s.end_char, s.text, field), float(score))
        for s, score in zip(group, scores, strict=True)
    ]


def _inside(mentions: Iterable[Mention], span: Span) -> list[Mention]:
    """The mentions within a span, in text order."""
    return sorted(
        (m for m in mentions if m.span.start >= span.start and m.span.end <= span.end),
        key=lambda m: m.span.start,
    )


def _keys(mentions: Iterable[Mention], *types: str) -> tuple[str, ...]:
    """Distinct keys of the mentions of the given types, in text order."""
    return tuple(dict.fromkeys(m.key for m in mentions if m.type in types))


def _subject(span: Span, methods: list[Mention], own: list[str]) -> str | None:
    """The method a claim is about, named before the comparison or performance cue: the paper's own
    method if named there, else the first method there, else the paper's own method when the sentence
    refers to it ("our model", "we", "the proposed approach")."""
    cue = cues.COMPARISON.search(span.text) or cues.PERFORMANCE.search(span.text)
    cut = span.start + (cue.start() if cue else len(span.text))
    before = [m for m in methods if m.span.end <= cut]
    named_own = [m for m in before if m.key in own]
    if named_own or before:
        return (named_own or before)[0].key
    own_ref = cues.OWN_WORK.search(span.text[: cut - span.start]) if own else None
    return own[0] if own_ref else None


def _named_after(span: Span, methods: list[Mention], start: int) -> list[Mention]:
    """The methods listed right after a character offset: the first within FIRST_BASELINE_REACH, the next
    ones up to the first phrase that moves on to something else ("on MMLU", "using LoRA", "by 3 points")."""
    position, found = start, []
    for mention in methods:
        if mention.span.start < position:
            continue
        gap = span.text[position - span.start : mention.span.start - span.start]
        if BASELINES_END.search(gap) or (not found and len(gap) > FIRST_BASELINE_REACH):
            break
        found.append(mention)
        position = mention.span.end
    return found


def _comparison(span: Span, methods: list[Mention], own: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """Subject and baselines of a comparison claim.

    Baselines are the methods named after each comparison anchor ("outperforms X and Y", "than X",
    "gains over X", "compared to X"). In the passive ("X is outperformed by Y") the subject follows the cue
    and the baselines precede it. A subject named nowhere before the cue is the first method that is not a
    baseline ("Compared to LoRA, SRA reduces memory by 40%").
    """
    passive = cues.PASSIVE_COMPARISON.search(span.text)
    if passive:
        after = _named_after(span, methods, span.start + passive.end())
        own_ref = own and cues.OWN_WORK.search(span.text[passive.end() :])
        subject = after[0].key if after else own[0] if own_ref else None
        before = [m.key for m in methods if m.span.end <= span.start + passive.start()]
    else:
        subject = _subject(span, methods, own)
        anchors = cues.BASELINE_ANCHORS.finditer(span.text)
        before = [m.key for a in anchors for m in _named_after(span, methods, span.start + a.end())]
    baselines = tuple(dict.fromkeys(k for k in before if k != subject and k not in own))
    if subject is None:
        subject = next((m.key for m in methods if m.key not in baselines), None)
    return subject, baselines


def structure(span: Span, score: float, mentions: Iterable[Mention], own: list[str]) -> Claim:
    """The structured claim a sentence states.

    Args:
        span: the claim sentence.
        score: the detector's score for it, kept as the claim's confidence.
        mentions: the entity mentions of the field (those inside the sentence are used).
        own: keys of the paper's own methods, preferred as subject.

    Returns:
        The Claim with kind, subject, baselines, datasets, metrics, values, direction, hedging, negation.
    """
    inside = _inside(mentions, span)
    # a "method" without a letter ("9-16%") is a stray number, never a subject or baseline
    methods = [m for m in inside if m.type == "Method" and any(c.isalpha() for c in m.span.text)]
    values = tuple(parse_values(span.text, offset=span.start))
    negated = cues.is_negated(span.text)
    kind = cues.claim_kind(span.text, bool(values))
    subject, baselines = (
        _comparison(span, methods, own) if kind == "comparison" else (_subject(span, methods, own), ())
    )
    return Claim(
        span=span,
        kind=kind,
        confidence=score,
        subject=subject,
        baselines=baselines,
        datasets=_keys(inside, "Benchmark", "Dataset"),
        metrics=_keys(inside, "Metric"),
        values=values,
        direction=cues.direction(span.text, negated),
        hedged=cues.is_hedged(span.text),
        negated=negated,
    )


def _nearest(mentions: list[Mention], value: ClaimValue, *types: str) -> str | None:
    """The key of the mention of the given types closest to a value, preferring those after it."""
    start = value.start or 0
    candidates = [m for m in mentions if m.type in types]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda m: (m.span.start - start) if m.span.start >= start else 2 * (start - m.span.end),
    ).key


def _continues_list(previous: ClaimValue | None, value: ClaimValue, span: Span) -> bool:
    """Whether a value continues a list started by a relative value ("improvements of 13% on A, 21% on B")."""
    if previous is None or previous.unit != value.unit or previous.end is None or value.start is None:
        return False
    between = span.text[previous.end - span.start : value.start - span.start]
    return not cues.PERFORMANCE.search(between) and ";" not in between


def results(claims: Iterable[Claim], mentions: Iterable[Mention]) -> list[Result]:
    """Leaderboard-style results: each absolute value a claim reports, with its method, benchmark and metric.

    Differences and factors ("by 4.2 points", "3x") are not results; "from A to B" reports B. Negated claims
    and values that name neither a method nor a benchmark give no result.

    Args:
        claims: structured claims of one field.
        mentions: the entity mentions of the same field.

    Returns:
        One Result per qualifying value, in text order.
    """
    found: list[Result] = []
    for claim in claims:
        if claim.negated:
            continue
        inside = _inside(mentions, claim.span)
        previous: ClaimValue | None = None
        for value in claim.values:
            relative = is_relative(value, claim.span.text, offset=claim.span.start)
            if relative or _continues_list(previous, value, claim.span):
                previous = value if relative else previous
                continue
            previous = None
            benchmark = _nearest(inside, value, "Benchmark", "Dataset")
            if claim.subject is None and benchmark is None:
                continue
            metric = _nearest(inside, value, "Metric")
            found.append(Result(claim.subject, benchmark, metric, end_point(value), claim.span))
    return found


def claims_from_doc(
    doc: Doc, mentions: Iterable[Mention], field: Field, *, proposed: Iterable[str] = ()
) -> tuple[list[Claim], list[Relation], list[Result]]:
    """Claims, relations and results of one field of a record.

    Titles yield relations only (a title is not one of the paper's result sentences); abstracts yield all.

    Args:
        doc: the field processed by the pipeline (doc text is the field string; kg_claims has run).
        mentions: the entity mentions found in the same field.
        field: "title" or "abstract".
        proposed: keys of methods the paper proposes found elsewhere (the title), so "our method" in the
            abstract resolves to them.

    Returns:
        (claims, relations, results), offsets into the field string.

    Raises:
        ModelError: an abstract doc was not processed by the kg_claims component.
    """
    mentions = list(mentions)
    own = list(dict.fromkeys([*proposed, *(m.key for m in proposed_methods(mentions, doc_text(doc), field))]))
    claims: list[Claim] = []
    if field == "abstract":
        claims = [structure(span, score, mentions, own) for span, score in claim_spans(doc, field)]
    relations = paper_relations(mentions, doc_text(doc), field, claims, own)
    return claims, relations, results(claims, mentions)
