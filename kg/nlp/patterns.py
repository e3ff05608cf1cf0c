"""Rule patterns that find named entities from how a sentence talks about them.

Pure functions over the text of one field and its sentence bounds; each returns
:class:`kg.nlp.candidates.Candidate` spans with exact offsets. The patterns:

- ``head``: names before a kind word: "the GSM8K dataset", "X and Y benchmarks", "Enigmata-Eval suite"
  (the head is part of the span, as in SciREX annotations; the canonical key drops it);
- ``on``: a name after "on/across/over" ending a phrase: "evaluated on ImageNet", "on MMLU, GSM8K and MATH";
- ``propose``: "we propose/introduce/present X", "a new benchmark called X": Method unless a kind word says
  otherwise (before X or in an apposition after it);
- ``apposition``: "X, a novel framework for ..." anywhere;
- ``example``: names given as examples of a kind: "benchmarks such as X and Y", "datasets like X";
- ``shape``: names that carry their kind: "...Bench", "...Eval", "...Arena", "...QA" are benchmarks,
  "...Instruct" collections are datasets;
- ``title``: the "X: ..." prefix of a title names the paper's method (or benchmark/dataset when the rest of
  the title says so).

Which of Dataset and Benchmark a dataset finally is, is decided afterwards by kg.nlp.roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.nlp.candidates import Candidate
from kg.nlp.canonical import singular
from kg.nlp.lexicon import word_set
from kg.nlp.names import is_strong_name, is_title_word

HEAD_TYPES = {
    **dict.fromkeys(["benchmark", "suite", "leaderboard", "testbed", "arena"], "Benchmark"),
    **dict.fromkeys(["dataset", "corpus", "corpora", "collection"], "Dataset"),
    **dict.fromkeys(
        [
            "framework",
            "method",
            "model",
            "approach",
            "algorithm",
            "architecture",
            "technique",
            "system",
            "pipeline",
            "agent",
            "paradigm",
            "strategy",
            "mechanism",
            "module",
            "toolkit",
            "library",
            "optimizer",
        ],
        "Method",
    ),
    "metric": "Metric",
}
_DATA_HEADS = frozenset(k for k, v in HEAD_TYPES.items() if v in ("Benchmark", "Dataset"))
PROPOSE_VERBS = word_set(
    "propose introduce present develop design release build construct curate "
    "contribute create offer establish"
)
_NAMING = word_set("called named dubbed termed coined")
_CONJ = word_set("and or &")
_ON_WORDS = word_set("on across over")
_ON_VETO = re.compile(
    r"\b(?:based|bas(?:e|es|ing)|rel(?:y|ies|ying)|built|build(?:s|ing)?|depend(?:s|ing)?|focus(?:es|ed|ing)?|"
    r"condition(?:ed|ing)?|operat(?:e|es|ing)|draw(?:s|ing)?|hinges?|centered|light|shed|work(?:s|ing)?|"
    r"comment|reflect|improv(?:e|es|ing))\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_FOLLOW_OK = word_set(
    "and or with in for under across while using compared than by at to from show "
    "shows showed demonstrate demonstrates that which where respectively benchmark "
    "benchmarks dataset datasets test tests as without when achieving reaching "
    "suggest reveal"
)
_SHAPE_BENCH = re.compile(r"[A-Z][\w\-.]*(?:Bench|BENCH|Eval|EVAL|Arena|QA)(?:[-.]?\w{0,4})?")
_SHAPE_DATA = re.compile(r"[A-Z][A-Za-z\-]*Instruct")
_TITLE_KIND = (
    ("Benchmark", re.compile(r"\b(?:benchmark\w*|evaluat\w*|leaderboard|test suite|arena)\b", re.IGNORECASE)),
    ("Dataset", re.compile(r"\b(?:dataset|corpus|data set|collection)\b", re.IGNORECASE)),
)
_EDGE_LEFT = "([{\"'\u201c\u2018$"
_EDGE_RIGHT = ")]}\"'\u201d\u2019.,;:!?$"


@dataclass(frozen=True)
class Word:
    """A whitespace-delimited word with edge punctuation stripped; ``sep`` is the punctuation after it and
    ``pre`` the punctuation before it ("(" in "(DRM)")."""

    start: int
    end: int
    text: str
    sep: str
    index: int
    pre: str = ""

    @property
    def lower(self) -> str:
        """The word in lower case."""
        return self.text.lower()


def words_of(text: str, start: int, end: int) -> list[Word]:
    """The words of ``text[start:end]`` with exact offsets (possessive "'s" stripped as punctuation)."""
    words = []
    for match in re.finditer(r"\S+", text[start:end]):
        raw = match.group()
        core = re.sub(r"['\u2019]s$", "", raw.lstrip(_EDGE_LEFT)).rstrip(_EDGE_RIGHT)
        if not core:
            continue
        lead = raw.index(core)
        offset = start + match.start() + lead
        sep = raw[lead + len(core) :][:1]
        words.append(Word(offset, offset + len(core), core, sep, len(words), raw[:lead][-1:]))
    return words


def _namey(word: Word, generic: frozenset[str]) -> bool:
    """A word that can be (part of) a name here: strong, or capitalised and not the sentence's first."""
    if singular(word.text).lower() in generic:
        return False
    return is_strong_name(word.text) or (is_title_word(word.text) and word.index > 0)


def _group_before(words: list[Word], end: int, generic: frozenset[str]) -> list[Word]:
    """The run of name words ending at ``words[end - 1]`` (at most 4, no punctuation between them)."""
    group: list[Word] = []
    i = end - 1
    while (
        i >= 0
        and len(group) < 4
        and _namey(words[i], generic)
        and (not words[i].sep or i == end - 1)
        and not (group and group[0].pre)
    ):
        group.insert(0, words[i])
        i -= 1
    if group and not any(is_strong_name(w.text) for w in group) and group[0].index == 0:
        return []
    return group


def _listed_before(words: list[Word], index: int, generic: frozenset[str]) -> list[list[Word]]:
    """The name groups listed before ``words[index]``: "X, Y and" before "Z benchmarks"."""
    groups = []
    prev = index - 1
    while prev >= 0:
        if words[prev].lower in _CONJ:
            prev -= 1
        elif words[prev].sep != ",":
            break
        group = _group_before(words, prev + 1, generic) if prev >= 0 else []
        if not group:
            break
        groups.append(group)
        prev = group[0].index - 1
    return groups


def head_names(
    words: list[Word],
    generic: frozenset[str],
    confidence: float,
    include_head: bool = True,
    plural_confidence: float | None = None,
) -> list[Candidate]:
    """Names before a kind word: "GSM8K dataset", "the X, Y and Z benchmarks" (each name; the last one
    with the kind word when ``include_head``).

    One name before a plural kind word often names the area, not the data ("DG benchmarks" are benchmarks
    for domain generalization), so it gets ``plural_confidence`` (default ``confidence``) instead.
    """
    found = []
    for word in words:
        head = singular(word.lower)
        if head not in _DATA_HEADS or word.index == 0 or words[word.index - 1].sep:
            continue
        group = _group_before(words, word.index, generic)
        if not group:
            continue
        type_ = HEAD_TYPES[head]
        end = word.end if include_head else group[-1].end
        listed = _listed_before(words, group[0].index, generic)
        plural = head != word.lower and not listed and plural_confidence is not None
        found.append(
            Candidate(group[0].start, end, type_, "rule-head", plural_confidence if plural else confidence)
        )
        for other in listed:
            found.append(Candidate(other[0].start, other[-1].end, type_, "rule-head", confidence))
    return found


def _name_at(words: list[Word], i: int, generic: frozenset[str]) -> Word | None:
    """``words[i]`` when it is a strong name ending a phrase (followed by punctuation or a joining word)."""
    if i >= len(words) or not is_strong_name(words[i].text) or singular(words[i].lower) in generic:
        return None
    nxt = words[i + 1].lower if i + 1 < len(words) else ""
    return words[i] if words[i].sep or not nxt or nxt in _FOLLOW_OK else None


def on_names(text: str, words: list[Word], generic: frozenset[str], confidence: float) -> list[Candidate]:
    """Strong names after "on/across/over", and the names listed with them: "on MMLU, GSM8K and MATH"."""
    found = []
    for word in words:
        if word.lower not in _ON_WORDS or word.sep or _ON_VETO.search(text[: word.start]):
            continue
        i = word.index + 1
        while i < len(words) and words[i].lower in ("the", "both", "all", "several", "two", "three"):
            i += 1
        while (name := _name_at(words, i, generic)) is not None:
            found.append(Candidate(name.start, name.end, "Benchmark", "rule-on", confidence))
            i += 1
            if i < len(words) and words[i].lower in _CONJ:
                i += 1
            elif name.sep != ",":
                break
    return found


def _kind_after(words: list[Word], i: int) -> str | None:
    """The type an apposition right after ``words[i]`` gives it: "X, a simple framework" -> Method,
    "X: Vision-Language Dataset for ..." -> Dataset (after a colon the article may be missing)."""
    if i + 1 >= len(words) or (words[i].sep not in (",", "(", ":") and words[i + 1].text[:1] != "("):
        return None
    article = words[i + 1].lower.lstrip("(") in ("a", "an", "the")
    if not article and words[i].sep != ":":
        return None
    for word in words[i + 1 + article : i + 9]:
        kind = HEAD_TYPES.get(singular(word.lower))
        if kind:
            return kind
        if word.sep in (".", ";", ")"):
            return None
    return None


def _shape_type(name: str) -> str | None:
    """The type a name's own shape gives: "...Bench"/"...Eval"/"...QA" Benchmark, "...Instruct" Dataset."""
    if _SHAPE_BENCH.fullmatch(name):
        return "Benchmark"
    if _SHAPE_DATA.fullmatch(name) and not any(c.isdigit() for c in name):
        return "Dataset"
    return None


def _group_after(words: list[Word], i: int, generic: frozenset[str]) -> list[Word]:
    """The run of name words starting at ``words[i]`` (at most 5, ending at the first punctuation)."""
    group: list[Word] = []
    while i < len(words) and len(group) < 5 and _namey(words[i], generic) and not (group and words[i].pre):
        group.append(words[i])
        if words[i].sep:
            break
        i += 1
    return group


def _proposal(words: list[Word], verb: Word, generic: frozenset[str]) -> list[Word]:
    """The name a proposing verb introduces and the kind word seen before it, if any."""
    kind_words: list[Word] = []
    for word in words[verb.index + 1 : verb.index + 10]:
        prev = words[word.index - 1]
        first = word.index == verb.index + 1 or prev.lower in ("a", "an", "the")
        if _namey(word, generic) and (first or prev.lower in _NAMING or prev.sep in (",", ":")):
            group = _group_after(words, word.index, generic)
            return [*kind_words, *group] if _stands_alone(words, group) else []
        if HEAD_TYPES.get(singular(word.lower)):
            kind_words = [word]
        if word.sep in (".", ";") or word.lower in ("that", "which", "to", "for", "by", "with", "of", "on"):
            break
    return []


def _stands_alone(words: list[Word], group: list[Word]) -> bool:
    """Whether a name group is a whole name: strong, or followed by punctuation or the end, not by a
    lower-case word it would be an adjective of ("Bayesian optimization")."""
    last = group[-1]
    if any(is_strong_name(w.text) for w in group) or last.sep or last.index + 1 == len(words):
        return True
    return not words[last.index + 1].text[:1].islower()


_ADVERBS = word_set("further also then here thus therefore first now instead")


def _proposing_verbs(words: list[Word]) -> list[Word]:
    """The proposing verbs whose subject is "we": right after it (an adverb may sit between: "we further
    propose") or joined by "and" to an earlier verb of it ("we study X and present Y")."""
    verbs = []
    said_we = False
    for word in words[:-1]:
        nxt = words[word.index + 1]
        if word.lower == "we":
            said_we = True
            if nxt.lower in _ADVERBS and nxt.index + 1 < len(words):
                nxt = words[nxt.index + 1]
            if nxt.lower in PROPOSE_VERBS:
                verbs.append(nxt)
        elif said_we and word.lower == "and" and nxt.lower in PROPOSE_VERBS:
            verbs.append(nxt)
    return verbs


def proposed_names(
    words: list[Word], generic: frozenset[str], confidence: float, kind_confidence: float
) -> list[Candidate]:
    """ "We propose/introduce/present X": the paper's own named contribution, Method unless a kind word
    (before X: "a new benchmark called X"; after it: "X, a dataset of ...") or X's shape says otherwise.
    A name whose kind the sentence states gets ``kind_confidence``, a name typed Method by default
    ``confidence``."""
    found = []
    for verb in _proposing_verbs(words):
        got = _proposal(words, verb, generic)
        name = [w for w in got if _namey(w, generic)]
        if not name:
            continue
        kind = HEAD_TYPES.get(singular(got[0].lower)) if got[0] not in name else None
        text = " ".join(w.text for w in name)
        type_ = kind or _kind_after(words, name[-1].index) or _shape_type(text)
        sure = kind_confidence if type_ else confidence
        found.append(Candidate(name[0].start, name[-1].end, type_ or "Method", "rule-propose", sure))
    return found


def example_names(words: list[Word], generic: frozenset[str], confidence: float) -> list[Candidate]:
    """Names given as examples of a kind: "benchmarks such as RuleTaker and ProofWriter", "datasets like
    MMLU, GSM8K", "methods including LoRA" (the kind word right before "such as"/"like"/"including")."""
    found = []
    for word in words[:-1]:
        kind = HEAD_TYPES.get(singular(word.lower))
        if kind is None or word.sep:
            continue
        i = word.index + 1
        if (
            words[i].lower == "such"
            and i + 1 < len(words)
            and words[i + 1].lower == "as"
            and not words[i].sep
        ):
            i += 2
        elif words[i].lower in ("like", "including"):
            i += 1
        else:
            continue
        while i < len(words) and (group := _group_after(words, i, generic)):
            if not any(is_strong_name(w.text) for w in group) and len(group) == 1 and group[0].index == 0:
                break
            found.append(Candidate(group[0].start, group[-1].end, kind, "rule-example", confidence))
            i = group[-1].index + 1
            if group[-1].sep != "," and not (i < len(words) and words[i].lower in _CONJ):
                break
            if i < len(words) and words[i].lower in _CONJ:
                i += 1
    return found


def apposition_names(words: list[Word], generic: frozenset[str], confidence: float) -> list[Candidate]:
    """ "X, a novel framework for ...", "X (a benchmark of ...)": typed by the kind word of the apposition."""
    found = []
    for word in words:
        if not word.sep and not (word.index + 1 < len(words) and words[word.index + 1].text[:1] == "("):
            continue
        kind = _kind_after(words, word.index) if _namey(word, generic) else None
        group = _group_before(words, word.index + 1, generic) if kind else []
        if group:
            found.append(Candidate(group[0].start, group[-1].end, kind, "rule-apposition", confidence))
    return found


def shaped_names(words: list[Word], confidence: float) -> list[Candidate]:
    """Names whose shape tells their kind ("PoseBench", "CoDI-Eval", "TruthfulQA", "ECInstruct")."""
    found = []
    for word in words:
        type_ = _shape_type(word.text) if is_strong_name(word.text) else None
        if type_:
            found.append(Candidate(word.start, word.end, type_, "rule-shape", confidence))
    return found


def title_name(title: str, confidence: float, kind_confidence: float) -> Candidate | None:
    """The name before the colon of a title ("Enigmata: Scaling Logical Reasoning ...").

    Args:
        title: the paper title.
        confidence: for a name typed Method by default.
        kind_confidence: for a name whose type the rest of the title states ("X: A Benchmark for ...").

    Returns:
        A candidate, or None when the title has no short name-like prefix.
    """
    match = re.match(r"\s*([^:]{1,60}?)\s*:\s+\S", title)
    if match is None:
        return None
    name = match.group(1)
    parts = name.split()
    if (
        len(parts) > 4
        or any(p.islower() for p in parts)
        or not (any(is_strong_name(p) for p in parts) or (len(parts) == 1 and is_title_word(name)))
    ):
        return None
    rest = title[match.end() - 1 :]
    for type_, cue in _TITLE_KIND:
        if cue.search(rest):
            return Candidate(match.start(1), match.end(1), type_, "rule-title", kind_confidence)
    shaped = _shape_type(name)
    return Candidate(match.start(1), match.end(1), shaped or "Method", "rule-title", confidence)


# A name whose kind the text states (a kind word next to it, a kind-bearing shape) is typed more surely
# than the trained model types it (0.8): at 0.85 or above its type settles its key's type in the paper
# (kg.nlp.paper.unify_types). Names typed Method by default ("propose", "title") are less sure.
# What a title says the paper does to something ("Evaluating Prompt-based Question Answering ...",
# "Measuring abstract reasoning in ..."): the verb is no part of the name that follows it.
TITLE_VERBS = word_set(
    "evaluating measuring improving enhancing boosting scaling rethinking revisiting exploring investigating "
    "analyzing analysing benchmarking probing studying assessing quantifying understanding examining "
    "generalizing generalising towards unlocking mitigating leveraging monitoring"
)


def without_title_verb(title: str, span: Candidate) -> Candidate | None:
    """A title span without the research verb it starts with ("Evaluating Prompt-based QA" -> "Prompt-based
    QA"); None when the span is only the verb or starts otherwise."""
    first = re.match(r"(\S+)\s+", title[span.start : span.end])
    if first is None or first.group(1).lower() not in TITLE_VERBS:
        return None
    start = span.start + first.end()
    return Candidate(start, span.end, span.type, span.extractor, span.confidence, span.key)


DEFAULT_CONFIDENCE = {
    "head": 0.88,
    "head-plural": 0.8,
    "on": 0.7,
    "propose": 0.8,
    "propose-kind": 0.88,
    "apposition": 0.88,
    "example": 0.88,
    "shape": 0.85,
    "title": 0.75,
    "title-kind": 0.88,
}


def find_patterns(
    text: str,
    sentences: list[tuple[int, int]],
    generic: frozenset[str],
    confidence: dict[str, float] | None = None,
    include_head: bool = True,
) -> list[Candidate]:
    """Every pattern candidate in one field.

    Args:
        text: the field text.
        sentences: its sentence bounds (patterns never cross a sentence).
        generic: the generic-word stoplist (lower-case singular words).
        confidence: per-pattern confidences overriding DEFAULT_CONFIDENCE.
        include_head: keep the kind word in "X dataset"/"X benchmark" spans.

    Returns:
        Candidates, possibly overlapping (see kg.nlp.candidates.resolve). In Title Cased text only names
        with a strong word ("GSM8K", "LoRA") are kept.
    """
    conf = {**DEFAULT_CONFIDENCE, **(confidence or {})}
    found: list[Candidate] = []
    for start, end in sentences:
        words = words_of(text, start, end)
        found += head_names(words, generic, conf["head"], include_head, conf["head-plural"])
        found += on_names(text, words, generic, conf["on"])
        found += proposed_names(words, generic, conf["propose"], conf["propose-kind"])
        found += example_names(words, generic, conf["example"])
        found += apposition_names(words, generic, conf["apposition"])
        found += shaped_names(words, conf["shape"])
    if _title_cased(text):
        found = [c for c in found if any(is_strong_name(w) for w in text[c.start : c.end].split())]
    return found


def _title_cased(text: str) -> bool:
    """Whether most words of ``text`` are capitalised (a title), so capitals say nothing about names."""
    words = [w for w in text.split() if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) > 0.6 * len(words)
