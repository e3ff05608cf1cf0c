"""read_inputs as a whole: detection, --format override, directories, bad files, dedupe and the real seeds."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import FORMATS, IngestStats, dedupe, detect_format, read_inputs
from kg.types import Origin, Record, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
JSONL_LINE = '{"id": "%s", "title": "%s", "abstract": "An invented abstract."}\n'


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("daily_blocks.txt", "hf-daily"), ("daily_lines.txt", "hf-daily"), ("papers.jsonl", "jsonl"),
        ("papers.json", "json"), ("papers.csv", "csv"), ("feed.atom", "arxiv-atom"),
        ("snapshot.jsonl", "arxiv-snapshot"), ("openalex_page.json", "openalex"),
        ("openalex_work.json", "openalex"), ("s2_page.json", "s2"), ("refs.bib", "bibtex"),
    ],
)  # fmt: skip
def test_detects_format_from_content_even_under_a_misleading_name(
    tmp_path: Path, name: str, fmt: str
) -> None:
    assert detect_format(FIXTURES / name) == fmt
    renamed = tmp_path / "input.dat"
    shutil.copy(FIXTURES / name, renamed)
    assert detect_format(renamed) == fmt


def test_undetectable_content_falls_back_to_the_suffix_or_fails(tmp_path: Path) -> None:
    odd = tmp_path / "notes.bib"
    odd.write_text("nothing that looks like any format\n", encoding="utf-8")
    assert detect_format(odd) == "bibtex"
    odd_without_suffix = tmp_path / "notes.dat"
    odd.rename(odd_without_suffix)
    with pytest.raises(InputError, match=r"notes\.dat"):
        detect_format(odd_without_suffix)


def test_format_override_beats_detection(tmp_path: Path) -> None:
    path = tmp_path / "papers.txt"
    path.write_text(JSONL_LINE % ("x-1", "Forced Format"), encoding="utf-8")
    assert detect_format(path) == "jsonl"
    (record,) = read_inputs([path], fmt="json")
    assert isinstance(record, Record) and record.source == "json"
    with pytest.raises(InputError, match="unknown input format"):
        read_inputs([path], fmt="yaml")


def test_directories_are_walked_in_order_for_known_suffixes(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.jsonl").write_text(JSONL_LINE % ("x-2", "Two"), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(JSONL_LINE % ("x-1", "One"), encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an input\n", encoding="utf-8")
    (tmp_path / ".hidden.jsonl").write_text(JSONL_LINE % ("x-3", "Hidden"), encoding="utf-8")
    titles = [item.title for item in read_inputs([tmp_path]) if isinstance(item, Record)]
    assert titles == ["One", "Two"]


def test_missing_path_raises_before_reading_anything(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl"):
        read_inputs([FIXTURES / "papers.jsonl", tmp_path / "nope.jsonl"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so permissions cannot be tested")
def test_unreadable_path_raises(tmp_path: Path) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text(JSONL_LINE % ("x", "Locked"), encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match=r"locked\.jsonl"):
        read_inputs([path])


def test_binary_and_empty_files_are_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    binary = tmp_path / "a.jsonl"
    binary.write_bytes(b"line one\nPK\x03\x04\x00\x00 zipped")
    empty = tmp_path / "b.jsonl"
    empty.write_text("  \n\n", encoding="utf-8")
    good = tmp_path / "c.jsonl"
    good.write_text(JSONL_LINE % ("x", "Still Read"), encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    assert items[:2] == [
        Skipped(Origin(str(binary), 2), "binary file (NUL byte); not read"),
        Skipped(Origin(str(empty), 1), "empty file"),
    ]
    assert isinstance(items[2], Record) and items[2].title == "Still Read"


def test_undecodable_line_in_a_line_format_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = (JSONL_LINE % ("x-1", "First")).encode()
    bad = (JSONL_LINE % ("x-2", "Caf\udce9")).encode("utf-8", errors="surrogateescape")  # Latin-1 é
    path.write_bytes(good + bad + (JSONL_LINE % ("x-3", "Third")).encode())
    items = list(read_inputs([path]))
    assert [i.title for i in items if isinstance(i, Record)] == ["First", "Third"]
    (problem,) = [i for i in items if isinstance(i, Skipped)]
    assert problem.origin.line == 2 and "not valid UTF-8" in problem.reason


def test_undecodable_line_in_a_document_is_reported_and_read_leniently(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b'[\n{"title": "Caf\xe9", "abstract": "Kept."}\n]\n')
    problem, record = read_inputs([path])
    assert isinstance(problem, Skipped) and problem.origin.line == 2 and "replacement" in problem.reason
    assert isinstance(record, Record) and record.title == "Caf\ufffd"


def test_undecodable_title_in_a_daily_dump_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "daily.txt"
    abstract = "An invented abstract that is long enough to be taken for one. " * 6
    path.write_bytes(b"Daily Papers\n\nCaf\xe9 Title\n\n" + abstract.encode() + b"\n")
    items = list(read_inputs([path], fmt="hf-daily"))
    assert [(i.origin.line, i.reason.split(" (")[0]) for i in items] == [
        (3, "line is not valid UTF-8"),
        (5, "abstract without a title before it"),
    ]


def test_broken_json_document_is_one_skipped_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n{"title": "A", "abstract": "Read."},\n{"title": "B" "abstract": "x"}\n]\n')
    record, problem = read_inputs([path])
    assert isinstance(record, Record) and record.title == "A"
    assert isinstance(problem, Skipped) and problem.origin.line == 3 and "invalid JSON" in problem.reason


def test_dedupe_merges_one_paper_across_formats_and_identifiers() -> None:
    names = ["feed.atom", "papers.jsonl", "refs.bib", "s2_page.json", "openalex_page.json"]
    stats = IngestStats()
    kept = [i for i in dedupe(read_inputs([FIXTURES / n for n in names]), stats) if isinstance(i, Record)]
    sra = [r for r in kept if "routing adapters" in r.title.lower()]
    assert [(r.source, r.id) for r in sra] == [("arxiv-atom", "arxiv:2599.00011")]
    # jsonl (arXiv DOI), BibTeX (title only), S2 (arXiv id + DOI), OpenAlex (DOI only, title with a full stop)
    assert stats.duplicates == 4
    assert stats.read == len(kept) + 4
    assert stats.by_format["arxiv-atom"] == 1 and stats.by_format["openalex"] == 2
    assert len(stats.skipped) == 7  # atom 1, jsonl 2, bib 2, s2 1, openalex 1


def test_dedupe_merges_titles_across_text_and_csv() -> None:
    names = ["daily_blocks.txt", "daily_lines.txt", "papers.csv"]
    kept = [i for i in dedupe(read_inputs([FIXTURES / n for n in names])) if isinstance(i, Record)]
    assert [r.title for r in kept] == [
        "Lattice Prompting for Tabular Reasoning",
        "Gradient Echo: Cheap Curvature for Adaptive Optimisers",
        "Quiet Tokens: Pruning Attention Heads at Inference",
        "Does Scale Fix Spelling?",
        "Ledger Attention for Long Documents",
    ]


def test_same_title_with_different_arxiv_ids_is_two_papers() -> None:
    def record(arxiv: str | None, line: int) -> Record:
        key = f"arxiv:{arxiv}" if arxiv else "title:x"
        return Record(key, "Attention Is Enough", "Abstract.", "jsonl", Origin("f", line), arxiv_id=arxiv)

    items = [record("2599.00001", 1), record("2599.00002", 2), record(None, 3)]
    assert [r.origin.line for r in dedupe(items)] == [1, 2]


def test_stats_summary_names_every_count() -> None:
    stats = IngestStats()
    list(dedupe(read_inputs([FIXTURES / "papers.jsonl", FIXTURES / "s2_page.json"]), stats))
    assert (stats.read, stats.duplicates, stats.kept, len(stats.skipped)) == (4, 1, 3, 3)
    assert stats.summary() == "read 4 records (jsonl 3, s2 1), 1 duplicates merged, 3 papers kept, 3 skipped"


def test_formats_are_the_named_ones() -> None:
    assert set(FORMATS) == {
        "hf-daily", "jsonl", "json", "csv", "arxiv-atom", "arxiv-snapshot", "openalex", "s2", "bibtex",
    }  # fmt: skip


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS} (../shared is absent)")
def test_real_seeds_hold_282_records_and_233_papers() -> None:
    stats = IngestStats()
    kept = list(dedupe(read_inputs(sorted(SEEDS.glob("*.txt"))), stats))
    assert (stats.read, stats.kept, stats.skipped) == (282, 233, [])
    assert len(kept) == 233 and len({r.id for r in kept}) == 233
    assert all(isinstance(r, Record) and r.source == "hf-daily" and r.title and r.abstract for r in kept)


def test_example_corpus_reads_every_file_and_merges_its_one_duplicate() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    stats = IngestStats()
    kept = [i for i in dedupe(read_inputs([examples]), stats) if isinstance(i, Record)]
    assert set(stats.by_format) == {"jsonl", "bibtex", "arxiv-atom"}
    assert (stats.duplicates, stats.skipped) == (1, [])
    assert len({r.id for r in kept}) == len(kept) == stats.read - 1


def test_json_lines_with_records_longer_than_the_sniffed_start(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    refs = [f"https://openalex.org/W{n:010d}" for n in range(3000)]  # about 110 KB on one line
    works = [
        {"id": "W1", "title": "Long", "referenced_works": refs, "abstract_inverted_index": {"Long.": [0]}},
        {"id": "W2", "title": "Short", "abstract_inverted_index": {"Short.": [0]}},
    ]
    path.write_text("".join(json.dumps(work) + "\n" for work in works), encoding="utf-8")
    assert path.stat().st_size > 65536
    assert detect_format(path) == "openalex"
    records = list(read_inputs([path]))
    assert [(r.title, r.origin.line) for r in records] == [("Long", 1), ("Short", 2)]


def test_dedupe_streams_without_reading_ahead() -> None:
    def endless() -> Iterator[Record]:
        for n in itertools.count():
            yield Record(f"title:{n}", f"Paper {n}", "Abstract.", "jsonl", Origin("f", n + 1))

    first = list(itertools.islice(dedupe(endless()), 3))
    assert [r.title for r in first] == ["Paper 0", "Paper 1", "Paper 2"]
