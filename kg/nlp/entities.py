"""Rule-based entity finding for one field: gazetteers, patterns and acronym long forms, then roles.

Plain functions over the text (no spaCy objects), called by the thin ``kg_entity_rules`` and ``kg_entities``
components in kg.nlp.components. :func:`rule_candidates` proposes spans; :func:`field_entities` adds the
trained model's spans, decides Dataset vs Benchmark for each, drops spans inside URLs and resolves overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.nlp.acronyms import Definition
from kg.nlp.candidates import Candidate, resolve
from kg.nlp.canonical import key_of
from kg.nlp.gazetteer import Gazetteer, Match
from kg.nlp.lexicon import word_set
from kg.nlp.names import extend_name, in_url, is_strong_name, is_title_word
from kg.nlp.patterns import DEFAULT_CONFIDENCE, find_patterns
from kg.nlp.roles import (
    DATASET_OR_BENCHMARK,
    compared_against,
    dataset_role,
    type_from_head,
    type_from_kind_head,
)


@dataclass(frozen=True)
class RuleSettings:
    """Confidences and switches of the rule extractors (set from the component config).

    Attributes:
        gazetteer: confidence of a curated gazetteer name.
        pwc_tasks: confidence of a task name from the Papers with Code list, and of a weak gazetteer entry.
        acronym: confidence of an acronym long form typed by its head word.
        patterns: per-pattern confidences (keys of kg.nlp.patterns.DEFAULT_CONFIDENCE).
        include_head: keep "dataset"/"benchmark" in "X dataset" spans (as SciREX/SciERC annotate them).
    """

    gazetteer: float = 0.95
    pwc_tasks: float = 0.7
    acronym: float = 0.7
    patterns: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CONFIDENCE))
    include_head: bool = True


@dataclass(frozen=True)
class MergeSettings:
    """How model and rule spans are merged (see kg.nlp.candidates.resolve for the policy).

    Attributes:
        model: confidence of every span of the trained model (it gives no scores).
        length_weight: how much a longer span's length adds to its rank.
        agreement_bonus: confidence added when two extractors propose the same span and type.
        model_phrases: model spans swallow the rule spans strictly inside them.
    """

    model: float = 0.8
    length_weight: float = 0.05
    agreement_bonus: float = 0.03
    model_phrases: bool = True


# Patterns that read a whole new name off its introduction ("we present an algorithm named Ghost Batch
# Normalization", "X, a framework for ..."): like a model phrase, the name swallows what lies inside it.
NAMING_EXTRACTORS = frozenset({"rule-propose", "rule-apposition"})
_TRIM_HEAD = re.compile(r"^(?:[\s\-.,;:]|(?:the|a|an|our|their|its|this|these|those)\s+)+", re.IGNORECASE)
_TRIM_TAIL = re.compile(r"(?:[\s\-.,;:]|\s(?:and|or|of|with|for|in|on|to|the))+$", re.IGNORECASE)
# Words that end a name where a clause goes on: finite verbs, comparatives and sentence adverbs. The model has
# no part-of-speech tags and runs names into them ("ROD-TV consists", "LBFGS-B even faster"); none of these
# words is inside or at the end of any annotated span of SciERC train or the SciREX train part, though each
# occurs in their text (noun-ambiguous forms such as "supports", "works", "shows" are left out).
CLAUSE_WORDS = word_set(
    "achieve achieves allows attains benefits boosts captures consists delivers demonstrates enables exceeds "
    "exhibits fails generates handles helps holds improve improves increases leads learns makes matters "
    "obtains operates outperform outperforms performs produces provides reaches reduces relies remains "
    "requires reveals scales solves suffers surpasses uses yields "
    "better worse faster easier harder stronger weaker higher lower larger smaller more less sufficient "
    "also even significantly simultaneously"
)
_WORD = re.compile(r"\S+")
_LISTING = re.compile(r",|;| and | or | & ")
_HEAD_AFTER = re.compile(r"[ \t]+(?:datasets?|benchmarks?|corpus|corpora|data sets?|suite)\b", re.IGNORECASE)
# After an acronym's parentheses a name goes on with its noun ("deep mixture of factor analyzers (DMFA)
# model"), never with a verb, though the model runs the name into its clause ("Foundation Models (FMs) serve
# as"): no word after a ")" inside a SciERC or SciREX annotation is one of these or a clause word.
_AFTER_PARENS = re.compile(r"\)\s+([A-Za-z]+)\b")
VERBS_AFTER_PARENS = CLAUSE_WORDS | word_set(
    "is are was were be been has have had can could may might will would should must do does did "
    "serve provide show hold exhibit demonstrate become generalize remain require enable allow offer "
    "struggle fail suffer rely lack face learn produce achieve improve make perform"
)


def _is_name_entry(name: str) -> bool:
    """Gazetteer names with a capital or a digit are names that may carry a glued version."""
    return any(c.isupper() or c.isdigit() for c in name)


def gazetteer_candidates(text: str, matches: Iterable[Match], settings: RuleSettings) -> list[Candidate]:
    """Candidates of gazetteer hits, names extended over glued versions ("Qwen" -> "Qwen2.5-7B") and, when
    ``settings.include_head``, datasets over a kind word right after them ("GSM8K dataset").

    The entry's curated key is kept only when the name itself was not extended, since "Qwen2.5-7B" is not
    the entity "Qwen" (a kind word does not change the entity).
    """
    found = []
    for match in matches:
        entry = match.entry
        start, end = match.start, match.end
        if _is_name_entry(entry.name):
            start, end = extend_name(text, start, end, family=entry.family)
        exact = (start, end) == (match.start, match.end)
        head = (
            _HEAD_AFTER.match(text, end)
            if settings.include_head and entry.type in DATASET_OR_BENCHMARK
            else None
        )
        end = head.end() if head else end
        confidence = (
            settings.pwc_tasks if entry.extractor == "pwc-tasks" or entry.weak else settings.gazetteer
        )
        key = entry.key if exact else None
        found.append(Candidate(start, end, entry.type, entry.extractor, confidence, key))
    return found


def long_form_candidates(
    text: str, definitions: Iterable[Definition], gazetteer: Gazetteer, confidence: float
) -> list[Candidate]:
    """Acronym long forms typed by their head word ("Robust Fine-Tuning" -> Method), unless a gazetteer
    name covers the whole long form (then the gazetteer candidate already types it)."""
    found = []
    for definition in definitions:
        start, end = definition.long
        if any((m.start, m.end) == (start, end) for m in gazetteer.find(text[start:end])):
            continue
        type_ = type_from_head(text[start:end])
        if type_ is not None:
            key = gazetteer.canonical(key_of(text[start:end]))
            found.append(Candidate(start, end, type_, "acronym", confidence, key))
    return found


def rule_candidates(
    text: str,
    sentences: list[tuple[int, int]],
    definitions: Iterable[Definition],
    gazetteer: Gazetteer,
    generic: frozenset[str],
    settings: RuleSettings,
) -> list[Candidate]:
    """Every rule candidate in one field: gazetteer names, pattern names and acronym long forms.

    Args:
        text: the field text.
        sentences: its sentence bounds.
        definitions: acronym definitions found in it (kg.nlp.acronyms.find_definitions).
        gazetteer: the curated name lists.
        generic: the generic-word stoplist.
        settings: confidences and switches.

    Returns:
        Candidates, possibly overlapping.
    """
    found = gazetteer_candidates(text, gazetteer.find(text), settings)
    found += find_patterns(text, sentences, generic, settings.patterns, settings.include_head)
    found += long_form_candidates(text, definitions, gazetteer, settings.acronym)
    return found


def _sentence_of(sentences: list[tuple[int, int]], start: int) -> tuple[int, int]:
    """The sentence bounds containing offset ``start`` (the whole text when none does)."""
    for bounds in sentences:
        if bounds[0] <= start < bounds[1]:
            return bounds
    return (0, start)


def with_roles(
    text: str, sentences: list[tuple[int, int]], candidates: Iterable[Candidate]
) -> list[Candidate]:
    """Each Dataset/Benchmark candidate typed by how its sentence uses it (kg.nlp.roles.dataset_role); one
    the model found where a claimed gain names its baseline is a Method (kg.nlp.roles.compared_against)."""
    typed = []
    for cand in candidates:
        if cand.type in DATASET_OR_BENCHMARK:
            s_start, s_end = _sentence_of(sentences, cand.start)
            before, after = text[s_start : cand.start], text[cand.end : max(s_end, cand.end)]
            if cand.extractor == "kg_ner" and compared_against(before):
                role = "Method"
            else:
                role = dataset_role(before, text[cand.start : cand.end], after, cand.type)
            cand = replace(cand, type=role) if role != cand.type else cand
        typed.append(cand)
    return typed


def field_entities(
    text: str,
    sentences: list[tuple[int, int]],
    model_spans: Iterable[tuple[int, int, str]],
    rule_spans: Iterable[Candidate],
    settings: MergeSettings,
) -> list[Candidate]:
    """The resolved entity spans of one field from the model's spans and the rule candidates.

    Args:
        text: the field text.
        sentences: its sentence bounds.
        model_spans: ``(start, end, label)`` predicted by the trained model (labels outside the project's
            types are ignored; a kind noun heading the span overrides the label, see
            kg.nlp.roles.type_from_kind_head).
        rule_spans: candidates from :func:`rule_candidates`.
        settings: the model's confidence and the overlap policy's weights.

    Returns:
        Non-overlapping candidates in order, none inside a URL.
    """
    from kg.types import ENTITY_TYPES

    model = [
        Candidate(*trimmed, type_from_kind_head(text[slice(*trimmed)]) or label, "kg_ner", settings.model)
        for start, end, label in model_spans
        if label in ENTITY_TYPES and (trimmed := trim_span(text, start, end)) is not None
    ]
    pool = with_roles(text, sentences, [c for c in [*model, *rule_spans] if not in_url(text, c.start, c.end)])
    phrases = [
        c
        for c in pool
        if (c.extractor == "kg_ner" and settings.model_phrases and _one_thing(text, c))
        or c.extractor in NAMING_EXTRACTORS
    ]
    return resolve(
        pool, phrases=phrases, length_weight=settings.length_weight, agreement_bonus=settings.agreement_bonus
    )


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A model span without what annotations never include: a clause word and all after it
    (:data:`CLAUSE_WORDS`), edge punctuation, a leading determiner, a trailing "and"/"of"/"-", an unclosed
    "(...". ``None`` when nothing is left, when the span starts with a clause word, or when a cut leaves one
    capitalised plain word ("Order Matters", "Debate Helps ...": a title's subject, not a name; "accuracy
    improves" keeps "accuracy").

    Args:
        text: the field text.
        start: span start.
        end: span end.

    Returns:
        The trimmed ``(start, end)``, or None.
    """
    span, cut = _before_clause_word(_before_verb_after_parens(text[start:end]))
    if span.count("(") > span.count(")"):
        span = span[: span.rindex("(")]
    elif span.count(")") > span.count("(") and span.endswith(")"):
        span = span[:-1]
    core = _TRIM_TAIL.sub("", _TRIM_HEAD.sub("", span))
    if not core or (cut and " " not in core and is_title_word(core) and not is_strong_name(core)):
        return None
    offset = start + span.index(core)
    return offset, offset + len(core)


def _before_verb_after_parens(span: str) -> str:
    """``span`` up to a ")" that a verb follows ("Foundation Models (FMs)" of "Foundation Models (FMs)
    serve")."""
    after = _AFTER_PARENS.search(span)
    if after and after.group(1).lower() in VERBS_AFTER_PARENS:
        return span[: after.start() + 1]
    return span


def _before_clause_word(span: str) -> tuple[str, bool]:
    """``span`` up to its first clause word, and whether it was cut there; nothing when it starts with one
    ("weaker models", "outperforms BERT": the model took a clause for a name)."""
    for index, match in enumerate(_WORD.finditer(span)):
        if match.group().strip(",.;:()\"'").lower() in CLAUSE_WORDS:
            return span[: match.start()] if index else "", True
    return span, False


def _one_thing(text: str, cand: Candidate) -> bool:
    """Whether a span names one thing, not a list ("GSM8K, MATH and AIME")."""
    return not _LISTING.search(text, cand.start, cand.end)
