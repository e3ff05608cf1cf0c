"""The query layer: the ways users reach a built graph.

- kg.query.sparql: run a query with a row cap and cancellation, answers as typed values;
  kg.query.render: SPARQL results JSON/XML/CSV/TSV, RDF syntaxes and readable tables;
  kg.query.named: the named queries shipped in queries/*.rq and safe parameter binding.
- kg.query.server: the SPARQL 1.1 Protocol endpoint behind `kg serve`.
- kg.query.lookup: entity names -> nodes (exact and fuzzy); kg.query.card: the entity card;
  kg.query.claims: claims about an entity.
- kg.query.neighbourhood: a networkx view of the graph, cached beside the store, for neighbours, paths and
  related entities.

Nothing is imported here, so `kg lookup` and `kg sparql` load only the modules they use.
"""
