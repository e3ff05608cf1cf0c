"""Names that look like entities but are outside kg's types: organisations and cited authors.

The trained model learnt capitalised names as Methods, so it also tags "OpenAI", "Facebook AI Research",
"University College London" and "Schüssler and Axhausen (2009)". Pure functions over a mention's surface
and key; kg.nlp.extract drops such mentions with the generic ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.nlp.canonical import key_of
from kg.nlp.lexicon import word_set

# Capitalised words that make a name an organisation's: last ("MIT Lincoln Laboratory", "Allen Institute")
# or first ("University of Toronto").
ORGANISATION_HEADS = word_set(
    "University Universities Institute Institutes Laboratory Laboratories Lab Labs Inc Inc. Corporation "
    "Corp Corp. Foundation Council Agency Ministry Department College Academy"
)
ORGANISATION_LEADS = word_set("University Institute Department Ministry")
# A citation: "(2009)", "(Smith, 2019)", "et al."
_CITATION = re.compile(r"\(\s*(?:[^()]*,\s*)?(?:19|20)\d\d[a-z]?\s*\)|\bet\s+al\b")


def organisation_keys(names: Iterable[str]) -> frozenset[str]:
    """The canonical keys of an organisation list (kg/data/organisations.txt)."""
    return frozenset(key_of(name) for name in names)


def is_outside(surface: str, key: str, organisations: frozenset[str]) -> bool:
    """Whether a mention names an organisation or cites authors rather than naming a research entity.

    Args:
        surface: the mention's text.
        key: its canonical key (an acronym's is its long form's, so "FAIR" counts when it abbreviates
            "Facebook AI Research").
        organisations: keys from :func:`organisation_keys`.

    Returns:
        True for a listed organisation (the whole name), a name headed or led by an organisation word, and
        a citation.
    """
    if key in organisations or _CITATION.search(surface):
        return True
    words = surface.split()
    return len(words) > 1 and (words[-1] in ORGANISATION_HEADS or words[0] in ORGANISATION_LEADS)
