"""Fit the second-stage context model (kg.nlp.claims_context) on the tune split and pick its threshold.

The classifier never saw the tune abstracts, so its scores there are as noisy as on new text. A logistic
regression (Newton's method, L2) is fitted on their FEATURES rows; the threshold is chosen on out-of-fold
predictions (5 folds over abstracts) to maximise the mean sentence-level F1 of the two corpora, then the
model is refitted on all tune abstracts. The result goes to <model>/context.json.

Usage: python context.py --model training/model/model-best --shared ../../../shared
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from convert import CORPORA, Abstract, read_abstracts
from spacy.language import Language

from kg.nlp.claims_component import CONTEXT_FILE, classifier_text
from kg.nlp.claims_context import ContextModel, features
from kg.nlp.claims_cues import cue_score

L2 = 1.0
FOLDS = 5
THRESHOLDS = np.round(np.arange(0.2, 0.71, 0.02), 2)


def abstract_rows(classifier: Language, abstract: Abstract) -> tuple[list[list[float]], list[bool | None]]:
    """FEATURES rows and gold claim labels of an abstract's sentences."""
    count = len(abstract.sentences)
    texts = [classifier_text(s, i, count) for i, s in enumerate(abstract.sentences)]
    cats = [doc.cats for doc in classifier.pipe(texts)]
    return features(cats, [cue_score(s) for s in abstract.sentences]), abstract.claims()


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 30
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; the bias is not penalised."""
    design = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty * weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        weights -= np.linalg.solve(hessian, gradient)
    return weights[:-1], float(weights[-1])


def f1(scores: np.ndarray, gold: np.ndarray, threshold: float) -> float:
    """Sentence-level F1 of predicting claims at scores >= threshold."""
    predicted = scores >= threshold
    hits = float(np.sum(predicted & gold))
    return 2 * hits / (predicted.sum() + gold.sum()) if hits else 0.0


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Scores of each row from a model fitted on the other folds (folds are groups of abstracts)."""
    scores = np.zeros(len(y))
    for fold in range(FOLDS):
        held = groups % FOLDS == fold
        weights, bias = fit_logistic(x[~held], y[~held])
        scores[held] = 1.0 / (1.0 + np.exp(-(x[held] @ weights + bias)))
    return scores


def fit(classifier: Language, shared: Path) -> tuple[ContextModel, dict[str, float]]:
    """The context model fitted on the tune split, and the out-of-fold tune F1 per corpus at its threshold."""
    rows, labels, groups, corpora = [], [], [], []
    for corpus in CORPORA:
        for number, abstract in enumerate(
            a for a in read_abstracts(shared, corpus, "train") if a.split == "tune"
        ):
            x, y = abstract_rows(classifier, abstract)
            kept = [(r, g) for r, g in zip(x, y, strict=True) if g is not None]
            rows += [r for r, _ in kept]
            labels += [g for _, g in kept]
            groups += [number] * len(kept)
            corpora += [corpus] * len(kept)
    x, y, groups, corpora = np.array(rows), np.array(labels), np.array(groups), np.array(corpora)
    scores = out_of_fold(x, y.astype(float), groups)
    per_corpus = {c: corpora == c for c in CORPORA}
    means = [np.mean([f1(scores[m], y[m], t) for m in per_corpus.values()]) for t in THRESHOLDS]
    threshold = float(THRESHOLDS[int(np.argmax(means))])
    weights, bias = fit_logistic(x, y.astype(float))
    model = ContextModel(tuple(float(w) for w in weights), bias, threshold)
    return model, {c: round(f1(scores[m], y[m], threshold), 4) for c, m in per_corpus.items()}


def main() -> None:
    """Command line entry: fit, write <model>/context.json, print the out-of-fold tune F1."""
    import spacy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--shared", type=Path, required=True)
    args = parser.parse_args()
    model, tune_f1 = fit(spacy.load(args.model), args.shared)
    model.to_disk(args.model / CONTEXT_FILE)
    print(json.dumps({"threshold": model.threshold, "tune_out_of_fold_f1": tune_f1}))


if __name__ == "__main__":
    main()
