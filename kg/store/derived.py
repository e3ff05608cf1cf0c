"""The derived graph: facts no single paper owns, recomputed from all paper graphs a batch at a time.

Why it is done this way:

- Memory is bounded by a batch, not by the corpus (issue 7: reading the whole corpus into Python, then
  diffing and writing the whole derived graph in one update, took the main process to 7.5 GB at 100k
  papers). Entities are taken ``Batches.entities`` at a time and what the derived graph says about them
  (labels, paper counts, card index) is read with ``VALUES`` queries for that batch only. Assertions are
  streamed; what stays for the whole refresh is a few numbers per assertion *group* (relation, head, tail:
  the edge vocabulary, not the papers) and, inside Oxigraph, the entity IRIs its ``DISTINCT`` streams.
- The query shapes are the ones Oxigraph answers fast, measured: ``VALUES`` blocks of at most a few hundred
  terms (at 5,000 a lookup join took 15x longer), one ``VALUES`` per query (a second one, say over
  relations, made it 10x slower: hence the ``UNION`` of fixed predicates) and no ``OPTIONAL`` (up to 100x).
- Counts are over distinct papers: each read joins a fact to the ``?p a kg:Paper`` of its own graph, so an
  old and a new version of a paper left side by side by an interrupted build count once.
- An assertion's group is read from its IRI, which ``kg.rdf.iris.assertion_iri`` builds from exactly those
  parts under the paper's own segment. The support counts are diffed per group without a lookup per
  assertion: a group whose derived lines have the wanted count, value and XOR of assertion-IRI hashes as
  the paper graphs is left alone; only the other groups' lines are compared one by one.
- Only the difference to the current derived graph is written (``DELETE DATA`` / ``INSERT DATA``): a large
  ``INSERT DATA`` costs far more than the reads, and a rebuild changes few facts. It is written in updates
  of about ``Batches.lines`` lines: a refresh whose difference fits in one is atomic, as before; a larger one
  (a first build) takes several, so an interrupted refresh can leave part of the derived graph stale, which
  the next refresh repairs because it diffs against what is there. A step that only inserts (all of a first
  build's) is bulk-loaded into the embedded store: as ``INSERT DATA`` it went through RocksDB's memtables
  (128 MB per column family, up to 6 each, in the store's OPTIONS file; pyoxigraph has no knob for them),
  which were most of the refresh's memory (bench/README.md, "Memory as the corpus grows").
- Only ``query`` and ``update`` are used, so it runs the same on an external SPARQL store.

The card index: an entity card (kg.query.card) lists an entity's first papers, claims and co-linked entities,
which live queries find by reading every paper that mentions the entity: fine for most entities, far too slow
for one that a third of 100k papers mention. So for entities with at least ``index_min`` papers the lists the
card shows are kept here, ``CARD_DEPTH`` long (see ontology/README.md, "Named graphs").
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.batching import chunks
from kg.rdf import iris
from kg.rdf.vocab import KG
from kg.store.core import KgStore
from kg.types import ENTITY_TYPES

RANK_DEPTH = 25  # entities per ranking (top-entities, top-benchmarks: the LIMIT of those named queries)
CARD_DEPTH = 10  # papers, claims and co-linked entities per relation the card index keeps for an entity
INDEX_MIN = 20  # papers from which an entity gets a card index; below, live card queries take a few ms
LABEL_CACHE = 100_000  # preferred labels a refresh keeps at most (about 30 MB), see _Entities
PAPER_RELATIONS = ("proposes", "uses", "evaluatesOn", "addresses", "measuredBy")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENTITY_FACTS = " ".join(
    f"<{p}>" for p in (SKOS.prefLabel, KG.paperCount, KG.mainType, KG.topPaper, KG.topClaim, KG.coLink)
)
_TYPE_CLASSES = tuple(str(KG[name]) for name in ENTITY_TYPES)  # also the tie order of kg:mainType

# Assertions with their graph's paper (streamed), and papers held by more than one graph.
_ASSERTIONS = "SELECT ?p ?x WHERE { GRAPH ?g { ?p a kg:Paper . ?x a kg:Assertion } }"
_SPLIT_PAPERS = (
    "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a kg:Paper } GRAPH ?h { ?p a kg:Paper } FILTER(?g != ?h) }"
)


@dataclass(frozen=True)
class Batches:
    """How much one step of the refresh handles: the memory bound, and the size of each write.

    ``entities``: entities per read batch, and IRIs per ``VALUES`` block (a batch holds its entities'
    papers, claims and co-links); ``lines``: N-Triples lines (deleted plus inserted) after which the queued
    difference is written. The derived graph does not depend on them (tests/test_store_derived.py).
    """

    entities: int = 400
    lines: int = 50_000


def date_key(date: str | None) -> str:
    """A sortable ``YYYY[-MM[-DD]]`` for a paper date in ISO form or as words ("March 2023"); "" if none.

    Keys compare as strings, so a month-precision date sorts just before the days of that month.
    """
    if not date:
        return ""
    iso = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", date.strip())
    if iso:
        return iso.group(0)
    year = re.search(r"\b(\d{4})\b", date)
    if not year:
        return ""
    month = next((i for i, m in enumerate(MONTHS, 1) if re.search(rf"\b{m}", date, re.IGNORECASE)), None)
    return f"{year.group(1)}-{month:02d}" if month else year.group(1)


def _linked(node: str, relations: Iterable[str]) -> str:
    """``?s kg:rel <node>`` for each relation, as a UNION binding ``?rel`` (one VALUES block per query)."""
    return " UNION ".join(f"{{ ?s kg:{r} {node} BIND(kg:{r} AS ?rel) }}" for r in relations)


def _entities_query(derived: str) -> str:
    """Every entity the derived graph may have to say something about: labelled or mentioned in some graph,
    or the subject of an entity fact in the derived graph (so that one no paper holds any more is found and
    its facts deleted). DISTINCT keeps one row per entity, however many papers name it."""
    return f"""SELECT DISTINCT ?e WHERE {{
  {{ GRAPH ?g {{ ?e kg:label ?label }} }} UNION {{ GRAPH ?g {{ ?s kg:mentions ?e }} }}
  UNION {{ VALUES ?fact {{ {_ENTITY_FACTS} }} GRAPH <{derived}> {{ ?e ?fact ?o }} }} }}"""


def _integer(n: int) -> str:
    return str(ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer))))


class _DiffWriter:
    """Writes the difference to the derived graph in updates of about ``limit`` lines each, so neither the
    update text nor Oxigraph's transaction grows with the corpus."""

    def __init__(self, store: KgStore, derived: str, limit: int) -> None:
        self.store, self.derived, self.limit = store, derived, limit
        self.stale: set[str] = set()
        self.new: set[str] = set()

    def add(self, current: Iterable[str], wanted: Iterable[str]) -> None:
        """Queue what ``current`` has and ``wanted`` lacks for deletion, and the reverse for insertion."""
        current, wanted = set(current), set(wanted)
        self.stale |= current - wanted
        self.new |= wanted - current
        if len(self.stale) + len(self.new) >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Write what is queued in one atomic step, if anything is: one update, or, when there is only
        something to insert and the store is the embedded one, one bulk load."""
        if self.new and not self.stale and isinstance(self.store, KgStore):
            self.store.load_nquads("".join(f"{line[:-1]}<{self.derived}> .\n" for line in sorted(self.new)))
        elif self.stale or self.new:
            stale, new = "\n".join(sorted(self.stale)), "\n".join(sorted(self.new))
            self.store.update(
                f"DELETE DATA {{ GRAPH <{self.derived}> {{\n{stale}\n}} }} ;\n"
                f"INSERT DATA {{ GRAPH <{self.derived}> {{\n{new}\n}} }}"
            )
        self.stale, self.new = set(), set()


@dataclass
class _Group:
    """One assertion group on one side (paper graphs or derived graph): assertions, XOR of their IRIs'
    hashes, and (derived side) whether a line holds another count than the paper graphs give."""

    count: int = 0
    xor: int = 0
    off: bool = False

    def add(self, assertion: str) -> None:
        self.count += 1
        self.xor ^= hash(assertion)


class _Support:
    """The support counts: per group, the distinct papers asserting it, and the streaming diff of the
    derived graph's ``kg:supportCount`` lines against them."""

    def __init__(self, store: KgStore, base: str, derived: str) -> None:
        self.store, self.base, self.derived = store, base, derived
        self.split = {row["p"].value for row in store.query(_SPLIT_PAPERS)}
        self.papers: dict[str, _Group] = defaultdict(_Group)
        for group, assertion in self._assertions():
            self.papers[group].add(assertion)

    def _assertions(self) -> Iterator[tuple[str, str]]:
        """(group, assertion) for each assertion under its graph's paper, once even if the paper has two
        graphs. Group: "relation/tail slug" or "relation/head slug/tail slug"; the same group in two papers
        is the same edge."""
        seen: set[str] = set()  # only assertions of papers with several graphs
        papers = f"{self.base}paper/"
        for row in self.store.query(_ASSERTIONS):
            paper, assertion = row["p"].value, row["x"].value
            prefix = f"{self.base}assertion/{paper.removeprefix(papers)}/"  # {base}assertion/{paper}/{group}
            if not assertion.startswith(prefix) or assertion in seen:
                continue
            if paper in self.split:
                seen.add(assertion)
            yield assertion[len(prefix) :], assertion

    def _current(self) -> Iterator[tuple[str, str, str]]:
        """(group, assertion, line) for each ``kg:supportCount`` in the derived graph (group "" if the IRI
        is no assertion's: never wanted)."""
        query = f"SELECT ?x ?n WHERE {{ GRAPH <{self.derived}> {{ ?x kg:supportCount ?n }} }}"
        for row in self.store.query(query):
            assertion = row["x"].value
            _, slash, group = assertion.removeprefix(f"{self.base}assertion/").partition("/")
            yield group if slash else "", assertion, f"<{assertion}> <{KG.supportCount}> {row['n']} ."

    def line(self, assertion: str, group: str) -> str:
        """The wanted ``kg:supportCount`` line of an assertion of ``group``."""
        return f"<{assertion}> <{KG.supportCount}> {_integer(self.papers.get(group, _Group()).count)} ."

    def outperforms(self) -> dict[str, list[tuple[str, str, int]]]:
        """Entity IRI -> (side of the other entity, other entity, papers) for its outperforms edges both ways
        (the other entity is the rdf:object of "entity outperforms it", the rdf:subject of "it outperforms
        entity")."""
        edges: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for group, papers in self.papers.items():
            rel, *ends = group.split("/")
            if rel == "outperforms" and len(ends) == 2:
                head, tail = (f"{self.base}entity/{slug}" for slug in ends)
                edges[head].append(("object", tail, papers.count))
                edges[tail].append(("subject", head, papers.count))
        return edges

    def write(self, writer: _DiffWriter) -> None:
        """Queue the difference: groups whose derived lines match the paper graphs are skipped; in the others,
        lines with another count are stale, and the assertions of lines with the right count are kept in a
        set to be matched against the wanted ones (only groups whose papers changed but not their number)."""
        derived: dict[str, _Group] = defaultdict(_Group)
        for group, assertion, line in self._current():
            derived[group].add(assertion)
            derived[group].off |= line != self.line(assertion, group)
        changed = {
            group
            for group in derived.keys() | self.papers.keys()
            if derived.get(group, _Group()) != self.papers.get(group, _Group())  # ``off`` makes them differ
        }
        if not changed:
            return
        kept: set[str] = set()
        for group, assertion, line in self._current():
            if group in changed:
                if line == self.line(assertion, group):
                    kept.add(assertion)
                else:
                    writer.add([line], ())
        for group, assertion in self._assertions():
            if group in changed and assertion not in kept:
                writer.add((), [self.line(assertion, group)])
            kept.discard(assertion)
        for _, assertion, line in self._current():
            if assertion in kept:
                writer.add([line], ())


@dataclass
class _EntityBatch:
    """What the refresh reads about a batch of entities, by IRI string.

    ``mentioned``: entity -> papers that mention it; ``relations``: entity -> paper -> typed relations it has
    to the entity; ``date``, ``title``: per paper the card orders; ``claims``: entity -> claim -> (paper,
    text); ``co_links``: entity -> (relation IRI, side, other entity) -> papers.
    """

    mentioned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    relations: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    date: dict[str, str] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    claims: dict[str, dict[str, tuple[str, str]]] = field(default_factory=lambda: defaultdict(dict))
    co_links: dict[str, Counter[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(Counter))


class _Ranking:
    """Per key, the ``RANK_DEPTH`` entities with the most papers, then by preferred label and IRI (the order
    of the named queries that list them), kept while the entity batches stream by: a bounded heap per key.
    Written as ``<key> predicate <entity>``.

    Two rankings are kept: per main type (``kg:topEntity``, for top-entities) and of the entities papers
    evaluate on (``kg:evaluatesOn kg:topObject``, for top-benchmarks). Ranking in the query instead had to
    read the label of every candidate before it could sort, and a subquery that ranks first cannot see a
    bound value (bindings do not reach into subqueries)."""

    def __init__(self, predicate: str) -> None:
        self.predicate = predicate
        # heapq keeps the smallest first: the entry to drop is the one ranked last
        self.heaps: dict[str, list[tuple[int, _Descending, str]]] = defaultdict(list)

    def add(self, key: str, entity: str, papers: int, label: str) -> None:
        heap = self.heaps[key]
        entry = (papers, _Descending((label, entity)), entity)
        if len(heap) < RANK_DEPTH:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)

    def lines(self) -> set[str]:
        return {f"<{k}> <{self.predicate}> <{e}> ." for k, heap in self.heaps.items() for _, _, e in heap}

    def current(self, store: KgStore, derived: str) -> set[str]:
        query = f"SELECT ?k ?e WHERE {{ GRAPH <{derived}> {{ ?k <{self.predicate}> ?e }} }}"
        return {f"{row['k']} <{self.predicate}> {row['e']} ." for row in store.query(query)}


@dataclass(frozen=True)
class _Descending:
    """Orders its value backwards, so that in the ranking's heap a smaller label ranks higher."""

    value: tuple[str, str]

    def __lt__(self, other: _Descending) -> bool:
        return self.value > other.value

    def __gt__(self, other: _Descending) -> bool:
        return self.value < other.value


class _Entities:
    """Reads about batches of entities; ``size``: IRIs per VALUES block.

    Preferred labels are cached (up to ``LABEL_CACHE`` entities, then the cache starts over): the card index
    of every batch needs the labels of the entities it co-links to, mostly the same frequent ones, which
    took most of the refresh's time when read again for each batch.
    """

    def __init__(self, store: KgStore, base: str, support: _Support, index_min: int, size: int) -> None:
        self.store, self.base, self.index_min, self.size = store, base, index_min, size
        self.by_type, self.evaluated = _Ranking(str(KG.topEntity)), _Ranking(str(KG.topObject))
        self.outperforms = support.outperforms()
        self.labels: dict[str, str | None] = {}  # None: the entity has no label in any paper graph

    def _rows(
        self, select: str, nodes: Iterable[str], where: str, var: str = "e"
    ) -> Iterator[ox.QuerySolution]:
        """``SELECT DISTINCT select`` of ``where`` (a pattern over ``?var``, an entity unless said) for
        ``size`` nodes at a time.

        DISTINCT without the graph: a fact an old and a new version of a paper both hold comes once."""
        for chunk in chunks(nodes, self.size):
            values = iris.sparql_terms(chunk)
            yield from self.store.query(
                f"SELECT DISTINCT {select} WHERE {{ VALUES ?{var} {{ {values} }} {where} }}"
            )

    def pref_labels(self, entities: list[str]) -> dict[str, str]:
        """Each entity's preferred label: the ``kg:label`` most papers use, ties to the smallest string."""
        if len(self.labels) + len(entities) > LABEL_CACHE:
            self.labels.clear()
        missing = [e for e in entities if e not in self.labels]
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self._rows("?e ?label ?p", missing, "GRAPH ?g { ?e kg:label ?label . ?p a kg:Paper }"):
            votes[row["e"].value][row["label"].value] += 1
        for e in missing:
            self.labels[e] = (
                min(votes[e].items(), key=lambda item: (-item[1], item[0]))[0] if votes[e] else None
            )
        return {e: label for e in entities if (label := self.labels[e]) is not None}

    def main_types(self, entities: list[str]) -> dict[str, str]:
        """Each entity's type in most papers (ties: the first in kg.types.ENTITY_TYPES), as a class IRI.

        Papers disagree ("reinforcement learning" is a Method in some, a Task in others) and the entity
        carries every type they give it; rankings and cards want one."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        # kg:Entity is filtered here, not in the query: a second VALUES block slows Oxigraph down 10x
        for row in self._rows("?e ?t ?p", entities, "GRAPH ?g { ?e a ?t . ?p a kg:Paper }"):
            if row["t"].value in _TYPE_CLASSES:
                votes[row["e"].value][row["t"].value] += 1
        return {
            e: min(count.items(), key=lambda item: (-item[1], _TYPE_CLASSES.index(item[0])))[0]
            for e, count in votes.items()
        }

    def _paper_values(self, papers: Iterable[str], predicate: str) -> dict[str, str]:
        """A value of ``predicate`` per paper (read from the paper's graphs), for those that have one."""
        rows = self._rows("?p ?v", papers, f"GRAPH ?g {{ ?p a kg:Paper ; <{predicate}> ?v }}", var="p")
        return {row["p"].value: row["v"].value for row in rows}

    def read(self, entities: list[str]) -> tuple[_EntityBatch, list[str]]:
        """Read a batch of entities, and which of them get a card index (those in ``index_min`` papers)."""
        batch = _EntityBatch()
        links = f"GRAPH ?g {{ {_linked('?e', ('mentions', *PAPER_RELATIONS))} ?p a kg:Paper }}"
        for row in self._rows("?e ?rel ?p", entities, links):
            entity, paper, rel = row["e"].value, row["p"].value, row["rel"].value.rsplit("#", 1)[-1]
            if rel == "mentions":
                batch.mentioned[entity].add(paper)
            else:
                batch.relations[entity][paper].add(rel)
        indexed = sorted(e for e in entities if len(batch.mentioned.get(e, ())) >= self.index_min)
        if not indexed:
            return batch, indexed
        claims = "GRAPH ?g { ?c kg:about ?e ; kg:text ?text . ?p a kg:Paper }"
        for row in self._rows("?e ?c ?text ?p", indexed, claims):
            batch.claims[row["e"].value][row["c"].value] = (row["p"].value, row["text"].value)
        papers = {p for e in indexed for p in batch.mentioned[e] | batch.relations[e].keys()}
        papers |= {paper for claims in batch.claims.values() for paper, _ in claims.values()}
        ordered = sorted(papers)
        batch.date = {p: date_key(d) for p, d in self._paper_values(ordered, str(DCTERMS.date)).items()}
        batch.title = self._paper_values(ordered, str(DCTERMS.title))
        # the typed links of every paper that mentions an entity, from all of that paper's graphs
        co_links = (
            "GRAPH ?g { ?m kg:mentions ?e . ?p a kg:Paper } "
            f"GRAPH ?h {{ ?p a kg:Paper . {_linked('?other', PAPER_RELATIONS)} }}"
        )
        for row in self._rows("?e ?rel ?other ?p", indexed, co_links):
            entity, other = row["e"].value, row["other"].value
            if other != entity:
                batch.co_links[entity][row["rel"].value, "object", other] += 1
        return batch, indexed

    def co_links(
        self, batch: _EntityBatch, indexed: list[str], labels: dict[str, str]
    ) -> Iterator[tuple[str, str, str, str, int]]:
        """(entity, relation IRI, "object" or "subject", other entity, papers) for the indexed entities: the
        entities their papers link to by each relation, and their outperforms edges both ways; per relation
        and side the ``CARD_DEPTH`` with the most papers, then by label and IRI; ``labels`` gains the others'.
        """
        for entity in indexed:
            for side, other, n in self.outperforms.get(entity, ()):
                batch.co_links[entity][str(KG.outperforms), side, other] = n
        others = {other for counter in batch.co_links.values() for _, _, other in counter} - labels.keys()
        labels.update(self.pref_labels(sorted(others)))
        for entity in indexed:
            kinds: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
            for (rel, side, other), n in batch.co_links[entity].items():
                if other in labels:
                    kinds[rel, side].append((other, n))
            for (rel, side), items in kinds.items():
                for other, n in sorted(items, key=lambda item: (-item[1], labels[item[0]], item[0]))[
                    :CARD_DEPTH
                ]:
                    yield entity, rel, side, other, n

    def lines(self, entities: list[str]) -> set[str]:
        """The derived graph's lines about a batch of entities (their card index's co-link nodes included)."""
        labels = self.pref_labels(entities)
        lines = {f"<{entity}> <{SKOS.prefLabel}> {ox.Literal(label)} ." for entity, label in labels.items()}
        batch, indexed = self.read(entities)
        lines.update(
            f"<{e}> <{KG.paperCount}> {_integer(len(papers))} ." for e, papers in batch.mentioned.items()
        )
        for entity, main_type in self.main_types(entities).items():
            lines.add(f"<{entity}> <{KG.mainType}> <{main_type}> .")
            if entity in labels and entity in batch.mentioned:
                self.by_type.add(main_type, entity, len(batch.mentioned[entity]), labels[entity])
        for entity, papers in batch.relations.items():
            evaluated = sum("evaluatesOn" in relations for relations in papers.values())
            if evaluated and entity in labels:
                self.evaluated.add(str(KG.evaluatesOn), entity, evaluated, labels[entity])
        for entity in indexed:
            linked = batch.mentioned[entity] | set(batch.relations.get(entity, {}))
            lines.update(
                f"<{entity}> <{KG.topPaper}> <{paper}> ."
                for paper in _top_papers(batch, linked, batch.relations[entity])
            )
            claims = _top_claims(batch, batch.claims.get(entity, {}))
            lines.update(f"<{entity}> <{KG.topClaim}> <{claim}> ." for claim in claims)
        derived = iris.derived_graph_iri(self.base).value
        for entity, rel, side, other, n in self.co_links(batch, indexed, labels):
            node = f"<{derived}#link-{iris.digest(' '.join((entity, rel, side, other)))}>"
            lines.add(f"<{entity}> <{KG.coLink}> {node} .")
            lines.add(f"{node} <{RDF.predicate}> <{rel}> .")
            lines.add(f"{node} <{RDF[side]}> <{other}> .")
            lines.add(f"{node} <{RDF.value}> {_integer(n)} .")
        return lines

    def current(self, entities: list[str], derived: str) -> set[str]:
        """What the derived graph holds now about a batch of entities: their own facts, and their co-link
        nodes' (a node belongs to one entity: its IRI is a digest of the entity and the link)."""
        own = f"GRAPH <{derived}> {{ ?e ?p ?o }} BIND(?e AS ?s)"
        nodes = f"GRAPH <{derived}> {{ ?e kg:coLink ?s . ?s ?p ?o }}"
        rows = (row for where in (own, nodes) for row in self._rows("?s ?p ?o", entities, where))
        return {f"{row['s']} {row['p']} {row['o']} ." for row in rows}


def _top_papers(batch: _EntityBatch, papers: set[str], relations: dict[str, set[str]]) -> list[str]:
    """The card's order: papers proposing the entity, then the most typed links, newest, then by IRI."""
    ordered = sorted(papers)
    ordered.sort(key=lambda p: batch.date.get(p, ""), reverse=True)
    ordered.sort(key=lambda p: ("proposes" not in relations.get(p, ()), -len(relations.get(p, ()))))
    return ordered[:CARD_DEPTH]


def _top_claims(batch: _EntityBatch, claims: dict[str, tuple[str, str]]) -> list[str]:
    """The order of kg.query.claims.claims_about: newest paper first, then paper title, sentence, IRI."""
    ordered = sorted(claims, key=lambda c: (batch.title.get(claims[c][0], ""), claims[c][1], c))
    ordered.sort(key=lambda c: batch.date.get(claims[c][0], ""), reverse=True)
    return ordered[:CARD_DEPTH]


def refresh_derived(
    store: KgStore, base: str, *, index_min: int = INDEX_MIN, batches: Batches = Batches()
) -> None:
    """Recompute ``{base}graph/derived`` from the paper graphs, writing only what changed.

    It holds, per entity, exactly one ``skos:prefLabel`` (the ``kg:label`` the most papers use; ties go to
    the smallest string in code-point order, so the choice is stable) and ``kg:paperCount`` (papers that
    mention it); per assertion, ``kg:supportCount``: how many papers assert the same relation to the same
    tail (for paper edges) or from the same head to the same tail (for entity edges such as outperforms).
    Entities and assertions no paper graph holds any more get nothing. Entities with at least ``index_min``
    papers get their card index: ``kg:topPaper``, ``kg:topClaim`` and ``kg:coLink`` (see the module doc).

    Args:
        store: an open, writable store (local or external).
        base: the IRI base the graphs were written with.
        index_min: papers from which an entity gets a card index.
        batches: entities read per step and lines per update (memory, not content).

    Raises:
        StoreError: an update failed (a difference of at most ``batches.lines`` lines is written in one
            update, so then the previous derived graph is kept whole; see the module doc).
    """
    derived = iris.derived_graph_iri(base).value  # minted and validated by kg.rdf.iris, never user text
    writer = _DiffWriter(store, derived, batches.lines)
    support = _Support(store, base, derived)
    entities = _Entities(store, base, support, index_min, batches.entities)
    stream = (row["e"].value for row in store.query(_entities_query(derived)))
    for chunk in chunks(stream, batches.entities):
        writer.add(entities.current(chunk, derived), entities.lines(chunk))
    for ranking in (entities.by_type, entities.evaluated):
        writer.add(ranking.current(store, derived), ranking.lines())
    support.write(writer)
    writer.flush()
