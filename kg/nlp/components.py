"""The kg spaCy components: thin wrappers over the plain functions of kg.nlp.

| factory            | assigns                    | logic in                                   |
|--------------------|----------------------------|--------------------------------------------|
| ``kg_sentences``   | ``token.is_sent_start``    | kg.nlp.sentences.sentence_bounds           |
|                    | ``doc._.kg_sentences``     |                                            |
| ``kg_acronyms``    | ``doc._.kg_acronyms``      | kg.nlp.acronyms.find_definitions           |
| ``kg_entity_rules``| ``doc._.kg_candidates``    | kg.nlp.entities.rule_candidates            |
| ``kg_entities``    | ``doc._.kg_entities``      | kg.nlp.entities.field_entities             |

Extension values are plain lists of tuples (see :meth:`kg.nlp.candidates.Candidate.to_tuple`), so docs
survive ``nlp.pipe(n_process>1)`` and DocBin. Settings and thresholds are keyword-only config values; the
factories are declared as ``spacy_factories`` entry points so spaCy finds them without an import.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.acronyms import find_definitions
from kg.nlp.candidates import Candidate
from kg.nlp.docview import doc_definitions, doc_sentences, doc_text
from kg.nlp.entities import MergeSettings, RuleSettings, field_entities, rule_candidates
from kg.nlp.gazetteer import load_gazetteer, load_words
from kg.nlp.outside import organisation_keys
from kg.nlp.patterns import DEFAULT_CONFIDENCE
from kg.nlp.sentences import SENTENCE_STARTS, sentence_bounds

EXTENSIONS = ("kg_sentences", "kg_acronyms", "kg_candidates", "kg_entities")


def ensure_extensions() -> None:
    """Register the Doc extensions the components write (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class SentenceSplitter:
    """Sets sentence starts from :func:`kg.nlp.sentences.sentence_bounds` and keeps the bounds themselves
    in ``doc._.kg_sentences`` (reading them back from ``doc.sents`` costs more than finding them).

    Sentence starts the input gave (``doc.user_data[SENTENCE_STARTS]``, set by kg.nlp.extract from
    ``Record.sentence_starts``) are kept as boundaries too.
    """

    def __call__(self, doc: Doc) -> Doc:
        """Mark the sentence starts of ``doc`` and store the bounds."""
        bounds = sentence_bounds(doc_text(doc), doc.user_data.get(SENTENCE_STARTS, ()))
        if len(doc):
            token_starts = doc.to_array([IDX])
            flags = numpy.full(len(doc), -1, dtype="int32")
            flags[numpy.searchsorted(token_starts, [start for start, _ in bounds])] = 1
            flags[0] = 1
            doc.from_array([SENT_START], flags.astype("uint64"))
        doc._.kg_sentences = bounds
        return doc


class AcronymFinder:
    """Stores the acronym definitions of the doc as ``[short_start, short_end, long_start, long_end]``."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, doc: Doc) -> Doc:
        """Store the acronym definitions of ``doc``."""
        found = find_definitions(doc_text(doc), max_length=self.max_length)
        doc._.kg_acronyms = [(*d.short, *d.long) for d in found]
        return doc


class EntityRules:
    """Stores gazetteer, pattern and acronym-long-form candidates of the doc."""

    def __init__(self, gazetteer_dir: str | None, settings: RuleSettings) -> None:
        self.gazetteer = load_gazetteer(gazetteer_dir)
        self.generic = load_words("generic", gazetteer_dir)
        self.organisations = organisation_keys(load_words("organisations", gazetteer_dir))
        self.settings = settings

    def __call__(self, doc: Doc) -> Doc:
        """Store the rule candidates of ``doc``."""
        found = rule_candidates(
            doc_text(doc),
            doc_sentences(doc),
            doc_definitions(doc),
            self.gazetteer,
            self.generic,
            self.settings,
        )
        doc._.kg_candidates = [c.to_tuple() for c in found]
        return doc


class EntityMerger:
    """Resolves model spans (``doc.ents``) and rule candidates into the doc's entity spans."""

    def __init__(self, settings: MergeSettings) -> None:
        self.settings = settings

    def __call__(self, doc: Doc) -> Doc:
        """Store the resolved entity spans of ``doc``."""
        model = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        rules = [Candidate.from_tuple(t) for t in doc._.kg_candidates or []]
        merged = field_entities(doc_text(doc), doc_sentences(doc), model, rules, self.settings)
        doc._.kg_entities = [c.to_tuple() for c in merged]
        return doc


@Language.factory("kg_sentences", assigns=["token.is_sent_start", "doc._.kg_sentences"])
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """The rule-based sentence splitter for abstracts (et al., e.g., Fig., decimals, URLs)."""
    ensure_extensions()
    return SentenceSplitter()


@Language.factory("kg_acronyms", default_config={"max_length": 10}, assigns=["doc._.kg_acronyms"])
def make_acronyms(nlp: Language, name: str, *, max_length: int) -> AcronymFinder:
    """The Schwartz-Hearst acronym finder; ``max_length`` is the longest short form accepted."""
    ensure_extensions()
    return AcronymFinder(max_length)


@Language.factory(
    "kg_entity_rules",
    default_config={
        "gazetteer_dir": None,
        "gazetteer_confidence": 0.95,
        "pwc_tasks_confidence": 0.7,
        "acronym_confidence": 0.7,
        "pattern_confidence": DEFAULT_CONFIDENCE,
        "include_head": True,
    },
    assigns=["doc._.kg_candidates"],
    requires=["token.is_sent_start", "doc._.kg_acronyms"],
)
def make_entity_rules(
    nlp: Language,
    name: str,
    *,
    gazetteer_dir: str | None,
    gazetteer_confidence: float,
    pwc_tasks_confidence: float,
    acronym_confidence: float,
    pattern_confidence: dict[str, float],
    include_head: bool,
) -> EntityRules:
    """The rule extractors; the confidences are what the overlap policy ranks spans by.

    Args:
        nlp: the pipeline (unused; spaCy passes it).
        name: the component name (unused).
        gazetteer_dir: folder of gazetteer lists; None for the lists shipped in kg/data.
        gazetteer_confidence: confidence of a curated name.
        pwc_tasks_confidence: confidence of a Papers with Code task name.
        acronym_confidence: confidence of an acronym long form typed by its head word.
        pattern_confidence: per-pattern confidences (see kg.nlp.patterns.DEFAULT_CONFIDENCE).
        include_head: keep "dataset"/"benchmark" in "X dataset" spans.

    Returns:
        The component.
    """
    ensure_extensions()
    settings = RuleSettings(
        gazetteer_confidence,
        pwc_tasks_confidence,
        acronym_confidence,
        {**DEFAULT_CONFIDENCE, **pattern_confidence},
        include_head,
    )
    return EntityRules(gazetteer_dir, settings)


@Language.factory(
    "kg_entities",
    default_config={
        "model_confidence": 0.8,
        "length_weight": 0.05,
        "agreement_bonus": 0.03,
        "model_phrases": True,
    },
    assigns=["doc._.kg_entities"],
    requires=["doc._.kg_candidates"],
)
def make_entities(
    nlp: Language,
    name: str,
    *,
    model_confidence: float,
    length_weight: float,
    agreement_bonus: float,
    model_phrases: bool,
) -> EntityMerger:
    """The merge of model and rule spans (policy: kg.nlp.candidates.resolve).

    Args:
        nlp: the pipeline (unused; spaCy passes it).
        name: the component name (unused).
        model_confidence: confidence given to every span of the trained model (it has no scores).
        length_weight: how much a longer span's length adds to its rank.
        agreement_bonus: confidence added when two extractors propose the same span and type.
        model_phrases: model spans swallow the rule spans strictly inside them.

    Returns:
        The component.
    """
    ensure_extensions()
    return EntityMerger(MergeSettings(model_confidence, length_weight, agreement_bonus, model_phrases))
