"""Pipeline assembly: factories, component order, configuration and the optional entity model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from kg.errors import ModelError
from kg.nlp.pipeline import ENTITY_MODEL_DIR, build_pipeline, entity_model_path, load_component, load_trained

TEXT = "We propose StackNet, a framework. It reaches 80% accuracy on the MMLU benchmark."


def test_components_in_order_and_factories_registered() -> None:
    nlp = build_pipeline(entity_model="none", claims=False)
    assert nlp.pipe_names == ["kg_sentences", "kg_acronyms", "kg_entity_rules", "kg_entities"]
    for name in nlp.pipe_names:
        assert Language.has_factory(name)
    meta = nlp.get_pipe_meta("kg_entities")
    assert meta.assigns == ["doc._.kg_entities"]


def test_doc_carries_sentences_acronyms_and_entities() -> None:
    doc = build_pipeline(entity_model="none", claims=False)("Low-Rank Adaptation (LoRA) helps. " + TEXT)
    assert len(list(doc.sents)) == 3
    assert doc._.kg_acronyms == [(21, 25, 0, 19)]
    texts = {doc.text[s:e]: t for s, e, t, *_ in doc._.kg_entities}
    assert texts["StackNet"] == "Method" and texts["accuracy"] == "Metric"
    assert texts["MMLU benchmark"] == "Benchmark"


def test_config_overrides_reach_the_components() -> None:
    nlp = build_pipeline(
        entity_model="none", claims=False, config={"kg_entity_rules": {"include_head": False}}
    )
    doc = nlp(TEXT)
    assert "MMLU" in {doc.text[s:e] for s, e, *_ in doc._.kg_entities}
    assert nlp.get_pipe("kg_entity_rules").settings.include_head is False


def test_base_components_can_be_kept() -> None:
    nlp = build_pipeline(entity_model="none", claims=False, base_components=("tok2vec", "tagger"))
    assert nlp.pipe_names[:3] == ["kg_sentences", "tok2vec", "tagger"]
    assert nlp(TEXT)[0].tag_


def test_claims_component_is_added_when_wanted() -> None:
    assert "kg_claims" in build_pipeline(entity_model="none").pipe_names


def test_entity_model_choice(tmp_path: Path) -> None:
    assert entity_model_path("none") is None and entity_model_path(None) is None
    expected = ENTITY_MODEL_DIR if (ENTITY_MODEL_DIR / "config.cfg").exists() else None
    assert entity_model_path("auto") == expected
    with pytest.raises(ModelError):
        entity_model_path(tmp_path / "missing")


def test_unknown_english_pipeline_is_a_model_error() -> None:
    with pytest.raises(ModelError):
        build_pipeline("no_such_pipeline_xyz", entity_model="none")


def test_neural_layers_use_numpy_blas_on_one_thread() -> None:
    from thinc.api import NumpyOps, get_current_ops
    from threadpoolctl import threadpool_info

    before = get_current_ops()
    nlp = build_pipeline(entity_model=ENTITY_MODEL_DIR)
    # the token encoder and the state features hold the large products; spaCy pins the tiny output layer
    # of the parser to its default CPU ops itself
    ner = nlp.get_pipe("kg_ner").model
    layers = [layer for ref in ("tok2vec", "lower") for layer in ner.get_ref(ref).walk()]
    assert all(isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis for layer in layers)
    assert get_current_ops() is before  # the ops choice does not leak to models built afterwards
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


@pytest.mark.skipif(not (ENTITY_MODEL_DIR / "config.cfg").exists(), reason="no entity model installed")
def test_a_component_loaded_alone_predicts_as_its_pipeline_does() -> None:
    host = spacy.blank("en")
    ner = load_component(host, ENTITY_MODEL_DIR, "ner")
    assert ner.vocab is host.vocab and "ner" not in host.pipe_names
    whole = load_trained(ENTITY_MODEL_DIR, "ner")
    text = "We fine-tune BERT with Low-Rank Adaptation (LoRA) and report F1 on SQuAD and GLUE."
    expected = [(e.text, e.label_) for e in whole(text).ents]
    assert expected and [(e.text, e.label_) for e in ner(host(text)).ents] == expected


def test_load_component_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot load"):
        load_component(spacy.blank("en"), tmp_path / "nothing", "ner")
    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ModelError, match="has no 'ner' component"):
        load_component(spacy.blank("en"), tmp_path / "blank", "ner")
