"""Extractions -> RDF triples, and the vocabulary they use (see ontology/kg.ttl)."""
