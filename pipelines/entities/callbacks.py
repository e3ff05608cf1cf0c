"""Training-time callbacks for the entity model, loaded with ``spacy train --code callbacks.py``.

Only initialisation uses them; the trained model loads without this file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import spacy


@spacy.registry.callbacks("kg.tok2vec_from_base.v1")
def make_tok2vec_from_base(source: str, component: str | None) -> Callable[[Any], Any]:
    """Start the ner's embedded tok2vec from the weights of a trained pipeline's component.

    The English pipeline's tok2vec layers were trained on OntoNotes (tagging, parsing, NER); starting from
    them gives the small corpora a head start on phrase boundaries. The architectures must match exactly
    (config.cfg mirrors the base pipeline's ner tok2vec).

    Args:
        source: name or path of the base pipeline (the one whose tokenizer is copied too).
        component: its component to copy from ("ner" or "tok2vec"); None keeps random initialisation.

    Returns:
        An ``after_init`` callback that copies the weights and returns the pipeline.
    """

    def copy_weights(nlp: Any) -> Any:
        if component is None:
            return nlp
        model = spacy.load(source).get_pipe(component).model
        weights = model.get_ref("tok2vec") if model.has_ref("tok2vec") else model
        nlp.get_pipe("ner").model.get_ref("tok2vec").from_bytes(weights.to_bytes())
        return nlp

    return copy_weights
