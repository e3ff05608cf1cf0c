"""Package the trained claim classifier and its context model into kg/models/claims, with provenance.

Copies what inference needs (config.cfg, meta.json, tokenizer, vocab, textcat_multilabel weights,
context.json, the CSAbstruct role CRF in sequence.json / sequence.npy) and records in meta.json the data
sources, the conversion counts and the dev scores.

Usage: python package.py --model training/model/model-best --scores metrics/claims.json
       --stats corpus/stats.json --out ../../kg/models/claims
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

MAX_BYTES = 5_000_000
SOURCES = [
    {
        "name": "CSAbstruct",
        "url": "https://github.com/allenai/sequential_sentence_classification",
        "license": "Apache-2.0",
        "use": "train: 80% training, 20% tuning (split by a hash of the abstract), the CRF refitted on all "
        "of it; dev: reported scores",
        "citation": "Cohan et al., EMNLP 2019",
    },
    {
        "name": "Biomedical claims",
        "url": "https://github.com/titipata/detecting-scientific-claim",
        "use": "train: 80% training, 20% tuning (split by a hash of the abstract); dev: reported scores",
        "citation": "Achakulvisut et al., 2020",
    },
]


def package(model: Path, out: Path, scores: dict, stats: dict) -> int:
    """Replace ``out`` with the inference files of ``model`` and an annotated meta.json.

    Args:
        model: the trained pipeline directory holding context.json (model-best).
        out: destination directory (replaced whole).
        scores: dev scores written by evaluate.py.
        stats: example counts written by convert.py.

    Returns:
        The number of bytes written.

    Raises:
        SystemExit: the packaged model is larger than MAX_BYTES.
    """
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(model, out, ignore=shutil.ignore_patterns("*.log", "__pycache__"))
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        {
            "name": "kg_claims",
            "description": "Claim-sentence classifier (TextCatBOW), biomedical context model and CSAbstruct "
            "role CRF for the kg_claims component (kg project); classifier input text is "
            "kg.nlp.claims_component.classifier_text.",
            "sources": SOURCES,
            "conversion": stats,
            "dev_scores": scores,
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if size > MAX_BYTES:
        raise SystemExit(f"packaged model is {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB budget")
    return size


def main() -> None:
    """Command line entry: package and print the size written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--scores", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    scores = json.loads(args.scores.read_text(encoding="utf-8"))
    stats = json.loads(args.stats.read_text(encoding="utf-8"))
    size = package(args.model, args.out, scores, stats)
    print(f"packaged {args.model} into {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
