"""kg.nlp.routing: each paper's docs go to the entity model of its domain, a title follows its abstract, and
the installed models are assembled into one routed kg_ner."""

from __future__ import annotations

import pytest
import spacy

from kg.errors import ModelError
from kg.nlp.extract import _inputs
from kg.nlp.pipeline import DOMAIN_MODEL_DIR, MODERN_MODEL_DIR, build_pipeline
from kg.nlp.routing import CLASSIC, DOMAIN, MODERN, RoutedNER, make_routed_ner, paper_text
from kg.types import Origin, Record


class _Router:
    """Stands in for the trained classifier: a paper that mentions an LLM is modern."""

    def __call__(self, doc):
        modern = "LLM" in doc.text
        doc.cats = {MODERN: float(modern), CLASSIC: float(not modern)}
        return doc


def _ruler(nlp, label: str, word: str):
    """An entity ruler marking ``word`` with ``label``: stands in for one trained entity model."""
    ruler = spacy.blank("en").add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": word}])
    return ruler


@pytest.fixture
def routed():
    nlp = spacy.blank("en")
    return nlp, RoutedNER(nlp, _ruler(nlp, "Method", "tuning"), _ruler(nlp, "Task", "tuning"), _Router())


def test_each_doc_is_read_by_the_model_of_its_domain_in_input_order(routed):
    nlp, ner = routed
    texts = ["LLM tuning", "Parser tuning", "More LLM tuning"]
    docs = list(ner.pipe(nlp.make_doc(t) for t in texts))
    assert [d.text for d in docs] == texts
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("tuning", "Task")],
        [("tuning", "Method")],
        [("tuning", "Task")],
    ]


def test_a_domain_set_on_the_doc_overrides_its_own_text(routed):
    nlp, ner = routed
    title = nlp.make_doc("Parser tuning")
    title.user_data[DOMAIN] = MODERN
    assert [e.label_ for e in ner(title).ents] == ["Task"]


def test_extract_routes_title_and_abstract_by_the_whole_paper():
    nlp = spacy.blank("en")
    record = Record(
        id="p", title="Tuning at scale", abstract="We tune an LLM.", source="t", origin=Origin("x", 1)
    )
    seen = []
    (title, _), (abstract, _) = _inputs(nlp, record, lambda text: seen.append(text) or MODERN)
    assert seen == [paper_text(record.title, record.abstract)] == ["Tuning at scale We tune an LLM."]
    assert title.text == record.title and abstract.text == record.abstract
    assert title.user_data[DOMAIN] == abstract.user_data[DOMAIN] == MODERN
    # without a router the texts go in as they are
    assert _inputs(nlp, record, None) == ((record.title, record), (record.abstract, record))


def test_a_folder_without_the_component_is_a_model_error(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "empty")
    with pytest.raises(ModelError, match="has no 'ner' component"):
        make_routed_ner(spacy.blank("en"), "kg_ner", classic=str(tmp_path / "empty"), modern="", router="")


@pytest.mark.skipif(
    not (MODERN_MODEL_DIR / "config.cfg").exists() or not (DOMAIN_MODEL_DIR / "config.cfg").exists(),
    reason="the modern entity model or the domain router is not installed",
)
def test_the_installed_models_are_routed_by_default():
    nlp = build_pipeline(claims=False)
    ner = nlp.get_pipe("kg_ner")
    assert isinstance(ner, RoutedNER)
    modern = (
        "Large language models (LLMs) show strong reasoning abilities; we propose a reinforcement learning "
        "method that improves their chain-of-thought reasoning on math benchmarks."
    )
    classic = "This paper describes a unification-based grammar formalism for parsing Japanese sentences."
    assert ner.domain_of(modern) == MODERN
    assert ner.domain_of(classic) == CLASSIC
    assert {e.label_ for e in nlp(modern).ents} <= {"Method", "Dataset", "Task", "Metric"}
