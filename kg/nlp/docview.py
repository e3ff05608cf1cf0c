"""Reading kg's annotations back from a processed Doc, without importing spaCy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.nlp.acronyms import Definition

if TYPE_CHECKING:
    from spacy.tokens import Doc


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds of the doc's sentences (as kg_sentences stored them, else from ``doc.sents``);
    empty when no component set sentence starts."""
    stored = doc._.kg_sentences if doc.has_extension("kg_sentences") else None
    if stored is not None:
        return [(int(start), int(end)) for start, end in stored]
    return [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []


def doc_definitions(doc: Doc) -> list[Definition]:
    """The acronym definitions the kg_acronyms component stored on ``doc``."""
    return [Definition((a, b), (c, d)) for a, b, c, d in doc._.kg_acronyms or []]
