"""Paper-level relations and outperforms edges on small abstracts written for the purpose."""

from __future__ import annotations

import pytest
from fixtures.claims.abstracts import REASONNET, REASONNET_MENTIONS, annotate

from kg.nlp.claims import claims_from_doc
from kg.nlp.relations import outperforms, paper_relations, proposed_methods, unique
from kg.types import Claim, Relation, Span


def triples(relations: list[Relation]) -> set[tuple[str, str | None, str]]:
    """(type, head, tail) of each relation."""
    return {(r.type, r.head, r.tail) for r in relations}


def test_reasonnet_relations_with_evidence() -> None:
    doc, mentions = annotate(REASONNET, REASONNET_MENTIONS)
    _, relations, _ = claims_from_doc(doc, mentions, "abstract")
    assert triples(relations) == {
        ("proposes", None, "reasonnet"),
        ("addresses", None, "program synthesis"),
        ("uses", None, "codedata"),
        ("measuredBy", None, "accuracy"),
        ("evaluatesOn", None, "arc-agi"),
        ("outperforms", "reasonnet", "gpt-4"),
    }
    for relation in relations:
        evidence = relation.evidence
        assert REASONNET[evidence.start : evidence.end] == evidence.text
        assert relation.tail in evidence.text.lower()


@pytest.mark.parametrize(
    ("title", "proposed"),
    [
        ("DeepSeek-R1: Incentivizing Reasoning in LLMs via Reinforcement Learning", ["deepseek-r1"]),
        ("Scaling Laws for GPT-4 Style Models", []),
        ("Reinforcement Learning: A Survey with PPO", []),
        ("Secrets of PPO in Practice: Reward Modeling", []),
    ],
)
def test_title_prefix_proposes(title: str, proposed: list[str]) -> None:
    surfaces = (
        ("DeepSeek-R1", "Method"),
        ("GPT-4", "Method"),
        ("Reinforcement Learning", "Method"),
        ("PPO", "Method"),
    )
    doc, mentions = annotate(title, surfaces, field="title")
    assert [m.key for m in proposed_methods(mentions, doc.text, "title")] == proposed


@pytest.mark.parametrize(
    ("sentence", "proposed"),
    [
        ("We introduce ReasonNet, a recurrent architecture.", ["reasonnet"]),
        ("In this paper, we present ReasonNet for program synthesis.", ["reasonnet"]),
        ("This paper proposes a new framework called ReasonNet.", ["reasonnet"]),
        ("We propose Reinforced Fine-Tuning (ReFT) for reasoning.", ["reinforced fine-tuning"]),
        ("We propose a framework for reasoning based on GPT-4.", []),
        ("We fine-tune GPT-4 with ReasonNet-style prompts.", []),
        ("We introduce a suite of puzzles tailored for improving Large Language Models (LLMs).", []),
        ("Large Language Models (LLMs), such as GPT-4, excel at reasoning.", []),
        ("Building on this, we introduce Selective GPT-4, which filters data.", []),
    ],
)
def test_we_introduce_proposes(sentence: str, proposed: list[str]) -> None:
    surfaces = (
        ("ReasonNet", "Method"),
        ("GPT-4", "Method"),
        ("Reinforced Fine-Tuning", "Method"),
        ("Large Language Models", "Method"),
    )
    doc, mentions = annotate(sentence, surfaces)
    assert [m.key for m in proposed_methods(mentions, doc.text, "abstract")] == proposed


def test_proposed_method_is_not_also_used() -> None:
    text = "We introduce ReasonNet for planning. ReasonNet uses GPT-4 as its planner."
    doc, mentions = annotate(text, (("ReasonNet", "Method"), ("GPT-4", "Method")))
    _, relations, _ = claims_from_doc(doc, mentions, "abstract")
    assert triples(relations) == {("proposes", None, "reasonnet"), ("uses", None, "gpt-4")}


def test_dataset_is_evaluated_on_only_in_evaluation_sentences() -> None:
    text = "We pretrain on C4. Experiments on SQuAD show strong gains."
    doc, mentions = annotate(text, (("C4", "Dataset"), ("SQuAD", "Dataset")))
    relations = paper_relations(mentions, doc.text, "abstract")
    assert triples(relations) == {("uses", None, "c4"), ("evaluatesOn", None, "squad")}


def _claim(direction: str | None, negated: bool = False, subject: str | None = "ours") -> Claim:
    span = Span(0, 10, "0123456789", "abstract")
    return Claim(span, "comparison", 0.9, subject, ("base1", "base2"), direction=direction, negated=negated)


@pytest.mark.parametrize(
    ("claim", "edges"),
    [
        (_claim("better"), {("outperforms", "ours", "base1"), ("outperforms", "ours", "base2")}),
        (_claim("worse"), {("outperforms", "base1", "ours"), ("outperforms", "base2", "ours")}),
        (_claim("no difference"), set()),
        (_claim("better", negated=True), set()),
        (_claim("better", subject=None), set()),
    ],
)
def test_outperforms_follows_direction_and_negation(claim: Claim, edges: set) -> None:
    found = outperforms([claim])
    assert triples(found) == edges
    assert all(r.evidence == claim.span for r in found)


def test_consistently_surpasses_gives_outperforms_edges() -> None:
    text = (
        "We introduce SparseMoE, a mixture-of-experts language model. "
        "SparseMoE consistently surpasses Mixtral and LLaMA-2 on MMLU and GSM8K."
    )
    surfaces = (("SparseMoE", "Method"), ("Mixtral", "Method"), ("LLaMA-2", "Method"), ("MMLU", "Benchmark"))
    doc, mentions = annotate(text, surfaces)
    claims, relations, _ = claims_from_doc(doc, mentions, "abstract")
    assert [c.kind for c in claims] == ["comparison"]
    outperform = {(r.head, r.tail) for r in relations if r.type == "outperforms"}
    assert outperform == {("sparsemoe", "mixtral"), ("sparsemoe", "llama-2")}
    assert ("uses", None, "mixtral") not in triples(relations)


def test_unique_keeps_first_evidence() -> None:
    first, second = Span(0, 3, "abc", "abstract"), Span(4, 7, "def", "abstract")
    kept = unique([Relation("uses", None, "x", first), Relation("uses", None, "x", second)])
    assert kept == [Relation("uses", None, "x", first)]
