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

A paper stored under a weaker key (its title) and given a stronger one by a later input (its arXiv id) is
re-keyed by the writer (kg.store.write): its old IRI is gone after the build and its new one is there. That
is not a new paper, so the run counts it as replaced and states ``<old> dcterms:isReplacedBy <new>`` in its
graph. Earlier runs keep naming the old IRI; the link is what makes those references resolve (the shapes
accept a run's paper that is a ``kg:Paper`` or is replaced by one) and lets `kg diff` label them by the
paper they became. ``dcterms:isReplacedBy`` rather than ``owl:sameAs``: it says which IRI is current, and
it entails nothing that would give the old IRI the new paper's statements.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import __version__
from kg.batching import chunks
from kg.errors import NotFoundError
from kg.rdf.iris import claim_parts, claims_prefix, paper_key, sparql_terms
from kg.rdf.vocab import OX_DCTERMS, OX_KG, OX_PROV, OX_RDF, OX_XSD
from kg.store.write import stored_aliases

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


@dataclass(frozen=True, order=True)
class Rekeyed:
    """A paper the run re-keyed: the IRI it was stored under and the one it is stored under now."""

    old: str
    new: str


_REKEY_CHUNK = 256  # papers per identity query, so a large build does not send one huge VALUES block


def find_rekeyed(store: Store, before: Snapshot, after: Snapshot) -> tuple[Rekeyed, ...]:
    """The papers that left the store between the snapshots because a paper written in between has their IRI
    as a weaker-key alias (kg.store.write.stored_aliases), sorted.

    Only a re-keying removes a paper, so nothing is asked of the store when no paper left it.
    """
    gone = set(before.papers) - set(after.papers)
    written = sorted(p for p, digests in after.papers.items() if before.papers.get(p) != digests)
    found: list[Rekeyed] = []
    for chunk in chunks(written, _REKEY_CHUNK):
        if not gone:
            break
        for paper, aliases in stored_aliases(store, chunk).items():
            for alias in gone.intersection(aliases):
                found.append(Rekeyed(alias, paper))
                gone.discard(alias)
    return tuple(sorted(found))


def _moved(claim: str, papers: Mapping[str, str]) -> str:
    """The IRI of ``claim`` once its paper is keyed as ``papers`` says (paper IRI -> paper IRI): the same span
    of the same text; a claim of a paper not in ``papers`` gives itself."""
    if not papers:
        return claim
    paper, span = claim_parts(claim)
    return f"{claims_prefix(papers[paper])}/{span}" if paper in papers else claim


@dataclass(frozen=True)
class Changes:
    """What differs between two snapshots, each list sorted.

    A re-keyed paper is among ``replaced_papers`` under its new IRI, and in ``rekeyed`` with both; its
    claims are not new when the old paper had them, although their IRIs changed with its key.
    """

    added_papers: tuple[str, ...]
    replaced_papers: tuple[str, ...]
    new_entities: tuple[str, ...]
    new_claims: tuple[str, ...]
    rekeyed: tuple[Rekeyed, ...] = ()

    @classmethod
    def between(cls, before: Snapshot, after: Snapshot, rekeyed: Iterable[Rekeyed] = ()) -> Changes:
        """The changes from ``before`` to ``after``, given the re-keyings :func:`find_rekeyed` found."""
        rekeyed = tuple(sorted(rekeyed))
        back = {r.new: r.old for r in rekeyed}
        changed = {p for p, d in after.papers.items() if p in before.papers and d != before.papers[p]}
        claims = (c for c in after.claims - before.claims if _moved(c, back) not in before.claims)
        return cls(
            tuple(sorted(set(after.papers) - set(before.papers) - set(back))),
            tuple(sorted(changed | set(back))),
            tuple(sorted(after.entities - before.entities)),
            tuple(sorted(claims)),
            rekeyed,
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
        for r in c.rekeyed:
            yield ox.Triple(ox.NamedNode(r.old), OX_DCTERMS.isReplacedBy, ox.NamedNode(r.new))

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
            "rekeyed": [{"old": r.old, "new": r.new} for r in c.rekeyed],
        }


@dataclass
class RunClock:
    """Start time and snapshot of a run in progress; :meth:`finish` turns them into a record."""

    base: str
    before: Snapshot
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def finish(
        self,
        store: Store,
        *,
        inputs: Iterable[str | Path],
        pipeline_version: str,
        executor: str,
        papers_unchanged: int,
        records_skipped: int,
    ) -> RunRecord | None:
        """The record of the run, compared against ``store`` as the build left it, or None when the run
        changed nothing (such a run is not recorded)."""
        after = take_snapshot(store)
        changes = Changes.between(self.before, after, find_rekeyed(store, self.before, after))
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
_REKEYED = """
SELECT ?run ?old ?new WHERE { GRAPH ?graph { ?run a kg:BuildRun . ?old dcterms:isReplacedBy ?new } }
"""
_MEMBERS = """
SELECT ?run ?prop ?item WHERE {
  VALUES ?prop { prov:used kg:addedPaper kg:replacedPaper kg:addedEntity kg:addedClaim }
  ?run ?prop ?item .
}
"""


def list_runs(store: Store, base: str) -> list[RunRecord]:
    """Every run recorded under ``base``, newest first (three queries, whatever the number of runs)."""
    members: dict[tuple[str, str], list[str]] = {}
    for row in store.query(_MEMBERS):
        key = (row["run"].value, row["prop"].value.rsplit("#", 1)[-1])
        members.setdefault(key, []).append(row["item"].value)

    def items(run: str, prop: str) -> tuple[str, ...]:
        return tuple(sorted(members.get((run, prop), ())))

    rekeyed: dict[str, list[Rekeyed]] = {}
    for row in store.query(_REKEYED):
        rekeyed.setdefault(row["run"].value, []).append(Rekeyed(row["old"].value, row["new"].value))

    runs = []
    for row in store.query(_RUNS):
        run = row["run"].value
        if not run.startswith(f"{base}run/"):
            continue
        changes = Changes(*(items(run, p) for p in _CHANGE_PROPS), tuple(sorted(rekeyed.get(run, ()))))
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
_SUCCESSORS = "SELECT ?old ?new WHERE { VALUES ?old { %s } ?old dcterms:isReplacedBy ?new }"
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
            f"papers: {len(c.added_papers)} added, {len(c.replaced_papers)} replaced"
            f"{f' ({len(c.rekeyed)} re-keyed)' if c.rekeyed else ''}, {r.papers_unchanged} unchanged; "
            f"{r.records_skipped} records skipped; {len(c.new_entities)} new entities, "
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
    found = {row["node"].value: row for row in store.query(sparql % sparql_terms(iris))}

    def value(row, name: str) -> str:
        return row[name].value if row is not None and row[name] is not None else ""

    return [Item(iri, value(found.get(iri), "label") or iri, value(found.get(iri), detail)) for iri in iris]


def _current(store: Store, iris: tuple[str, ...]) -> dict[str, str]:
    """Where each of ``iris`` (papers no longer stored) went: the end of its ``dcterms:isReplacedBy`` chain.

    Two steps at most, since a key can be strengthened twice (title, then DOI, then arXiv id); followed in
    Python rather than with a property path, which not every SPARQL store accepts from a VALUES block.
    """
    current = {iri: iri for iri in iris}
    for _ in range(2):
        ends = sorted(set(current.values()))
        step = {row["old"].value: row["new"].value for row in store.query(_SUCCESSORS % sparql_terms(ends))}
        if not step:
            break
        current = {iri: step.get(end, end) for iri, end in current.items()}
    return current


def _paper_items(store: Store, iris: tuple[str, ...], renamed: Mapping[str, str]) -> list[Item]:
    """Label papers by title, with their key as detail.

    A paper this run re-keyed (``renamed``: new IRI -> old IRI) shows the key it had ("..., was title:...");
    one a later run re-keyed holds nothing under its IRI any more, so it is labelled by the paper it became
    ("title:..., now arxiv:...").
    """
    items = _items(store, _PAPER_LABELS, iris, "key")
    gone = tuple(i.iri for i in items if not i.detail)  # every stored paper has a dcterms:identifier
    now = _current(store, gone) if gone else {}
    found = {i.iri: i for i in _items(store, _PAPER_LABELS, tuple(sorted(set(now.values()))), "key")}
    labelled = []
    for item in items:
        if item.iri in renamed:
            item = Item(item.iri, item.label, f"{item.detail}, was {paper_key(renamed[item.iri])}")
        elif item.iri in now and found[now[item.iri]].detail:
            current = found[now[item.iri]]
            item = Item(item.iri, current.label, f"{paper_key(item.iri)}, now {current.detail}")
        labelled.append(item)
    return labelled


def _claim_items(store: Store, iris: tuple[str, ...]) -> list[Item]:
    """Label claims by their text, with their paper's title.

    A claim of a paper a later run re-keyed is stored under the new key (its IRI names the paper's key): it
    is labelled by the claim it became.
    """
    items = _items(store, _CLAIM_LABELS, iris, "paper")
    unlabelled = {claim_parts(i.iri)[0] for i in items if i.label == i.iri}  # a stored claim has kg:text
    gone = tuple(sorted(unlabelled))
    now = {old: new for old, new in _current(store, gone).items() if old != new} if gone else {}
    moved = {i.iri: iri for i in items if (iri := _moved(i.iri, now)) != i.iri}
    found = {i.iri: i for i in _items(store, _CLAIM_LABELS, tuple(sorted(set(moved.values()))), "paper")}
    return [
        Item(i.iri, found[moved[i.iri]].label, found[moved[i.iri]].detail) if i.iri in moved else i
        for i in items
    ]


def describe_run(store: Store, run: RunRecord, *, limit: int | None = 20) -> RunDiff:
    """Label the first ``limit`` papers, entities and claims of each kind a run added (all when None)."""
    c = run.changes
    renamed = {r.new: r.old for r in c.rekeyed}

    def first(iris: tuple[str, ...]) -> tuple[str, ...]:
        return iris if limit is None else iris[:limit]

    return RunDiff(
        run,
        {
            "new papers": _paper_items(store, first(c.added_papers), renamed),
            "replaced papers": _paper_items(store, first(c.replaced_papers), renamed),
            "new entities": _items(store, _ENTITY_LABELS, first(c.new_entities), "types"),
            "new claims": _claim_items(store, first(c.new_claims)),
        },
    )
