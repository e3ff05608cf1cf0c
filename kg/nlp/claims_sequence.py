"""Claims in computer-science abstracts as sequence labelling: a linear-chain CRF over the CSAbstruct roles.

Whether a CS sentence reports a result depends as much on where it sits as on its words: abstracts run
background -> objective -> method -> result, and "we evaluate X on Y" (method) reads much like "X improves
Y" (result) out of context. So every sentence of the abstract gets one of the five CSAbstruct roles jointly
(emission weights over sparse word, bigram, position, opening-word, cue-pattern and neighbour-word features,
plus role-to-role transition weights), and the claim score of a sentence is its marginal probability of
``result`` from the forward-backward algorithm. The weights are fitted by ``pipelines/claims/sequence.py``
and evaluated here in numpy alone (no scikit-learn at run time): ``sequence.json`` holds the vocabulary,
transitions and the tuned threshold, ``sequence.npy`` the emission matrix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import ModelError
from kg.nlp.claims_cues import AIM, AVAILABILITY, COMPARISON, HEDGES, RESULT_CUES, STRONG_CLAIM

LABELS = ("background", "objective", "method", "result", "other")
RESULT = LABELS.index("result")
META_FILE, WEIGHTS_FILE = "sequence.json", "sequence.npy"
_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|%|[^\w\s]")
# Past-tense forms by suffix: results are reported in the past ("accuracy improved", "we found"), aims and
# methods in the present ("we propose", "the model uses").
_PAST = re.compile(r"\b(?:was|were|had|found|showed|\w{3,}ed)\b", re.IGNORECASE)
# Cue patterns of kg.nlp.claims_cues that fire as one feature each, so their weights are learnt per role.
_CUE_FLAGS = {
    "strong": STRONG_CLAIM,
    "aim": AIM,
    "hedge": HEDGES,
    "compare": COMPARISON,
    "available": AVAILABILITY,
}


def tokens(sentence: str) -> list[str]:
    """Lower-cased word tokens, every number folded to ``<num>`` (that a number is there is what counts)."""
    return ["<num>" if t[0].isdigit() else t.lower() for t in _TOKEN.findall(sentence)]


def _own_features(sentence: str, index: int, count: int) -> set[str]:
    """Words, bigrams, position and length features of one sentence."""
    words = tokens(sentence)
    found = {"bias", *("w=" + w for w in words)}
    found |= {f"b={a}_{b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)}
    found |= {
        f"pos={min(int(5 * index / max(count - 1, 1)), 4)}",
        f"idx={min(index, 6)}",
        f"ridx={min(count - 1 - index, 6)}",
        f"len={min(len(words) // 10, 5)}",
    }
    found |= {name for name, on in (("first", index == 0), ("last", index == count - 1)) if on}
    if index == count - 2:
        found.add("second_last")
    return found | _cue_features(sentence, words)


def _cue_features(sentence: str, words: Sequence[str]) -> set[str]:
    """How the sentence opens, its claim cues, tense and numbers.

    The opening words carry the role more than words elsewhere ("We propose" vs "Results show" vs
    "However,"); the cue patterns generalise over the words they match, which single words cannot on a
    corpus this small. Counts are capped at 3 so each bucket has training sentences.
    """
    found = {f"first{n}=" + "_".join(words[:n]) for n in (1, 2, 3)}
    found |= {name for name, pattern in _CUE_FLAGS.items() if pattern.search(sentence)}
    cues = {m.group(0).lower() for m in RESULT_CUES.finditer(sentence)}
    found.add(f"cues={min(len(cues), 3)}")
    found.add(f"past={min(len(_PAST.findall(sentence)), 3)}")
    found.add(f"numbers={min(words.count('<num>'), 3)}")
    return found


def features(sentences: Sequence[str]) -> list[set[str]]:
    """The feature strings of each sentence of an abstract: its own, and the words of its neighbours.

    Args:
        sentences: the abstract's sentences in order.

    Returns:
        One set of feature names per sentence.
    """
    count = len(sentences)
    own = [_own_features(s, i, count) for i, s in enumerate(sentences)]
    rows = []
    for index, found in enumerate(own):
        row = set(found)
        for prefix, neighbour in (("p", index - 1), ("n", index + 1)):
            if 0 <= neighbour < count:
                row |= {prefix + f for f in own[neighbour] if f.startswith("w=")}
        rows.append(row)
    return rows


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(values))) along an axis, stable for large magnitudes."""
    top = values.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis) + np.log(np.exp(values - top).sum(axis=axis))


@dataclass(frozen=True)
class Posteriors:
    """What forward-backward gives for a padded batch of abstracts (B abstracts, N sentences, L labels)."""

    log_partition: np.ndarray  # (B,) log Z of each abstract
    marginals: np.ndarray  # (B, N, L) P(label) per sentence; zero rows at padding
    pair_marginals: np.ndarray  # (L, L) expected transition counts summed over the batch


def forward_backward(
    emissions: np.ndarray, mask: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> Posteriors:
    """Forward-backward of a linear-chain CRF over a padded batch, in log space.

    Args:
        emissions: (B, N, L) label scores of each sentence.
        mask: (B, N) True at real sentences; each abstract's sentences come first, padding after.
        transitions: (L, L) score of label j following label i.
        start: (L,) score of the first label; end: (L,) score of the last.

    Returns:
        The log partition functions, per-sentence marginals and summed pair marginals.
    """
    size = emissions.shape[1]
    alpha = np.empty_like(emissions)
    alpha[:, 0] = start + emissions[:, 0]
    for t in range(1, size):
        step = emissions[:, t] + _logsumexp(alpha[:, t - 1, :, None] + transitions, axis=1)
        alpha[:, t] = np.where(mask[:, t, None], step, alpha[:, t - 1])
    beta = np.empty_like(emissions)
    beta[:, -1] = end
    for t in range(size - 2, -1, -1):
        step = _logsumexp(transitions + (emissions[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where(mask[:, t + 1, None], step, end)
    log_z = _logsumexp(alpha[:, -1] + end, axis=1)
    marginals = np.exp(alpha + beta - log_z[:, None, None]) * mask[:, :, None]
    pairs = np.exp(
        alpha[:, :-1, :, None]
        + transitions
        + (emissions[:, 1:] + beta[:, 1:])[:, :, None, :]
        - log_z[:, None, None, None]
    )
    pairs = (pairs * mask[:, 1:, None, None]).sum(axis=(0, 1))
    return Posteriors(log_z, marginals, pairs)


@dataclass(frozen=True)
class SequenceModel:
    """CRF weights over :func:`features` and the P(result) threshold tuned for them."""

    vocabulary: dict[str, int]
    emissions: np.ndarray  # (len(vocabulary), len(LABELS))
    transitions: np.ndarray  # (L, L)
    start: np.ndarray  # (L,)
    end: np.ndarray  # (L,)
    threshold: float

    def emission_scores(self, rows: Sequence[set[str]]) -> np.ndarray:
        """(sentences, labels) emission scores of an abstract's feature rows."""
        scores = np.zeros((len(rows), len(LABELS)))
        for index, row in enumerate(rows):
            known = [self.vocabulary[f] for f in row if f in self.vocabulary]
            scores[index] = self.emissions[known].sum(axis=0)
        return scores

    def claim_scores(self, sentences: Sequence[str]) -> list[float]:
        """P(result) of each sentence of one abstract, given the whole abstract."""
        if not sentences:
            return []
        emissions = self.emission_scores(features(sentences))[None]
        mask = np.ones(emissions.shape[:2], dtype=bool)
        posteriors = forward_backward(emissions, mask, self.transitions, self.start, self.end)
        return [float(p) for p in posteriors.marginals[0, :, RESULT]]

    def to_disk(self, folder: Path) -> None:
        """Write sequence.json (vocabulary in index order, transitions, threshold) and sequence.npy."""
        meta = {
            "labels": list(LABELS),
            "features": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
            "transitions": self.transitions.tolist(),
            "start": self.start.tolist(),
            "end": self.end.tolist(),
            "threshold": self.threshold,
        }
        (folder / META_FILE).write_text(json.dumps(meta) + "\n", encoding="utf-8")
        np.save(folder / WEIGHTS_FILE, self.emissions.astype(np.float32))

    @classmethod
    def from_disk(cls, folder: Path) -> SequenceModel:
        """Read a model written by to_disk.

        Raises:
            ModelError: the files are missing, malformed, or label other roles than LABELS.
        """
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            model = cls(
                {name: i for i, name in enumerate(meta["features"])},
                np.load(folder / WEIGHTS_FILE, allow_pickle=False).astype(np.float64),
                np.array(meta["transitions"], dtype=np.float64),
                np.array(meta["start"], dtype=np.float64),
                np.array(meta["end"], dtype=np.float64),
                float(meta["threshold"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"cannot read the claim sequence model in {folder}: {error}") from error
        if tuple(meta["labels"]) != LABELS or model.emissions.shape != (len(model.vocabulary), len(LABELS)):
            raise ModelError(f"the claim sequence model in {folder} does not match this version of kg")
        return model
