"""Package a trained pipeline into the kg source tree (kg/models/entities) with its provenance.

Copies only what inference needs (config.cfg, meta.json, tokenizer, vocab, the ner weights), and records in
meta.json the data sources (gold and silver), the conversion statistics and the held-out scores, so the
committed model says where it came from and how good it is.

Usage: python package.py --model training/model/model-best --scores metrics/scores.json
       --stats corpus/stats.json --out ../../kg/models/entities
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

NEEDED = ("config.cfg", "meta.json", "tokenizer", "vocab", "ner")
SOURCES = [
    {
        "name": "SciERC",
        "url": "http://nlp.cs.washington.edu/sciIE/",
        "use": "train 350 abstracts for training, dev 50 for model selection",
        "citation": "Luan et al., EMNLP 2018",
    },
    {
        "name": "SciREX",
        "url": "https://github.com/allenai/SciREX",
        "license": "Apache-2.0",
        "use": "split by a hash of the id: 70% training, 10% model selection, 20% held-out test",
        "citation": "Jain et al., ACL 2020",
    },
    {
        "name": "CSAbstruct",
        "url": "https://github.com/allenai/sequential_sentence_classification",
        "license": "Apache-2.0",
        "use": "train abstracts as unlabelled text, with silver entities voted by five models trained on the "
        "gold sets above",
        "citation": "Cohan et al., EMNLP 2019",
    },
    {
        "name": "kg seeds",
        "use": "titles and abstracts of the project's Hugging Face daily-papers dumps as unlabelled text, "
        "with silver entities like CSAbstruct's",
    },
]


def package(model: Path, out: Path, scores: dict, stats: dict) -> Path:
    """Replace ``out`` with the inference files of ``model`` and an annotated meta.json.

    Args:
        model: trained pipeline directory (spaCy's model-best).
        out: destination directory (replaced whole).
        scores: held-out scores written by evaluate.py.
        stats: conversion statistics written by convert.py.

    Returns:
        The destination directory.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in NEEDED:
        source = model / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        else:
            shutil.copy2(source, out / name)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        {
            "name": "kg_entities",
            "description": "Method / Dataset / Task / Metric NER for research abstracts (kg project); "
            "its ner component embeds its own tok2vec so it can be sourced into another pipeline.",
            "sources": SOURCES,
            "conversion": stats,
            "heldout_scores": scores,
        }
    )
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: package and print the size of what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="trained pipeline (model-best)")
    parser.add_argument("--scores", type=Path, required=True, help="evaluate.py output")
    parser.add_argument("--stats", type=Path, required=True, help="convert.py statistics")
    parser.add_argument("--out", type=Path, required=True, help="destination, e.g. ../../kg/models/entities")
    args = parser.parse_args(argv)
    scores = json.loads(args.scores.read_text(encoding="utf-8"))
    stats = json.loads(args.stats.read_text(encoding="utf-8"))
    out = package(args.model, args.out, scores, stats)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"packaged {args.model} into {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
