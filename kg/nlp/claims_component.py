"""The ``kg_claims`` spaCy component: score each sentence as claim / non-claim and keep the claims.

Two stages, both shipped in kg/models/claims/ and trained by ``python -m weasel run all pipelines/claims``:
a small TextCatBOW pipeline scores each sentence alone (claim, role, domain), then
:mod:`kg.nlp.claims_context` decides from those scores in context (neighbours, position, cue rules).
Without a model (``model = ""``) the cue-rule score of :mod:`kg.nlp.claims_cues` is used alone.
Availability notes ("code is available at ...") always score 0; with ``strong_cues`` on, sentences that
match :data:`kg.nlp.claims_cues.STRONG_CLAIM` ("we show that", "outperforms", "achieves 32.8%") score at
least the threshold (the corpora's position habits otherwise hide an early "we show that" on ML
abstracts). Sentences with ``score >= threshold`` are stored in ``doc.spans[spans_key]``, their scores in
``doc.spans[spans_key].attrs["scores"]`` (a list parallel to the spans, as spaCy's spancat does).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.errors import ModelError
from kg.nlp.claims_context import ContextModel, features
from kg.nlp.claims_cues import AVAILABILITY, STRONG_CLAIM, cue_score

if TYPE_CHECKING:
    from spacy.tokens import Doc

BUILTIN = "builtin"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claims"
CONTEXT_FILE = "context.json"
RULES_THRESHOLD = 0.5  # cue scores are 0.1 / 0.2 / 0.6 / 0.9: one result cue makes a claim


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


def load_models(model: str) -> tuple[Language, ContextModel] | None:
    """The trained sentence classifier and context model named by the component's ``model`` setting.

    Args:
        model: "builtin" (kg/models/claims/ when it holds a model, else none), "" (cue rules only), or the
            path of a folder holding a spaCy pipeline and context.json.

    Returns:
        (classifier pipeline, context model), or None for cue rules only.

    Raises:
        ModelError: an explicit path holds no loadable pipeline or context model.
    """
    import spacy

    if not model:
        return None
    path = MODEL_DIR if model == BUILTIN else Path(model)
    if model == BUILTIN and not (path / "config.cfg").exists():
        return None
    try:
        classifier = spacy.load(path)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the claim classifier from {path}: {error}") from error
    return classifier, ContextModel.from_disk(path / CONTEXT_FILE)


class ClaimDetector:
    """Marks the claim sentences of a doc; see the module docstring for the scoring."""

    def __init__(
        self,
        models: tuple[Language, ContextModel] | None,
        *,
        threshold: float | None,
        spans_key: str,
        strong_cues: bool = True,
    ) -> None:
        self.models = models
        self.strong_cues = strong_cues
        default = models[1].threshold if models else RULES_THRESHOLD
        self.threshold = default if threshold is None else threshold
        self.spans_key = spans_key

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """Claim scores for the sentences of one doc, in order."""
        cues = [cue_score(s) for s in sentences]
        if self.models is None:
            scores = cues
        else:
            classifier, context = self.models
            count = len(sentences)
            texts = [classifier_text(s, i, count) for i, s in enumerate(sentences)]
            cats = [doc.cats for doc in classifier.pipe(texts, batch_size=256)]
            scores = context.scores(features(cats, cues))
        return [self._adjust(s, p) for s, p in zip(sentences, scores, strict=True)]

    def _adjust(self, sentence: str, score: float) -> float:
        """Apply the rules that override the models: availability notes, strong claim cues."""
        if AVAILABILITY.search(sentence):
            return 0.0
        if self.strong_cues and STRONG_CLAIM.search(sentence):
            return max(score, self.threshold)
        return score

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
    default_config={"model": BUILTIN, "threshold": None, "strong_cues": True, "spans_key": "kg_claims"},
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
)
def make_claim_detector(
    nlp: Language, name: str, *, model: str, threshold: float | None, strong_cues: bool, spans_key: str
) -> ClaimDetector:
    """Build the kg_claims component.

    Args:
        nlp: the pipeline it is added to (unused; spaCy passes it).
        name: the component name (unused; spaCy passes it).
        model: "builtin", "" for cue rules only, or a path to a trained claims model folder.
        threshold: minimum score for a sentence to count as a claim; None takes the threshold tuned with
            the model (or RULES_THRESHOLD for cue rules only).
        strong_cues: lift sentences with an unmistakable claim cue to the threshold.
        spans_key: the doc.spans key the claim sentences go to.

    Returns:
        The component.

    Raises:
        ModelError: ``model`` is a path that holds no loadable model.
    """
    return ClaimDetector(
        load_models(model), threshold=threshold, spans_key=spans_key, strong_cues=strong_cues
    )
