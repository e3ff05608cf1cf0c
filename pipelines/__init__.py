"""Reproducible training workflows whose outputs the kg package ships (see pipelines/entities)."""
