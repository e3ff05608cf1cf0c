"""Paper identity: arXiv ids, DOIs, normalised titles and the record keys built from them.

A paper reaches us from many sources that name it differently (an arXiv abs URL with a version, an arXiv
DOI, a publisher DOI in any case, or only a title). These functions map every spelling to one key so that
dedupe can recognise the same paper across files and formats.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# New-style ids (2007 on): yymm.number; old-style: archive[.SUBJECT]/yymmnnn.
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?/\d{7}"
_ARXIV = re.compile(
    r"(?:^(?:arxiv:)?|arxiv\.org/(?:abs|pdf|html)/|10\.48550/arxiv\.)"
    rf"(?P<id>{_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_NOT_WORD = re.compile(r"[\W_]+")
TITLE_HASH_CHARS = 16


def arxiv_id(value: str | None) -> str | None:
    """The arXiv id named by ``value``, without its version, or None when it names none.

    Accepts a bare id ("2505.19914v2", "arXiv:2505.19914", "hep-th/9901001"), an arxiv.org abs/pdf/html URL
    or an arXiv DOI ("10.48550/arXiv.2505.19914"), so any field that may hold one can be tried.

    Args:
        value: text from an id, URL or DOI field; None or "" gives None.

    Returns:
        The id without version, e.g. "2505.19914", or None.
    """
    if not value:
        return None
    match = _ARXIV.search(value.strip())
    return match.group("id") if match else None


def normalise_doi(value: str | None) -> str | None:
    """A DOI in canonical form (no resolver prefix, lower case), or None when ``value`` is not a DOI.

    DOIs are case-insensitive by definition, so lower-casing them makes "10.1000/ABC" and the resolver URL
    "https://doi.org/10.1000/abc" the same key. Some sources list several DOIs separated by spaces; the
    first one is kept.

    Args:
        value: a DOI, "doi:"-prefixed DOI or doi.org URL.

    Returns:
        e.g. "10.1000/abc", or None.
    """
    words = _DOI_PREFIX.sub("", value.strip()).split() if value else []
    doi = words[0].lower() if words else ""
    return doi if _DOI.match(doi) else None


def normalise_title(text: str) -> str:
    """Title text reduced to what identifies it: no case, accents, punctuation or spacing differences.

    Args:
        text: a title (or abstract) as read.

    Returns:
        Lower-case words separated by single spaces, e.g. "bert pre training of deep models".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


def title_key(title: str, abstract: str) -> str:
    """The ``title:<hash>`` key of a paper: a short stable hash of its normalised title.

    The abstract stands in when the title is empty, so untitled records still get a stable identity.

    Args:
        title: the title as read (may be empty).
        abstract: the abstract as read.

    Returns:
        "title:" followed by 16 hex characters of a SHA-1 digest.
    """
    basis = normalise_title(title) or normalise_title(abstract)
    digest = hashlib.sha1(basis.encode("utf-8"), usedforsecurity=False).hexdigest()
    return "title:" + digest[:TITLE_HASH_CHARS]


def record_keys(arxiv: str | None, doi: str | None, title: str) -> tuple[str, ...]:
    """Every key the paper can be known by, strongest first: "arxiv:<id>", "doi:<doi>", the title key.

    The first is the record id; the others are what the same paper was keyed by when an input gave fewer
    identifiers, which is how a later build recognises a paper stored under a weaker key (kg.store.write,
    through kg.rdf.triples.paper_aliases).

    Args:
        arxiv: arXiv id without version, if known.
        doi: normalised DOI, if known.
        title: the paper's title key (:func:`title_key`).

    Returns:
        One to three keys, the title key always last.
    """
    return (*strong_keys(arxiv, doi), title)


def strong_keys(arxiv: str | None, doi: str | None) -> tuple[str, ...]:
    """The keys of a paper's identifiers, strongest first: "arxiv:<id>", "doi:<doi>" (those known)."""
    ids = (arxiv and f"arxiv:{arxiv}", doi and f"doi:{doi}")
    return tuple(key for key in ids if key)


def record_id(arxiv: str | None, doi: str | None, title: str, abstract: str) -> str:
    """The id of a record: the strongest identifier known for the paper (the first of :func:`record_keys`).

    Returns:
        "arxiv:<id>", else "doi:<doi>", else the title key of ``title`` (``abstract`` when it is empty).
    """
    return record_keys(arxiv, doi, title_key(title, abstract))[0]
