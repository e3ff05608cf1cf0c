"""Lexical cues for claim sentences: claim-likeness, kind, direction, hedging and negation.

Pure functions over sentence text (and, for negation, spaCy tokens), shared by the kg_claims component
(cue score blended with the trained classifier) and by :func:`kg.nlp.claims.claims_from_doc` (structure).
Patterns are case-insensitive regular expressions, kept here so they are read and tested in one place.
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["better", "worse", "no difference"]


def words(*alternatives: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any alternative as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


# A sentence that reports an outcome of the paper's own work.
RESULT_CUES = words(
    r"outperform\w*",
    r"surpass\w*",
    r"exceed\w*",
    r"beat(?:s|ing)?",
    r"achiev\w+",
    r"attain\w*",
    r"improv\w+",
    r"boost\w*",
    r"state[- ]of[- ]the[- ]art",
    r"SOTA",
    r"competitive",
    r"(?:results?|experiments?|evaluations?|analys[ie]s|findings|studies|study) "
    r"(?:show|demonstrate|indicate|suggest|reveal|confirm)\w*",
    r"we (?:show|demonstrate|find|found|observe|observed|confirm|reveal|establish|prove)",
    r"(?:show|shows|showed|shown|demonstrat\w+|reveal\w*|found|find|finds) that",
    r"significant(?:ly)?",
    r"(?:better|worse|higher|lower|faster|fewer|smaller|larger|stronger) than",
    r"effective(?:ly|ness)?",
    r"associated with",
    r"correlat\w+",
    r"led to|leads to|resulted in|results in",
    r"reduc\w+",
    r"increas\w+",
)
# Unmistakable claims in ML abstracts ("we show that ...", "X outperforms Y", "achieves 32.8% on ..."): the
# corpora often label an early "we show that" sentence as the aim, but on modern abstracts it is a claim.
STRONG_CLAIM = re.compile(
    r"\b(?:we|our (?:\w+ )?(?:results|experiments|analys[ie]s|findings|evaluations?|study)|experiments|"
    r"results|evaluations?)\s+(?:\w+\s+){0,2}?(?:show|prove|find|found|demonstrate|reveal|uncover|observe|confirm|"
    r"establish)\w*\s+(?:that|empirically|theoretically|both)\b"
    r"|\b(?:outperform|surpass)\w*"
    r"|\bachiev\w+\b[^.;]{0,80}\d"
    # a quantified change against a baseline: "improves accuracy on GSM8K by 4.2 points over LoRA"
    r"|\b(?:improv|boost|increas|reduc|rais|lower|cut)\w*\b[^;]{0,80}\d[^;]{0,60}"
    r"\b(?:over|than|relative to|compared (?:to|with))\b"
    # a change by a stated amount: "reducing training costs by >2000x", "cuts latency by 40%"
    r"|\b(?:improv|boost|increas|reduc|rais|lower|cut|accelerat|speed)\w*\b[^.;]{0,80}\bby\s+"
    r"(?:up to\s+|over\s+|more than\s+|nearly\s+|about\s+|[>~\u2248]\s*)?\d[\d.,]*\s*"
    r"(?:%|x\b|\u00d7|times\b|-?fold\b|points?\b|pp\b)"
    # "demonstrates significant improvements", "yields consistent gains"
    r"|\b(?:demonstrat|show|yield|deliver|bring|achiev|lead|provid|offer)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:significant|substantial|consistent|notable|considerable|large|strong|remarkable)\s+"
    r"(?:\w+\s+)?(?:improvements?|gains?|speed-?ups?|reductions?)\b"
    # "and (empirically) show that", "experimentally verify", "our finding is that"
    r"|\band\s+(?:\w+\s+)?(?:show|prove|demonstrate|find|reveal|observe|confirm|establish)s?\s+that\b"
    r"|\b(?:empirically|experimentally)\s+(?:show|demonstrate|prove|verify|validate|confirm|find)\w*\b"
    r"|\bour\s+(?:\w+\s+)?(?:findings?|results?)\s+(?:is|are|shows?|reveals?|indicates?|demonstrates?)\b",
    re.IGNORECASE,
)
# Sentences that are never claims: where to get code, data or models.
AVAILABILITY = re.compile(
    r"(?:code|data|models?|weights|datasets?|implementation|checkpoints?|resources?)\b[^.]{0,60}"
    r"(?:is|are|will be|have been|has been)\s+(?:publicly\s+|freely\s+|made\s+)*(?:available|released)"
    r"|https?://|github\.com|\bwe (?:release|open[- ]source)\b",
    re.IGNORECASE,
)
# Sentences that state the aim or the method ("In this paper, we propose ...") rather than an outcome.
AIM = re.compile(
    r"^\s*(?:in this (?:paper|work|study)|here),? we (?:propose|introduce|present|describe|study|"
    r"investigate|consider|address|focus|develop|explore)\b",
    re.IGNORECASE,
)

# The paper referring to its own method ("our model", "we", "the proposed approach", "it").
OWN_WORK = words(
    r"our",
    r"we",
    r"it",
    r"(?:the|this) (?:proposed |new |resulting )?"
    r"(?:method|model|approach|framework|system|algorithm|technique)",
)
COMPARISON = words(
    r"outperform\w*",
    r"surpass\w*",
    r"exceed\w*",
    r"beat(?:s|ing)?",
    # "faster than", "higher accuracy than", "more robust than" (not "rather than", "other than")
    r"(?!rather\b|other\b)(?:\w+er|more|less)(?:\s+[\w-]+){0,2}\s+than",
    # "improves accuracy on GSM8K by 4.2 points over LoRA", "gains over PPO"
    r"(?:improv\w*|gains?|boost\w*|advantages?|speed-?ups?)(?:\s+[^\s;]+){0,10}?\s+over",
    r"compared (?:to|with)",
    r"relative to",
    r"over (?:the )?(?:baselines?|prior|previous|existing|state)",
    r"underperform\w*",
    r"on par with",
    r"comparabl[ey]",
    r"rival\w*",
    r"match(?:es|ing)?",
    r"vs\.?",
    r"versus",
)
PERFORMANCE = words(
    r"achiev\w+",
    r"attain\w*",
    r"reach\w*",
    r"obtain\w*",
    r"scor\w+",
    r"state[- ]of[- ]the[- ]art",
    r"SOTA",
    r"accuracy",
    r"new record",
)
# "X is outperformed by Y": the subject comes after the cue, the baselines before it.
PASSIVE_COMPARISON = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:outperformed|surpassed|beaten|exceeded|"
    r"bested)\s+by\b",
    re.IGNORECASE,
)
# Words right before a compared method: "outperforms X", "better than X", "gains over X", "compared to X".
BASELINE_ANCHORS = words(
    r"outperform\w*",
    r"surpass\w*",
    r"exceed\w*",
    r"beat(?:s|ing)?",
    r"rival\w*",
    r"match(?:es|ing)?",
    r"than",
    r"over",
    r"compared (?:to|with)",
    r"relative to",
    r"against",
    r"versus",
    r"vs\.?",
    r"unlike",
    r"on par with",
)
BETTER = words(
    r"outperform\w*",
    r"surpass\w*",
    r"exceed\w*",
    r"beat(?:s|ing)?",
    r"improv\w+",
    r"boost\w*",
    r"better",
    r"superior",
    r"higher",
    r"faster",
    r"gains?",
    r"state[- ]of[- ]the[- ]art",
    r"advanc\w+",
    r"enhanc\w+",
    r"reduc\w+ (?:the )?(?:error|cost|latency|memory|hallucination)\w*",
)
WORSE = words(
    r"underperform\w*",
    r"worse",
    r"inferior",
    r"degrad\w+",
    r"drops?",
    r"lags? behind",
    r"fall(?:s)? short",
    r"struggl\w+",
    r"fail\w*",
)
NO_DIFFERENCE = words(
    r"comparabl[ey]",
    r"on par",
    r"similar(?:ly)?",
    r"no (?:significant |statistically significant )?(?:difference|improvement|change|effect|gain)s?",
    r"not significant(?:ly)?",
    r"(?:matches|matching|match)",
    r"equivalent",
    r"indistinguishable",
)
HEDGES = words(
    r"may",
    r"might",
    r"could",
    r"can potentially",
    r"potential(?:ly)?",
    r"possibl[ey]",
    r"likely",
    r"suggest\w*",
    r"appears? to",
    r"seems? to",
    r"perhaps",
    r"promising",
    r"hypothesi[sz]\w*",
)
# Negation of the claim itself, not any "not" ("not only ... but also", "requires no labels" are not).
NEGATIONS = re.compile(
    r"\b(?:(?:do|does|did|is|are|was|were|could|can|would|will|has|have|had)\s*n[o']t|not|never|cannot|"
    r"fail(?:s|ed)? to)(?!\s+only)\s+(?:\w+\s+){0,2}?"
    r"(?:improv|outperform|surpass|exceed|beat|help|benefit|increas|reduc|chang|affect|lead|result|differ|"
    r"significant|better|worse|superior|enhanc|boost|gain|generaliz|transfer|correlat|affect|alter)\w*"
    r"|\bno (?:statistically |clinically )?(?:significant |measurable |consistent |clear )?"
    r"(?:difference|improvement|change|effect|gain|benefit|association|correlation|evidence|advantage)s?\b"
    r"|\bneither\b.{0,80}\bnor\b",
    re.IGNORECASE,
)


def cue_score(text: str) -> float:
    """A rule score in [0, 1] for how claim-like a sentence reads, from cue phrases alone.

    Args:
        text: one sentence.

    Returns:
        0.0 for availability notes (never claims); else rising with the number of distinct result cues
        (0.2 for none, 0.6 for one, 0.9 for two or more), one step lower for aim sentences
        ("In this paper, we propose ...").
    """
    if AVAILABILITY.search(text):
        return 0.0
    hits = {m.group(0).lower() for m in RESULT_CUES.finditer(text)}
    if "%" in text:
        hits.add("%")
    levels = (0.2, 0.6, 0.9)
    level = min(len(hits), 2) - (1 if AIM.search(text) else 0)
    return 0.1 if level < 0 else levels[level]


def claim_kind(text: str, has_values: bool) -> Literal["comparison", "finding", "performance"]:
    """Comparison when the sentence compares, performance when it reports a level, else finding.

    Args:
        text: the claim sentence.
        has_values: whether the value parser found a value in it.

    Returns:
        The claim kind.
    """
    if COMPARISON.search(text):
        return "comparison"
    if has_values or PERFORMANCE.search(text):
        return "performance"
    return "finding"


def is_hedged(text: str) -> bool:
    """Whether the sentence softens its claim ("may", "suggests", "could", "potentially")."""
    return bool(HEDGES.search(text))


def is_negated(text: str) -> bool:
    """Whether the claim itself is negated ("does not improve", "no significant difference").

    Only a negation in front of an outcome word counts, so "not only ... but also" and "requires no
    labels" leave a claim positive.
    """
    return bool(NEGATIONS.search(text))


def direction(text: str, negated: bool) -> Direction | None:
    """The direction the claim states for its subject: better, worse or no difference.

    The first directional cue of the sentence decides: its main clause comes first, and a later cue
    usually qualifies it ("outperforms X and performs comparably to Y" is better; "nearly matches X while
    being faster" is no difference). A negated improvement ("does not improve", "no significant gain") or
    a negated deterioration ("does not degrade") is "no difference".

    Args:
        text: the claim sentence.
        negated: the result of :func:`is_negated` for it.

    Returns:
        The direction, or None when the sentence states none.
    """
    found = [
        (match.start(), name)
        for name, cue in (("no difference", NO_DIFFERENCE), ("better", BETTER), ("worse", WORSE))
        if (match := cue.search(text))
    ]
    if not found:
        return None
    first: Direction = min(found)[1]
    return "no difference" if negated else first
