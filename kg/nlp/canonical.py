"""Canonical entity keys: the normalised name that decides which graph node a mention belongs to.

Pure functions, no spaCy. Two surface forms get the same key when they differ only in

- case and unicode look-alikes (NFKC, curly quotes, the many unicode dashes);
- hyphenation and spacing: "fine tuning" / "fine-tuning" / "fine_tuning" become "fine tuning"; a hyphen or
  space between letters and digits disappears ("GPT-4" / "GPT 4" / "GPT4" -> "gpt4", "CIFAR-10" / "CIFAR10"),
  and bound prefixes join their word ("pre-training" / "pre training" / "pretraining" -> "pretraining");
- plural of the last word ("LLMs" -> "llm", "Transformers" -> "transformer"), except all-capital names
  ("TAGS") and words that only look plural ("analysis", "news", "robotics");
- leading determiners and possessives ("the", "our", "this") and a trailing generic head after a name
  ("GSM8K dataset" -> "gsm8k", "the MMLU benchmark" -> "mmlu"). The head is only stripped after a name
  (a capital letter or a digit), so "language model" keeps its head.

Keys stay readable (lower case, single spaces) because the graph derives entity IRIs from them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.nlp.lexicon import word_set

# Unicode hyphens, dashes and the minus sign, all folded to "-".
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_TRAILING_PARENS = re.compile(r"(?<=\S)\s*\([^()]*\)?\s*$")
_LEADING_WORD = re.compile(r"(\w+)[\s_\-]+(?=\w)")
_POSSESSIVE = re.compile(r"'s$|(?<=s)'$")
_EDGE_PUNCT = "-_ \t\n\"'()[]{}.,;:!?*"
DETERMINERS = word_set("the a an our their its this these those his her your my such each every both either")
# Trailing words that name what kind of thing a name is, not which one ("GSM8K dataset"), with how name-like
# the rest must be for the head to go: "any" capital or digit ("Penn Treebank corpus"), a "strong" name whose
# last word has an inner capital or a digit ("BERT model"; "Large Language Model" stays), or "always".
# A plural data head needs a strong name before it: "Supervised learning datasets" are datasets for
# supervised learning, "CIFAR-100 datasets" are CIFAR-100.
_ANY_HEADS = (
    "dataset corpus benchmark suite testbed collection leaderboard challenge",
    "data set|benchmark suite|evaluation suite|test set",
)
METHOD_HEADS = word_set(
    "model models method methods framework frameworks algorithm algorithms approach architecture"
)
GENERIC_HEADS: dict[str, str] = {
    **dict.fromkeys(_ANY_HEADS[0].split() + _ANY_HEADS[1].split("|"), "any"),
    **dict.fromkeys(
        [*METHOD_HEADS, "metric", "score", "datasets", "corpora", "benchmarks", "data sets"], "strong"
    ),
    **dict.fromkeys(["task", "tasks", "problem"], "always"),
}
# Words that introduce a generic phrase ("the proposed method", "baseline models"), and evaluative or
# descriptive adjectives that say how good, big or usual a thing is but not which thing it is ("weak
# models", "real-world problems", "frontier models"). Adjectives that name a kind ("computational
# complexity", "auxiliary loss", "robust optimization") are not here.
GENERIC_MODIFIERS = word_set(
    "proposed novel new existing previous prior current standard conventional traditional original simple "
    "strong sota other different various several many multiple same such general specific key main "
    "baseline overall whole entire typical popular common classical vanilla naive large small pre fine "
    "trained pretrained tuned finetuned downstream "
    "weak real-world generalist specialist generalizable limited large-scale superhuman foundational "
    "intelligent better established effective efficient powerful accurate scalable lightweight "
    "advanced modern recent diverse numerous few competitive promising practical challenging difficult "
    "important critical fundamental particular improved superior leading frontier high-quality "
    "widely-used well-known unseen certain broad extensive comprehensive rich massive huge capable "
    "sophisticated open-source proprietary closed-source commercial average"
)
# Heads that make a phrase of generic words a property of something, not a thing ("transfer ability").
PROPERTY_HEADS = word_set(
    "ability capability performance gap behavior behaviour property benefit issue effect quality efficiency "
    "bound power task problem setting scenario generalization"
)
# Heads that make any phrase an attribute or a situation of something rather than a method, dataset or
# task: "reasoning capability", "surface properties", "deception phenomenon", "low-data regime" (SciERC and
# SciREX annotate such phrases as OtherScientificTerm, if at all).
ATTRIBUTE_HEADS = word_set(
    "ability capability capacity property behavior behaviour phenomenon regime issue scenario"
)
_STATE_OF_THE_ART = re.compile(r"state[\s-]+of[\s-]+the[\s-]+art", re.IGNORECASE)
# Prefixes written joined, hyphenated or spaced ("pre-training", "pre training", "pretraining").
BOUND_PREFIXES = word_set("pre post re co non semi sub multi inter intra fine un")
# Words ending in "s" that are not plurals.
NOT_PLURAL = word_set(
    "news lens bias gas series species analysis synthesis thesis basis axis physics "
    "mathematics economics ethics robotics genomics linguistics statistics dynamics "
    "graphics semantics pragmatics mechanics optics diagnostics logistics kinetics "
    "atlas chaos corpus status focus consensus virus census bus plus minus versus "
    "previous various cross gauss iris mars always perhaps"
)


@dataclass(frozen=True)
class KeyResult:
    """A canonical key and why the surface text was folded into it.

    ``merged_by`` is "head-stripped" when a determiner or generic head was removed, "normalised" when the
    key differs from the plain lower-cased surface in any other way, and empty otherwise.
    """

    key: str
    merged_by: str


def fold_unicode(text: str) -> str:
    """NFKC, straight quotes and ASCII hyphens, so look-alike characters never split a key."""
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def singular(word: str) -> str:
    """The singular of one word as written (case kept).

    All-capital words stay ("TAGS", "MINDSTORES"), so do words with a digit and words that only look plural.
    A capitalised acronym with a lower-case "s" loses it ("LLMs" -> "LLM").

    Args:
        word: one word, any case.

    Returns:
        The singular form, or ``word`` unchanged.
    """
    lower = word.lower()
    if len(word) < 4 or not lower.endswith("s") or word.isupper() or any(c.isdigit() for c in word):
        return word
    if re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s", word):
        return word[:-1]
    if lower in NOT_PLURAL or lower.endswith(("ss", "us", "is", "ics", "ous", "'s")):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def _is_name_like(text: str, strength: str) -> bool:
    """Whether ``text`` is enough of a name for a generic head of the given strength to be dropped after it.

    Args:
        text: what precedes the head.
        strength: "any" (a capital or digit anywhere), "strong" (the last word has a digit or a capital
            after its first letter: "GPT-4", "LoRA", "BERT") or "always".
    """
    if strength == "always":
        return True
    if strength == "any":
        return any(c.isupper() or c.isdigit() for c in text)
    parts = re.split(r"[-/]", text.split()[-1])
    return any(any(c.isdigit() for c in p) or any(c.isupper() for c in p[1:]) for p in parts)


def strip_determiners(text: str) -> str:
    """Drop leading determiners and possessives: "the MMLU benchmark" -> "MMLU benchmark"."""
    while (match := _LEADING_WORD.match(text)) and match.group(1).lower() in DETERMINERS:
        text = text[match.end() :]
    return text


def strip_generic_head(text: str) -> str:
    """Drop a trailing generic head after a name: "GSM8K dataset" -> "GSM8K"; "language model" stays.

    Args:
        text: a surface form, determiners already stripped.

    Returns:
        The name without its head, or ``text`` unchanged when what precedes the head is not name-like
        enough (see GENERIC_HEADS).
    """
    lower = text.lower()
    for head, strength in GENERIC_HEADS.items():
        if lower.endswith((" " + head, "-" + head)):
            rest = text[: -len(head) - 1].rstrip(" -")
            if rest and _is_name_like(rest, strength):
                return strip_generic_head(rest)
    return text


def without_kind_head(text: str) -> tuple[str, str] | None:
    """``text`` split before a trailing kind word a method's name may carry ("Transformer model" ->
    ("Transformer", "model"), "fine-tuning approach" -> ("fine-tuning", "approach")); None when there is
    none. Whether the rest is a method is for the caller to know (kg.nlp.gazetteer.Gazetteer).
    """
    lower = text.lower()
    for head in METHOD_HEADS:
        if lower.endswith((" " + head, "-" + head)):
            rest = text[: -len(head) - 1].rstrip(" -")
            return (rest, head) if rest else None
    return None


def _join_parts(text: str) -> str:
    """Lower-case ``text`` and unify hyphens, underscores and spaces between its parts.

    Letters and digits join ("gpt-4" -> "gpt4", "cifar 10" -> "cifar10"), bound prefixes join their word
    ("pre-training" -> "pretraining"), every other separator becomes one space.
    """
    parts = [p for p in re.split(r"[\s_\-]+", text.lower()) if p]
    out = parts[:1]
    for part in parts[1:]:
        prev = out[-1]
        letter_digit = prev[-1].isalpha() != part[0].isalpha() and prev[-1].isalnum() and part[0].isalnum()
        if prev in BOUND_PREFIXES or (letter_digit and not (prev[-1].isdigit() and part[0].isdigit())):
            out[-1] = prev + part
        else:
            out.append(part)
    return " ".join(out)


def _last_word_singular(text: str) -> str:
    """``text`` with the last part of its last word made singular ("8K-LLMs" -> "8K-LLM")."""
    head, sep, last = text.rpartition(" ")
    stem, dash, tail = last.rpartition("-")
    return head + sep + stem + dash + singular(tail)


def canonical_key(text: str) -> KeyResult:
    """The canonical key of a surface form, with the reason for any folding.

    A trailing parenthesis is dropped first ("conditional random field (CRF)").

    Args:
        text: a mention's surface text as it appears in the paper.

    Returns:
        The key (lower case, single spaces; empty when nothing name-like is left) and ``merged_by``.
    """
    bare = _TRAILING_PARENS.sub("", fold_unicode(text))
    folded = _POSSESSIVE.sub("", bare.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    stripped = strip_generic_head(strip_determiners(folded))
    key = _join_parts(_last_word_singular(stripped))
    if stripped != folded:
        reason = "head-stripped"
    elif key != " ".join(text.lower().split()):
        reason = "normalised"
    else:
        reason = ""
    return KeyResult(key, reason)


def key_of(text: str) -> str:
    """Just the canonical key of ``text`` (see :func:`canonical_key`)."""
    return canonical_key(text).key


def _generic_parts(text: str) -> list[str]:
    """The singular, lower-case words of a phrase, hyphenated ones split into their parts unless the whole
    is a generic modifier ("real-world problems" -> real-world, problem; "fine-tuned" -> fine, tuned). Words
    are made singular before lower-casing, so "GPUs" is "gpu" (and "gpus" would stay)."""
    parts = []
    for word in text.split():
        whole = word.lower() in GENERIC_MODIFIERS
        parts += [word] if whole else [p for p in re.split(r"[\-_/]+", word) if p]
    return [singular(p).lower() for p in parts]


def is_generic(surface: str, generic_words: frozenset[str]) -> bool:
    """Whether a mention names no particular thing: "model", "our framework", "the proposed method".

    A single generic word is generic. A phrase of generic words only when it is introduced as one ("our",
    "this", "the", or a modifier such as "proposed", "novel", "baseline", "state-of-the-art", "weak",
    "real-world") or ends in a property ("model performance"), because "data representation" or "training
    strategy" are real (SciERC) terms while "our approach" and "weak models" are not. Any phrase headed by
    an attribute noun ("reasoning capabilities", "surface properties") names an attribute, not an entity.

    Args:
        surface: the mention's text.
        generic_words: lower-case, singular nouns that name no particular thing (kg/data/generic.txt).

    Returns:
        True for generic mentions and for surfaces with no words at all.
    """
    text = _STATE_OF_THE_ART.sub("sota", fold_unicode(surface))
    words = _generic_parts(text.strip(_EDGE_PUNCT))
    introduced = bool(words) and (words[0] in DETERMINERS or words[0] in GENERIC_MODIFIERS)
    content = [w for w in words if w not in DETERMINERS]
    if len(content) > 1 and content[-1] in ATTRIBUTE_HEADS:
        return True
    if not all(w in generic_words or w in GENERIC_MODIFIERS for w in content):
        return False
    return len(content) <= 1 or introduced or content[-1] in PROPERTY_HEADS
