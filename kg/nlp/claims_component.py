"""The ``kg_claims`` spaCy component: score each sentence as claim / non-claim and keep the claims.

The score of a sentence blends a trained sentence classifier (a small TextCatBOW pipeline shipped in
kg/models/claims/, trained by ``python -m pipelines.claims``) with the cue rules of
:mod:`kg.nlp.claims_cues`: ``score = (1 - cue_weight) * p_model + cue_weight * cue_score``; availability
notes ("code is available at ...") score 0. Without a model the cue score alone is used. Sentences with
``score >= threshold`` are stored in ``doc.spans[spans_key]``; their scores in
``doc.spans[spans_key].attrs["scores"]`` (parallel list).

The classifier sees each sentence with its position in the abstract (:func:`classifier_text`), because where
a sentence sits (results come last) is much of what makes it a claim.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.errors import ModelError
from kg.nlp.claims_cues import AVAILABILITY, cue_score

if TYPE_CHECKING:
    from spacy.tokens import Doc

BUILTIN = "builtin"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claims"
CLAIM_LABEL = "CLAIM"


def classifier_text(sentence: str, index: int, count: int) -> str:
    """The text the claim classifier reads: position tokens, then the sentence.

    Shared by training (pipelines.claims) and prediction so both see the same input.

    Args:
        sentence: the sentence text.
        index: its 0-based position among the doc's sentences.
        count: how many sentences the doc has.

    Returns:
        "kgposfirst"/"kgposlast"/"kgposmid" and a quarter token "kgquarterN", a space, then the sentence.
    """
    where = "first" if index == 0 else "last" if index == count - 1 else "mid"
    quarter = min(3, 4 * index // max(count, 1))
    return f"kgpos{where} kgquarter{quarter} {sentence}"


def load_classifier(model: str) -> Language | None:
    """The trained sentence classifier named by the component's ``model`` setting.

    Args:
        model: "builtin" (kg/models/claims/ when it holds a model, else none), "" (cue rules only), or a path.

    Returns:
        The loaded spaCy pipeline, or None for rules only.

    Raises:
        ModelError: an explicit path holds no loadable pipeline.
    """
    import spacy

    if not model:
        return None
    path = MODEL_DIR if model == BUILTIN else Path(model)
    if model == BUILTIN and not (path / "config.cfg").exists():
        return None
    try:
        return spacy.load(path)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the claim classifier from {path}: {error}") from error


class ClaimDetector:
    """Marks the claim sentences of a doc; see the module docstring for the scoring."""

    def __init__(
        self, classifier: Language | None, *, threshold: float, cue_weight: float, spans_key: str
    ) -> None:
        self.classifier = classifier
        self.threshold = threshold
        self.cue_weight = cue_weight
        self.spans_key = spans_key

    def _model_scores(self, texts: list[str]) -> list[float]:
        """P(claim) from the classifier for each classifier text (the cue score when there is no model)."""
        if self.classifier is None:
            return [cue_score(t) for t in texts]
        return [d.cats.get(CLAIM_LABEL, 0.0) for d in self.classifier.pipe(texts, batch_size=256)]

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """Claim scores for the sentences of one doc, in order."""
        count = len(sentences)
        texts = [classifier_text(s, i, count) for i, s in enumerate(sentences)]
        model = self._model_scores(texts)
        weight = self.cue_weight if self.classifier is not None else 0.0
        return [
            0.0 if AVAILABILITY.search(s) else (1 - weight) * p + weight * cue_score(s)
            for s, p in zip(sentences, model, strict=True)
        ]

    def __call__(self, doc: Doc) -> Doc:
        """Score the doc's sentences and store those at or above the threshold."""
        sentences = list(doc.sents)
        scores = self.score_sentences([s.text for s in sentences])
        kept = [(s, p) for s, p in zip(sentences, scores, strict=True) if p >= self.threshold]
        doc.spans[self.spans_key] = [s for s, _ in kept]
        doc.spans[self.spans_key].attrs["scores"] = [p for _, p in kept]
        return doc


@Language.factory(
    "kg_claims",
    default_config={"model": BUILTIN, "threshold": 0.5, "cue_weight": 0.3, "spans_key": "kg_claims"},
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
)
def make_claim_detector(
    nlp: Language, name: str, *, model: str, threshold: float, cue_weight: float, spans_key: str
) -> ClaimDetector:
    """Build the kg_claims component.

    Args:
        nlp: the pipeline it is added to (unused; spaCy passes it).
        name: the component name (unused; spaCy passes it).
        model: "builtin", "" for cue rules only, or a path to a trained classifier pipeline.
        threshold: minimum blended score for a sentence to count as a claim.
        cue_weight: share of the cue-rule score in the blend when a model is loaded.
        spans_key: the doc.spans key the claim sentences go to.

    Returns:
        The component.

    Raises:
        ModelError: ``model`` is a path that holds no loadable pipeline.
    """
    return ClaimDetector(
        load_classifier(model), threshold=threshold, cue_weight=cue_weight, spans_key=spans_key
    )
