"""Silver NER training data: unlabelled abstracts labelled by a majority vote of several trained models.

Why: one CNN entity model varies by up to two F1 points with its training seed, and a vote of several is
steadier and better, but costs their sum at run time. Training one model on the vote's labels (knowledge
distillation, as in self-training) keeps most of the gain at the cost of one model. The texts are unlabelled
abstracts the gold sets do not hold: CSAbstruct train (computer science, like SciERC) and the seed dumps'
titles and abstracts (the target domain, read with kg.ingest); any text that opens like a SciERC or SciREX
abstract is left out, so no dev or held-out abstract is labelled.

A span is kept when at least ``--votes`` teachers predict it with the same offsets and label; every other
token is "outside" for the student. The gold training DocBins are copied beside the silver one, so the
output folder is the student's whole training corpus (spaCy reads every .spacy file under it).

Usage: python silver.py --shared ../../../shared --gold corpus/train --out corpus/student --votes 3
       --teacher training/model/model-best --teacher training/teacher1/model-best ...
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

from kg.eval import read_gold
from kg.ingest import read_inputs

# Opening characters compared (letters and digits only, lower case) to tell one abstract from another.
PREFIX_CHARS = 200


def _opening(text: str) -> str:
    """What two copies of one abstract share however they were spaced or punctuated."""
    return re.sub(r"\W+", "", text.lower())[:PREFIX_CHARS]


def unlabelled_texts(shared: Path, annotated: Iterable[Path] = ()) -> list[str]:
    """CSAbstruct train abstracts, then seed abstracts and titles; each once, none from the gold corpora and
    none of the titles and abstracts in the ``annotated`` gold files (the hand-annotated seed papers: their
    gold labels train the student, and their dev and test papers must stay unseen)."""
    gold_files = [shared / "corpora" / c / n for c, n in (("scierc", "train.jsonl"), ("scierc", "dev.jsonl"))]
    gold_files += [shared / "corpora" / "scirex" / "train.jsonl", *annotated]
    gold = {
        _opening(text)
        for path in gold_files
        for g in read_gold(path)
        for text in (g.record.abstract, g.record.title)
        if text
    }
    texts = [g.record.abstract for g in read_gold(shared / "corpora" / "csabstruct" / "train.jsonl")]
    seeds = [r for r in read_inputs(sorted((shared / "seeds").glob("*.txt"))) if hasattr(r, "abstract")]
    texts += [r.abstract for r in seeds] + [r.title for r in seeds if r.title]
    seen: set[str] = set()
    kept = []
    for text in texts:
        key = _opening(text)
        if key and key not in seen and key not in gold:
            seen.add(key)
            kept.append(text)
    return kept


def vote(texts: list[str], teachers: list[Path], votes: int) -> tuple[DocBin, int]:
    """Docs of ``texts`` with the spans that ``votes`` or more teachers agree on, and how many spans."""
    models = [spacy.load(path) for path in teachers]
    predicted = [[doc.ents for doc in model.pipe(texts, batch_size=64)] for model in models]
    docs, total = DocBin(store_user_data=False), 0
    for index, text in enumerate(texts):
        count = Counter((e.start_char, e.end_char, e.label_) for ents in predicted for e in ents[index])
        doc = models[0].make_doc(text)
        spans = [doc.char_span(s, e, label=label) for (s, e, label), n in count.items() if n >= votes]
        doc.ents = filter_spans([span for span in spans if span is not None])
        total += len(doc.ents)
        docs.add(doc)
    return docs, total


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write the student's corpus (gold copies and silver.spacy) and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="shared data folder (corpora/, seeds/)")
    parser.add_argument("--gold", type=Path, required=True, help="folder of the gold training .spacy files")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the student's corpus to")
    parser.add_argument("--teacher", type=Path, action="append", required=True, help="a trained model")
    parser.add_argument("--votes", type=int, default=3, help="teachers that must agree on a span")
    parser.add_argument(
        "--annotated", type=Path, action="append", default=[], help="gold JSON lines whose texts to leave out"
    )
    args = parser.parse_args(argv)
    texts = unlabelled_texts(args.shared, args.annotated)
    docs, spans = vote(texts, args.teacher, args.votes)
    args.out.mkdir(parents=True, exist_ok=True)
    for gold in sorted(args.gold.glob("*.spacy")):
        shutil.copy(gold, args.out / gold.name)
    docs.to_disk(args.out / "silver.spacy")
    agreed = f"{spans} spans agreed by {args.votes} of {len(args.teacher)} teachers"
    print(f"wrote {args.out}: the gold DocBins and {len(texts)} silver texts, {agreed}")


if __name__ == "__main__":
    main()
