"""Score entity and claim extraction against annotated abstracts (the ``../shared/corpora`` format).

Gold files are JSON Lines with ``entities`` (char offsets into ``abstract`` unless an entity names a
``field``) and ``sentences`` (role or claim labels). Predictions come from the full kg pipeline, from a spaCy
pipeline's ``doc.ents`` alone, or from a `kg extract` JSON-lines file (``Extraction.to_json``), so the same
scorer judges the model, the rules and a saved run alike.

Types are folded before scoring because the corpora cannot tell a dataset from a benchmark: gold Material and
predicted Dataset/Benchmark all count as "Dataset"; gold Generic and OtherScientificTerm are not project types
and are ignored. Spans are compared exactly (field, start, end, type) and, more leniently, by overlap: a
prediction counts for precision when it overlaps a gold span of the same type and field, a gold span counts
for recall when some prediction of its type overlaps it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.records import sentence_starts
from kg.nlp.pipeline import ENTITY_MODEL_DIR as ENTITY_MODEL
from kg.nlp.pipeline import load_trained
from kg.types import Origin, Record

SCORED_TYPES: tuple[str, ...] = ("Method", "Dataset", "Task", "Metric")
TYPE_FOLD: dict[str, str] = {
    "Method": "Method",
    "Task": "Task",
    "Metric": "Metric",
    "Material": "Dataset",
    "Dataset": "Dataset",
    "Benchmark": "Dataset",
}
POSITIVE_SENTENCE_LABELS = frozenset({"result", "claim"})
MATCH_MODES = ("exact", "overlap")


def fold_type(label: str) -> str | None:
    """The scored type a gold or predicted label counts as, or None when it is not scored at all."""
    return TYPE_FOLD.get(label)


def split_of(doc_id: str, test_share: int = 2, dev_share: int = 1) -> str:
    """Deterministic train/dev/test bucket of a document id, in tenths, stable across runs and machines.

    Used for corpora released as one file (SciREX): ids hash into ten buckets, the first ``test_share``
    are "test", the next ``dev_share`` "dev", the rest "train".
    """
    bucket = int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10
    if bucket < test_share:
        return "test"
    return "dev" if bucket < test_share + dev_share else "train"


@dataclass(frozen=True)
class Annotation:
    """A typed character span in one field of a record (gold or predicted entity, or predicted claim)."""

    field: str
    start: int
    end: int
    type: str

    def overlaps(self, other: Annotation) -> bool:
        """True when both spans are in the same field and share at least one character."""
        return self.field == other.field and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class GoldSentence:
    """A gold sentence; ``positive`` is None when its label is unknown (null) and it is not scored."""

    span: Annotation
    positive: bool | None


@dataclass(frozen=True)
class GoldDoc:
    """One annotated abstract: the record to feed the pipeline, raw (unfolded) entities and sentences."""

    record: Record
    entities: tuple[Annotation, ...]
    sentences: tuple[GoldSentence, ...]


@dataclass(frozen=True)
class Prediction:
    """What a system found in one record: entities (any label) and claim spans."""

    id: str
    entities: tuple[Annotation, ...]
    claims: tuple[Annotation, ...] = ()


@dataclass
class Counts:
    """Match counts of one type (or the micro total).

    For exact matching ``pred_hit == gold_hit`` (true positives); for overlap they may differ, since one
    prediction can cover two gold spans.
    """

    pred: int = 0
    gold: int = 0
    pred_hit: int = 0
    gold_hit: int = 0

    def add(self, other: Counts) -> None:
        """Accumulate another count into this one."""
        self.pred += other.pred
        self.gold += other.gold
        self.pred_hit += other.pred_hit
        self.gold_hit += other.gold_hit

    @property
    def precision(self) -> float:
        """Share of predictions that match gold (0 when nothing was predicted)."""
        return self.pred_hit / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        """Share of gold spans that were found (0 when there is no gold)."""
        return self.gold_hit / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        """Counts and rounded scores for `--format json`."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "pred": self.pred,
            "gold": self.gold,
            "pred_hit": self.pred_hit,
            "gold_hit": self.gold_hit,
        }


@dataclass
class EvalReport:
    """Scores of one run: ``entities[mode][type]`` with "micro" as the last type, and claim sentences."""

    docs: int
    types: tuple[str, ...]
    entities: dict[str, dict[str, Counts]]
    claims: Counts | None = None
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "docs": self.docs,
            "types": list(self.types),
            "missing_predictions": self.missing,
            "entities": {
                mode: {name: counts.to_json() for name, counts in by_type.items()}
                for mode, by_type in self.entities.items()
            },
            "claims": self.claims.to_json() if self.claims else None,
        }


def json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSON-lines file (gold, predictions, the seed
    annotations of pipelines/entities/seedgold.py).

    Raises:
        InputError: the file is missing or a line is not a JSON object.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(data, dict):
                raise InputError(f"{path}:{number}: expected a JSON object")
            yield number, data


def _span(item: dict[str, Any], label: str | None, where: str) -> Annotation:
    """An Annotation from a JSON span object; offsets are into the abstract unless it names a field.

    Raises:
        InputError: start or end is missing or not an integer.
    """
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise InputError(f"{where}: span without integer start/end: {item!r}")
    return Annotation(item.get("field") or "abstract", start, end, label or "")


def read_gold(path: str | Path) -> Iterator[GoldDoc]:
    """Read an annotated corpus file (format of ``../shared/corpora/README.md``).

    Args:
        path: JSON-lines file, one abstract a line.

    Returns:
        GoldDoc objects in file order, each with a kg Record ready for the pipeline.

    Raises:
        InputError: the file cannot be read or a line lacks id/abstract or well-formed spans.
    """
    path = Path(path)
    seen: set[str] = set()
    for number, data in json_lines(path):
        where = f"{path}:{number}"
        if not isinstance(data.get("id"), str) or not isinstance(data.get("abstract"), str):
            raise InputError(f"{where}: gold record needs string 'id' and 'abstract'")
        # Some corpora reuse one id for every record (CSAbstruct); predictions are matched by id, so a
        # repeated id gets its line number appended.
        key = data["id"] if data["id"] not in seen else f"{data['id']}@{number}"
        seen.add(key)
        record = Record(
            id=key,
            title=data.get("title") or "",
            abstract=data["abstract"],
            source=data.get("source") or "gold",
            origin=Origin(str(path), number),
            sentence_starts=sentence_starts(data.get("sentences")),  # as kg extract reads them
        )
        entities = tuple(_span(e, e.get("type"), where) for e in data.get("entities") or ())
        sentences = tuple(
            GoldSentence(
                _span(s, "sentence", where),
                None if s.get("label") is None else s["label"] in POSITIVE_SENTENCE_LABELS,
            )
            for s in data.get("sentences") or ()
        )
        yield GoldDoc(record, entities, sentences)


def read_predictions(path: str | Path) -> dict[str, Prediction]:
    """Read `kg extract` JSON lines (``Extraction.to_json``): id, entities and claims with field offsets.

    Raises:
        InputError: the file cannot be read or a line has no id or malformed spans.
    """
    path = Path(path)
    found: dict[str, Prediction] = {}
    for number, data in json_lines(path):
        where = f"{path}:{number}"
        if not isinstance(data.get("id"), str):
            raise InputError(f"{where}: prediction without a string 'id'")
        entities = tuple(_span(e, e.get("type"), where) for e in data.get("entities") or ())
        claims = tuple(_span(c, c.get("kind") or "claim", where) for c in data.get("claims") or ())
        found[data["id"]] = Prediction(data["id"], entities, claims)
    return found


def _folded(spans: Iterable[Annotation], types: tuple[str, ...]) -> set[Annotation]:
    """Spans with types folded, keeping only the requested scored types (duplicates collapse)."""
    kept = set()
    for span in spans:
        folded = fold_type(span.type)
        if folded in types:
            kept.add(Annotation(span.field, span.start, span.end, folded))
    return kept


def match_counts(gold: set[Annotation], pred: set[Annotation], overlap: bool) -> Counts:
    """Counts for one type in one document.

    Args:
        gold: gold spans (already folded and filtered to one type).
        pred: predicted spans of the same type.
        overlap: match by shared characters instead of identical boundaries.
    """
    if not overlap:
        hits = len(gold & pred)
        return Counts(len(pred), len(gold), hits, hits)
    pred_hit = sum(1 for p in pred if any(p.overlaps(g) for g in gold))
    gold_hit = sum(1 for g in gold if any(g.overlaps(p) for p in pred))
    return Counts(len(pred), len(gold), pred_hit, gold_hit)


def score_entities(
    pairs: Iterable[tuple[GoldDoc, Prediction]], types: tuple[str, ...] = SCORED_TYPES
) -> dict[str, dict[str, Counts]]:
    """Per-type and micro-averaged counts, exact and overlapping, over (gold, prediction) pairs.

    Args:
        pairs: each gold document with the prediction for the same record.
        types: scored types (after folding) to include; the micro total covers exactly these.

    Returns:
        ``{mode: {type: Counts, ..., "micro": Counts}}`` for mode in MATCH_MODES.
    """
    result = {mode: {name: Counts() for name in (*types, "micro")} for mode in MATCH_MODES}
    for gold_doc, prediction in pairs:
        gold = _folded(gold_doc.entities, types)
        pred = _folded(prediction.entities, types)
        for name in types:
            gold_t = {g for g in gold if g.type == name}
            pred_t = {p for p in pred if p.type == name}
            for mode in MATCH_MODES:
                counts = match_counts(gold_t, pred_t, overlap=mode == "overlap")
                result[mode][name].add(counts)
                result[mode]["micro"].add(counts)
    return result


def score_claims(pairs: Iterable[tuple[GoldDoc, Prediction]]) -> Counts:
    """Sentence-level claim detection: a labelled sentence counts as predicted when a claim overlaps it.

    Sentences with an unknown (null) label are skipped; precision and recall are over positive sentences.
    """
    counts = Counts()
    for gold_doc, prediction in pairs:
        for sentence in gold_doc.sentences:
            if sentence.positive is None:
                continue
            predicted = any(sentence.span.overlaps(c) for c in prediction.claims)
            counts.pred += predicted
            counts.gold += sentence.positive
            hit = int(predicted and sentence.positive)
            counts.pred_hit += hit
            counts.gold_hit += hit
    return counts


def evaluate(
    gold_docs: list[GoldDoc],
    predictions: dict[str, Prediction],
    types: tuple[str, ...] = SCORED_TYPES,
    claims: bool = False,
) -> EvalReport:
    """Score predictions against gold; a gold record without a prediction counts as predicting nothing.

    Args:
        gold_docs: the annotated records.
        predictions: predictions by record id (extra ids are ignored).
        types: scored types after folding (subset of SCORED_TYPES).
        claims: also score claim sentences.
    """
    missing = [g.record.id for g in gold_docs if g.record.id not in predictions]
    pairs = [(g, predictions.get(g.record.id) or Prediction(g.record.id, ())) for g in gold_docs]
    return EvalReport(
        docs=len(gold_docs),
        types=types,
        entities=score_entities(pairs, types),
        claims=score_claims(pairs) if claims else None,
        missing=missing,
    )


def load_model(model: str | Path = ENTITY_MODEL) -> Any:
    """Load a spaCy pipeline by name or path (the packaged entity model by default).

    Raises:
        ModelError: it is not installed, not a pipeline directory, or was saved by an incompatible spaCy.
    """
    return load_trained(model)


def predict_with_model(gold_docs: list[GoldDoc], model: str | Path) -> dict[str, Prediction]:
    """Predictions of a spaCy pipeline's ``doc.ents`` alone (title and abstract), without the kg rules.

    Raises:
        ModelError: the pipeline cannot be loaded.
    """
    return predict_with_nlp(gold_docs, load_model(model))


def predict_with_nlp(gold_docs: list[GoldDoc], nlp: Any) -> dict[str, Prediction]:
    """Predictions of an already loaded spaCy pipeline's ``doc.ents`` over titles and abstracts."""
    texts = [
        (g.record.id, name, text)
        for g in gold_docs
        for name, text in (("title", g.record.title), ("abstract", g.record.abstract))
        if text
    ]
    found: dict[str, list[Annotation]] = {g.record.id: [] for g in gold_docs}
    docs = nlp.pipe((text for _, _, text in texts), batch_size=32)
    for (doc_id, name, _), doc in zip(texts, docs, strict=True):
        found[doc_id].extend(Annotation(name, e.start_char, e.end_char, e.label_) for e in doc.ents)
    return {doc_id: Prediction(doc_id, tuple(spans)) for doc_id, spans in found.items()}


def predict_with_pipeline(gold_docs: list[GoldDoc], nlp: Any = None) -> dict[str, Prediction]:
    """Predictions of the full kg pipeline (kg.nlp), read back through the `kg extract` JSON contract.

    Args:
        gold_docs: the annotated records to run.
        nlp: a pipeline from kg.nlp.build_pipeline; built with defaults when None.

    Raises:
        ModelError: the pipeline cannot be built.
    """
    from kg.nlp import build_pipeline, extract

    found: dict[str, Prediction] = {}
    for extraction in extract([g.record for g in gold_docs], nlp or build_pipeline()):
        data = extraction.to_json()
        entities = tuple(Annotation(e["field"], e["start"], e["end"], e["type"]) for e in data["entities"])
        claims = tuple(Annotation(c["field"], c["start"], c["end"], c["kind"]) for c in data["claims"])
        found[data["id"]] = Prediction(data["id"], entities, claims)
    return found
