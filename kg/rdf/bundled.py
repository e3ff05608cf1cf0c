"""The ontology files (ontology/kg.ttl, ontology/shapes.ttl) as shipped inside the package.

They live in ``ontology/`` at the top of the repository, where people look for them; ``kg/rdf/ontology`` is
a link to that folder, so an editable install reads them in place and a wheel carries them as package data
(``"rdf/ontology/*.ttl"`` in pyproject's package-data for ``kg``). importlib.resources finds them either way.
"""

from __future__ import annotations

from importlib import resources

from kg.errors import StoreError

ONTOLOGY = "kg.ttl"
SHAPES = "shapes.ttl"


def ontology_text(name: str) -> str:
    """The Turtle text of one bundled ontology file.

    Args:
        name: ``ONTOLOGY`` or ``SHAPES``.

    Raises:
        StoreError: the file is not installed (a broken installation).
    """
    try:
        return resources.files("kg.rdf").joinpath("ontology", name).read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"the ontology file {name} is missing from the kg installation: {exc}") from exc
