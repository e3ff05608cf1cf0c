"""The one place where kg's spaCy pipeline is assembled.

Order: the English tokenizer, ``kg_sentences``, the trained entity model ``kg_ner`` (when present; the two
routed models of kg.nlp.routing when both are installed),
``kg_acronyms``, ``kg_entity_rules``, ``kg_entities`` and ``kg_claims`` (when wanted and installed).

Speed: the English pipeline's own components are excluded by default (its parser and NER cost most of a
parse and kg needs neither; sentences come from the rule-based ``kg_sentences``, entities from kg's model
and rules). Keep any of them with ``base_components`` (e.g. ``("tok2vec", "tagger")`` for POS tags).

The neural layers multiply matrices through numpy's BLAS, not the BLIS kernels thinc uses by default
(``NumpyOps(use_blis=False)``, thinc's own switch): on the 2-core AMD EPYC of bench/ numpy's OpenBLAS ran
those products 3x faster, which took a quarter off kg's CPU time per abstract, with the same extractions.
BLAS runs one thread per process, because kg parallelises with worker processes (``--jobs``): a second BLAS
thread in each of two workers on two cores only fights them for the cores.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.config import spacy_pipeline_name
from kg.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
ENTITY_MODEL_DIR = MODELS_DIR / "entities"
# The entity model for today's ML papers and the classifier that routes a paper to it (kg.nlp.routing).
MODERN_MODEL_DIR = MODELS_DIR / "entities-modern"
DOMAIN_MODEL_DIR = MODELS_DIR / "domain"
# Factory -> module defining it; imported only when spaCy cannot find the factory through the
# spacy_factories entry points (an environment installed before they were declared).
FACTORY_MODULES = {
    "kg_sentences": "kg.nlp.components",
    "kg_acronyms": "kg.nlp.components",
    "kg_entity_rules": "kg.nlp.components",
    "kg_entities": "kg.nlp.components",
    "kg_claims": "kg.nlp.claims_component",
    "kg_routed_ner": "kg.nlp.routing",
}
CLAIMS_MODULE = FACTORY_MODULES["kg_claims"]


def _ensure_factory(name: str) -> None:
    """Make sure spaCy knows the factory ``name`` (entry point, else import of its module)."""
    from spacy.language import Language

    if not Language.has_factory(name):
        importlib.import_module(FACTORY_MODULES[name])


def _is_pipeline(path: Path) -> bool:
    return (path / "config.cfg").exists()


def entity_model_path(entity_model: str | Path | None) -> Path | None:
    """Which trained entity model to add when one model reads every paper.

    Args:
        entity_model: "auto" (kg/models/entities when it holds a pipeline), None or "none" (rules only), or
            the path of a spaCy pipeline directory whose ``ner`` predicts Method/Dataset/Task/Metric.

    Returns:
        The model directory, or None for rules only.

    Raises:
        ModelError: an explicit path holds no spaCy pipeline.
    """
    if entity_model is None or entity_model == "none":
        return None
    if entity_model == "auto":
        return ENTITY_MODEL_DIR if _is_pipeline(ENTITY_MODEL_DIR) else None
    path = Path(entity_model)
    if not _is_pipeline(path):
        raise ModelError(f"no spaCy pipeline at {path} (expected a config.cfg there)")
    return path


def _load_base(pipeline_name: str | None, base_components: Sequence[str]) -> Language:
    """The English pipeline with every component except ``base_components`` excluded."""
    import spacy

    name = spacy_pipeline_name(pipeline_name)
    try:
        config = spacy.util.load_config(Path(spacy.util.get_package_path(name)) / "config.cfg")
        names = list(config["nlp"]["pipeline"])
    except (ModuleNotFoundError, OSError):
        names = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
    try:
        return spacy.load(name, exclude=[n for n in names if n not in base_components])
    except OSError as error:
        raise ModelError(f"cannot load the spaCy pipeline {name!r}: {error}") from error


def load_trained(model: str | Path, component: str | None = None) -> Language:
    """Load a trained spaCy pipeline (kg's models, or any by name or path), optionally requiring a component.

    Raises:
        ModelError: it is not installed, not a pipeline directory, was saved by an incompatible spaCy, or
            lacks ``component``.
    """
    import spacy

    try:
        pipeline = spacy.load(model)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the spaCy pipeline {model}: {error}") from error
    if component is not None and component not in pipeline.pipe_names:
        raise ModelError(f"the model at {model} has no {component!r} component")
    return pipeline


def load_component(nlp: Language, model: str | Path, component: str) -> Any:
    """One trained component of the pipeline saved at ``model``, created for ``nlp`` and sharing its vocab.

    What :func:`load_trained` does for one component, without the saved pipeline's tokenizer and vocab:
    building those (the English tokenizer's special cases) took 0.15 s of a 0.17 s load, paid for each of the
    routed models in every worker process. The component is not added to ``nlp``'s pipeline.

    Raises:
        ModelError: ``model`` is not a pipeline directory, lacks ``component``, or holds files this spaCy
            cannot read.
    """
    import spacy

    path = Path(model)
    try:
        config = spacy.util.load_config(path / "config.cfg", interpolate=True)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the spaCy pipeline {model}: {error}") from error
    if component not in config["nlp"]["pipeline"]:
        raise ModelError(f"the model at {model} has no {component!r} component")
    settings = dict(config["components"][component])
    try:
        pipe = nlp.create_pipe(settings.pop("factory"), name=component, config=settings)
        return pipe.from_disk(path / component, exclude=["vocab"])
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the {component!r} component of {model}: {error}") from error


def _add_entity_model(nlp: Language, path: Path) -> None:
    """Source the trained model's ``ner`` component as ``kg_ner`` (it carries its own tok2vec)."""
    nlp.add_pipe("ner", name="kg_ner", source=load_trained(path, "ner"))


def _routed(entity_model: str | Path | None) -> bool:
    """Whether "auto" finds both entity models and the domain router (then kg_ner is kg_routed_ner)."""
    models = (ENTITY_MODEL_DIR, MODERN_MODEL_DIR, DOMAIN_MODEL_DIR)
    return entity_model == "auto" and all(_is_pipeline(path) for path in models)


def build_pipeline(
    pipeline_name: str | None = None,
    *,
    entity_model: str | Path | None = "auto",
    claims: bool = True,
    base_components: Sequence[str] = (),
    config: Mapping[str, Mapping[str, Any]] | None = None,
) -> Language:
    """Assemble the kg pipeline.

    Args:
        pipeline_name: the English spaCy pipeline (name or path); None for kg.config.spacy_pipeline_name().
        entity_model: "auto" routes each paper to the classic or the modern entity model when both and the
            domain router are installed (kg.nlp.routing), else as :func:`entity_model_path`; with no model
            the rules alone find entities.
        claims: add the ``kg_claims`` component when kg.nlp.claims_component is installed.
        base_components: components of the English pipeline to keep (default: none, for speed).
        config: per-component config overrides, e.g. ``{"kg_entity_rules": {"include_head": False}}``.

    Returns:
        The pipeline; run it with ``nlp.pipe`` (kg.nlp.extract does). Building it limits this process's
        BLAS to one thread (see the module docstring).

    Raises:
        ModelError: the English pipeline or an explicitly named entity model cannot be loaded.
    """
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits

    with use_ops("numpy", use_blis=False):  # the models keep the ops they were created with
        nlp = _assemble(pipeline_name, entity_model, claims, base_components, config)
    threadpool_limits(limits=1, user_api="blas")  # after the imports above have loaded numpy's BLAS
    return nlp


def _assemble(
    pipeline_name: str | None,
    entity_model: str | Path | None,
    claims: bool,
    base_components: Sequence[str],
    config: Mapping[str, Mapping[str, Any]] | None,
) -> Language:
    """:func:`build_pipeline`'s components, in order."""
    nlp = _load_base(pipeline_name, base_components)
    overrides = dict(config or {})
    for name in ("kg_sentences", "kg_acronyms", "kg_entity_rules", "kg_entities"):
        _ensure_factory(name)
    nlp.add_pipe("kg_sentences", config=overrides.get("kg_sentences", {}), first=True)
    if _routed(entity_model):
        _ensure_factory("kg_routed_ner")
        paths = {"classic": ENTITY_MODEL_DIR, "modern": MODERN_MODEL_DIR, "router": DOMAIN_MODEL_DIR}
        nlp.add_pipe("kg_routed_ner", name="kg_ner", config={k: str(v) for k, v in paths.items()})
    elif (model := entity_model_path(entity_model)) is not None:
        _add_entity_model(nlp, model)
    for name in ("kg_acronyms", "kg_entity_rules", "kg_entities"):
        nlp.add_pipe(name, config=overrides.get(name, {}))
    if claims and importlib.util.find_spec(CLAIMS_MODULE) is not None:
        _ensure_factory("kg_claims")
        nlp.add_pipe("kg_claims", config=overrides.get("kg_claims", {}))
    return nlp
