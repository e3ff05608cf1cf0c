"""Extraction: the kg spaCy pipeline and the ``extract()`` API.

    from kg.nlp import build_pipeline, extract
    nlp = build_pipeline()                      # English tokenizer + kg components (+ model, + claims)
    for extraction in extract(records, nlp):    # kg.types.Record in, kg.types.Extraction out
        ...

Importing kg.nlp does not import spaCy: the pipeline modules import it inside the functions that need it.
"""

from __future__ import annotations

from kg.nlp.extract import extract
from kg.nlp.pipeline import build_pipeline

__all__ = ["build_pipeline", "extract"]
