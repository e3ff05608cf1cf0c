"""SPARQL latency for bench/run.py: named queries and entity card, Oxigraph vs an in-memory rdflib Graph;
and what `kg lookup` and `kg neighbors` do after start-up.

Why the comparison is built this way: both engines get the very same query text, prefixes and pre-bound
parameters, and rdflib gets the graph Oxigraph exports (``kg.store.export(store, "nt", ...)``, the union
of all graphs), so the ratio isolates the engine. Parameters are the most frequent entities, the case a
user hits most and the heaviest for the card. The lookup and neighbours rows time the library calls the two
commands make once the store is open (label index, resolution, card; exploration view, networkx graph,
two hops), with their caches beside the store warm, as every run after the first one after a build finds
them; they are reported separately because a cache rebuild is a one-off per build. The two-hop neighbours
are also timed as ``neighbours_around`` reads them from the store, without the whole view.
"""

from __future__ import annotations

import io
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.query.card import CO_LINKED, OUTPERFORMS, PAPERS, entity_card
from kg.query.claims import CLAIMS_ABOUT
from kg.query.lookup import LabelIndex
from kg.query.named import bind_params, load_queries
from kg.query.neighbourhood import neighbours, neighbours_around
from kg.query.sparql import run_query
from kg.query.view import load_view
from kg.rdf.vocab import PREFIXES
from kg.store import KgStore, export, open_store

TOP_OF_TYPE = """
SELECT ?e ?type (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:mentions ?e . ?e a ?type }
GROUP BY ?e ?type ORDER BY DESC(?n) ?e LIMIT 1
"""
CARD_QUERIES = (PAPERS, CO_LINKED, OUTPERFORMS, CLAIMS_ABOUT)
# One rdflib call longer than this is stopped and reported as an error (co-used-datasets ran for more than
# 15 minutes on the 1k store): the ratio is then at least this limit over the Oxigraph p50.
RDFLIB_CALL_LIMIT_S = 120


def frequent(store: KgStore, type_name: str) -> str | None:
    """IRI of the entity of a type mentioned by the most papers (None when the type has no entity)."""
    bound = {"type": ox.NamedNode(PREFIXES["kg"] + type_name)}
    rows = list(store.query(TOP_OF_TYPE, bound))
    return rows[0]["e"].value if rows else None


def param_values(store: KgStore) -> dict[str, str]:
    """A value for every parameter name the shipped queries declare (entities given as IRIs)."""
    method = frequent(store, "Method")
    benchmark = frequent(store, "Benchmark") or frequent(store, "Dataset")
    return {"method": method or "", "benchmark": benchmark or "", "text": "outperforms", "type": "Method"}


def percentiles(samples: list[float], rows: int) -> dict:
    """p50/p95 in milliseconds (nearest rank), with the repetitions and the answer's row count."""
    ordered = sorted(samples)

    def rank(q: float) -> float:
        """Nearest-rank percentile."""
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {"p50": rank(0.5), "p95": rank(0.95), "reps": len(ordered), "rows": rows}


def timed(call: Callable[[], int], reps: int, budget: float) -> dict:
    """Run ``call`` (returns a row count) once to warm up, then ``reps`` times or until ``budget`` seconds."""
    rows = call()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < reps and (not samples or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    return percentiles(samples, rows)


def rdflib_graph(store: KgStore):
    """The store's N-Triples export parsed into an in-memory rdflib Graph, with the load time."""
    import rdflib

    buffer = io.BytesIO()
    export(store, "nt", buffer)
    started = time.perf_counter()
    graph = rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    return graph, time.perf_counter() - started


def to_rdflib(bindings: dict) -> dict:
    """Oxigraph terms -> rdflib terms, keyed by rdflib Variables, for ``initBindings``."""
    import rdflib

    out = {}
    for name, term in bindings.items():
        if isinstance(term, ox.NamedNode):
            value = rdflib.URIRef(term.value)
        elif term.language:
            value = rdflib.Literal(term.value, lang=term.language)
        else:
            datatype = term.datatype.value
            plain = datatype == "http://www.w3.org/2001/XMLSchema#string"
            value = rdflib.Literal(term.value, datatype=None if plain else rdflib.URIRef(datatype))
        out[rdflib.Variable(name)] = value
    return out


def workloads(store: KgStore) -> tuple[dict[str, tuple[str, dict]], str]:
    """Name -> (query text, bindings) for every named query and the card's queries; and the card's entity."""
    values = param_values(store)
    jobs = {}
    for name, query in load_queries().items():
        wanted = {p.name: values[p.name] for p in query.params}
        if all(wanted.values()):
            jobs[name] = (query.text, bind_params(query, wanted, store))
    return jobs, values["method"]


def measure(path: Path, *, reps: int, rdflib: bool, budget: float) -> dict:
    """Latency table for one store; rdflib columns only when ``rdflib`` is true."""
    with open_store(path, read_only=True) as store:
        jobs, card_iri = workloads(store)
        index = LabelIndex.from_store(store)
        entity = index.entities[card_iri]
        latency = {
            name: {"oxigraph": timed(lambda t=text, b=bound: _ox_rows(store, t, b), reps, budget)}
            for name, (text, bound) in jobs.items()
        }
        bound = {"entity": ox.NamedNode(card_iri)}
        card_rows = {
            "oxigraph": timed(lambda: sum(_ox_rows(store, q, bound) for q in CARD_QUERIES), reps, budget)
        }
        card_full = timed(lambda: entity_card(store, index, entity).paper_count, reps, budget)
        latency[f"entity card ({len(CARD_QUERIES)} queries)"] = card_rows
        latency["entity card (entity_card())"] = {"oxigraph": card_full}
        latency.update(_commands(store, entity.label, card_iri, reps, budget))
        result = {"latency": latency, "card_entity": f"{entity.label} <{card_iri}>"}
        if rdflib:
            graph, load_s = rdflib_graph(store)
            result.update(rdflib_load_s=load_s, rdflib_triples=len(graph))
            for name, (text, bound_) in jobs.items():
                latency[name]["rdflib"] = _guarded(
                    lambda t=text, b=bound_: _rd_rows(graph, t, b), reps, budget
                )
            card_rows["rdflib"] = _guarded(
                lambda: sum(_rd_rows(graph, q, bound) for q in CARD_QUERIES), reps, budget
            )
    return result


def _commands(store: KgStore, name: str, iri: str, reps: int, budget: float) -> dict:
    """`kg lookup NAME` and `kg neighbors NAME` (two hops) as the CLI runs them on an open store."""

    def lookup() -> int:
        index = LabelIndex.from_store(store)
        return entity_card(store, index, index.resolve(name).candidates[0].entity).paper_count

    def explore() -> int:
        view = load_view(store)
        return len(neighbours(view, view.to_networkx(), iri, hops=2))

    def around() -> int:
        return len(neighbours_around(store, LabelIndex.from_store(store), iri, hops=2))

    return {
        "kg lookup (warm caches)": {"oxigraph": timed(lookup, reps, budget)},
        "kg neighbors --hops 2 (warm caches)": {"oxigraph": timed(explore, reps, budget)},
        "neighbours_around, 2 hops (warm label cache)": {"oxigraph": timed(around, reps, budget)},
    }


class _TooSlow(Exception):
    """An rdflib call ran past RDFLIB_CALL_LIMIT_S."""


def _guarded(call: Callable[[], int], reps: int, budget: float) -> dict:
    """``timed`` for rdflib, whose engine rejects some valid queries and can run for many minutes: report
    the error or the time limit, do not stop. rdflib is pure Python, so a SIGALRM interrupts it between
    bytecodes (the stage runs in its own interpreter's main thread, where signals are delivered)."""

    def too_slow(signum, frame):
        raise _TooSlow(f"one call took more than {RDFLIB_CALL_LIMIT_S} s")

    def limited() -> int:
        signal.setitimer(signal.ITIMER_REAL, RDFLIB_CALL_LIMIT_S)
        try:
            return call()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, too_slow)
    try:
        return timed(limited, reps, budget)
    except Exception as exc:  # any rdflib failure is a result to report
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        signal.signal(signal.SIGALRM, previous)


def _ox_rows(store: KgStore, text: str, bindings: dict) -> int:
    """Run on Oxigraph through kg.query.sparql (the path the CLI takes) and count the answer."""
    result = run_query(store, text, bindings)
    return len(getattr(result, "rows", getattr(result, "triples", ())))


def _rd_rows(graph, text: str, bindings: dict) -> int:
    """Run the same text on rdflib with the same prefixes and pre-bound values, and count the answer."""
    return len(list(graph.query(text, initNs=PREFIXES, initBindings=to_rdflib(bindings))))
