"""Second stage of claim detection: decide each sentence from its own scores and its neighbours'.

The sentence classifier (stage one) scores sentences one at a time: P(claim) as a computer-science
``result`` and as a biomedical ``claim``, P(background), P(objective), P(method) and P(biomedical domain).
Whether a sentence reports a result also depends on where it sits: results follow the method description
and run to the end of the abstract. A small logistic regression over
:func:`features` (own, previous and next scores, the best claim score before and after, position, the cue
rule score, the abstract's domain) turns that into the final claim probability. Its weights and tuned
threshold are a JSON file next to the classifier (``kg/models/claims/context.json``), fitted by
``pipelines/claims`` on sentences the classifier was not trained on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import ModelError

# What counts as a claim differs between the corpora (a biomedical "other" sentence often reads like a
# CS "result"), so each domain has its own claim label and the abstract's domain score mixes them.
CLAIM_LABELS = {"csabstruct": "CLAIM_CS", "claims_biomed": "CLAIM_BIO"}
ROLE_LABELS = ("BACKGROUND", "OBJECTIVE", "METHOD")
DOMAIN_LABEL = "BIOMED"

FEATURES = (
    "claim",
    "claim_prev",
    "claim_next",
    "background",
    "objective",
    "method",
    "method_prev",
    "method_next",
    "claim_max_before",
    "claim_max_after",
    "position",
    "position_sq",
    "first",
    "last",
    "cue",
    "domain",
    "domain_claim",
    "domain_position",
    "domain_last",
)


def _sentence_features(
    cats: Sequence[Mapping[str, float]], cues: Sequence[float], index: int, domain: float
) -> list[float]:
    """The FEATURES row of one sentence."""
    count = len(cats)
    claim = [claim_probability(c, domain) for c in cats]
    method = [c.get("METHOD", 0.0) for c in cats]
    here = cats[index]
    position = index / (count - 1) if count > 1 else 1.0
    last = float(index == count - 1)
    return [
        claim[index],
        claim[index - 1] if index > 0 else 0.0,
        claim[index + 1] if index + 1 < count else 0.0,
        here.get("BACKGROUND", 0.0),
        here.get("OBJECTIVE", 0.0),
        method[index],
        method[index - 1] if index > 0 else 0.0,
        method[index + 1] if index + 1 < count else 0.0,
        max(claim[:index], default=0.0),
        max(claim[index + 1 :], default=0.0),
        position,
        position * position,
        float(index == 0),
        last,
        cues[index],
        domain,
        domain * claim[index],
        domain * position,
        domain * last,
    ]


def claim_probability(cats: Mapping[str, float], domain: float) -> float:
    """P(claim) of one sentence: the two domains' claim scores mixed by the abstract's domain score."""
    bio, cs = cats.get(CLAIM_LABELS["claims_biomed"], 0.0), cats.get(CLAIM_LABELS["csabstruct"], 0.0)
    return domain * bio + (1.0 - domain) * cs


def features(cats: Sequence[Mapping[str, float]], cues: Sequence[float]) -> list[list[float]]:
    """One FEATURES row per sentence of an abstract.

    Args:
        cats: the classifier's category scores of each sentence, in order.
        cues: the cue-rule score of each sentence (kg.nlp.claims_cues.cue_score).

    Returns:
        A row of len(FEATURES) floats per sentence.
    """
    if not cats:
        return []
    domain = sum(c.get(DOMAIN_LABEL, 0.0) for c in cats) / len(cats)
    return [_sentence_features(cats, cues, i, domain) for i in range(len(cats))]


@dataclass(frozen=True)
class ContextModel:
    """Logistic regression weights over FEATURES, with the threshold tuned for them."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    names: tuple[str, ...] = FEATURES

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """P(claim) for each feature row."""
        return [
            _sigmoid(self.bias + sum(w * x for w, x in zip(self.weights, row, strict=True))) for row in rows
        ]

    def to_disk(self, path: Path) -> None:
        """Write the model as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def from_disk(cls, path: Path) -> ContextModel:
        """Read a model written by to_disk.

        Raises:
            ModelError: the file is missing, malformed, or was fitted on other features.
        """
        try:
            data = json.loads(path.read_text())
            model = cls(
                tuple(data["weights"]), float(data["bias"]), float(data["threshold"]), tuple(data["names"])
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"cannot read the claim context model {path}: {error}") from error
        if model.names != FEATURES or len(model.weights) != len(FEATURES):
            raise ModelError(f"{path} was fitted on other features than this version of kg computes")
        return model


def _sigmoid(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
