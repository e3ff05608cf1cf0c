"""The CSAbstruct role CRF (kg.nlp.claims_sequence) and how the kg_claims component routes abstracts to it."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from kg.errors import ModelError
from kg.nlp.claims_component import BUILTIN, CENTRE, MODEL_DIR, ClaimDetector, load_models, recentre
from kg.nlp.claims_sequence import LABELS, META_FILE, RESULT, SequenceModel, features, forward_backward

SIZE = len(LABELS)


def random_crf(seed: int, sentences: int) -> tuple[np.ndarray, ...]:
    """Emissions (1, n, L), transitions, start and end scores drawn at random."""
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(1, sentences, SIZE)),
        rng.normal(size=(SIZE, SIZE)),
        rng.normal(size=SIZE),
        rng.normal(size=SIZE),
    )


def brute_force_marginals(emissions: np.ndarray, transitions, start, end) -> np.ndarray:
    """P(label) per position by enumerating every label sequence."""
    count = emissions.shape[1]
    totals, z = np.zeros((count, SIZE)), 0.0
    for path in itertools.product(range(SIZE), repeat=count):
        score = start[path[0]] + end[path[-1]] + sum(emissions[0, i, y] for i, y in enumerate(path))
        score += sum(transitions[a, b] for a, b in itertools.pairwise(path))
        weight = np.exp(score)
        z += weight
        for i, y in enumerate(path):
            totals[i, y] += weight
    return totals / z


@pytest.mark.parametrize("count", [1, 2, 4])
def test_forward_backward_matches_enumeration(count: int) -> None:
    emissions, transitions, start, end = random_crf(count, count)
    mask = np.ones((1, count), dtype=bool)
    posteriors = forward_backward(emissions, mask, transitions, start, end)
    assert np.allclose(posteriors.marginals[0], brute_force_marginals(emissions, transitions, start, end))
    assert np.isclose(posteriors.pair_marginals.sum(), count - 1)


def test_padding_leaves_a_shorter_abstract_unchanged() -> None:
    short, transitions, start, end = random_crf(7, 3)
    long, *_ = random_crf(8, 5)
    padded = np.zeros((2, 5, SIZE))
    padded[0, :3], padded[1] = short[0], long[0]
    mask = np.array([[True] * 3 + [False] * 2, [True] * 5])
    batch = forward_backward(padded, mask, transitions, start, end)
    alone = forward_backward(short, np.ones((1, 3), dtype=bool), transitions, start, end)
    assert np.allclose(batch.marginals[0, :3], alone.marginals[0])
    assert np.allclose(batch.marginals[0, 3:], 0.0)
    assert np.isclose(batch.log_partition[0], alone.log_partition[0])


def test_features_see_position_and_neighbour_words() -> None:
    rows = features(["Graphs are everywhere.", "We propose 3 models.", "They win."])
    assert "first" in rows[0] and "last" in rows[2] and "second_last" in rows[1]
    assert {"w=<num>", "b=we_propose", "pw=graphs", "nw=win"} <= rows[1]
    assert "pw=we" not in rows[0]


def test_features_see_the_opening_words_and_claim_cues() -> None:
    aim, result = features(["In this paper, we propose a parser.", "We show that it beats X by 3.5% on Y."])
    assert {"first1=in", "first3=in_this_paper", "aim", "cues=0", "past=0", "numbers=0"} <= aim
    assert not {"strong", "compare"} & aim
    assert {"first2=we_show", "strong", "compare", "numbers=1"} <= result
    assert "cues=2" in result  # "we show" and "beats"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Accuracy improved and errors were reduced.", {"past=3"}),
        ("We found 2 bugs in 10, 20 and 30 runs.", {"past=1", "numbers=3"}),
        ("This may help.", {"hedge", "past=0"}),
        ("Code is available at https://github.com/x/y.", {"available"}),
    ],
)
def test_features_count_past_tense_and_numbers_and_flag_cues(sentence: str, expected: set[str]) -> None:
    assert expected <= features([sentence])[0]


def toy_model(threshold: float = 0.4) -> SequenceModel:
    """A CRF that reads 'outperforms' as a result and 'propose' as a method, with no transition preference."""
    emissions = np.zeros((2, SIZE))
    emissions[0, RESULT] = 4.0
    emissions[1, LABELS.index("method")] = 4.0
    zeros = np.zeros(SIZE)
    return SequenceModel(
        {"w=outperforms": 0, "w=propose": 1}, emissions, np.zeros((SIZE, SIZE)), zeros, zeros, threshold
    )


def test_claim_scores_follow_the_emissions() -> None:
    scores = toy_model().claim_scores(["We propose X.", "X outperforms Y."])
    assert scores[1] > 0.9 > 0.1 > scores[0]
    assert toy_model().claim_scores([]) == []


def test_model_round_trips_through_disk(tmp_path: Path) -> None:
    model = toy_model()
    model.to_disk(tmp_path)
    loaded = SequenceModel.from_disk(tmp_path)
    sentences = ["We propose X.", "X outperforms Y."]
    assert loaded.threshold == model.threshold
    assert np.allclose(loaded.claim_scores(sentences), model.claim_scores(sentences))


def test_model_with_other_labels_is_refused(tmp_path: Path) -> None:
    toy_model().to_disk(tmp_path)
    meta = tmp_path / META_FILE
    meta.write_text(meta.read_text().replace('"other"', '"conclusion"'))
    with pytest.raises(ModelError, match="does not match"):
        SequenceModel.from_disk(tmp_path)


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.7])
def test_recentre_puts_the_threshold_at_the_centre_and_keeps_order(threshold: float) -> None:
    assert recentre(threshold, threshold) == pytest.approx(CENTRE)
    values = [recentre(p, threshold) for p in (0.0, 0.1, threshold, 0.9, 1.0)]
    assert values == sorted(values) and values[0] < CENTRE < values[-1]


@pytest.mark.skipif(not (MODEL_DIR / META_FILE).exists(), reason="no claims sequence model packaged")
def test_packaged_models_route_a_cs_abstract_to_the_sequence_model() -> None:
    models = load_models(BUILTIN)
    assert models is not None and models.sequence is not None
    sentences = [
        "Neural machine translation needs large parallel corpora.",
        "We propose a data augmentation method that back-translates monolingual text.",
        "Experiments on WMT14 show that it improves BLEU by 2.1 points over a strong Transformer baseline.",
    ]
    scored = models.scores(sentences, [0.0] * len(sentences))
    scores = scored.scores
    assert not scored.biomedical and scores[2] >= CENTRE > max(scores[:2])
    assert scores == [recentre(p, models.sequence.threshold) for p in models.sequence.claim_scores(sentences)]


@pytest.mark.skipif(not (MODEL_DIR / META_FILE).exists(), reason="no claims sequence model packaged")
def test_strong_cues_leave_biomedical_abstracts_to_the_context_model() -> None:
    sentences = [
        "Jasmonate signalling is mediated by JAZ repressor proteins in Arabidopsis thaliana.",
        "Here we show that the TIFY8 ZIM domain is functional and mediates interaction with PEAPOD proteins.",
        "TIFY8 expression was inversely correlated with JAZ expression after infection with P. syringae.",
    ]
    models = load_models(BUILTIN)
    assert models is not None and models.scores(sentences, [0.0] * 3).biomedical
    lifted = ClaimDetector(models, threshold=None, spans_key="k")
    plain = ClaimDetector(models, threshold=None, spans_key="k", strong_cues=False)
    assert lifted.score_sentences(sentences) == plain.score_sentences(sentences)
