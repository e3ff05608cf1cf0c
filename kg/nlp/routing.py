"""The ``kg_routed_ner`` component: two trained entity models and a classifier that picks one per paper.

Why two: the annotated corpora disagree on what an entity is. SciERC and SciREX (papers up to 2019) mark
many descriptive phrases ("dataset creation", "base models") and call "X learning" a Task as often as a
Method; kg's own annotations of today's ML papers (pipelines/entities/SEEDS_GUIDELINE.md) mark named and
specific things only. One model trained on both lost 3-7 points on SciERC and SciREX dev for what it gained
on the seeds, so each convention gets its model: ``kg/models/entities`` for older abstracts,
``kg/models/entities-modern`` for today's, and a bag-of-words classifier (``kg/models/domain``, trained by
pipelines/entities/domain.py) reads a paper's title and abstract and says which.

A paper's title and abstract are separate docs; kg.nlp.extract classifies the paper once and writes the
answer into both docs' ``user_data[DOMAIN]``, so a short title follows its abstract. A doc without it (a
plain ``nlp(text)``) is classified on its own text. Only the chosen model runs on a doc, so the routed
pipeline costs what one model costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.nlp.docview import doc_text
from kg.nlp.pipeline import load_component

if TYPE_CHECKING:
    from spacy.pipeline import EntityRecognizer, TextCategorizer
    from spacy.tokens import Doc

DOMAIN = "kg.domain"
MODERN, CLASSIC = "MODERN", "CLASSIC"


def paper_text(title: str, abstract: str) -> str:
    """What the router reads of a paper: title and abstract joined by a space, as it was trained (a line
    break would be a token that only the titled training papers have)."""
    return " ".join(part for part in (title.strip(), abstract.strip()) if part)


class RoutedNER:
    """Runs the classic or the modern entity model on each doc, as the domain router decides."""

    def __init__(
        self, nlp: Language, classic: EntityRecognizer, modern: EntityRecognizer, router: TextCategorizer
    ) -> None:
        self.nlp = nlp
        self.models = {CLASSIC: classic, MODERN: modern}
        self.router = router
        # The models set entity labels by their hash; the host's vocab must know the strings behind them.
        for label in (*classic.labels, *modern.labels):
            nlp.vocab.strings.add(label)

    def domain_of(self, text: str) -> str:
        """MODERN or CLASSIC for a paper's text (its title and abstract, ideally)."""
        cats = self.router(self.nlp.make_doc(text)).cats
        return MODERN if cats.get(MODERN, 0.0) >= cats.get(CLASSIC, 0.0) else CLASSIC

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.ents`` with the model of the doc's domain."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Set ``doc.ents`` for a stream of docs, each batch split by domain; yields in input order."""
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            groups: dict[str, list[Doc]] = {CLASSIC: [], MODERN: []}
            for doc in batch:
                groups[doc.user_data.get(DOMAIN) or self.domain_of(doc_text(doc))].append(doc)
            for domain, group in groups.items():
                if group:
                    for _ in self.models[domain].pipe(group, batch_size=len(group)):
                        pass
            yield from batch


@Language.factory("kg_routed_ner", assigns=["doc.ents"])
def make_routed_ner(nlp: Language, name: str, *, classic: str, modern: str, router: str) -> RoutedNER:
    """Build the ``kg_routed_ner`` component from three model folders (see the module docstring).

    Raises:
        ModelError: a folder holds no loadable pipeline with the expected component.
    """
    models = load_component(nlp, classic, "ner"), load_component(nlp, modern, "ner")
    return RoutedNER(nlp, *models, load_component(nlp, router, "textcat"))
