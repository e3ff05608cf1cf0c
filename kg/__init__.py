"""kg: a knowledge graph of research, built from paper abstracts.

Data flows one way: records (kg.ingest) -> spaCy docs (kg.nlp) -> extractions (kg.types)
-> triples (kg.rdf) -> store (kg.store) -> queries and exports (kg.query, kg.viz).
"""

__version__ = "0.4.0"
