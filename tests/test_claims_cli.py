"""`kg claims NAME`: claims about an entity, newest paper first, with titles and hedging/negation marks."""

from __future__ import annotations

import json

import pytest
from fixtures.query.helpers import ENTITY, invoke, small_store

from kg.errors import NotFoundError
from kg.query.claims import claims_about, date_key, format_claims


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "store"
    small_store(path)
    return path


@pytest.mark.parametrize(
    ("date", "key"),
    [
        ("2024-01-17", "2024-01-17"),
        ("2023-06", "2023-06"),
        ("March 2023", "2023-03"),
        ("published 5 Sep. 2021", "2021-09"),
        ("2019", "2019"),
        ("sometime", ""),
        (None, ""),
    ],
)
def test_date_key_orders_iso_and_worded_dates(date, key):
    assert date_key(date) == key


def test_claims_are_newest_first_with_undated_papers_last():
    claims = claims_about(small_store(), ENTITY + "gsm8k")
    assert [c.date for c in claims] == ["2024-01-17", "2022-03-21", None]
    assert claims[0].title == "ReFT: Reasoning with Reinforced Fine-Tuning" and claims[0].kind == "comparison"
    assert claims[0].confidence == pytest.approx(0.93) and claims[0].direction == "better"
    assert [c.date for c in claims_about(small_store(), ENTITY + "gsm8k", limit=1)] == ["2024-01-17"]


def test_text_marks_hedged_claims_and_undated_papers():
    text = format_claims(claims_about(small_store(), ENTITY + "cot"))
    assert "finding (hedged) · 2022-03-21 · Self-Consistency Improves" in text
    undated = format_claims(claims_about(small_store(), ENTITY + "rejection-ft"))
    assert "performance · undated · Rejection sampling fine-tuning for maths" in undated


def test_cli_lists_claims_as_text_and_json(disk_store):
    text = invoke(disk_store, "claims", "GSM-8K")
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == "3 claims about GSM8K (Benchmark)"
    data = json.loads(invoke(disk_store, "claims", "ImageNet", "--format", "json").output)
    assert data["entity"]["label"] == "ImageNet"
    assert [c["date"] for c in data["claims"]] == ["2023-06-05", "2023-01-02"]
    assert {"text", "kind", "hedged", "negated", "title", "paper"} <= set(data["claims"][0])
    assert (
        len(
            json.loads(invoke(disk_store, "claims", "gsm8k", "--limit", "2", "--format", "json").output)[
                "claims"
            ]
        )
        == 2
    )


def test_cli_names_that_do_not_resolve_exit_not_found(disk_store):
    ambiguous = invoke(disk_store, "claims", "RFT")
    assert ambiguous.exit_code == NotFoundError.exit_code and "ambiguous" in ambiguous.output
    assert invoke(disk_store, "claims", "RFT", "--type", "Method").exit_code == NotFoundError.exit_code
    assert invoke(disk_store, "claims", "xyzzy").exit_code == NotFoundError.exit_code


def test_claims_from_the_real_writer_sort_worded_dates_and_show_negation():
    from fixtures.rdf.sample import sample_store

    built = sample_store()
    gsm8k = claims_about(built, "https://w3id.org/kg/id/entity/gsm8k")
    assert [c.date for c in gsm8k] == ["2024-01-02", "March 2023"]  # ISO and worded dates interleave by time
    reft = claims_about(built, "https://w3id.org/kg/id/entity/reft")
    negated = [c for c in reft if c.negated]
    assert len(negated) == 1 and "does not beat" in negated[0].text
    assert "comparison (negated)" in format_claims(reft)
