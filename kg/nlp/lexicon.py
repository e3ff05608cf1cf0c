"""Word-list helper for the rule modules of kg.nlp."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a frozenset (keeps long word lists readable)."""
    return frozenset(text.split())
