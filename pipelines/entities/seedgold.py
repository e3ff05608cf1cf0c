"""A hand-annotated entity set from the seed abstracts: the target domain's dev and test figures.

Why: SciERC and SciREX predate today's LLM papers, and the seeds (../shared/seeds) are the domain that matters
most, but they carry no labels. This script samples seed papers for annotation and turns the annotations into
gold files in the corpora format, so `kg eval` scores the pipeline on modern ML abstracts too.

The annotations (``seeds_gold.jsonl`` beside this script, written by the kg team following
``SEEDS_GUIDELINE.md``) hold no seed text: each line names a paper by its kg record id and the SHA-1 of its
title and abstract, and lists its entities as ``[text, type]`` pairs, or ``[text, type, [k, ...]]`` to keep
only the k-th occurrences. Every word-bounded occurrence of a text, in the title and then the abstract, gets
the type; where two listed texts overlap, the longer wins (flat spans, as the corpora have). A paper whose
title or abstract changed (another SHA-1) is an error, not a silent misalignment.

Usage (from pipelines/entities):
    python seedgold.py sample --shared ../../../shared --start 0 --n 40 --out /tmp/to-annotate
    python seedgold.py build --shared ../../../shared --gold seeds_gold.jsonl --out corpus
then ``kg eval corpus/seeds_dev.jsonl`` (and ``seeds_test.jsonl``, kept for a final check).
``seeds_second.jsonl`` is a second, independent annotation of the 40 evaluation papers: build it into another
folder and score it with ``kg eval corpus/seeds_dev.jsonl --pred OTHER/seeds_dev.jsonl`` to see how far two
annotators agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.build import read_records
from kg.errors import InputError
from kg.eval import Annotation, json_lines
from kg.ingest import IngestStats
from kg.types import Record

TYPES = ("Method", "Dataset", "Benchmark", "Task", "Metric")
FIELDS = ("title", "abstract")
SPLITS = ("dev", "test", "train")
# papers set aside to evaluate on, half dev and half test; the rest of the seeds may be annotated to train on
EVAL_SIZE = 40
SAMPLE_SEED = 20261123


def digest(record: Record) -> str:
    """SHA-1 of a paper's title and abstract, so an annotation never lands on text it was not made for."""
    return hashlib.sha1(f"{record.title}\n{record.abstract}".encode()).hexdigest()


def seed_papers(shared: Path) -> dict[str, Record]:
    """The distinct seed papers by kg record id, read and deduplicated as `kg build` reads them."""
    return {record.id: record for record in read_records([shared / "seeds"], IngestStats())}


def ordered(papers: dict[str, Record], seed: int = SAMPLE_SEED) -> list[tuple[str, Record]]:
    """Every paper in one fixed random order with its split: the first ``EVAL_SIZE`` half "dev", half
    "test", the rest "train" (annotated later, to train on; the evaluation papers never move)."""
    order = random.Random(seed).sample(sorted(papers), len(papers))
    half = EVAL_SIZE // 2
    return [(SPLITS[min(index // half, 2)], papers[key]) for index, key in enumerate(order)]


def occurrences(text: str, needle: str) -> Iterator[int]:
    """Start offsets of ``needle`` in ``text`` where it is not part of a longer word or number."""
    pattern = re.compile(rf"(?<![\w]){re.escape(needle)}(?![\w])")
    return (match.start() for match in pattern.finditer(text))


def place(record: Record, entities: list, where: str) -> list[Annotation]:
    """Turn ``[text, type(, [k...])]`` annotations into flat spans over the title and the abstract.

    Raises:
        InputError: an entry is malformed, has an unknown type, or its text does not occur (``where`` names
            the file and line).
    """
    candidates: list[tuple[int, int, Annotation]] = []
    for index, entry in enumerate(entities):
        if not (isinstance(entry, list) and len(entry) in (2, 3) and isinstance(entry[0], str)):
            raise InputError(f"{where}: entity {index} must be [text, type] or [text, type, [k, ...]]")
        text, label = entry[0], entry[1]
        if label not in TYPES:
            raise InputError(f"{where}: entity {text!r} has type {label!r}, not one of {', '.join(TYPES)}")
        found = [(name, start) for name in FIELDS for start in occurrences(getattr(record, name), text)]
        if not found:
            raise InputError(f"{where}: entity {text!r} does not occur in the title or abstract")
        wanted = entry[2] if len(entry) == 3 else range(len(found))
        for k in wanted:
            if not isinstance(k, int) or not 0 <= k < len(found):
                raise InputError(
                    f"{where}: entity {text!r} has no occurrence {k} (it occurs {len(found)} times)"
                )
            name, start = found[k]
            candidates.append((-len(text), index, Annotation(name, start, start + len(text), label)))
    kept: list[Annotation] = []
    for _, _, span in sorted(candidates, key=lambda c: (c[0], c[1])):
        if not any(span.overlaps(k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (FIELDS.index(s.field), s.start))


def read_annotations(path: Path, papers: dict[str, Record]) -> Iterator[tuple[str, Record, list[Annotation]]]:
    """(split, paper, spans) of every annotated paper in ``path``.

    Raises:
        InputError: naming the file and line of an unknown paper, a changed paper, or a malformed entity.
    """
    for number, data in json_lines(path):
        where = f"{path}:{number}"
        record = papers.get(data.get("id"))
        if record is None:
            raise InputError(f"{where}: no seed paper has id {data.get('id')!r}")
        if data.get("sha1") != digest(record):
            raise InputError(f"{where}: the seed text of {record.id} changed since it was annotated")
        if data.get("split") not in SPLITS:
            raise InputError(f"{where}: split must be one of {', '.join(SPLITS)}")
        yield data["split"], record, place(record, data.get("entities") or [], where)


def gold_line(record: Record, spans: list[Annotation]) -> dict:
    """A paper and its spans in the corpora format (``field`` marks title spans)."""
    text = {name: getattr(record, name) for name in FIELDS}
    return {
        "id": record.id,
        "source": "kg-seeds",
        "title": record.title,
        "abstract": record.abstract,
        "entities": [
            {
                "start": s.start,
                "end": s.end,
                "type": s.type,
                "text": text[s.field][s.start : s.end],
                "field": s.field,
            }
            for s in spans
        ],
    }


def build(shared: Path, gold: Path, out: Path) -> dict[str, int]:
    """Write ``out/seeds_{dev,test,train}.jsonl``; returns the number of papers per split."""
    papers = seed_papers(shared)
    lines: dict[str, list[str]] = {split: [] for split in SPLITS}
    for split, record, spans in read_annotations(gold, papers):
        lines[split].append(json.dumps(gold_line(record, spans), ensure_ascii=False))
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in lines.items():
        (out / f"seeds_{split}.jsonl").write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return {split: len(rows) for split, rows in lines.items()}


def write_sample(shared: Path, start: int, n: int, out: Path) -> None:
    """Papers ``start`` to ``start + n`` of the fixed order as JSON lines (id, sha1, split, title, abstract)
    for annotators, in ``out/sample-{start}.jsonl``."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"sample-{start}.jsonl").open("w", encoding="utf-8") as handle:
        for split, record in ordered(seed_papers(shared))[start : start + n]:
            row = {"id": record.id, "sha1": digest(record), "split": split}
            row |= {"title": record.title, "abstract": record.abstract}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry (see the module docstring); exit 1 with the message on bad annotations."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("sample", "build"):
        command = commands.add_parser(name)
        command.add_argument("--shared", type=Path, required=True, help="shared data folder (seeds/)")
        command.add_argument("--out", type=Path, required=True, help="folder to write to")
    commands.choices["sample"].add_argument("--start", type=int, default=0, help="first paper of the order")
    commands.choices["sample"].add_argument("--n", type=int, default=EVAL_SIZE, help="papers to write")
    commands.choices["build"].add_argument("--gold", type=Path, required=True, help="the annotations file")
    args = parser.parse_args(argv)
    try:
        if args.command == "sample":
            write_sample(args.shared, args.start, args.n, args.out)
        else:
            counts = build(args.shared, args.gold, args.out)
            sizes = ", ".join(f"seeds_{split}.jsonl ({n} papers)" for split, n in counts.items())
            print(f"wrote {args.out}: {sizes}")
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
