"""``extract()``: records in, :class:`kg.types.Extraction` out, through the kg spaCy pipeline.

The title and the abstract of a record are two docs (so a doc's offsets are offsets into the field string
exactly as read, and nothing can cross from one field into the other); they go through ``nlp.pipe`` in
batches, then the paper-level rules of kg.nlp.paper combine them. Claims, relations and results come from
kg.nlp.claims when the pipeline has the ``kg_claims`` component.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.nlp.candidates import Candidate, resolve
from kg.nlp.canonical import (
    canonical_key,
    fold_unicode,
    is_generic,
    key_of,
    strip_determiners,
    strip_generic_head,
    without_kind_head,
)
from kg.nlp.docview import doc_definitions, doc_sentences, doc_text
from kg.nlp.gazetteer import Gazetteer, load_gazetteer, load_words
from kg.nlp.outside import is_outside, organisation_keys
from kg.nlp.paper import FieldState, fold_acronyms, labels_by_key, propagate_names, unify_types
from kg.nlp.patterns import DEFAULT_CONFIDENCE, title_name, without_title_verb
from kg.nlp.sentences import SENTENCE_STARTS
from kg.types import Acronym, Extraction, Mention, Record, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class PaperSettings:
    """Paper-level knobs: title-name confidences, name propagation, the confidence from which a mention's
    type settles its key's type and that of a curated name (see kg.nlp.paper)."""

    title: float = DEFAULT_CONFIDENCE["title"]
    title_kind: float = DEFAULT_CONFIDENCE["title-kind"]
    propagate_factor: float = 0.95
    propagate_min_confidence: float = 0.7
    sure_type: float = 0.85
    curated: float = 0.95


@dataclass(frozen=True)
class Resources:
    """What the paper-level step needs from the pipeline: its gazetteer, stoplists and settings."""

    gazetteer: Gazetteer
    generic: frozenset[str]
    organisations: frozenset[str]
    settings: PaperSettings
    claims: bool


def resources_of(nlp: Language) -> Resources:
    """The gazetteer and stoplists the pipeline's ``kg_entity_rules`` uses (the shipped ones without it)."""
    rules = nlp.get_pipe("kg_entity_rules") if "kg_entity_rules" in nlp.pipe_names else None
    gazetteer = rules.gazetteer if rules is not None else load_gazetteer()
    generic = rules.generic if rules is not None else load_words("generic")
    organisations = (
        rules.organisations if rules is not None else organisation_keys(load_words("organisations"))
    )
    patterns = rules.settings.patterns if rules is not None else DEFAULT_CONFIDENCE
    curated = rules.settings.gazetteer if rules is not None else PaperSettings.curated
    settings = PaperSettings(title=patterns["title"], title_kind=patterns["title-kind"], curated=curated)
    return Resources(gazetteer, generic, organisations, settings, "kg_claims" in nlp.pipe_names)


def _field_state(name: str, doc: Doc) -> FieldState:
    """A field's pipeline output as the paper-level rules take it."""
    spans = [Candidate.from_tuple(t) for t in doc._.kg_entities or []]
    return FieldState(name, doc_text(doc), doc_sentences(doc), doc_definitions(doc), spans)


def _key(span: Candidate, surface: str, gazetteer: Gazetteer) -> tuple[str, str]:
    """The canonical key of a span and why its surface was folded into it."""
    if span.acronym:
        return span.key or canonical_key(surface).key, "acronym"
    folded = canonical_key(surface)
    split = without_kind_head(strip_determiners(fold_unicode(surface).strip()))
    if span.key is None and split is not None and gazetteer.is_method_with_kind(key_of(split[0]), split[1]):
        return gazetteer.canonical(key_of(split[0])), "head-stripped"
    key = gazetteer.canonical(span.key or folded.key)
    return key, folded.merged_by if key == folded.key else "alias"


def _sentence(field: FieldState, start: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``start`` (the whole field when sentences are unknown)."""
    return next(((s, e) for s, e in field.sentences if s <= start < e), (0, len(field.text)))


def _label(surface: str) -> str:
    """A surface as a display name: no determiner, no generic head ("the GSM8K dataset" -> "GSM8K")."""
    return strip_generic_head(strip_determiners(fold_unicode(surface).strip()))


def _rows(fields: list[FieldState], res: Resources) -> list[tuple[FieldState, Candidate, str, str]]:
    """``(field, span, key, merged_by)`` of every span left after the paper rules, generic mentions dropped
    (a curated name is never generic: "pre-training", "domain generalization"), and so are organisations
    and citations (kg.nlp.outside)."""
    keyed = [(f, s, *_key(s, f.text[s.start : s.end], res.gazetteer)) for f in fields for s in f.spans]
    unify_types(fields, {(f.name, s.start): key for f, s, key, _ in keyed}, res.settings.sure_type)
    keys = {(f.name, s.start): (key, why) for f, s, key, why in keyed}
    rows = [(f, s, *keys[(f.name, s.start)]) for f in fields for s in f.spans]
    return [
        (f, s, key, why)
        for f, s, key, why in rows
        if len(key) > 1
        and (res.gazetteer.is_curated(key) or not is_generic(f.text[s.start : s.end], res.generic))
        and not is_outside(f.text[s.start : s.end], key, res.organisations)
    ]


def paper_mentions(fields: list[FieldState], res: Resources) -> list[Mention]:
    """Run the paper-level rules and turn the kept spans into mentions (generic ones dropped).

    Args:
        fields: the title and abstract states (spans resolved per field).
        res: gazetteer, stoplist and settings.

    Returns:
        Mentions in field order (title first), then by offset.
    """
    long_forms = fold_acronyms(fields, res.gazetteer, res.settings.curated)
    propagate_names(fields, res.settings.propagate_factor, res.settings.propagate_min_confidence)
    rows = _rows(fields, res)
    labels = labels_by_key(
        ((key, _label(f.text[s.start : s.end])) for f, s, key, _ in rows if not s.acronym), long_forms
    )
    return [
        Mention(
            span=Span(s.start, s.end, f.text[s.start : s.end], f.name),
            type=s.type,
            key=key,
            label=labels.get(key, f.text[s.start : s.end]),
            sentence=_sentence(f, s.start),
            extractor=s.extractor,
            confidence=s.confidence,
            merged_by=why,
            acronym=s.acronym,
        )
        for f, s, key, why in rows
    ]


def _with_title_name(field: FieldState, settings: PaperSettings) -> None:
    """Add the title's "X: ..." name to the title's spans (resolved against what is there), and cut the
    research verb off the model's title spans ("Evaluating Prompt-based Question Answering")."""
    field.spans = [
        without_title_verb(field.text, s) or s if s.extractor == "kg_ner" else s for s in field.spans
    ]
    named = title_name(field.text, settings.title, settings.title_kind)
    if named is not None:
        field.spans = resolve([*field.spans, named])


def _claims(docs: tuple[Doc, Doc], mentions: list[Mention]) -> tuple[list, list, list]:
    """Claims, relations and results of both fields (kg.nlp.claims), title first."""
    from kg.nlp.claims import claims_from_doc

    title, abstract = docs
    t_claims, t_relations, t_results = claims_from_doc(
        title, [m for m in mentions if m.span.field == "title"], "title"
    )
    proposed = [r.tail for r in t_relations if r.type == "proposes"]
    in_abstract = [m for m in mentions if m.span.field == "abstract"]
    a_claims, a_relations, a_results = claims_from_doc(abstract, in_abstract, "abstract", proposed=proposed)
    return t_claims + a_claims, t_relations + a_relations, t_results + a_results


def paper_extraction(record: Record, title: Doc, abstract: Doc, res: Resources) -> Extraction:
    """The Extraction of one record from its processed title and abstract docs.

    Args:
        record: the paper.
        title: the pipeline's doc of ``record.title``.
        abstract: the pipeline's doc of ``record.abstract``.
        res: see :func:`resources_of`.

    Returns:
        Mentions, acronym definitions, sentences and (with kg_claims) claims, relations and results.
    """
    fields = [_field_state("title", title), _field_state("abstract", abstract)]
    _with_title_name(fields[0], res.settings)
    mentions = paper_mentions(fields, res)
    extraction = Extraction(record=record, mentions=mentions)
    for field in fields:
        for d in field.definitions:
            short, long = field.text[slice(*d.short)], field.text[slice(*d.long)]
            extraction.acronyms.append(
                Acronym(Span(*d.short, short, field.name), Span(*d.long, long, field.name))
            )
        extraction.sentences += [Span(s, e, field.text[s:e], field.name) for s, e in field.sentences]
    if res.claims:
        extraction.claims, extraction.relations, extraction.results = _claims((title, abstract), mentions)
    return extraction


def _abstract_input(nlp: Language, record: Record) -> str | Doc:
    """The abstract as nlp.pipe input: its text, or a Doc carrying the sentence starts the input gave."""
    if not record.sentence_starts:
        return record.abstract
    doc = nlp.make_doc(record.abstract)
    doc.user_data[SENTENCE_STARTS] = record.sentence_starts
    return doc


def _router(nlp: Language) -> Callable[[str], str] | None:
    """The paper classifier of a routed entity model (kg.nlp.routing), when kg_ner is one."""
    ner = nlp.get_pipe("kg_ner") if "kg_ner" in nlp.pipe_names else None
    return getattr(ner, "domain_of", None)


def _inputs(nlp: Language, record: Record, route: Callable[[str], str] | None) -> tuple[tuple, tuple]:
    """The title and the abstract as ``(input, record)`` pairs for nlp.pipe; with a router both docs carry
    the domain of the whole paper, so a short title goes to the model its abstract goes to."""
    title, abstract = record.title, _abstract_input(nlp, record)
    if route is not None:
        from kg.nlp.routing import DOMAIN, paper_text

        domain = route(paper_text(record.title, record.abstract))
        title, abstract = (nlp.make_doc(t) if isinstance(t, str) else t for t in (title, abstract))
        title.user_data[DOMAIN] = abstract.user_data[DOMAIN] = domain
    return (title, record), (abstract, record)


def extract(
    records: Iterable[Record],
    nlp: Language | None = None,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    progress: Callable[[int], object] | None = None,
) -> Iterator[Extraction]:
    """Extract entities, acronyms, sentences and claims from records, streaming.

    Args:
        records: the papers (any iterable; read lazily).
        nlp: a pipeline from kg.nlp.build_pipeline (built with defaults when None).
        batch_size: docs per nlp.pipe batch.
        n_process: worker processes for nlp.pipe.
        progress: called with 1 after each record (e.g. a tqdm bar's ``update``).

    Yields:
        One Extraction per record, in input order; offsets are into ``record.title``/``record.abstract``.

    Raises:
        ModelError: no pipeline was given and the default one cannot be built.
    """
    if nlp is None:
        from kg.nlp.pipeline import build_pipeline

        nlp = build_pipeline()
    res = resources_of(nlp)
    route = _router(nlp)
    texts = (pair for record in records for pair in _inputs(nlp, record, route))
    docs = nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process)
    for (title, record), (abstract, _) in zip(docs, docs, strict=False):
        yield paper_extraction(record, title, abstract, res)
        if progress is not None:
            progress(1)
