"""The drawable graph: papers and entities as nodes, typed relations as edges, read from the store by SPARQL.

The page shows papers as nodes of their own (rather than folding them into entity-entity edges) because the
relation types the reader wants to see are paper -> entity edges (proposes, uses, evaluatesOn, addresses,
measuredBy); only ``kg:outperforms`` links two entities directly. A paper's plain ``kg:mentions`` edge to an
entity is drawn only when the paper has no typed relation to it, so every entity keeps its papers in view
without doubling the edges the writer asserts twice (typed edge and mention).

Everything is loaded with five whole-graph queries (structure only: labels, counts, edges); the longer texts
shown in tooltips (claims) are fetched afterwards only for the nodes that are drawn (kg.viz.details).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.query.sparql import Term, select
from kg.rdf.vocab import ENTITY_CLASS, RELATION
from kg.store import KgStore

PAPER = "Paper"
# When papers disagree on an entity's type, it is drawn as the first of these it has (a benchmark is a
# dataset, so the more specific type wins); the tooltip lists all of them.
TYPE_PRIORITY = ("Benchmark", "Dataset", "Method", "Task", "Metric")
RELATION_ORDER = (*RELATION, "mentions")

_CLASS_VALUES = " ".join(f"<{iri}>" for iri in ENTITY_CLASS.values())
_RELATION_VALUES = " ".join(f"kg:{name}" for name in RELATION_ORDER)

# The writer repeats an entity's type, key and labels in every paper graph that mentions it, and the union
# default graph keeps one copy per graph: every query here is DISTINCT (or counts DISTINCT) and joins nothing
# it does not need, or rows multiply by the number of papers per property.
ENTITY_CLASSES = f"""
SELECT DISTINCT ?node ?class WHERE {{
  VALUES ?class {{ {_CLASS_VALUES} }}
  ?node a ?class .
}}
"""
ENTITY_NAMES = """
SELECT DISTINCT ?node ?property ?value WHERE {
  VALUES ?property { skos:prefLabel kg:key kg:acronym }
  ?node ?property ?value .
}
"""
PAPER_COUNTS = (
    "SELECT ?node (COUNT(DISTINCT ?paper) AS ?papers) WHERE { ?paper kg:mentions ?node } GROUP BY ?node"
)
PAPERS = """
SELECT DISTINCT ?node ?title ?identifier ?date WHERE {
  ?node a kg:Paper .
  OPTIONAL { ?node dcterms:title ?title }
  OPTIONAL { ?node dcterms:identifier ?identifier }
  OPTIONAL { ?node dcterms:date ?date }
}
"""
EDGES = f"""
SELECT DISTINCT ?source ?relation ?target WHERE {{
  VALUES ?relation {{ {_RELATION_VALUES} }}
  ?source ?relation ?target .
}}
"""


@dataclass(frozen=True)
class VizNode:
    """One node as the page draws it.

    ``kind`` is "Paper" or the entity type it is drawn as; ``types`` are all entity types it has (empty for a
    paper); ``papers`` is the number of papers that mention an entity (1 for a paper itself).
    """

    iri: str
    kind: str
    label: str
    papers: int
    types: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    identifier: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class VizEdge:
    """A drawn edge; ``relations`` lists every relation between the two ends in RELATION_ORDER."""

    source: str
    target: str
    relations: tuple[str, ...]


@dataclass(frozen=True)
class VizGraph:
    """Nodes by IRI and the edges between them, in a stable order (same store, same page)."""

    nodes: dict[str, VizNode]
    edges: tuple[VizEdge, ...]

    def subgraph(self, keep: set[str]) -> VizGraph:
        """The nodes in ``keep`` and the edges whose both ends are in it."""
        nodes = {iri: node for iri, node in self.nodes.items() if iri in keep}
        return VizGraph(nodes, tuple(e for e in self.edges if e.source in nodes and e.target in nodes))


def load_graph(store: KgStore) -> VizGraph:
    """Read every paper, entity and relation edge of the store.

    Returns:
        The whole graph; edges whose ends are not both papers or typed entities are left out.

    Raises:
        QueryError: the store could not be queried.
    """
    nodes = {**_entities(store), **_papers(store)}
    return VizGraph(dict(sorted(nodes.items())), _edges(store, nodes))


def _entities(store: KgStore) -> dict[str, VizNode]:
    """Entity nodes with their drawn type, preferred label (else key), paper count and acronyms."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in select(store, ENTITY_CLASSES).records():
        types[row["node"].value].add(row["class"].value.rsplit("#", 1)[-1])
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in select(store, ENTITY_NAMES).records():
        names[row["node"].value, row["property"].value.rsplit("#", 1)[-1]].append(row["value"].value)
    counts = {row["node"].value: int(row["papers"].value) for row in select(store, PAPER_COUNTS).records()}
    return {
        iri: VizNode(
            iri=iri,
            kind=next(t for t in TYPE_PRIORITY if t in kinds),
            label=min(names[iri, "prefLabel"] or names[iri, "key"] or [iri]),
            papers=counts.get(iri, 0),
            types=tuple(t for t in TYPE_PRIORITY if t in kinds),
            acronyms=tuple(sorted(names[iri, "acronym"])),
        )
        for iri, kinds in types.items()
    }


def _papers(store: KgStore) -> dict[str, VizNode]:
    """Paper nodes labelled by title (or identifier when the title is empty)."""
    papers: dict[str, VizNode] = {}
    for row in select(store, PAPERS).records():
        iri = row["node"].value
        identifier = _text(row["identifier"])
        title = _text(row["title"]) or identifier or iri
        papers[iri] = VizNode(iri, PAPER, title, 1, identifier=identifier, date=_text(row["date"]))
    return papers


def _edges(store: KgStore, nodes: dict[str, VizNode]) -> tuple[VizEdge, ...]:
    """Relation edges between known nodes, merged per (source, target); bare mentions only when untyped."""
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in select(store, EDGES).records():
        ends = (row["source"].value, row["target"].value)
        if ends[0] in nodes and ends[1] in nodes:
            relations[ends].add(row["relation"].value.rsplit("#", 1)[-1])
    edges = []
    for (source, target), names in sorted(relations.items()):
        typed = names - {"mentions"} or names
        edges.append(VizEdge(source, target, tuple(r for r in RELATION_ORDER if r in typed)))
    return tuple(edges)


def _text(term: Term | None) -> str | None:
    """A literal's text, None when the variable was unbound."""
    return term.value if term is not None else None
