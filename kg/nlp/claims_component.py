"""The ``kg_claims`` spaCy component: score each sentence as claim / non-claim and keep the claims.

Shipped in kg/models/claims/ and trained by ``python -m weasel run all pipelines/claims``: a small
TextCatBOW pipeline scores each sentence alone (claim, role, domain). The abstract's domain score (the
mean of BIOMED) then picks one of two decisions, because the corpora disagree on what a claim is: a
biomedical abstract goes to :mod:`kg.nlp.claims_context` (a logistic model over those scores in context),
any other abstract to :mod:`kg.nlp.claims_sequence` (a CRF labelling the whole abstract with the CSAbstruct
roles; a claim is a ``result``; see BIOMEDICAL_DOMAIN). Each decision has its own tuned threshold, so
scores are re-centred to put both at CENTRE (0.5): ``score >= 0.5`` means claim whichever decision made it.
Without a model (``model = ""``) the cue-rule score of :mod:`kg.nlp.claims_cues` is used alone.
Availability notes ("code is available at ...") always score 0. With ``strong_cues`` on, sentences of
non-biomedical abstracts that match :data:`kg.nlp.claims_cues.STRONG_CLAIM` ("we show that",
"outperforms", "achieves 32.8%") score at least the threshold: the corpora's position habits otherwise
hide an early "we show that" on ML abstracts, while on biomedical text the context model already weighs
the cue score and lifting costs F1 (tune 0.744 -> 0.723). Sentences with ``score >= threshold`` are
stored in ``doc.spans[spans_key]``, their scores in ``doc.spans[spans_key].attrs["scores"]`` (a list
parallel to the spans, as spaCy's spancat does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.errors import ModelError
from kg.nlp.claims_context import DOMAIN_LABEL, ContextModel, features
from kg.nlp.claims_cues import AVAILABILITY, STRONG_CLAIM, cue_score
from kg.nlp.claims_sequence import META_FILE, SequenceModel
from kg.nlp.docview import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

BUILTIN = "builtin"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claims"
CONTEXT_FILE = "context.json"
RULES_THRESHOLD = 0.5  # cue scores are 0.1 / 0.2 / 0.6 / 0.9: one result cue makes a claim
CENTRE = 0.5  # where re-centred model scores put each decision's tuned threshold
# Mean BIOMED score from which an abstract is biomedical. The per-sentence domain scores run low on
# biomedical text, so 0.5 sent a sixth of biomedical abstracts to the CS decision; on the tune split 0.3
# and 0.35 misroute fewest (15 of 468), and 0.35 sends fewer of the seeds' ML abstracts the biomedical
# way (4 of 282).
BIOMEDICAL_DOMAIN = 0.35


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


@dataclass(frozen=True)
class Scored:
    """The model scores of one abstract's sentences, and whether it was judged biomedical."""

    scores: list[float]
    biomedical: bool


@dataclass(frozen=True)
class ClaimModels:
    """The trained parts: sentence classifier, biomedical context model, CS sequence model (optional)."""

    classifier: Language
    context: ContextModel
    sequence: SequenceModel | None

    def scores(self, sentences: list[str], cues: list[float]) -> Scored:
        """Re-centred claim scores of one abstract's sentences (>= CENTRE means claim) and its domain."""
        count = len(sentences)
        texts = [classifier_text(s, i, count) for i, s in enumerate(sentences)]
        cats = [doc.cats for doc in self.classifier.pipe(texts, batch_size=256)]
        biomedical = sum(c.get(DOMAIN_LABEL, 0.0) for c in cats) >= BIOMEDICAL_DOMAIN * count
        if self.sequence is None or biomedical:
            raw, threshold = self.context.scores(features(cats, cues)), self.context.threshold
        else:
            raw, threshold = self.sequence.claim_scores(sentences), self.sequence.threshold
        return Scored([recentre(p, threshold) for p in raw], biomedical)


def recentre(probability: float, threshold: float) -> float:
    """Shift a probability on the logit scale so that ``threshold`` lands on CENTRE (order is kept)."""
    clipped = min(max(probability, 1e-9), 1 - 1e-9)
    logit = math.log(clipped / (1 - clipped)) - math.log(threshold / (1 - threshold))
    return 1.0 / (1.0 + math.exp(-logit))


def load_models(model: str) -> ClaimModels | None:
    """The trained models named by the component's ``model`` setting.

    Args:
        model: "builtin" (kg/models/claims/ when it holds a model, else none), "" (cue rules only), or the
            path of a folder holding a spaCy pipeline, context.json and (optionally) the sequence model.

    Returns:
        The models, or None for cue rules only.

    Raises:
        ModelError: an explicit path holds no loadable pipeline or context model, or a broken sequence model.
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
    sequence = SequenceModel.from_disk(path) if (path / META_FILE).exists() else None
    return ClaimModels(classifier, ContextModel.from_disk(path / CONTEXT_FILE), sequence)


class ClaimDetector:
    """Marks the claim sentences of a doc; see the module docstring for the scoring."""

    def __init__(
        self,
        models: ClaimModels | None,
        *,
        threshold: float | None,
        spans_key: str,
        strong_cues: bool = True,
    ) -> None:
        self.models = models
        self.strong_cues = strong_cues
        default = CENTRE if models else RULES_THRESHOLD
        self.threshold = default if threshold is None else threshold
        self.spans_key = spans_key

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """Claim scores for the sentences of one doc, in order."""
        cues = [cue_score(s) for s in sentences]
        scored = Scored(cues, False) if self.models is None else self.models.scores(sentences, cues)
        lift = self.strong_cues and not scored.biomedical
        return [self._adjust(s, p, lift) for s, p in zip(sentences, scored.scores, strict=True)]

    def _adjust(self, sentence: str, score: float, lift: bool) -> float:
        """Apply the rules that override the models: availability notes, strong claim cues (if ``lift``)."""
        if AVAILABILITY.search(sentence):
            return 0.0
        if lift and STRONG_CLAIM.search(sentence):
            return max(score, self.threshold)
        return score

    def __call__(self, doc: Doc) -> Doc:
        """Score the doc's sentences and store those at or above the threshold."""
        sentences = list(doc.sents)
        text = doc_text(doc)
        scores = self.score_sentences([text[s.start_char : s.end_char] for s in sentences])
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
        threshold: minimum score for a sentence to count as a claim; None takes CENTRE, where the tuned
            thresholds of the models lie (or RULES_THRESHOLD for cue rules only).
        strong_cues: lift sentences of non-biomedical abstracts with an unmistakable claim cue to the
            threshold.
        spans_key: the doc.spans key the claim sentences go to.

    Returns:
        The component.

    Raises:
        ModelError: ``model`` is a path that holds no loadable model.
    """
    return ClaimDetector(
        load_models(model), threshold=threshold, spans_key=spans_key, strong_cues=strong_cues
    )
