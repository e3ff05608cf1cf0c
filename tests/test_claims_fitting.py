"""Fitting the claim sequence CRF (pipelines/claims/sequence.py): its gradient, that it learns, and the
threshold choice. The pipeline scripts import their siblings by bare name, so their folder goes on the
path."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from kg.nlp.claims_sequence import LABELS

FOLDER = Path(__file__).resolve().parents[1] / "pipelines" / "claims"


@pytest.fixture(scope="module")
def sequence():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(FOLDER))
        return importlib.import_module("sequence")


def _abstract(sequence, pairs: list[tuple[str, str]]):
    sentences, labels = zip(*pairs, strict=True)
    return sequence.Abstract("csabstruct", " ".join(sentences), sentences, labels)


def _corpus(sequence, count: int) -> list:
    """Abstracts whose roles follow from one word each, in varying order and length."""
    words = {"background": "lately", "objective": "aim", "method": "apply", "result": "outperforms"}
    rng = np.random.default_rng(3)
    abstracts = []
    for _ in range(count):
        roles = [r for r in words if rng.random() < 0.8] or ["result"]
        pairs = [(f"We {words[r]} item {int(rng.integers(9))} here.", r) for r in roles]
        abstracts.append(_abstract(sequence, pairs))
    return abstracts


def test_the_gradient_matches_finite_differences(sequence) -> None:
    abstracts = _corpus(sequence, 6)
    vocabulary = {f: i for i, f in enumerate(sorted({"bias", "w=apply", "w=aim", "w=outperforms", "first"}))}
    batch = sequence.Batch(abstracts, vocabulary)
    rng = np.random.default_rng(0)
    size = len(vocabulary) * len(LABELS) + len(LABELS) * (len(LABELS) + 2)
    weights = rng.normal(scale=0.5, size=size)
    _, gradient = sequence.negative_log_likelihood(weights, batch, l2=2.0)
    step = 1e-6
    for index in rng.choice(size, 15, replace=False):
        bump = np.zeros(size)
        bump[index] = step
        up, _ = sequence.negative_log_likelihood(weights + bump, batch, l2=2.0)
        down, _ = sequence.negative_log_likelihood(weights - bump, batch, l2=2.0)
        assert gradient[index] == pytest.approx((up - down) / (2 * step), rel=1e-4, abs=1e-6)


def test_fit_learns_roles_from_the_words_and_order(sequence) -> None:
    model = sequence.fit(_corpus(sequence, 60))
    scores = model.claim_scores(["Lately X matters.", "We apply X.", "X outperforms Y."])
    assert scores[2] > 0.8
    assert max(scores[:2]) < 0.2


def test_choose_threshold_picks_the_best_cut(sequence) -> None:
    scores = np.array([0.9, 0.8, 0.45, 0.35, 0.1])
    gold = np.array([True, True, True, False, False])
    threshold, best = sequence.choose_threshold(scores, gold)
    assert 0.35 < threshold <= 0.45
    assert best == 1.0
