"""Validation of the whole graph: SHACL shapes (ontology/shapes.ttl) plus the text-offset check."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.rdf.bundled import ONTOLOGY, SHAPES, ontology_text
from kg.store.core import KgStore

# SPARQL SUBSTR counts code points from 1, like Python's str offsets from 0. Run by Oxigraph over the union;
# as a per-node sh:sparql constraint pyshacl would take about 0.1 s per node.
_OFFSET_MISMATCHES = """
SELECT DISTINCT ?node ?text ?found WHERE {
  ?node kg:text ?text ; kg:field ?field ; kg:inPaper ?paper ; kg:start ?start ; kg:end ?end .
  BIND(IF(?field = "title", dcterms:title, dcterms:abstract) AS ?property)
  ?paper ?property ?source .
  BIND(SUBSTR(STR(?source), ?start + 1, ?end - ?start) AS ?found)
  FILTER(?found != STR(?text))
} ORDER BY ?node LIMIT 50
"""


def _shacl(store: KgStore) -> tuple[bool, str]:
    """pyshacl over the union of all graphs, with the ontology merged into the data (for sh:class).

    Merging into our own throwaway graph and validating in place is about a third faster than pyshacl's
    ``ont_graph``, which copies the data graph first.
    """
    import pyshacl
    import rdflib

    buffer = io.BytesIO()
    ox.serialize(store.triples(), buffer, ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(data=ontology_text(SHAPES), format="turtle")
    data.parse(data=ontology_text(ONTOLOGY), format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True)
    return bool(conforms), str(report)


def offset_mismatches(store: KgStore) -> list[str]:
    """Claims and sentences whose ``kg:text`` is not what their offsets select (at most 50).

    Mentions carry no ``kg:text`` (their surface is, by construction, what their offsets select).

    Returns:
        One line per mismatch: the node, the text it claims and the text at its offsets.
    """
    return [
        f"{row['node'].value}: kg:text {row['text'].value!r} but the offsets select {row['found'].value!r}"
        for row in store.query(_OFFSET_MISMATCHES)
    ]


def validate(store: KgStore) -> tuple[bool, str]:
    """Check the union of all graphs (paper graphs and the derived graph) against the data model.

    Two checks: the SHACL shapes, with the ontology loaded beside the data so that ``sh:class`` follows
    ``rdfs:subClassOf`` (no other inference); and that every claim and evidence sentence carries
    exactly the text its offsets select. Run it after :func:`kg.store.refresh_derived`: preferred labels and
    counts are part of what the shapes require.

    Returns:
        ``(conforms, report)``: pyshacl's human-readable report, followed by any offset mismatches.

    Raises:
        StoreError: the shapes or ontology file is missing from the installation.
        QueryError: the store cannot be read.
    """
    conforms, report = _shacl(store)
    mismatches = offset_mismatches(store)
    if mismatches:
        report += "\nText offsets that do not select their text:\n" + "\n".join(mismatches) + "\n"
    return conforms and not mismatches, report
