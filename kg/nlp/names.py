"""Word shapes of names and where a name's boundaries really are.

Pure functions on strings. A model name is often written as one hyphenated word: "Qwen2.5-32B-Instruct",
"R1-Distill-Qwen-7B", "GPT-4o", "CIFAR-10-C". A gazetteer hit on "Qwen" or "GPT" is therefore extended over
the version parts glued to it (digits, capitalised parts, size and variant words such as "mini", "base",
"instruct"), but not over a descriptive suffix ("LLM-based", "CLIP-like", "SFT-trained"), and never inside a
URL or a file path.
"""

from __future__ import annotations

import re

from kg.nlp.lexicon import word_set

# Lower-case parts that still belong to a model name when glued with a hyphen ("o3-mini-high", "BERT-base").
VARIANT_WORDS = word_set(
    "mini high low medium large small base tiny nano micro xl xxl instruct chat "
    "turbo preview pro plus lite flash max ultra coder math vision distill it hf "
    "sft rl zero exp omni"
)
_CHUNK_AFTER = re.compile(r"[-\u2010\u2011]([\w.]*\w)")
_CHUNK_BEFORE = re.compile(r"([\w.]*\w)[-\u2010\u2011]$")
_VERSION = re.compile(r"[\w.]*\w")
_GLUED_SENTENCE = re.compile(r"[a-z]{2}\.[A-Z]")  # "improvements.The": a missing space, not a name
_URLISH = re.compile(r"://|www\.|\.(?:com|org|io|net|html?|py)\b|github|huggingface\.co|@[\w-]+\.\w")


def _keeps_name(chunk: str) -> bool:
    """Whether a hyphen-glued part continues a name: a digit, a capital, a variant word or "v2"."""
    return (
        chunk[0].isdigit()
        or chunk[0].isupper()
        or chunk.lower() in VARIANT_WORDS
        or bool(re.fullmatch(r"v\d[\w.]*", chunk))
    )


def extend_name(text: str, start: int, end: int, *, family: bool = False) -> tuple[int, int]:
    """The full extent of a name found at ``text[start:end]``, over the version parts glued to it.

    Args:
        text: the field text.
        start: start offset of the hit.
        end: end offset of the hit.
        family: the hit is a model family that may run straight into a version ("Qwen" + "2.5").

    Returns:
        ``(start, end)`` of the extended name.
    """
    if family and end < len(text) and text[end].isalnum():
        end = _VERSION.match(text, end).end()
    while (after := _CHUNK_AFTER.match(text, end)) and _keeps_name(after.group(1)):
        end = after.end()
    while (before := _CHUNK_BEFORE.search(text, 0, start)) and (
        before.group(1)[0].isupper() or before.group(1)[0].isdigit()
    ):
        if before.start() > 0 and text[before.start() - 1].isalnum():
            break
        start = before.start()
    return start, end


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited word(s) around ``text[start:end]``."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right_match = re.compile(r"\s").search(text, end)
    return left, right_match.start() if right_match else len(text)


def in_url(text: str, start: int, end: int) -> bool:
    """Whether the span lies inside a URL, an e-mail address or a file name."""
    left, right = word_bounds(text, start, end)
    return bool(_URLISH.search(text[left:right]))


def is_strong_name(word: str) -> bool:
    """A word that can only be a name: a capital after its first letter ("ImageNet", "MMLU", "LoRA") or
    letters mixed with digits ("GSM8K", "T5", "o1"); at least two letters; not a bare size ("7B").
    """
    if _GLUED_SENTENCE.search(word):
        return False
    letters = sum(c.isalpha() for c in word)
    if letters < 2 and not (word[:1].isalpha() and any(c.isdigit() for c in word)):
        return False
    if any(c.isdigit() for c in word):
        return word[0].isalpha() or bool(re.search(r"[A-Za-z]{2}", word))
    return any(c.isupper() for c in word[1:])


def is_title_word(word: str) -> bool:
    """A capitalised word that is not all capitals ("Enigmata", "Cityscapes")."""
    return word[:1].isupper() and not word.isupper()
