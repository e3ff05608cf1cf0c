"""Package a trained pipeline into the kg source tree (kg/models/...) with its provenance.

Copies only what inference needs (config.cfg, meta.json, tokenizer, vocab, the components' weights), and
records in meta.json the data sources (gold and silver), the conversion statistics and the held-out scores,
so the committed model says where it came from and how good it is.

Usage: python package.py --model training/model/model-best --scores metrics/scores.json
       --stats corpus/stats.json --out ../../kg/models/entities
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

BASE_FILES = ("config.cfg", "meta.json", "tokenizer", "vocab")
_SCIERC = {
    "name": "SciERC",
    "url": "http://nlp.cs.washington.edu/sciIE/",
    "use": "train 350 abstracts for training, dev 50 for model selection",
    "citation": "Luan et al., EMNLP 2018",
}
_SCIREX = {
    "name": "SciREX",
    "url": "https://github.com/allenai/SciREX",
    "license": "Apache-2.0",
    "use": "split by a hash of the id: 70% training, 10% model selection, 20% held-out test",
    "citation": "Jain et al., ACL 2020",
}
_CSABSTRUCT = {
    "name": "CSAbstruct",
    "url": "https://github.com/allenai/sequential_sentence_classification",
    "license": "Apache-2.0",
    "citation": "Cohan et al., EMNLP 2019",
}
_SEEDS = {"name": "kg seeds", "annotation": "pipelines/entities/SEEDS_GUIDELINE.md"}
_SILVER = (
    "train abstracts as unlabelled text, with silver entities voted by five models trained on the gold sets"
)


def _used(source: dict, use: str) -> dict:
    return {**source, "use": use}


# What each packaged model is, and the data it learnt from (recorded in its meta.json).
KINDS: dict[str, dict] = {
    "entities": {
        "name": "kg_entities",
        "description": "Method / Dataset / Task / Metric NER in the convention of SciERC and SciREX, for "
        "older abstracts (kg.nlp.routing); its ner component embeds its own tok2vec so it can be sourced "
        "into another pipeline.",
        "sources": [
            _SCIERC,
            _SCIREX,
            _used(_CSABSTRUCT, _SILVER),
            _used(
                _SEEDS,
                "Hugging Face daily-papers titles and abstracts as unlabelled text with silver "
                "entities like CSAbstruct's (the text of all seed papers, none of their annotations)",
            ),
        ],
    },
    "entities-modern": {
        "name": "kg_entities_modern",
        "description": "Method / Dataset / Task / Metric NER in kg's own convention for today's ML papers "
        "(kg.nlp.routing); its ner component embeds its own tok2vec.",
        "sources": [
            _SCIERC,
            _SCIREX,
            _used(
                _SEEDS,
                "193 Hugging Face daily-papers titles and abstracts annotated for kg to train on, "
                "20 to select the model; 20 more held out",
            ),
            _used(_CSABSTRUCT, _SILVER),
        ],
    },
    "domain": {
        "name": "kg_domain",
        "description": "Bag-of-words classifier of a paper's title and abstract: MODERN (today's ML papers) "
        "or CLASSIC; picks the entity model (kg.nlp.routing).",
        "sources": [
            _used(_SEEDS, "the 193 annotated train papers as MODERN, the 20 dev papers to select the model"),
            _used(_SCIERC, "train as CLASSIC, dev to select the model"),
            _used(_SCIREX, "the training part as CLASSIC, the dev part to select the model"),
            _used(_CSABSTRUCT, "a sample of train abstracts as CLASSIC"),
        ],
    },
}


def package(model: Path, out: Path, scores: dict, stats: dict, kind: str = "entities") -> Path:
    """Replace ``out`` with the inference files of ``model`` and an annotated meta.json.

    Args:
        model: trained pipeline directory (spaCy's model-best).
        out: destination directory (replaced whole).
        scores: held-out scores written by evaluate.py (or spaCy's own dev scores, for the router).
        stats: conversion statistics written by convert.py.
        kind: a key of KINDS: what the model is and what it learnt from.

    Returns:
        The destination directory.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    components = json.loads((model / "meta.json").read_text(encoding="utf-8"))["pipeline"]
    for name in (*BASE_FILES, *components):
        source = model / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        else:
            shutil.copy2(source, out / name)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta.update(KINDS[kind] | {"conversion": stats, "heldout_scores": scores})
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: package and print the size of what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="trained pipeline (model-best)")
    parser.add_argument(
        "--scores", type=Path, default=None, help="evaluate.py output (default: dev scores in meta.json)"
    )
    parser.add_argument("--stats", type=Path, required=True, help="convert.py statistics")
    parser.add_argument("--out", type=Path, required=True, help="destination, e.g. ../../kg/models/entities")
    parser.add_argument("--kind", choices=sorted(KINDS), default="entities", help="what the model is")
    args = parser.parse_args(argv)
    if args.scores is not None:
        scores = json.loads(args.scores.read_text(encoding="utf-8"))
    else:
        scores = {"dev": json.loads((args.model / "meta.json").read_text(encoding="utf-8"))["performance"]}
    stats = json.loads(args.stats.read_text(encoding="utf-8"))
    out = package(args.model, args.out, scores, stats, args.kind)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"packaged {args.model} into {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
