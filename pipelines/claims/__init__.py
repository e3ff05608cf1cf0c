"""The claim-sentence classifier workflow: convert, train, tune and evaluate, package into kg/models/claims.

Run it all from the repository root with ``python -m weasel run all pipelines/claims`` (see project.yml).
"""
