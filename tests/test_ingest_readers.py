"""Each reader on its own fixture: fields, origins (file and 1-based line) and malformed records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import FORMATS, read_inputs
from kg.types import Record, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(name: str, fmt: str | None = None) -> tuple[list[Record], list[Skipped]]:
    items = list(read_inputs([FIXTURES / name], fmt=fmt))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Skipped)]


def lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").split("\n")


def skipped_at(skipped: list[Skipped]) -> list[tuple[int, str]]:
    return [(s.origin.line, s.reason) for s in skipped]


@pytest.mark.parametrize("name", ["daily_blocks.txt", "daily_lines.txt"])
def test_hf_daily_text_is_exactly_the_input_line(name: str) -> None:
    records, _ = read(name)
    source = lines(name)
    assert records
    for record in records:
        title_line = source[record.origin.line - 1].strip()
        assert title_line.endswith(record.title)
        assert record.abstract in (line.strip() for line in source[record.origin.line :])
        assert record.source == "hf-daily"


def test_hf_daily_blocks_drop_chrome_and_report_a_lone_title() -> None:
    records, skipped = read("daily_blocks.txt")
    assert [r.title for r in records] == [
        "Lattice Prompting for Tabular Reasoning",
        "Gradient Echo: Cheap Curvature for Adaptive Optimisers",
    ]
    assert "  Gradient Echo reuses" in records[1].abstract  # inner double space kept
    assert skipped_at(skipped) == [(17, "title without an abstract after it")]


def test_hf_daily_lines_unglue_banner_and_report_a_lone_abstract() -> None:
    records, skipped = read("daily_lines.txt")
    assert records[0].title == "Quiet Tokens: Pruning Attention Heads at Inference"
    assert records[0].origin.line == 3
    assert records[1].title == "Does Scale Fix Spelling?"
    assert records[1].abstract.startswith("Short abstracts exist too.")
    assert skipped_at(skipped) == [(7, "abstract without a title before it")]
    assert len(records) == 3


def test_jsonl_reads_fields_and_reports_bad_lines_then_goes_on() -> None:
    records, skipped = read("papers.jsonl")
    assert [r.origin.line for r in records] == [1, 2, 6]
    prism, sra, untitled = records
    assert prism.id == "arxiv:2599.00021" and prism.arxiv_id == "2599.00021"
    assert prism.abstract == lines("papers.jsonl")[0].split('"abstract": "')[1].split('", "authors"')[0]
    assert prism.authors == ("Ada Quill", "Ben Ostrow") and prism.date == "2026-01-05"
    assert sra.id == "arxiv:2599.00011" and sra.source_id == "p-002"
    assert untitled.title == "" and untitled.id == "doi:10.5555/untitled.case"
    assert [line for line, _ in skipped_at(skipped)] == [3, 4]
    assert skipped[0].reason.startswith("invalid JSON") and skipped[1].reason == "missing abstract"


def test_json_array_items_carry_their_own_line() -> None:
    records, skipped = read("papers.json")
    assert [(r.source_id, r.origin.line) for r in records] == [("j-1", 2), ("j-3", 10)]
    assert records[0].authors == ("Cy Darrow", "Dee Elm")
    assert records[0].url == "https://example.org/mirror"
    assert skipped_at(skipped) == [(9, "missing abstract")]


def test_csv_matches_header_case_insensitively_and_keeps_quoted_line_breaks() -> None:
    records, skipped = read("papers.csv")
    assert [(r.source_id, r.origin.line) for r in records] == [("c-1", 2), ("c-3", 6)]
    assert (
        records[0].abstract
        == "Quiet Tokens prunes attention heads\nwhose outputs barely change the residual stream."
    )
    assert records[0].authors == ("Eve Ford", "Finn Gale")
    assert records[1].id == "doi:10.5555/ledger"
    assert skipped_at(skipped) == [(4, "missing abstract")]


def test_csv_without_abstract_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("title,summary\nA,B\n", encoding="utf-8")
    (problem,) = read_inputs([path], fmt="csv")
    assert isinstance(problem, Skipped) and problem.origin.line == 1 and "abstract" in problem.reason


def test_atom_collapses_api_wrapping_and_keys_on_arxiv_id() -> None:
    records, skipped = read("feed.atom")
    (sra,) = records
    assert sra.title == "Sparse Routing Adapters for Multilingual Retrieval"
    assert sra.abstract.startswith(
        "Sparse Routing Adapters (SRA) send each query through two of sixteen small"
    )
    assert "LoRA & prefix tuning." in sra.abstract
    assert (sra.id, sra.source_id) == ("arxiv:2599.00011", "http://arxiv.org/abs/2599.00011v2")
    assert (sra.authors, sra.date, sra.doi) == (("Gia Hart", "Ivo Jensen"), "2026-01-15", "10.5555/sra.2026")
    assert sra.origin.line == 8
    assert skipped_at(skipped) == [(27, "missing abstract")]


def test_arxiv_snapshot_reads_string_authors_and_old_ids() -> None:
    records, skipped = read("snapshot.jsonl")
    new, old = records
    assert (new.id, new.title) == ("arxiv:2599.00031", "Curriculum Dropout for Speech Recognition")
    assert new.abstract == "Curriculum Dropout raises the dropout rate as training proceeds."
    assert new.authors == ("Mo Nash", "Ola Pike", "Raj Quinn")
    assert (new.date, new.doi) == ("2026-01-06", "10.5555/curdrop")
    assert old.id == "arxiv:hep-th/9901001"
    assert not skipped


def test_openalex_page_rebuilds_abstract_from_inverted_index() -> None:
    records, skipped = read("openalex_page.json")
    sra, elastic = records
    assert sra.abstract == "Sparse Routing Adapters adapters route queries."
    assert (sra.id, sra.url, sra.origin.line) == ("doi:10.5555/sra.2026", "https://example.org/sra", 4)
    assert sra.authors == ("Gia Hart", "Ivo Jensen")
    assert (elastic.title, elastic.id) == ("Elastic Vocabularies", "arxiv:2599.00041")
    assert skipped_at(skipped) == [(25, "missing abstract")]


def test_openalex_single_work() -> None:
    (work,), skipped = read("openalex_work.json")
    assert (work.title, work.abstract, work.id) == (
        "A Single Work",
        "One work, one record.",
        "doi:10.5555/work.4",
    )
    assert not skipped


def test_semantic_scholar_page_uses_external_ids() -> None:
    records, skipped = read("s2_page.json")
    (sra,) = records
    assert (sra.id, sra.doi, sra.date) == ("arxiv:2599.00011", "10.5555/sra.2026", "2026")
    assert sra.source_id == "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    assert skipped_at(skipped) == [(9, "missing abstract")]


def test_semantic_scholar_list_of_papers(tmp_path: Path) -> None:
    path = tmp_path / "s2.json"
    path.write_text(
        '[{"paperId": "abc", "title": "T", "abstract": "A.", "externalIds": {"DOI": "10.1234/Q"}}]'
    )
    (record,) = read_inputs([path])
    assert isinstance(record, Record) and (record.source, record.id) == ("s2", "doi:10.1234/q")


def test_bibtex_strips_latex_and_reports_entries_without_abstract() -> None:
    records, skipped = read("refs.bib")
    sra, echo = records
    assert sra.title == "Sparse Routing Adapters for Multilingual Retrieval"
    assert sra.abstract == (
        "Sparse Routing Adapters (SRA) route queries through two of sixteen adapters and beat LoRA by "
        "3.1 points on R&D benchmarks."
    )
    assert (sra.authors, sra.date, sra.source_id, sra.origin.line) == (
        ("Hart, Gia", "Jensen, Ivo"),
        "2026",
        "hart2026sra",
        4,
    )
    assert echo.title == "Gradient Echo for Schödinger-style Optimisers"
    assert echo.id == "arxiv:2599.00051"
    assert skipped_at(skipped)[0] == (14, "missing abstract")
    assert skipped[1].origin.line == 20 and skipped[1].reason.startswith("BibTeX block not parsed")


def test_every_format_has_a_fixture_that_it_reads() -> None:
    fixtures = {
        "hf-daily": "daily_lines.txt", "jsonl": "papers.jsonl", "json": "papers.json", "csv": "papers.csv",
        "arxiv-atom": "feed.atom", "arxiv-snapshot": "snapshot.jsonl", "openalex": "openalex_work.json",
        "s2": "s2_page.json", "bibtex": "refs.bib",
    }  # fmt: skip
    assert set(fixtures) == set(FORMATS)
    for fmt, name in fixtures.items():
        records, _ = read(name, fmt=fmt)
        assert records and {r.source for r in records} == {fmt}


def test_json_sentences_give_sentence_starts_but_never_their_labels(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    raw = "  Title Words Here Body starts. Next one."
    body, following = raw.index("Body"), raw.index("Next")
    row = {
        "id": "scirex:1",
        "abstract": raw,
        "sentences": [{"start": body, "label": "result"}, {"start": "x"}, "junk", {"start": following}],
    }
    path.write_text(json.dumps(row) + "\n" + json.dumps({**row, "sentences": "none"}) + "\n")
    (first, second), skipped = read(path)
    assert not skipped
    # offsets follow the abstract as kept (outer whitespace stripped); labels are not read at all
    assert [first.abstract[s:][:4] for s in first.sentence_starts] == ["Body", "Next"]
    assert second.sentence_starts == ()
