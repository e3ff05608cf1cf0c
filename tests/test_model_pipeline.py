"""The entity model workflow's own code: corpus conversion (convert.py), the silver data of the distilled
model (silver.py) and packaging (package.py)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kg.eval import Annotation, GoldDoc
from kg.types import Origin, Record
from pipelines.entities import package as packaging
from pipelines.entities import silver
from pipelines.entities.convert import gold_to_doc

TEXT = "We apply a deep neural network to speech recognition on TIMIT corpora with it."


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.blank("en")


def _gold(*entities: tuple[str, str]) -> GoldDoc:
    """Gold entities given by their text (first occurrence) and type."""
    spans = []
    for text, label in entities:
        start = TEXT.index(text)
        spans.append(Annotation("abstract", start, start + len(text), label))
    record = Record(id="t", title="", abstract=TEXT, source="test", origin=Origin("mem", 1))
    return GoldDoc(record, tuple(spans), ())


def _ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_types_are_folded_and_non_project_types_become_outside(nlp):
    stats = Counter()
    gold = _gold(("deep neural network", "Method"), ("TIMIT corpora", "Material"), ("it", "Generic"))
    doc = gold_to_doc(nlp, gold, stats)
    assert _ents(doc) == [("deep neural network", "Method"), ("TIMIT corpora", "Dataset")]
    it = doc[-2]
    assert (it.text, it.ent_iob_) == ("it", "O")
    assert stats["ignored"] == 1 and stats["kept:Dataset"] == 1


def test_ignored_types_can_be_left_missing(nlp):
    doc = gold_to_doc(nlp, _gold(("speech recognition", "OtherScientificTerm")), Counter(), ignored="missing")
    assert [t.ent_iob_ for t in doc if t.text in ("speech", "recognition")] == ["", ""]
    assert doc[0].ent_iob_ == "O"


def test_nested_spans_keep_the_longest(nlp):
    stats = Counter()
    gold = _gold(("neural network", "Method"), ("deep neural network", "Method"), ("speech", "Task"))
    doc = gold_to_doc(nlp, gold, stats)
    assert _ents(doc) == [("deep neural network", "Method"), ("speech", "Task")]
    assert stats["overlap_dropped"] == 1
    overlapping = _gold(("speech recognition", "Task"), ("recognition on TIMIT", "Material"))
    assert _ents(gold_to_doc(nlp, overlapping, stats)) == [("recognition on TIMIT", "Dataset")]
    assert stats["overlap_dropped"] == 2


def test_spans_inside_tokens_are_expanded_and_counted(nlp):
    stats = Counter()
    start = TEXT.index("TIMIT")
    record = Record(id="t", title="", abstract=TEXT, source="test", origin=Origin("mem", 1))
    gold = GoldDoc(record, (Annotation("abstract", start, start + 3, "Material"),), ())
    assert _ents(gold_to_doc(nlp, gold, stats)) == [("TIMIT", "Dataset")]
    assert stats["expanded"] == 1


def test_title_spans_go_to_the_title_doc(nlp):
    record = Record(id="t", title="GRPO for Math", abstract=TEXT, source="test", origin=Origin("mem", 1))
    spans = (Annotation("title", 0, 4, "Method"), Annotation("abstract", 0, 2, "Method"))
    gold = GoldDoc(record, spans, ())
    assert _ents(gold_to_doc(nlp, gold, Counter(), field="title")) == [("GRPO", "Method")]
    assert _ents(gold_to_doc(nlp, gold, Counter())) == [("We", "Method")]


def test_package_keeps_inference_files_and_records_provenance(tmp_path):
    model = tmp_path / "model-best"
    (model / "ner").mkdir(parents=True)
    (model / "ner" / "model").write_bytes(b"weights")
    (model / "vocab").mkdir()
    (model / "tokenizer").write_bytes(b"tok")
    (model / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    meta = {"lang": "en", "version": "0.0.0", "pipeline": ["ner"]}
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (model / "optimizer-state").write_bytes(b"not needed at run time")
    out = tmp_path / "entities"
    (out / "stale").mkdir(parents=True)

    packaging.package(model, out, scores={"scierc_dev": {"docs": 50}}, stats={"train/scierc": {"docs": 350}})

    assert sorted(p.name for p in out.iterdir()) == sorted([*packaging.BASE_FILES, "ner"])
    assert (out / "ner" / "model").read_bytes() == b"weights"
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["lang"] == "en"
    assert meta["heldout_scores"]["scierc_dev"]["docs"] == 50
    assert meta["conversion"]["train/scierc"]["docs"] == 350
    assert {s["name"] for s in meta["sources"]} == {"SciERC", "SciREX", "CSAbstruct", "kg seeds"}


def _teacher(path: Path, patterns: list[dict]) -> Path:
    """A saved pipeline whose entities come from an entity ruler: a stand-in for a trained NER teacher."""
    import spacy

    teacher = spacy.blank("en")
    teacher.add_pipe("entity_ruler").add_patterns(patterns)
    teacher.to_disk(path)
    return path


def test_silver_keeps_the_spans_enough_teachers_agree_on(tmp_path):
    bert = {"label": "Method", "pattern": "BERT"}
    squad = {"label": "Dataset", "pattern": "SQuAD"}
    squad_as_task = {"label": "Task", "pattern": "SQuAD"}
    teachers = [
        _teacher(tmp_path / "a", [bert, squad]),
        _teacher(tmp_path / "b", [bert, squad_as_task]),
        _teacher(tmp_path / "c", [bert]),
    ]
    text = "BERT is tuned on SQuAD."
    docs, spans = silver.vote([text], teachers, votes=2)
    import spacy

    (doc,) = docs.get_docs(spacy.blank("en").vocab)
    assert spans == 1
    assert [(e.text, e.label_) for e in doc.ents] == [("BERT", "Method")]
    docs, spans = silver.vote([text], teachers, votes=1)
    assert spans == 2  # SQuAD once as Dataset, once as Task: overlapping, the first kept


def test_silver_texts_skip_gold_abstracts_and_repeats(tmp_path):
    shared = tmp_path / "shared"
    gold_text = "A gold abstract about parsing."

    def write(corpus: str, name: str, abstracts: list[str]) -> None:
        folder = shared / "corpora" / corpus
        folder.mkdir(parents=True, exist_ok=True)
        lines = [
            json.dumps({"id": f"{corpus}:{i}", "title": "", "abstract": a, "entities": []})
            for i, a in enumerate(abstracts)
        ]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("scierc", "train.jsonl", [gold_text])
    write("scierc", "dev.jsonl", ["Another gold abstract."])
    write("scirex", "train.jsonl", ["A SciREX abstract."])
    write("csabstruct", "train.jsonl", ["New text one.", "New  text, one.", "A gold abstract about parsing!"])
    (shared / "seeds").mkdir()
    assert silver.unlabelled_texts(shared) == ["New text one."]
    # a hand-annotated paper's text is gold, not silver
    annotated = tmp_path / "seeds_dev.jsonl"
    paper = {"id": "s", "title": "T", "abstract": "New text one.", "entities": []}
    annotated.write_text(json.dumps(paper) + "\n")
    assert silver.unlabelled_texts(shared, [annotated]) == []
