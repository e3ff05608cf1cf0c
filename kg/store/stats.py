"""Counts per class and per relation, for `kg stats` and for checking a build."""

from __future__ import annotations

import pyoxigraph as ox

from kg.rdf.vocab import KG
from kg.store.core import KgStore

CLASSES = (
    "Paper",
    "Entity",
    "Method",
    "Dataset",
    "Benchmark",
    "Task",
    "Metric",
    "Mention",
    "Claim",
    "Sentence",
    "Value",
    "Result",
    "Assertion",
)
RELATIONS = (
    "mentions",
    "proposes",
    "uses",
    "evaluatesOn",
    "addresses",
    "measuredBy",
    "outperforms",
    "makesClaim",
    "about",
)

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {
  ?node a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
} GROUP BY ?class
"""
# DISTINCT first: the union of graphs repeats a triple once per paper graph that states it.
_RELATION_COUNTS = """
SELECT ?rel (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?s ?rel ?o WHERE { VALUES ?rel { %s } ?s ?rel ?o }
} GROUP BY ?rel
"""


def _counts(store: KgStore, sparql: str, variable: str) -> dict[str, int]:
    """Local name of each ``kg:`` term bound to ``variable`` -> the count in ``?n``."""
    prefix = str(KG)
    counts: dict[str, int] = {}
    for row in store.query(sparql):
        term = row[variable]
        if isinstance(term, ox.NamedNode) and term.value.startswith(prefix):
            counts[term.value[len(prefix) :]] = int(row["n"].value)
    return counts


def graph_stats(store: KgStore) -> dict[str, dict[str, int]]:
    """Distinct nodes per kg class and distinct edges per kg relation, plus store totals.

    Every class and relation of the data model is listed, with 0 when absent, so the shape of the result does
    not depend on the data.

    Returns:
        ``{"classes": {"Paper": n, ...}, "relations": {"mentions": n, ...},
        "store": {"triples": distinct triples, "paper graphs": n}}``.

    Raises:
        QueryError: the store cannot be read.
    """
    classes = _counts(store, _CLASS_COUNTS, "class")
    values = " ".join(f"kg:{name}" for name in RELATIONS)
    relations = _counts(store, _RELATION_COUNTS % values, "rel")
    totals = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    paper_graphs = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?paper a kg:Paper } }")
    return {
        "classes": {name: classes.get(name, 0) for name in CLASSES},
        "relations": {name: relations.get(name, 0) for name in RELATIONS},
        "store": {
            "triples": int(next(totals)["n"].value),
            "paper graphs": int(next(paper_graphs)["n"].value),
        },
    }
