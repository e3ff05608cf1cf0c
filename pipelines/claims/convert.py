"""Convert the claim corpora (CSAbstruct, biomedical claims) into spaCy DocBins for sentence classification.

One classifier serves both corpora: each gold sentence becomes one doc whose text is
:func:`kg.nlp.claims_component.classifier_text` (position tokens + sentence), with categories
CLAIM_CS (CSAbstruct ``result``) or CLAIM_BIO (claims_biomed ``claim``), the CSAbstruct roles BACKGROUND /
OBJECTIVE / METHOD, and the domain BIOMED; labels a corpus does not annotate are left missing, so the two
corpora's different notions of a claim do not fight over the same weights. The train files are
split by a hash of the abstract text (kg.eval.split_of; CSAbstruct gives every abstract the same id) into
train (80%) and tune (20%): tune picks the checkpoint and fits the context model and threshold, so the dev
files stay untouched for the reported figures.

Usage: python convert.py --shared ../../../shared --out corpus
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from kg.eval import split_of
from kg.nlp.claims_component import classifier_text
from kg.nlp.claims_context import CLAIM_LABELS, DOMAIN_LABEL, ROLE_LABELS

# corpus folder -> the sentence label that marks a claim
CORPORA = {"csabstruct": "result", "claims_biomed": "claim"}
TUNE_SHARE = 2  # tenths of each train file held out for tuning


@dataclass(frozen=True)
class Abstract:
    """The labelled sentences of one gold abstract (labels None when unknown)."""

    corpus: str
    text: str
    sentences: tuple[str, ...]
    labels: tuple[str | None, ...]

    @property
    def split(self) -> str:
        """Return "tune" or "train" for an abstract of a train file, stable across runs (hash of its text)."""
        return "tune" if split_of(self.text, test_share=0, dev_share=TUNE_SHARE) == "dev" else "train"

    def claims(self) -> list[bool | None]:
        """Per sentence: is it a claim (None when unlabelled)."""
        return [None if label is None else label == CORPORA[self.corpus] for label in self.labels]


def read_abstracts(shared: Path, corpus: str, split: str) -> Iterator[Abstract]:
    """The abstracts of ../shared/corpora/<corpus>/<split>.jsonl with their sentence texts and labels."""
    with (shared / "corpora" / corpus / f"{split}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            data = json.loads(line)
            text = data["abstract"]
            sentences = data.get("sentences") or []
            yield Abstract(
                corpus,
                text,
                tuple(text[s["start"] : s["end"]] for s in sentences),
                tuple(s.get("label") for s in sentences),
            )


def categories(corpus: str, label: str) -> dict[str, float]:
    """The doc.cats of one labelled sentence; roles only where the corpus annotates them."""
    cats = {
        CLAIM_LABELS[corpus]: float(label == CORPORA[corpus]),
        DOMAIN_LABEL: float(corpus == "claims_biomed"),
    }
    if corpus == "csabstruct":
        cats.update({role: float(label == role.lower()) for role in ROLE_LABELS})
    return cats


def convert(shared: Path, out: Path) -> dict[str, Counter]:
    """Write out/{train,tune}.spacy and return example counts per split, corpus and label."""
    nlp = spacy.blank("en")
    bins = {"train": DocBin(), "tune": DocBin()}
    stats: dict[str, Counter] = {name: Counter() for name in bins}
    for corpus in CORPORA:
        for abstract in read_abstracts(shared, corpus, "train"):
            count = len(abstract.sentences)
            for index, (sentence, label) in enumerate(zip(abstract.sentences, abstract.labels, strict=True)):
                if label is None:
                    continue
                doc = nlp.make_doc(classifier_text(sentence, index, count))
                doc.cats = categories(corpus, label)
                bins[abstract.split].add(doc)
                stats[abstract.split][f"{corpus}:{label}"] += 1
    out.mkdir(parents=True, exist_ok=True)
    for split, docbin in bins.items():
        docbin.to_disk(out / f"{split}.spacy")
    return stats


def main() -> None:
    """Command line entry: convert and write corpus/stats.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    stats = convert(args.shared, args.out)
    (args.out / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
    print(json.dumps(stats, sort_keys=True))


if __name__ == "__main__":
    main()
