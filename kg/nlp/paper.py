"""Paper-level entity logic: what only makes sense across a paper's title and abstract together.

Per field the pipeline has already resolved model and rule spans (kg.nlp.entities). Here, for one paper:

1. the title's "X: ..." name is added (kg.nlp.patterns.title_name);
2. acronyms are folded (:func:`fold_acronyms`): the type of a definition comes from its long form's span
   (or, failing that, from a use of the short form the model typed); the long form gets a mention, and every
   use of the short form in the paper becomes a mention of the long form's entity (``key`` of the long form,
   ``acronym`` the short form, ``merged_by="acronym"``). Acronyms are per paper: "RFT" is Robust Fine-Tuning
   in one paper and Rejection-sampling Fine-Tuning in another, and a curated short form that means something
   else in this paper is dropped;
3. names are propagated (:func:`propagate_names`): a name found once ("GeoManip" in the title) is a mention
   wherever else it occurs in the paper;
4. one key, one type family per paper (:func:`unify_types`): the summed confidence of a key's mentions
   decides between Method, Task, Metric and data, and a type the text states ("X, a dataset of ...", a
   curated name) settles it; Dataset vs Benchmark stays per mention (it depends on the sentence).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.nlp.acronyms import Definition, occurrences, short_form_variants
from kg.nlp.candidates import Candidate
from kg.nlp.canonical import key_of
from kg.nlp.entities import with_roles
from kg.nlp.gazetteer import Entry, Gazetteer
from kg.nlp.names import in_url
from kg.nlp.roles import DATASET_OR_BENCHMARK, head_phrase, type_from_kind_head

_NOT_A_NAME = re.compile(r"[,;&]|\bet al\b")


@dataclass
class FieldState:
    """One field of a paper while paper-level rules run: its text, sentences, definitions and spans."""

    name: str
    text: str
    sentences: list[tuple[int, int]]
    definitions: list[Definition]
    spans: list[Candidate]

    def split_definition(self, definition: Definition) -> Candidate | None:
        """Drop a span that runs from inside the first form over the second ("Large Language Models (LLMs)",
        "Language Models (LLMs)"), so the long and the short form become two mentions, as SciREX annotates
        them and Extraction.acronyms records them.

        Returns:
            The dropped span (its type and extractor carry over to the two mentions), if there was one.
        """
        first = min(definition.short[0], definition.long[0])
        last = max(definition.short[1], definition.long[1])
        second = max(definition.short[0], definition.long[0])
        whole = [
            s
            for s in self.spans
            if first <= s.start < second and s.end >= last and not self.text[last : s.end].strip(" )")
        ]
        self.spans = [s for s in self.spans if s not in whole]
        return whole[0] if whole else None

    def replace_within(self, new: Candidate) -> bool:
        """Put ``new`` in, dropping the spans it covers; refuse (False) when a longer span overlaps it."""
        clashing = [s for s in self.spans if s.start < new.end and new.start < s.end]
        if any(s.start < new.start or s.end > new.end for s in clashing):
            return False
        self.spans = sorted([s for s in self.spans if s not in clashing] + [new], key=lambda s: s.start)
        return True


def _family(type_: str) -> str:
    """Dataset and Benchmark are one family for type agreement; the others are their own."""
    return "Data" if type_ in DATASET_OR_BENCHMARK else type_


def _acronym_type(fields: list[FieldState], field: FieldState, definition: Definition) -> Candidate | None:
    """The span that types a definition: its long form's (exact, else the longest one inside it that ends
    where the long form's head ends, i.e. shares its head), else the most confident use of the short form
    that the trained model typed in this paper.

    A span over a modifier does not type the whole ("oriented gradients" is no type for "histograms of
    oriented gradients"), and a curated name spelled like the short form may be another entity ("IR" is
    information retrieval in the gazetteer, individual rationality in the paper that defines it so).
    """
    start, end = definition.long
    head_end = start + len(head_phrase(field.text[start:end]))
    inside = [
        s for s in field.spans if (s.start, s.end) == (start, end) or (start <= s.start and s.end == head_end)
    ]
    if inside:
        return min(inside, key=lambda s: s.start)
    short = field.text[definition.short[0] : definition.short[1]]
    uses = [
        s
        for f in fields
        for s in f.spans
        if s.extractor == "kg_ner" and f.text[s.start : s.end] in (short, short + "s", short[:-1])
    ]
    return max(uses, key=lambda s: s.confidence, default=None)


def _drop_other_meanings(fields: list[FieldState], short: str, key: str) -> None:
    """Drop curated matches of ``short`` that name another entity than the paper defines it as ("IR" is
    information retrieval in the gazetteer, individual rationality where the paper says so): their key
    shares no word with the definition's long form ``key``."""
    words = set(key.split())
    variants = short_form_variants(short)
    for field in fields:
        field.spans = [
            s
            for s in field.spans
            if s.key is None
            or s.acronym is not None
            or field.text[s.start : s.end] not in variants
            or bool(words & set(s.key.split()))
        ]


def _curated_long_form(gazetteer: Gazetteer, long_text: str) -> Entry | None:
    """The curated entry naming the whole long form ("Supervised Fine-Tuning"), unless it is a weak one."""
    for match in gazetteer.find(long_text):
        if (match.start, match.end) == (0, len(long_text)) and not match.entry.weak:
            return match.entry
    return None


def fold_acronyms(fields: list[FieldState], gazetteer: Gazetteer, curated: float = 0.95) -> dict[str, str]:
    """Fold every defined short form of the paper into its long form's entity (spans changed in place).

    A long form that is a curated name takes the curated type at ``curated`` confidence, whatever span
    covered it ("Supervised Fine-Tuning (SFT)" is a Method even when the model tagged the whole a Task).

    Args:
        fields: the paper's fields; the first definition of a short form wins.
        gazetteer: for the curated key of a long form ("Proximal Policy Optimization" -> its entry's key).
        curated: the confidence of a curated type.

    Returns:
        The long form of each folded entity, by key (the paper's label for it).
    """
    seen: set[str] = set()
    long_forms: dict[str, str] = {}
    for field in fields:
        for definition in field.definitions:
            short = field.text[definition.short[0] : definition.short[1]]
            whole = field.split_definition(definition)
            source = whole or _acronym_type(fields, field, definition)
            long_text = field.text[definition.long[0] : definition.long[1]]
            key = gazetteer.canonical(key_of(long_text))
            if short not in seen:
                _drop_other_meanings(fields, short, key)
            entry = _curated_long_form(gazetteer, long_text)
            if short in seen or (source is None and entry is None):
                continue
            seen.add(short)
            long_forms.setdefault(key, long_text)
            if entry is not None:
                type_, extractor, confidence = entry.type, entry.extractor, curated
            else:
                exact = whole is not None or (source.start, source.end) == definition.long
                type_, extractor, confidence = (
                    source.type,
                    source.extractor if exact else "acronym",
                    source.confidence,
                )
            field.replace_within(Candidate(*definition.long, type_, extractor, confidence, key))
            for target in fields:
                uses = [
                    Candidate(start, end, type_, "acronym", confidence, key, short, "acronym")
                    for start, end in occurrences(target.text, short)
                ]
                for use in with_roles(target.text, target.sentences, uses):
                    target.replace_within(use)
    return long_forms


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``names`` as a whole word (longest first)."""
    alternatives = sorted(set(names), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\w\-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w]|-[A-Z0-9])")


def _propagates(surface: str) -> bool:
    """Whether a surface is a name worth finding again: a capital or a digit, two letters or more, and no
    citation or list punctuation ("2010", "Smith & Lee, 2009" are not names)."""
    name_like = any(c.isupper() or c.isdigit() for c in surface)
    return name_like and sum(c.isalpha() for c in surface) >= 2 and not _NOT_A_NAME.search(surface)


def propagate_names(fields: list[FieldState], factor: float, min_confidence: float) -> None:
    """Add a mention wherever a name already found in the paper occurs again (spans changed in place);
    it replaces shorter spans inside it ("Fine-Tuning" in "Reinforced Fine-Tuning"), never a longer one.

    Only name-like surfaces (a capital or a digit) of spans with at least ``min_confidence`` propagate, at
    ``factor`` times their confidence; lower-case terms are already found everywhere by the gazetteers. A
    name inside a URL ("github.com/x/DePT") is not a mention, as for every other extractor.
    """
    sources: dict[str, Candidate] = {}
    for field in fields:
        for span in field.spans:
            surface = field.text[span.start : span.end]
            if not _propagates(surface) or span.confidence < min_confidence:
                continue
            if surface not in sources or span.confidence > sources[surface].confidence:
                sources[surface] = span
    pattern = _name_pattern(sources)
    for field in fields if pattern else []:
        added = []
        for match in pattern.finditer(field.text):
            known = any((s.start, s.end) == match.span() for s in field.spans)
            if known or in_url(field.text, *match.span()):
                continue
            src = sources[match.group()]
            conf = src.confidence * factor
            added.append(
                replace(src, start=match.start(), end=match.end(), extractor="propagated", confidence=conf)
            )
        for span in with_roles(field.text, field.sentences, added):
            field.replace_within(span)


def _kind_says(surface: str, type_: str) -> bool:
    """Whether the mention's own kind noun gives it the family it has ("the VQA dataset" stays data where
    the paper defines VQA as a task)."""
    kind = type_from_kind_head(surface)
    return kind is not None and _family(kind) == _family(type_)


def unify_types(fields: list[FieldState], keys: dict[tuple[str, int], str], sure: float = 1.0) -> None:
    """Give every mention of a key the type family with the most confidence behind it (in place).

    The confidences of a key's mentions are summed per family (Method, Task, Metric, data), so three model
    mentions outvote one, and a curated name outvotes a lone model guess. Mentions typed at ``sure``
    confidence or above (a curated name, a kind word the sentence states: "X, a dataset of ...", "the X
    benchmark") settle the vote on their own: only they vote when the key has any, since the model's
    guesses for the other mentions have no better evidence than the sentence that says what X is.
    Propagated copies do not vote. A mention whose kind noun says what it is keeps its type
    (:func:`_kind_says`).

    Args:
        fields: the paper's fields.
        keys: the canonical key of each span, by ``(field name, start)``.
        sure: the confidence from which a mention's type settles its key's family.
    """
    votes: dict[str, Counter] = {}
    sure_votes: dict[str, Counter] = {}
    types: dict[tuple[str, str], str] = {}
    for field in fields:
        for span in field.spans:
            key = keys.get((field.name, span.start))
            if key is not None and span.extractor != "propagated":
                votes.setdefault(key, Counter())[_family(span.type)] += span.confidence
                if span.confidence >= sure:
                    sure_votes.setdefault(key, Counter())[_family(span.type)] += span.confidence
                types.setdefault((key, _family(span.type)), span.type)
    for field in fields:
        unified = []
        for span in field.spans:
            key = keys.get((field.name, span.start))
            ballot = sure_votes.get(key) or votes.get(key)
            family = ballot.most_common(1)[0][0] if ballot else _family(span.type)
            if family != _family(span.type) and not _kind_says(field.text[span.start : span.end], span.type):
                span = replace(span, type=types[(key, family)])
            unified.append(span)
        field.spans = unified


def labels_by_key(surfaces: Iterable[tuple[str, str]], long_forms: dict[str, str]) -> dict[str, str]:
    """The display label of each key in a paper: its defined long form, else its most frequent surface.

    Args:
        surfaces: ``(key, display surface)`` of every mention that is not an acronym use, in text order.
        long_forms: long forms of folded acronyms by key (see :func:`fold_acronyms`).

    Returns:
        key -> label, for every key in ``surfaces`` or ``long_forms``.
    """
    counts: dict[str, Counter] = {}
    for key, label in surfaces:
        counts.setdefault(key, Counter())[label] += 1
    labels = {key: c.most_common(1)[0][0] for key, c in counts.items()}
    return {**labels, **long_forms}
