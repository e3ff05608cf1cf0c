"""The derived graph: facts no single paper owns, recomputed from all paper graphs in one atomic update."""

from __future__ import annotations

from kg.rdf import iris
from kg.store.core import KgStore

# Counts are over distinct papers, not graphs, so an old and a new version of one paper left side by side by
# an interrupted build vote once. {derived} is an IRI minted by kg.rdf.iris (validated), never user text.
_REFRESH = """
DROP SILENT GRAPH <{derived}> ;

INSERT {{ GRAPH <{derived}> {{ ?e skos:prefLabel ?best }} }}
WHERE {{
  {{ SELECT ?e (MIN(?label) AS ?best) WHERE {{
      {{ SELECT ?e ?label (COUNT(DISTINCT ?p) AS ?votes)
         WHERE {{ GRAPH ?g {{ ?p a kg:Paper . ?e kg:label ?label }} }} GROUP BY ?e ?label }}
      {{ SELECT ?e (MAX(?n) AS ?votes) WHERE {{
          {{ SELECT ?e ?label (COUNT(DISTINCT ?p) AS ?n)
             WHERE {{ GRAPH ?g {{ ?p a kg:Paper . ?e kg:label ?label }} }} GROUP BY ?e ?label }}
        }} GROUP BY ?e }}
  }} GROUP BY ?e }}
}} ;

INSERT {{ GRAPH <{derived}> {{ ?e kg:paperCount ?n }} }}
WHERE {{
  SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE {{ GRAPH ?g {{ ?p kg:mentions ?e }} }} GROUP BY ?e
}} ;

INSERT {{ GRAPH <{derived}> {{ ?a kg:supportCount ?n }} }}
WHERE {{
  {{ SELECT ?head ?rel ?tail (COUNT(DISTINCT ?p) AS ?n) WHERE {{
      GRAPH ?g {{ ?x a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?rel ; rdf:object ?tail ;
                    kg:inPaper ?p }}
      BIND(IF(?s = ?p, kg:Paper, ?s) AS ?head)
  }} GROUP BY ?head ?rel ?tail }}
  {{ GRAPH ?h {{ ?a a kg:Assertion ; rdf:subject ?s2 ; rdf:predicate ?rel ; rdf:object ?tail ;
                 kg:inPaper ?p2 }}
     BIND(IF(?s2 = ?p2, kg:Paper, ?s2) AS ?head) }}
}}
"""


def refresh_derived(store: KgStore, base: str) -> None:
    """Recompute ``{base}graph/derived`` from the paper graphs in one transaction (old or new, never half).

    It holds, per entity, exactly one ``skos:prefLabel`` (the ``kg:label`` the most papers use; ties go to
    the smallest string in code-point order, so the choice is stable) and ``kg:paperCount`` (papers that
    mention it); per assertion, ``kg:supportCount``: how many papers assert the same relation to the same
    tail (for paper edges) or from the same head to the same tail (for entity edges such as outperforms).
    Entities and assertions no paper graph holds any more get nothing.

    Args:
        store: an open, writable store.
        base: the IRI base the graphs were written with.

    Raises:
        StoreError: the update failed (the previous derived graph is kept).
    """
    store.update(_REFRESH.format(derived=iris.derived_graph_iri(base).value))
