"""Paper identity: arXiv ids, DOIs, title keys and the record id chosen from them."""

from __future__ import annotations

import pytest

from kg.ingest.identity import arxiv_id, normalise_doi, normalise_title, record_id, record_keys, title_key
from kg.ingest.records import Draft
from kg.types import Origin, Record, Skipped

ORIGIN = Origin("x.jsonl", 1)


@pytest.mark.parametrize(
    "value",
    [
        "2505.19914",
        "2505.19914v2",
        "arXiv:2505.19914v12",
        "http://arxiv.org/abs/2505.19914v2",
        "https://arxiv.org/pdf/2505.19914v1.pdf",
        "https://arxiv.org/abs/2505.19914/",
        "10.48550/arXiv.2505.19914",
        "https://doi.org/10.48550/ARXIV.2505.19914",
    ],
)
def test_arxiv_id_drops_version_from_every_spelling(value: str) -> None:
    assert arxiv_id(value) == "2505.19914"


def test_arxiv_id_reads_old_style_and_five_digit_ids() -> None:
    assert arxiv_id("hep-th/9901001v3") == "hep-th/9901001"
    assert arxiv_id("math.GT/0309136") == "math.GT/0309136"
    assert arxiv_id("http://arxiv.org/abs/1501.00001") == "1501.00001"


@pytest.mark.parametrize(
    "value", [None, "", "p-002", "10.1000/abc", "https://example.org/2505.19914", "2505.199", "x2505.19914"]
)
def test_arxiv_id_rejects_what_is_not_one(value: str | None) -> None:
    assert arxiv_id(value) is None


def test_doi_is_lower_cased_and_unprefixed() -> None:
    assert normalise_doi("10.1000/ABC.Def") == "10.1000/abc.def"
    assert normalise_doi("https://doi.org/10.1000/ABC") == "10.1000/abc"
    assert normalise_doi("http://dx.doi.org/10.1000/abc") == "10.1000/abc"
    assert normalise_doi("doi: 10.1000/abc") == "10.1000/abc"
    assert normalise_doi("10.1000/first 10.1000/second") == "10.1000/first"


@pytest.mark.parametrize("value", [None, "", "   ", "not a doi", "https://example.org/10.1000"])
def test_doi_rejects_what_is_not_one(value: str | None) -> None:
    assert normalise_doi(value) is None


def test_title_normalisation_ignores_case_accents_punctuation_and_spacing() -> None:
    assert normalise_title("  Schölkopf's  GPT-4V(ision)?\n") == normalise_title("scholkopf s gpt 4v ision")
    assert title_key("BERT: Pre-training", "a") == title_key("bert pre  training!", "b")
    assert title_key("BERT: Pre-training", "a") != title_key("BERT: Post-training", "a")


def test_title_key_uses_abstract_when_title_is_empty() -> None:
    assert title_key("", "Same abstract.") == title_key("  ", "same abstract")
    assert title_key("", "One abstract.") != title_key("", "Another abstract.")
    assert title_key("", "x").startswith("title:")


def test_record_id_prefers_arxiv_then_doi_then_title() -> None:
    assert record_id("2505.19914", "10.1/x", "T", "A") == "arxiv:2505.19914"
    assert record_id(None, "10.1/x", "T", "A") == "doi:10.1/x"
    assert record_id(None, None, "T", "A") == title_key("T", "A")


def test_record_keys_are_every_key_strongest_first_and_the_id_is_the_first() -> None:
    title = title_key("T", "A")
    assert record_keys("2505.19914", "10.1/x", title) == ("arxiv:2505.19914", "doi:10.1/x", title)
    assert record_keys("2505.19914", None, title) == ("arxiv:2505.19914", title)
    assert record_keys(None, None, title) == (title,)
    for arxiv, doi in (("2505.19914", "10.1/x"), (None, "10.1/x"), (None, None)):
        assert record_id(arxiv, doi, "T", "A") == record_keys(arxiv, doi, title)[0]


def test_draft_finds_arxiv_id_in_doi_url_or_source_id() -> None:
    from_doi = Draft("T", "A", doi="10.48550/arXiv.2505.19914").build("json", ORIGIN)
    from_url = Draft("T", "A", url="https://arxiv.org/abs/2505.19914v3").build("json", ORIGIN)
    from_id = Draft("T", "A", source_id="2505.19914v1").build("json", ORIGIN)
    assert isinstance(from_doi, Record) and isinstance(from_url, Record) and isinstance(from_id, Record)
    assert {from_doi.id, from_url.id, from_id.id} == {"arxiv:2505.19914"}
    assert from_doi.doi == "10.48550/arxiv.2505.19914"


def test_draft_strips_only_outer_whitespace_and_requires_an_abstract() -> None:
    record = Draft("  A  Title ", "\tBody  with  gaps.\n").build("json", ORIGIN)
    assert isinstance(record, Record)
    assert (record.title, record.abstract) == ("A  Title", "Body  with  gaps.")
    missing = Draft("Title only", "  \n").build("json", ORIGIN)
    assert missing == Skipped(ORIGIN, "missing abstract")
