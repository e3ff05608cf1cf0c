"""Convert the annotated corpora (SciERC, SciREX, the hand-annotated seed papers) into spaCy DocBin files
for NER training.

Gold types are folded the way `kg eval` scores them (Material -> Dataset; Generic and OtherScientificTerm
are not project types). The tokens of those ignored spans are "outside" by default, so the model learns that
"the approach" or "word alignment features" are not entities, which is exactly how a SciERC-style test set
scores such predictions; ``--ignored missing`` marks them unknown instead. Overlapping gold spans keep the
longest; spans whose offsets fall inside a token are expanded to whole tokens and counted.

convert_raw writes unlabelled in-domain text for `spacy pretrain` (corpus/raw.jsonl): the training
abstracts, CSAbstruct abstracts and the seed dumps' abstract paragraphs; never a dev or test abstract.

SciREX ships one file: it is split by a hash of the record id (kg.eval.split_of) into train 70% / dev 10% /
test 20%, and the dev and test parts are also written as JSON lines for `kg eval`.

Usage: python convert.py --shared ../../../shared --out corpus
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from kg.eval import GoldDoc, fold_type, read_gold, split_of

# (corpus folder, file, split or None to split by id hash) -> which output each part goes to
SOURCES: tuple[tuple[str, str, str | None], ...] = (
    ("scierc", "train.jsonl", "train"),
    ("scierc", "dev.jsonl", "dev"),
    ("scirex", "train.jsonl", None),
)
# splits of the hand-annotated seed papers that train and select the modern model (the test split stays out)
SEED_SPLITS = ("train", "dev")
# The seed train papers are written this many times into the modern model's training corpus: 193 papers in
# the target convention against 510 SciERC and SciREX abstracts in another. Three copies lifted a single
# model on seed dev from 0.702 / 0.686 to 0.724 / 0.704 (seeds 0 / 1; full pipeline, routed).
SEED_COPIES = 3


def gold_to_doc(
    nlp: Any, gold: GoldDoc, stats: Counter, ignored: str = "outside", field: str = "abstract"
) -> Any:
    """One training Doc of a gold abstract (or title), with entities set and problems counted in ``stats``.

    Args:
        nlp: a pipeline whose tokenizer the model will see at run time.
        gold: the annotated record (entity offsets into its ``abstract`` unless an entity names a field).
        stats: counters updated in place (kept, expanded, overlap_dropped, ignored, unalignable).
        ignored: "outside" or "missing": what the tokens of ignored gold types become.
        field: which text of the record the Doc holds ("abstract" or "title"); kg runs the model on each.

    Returns:
        A spaCy Doc of that text with ``doc.ents`` set.
    """
    from spacy.util import filter_spans

    doc = nlp.make_doc(getattr(gold.record, field))
    kept, skipped = [], []
    for entity in (e for e in gold.entities if e.field == field):
        label = fold_type(entity.type)
        span = doc.char_span(entity.start, entity.end, label=label or "")
        if span is None:
            span = doc.char_span(entity.start, entity.end, label=label or "", alignment_mode="expand")
            stats["expanded"] += span is not None
        if span is None:
            stats["unalignable"] += 1
            continue
        (kept if label else skipped).append(span)
    chosen = filter_spans(kept)
    stats["overlap_dropped"] += len(kept) - len(chosen)
    stats["ignored"] += len(skipped)
    stats.update(f"kept:{s.label_}" for s in chosen)
    taken = {i for s in chosen for i in range(s.start, s.end)}
    missing = [s for s in skipped if not taken.intersection(range(s.start, s.end))]
    doc.set_ents(chosen, missing=filter_spans(missing) if ignored == "missing" else None, default="outside")
    return doc


def convert(
    shared: Path, out: Path, pipeline: str | None = None, ignored: str = "outside", seeds: Path | None = None
) -> dict:
    """Write ``out/{train,dev}/{scierc,scirex}.spacy`` and ``out/scirex_{dev,test}.jsonl``, and with
    ``seeds`` the modern model's corpus ``out/modern/{train,dev}/`` (the same files and the seed papers:
    :data:`SEED_COPIES` copies ``seeds-N.spacy`` in train, one in dev).

    Args:
        shared: the shared data folder (holds corpora/).
        out: output folder (created).
        pipeline: spaCy pipeline whose tokenizer to use (kg.config.spacy_pipeline_name by default).
        ignored: how ignored gold types are marked ("outside" or "missing").
        seeds: folder of the hand-annotated seed papers' ``seeds_{train,dev}.jsonl`` (seedgold.py build);
            each paper gives a title Doc and an abstract Doc. Their ``seeds_test.jsonl`` is never read. They
            train only the model for modern papers (see domain.py for why two models).

    Returns:
        Statistics per output part: documents and the counters of gold_to_doc.
    """
    import spacy
    from spacy.tokens import DocBin

    from kg.config import spacy_pipeline_name

    nlp = spacy.load(spacy_pipeline_name(pipeline), exclude=["tagger", "parser", "ner", "lemmatizer"])
    parts: dict[tuple[str, str], list[Any]] = {}
    raw_lines: dict[str, list[str]] = {"dev": [], "test": []}
    stats: dict[str, Counter] = {}
    for corpus, name, fixed in SOURCES:
        path = shared / "corpora" / corpus / name
        lines = path.read_text(encoding="utf-8").splitlines()
        for gold, line in zip(read_gold(path), (x for x in lines if x.strip()), strict=True):
            split = fixed or split_of(gold.record.id)
            if fixed is None and split != "train":
                raw_lines[split].append(line)
            if split == "test":
                continue
            counter = stats.setdefault(f"{split}/{corpus}", Counter())
            counter["docs"] += 1
            parts.setdefault((split, corpus), []).append(gold_to_doc(nlp, gold, counter, ignored))
    for (split, corpus), docs in parts.items():
        (out / split).mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(out / split / f"{corpus}.spacy")
    for split in SEED_SPLITS if seeds else ():
        counter = stats.setdefault(f"{split}/seeds", Counter())
        docs = []
        for gold in read_gold(seeds / f"seeds_{split}.jsonl"):
            counter["docs"] += 1
            fields = ("title", "abstract") if gold.record.title else ("abstract",)
            docs += [gold_to_doc(nlp, gold, counter, ignored, field) for field in fields]
        modern = out / "modern" / split
        modern.mkdir(parents=True, exist_ok=True)
        seed_docs = DocBin(docs=docs, store_user_data=False)
        for copy in range(1, (SEED_COPIES if split == "train" else 1) + 1):
            seed_docs.to_disk(modern / f"seeds-{copy}.spacy")
        for corpus in sorted({corpus for part, corpus in parts if part == split}):
            shutil.copy(out / split / f"{corpus}.spacy", modern / f"{corpus}.spacy")
    for split, kept_lines in raw_lines.items():
        (out / f"scirex_{split}.jsonl").write_text("\n".join(kept_lines) + "\n", encoding="utf-8")
    return {key: dict(sorted(counter.items())) for key, counter in sorted(stats.items())}


RAW_SOURCES: tuple[tuple[str, str], ...] = (
    ("scierc", "train.jsonl"),
    ("scirex", "train.jsonl"),
    ("csabstruct", "train.jsonl"),
    ("csabstruct", "dev.jsonl"),
)
SEED_MIN_CHARS = 200  # seed dumps are web pages: abstracts are the long lines


def raw_texts(shared: Path) -> list[str]:
    """Unlabelled abstracts for pretraining: RAW_SOURCES (SciREX train part only) and seed paragraphs."""
    texts = [
        gold.record.abstract
        for corpus, name in RAW_SOURCES
        for gold in read_gold(shared / "corpora" / corpus / name)
        if corpus != "scirex" or split_of(gold.record.id) == "train"
    ]
    for seed in sorted((shared / "seeds").glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()
        texts.extend(line.strip() for line in lines if len(line.strip()) >= SEED_MIN_CHARS)
    return texts


def convert_raw(shared: Path, out: Path) -> int:
    """Write ``out/raw.jsonl`` ({"text": ...} a line) for `spacy pretrain`; returns the number of texts."""
    texts = raw_texts(shared)
    out.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps({"text": text}, ensure_ascii=False) for text in texts)
    (out / "raw.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(texts)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: convert labelled and raw text; print the statistics (also OUT/stats.json)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="shared data folder (holds corpora/)")
    parser.add_argument("--out", type=Path, required=True, help="output folder for DocBins and splits")
    parser.add_argument("--pipeline", default=None, help="spaCy pipeline whose tokenizer to use")
    parser.add_argument("--ignored", choices=("outside", "missing"), default="outside")
    parser.add_argument("--seeds", type=Path, default=None, help="folder of seeds_{train,dev}.jsonl")
    args = parser.parse_args(argv)
    stats = convert(args.shared, args.out, args.pipeline, args.ignored, args.seeds)
    stats["raw_texts"] = convert_raw(args.shared, args.out)
    text = json.dumps(stats, indent=2)
    (args.out / "stats.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
