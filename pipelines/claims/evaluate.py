"""Score sentence-level claim detection of the packaged-form model on the dev files (gold sentences).

Runs the component's own scoring (:class:`kg.nlp.claims_component.ClaimDetector`: classifier, context
model, cue rules, tuned threshold) on each dev abstract's gold sentences and counts with kg.eval's claim
scorer, per corpus. Nothing here is tuned: the threshold and weights were fitted on the tune split.

Usage: python evaluate.py --model training/model/model-best --shared ../../../shared --out metrics/claims.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from convert import CORPORA, read_abstracts

from kg.eval import Counts
from kg.nlp.claims_component import ClaimDetector, load_models


def dev_counts(detector: ClaimDetector, shared: Path, corpus: str) -> Counts:
    """Claim counts over one corpus's dev file at the detector's threshold."""
    counts = Counts()
    for abstract in read_abstracts(shared, corpus, "dev"):
        scores = detector.score_sentences(list(abstract.sentences))
        for score, gold in zip(scores, abstract.claims(), strict=True):
            if gold is None:
                continue
            predicted = score >= detector.threshold
            counts.add(Counts(int(predicted), int(gold), int(predicted and gold), int(predicted and gold)))
    return counts


def main() -> None:
    """Command line entry: score dev, write and print the metrics JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    detector = ClaimDetector(load_models(str(args.model)), threshold=None, spans_key="kg_claims")
    report = {
        "threshold": detector.threshold,
        "dev": {corpus: dev_counts(detector, args.shared, corpus).to_json() for corpus in CORPORA},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
