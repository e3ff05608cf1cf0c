"""The project's vocabulary: namespaces and prefixes shared by the triple writer, the queries and exports.

The ontology itself (labels, comments, alignment to schema.org, DCTERMS, SKOS, PROV-O and the W3C Web
Annotation vocabulary) is ontology/kg.ttl; this module only names the terms so code never spells IRIs.
"""

from __future__ import annotations

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
