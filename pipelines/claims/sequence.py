"""Fit the CSAbstruct sequence model (kg.nlp.claims_sequence): a linear-chain CRF over the five roles.

Maximum likelihood with an L2 penalty on the emission weights, by L-BFGS (scipy, a fitting-time dependency
only: the ``pipelines`` extra). The P(result) threshold is chosen by 5-fold cross-validation over
csabstruct/train (folds of whole abstracts): every sentence is scored by a model fitted on the other
folds, counting sentences the strong claim cues lift as the component does, and the threshold with the
best F1 over all of them wins. One tune split (20%, ~330 abstracts) proved too noisy for this: its F1
ran 0.05 above dev. The model is then refitted on all of csabstruct/train and written with that threshold
to <model>/sequence.json and sequence.npy. L2 was chosen the same way (cross-validated F1, 20 / 40 / 80 /
160 / 320). Features occurring in fewer than MIN_COUNT training sentences are not fitted, and fitted
features whose weights all stay under PRUNE are dropped, which keeps the packaged model small.

Usage: python sequence.py --model training/model/model-best --shared ../../../shared
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from context import THRESHOLDS, f1
from convert import Abstract, read_abstracts
from scipy import sparse
from scipy.optimize import minimize

from kg.nlp.claims_cues import STRONG_CLAIM
from kg.nlp.claims_sequence import LABELS, RESULT, SequenceModel, features, forward_backward

L2 = 80.0
MIN_COUNT = 2
MAX_ITERATIONS = 200
FOLDS = 5
PRUNE = 0.02  # weights all below this: feature dropped (at L2 40: tune F1 0.716 -> 0.712, a third left)


class Batch:
    """Padded abstracts as one sparse design matrix plus the index maps to (abstract, position)."""

    def __init__(self, abstracts: Sequence[Abstract], vocabulary: dict[str, int]) -> None:
        lengths = [len(a.sentences) for a in abstracts]
        self.mask = np.arange(max(lengths))[None, :] < np.array(lengths)[:, None]
        rows, cols = [], []
        for number, row in enumerate(r for a in abstracts for r in features(a.sentences)):
            known = [vocabulary[f] for f in row if f in vocabulary]
            rows += [number] * len(known)
            cols += known
        self.design = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(sum(lengths), len(vocabulary))
        )
        labels = np.array([LABELS.index(label) for a in abstracts for label in a.labels])
        self.gold = np.eye(len(LABELS))[labels]
        self.first = self.gold[np.cumsum([0, *lengths[:-1]])].sum(axis=0)
        self.last = self.gold[np.cumsum(lengths) - 1].sum(axis=0)
        padded = np.full(self.mask.shape, -1)
        padded[self.mask] = labels
        pairs = (padded[:, :-1, None] == np.arange(len(LABELS))) & self.mask[:, 1:, None]
        following = (padded[:, 1:, None] == np.arange(len(LABELS))) & self.mask[:, 1:, None]
        self.pairs = np.einsum("bti,btj->ij", pairs.astype(float), following.astype(float))

    def pad(self, flat: np.ndarray) -> np.ndarray:
        """(sentences, L) rows -> (abstracts, longest, L) with zeros at padding."""
        out = np.zeros((*self.mask.shape, flat.shape[1]))
        out[self.mask] = flat
        return out


def _unpack(weights: np.ndarray, features_count: int) -> tuple[np.ndarray, ...]:
    """Emissions (D, L), transitions (L, L), start (L,), end (L,) from the flat parameter vector."""
    size = len(LABELS)
    cut = np.cumsum([features_count * size, size * size, size])
    emissions, transitions, start, end = np.split(weights, cut)
    return emissions.reshape(features_count, size), transitions.reshape(size, size), start, end


def negative_log_likelihood(weights: np.ndarray, batch: Batch, l2: float = L2) -> tuple[float, np.ndarray]:
    """The CRF's penalised negative log-likelihood of ``batch``'s gold roles, and its gradient.

    Args:
        weights: emissions, transitions, start and end scores flattened (see _unpack).
        batch: the abstracts as a design matrix with their gold roles.
        l2: the penalty on the emission weights.
    """
    emissions, transitions, start, end = _unpack(weights, batch.design.shape[1])
    scores = batch.design @ emissions
    posteriors = forward_backward(batch.pad(scores), batch.mask, transitions, start, end)
    marginals = posteriors.marginals[batch.mask]
    gold_score = (scores * batch.gold).sum() + (batch.pairs * transitions).sum()
    gold_score += batch.first @ start + batch.last @ end
    value = posteriors.log_partition.sum() - gold_score + 0.5 * l2 * (emissions**2).sum()
    gradient = [
        (batch.design.T @ (marginals - batch.gold) + l2 * emissions).ravel(),
        (posteriors.pair_marginals - batch.pairs).ravel(),
        posteriors.marginals[:, 0].sum(axis=0) - batch.first,
        marginals[np.cumsum(batch.mask.sum(axis=1)) - 1].sum(axis=0) - batch.last,
    ]
    return float(value), np.concatenate(gradient)


def fit(abstracts: Sequence[Abstract], threshold: float = 0.5) -> SequenceModel:
    """The CRF fitted on the abstracts (all labelled with LABELS), carrying ``threshold``."""
    counts = Counter(f for a in abstracts for row in features(a.sentences) for f in row)
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    batch, size = Batch(abstracts, vocabulary), len(vocabulary)
    start_point = np.zeros(size * len(LABELS) + len(LABELS) * (len(LABELS) + 2))
    result = minimize(
        negative_log_likelihood,
        start_point,
        args=(batch,),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": MAX_ITERATIONS},
    )
    emissions, transitions, start, end = _unpack(result.x, size)
    kept = np.flatnonzero(np.abs(emissions).max(axis=1) >= PRUNE)
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    pruned = {names[index]: new for new, index in enumerate(kept)}
    return SequenceModel(pruned, emissions[kept], transitions, start, end, threshold)


def out_of_fold(abstracts: Sequence[Abstract]) -> tuple[np.ndarray, np.ndarray]:
    """Scores (strong cues lifted to 1) and gold labels of all sentences, each from the other folds' model."""
    scores, gold = [], []
    for fold in range(FOLDS):
        held = [a for number, a in enumerate(abstracts) if number % FOLDS == fold]
        model = fit([a for number, a in enumerate(abstracts) if number % FOLDS != fold])
        for abstract in held:
            lifted = [1.0 if STRONG_CLAIM.search(s) else 0.0 for s in abstract.sentences]
            scores += list(np.maximum(model.claim_scores(abstract.sentences), lifted))
            gold += abstract.claims()
    return np.array(scores), np.array(gold, dtype=bool)


def choose_threshold(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 of ``scores >= threshold`` against ``gold``, and that F1."""
    values = [f1(scores, gold, t) for t in THRESHOLDS]
    best = int(np.argmax(values))
    return float(THRESHOLDS[best]), round(float(values[best]), 4)


def main() -> None:
    """Command line entry: cross-validate the threshold, fit on all, write, print the cross-validated F1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--shared", type=Path, required=True)
    args = parser.parse_args()
    abstracts = list(read_abstracts(args.shared, "csabstruct", "train"))
    threshold, cv_f1 = choose_threshold(*out_of_fold(abstracts))
    fit(abstracts, threshold).to_disk(args.model)
    print(json.dumps({"threshold": threshold, "cv_f1": cv_f1, "l2": L2, "result_label": LABELS[RESULT]}))


if __name__ == "__main__":
    main()
