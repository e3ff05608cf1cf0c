"""The entity model workflow: convert the annotated corpora, train, evaluate, package into kg/models/entities.

Run it all with ``python -m weasel run all pipelines/entities`` (see project.yml).
"""
