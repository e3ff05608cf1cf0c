"""Curated name lists (kg/data/*.txt) and a fast matcher for them over raw text.

Files: benchmarks.txt, datasets.txt, methods.txt, metrics.txt, tasks.txt (curated, written for kg) and
pwc_tasks.txt (derived from Papers with Code, see kg.nlp.tasklist); generic.txt is the stoplist. One entity a
line, preferred name first, aliases after "|"; a trailing "*" marks a model family ("Qwen*") whose name may
run straight into a version ("Qwen2.5"); a leading "?" marks a line whose type the trained model decides
when it has an opinion ("?machine learning"). Names with a capital letter match case-sensitively ("MATH"
is not "math"), all-lower-case names in any case.

Matching works on small word pieces (runs of letters, runs of digits, single symbols) with hyphens ignored,
so "fine-tuning" and "fine tuning" match the same entry and offsets stay exact character offsets into the
text. A match must start and end on a word boundary (a family may end before a version); a lower-case name
never starts inside a hyphenated word ("accuracy" in "high-accuracy").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.nlp.canonical import key_of

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# file stem -> (entity type, extractor name)
SOURCES: dict[str, tuple[str, str]] = {
    "benchmarks": ("Benchmark", "gazetteer"),
    "datasets": ("Dataset", "gazetteer"),
    "methods": ("Method", "gazetteer"),
    "metrics": ("Metric", "gazetteer"),
    "tasks": ("Task", "gazetteer"),
    "pwc_tasks": ("Task", "pwc-tasks"),
}
_PIECE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_")
_SKIP = frozenset("-\u2010\u2011\u2012\u2013")


@dataclass(frozen=True)
class Entry:
    """One gazetteer name: its type, the key of its entity (the preferred name's) and where it came from.

    ``weak`` entries have a type the annotated corpora disagree on ("machine learning" is a Task as often
    as a Method): they fill gaps but give way to the trained model.
    """

    name: str
    type: str
    key: str
    extractor: str
    family: bool = False
    weak: bool = False


@dataclass(frozen=True)
class Match:
    """A gazetteer hit: character offsets into the text and the entry it matched."""

    start: int
    end: int
    entry: Entry


@dataclass
class Gazetteer:
    """Two tries of word pieces (case-sensitive and lower-cased) mapping names to entries, the curated
    aliases, the keys of every entry and, per name of a Method, whether it is written as a name ("CLIP")."""

    exact: dict = field(default_factory=dict)
    folded: dict = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    methods: dict[str, bool] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    depth: int = 0

    def add(self, entry: Entry) -> None:
        """Index ``entry`` under its name and its plurals ("accuracies", "F1 scores")."""
        lower = entry.name == entry.name.lower()
        trie = self.folded if lower else self.exact
        for form in {entry.name, *plurals(entry.name)}:
            node = trie
            pieces = pieces_of(form)
            self.depth = max(self.depth, len(pieces))
            for piece in pieces:
                node = node.setdefault(piece, {})
            node.setdefault(None, entry)
        self.keys.add(entry.key)
        key = key_of(entry.name)
        if entry.key != key:
            self.aliases[key] = entry.key
        if entry.type == "Method":
            # a name written as one in any of its forms ("Transformer", also listed as "transformer")
            name_like = any(c.isupper() or c.isdigit() for c in entry.name)
            self.methods[key] = self.methods.get(key, False) or name_like

    def find(self, text: str) -> list[Match]:
        """The longest match starting at each word boundary of ``text`` (matches may overlap).

        Args:
            text: a title or an abstract.

        Returns:
            Matches in order of start offset.
        """
        tokens = [(m.start(), m.end(), m.group()) for m in _PIECE.finditer(text) if m.group() not in _SKIP]
        lowered = [t[2].lower() for t in tokens]
        found = []
        for i, (start, _, piece) in enumerate(tokens):
            if start > 0 and text[start - 1].isalnum():
                continue
            hits = []
            if piece in self.exact:
                hits.append(
                    self._walk(self.exact, tokens, [t[2] for t in tokens[i : i + self.depth]], i, text)
                )
            if lowered[i] in self.folded and not _glued_after_word(text, start):
                hits.append(self._walk(self.folded, tokens, lowered[i : i + self.depth], i, text))
            hits = [h for h in hits if h is not None]
            if hits:
                found.append(max(hits, key=lambda m: m.end))
        return found

    @staticmethod
    def _walk(trie: dict, tokens: list, keys: list[str], i: int, text: str) -> Match | None:
        """The longest entry of ``trie`` spelled by ``keys`` (the pieces from ``tokens[i]`` on).

        A hit must end on a word boundary unless its entry is a family (which may run into a version).
        """
        node, best = trie, None
        for offset, key in enumerate(keys):
            node = node.get(key)
            if node is None:
                break
            entry = node.get(None)
            end = tokens[i + offset][1]
            if entry is not None and (end == len(text) or not text[end].isalnum() or entry.family):
                best = Match(tokens[i][0], end, entry)
        return best

    def canonical(self, key: str) -> str:
        """The key of the preferred name when ``key`` is a curated alias ("ppo" -> "proximal policy ...")."""
        return self.aliases.get(key, key)

    def is_curated(self, key: str) -> bool:
        """Whether ``key`` is the key of a curated entity (after :meth:`canonical`)."""
        return key in self.keys

    def is_method_with_kind(self, key: str, head: str) -> bool:
        """Whether "<key> <head>" is the curated Method ``key`` itself: any kind word after a name written
        as one ("Transformer model", "CLIP architecture"), a word for a way of doing after a lower-case
        one ("fine-tuning approach", "prompt tuning methods"; a "deep learning model" is a model).

        Args:
            key: the key of what precedes the kind word.
            head: the kind word, lower case ("model", "approach").
        """
        if key not in self.methods:
            return False
        return self.methods[key] or head not in ("model", "models", "architecture")


def plurals(name: str) -> set[str]:
    """The plural forms a name may take in running text: "+s" always (also "PLMs"), and the English
    spelling for a name ending in consonant + y ("accuracies") or a sibilant ("biases", "patches"). Names
    ending in a digit or symbol ("GSM8K", "pass@1") have none."""
    if not name[-1].isalpha():
        return set()
    forms = {name + "s"}
    if name[-1] == "y" and len(name) > 1 and name[-2].lower() not in "aeiou":
        forms.add(name[:-1] + "ies")
    if name.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(name + "es")
    return forms


def _glued_after_word(text: str, start: int) -> bool:
    """Whether ``text[start:]`` continues a hyphenated word ("accuracy" in "high-accuracy", "attention" in
    "self-attention"): a term glued there is part of another word, not a mention of itself."""
    return start > 1 and text[start - 1] in _SKIP and text[start - 2].isalnum()


def pieces_of(name: str) -> list[str]:
    """The word pieces a name is matched by (hyphens dropped)."""
    return [p for p in _PIECE.findall(name) if p not in _SKIP]


def read_entries(path: Path, type_: str, extractor: str) -> list[Entry]:
    """The entries of one gazetteer file (see the module docstring for the format)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        weak = line.startswith("?")
        names = [n.strip() for n in line.lstrip("?").split("|") if n.strip()]
        key = key_of(names[0].rstrip("*"))
        for name in names:
            entries.append(Entry(name.rstrip("*"), type_, key, extractor, name.endswith("*"), weak))
    return entries


@lru_cache(maxsize=4)
def load_gazetteer(directory: str | None = None) -> Gazetteer:
    """The gazetteer of every list in ``directory`` (default: the lists shipped in kg/data).

    Args:
        directory: a folder with the files named in SOURCES; missing files are skipped.

    Returns:
        A Gazetteer, cached per directory.
    """
    root = Path(directory) if directory else DATA_DIR
    gazetteer = Gazetteer()
    for stem, (type_, extractor) in SOURCES.items():
        path = root / f"{stem}.txt"
        if path.exists():
            for entry in read_entries(path, type_, extractor):
                gazetteer.add(entry)
    return gazetteer


@lru_cache(maxsize=4)
def load_words(name: str = "generic", directory: str | None = None) -> frozenset[str]:
    """A word list from kg/data (one lower-case word a line, "#" comments), e.g. the generic stoplist."""
    path = (Path(directory) if directory else DATA_DIR) / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
