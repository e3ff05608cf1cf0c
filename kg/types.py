"""Typed records at the seams of the pipeline.

records (ingest) -> Extraction (nlp) -> triples (rdf) -> store. Every stage takes and returns these
dataclasses, never loose dicts, so a change to the contract shows up in one place.

Offsets are character offsets into the ``title`` or ``abstract`` string exactly as the reader produced it
(no whitespace normalisation after the record is built), with ``field`` saying which.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Field = Literal["title", "abstract"]
EntityType = Literal["Method", "Dataset", "Benchmark", "Task", "Metric"]
ENTITY_TYPES: tuple[str, ...] = ("Method", "Dataset", "Benchmark", "Task", "Metric")
ClaimKind = Literal["comparison", "finding", "performance"]


@dataclass(frozen=True)
class Origin:
    """Where a record (or a problem) was read: file path and 1-based line number."""

    path: str
    line: int


@dataclass(frozen=True)
class Record:
    """One paper as read from an input file, before any NLP.

    ``id`` is the deduplication key chosen by kg.ingest: ``arxiv:<id without version>``, ``doi:<lowercased
    doi>``, or ``title:<hash of normalised title>``; ``source_id`` is what the input itself called it.
    ``sentence_starts`` are offsets into ``abstract`` where the input itself says a sentence begins (an
    annotated corpus's ``sentences``); the sentence splitter keeps them as boundaries on top of its own, which
    matters where no punctuation shows one (SciREX runs the title into the abstract).
    """

    id: str
    title: str
    abstract: str
    source: str
    origin: Origin
    authors: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    source_id: str | None = None
    sentence_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read; reported with file and line, then the run goes on."""

    origin: Origin
    reason: str


@dataclass(frozen=True)
class Span:
    """A character span in one field of a record."""

    start: int
    end: int
    text: str
    field: Field


@dataclass(frozen=True)
class Mention:
    """One entity mention.

    ``key`` is the canonical, normalised name that decides which graph node the mention belongs to (shared
    across papers); ``label`` is the best human-readable name for it found in this paper (the long form when
    an acronym was defined); ``merged_by`` says why the surface text was folded into ``key``
    ("acronym", "normalised", "head-stripped", ...) and is empty when ``text`` already was the key.
    """

    span: Span
    type: EntityType
    key: str
    label: str
    sentence: tuple[int, int]
    extractor: str
    confidence: float
    merged_by: str = ""
    acronym: str | None = None


@dataclass(frozen=True)
class Acronym:
    """An acronym definition found in the text, e.g. "Reinforced Fine-Tuning (ReFT)"."""

    short: Span
    long: Span


@dataclass(frozen=True)
class ClaimValue:
    """A reported value: "32.8%", "2-3.5 times", "from 17% to 60%"."""

    text: str
    low: float | None
    high: float | None
    unit: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Claim:
    """A sentence in which the paper asserts its own result.

    The structured parts refer to entity ``key`` values of mentions in the same paper.
    """

    span: Span
    kind: ClaimKind
    confidence: float
    subject: str | None = None
    baselines: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    values: tuple[ClaimValue, ...] = ()
    direction: Literal["better", "worse", "no difference"] | None = None
    hedged: bool = False
    negated: bool = False


RelationType = Literal["proposes", "uses", "evaluatesOn", "addresses", "measuredBy", "outperforms"]


@dataclass(frozen=True)
class Relation:
    """A typed edge. ``head`` is ``None`` for the paper itself, else an entity key; ``tail`` is an entity key.

    ``evidence`` is the sentence (or claim) that supports it.
    """

    type: RelationType
    head: str | None
    tail: str
    evidence: Span


@dataclass(frozen=True)
class Result:
    """A leaderboard-style n-ary result backed by a claim: method reaches value on benchmark in metric."""

    method: str | None
    benchmark: str | None
    metric: str | None
    value: ClaimValue
    claim: Span


@dataclass
class Extraction:
    """Everything the NLP pipeline found in one record."""

    record: Record
    mentions: list[Mention] = field(default_factory=list)
    acronyms: list[Acronym] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    input_digest: str = ""
    """Hash of the record's content and the pipeline version (kg.build.input_digest); stored on the paper so a
    rebuild can skip the NLP for papers whose input and pipeline have not changed."""

    def to_json(self) -> dict:
        """The `kg extract` JSON-lines contract (see README, "Extraction output").

        The first fields (id, entities[start,end,text,type,field], claims[start,end,text,kind,field]) are
        how extraction quality is scored; everything else is additive.
        """
        return {
            "id": self.record.id,
            "title": self.record.title,
            "entities": [
                {
                    "start": m.span.start,
                    "end": m.span.end,
                    "text": m.span.text,
                    "type": m.type,
                    "field": m.span.field,
                    "key": m.key,
                    "label": m.label,
                    "extractor": m.extractor,
                    "confidence": round(m.confidence, 4),
                }
                for m in self.mentions
            ],
            "claims": [
                {
                    "start": c.span.start,
                    "end": c.span.end,
                    "text": c.span.text,
                    "kind": c.kind,
                    "field": c.span.field,
                    "confidence": round(c.confidence, 4),
                    "subject": c.subject,
                    "baselines": list(c.baselines),
                    "datasets": list(c.datasets),
                    "metrics": list(c.metrics),
                    "values": [asdict(v) for v in c.values],
                    "direction": c.direction,
                    "hedged": c.hedged,
                    "negated": c.negated,
                }
                for c in self.claims
            ],
            "acronyms": [{"short": asdict(a.short), "long": asdict(a.long)} for a in self.acronyms],
            "relations": [
                {"type": r.type, "head": r.head, "tail": r.tail, "evidence": asdict(r.evidence)}
                for r in self.relations
            ],
            "results": [
                {
                    "method": r.method,
                    "benchmark": r.benchmark,
                    "metric": r.metric,
                    "value": asdict(r.value),
                    "claim": asdict(r.claim),
                }
                for r in self.results
            ],
        }
