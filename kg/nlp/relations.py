"""Paper-level relations (proposes, uses, evaluatesOn, addresses, measuredBy) and method outperforms method.

Rules over the entity mentions of one field and the claims found in it; every relation carries the sentence
(or claim) that supports it as evidence. Pure functions over kg.types values, no spaCy.

- proposes: the paper's own named method: "we introduce/propose/present X", "a method called X", an acronym
  defined right after such a verb, or a title "X: ..." whose whole prefix is one name-like method mention
  ("Reinforcement Learning: A Survey" and "Secrets of RLHF: ..." propose nothing).
- uses: methods and datasets named but neither proposed nor beaten as baselines.
- evaluatesOn: benchmarks, and datasets in sentences that evaluate ("experiments on", "results on").
- addresses: tasks. measuredBy: metrics.
- outperforms: subject method -> baseline, from comparison claims with direction better (or reversed for
  worse), never from negated or hedged-negative claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.types import Claim, Field, Mention, Relation, Span

# "we propose", "this paper introduces", "here we present" ... up to the verb.
PROPOSE_VERB = re.compile(
    r"\b(?:we|this (?:paper|work|study|report)|our (?:paper|work))\s+(?:\w+\s+){0,2}?"
    r"(?:propose|introduce|present|develop|design|devise|build|construct|create|contribute|put forward|"
    r"release|offer)(?:s|d|ed)?\b"
    r"|\b(?:called|named|dubbed|termed|coined|namely)\b",
    re.IGNORECASE,
)
# Words between the verb and a name that show the name is something used, not the thing proposed.
NOT_PROPOSED = re.compile(
    r"\b(?:using|uses|use|based on|built on|on top of|with|via|from|leverag\w+|by|over|than|against|"
    r"compared|such as|like|including|e\.g|for|to|on|in|into|within|where|which|that|across|between|among|"
    r"about|of existing|existing|prior|previous|investigat\w+|stud\w+|evaluat\w+|analy[sz]\w+)\b",
    re.IGNORECASE,
)
EVALUATION = re.compile(
    r"\b(?:evaluat\w+|benchmark\w*|experiments?|results?|tested|test set|achiev\w+|outperform\w*|"
    r"surpass\w*|accuracy|scores?|state[- ]of[- ]the[- ]art|performance)\b",
    re.IGNORECASE,
)
# A name, not a generic phrase: one word, or a word with an inner capital or a digit ("DeepSeek-R1", "GPT4o").
NAME_LIKE = re.compile(r"^\S+$|\b\w*(?:[a-z][A-Z]|[A-Z]{2}|\d)\w*")
# A capitalised word right before the mention: the mention is only part of the name ("Selective DPO").
PART_OF_NAME = re.compile(r"\b(?!(?:A|An|The|Our)\b)[A-Z][\w-]*\s+$")
MAX_PROPOSE_GAP = 60  # characters between "we propose" and the name it introduces

PAPER_TYPE = {"Task": "addresses", "Metric": "measuredBy", "Benchmark": "evaluatesOn"}


def sentence_span(mention: Mention, text: str) -> Span:
    """The sentence a mention sits in, as evidence Span over the field text."""
    start, end = mention.sentence
    return Span(start, end, text[start:end], mention.span.field)


def _is_name(mention: Mention, sentence: Span) -> bool:
    """Whether a mention reads as a proper name: NAME_LIKE, or followed by its "(ACRONYM)"."""
    after = sentence.text[mention.span.end - sentence.start :]
    return bool(NAME_LIKE.search(mention.span.text)) or after.startswith((" (", "("))


def _proposed_in_sentence(sentence: Span, methods: list[Mention]) -> list[Mention]:
    """Method mentions a sentence introduces as the paper's own (after a propose verb, not after "using")."""
    chosen: list[Mention] = []
    for verb in PROPOSE_VERB.finditer(sentence.text):
        verb_end = sentence.start + verb.end()
        for mention in methods:
            gap = sentence.text[verb_end - sentence.start : mention.span.start - sentence.start]
            if mention.span.start < verb_end or len(gap) > MAX_PROPOSE_GAP:
                continue
            if not NOT_PROPOSED.search(gap) and not PART_OF_NAME.search(gap) and _is_name(mention, sentence):
                if mention not in chosen:
                    chosen.append(mention)
                break
    return chosen


def proposed_methods(mentions: Iterable[Mention], text: str, field: Field) -> list[Mention]:
    """The mentions naming the paper's own method(s) in one field.

    Args:
        mentions: the entity mentions of the field.
        text: the field string the mention offsets point into.
        field: "title" (then the "X: ..." prefix counts) or "abstract".

    Returns:
        One mention per proposed method occurrence, in text order.
    """
    methods = sorted((m for m in mentions if m.type == "Method"), key=lambda m: m.span.start)
    chosen: list[Mention] = []
    if field == "title" and ":" in text:
        prefix = text[: text.index(":")].strip()
        chosen += [m for m in methods if m.span.text == prefix and NAME_LIKE.search(m.span.text)]
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for mention in methods:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    for (start, end), sentence_methods in by_sentence.items():
        sentence = Span(start, end, text[start:end], field)
        chosen += [m for m in _proposed_in_sentence(sentence, sentence_methods) if m not in chosen]
    return sorted(chosen, key=lambda m: m.span.start)


def outperforms(claims: Iterable[Claim]) -> list[Relation]:
    """Method-beats-method edges backed by comparison claims.

    Args:
        claims: the claims of one field, with subject and baselines resolved to entity keys.

    Returns:
        subject -> baseline for claims stating "better", baseline -> subject for "worse"; none for negated
        claims or claims without a subject.
    """
    edges: list[Relation] = []
    for claim in claims:
        if claim.kind != "comparison" or claim.negated or claim.subject is None:
            continue
        for baseline in claim.baselines:
            if claim.direction == "better":
                edges.append(Relation("outperforms", claim.subject, baseline, claim.span))
            elif claim.direction == "worse":
                edges.append(Relation("outperforms", baseline, claim.subject, claim.span))
    return edges


def _paper_relation(
    mention: Mention, sentence: Span, proposed: set[str], beaten: set[str]
) -> Relation | None:
    """The paper -> entity edge one mention supports, or None (proposed or beaten methods)."""
    if mention.key in proposed:
        return None
    kind = PAPER_TYPE.get(mention.type)
    if kind is None and mention.type == "Dataset" and EVALUATION.search(sentence.text):
        kind = "evaluatesOn"
    if kind is None and mention.key not in beaten:
        kind = "uses"
    return None if kind is None else Relation(kind, None, mention.key, sentence)


def paper_relations(
    mentions: Iterable[Mention],
    text: str,
    field: Field,
    claims: Iterable[Claim] = (),
    proposed: Iterable[str] = (),
) -> list[Relation]:
    """All relations one field supports: proposes (with the proposing sentence), other paper -> entity
    edges, then outperforms edges.

    Args:
        mentions: the entity mentions of the field.
        text: the field string the offsets point into.
        field: "title" or "abstract".
        claims: the claims of the field (for outperforms, and so beaten baselines are not "used").
        proposed: keys already known to be the paper's own methods (e.g. from the title).

    Returns:
        Relations without duplicates: one per (type, head, tail), with the first supporting sentence.
    """
    mentions = sorted(mentions, key=lambda m: m.span.start)
    claims = list(claims)
    proposals = proposed_methods(mentions, text, field)
    own = set(proposed) | {m.key for m in proposals}
    beaten_edges = outperforms(claims)
    beaten = {r.tail for r in beaten_edges} - own
    relations = [Relation("proposes", None, m.key, sentence_span(m, text)) for m in proposals]
    for mention in mentions:
        relation = _paper_relation(mention, sentence_span(mention, text), own, beaten)
        if relation is not None:
            relations.append(relation)
    return unique(relations + beaten_edges)


def unique(relations: Iterable[Relation]) -> list[Relation]:
    """Relations with one per (type, head, tail), keeping the first (earliest evidence)."""
    seen: dict[tuple[str, str | None, str], Relation] = {}
    for relation in relations:
        seen.setdefault((relation.type, relation.head, relation.tail), relation)
    return list(seen.values())
