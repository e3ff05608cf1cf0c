"""Scholarly-graph APIs: OpenAlex works and Semantic Scholar Graph API papers.

Each accepts a single object, a list, JSON Lines, or an API page ({"results": [...]} for OpenAlex,
{"data": [...]} for Semantic Scholar); see kg.ingest.jsondocs.
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.ingest.jsondocs import object_reader
from kg.ingest.records import Draft, optional_text, split_authors, text

OPENALEX = "openalex"
S2 = "s2"


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _mappings(value: object) -> list[Mapping[str, object]]:
    return [_mapping(item) for item in value] if isinstance(value, list) else []


def inverted_abstract(index: object) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index`` ({word: [positions]}).

    OpenAlex ships abstracts only in this form; words are put back at their positions and joined by single
    spaces (the original spacing is not recoverable).

    Args:
        index: the inverted index; anything that is not a mapping of word -> positions gives "".

    Returns:
        The abstract text, or "" when there is none.
    """
    placed: dict[int, str] = {}
    for word, positions in _mapping(index).items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int):
                placed[position] = word
    return " ".join(placed[position] for position in sorted(placed))


def openalex_draft(work: Mapping[str, object]) -> Draft:
    """A Draft from one OpenAlex work.

    Fields used: title (else display_name), abstract_inverted_index, doi (else ids.doi), ids.arxiv,
    publication_date, authorships[].author.display_name, primary_location.landing_page_url (else doi).
    """
    ids = _mapping(work.get("ids"))
    landing = _mapping(work.get("primary_location")).get("landing_page_url")
    return Draft(
        title=text(work.get("title")) or text(work.get("display_name")),
        abstract=inverted_abstract(work.get("abstract_inverted_index")),
        authors=split_authors(
            [_mapping(a.get("author")).get("display_name") for a in _mappings(work.get("authorships"))]
        ),
        date=optional_text(work.get("publication_date")),
        url=optional_text(landing) or optional_text(work.get("doi")),
        doi=optional_text(work.get("doi")) or optional_text(ids.get("doi")),
        arxiv=optional_text(ids.get("arxiv")),
        source_id=optional_text(work.get("id")),
    )


def s2_draft(paper: Mapping[str, object]) -> Draft:
    """A Draft from one Semantic Scholar Graph API paper.

    Fields used: paperId, title, abstract, externalIds.DOI, externalIds.ArXiv, authors[].name,
    publicationDate (else year), url.
    """
    external = _mapping(paper.get("externalIds"))
    return Draft(
        title=text(paper.get("title")),
        abstract=text(paper.get("abstract")),
        authors=split_authors([author.get("name") for author in _mappings(paper.get("authors"))]),
        date=optional_text(paper.get("publicationDate")) or optional_text(paper.get("year")),
        url=optional_text(paper.get("url")),
        doi=optional_text(external.get("DOI")),
        arxiv=optional_text(external.get("ArXiv")),
        source_id=optional_text(paper.get("paperId")),
    )


read_openalex = object_reader(OPENALEX, openalex_draft)
read_s2 = object_reader(S2, s2_draft)
