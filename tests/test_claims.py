"""Claims: cue rules (kind, direction, hedging, negation), the kg_claims component and claims_from_doc."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from fixtures.claims.abstracts import REASONNET, REASONNET_MENTIONS, annotate, light_pipeline

from kg.errors import ModelError
from kg.nlp import claims_cues as cues
from kg.nlp.claims import claims_from_doc, results
from kg.nlp.claims_component import BUILTIN, MODEL_DIR, ClaimDetector, classifier_text, load_models


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X consistently surpasses Y on MATH.", "better"),
        ("Our model outperforms all baselines by 3 points.", "better"),
        ("The distilled model underperforms the teacher on long inputs.", "worse"),
        ("Accuracy degrades sharply beyond 8k tokens.", "worse"),
        ("It performs on par with GPT-4 at a tenth of the cost.", "no difference"),
        ("There was no significant difference between the two arms.", "no difference"),
        ("Fine-tuning does not improve robustness.", "no difference"),
        ("We describe the data collection protocol.", None),
        ("Better accuracy is reached by diversifying the data while keeping its size similar.", "better"),
        ("It nearly matches GPT-4 while being faster.", "no difference"),
        ("Ours outperforms X and performs comparably to Y.", "better"),
    ],
)
def test_direction(text: str, expected: str | None) -> None:
    assert cues.direction(text, cues.is_negated(text)) == expected


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Fine-tuning does not improve robustness.", True),
        ("Pretraining did not significantly outperform random initialisation.", True),
        ("We found no significant association with mortality.", True),
        ("The method fails to generalize to unseen domains.", True),
        ("It not only improves accuracy but also halves latency.", False),
        ("It requires no labels and outperforms BERT.", False),
        ("Our model outperforms GPT-4.", False),
    ],
)
def test_negation(text: str, negated: bool) -> None:
    assert cues.is_negated(text) is negated


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("These results suggest that scale helps.", True),
        ("The approach may reduce hallucinations.", True),
        ("Such models could potentially replace annotators.", True),
        ("X outperforms Y on all benchmarks.", False),
    ],
)
def test_hedging(text: str, hedged: bool) -> None:
    assert cues.is_hedged(text) is hedged


@pytest.mark.parametrize(
    ("text", "has_values", "kind"),
    [
        ("X consistently surpasses Y.", False, "comparison"),
        ("X is 3x faster than Y.", True, "comparison"),
        ("Our model achieves 32.8% on ARC-AGI.", True, "performance"),
        ("X reaches state-of-the-art results on GLUE.", False, "performance"),
        ("We find that attention heads specialise early in training.", False, "finding"),
    ],
)
def test_kind(text: str, has_values: bool, kind: str) -> None:
    assert cues.claim_kind(text, has_values) == kind


def test_cue_score_orders_sentences() -> None:
    result = cues.cue_score("Experiments show that X outperforms Y by 3%.")
    method = cues.cue_score("We train the encoder with a contrastive loss.")
    aim = cues.cue_score("In this paper, we propose a new loss.")
    assert result > method > aim > cues.cue_score("Code is available at https://github.com/a/b.") == 0.0


def test_classifier_text_marks_position() -> None:
    assert classifier_text("S.", 0, 5).startswith("kgposfirst kgquarter0 ")
    assert classifier_text("S.", 4, 5).startswith("kgposlast kgquarter3 ")
    assert classifier_text("S.", 2, 5).startswith("kgposmid kgquarter1 ")


def test_component_keeps_whole_claim_sentences_with_scores() -> None:
    doc, _ = annotate(REASONNET, ())
    group = doc.spans["kg_claims"]
    assert [s.text for s in group] == [
        "ReasonNet achieves 32.8% accuracy on ARC-AGI, outperforming GPT-4 by 4.2 points."
    ]
    assert len(group.attrs["scores"]) == len(group)
    assert all(0.5 <= score <= 1.0 for score in group.attrs["scores"])
    assert {s.start for s in group} <= {s.start for s in doc.sents}


def test_claims_from_doc_structures_a_comparison() -> None:
    doc, mentions = annotate(REASONNET, REASONNET_MENTIONS)
    claims, _, _ = claims_from_doc(doc, mentions, "abstract")
    (claim,) = claims
    assert claim.span.text == REASONNET[claim.span.start : claim.span.end]
    assert claim.kind == "comparison"
    assert claim.subject == "reasonnet"
    assert claim.baselines == ("gpt-4",)
    assert claim.datasets == ("arc-agi",)
    assert claim.metrics == ("accuracy",)
    assert [(v.text, v.unit) for v in claim.values] == [("32.8%", "%"), ("4.2 points", "points")]
    assert all(REASONNET[v.start : v.end] == v.text for v in claim.values)
    assert (claim.direction, claim.hedged, claim.negated) == ("better", False, False)


def test_our_method_resolves_to_the_proposed_method() -> None:
    text = "We propose FlashNet for image retrieval. Our method clearly outperforms CLIP on Flickr30K."
    doc, mentions = annotate(text, (("FlashNet", "Method"), ("CLIP", "Method"), ("Flickr30K", "Dataset")))
    claims, relations, _ = claims_from_doc(doc, mentions, "abstract")
    assert [(c.subject, c.baselines) for c in claims] == [("flashnet", ("clip",))]
    assert ("outperforms", "flashnet", "clip") in {(r.type, r.head, r.tail) for r in relations}


def test_title_proposal_given_from_outside_is_the_subject() -> None:
    text = "The method outperforms CLIP on Flickr30K by 3 points."
    doc, mentions = annotate(text, (("CLIP", "Method"), ("Flickr30K", "Dataset")))
    claims, _, _ = claims_from_doc(doc, mentions, "abstract", proposed=["flashnet"])
    assert claims[0].subject == "flashnet"


def test_negated_and_hedged_claims() -> None:
    text = (
        "We study data mixing for LoRA adapters. "
        "Surprisingly, LoRA does not outperform full fine-tuning on the GSM8K benchmark. "
        "These results suggest that rank may matter more than data."
    )
    doc, mentions = annotate(
        text, (("LoRA", "Method"), ("full fine-tuning", "Method"), ("GSM8K", "Benchmark"))
    )
    claims, relations, _ = claims_from_doc(doc, mentions, "abstract")
    by_text = {c.span.text.split()[1]: c for c in claims}
    assert by_text["LoRA"].negated and by_text["LoRA"].direction == "no difference"
    assert by_text["results"].hedged
    assert not [r for r in relations if r.type == "outperforms"]


def test_results_pair_values_with_method_benchmark_metric() -> None:
    doc, mentions = annotate(REASONNET, REASONNET_MENTIONS)
    claims, _, found = claims_from_doc(doc, mentions, "abstract")
    assert [(r.method, r.benchmark, r.metric, r.value.text) for r in found] == [
        ("reasonnet", "arc-agi", "accuracy", "32.8%")
    ]
    assert found[0].claim == claims[0].span
    assert results([c for c in claims if not c.values], mentions) == []


def test_change_result_reports_the_target_level() -> None:
    text = "On MiniF2F, ProverX raises the pass rate from 17% to 60%."
    doc, mentions = annotate(text, (("MiniF2F", "Benchmark"), ("ProverX", "Method"), ("pass rate", "Metric")))
    _, _, found = claims_from_doc(doc, mentions, "abstract")
    assert [(r.method, r.benchmark, r.metric, r.value.text, r.value.low) for r in found] == [
        ("proverx", "minif2f", "pass rate", "60%", 60.0)
    ]


def test_title_gives_relations_but_no_claims() -> None:
    title = "ReasonNet: Recurrent Program Synthesis Outperforms GPT-4"
    doc, mentions = annotate(title, (("ReasonNet", "Method"), ("GPT-4", "Method")), field="title")
    claims, relations, found = claims_from_doc(doc, mentions, "title")
    assert claims == [] and found == []
    assert ("proposes", None, "reasonnet") in {(r.type, r.head, r.tail) for r in relations}


def test_doc_without_the_component_is_an_error() -> None:
    doc = spacy.blank("en")("We show that X beats Y.")
    with pytest.raises(ModelError, match="kg_claims"):
        claims_from_doc(doc, [], "abstract")


def test_missing_model_path_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        load_models(str(tmp_path / "nothing-here"))
    assert load_models("") is None


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(), reason="no trained claims model packaged")
def test_trained_model_separates_claims_from_other_sentences() -> None:
    text = (
        "Reasoning benchmarks remain hard for small language models. "
        "We propose a curriculum that orders training problems by difficulty. "
        "The curriculum is built from solution lengths of a teacher model. "
        "Code is available at https://github.com/example/curriculum. "
        "Our 7B model consistently surpasses larger baselines and achieves 32.8% on ARC-AGI."
    )
    nlp = light_pipeline(BUILTIN)
    doc = nlp(text)
    assert [s.text for s in doc.spans["kg_claims"]] == [
        "Our 7B model consistently surpasses larger baselines and achieves 32.8% on ARC-AGI."
    ]


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(), reason="no trained claims model packaged")
def test_strong_cue_lifts_an_early_we_show_that() -> None:
    sentences = [
        "In this work, we show that sparse attention outperforms dense attention on long documents.",
        "We describe the training data.",
    ]
    lifted = ClaimDetector(load_models(BUILTIN), threshold=None, spans_key="k")
    plain = ClaimDetector(load_models(BUILTIN), threshold=None, spans_key="k", strong_cues=False)
    assert lifted.score_sentences(sentences)[0] >= lifted.threshold
    assert lifted.score_sentences(sentences)[1] == plain.score_sentences(sentences)[1]


def test_baselines_stop_where_the_sentence_moves_on() -> None:
    text = (
        "We propose ProverX. ProverX outperforms Llemma and DeepSeek-Prover on MiniF2F using LoRA adapters."
    )
    surfaces = (
        ("ProverX", "Method"),
        ("Llemma", "Method"),
        ("DeepSeek-Prover", "Method"),
        ("MiniF2F", "Benchmark"),
        ("LoRA", "Method"),
    )
    doc, mentions = annotate(text, surfaces)
    claims, _, _ = claims_from_doc(doc, mentions, "abstract")
    assert [(c.subject, c.baselines) for c in claims] == [("proverx", ("llemma", "deepseek-prover"))]


def test_values_listed_after_a_difference_are_differences_too() -> None:
    text = "Atlas achieves improvements of 13% on ARC-AGI, 21% on MATH, and reaches 71.5% on GSM8K."
    surfaces = (("Atlas", "Method"), ("ARC-AGI", "Benchmark"), ("MATH", "Benchmark"), ("GSM8K", "Benchmark"))
    doc, mentions = annotate(text, surfaces)
    _, _, found = claims_from_doc(doc, mentions, "abstract")
    assert [(r.method, r.benchmark, r.value.text) for r in found] == [("atlas", "gsm8k", "71.5%")]


def test_each_value_pairs_with_its_own_benchmark() -> None:
    text = "Our model Atlas achieves 32.8% on ARC-AGI and 71.5% on MATH, a new state of the art."
    surfaces = (("Atlas", "Method"), ("ARC-AGI", "Benchmark"), ("MATH", "Benchmark"))
    doc, mentions = annotate(text, surfaces)
    _, _, found = claims_from_doc(doc, mentions, "abstract")
    assert [(r.method, r.benchmark, r.value.text) for r in found] == [
        ("atlas", "arc-agi", "32.8%"),
        ("atlas", "math", "71.5%"),
    ]


@pytest.mark.parametrize(
    ("text", "strong"),
    [
        ("It improves accuracy on GSM8K by 4.2 points over LoRA at the same budget.", True),
        ("The method reduces latency by 30% compared with beam search.", True),
        ("We increase the batch size to 512 for all runs.", False),
        ("Accuracy improves as the model grows.", False),
        ("It retains 97% of the accuracy while reducing training costs by >2000x.", True),
        ("We increase the batch size by 2 for all runs.", False),
        ("LiNeS demonstrates significant improvements across vision benchmarks.", True),
        ("We define a decision rule and empirically show it predicts generalization.", True),
        ("We formalize coherence as a metric, and show that it separates real from random data.", True),
        ("Our finding is that oscillation helps generalization.", True),
        ("We show how to build the index.", False),
    ],
)
def test_quantified_change_against_a_baseline_is_a_strong_claim(text: str, strong: bool) -> None:
    assert bool(cues.STRONG_CLAIM.search(text)) is strong


COMPARED = (
    ("SRA", "Method"),
    ("LoRA", "Method"),
    ("DPO", "Method"),
    ("full fine-tuning", "Method"),
    ("GSM8K", "Benchmark"),
)


@pytest.mark.parametrize(
    ("sentence", "subject", "baselines"),
    [
        ("SRA improves accuracy on GSM8K by 4.2 points over LoRA.", "sra", ("lora",)),
        (
            "SRA outperforms full fine-tuning on GSM8K, with gains of 3 points over LoRA.",
            "sra",
            ("full fine-tuning", "lora"),
        ),
        ("SRA achieves higher accuracy than LoRA and DPO on GSM8K.", "sra", ("lora", "dpo")),
        ("Compared to LoRA, SRA significantly reduces memory on GSM8K.", "sra", ("lora",)),
        ("LoRA is outperformed by SRA on GSM8K.", "sra", ("lora",)),
        ("Both LoRA and DPO are consistently outperformed by SRA on GSM8K.", "sra", ("lora", "dpo")),
        ("LoRA and DPO are outperformed by our method on GSM8K.", "sra", ("lora", "dpo")),
    ],
)
def test_comparison_subject_and_baselines(sentence: str, subject: str, baselines: tuple[str, ...]) -> None:
    doc, mentions = annotate(f"We propose SRA. {sentence}", COMPARED)
    claims, relations, _ = claims_from_doc(doc, mentions, "abstract")
    assert [(c.kind, c.subject, c.baselines) for c in claims] == [("comparison", subject, baselines)]
    assert {(r.head, r.tail) for r in relations if r.type == "outperforms"} == {
        (subject, b) for b in baselines
    }


@pytest.mark.parametrize(
    ("text", "comparison"),
    [
        ("It reaches higher accuracy than all baselines.", True),
        ("The gains over PPO grow with model size.", True),
        ("We use synthetic data rather than human labels.", False),
        ("Training runs over 3 epochs.", False),
    ],
)
def test_comparison_kind(text: str, comparison: bool) -> None:
    assert (cues.claim_kind(text, has_values=False) == "comparison") is comparison
