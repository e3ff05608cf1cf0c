"""Reading kg's annotations back from a processed Doc, without importing spaCy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.nlp.acronyms import Definition

if TYPE_CHECKING:
    from spacy.tokens import Doc

TEXT = "kg.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc and kept in ``doc.user_data``.

    spaCy rebuilds ``Doc.text`` from every token on each access (a Python object per token), and kg's
    components and paper rules each need the whole text: seven reads per doc cost about 1 ms of the 20 ms
    of CPU kg spent on a seed abstract before this cache.
    """
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


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
