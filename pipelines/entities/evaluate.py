"""Score a trained entity model alone on the held-out gold sets, with the same scorer as `kg eval`.

Gold sets: SciERC dev (read from the shared folder), the SciREX dev and test parts that convert.py wrote,
and the dev and test papers of the hand-annotated seeds (seedgold.py). The test sets are reported, never used
to choose a model.

Usage: python evaluate.py --model training/model/model-best --shared ../../../shared --corpus corpus
       --out metrics/scores.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kg.eval import evaluate, load_model, predict_with_nlp, read_gold


def gold_sets(shared: Path, corpus: Path) -> dict[str, Path]:
    """The gold files scored for every model, by report name."""
    return {
        "scierc_dev": shared / "corpora" / "scierc" / "dev.jsonl",
        "scirex_dev": corpus / "scirex_dev.jsonl",
        "scirex_test": corpus / "scirex_test.jsonl",
        "seeds_dev": corpus / "seeds_dev.jsonl",
        "seeds_test": corpus / "seeds_test.jsonl",
    }


def score_model(model: str | Path, golds: dict[str, Path]) -> dict[str, dict]:
    """Exact and overlap micro/per-type scores of the model on each gold file, plus its speed there.

    Returns:
        ``{name: {"docs", "exact", "overlap", "docs_per_s"}}`` with the per-type dicts of EvalReport.to_json.
    """
    nlp = load_model(model)
    scores: dict[str, dict] = {}
    for name, path in golds.items():
        docs = list(read_gold(path))
        started = time.perf_counter()
        predictions = predict_with_nlp(docs, nlp)
        elapsed = time.perf_counter() - started
        report = evaluate(docs, predictions).to_json()
        scores[name] = {
            "docs": report["docs"],
            "exact": report["entities"]["exact"],
            "overlap": report["entities"]["overlap"],
            "docs_per_s": round(len(docs) / elapsed, 1),
        }
    return scores


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print a one-line summary per gold set and write the full scores as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="trained pipeline directory")
    parser.add_argument("--shared", type=Path, required=True, help="shared data folder (holds corpora/)")
    parser.add_argument("--corpus", type=Path, required=True, help="folder convert.py wrote")
    parser.add_argument("--out", type=Path, required=True, help="scores JSON file to write")
    args = parser.parse_args(argv)
    scores = score_model(args.model, gold_sets(args.shared, args.corpus))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    for name, result in scores.items():
        exact, overlap = result["exact"]["micro"], result["overlap"]["micro"]
        print(f"{name}: exact F1 {exact['f1']:.3f} (P {exact['precision']:.3f} R {exact['recall']:.3f})")
        print(f"{name}: overlap F1 {overlap['f1']:.3f}; {result['docs_per_s']} docs/s")


if __name__ == "__main__":
    main()
