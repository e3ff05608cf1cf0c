"""The project's vocabulary: namespaces and prefixes shared by the triple writer, the queries and exports.

The ontology itself (labels, comments, alignment to schema.org, DCTERMS, SKOS, PROV-O and the W3C Web
Annotation vocabulary) is ontology/kg.ttl; this module only names the terms so code never spells IRIs.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

# Prefixes predefined for every SPARQL query kg runs and every serialisation it writes.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


class OxNamespace:
    """pyoxigraph NamedNodes of one namespace (``OX_KG.Paper``, ``OX_KG["evaluatesOn"]``).

    The triple writer builds thousands of terms per paper with pyoxigraph, not rdflib, for speed; caching
    each NamedNode once avoids re-validating the same IRI for every triple.
    """

    def __init__(self, iri: str) -> None:
        self._iri = iri
        self._terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = ox.NamedNode(self._iri + name)
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # later lookups find the attribute and skip __getattr__
        return term


OX_KG = OxNamespace(str(KG))
OX_SCHEMA = OxNamespace(str(SCHEMA))
OX_OA = OxNamespace(str(OA))
OX_DCTERMS = OxNamespace(str(DCTERMS))
OX_SKOS = OxNamespace(str(SKOS))
OX_PROV = OxNamespace(str(PROV))
OX_RDF = OxNamespace(str(RDF))
OX_RDFS = OxNamespace(str(RDFS))
OX_XSD = OxNamespace(str(XSD))


def sparql_prologue() -> str:
    """PREFIX declarations for PREFIXES, to put in front of a user's query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# Entity classes by the `type` names used in kg.types.
ENTITY_CLASS = {
    "Method": KG.Method,
    "Dataset": KG.Dataset,
    "Benchmark": KG.Benchmark,
    "Task": KG.Task,
    "Metric": KG.Metric,
}

# Paper -> entity relation per kg.types.RelationType (outperforms is entity -> entity).
RELATION = {
    "proposes": KG.proposes,
    "uses": KG.uses,
    "evaluatesOn": KG.evaluatesOn,
    "addresses": KG.addresses,
    "measuredBy": KG.measuredBy,
    "outperforms": KG.outperforms,
}
