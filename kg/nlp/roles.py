"""Type decisions that depend on wording: Dataset vs Benchmark, and the type a phrase's head word implies.

Pure functions on strings, so each decision is easy to test on its own.

Dataset vs Benchmark: a dataset that something is evaluated on ("on X", "X benchmark", "evaluate on X",
"accuracy on X", results reported on X) is a Benchmark; one that is trained on, collected, curated or
released is a Dataset. The cue nearest to the mention, in the same sentence, decides; with no cue, "on X"
means evaluation; otherwise the default (the gazetteer's or the extractor's) stands.
"""

from __future__ import annotations

import re

from kg.nlp.canonical import singular
from kg.nlp.claims_cues import BASELINE_ANCHORS, BETTER
from kg.nlp.lexicon import word_set

DATASET_OR_BENCHMARK = frozenset({"Dataset", "Benchmark"})
_TRAIN = (
    r"train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*|distill\w*|collect\w*|curat\w*|construct\w*|"
    r"releas\w*|built|build\w*|deriv\w*|sampl\w*|scrap\w*|annotat\w*|crawl\w*|augment\w*|synthesi[sz]\w*|"
    r"learn\w*|supervis\w*|mix\w*|introduc\w*|present\w*|contain\w*|consist\w*|comprising|compris\w*"
)
_EVAL = (
    r"evaluat\w*|test\w*|benchmark\w*|assess\w*|measur\w*|report\w*|achiev\w*|outperform\w*|surpass\w*|"
    r"results?|accuracy|performance|scor\w*|state-of-the-art|sota|gains?|improv\w*|zero-shot|few-shot|"
    r"experiments?|validat\w*|verif\w*|exceed\w*|beat\w*|reach\w*|obtain\w*|perform\w*"
)
_CUE = re.compile(rf"\b(?:(?P<train>{_TRAIN})|(?P<eval>{_EVAL}))\b", re.IGNORECASE)
_ON_BEFORE = re.compile(r"\b(?:on|across|over)\s+(?:the\s+|both\s+|all\s+|several\s+)?$", re.IGNORECASE)
_EVAL_AFTER = re.compile(r"^[\s-]*(?:benchmarks?|leaderboards?|test\s+(?:set|split)s?)\b", re.IGNORECASE)
_TRAIN_AFTER = re.compile(r"^[\s-]*(?:training\s+(?:set|split|data)|train\s+split)\b", re.IGNORECASE)
_CUE_WINDOW = 80


# "improves top-1 accuracy by 0.8 points over DeiT-S", "is 2x faster than X": what follows a baseline anchor
# (the claim cues' "over", "than", "outperforms", "compared to"...) in a sentence that claims a gain is the
# baseline, a method, not the dataset it was measured on. The claim parser reads baselines with the same cues.
_COMPARED_TO = re.compile(rf"(?:{BASELINE_ANCHORS.pattern})\s+(?:the\s+)?$", re.IGNORECASE)


def compared_against(before: str) -> bool:
    """Whether a mention right after ``before`` (its sentence up to the mention) is what a claimed gain is
    measured against ("... improves accuracy by 0.8 points over DeiT-S")."""
    return bool(_COMPARED_TO.search(before) and BETTER.search(before))


def dataset_role(before: str, mention: str, after: str, default: str) -> str:
    """Whether a dataset mention is used as a Benchmark or a Dataset in its sentence.

    Args:
        before: the sentence text before the mention.
        mention: the mention's surface text.
        after: the sentence text after the mention.
        default: the type to keep when the sentence gives no cue ("Dataset" or "Benchmark").

    Returns:
        "Benchmark" or "Dataset".
    """
    if re.search(r"\bbenchmarks?\b", mention, re.IGNORECASE) or _EVAL_AFTER.match(after):
        return "Benchmark"
    if _TRAIN_AFTER.match(after):
        return "Dataset"
    cues = list(_CUE.finditer(before[-_CUE_WINDOW:]))
    if cues:
        return "Dataset" if cues[-1].group("train") else "Benchmark"
    if _ON_BEFORE.search(before):
        return "Benchmark"
    return default


# Head words (the last word of a phrase) that tell its type; checked in this order.
HEAD_TYPES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Benchmark", word_set("benchmark benchmarks bench eval arena leaderboard")),
    ("Dataset", word_set("dataset datasets corpus corpora treebank")),
    (
        "Metric",
        word_set("score accuracy error precision recall distance rate f1 auc divergence similarity"),
    ),
    (
        "Task",
        word_set(
            "recognition detection segmentation classification answering translation "
            "summarization parsing captioning tagging extraction forecasting localization "
            "retrieval tracking estimation synthesis completion understanding reasoning "
            "generation"
        ),
    ),
    (
        "Method",
        word_set(
            "learning tuning fine-tuning finetuning optimization network networks model models "
            "transformer transformers attention algorithm framework architecture encoder decoder "
            "autoencoder search sampling decoding distillation regularization normalization "
            "descent embedding embeddings machine machines forest regression adaptation alignment "
            "prompting pruning quantization merging policy agent agents memory minimization"
        ),
    ),
)


# Kind nouns: as the head of a phrase of two words or more they name what the phrase is, whatever else it
# says ("annotated sketch-photo datasets", "glimpse measures", "maximum set coverage problem"). In the
# SciERC and SciREX training annotations over 90% of phrases with one of these heads carry this type. The
# exception is "benchmark": rare there (10 phrases, half Material), it is how today's ML abstracts name their
# test sets ("puzzle reasoning benchmarks"), which the model otherwise labels Method; the dataset's use in
# the sentence then decides Dataset or Benchmark. (SciERC dev, SciREX dev and held-out SciREX micro-F1 each
# rose by 0.000-0.004 with the heads added on 23 Nov.)
KIND_HEADS: dict[str, str] = {
    **dict.fromkeys(word_set("dataset corpus corpora treebank benchmark"), "Dataset"),
    **dict.fromkeys(word_set("measure metric accuracy rate score complexity quality"), "Metric"),
    **dict.fromkeys(
        word_set(
            "task problem recognition detection identification verification answering prediction "
            "understanding estimation retrieval generation summarization"
        ),
        "Task",
    ),
    **dict.fromkeys(
        word_set(
            "model method approach technique algorithm framework network architecture classifier parser "
            "strategy mechanism module procedure scheme paradigm policy pipeline"
        ),
        "Method",
    ),
}
_PREPOSITION = re.compile(r"\s+(?:with|for|from|of|on|in|via|by|using|under|to)\s+")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)?\s*$")


def head_phrase(phrase: str) -> str:
    """The part of a noun phrase before its first preposition, where the head noun is."""
    return _PREPOSITION.split(phrase.strip())[0]


def type_from_kind_head(phrase: str) -> str | None:
    """The type a phrase's kind noun gives it ("Japanese Dictionary Task" -> Task), for a phrase of two
    words or more; a model's label for the phrase gives way to it.

    Args:
        phrase: a noun phrase as it appears in the text.

    Returns:
        "Dataset", "Metric", "Task" or "Method", or None when the head is no kind noun (or stands alone).
    """
    words = re.split(r"[\s\-]+", _TRAILING_PARENS.sub("", head_phrase(phrase)).strip())
    if len(words) < 2:
        return None
    return KIND_HEADS.get(singular(words[-1]).lower())


def type_from_head(phrase: str) -> str | None:
    """The entity type a phrase's last word implies, e.g. for the long form of an acronym.

    The head is the last word before a preposition: "Reinforcement Learning with Verifiable Rewards" is a
    Method by "learning". A generation that is "-augmented" or "-guided" is a Method ("Retrieval-Augmented
    Generation"), any other generation a Task ("Text Generation").

    Args:
        phrase: a noun phrase ("Robust Fine-Tuning", "Open Graph Benchmark").

    Returns:
        "Method", "Dataset", "Benchmark", "Task", "Metric", or None when the head says nothing.
    """
    words = head_phrase(phrase).lower().replace("\u2011", "-").split()
    if not words:
        return None
    last = words[-1]
    if last == "generation" and len(words) > 1 and words[-2].endswith(("augmented", "guided")):
        return "Method"
    last_part = last.rsplit("-", 1)[-1]
    for type_, heads in HEAD_TYPES:
        if last in heads or last_part in heads:
            return type_
    return None
