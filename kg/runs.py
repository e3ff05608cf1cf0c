"""Build-run records: what each `kg build` added, kept in the store beside the graph it describes.

Why in the store: the record travels with the graph (export, a remote SPARQL store) and is queried like
everything else. Each run that changed the store gets its own named graph ``{base}graph/run/{id}`` holding
one ``kg:BuildRun`` (a ``prov:Activity``): inputs, start and end time, pipeline version, counts, and the
papers, entities and claims that were new in it. A run that changed nothing is not recorded, so re-running
a build on the same files still leaves the graph byte for byte as it was.

What is new is decided by comparing two snapshots of the store, taken before and after the build: a paper
is added when the store held no version of it, replaced when its input digest changed; an entity or a claim
is new when no paper graph held it before. The snapshots are sets of IRIs read by SPARQL, so this works the
same on the embedded store and on a remote one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import __version__
from kg.errors import NotFoundError
from kg.rdf.vocab import OX_KG, OX_PROV, OX_RDF, OX_XSD

if TYPE_CHECKING:
    from kg.store import KgStore, RemoteStore

    Store = KgStore | RemoteStore

_PAPERS = """
SELECT DISTINCT ?paper ?digest WHERE { ?paper a kg:Paper OPTIONAL { ?paper kg:inputDigest ?digest } }
"""
_ENTITIES = "SELECT DISTINCT ?node WHERE { ?paper kg:mentions ?node }"
_CLAIMS = "SELECT DISTINCT ?node WHERE { ?node a kg:Claim }"


@dataclass(frozen=True)
class Snapshot:
    """The IRIs a run is compared on: papers (with their input digests), entities, claims."""

    papers: dict[str, frozenset[str]]
    entities: frozenset[str]
    claims: frozenset[str]


def take_snapshot(store: Store) -> Snapshot:
    """Read the papers, entities and claims a store holds (a KgStore or a RemoteStore)."""
    papers: dict[str, set[str]] = {}
    for row in store.query(_PAPERS):
        digests = papers.setdefault(row["paper"].value, set())
        if row["digest"] is not None:
            digests.add(row["digest"].value)
    return Snapshot(
        {paper: frozenset(digests) for paper, digests in papers.items()},
        frozenset(row["node"].value for row in store.query(_ENTITIES)),
        frozenset(row["node"].value for row in store.query(_CLAIMS)),
    )


@dataclass(frozen=True)
class Changes:
    """What differs between two snapshots, each list sorted."""

    added_papers: tuple[str, ...]
    replaced_papers: tuple[str, ...]
    new_entities: tuple[str, ...]
    new_claims: tuple[str, ...]

    @classmethod
    def between(cls, before: Snapshot, after: Snapshot) -> Changes:
        return cls(
            tuple(sorted(set(after.papers) - set(before.papers))),
            tuple(sorted(p for p, d in after.papers.items() if p in before.papers and d != before.papers[p])),
            tuple(sorted(after.entities - before.entities)),
            tuple(sorted(after.claims - before.claims)),
        )

    def __bool__(self) -> bool:
        return any((self.added_papers, self.replaced_papers, self.new_entities, self.new_claims))


@dataclass(frozen=True)
class RunRecord:
    """One recorded build run (``kg:BuildRun``)."""

    iri: str
    started: datetime
    ended: datetime
    pipeline_version: str
    software_version: str
    executor: str
    inputs: tuple[str, ...]
    papers_unchanged: int
    records_skipped: int
    changes: Changes

    @property
    def id(self) -> str:
        """The last IRI segment, what `kg diff RUN` takes."""
        return self.iri.rsplit("/", 1)[-1]

    def graph(self) -> ox.NamedNode:
        """The named graph the record lives in: ``{base}graph/run/{id}`` for the run ``{base}run/{id}``."""
        base = self.iri[: -len(f"run/{self.id}")]
        return ox.NamedNode(f"{base}graph/run/{self.id}")

    def triples(self) -> Iterator[ox.Triple]:
        """The record as RDF (ontology/README.md, "Build runs")."""
        run = ox.NamedNode(self.iri)
        c = self.changes
        yield ox.Triple(run, OX_RDF.type, OX_KG.BuildRun)
        for prop, when in ((OX_PROV.startedAtTime, self.started), (OX_PROV.endedAtTime, self.ended)):
            yield ox.Triple(run, prop, ox.Literal(when.isoformat(), datatype=OX_XSD.dateTime))
        for prop, text in (
            (OX_KG.pipelineVersion, self.pipeline_version),
            (OX_KG.softwareVersion, self.software_version),
            (OX_KG.executor, self.executor),
        ):
            yield ox.Triple(run, prop, ox.Literal(text))
        for prop, n in (
            (OX_KG.papersAdded, len(c.added_papers)),
            (OX_KG.papersReplaced, len(c.replaced_papers)),
            (OX_KG.papersUnchanged, self.papers_unchanged),
            (OX_KG.recordsSkipped, self.records_skipped),
            (OX_KG.entitiesAdded, len(c.new_entities)),
            (OX_KG.claimsAdded, len(c.new_claims)),
        ):
            yield ox.Triple(run, prop, ox.Literal(str(n), datatype=OX_XSD.integer))
        for prop, iris in (
            (OX_PROV.used, self.inputs),
            (OX_KG.addedPaper, c.added_papers),
            (OX_KG.replacedPaper, c.replaced_papers),
            (OX_KG.addedEntity, c.new_entities),
            (OX_KG.addedClaim, c.new_claims),
        ):
            yield from (ox.Triple(run, prop, ox.NamedNode(iri)) for iri in iris)

    def to_json(self) -> dict:
        c = self.changes
        return {
            "run": self.iri,
            "id": self.id,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "pipeline_version": self.pipeline_version,
            "software_version": self.software_version,
            "executor": self.executor,
            "inputs": list(self.inputs),
            "papers_added": len(c.added_papers),
            "papers_replaced": len(c.replaced_papers),
            "papers_unchanged": self.papers_unchanged,
            "records_skipped": self.records_skipped,
            "entities_added": len(c.new_entities),
            "claims_added": len(c.new_claims),
        }


@dataclass
class RunClock:
    """Start time and snapshot of a run in progress; :meth:`finish` turns them into a record."""

    base: str
    before: Snapshot
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def finish(
        self,
        after: Snapshot,
        *,
        inputs: Iterable[str | Path],
        pipeline_version: str,
        executor: str,
        papers_unchanged: int,
        records_skipped: int,
    ) -> RunRecord | None:
        """The record of the run, or None when it changed nothing (such a run is not recorded)."""
        changes = Changes.between(self.before, after)
        if not changes:
            return None
        stamp = self.started.strftime("%Y%m%dT%H%M%S%fZ")
        return RunRecord(
            iri=f"{self.base}run/{stamp}-{secrets.token_hex(2)}",
            started=self.started,
            ended=datetime.now(UTC),
            pipeline_version=pipeline_version,
            software_version=__version__,
            executor=executor,
            inputs=tuple(Path(p).resolve().as_uri() for p in inputs),
            papers_unchanged=papers_unchanged,
            records_skipped=records_skipped,
            changes=changes,
        )


def save_run(store: Store, record: RunRecord) -> None:
    """Write the record's named graph (one transaction on the embedded store, one request on a remote one)."""
    store.add_graphs({record.graph(): list(record.triples())})


_RUNS = """
SELECT ?run ?started ?ended ?pipeline ?software ?executor ?unchanged ?skipped WHERE {
  ?run a kg:BuildRun ; prov:startedAtTime ?started ; prov:endedAtTime ?ended ;
       kg:pipelineVersion ?pipeline ; kg:softwareVersion ?software ; kg:executor ?executor ;
       kg:papersUnchanged ?unchanged ; kg:recordsSkipped ?skipped .
} ORDER BY DESC(?started)
"""
_CHANGE_PROPS = ("addedPaper", "replacedPaper", "addedEntity", "addedClaim")  # in Changes' field order
_MEMBERS = """
SELECT ?run ?prop ?item WHERE {
  VALUES ?prop { prov:used kg:addedPaper kg:replacedPaper kg:addedEntity kg:addedClaim }
  ?run ?prop ?item .
}
"""


def list_runs(store: Store, base: str) -> list[RunRecord]:
    """Every run recorded under ``base``, newest first (read in two queries, whatever the number of runs)."""
    members: dict[tuple[str, str], list[str]] = {}
    for row in store.query(_MEMBERS):
        key = (row["run"].value, row["prop"].value.rsplit("#", 1)[-1])
        members.setdefault(key, []).append(row["item"].value)

    def items(run: str, prop: str) -> tuple[str, ...]:
        return tuple(sorted(members.get((run, prop), ())))

    runs = []
    for row in store.query(_RUNS):
        run = row["run"].value
        if not run.startswith(f"{base}run/"):
            continue
        changes = Changes(*(items(run, p) for p in _CHANGE_PROPS))
        runs.append(
            RunRecord(
                iri=run,
                started=datetime.fromisoformat(row["started"].value),
                ended=datetime.fromisoformat(row["ended"].value),
                pipeline_version=row["pipeline"].value,
                software_version=row["software"].value,
                executor=row["executor"].value,
                inputs=items(run, "used"),
                papers_unchanged=int(row["unchanged"].value),
                records_skipped=int(row["skipped"].value),
                changes=changes,
            )
        )
    return runs


def find_run(store: Store, base: str, ref: str | None = None) -> RunRecord:
    """The run named by ``ref`` (its id or IRI), or the latest one when ``ref`` is None.

    Raises:
        NotFoundError: no run is recorded, or none has that id.
    """
    runs = list_runs(store, base)
    if not runs:
        raise NotFoundError("no build run is recorded in this store (run `kg build` first)")
    if ref is None:
        return runs[0]
    for run in runs:
        if ref in (run.id, run.iri):
            return run
    raise NotFoundError(f"no build run {ref!r}; recorded: {', '.join(r.id for r in runs[:5])}")


_PAPER_LABELS = """
SELECT ?node (SAMPLE(?id) AS ?key) (SAMPLE(?title) AS ?label) WHERE {
  VALUES ?node { %s } ?node dcterms:identifier ?id OPTIONAL { ?node dcterms:title ?title }
} GROUP BY ?node
"""
_ENTITY_LABELS = """
SELECT ?node (SAMPLE(?name) AS ?label)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?type), "#"); separator=", ") AS ?types) WHERE {
  VALUES ?node { %s } ?node a ?type FILTER(?type != kg:Entity && STRSTARTS(STR(?type), STR(kg:)))
  OPTIONAL { ?node skos:prefLabel ?name }
} GROUP BY ?node
"""
_CLAIM_LABELS = """
SELECT ?node (SAMPLE(?text) AS ?label) (SAMPLE(?title) AS ?paper) WHERE {
  VALUES ?node { %s } ?node kg:text ?text OPTIONAL { ?node kg:inPaper/dcterms:title ?title }
} GROUP BY ?node
"""


@dataclass(frozen=True)
class Item:
    """One paper, entity or claim of a run, with what a reader needs to recognise it."""

    iri: str
    label: str
    detail: str

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "detail": self.detail}


@dataclass(frozen=True)
class RunDiff:
    """What a run added, ready to print: the record and, per section, its first items with labels."""

    run: RunRecord
    sections: dict[str, list[Item]]

    def to_json(self) -> dict:
        return {**self.run.to_json(), **{k: [i.to_json() for i in v] for k, v in self.sections.items()}}

    def text(self) -> str:
        """A few lines per section; the counts are exact, the lists cut at the limit they were read with."""
        r, c = self.run, self.run.changes
        lines = [
            f"run {r.id} ({r.executor}, {r.started:%Y-%m-%d %H:%M:%S} UTC, "
            f"{(r.ended - r.started).total_seconds():.1f} s) over {', '.join(r.inputs)}",
            f"papers: {len(c.added_papers)} added, {len(c.replaced_papers)} replaced, {r.papers_unchanged} "
            f"unchanged; {r.records_skipped} records skipped; {len(c.new_entities)} new entities, "
            f"{len(c.new_claims)} new claims",
        ]
        totals = {
            "new papers": len(c.added_papers),
            "replaced papers": len(c.replaced_papers),
            "new entities": len(c.new_entities),
            "new claims": len(c.new_claims),
        }
        for (name, items), total in zip(self.sections.items(), totals.values(), strict=True):
            if not items:
                continue
            lines.append(f"{name} ({total}{', first ' + str(len(items)) if len(items) < total else ''}):")
            lines.extend(f"  - {i.label[:90]}  [{i.detail[:60]}]" for i in items)
        return "\n".join(lines) + "\n"


def _items(store: Store, sparql: str, iris: tuple[str, ...], detail: str) -> list[Item]:
    """Label ``iris`` in one query (``sparql`` has a VALUES slot); an IRI no longer stored labels itself."""
    if not iris:
        return []
    found = {
        row["node"].value: row for row in store.query(sparql % " ".join(str(ox.NamedNode(i)) for i in iris))
    }

    def value(row, name: str) -> str:
        return row[name].value if row is not None and row[name] is not None else ""

    return [Item(iri, value(found.get(iri), "label") or iri, value(found.get(iri), detail)) for iri in iris]


def describe_run(store: Store, run: RunRecord, *, limit: int | None = 20) -> RunDiff:
    """Label the first ``limit`` papers, entities and claims of each kind a run added (all when None)."""
    c = run.changes

    def first(iris: tuple[str, ...]) -> tuple[str, ...]:
        return iris if limit is None else iris[:limit]

    return RunDiff(
        run,
        {
            "new papers": _items(store, _PAPER_LABELS, first(c.added_papers), "key"),
            "replaced papers": _items(store, _PAPER_LABELS, first(c.replaced_papers), "key"),
            "new entities": _items(store, _ENTITY_LABELS, first(c.new_entities), "types"),
            "new claims": _items(store, _CLAIM_LABELS, first(c.new_claims), "paper"),
        },
    )
