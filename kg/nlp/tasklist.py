"""Derive the shipped task gazetteer (kg/data/pwc_tasks.txt) from the Papers with Code task list.

The full list (../shared/corpora/pwc/tasks.txt, 3,719 names, CC BY-SA 4.0) holds many names that would
match ordinary words ("Math", "Public Relations", "ICU Mortality") or that only make sense as a leaderboard
label ("Subgraph Counting - C6"). Only names that read as a task in running text are kept: two to five words,
ending in a task noun ("... Segmentation", "... Answering"), without digits-only parts, brackets or dashes
between words. Names are lower-cased (the gazetteer matches them in any case).

Usage: python -m kg.nlp.tasklist ../shared/corpora/pwc/tasks.txt kg/data/pwc_tasks.txt
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from pathlib import Path

from kg.nlp.lexicon import word_set

HEADER = (
    "# Derived from the Papers with Code task list (paperswithcode.com archive, CC BY-SA 4.0) by "
    "kg.nlp.tasklist: multi-word names ending in a task noun, lower-cased. Redistributed under CC BY-SA 4.0."
)
TASK_NOUNS = word_set(
    "recognition detection segmentation classification estimation generation "
    "prediction translation retrieval tracking reasoning answering parsing "
    "extraction synthesis completion forecasting localization matching editing "
    "captioning transfer summarization inpainting restoration reconstruction "
    "alignment understanding modeling modelling verification linking resolution "
    "labeling labelling tagging identification planning navigation manipulation "
    "grounding counting compression denoising enhancement super-resolution "
    "imputation clustering ranking recommendation diagnosis discovery registration "
    "simplification normalization disambiguation attribution correction colorization "
    "deblurring dehazing deraining interpolation retargeting animation editing "
    "rendering captioning search"
)
_BAD = re.compile(r"[()\[\]:/&+,]|\s-\s|\b\d+\b")


def keep(name: str) -> bool:
    """Whether one Papers with Code task name goes into the gazetteer.

    Args:
        name: the task name as listed ("3D Object Detection").

    Returns:
        True for 2..5-word names ending in a task noun, with no brackets, bare numbers or " - ".
    """
    words = name.split()
    return 2 <= len(words) <= 5 and words[-1].lower() in TASK_NOUNS and not _BAD.search(name)


def derive(names: Iterable[str]) -> list[str]:
    """The kept names, lower-cased, de-duplicated and sorted."""
    return sorted({" ".join(n.split()).lower() for n in names if keep(n.strip())})


def main(argv: list[str] | None = None) -> None:
    """Write the derived list with its source and licence header."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the Papers with Code tasks.txt")
    parser.add_argument("target", type=Path, help="where to write the derived list")
    args = parser.parse_args(argv)
    names = derive(args.source.read_text(encoding="utf-8").splitlines())
    args.target.write_text("\n".join([HEADER, *names]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
