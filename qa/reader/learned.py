"""What the reader learned from data rather than from rules: which types of span answer a
question, which span of a sentence answers, which sentence, and whether to answer at all.

- answer types: from the question's wh-word ("what", "how many") and the word after it
  ("what year", "which river") to the spaCy types that answered such questions (DATE,
  PERSON, ... and "NP" for a noun phrase), counted on data and smoothed towards the
  wh-word's counts, so an unseen "which X" still gets the "which" row;
- spans: a logistic regression over a span's type fit, how near the question's words it
  stands, how much of it the question already says, whether it sits inside another span or
  holds one, the words around it (how often a span after "in", or before "'s", answered a
  "where" question is counted on data: `ContextTable`), and where it hangs in the sentence's
  dependency tree: its label and its head's part of speech (counted the same way), and how
  few steps up the tree separate it from the question's words (`_tree`);
- sentences: a logistic regression over meaning (cosine), the question's words in it, the
  passage rank, the kind fit the rules see and the best span's score;
- the no-answer decision: a logistic regression over the best sentence's evidence and its
  margin over the next, with a threshold.

All of it is fitted by `qa.eval.fit_reader` (`qa fit-reader`) on the fit half of SQuAD 2.0
dev plus seeds/questions.jsonl and stored in `data/reader_model.json`; nothing here is fitted
on the documents being asked about. Scoring is a few dot products in numpy.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from qa.backends.analyzers import porter2
from qa.ingest.entities import NOUN_PHRASE, Entity, Parse
from qa.reader.question import WH_WORDS, stem
from qa.search.fusion import phrase_share

__all__ = [
    "CONTEXT_FEATURES", "MODEL_FILE", "SENTENCE_FEATURES", "SPAN_FEATURES", "ANSWERABLE_FEATURES",
    "Asking", "ContextTable", "Linear", "ReaderModel", "SpanChoice", "TYPE_PRESENT", "TypeTable",
    "answerable_features", "context_keys", "head_key", "load_model", "question_keys", "save_model",
    "SentenceSpans", "choices_of", "sentence_features", "sentence_spans", "span_choices",
    "spans_in", "wording",
]

MODEL_FILE = Path(__file__).parent / "data" / "reader_model.json"
NONE = "NONE"  # the type row of answers no stored span matches

# Words between the wh-word and the word that says what is asked ("what is the name of").
_FILLER = frozenset({"is", "are", "was", "were", "do", "does", "did", "the", "a", "an", "of", "s",
                     "has", "have", "had", "can", "could", "will", "would", "should", "be",
                     "been", "it", "its", "to", "in", "on"})
_WORDS = re.compile(r"[A-Za-z0-9]+")


def question_keys(question: str) -> tuple[str, str]:
    """The question's coarse key (its wh-word, "how" with the word after it) and its fine key
    (the coarse key with the first word after it that is neither a filler nor a name). A
    capitalized word is a name ("how much did Acme spend", "what were Acme's sales"), which
    says nothing about the answer's type: it is passed over, so no name of the data fitted on
    becomes a key, and "what were Acme's total sales" is keyed by "total"."""
    # In a question written all in capitals, case tells nothing.
    cased = _WORDS.findall(question if any(c.islower() for c in question) else question.lower())
    words = [w.lower() for w in cased]
    at = next((i for i, w in enumerate(words) if w in WH_WORDS), None)
    if at is None:
        return "none", "none"
    coarse, rest = words[at], list(range(at + 1, len(words)))
    if coarse == "how" and rest and words[rest[0]] not in _FILLER and _common(cased[rest[0]]):
        coarse, rest = f"how {words[rest[0]]}", rest[1:]
    head = next((i for i in rest if words[i] not in _FILLER and _common(cased[i])), None)
    if head is None:
        return coarse, coarse
    return coarse, f"{coarse} {words[head]}"


def head_key(keys: tuple[str, str]) -> str | None:
    """The stemmed head word of a "what X" or "which X" question's fine key (`question_keys`):
    "which cities" and "what city" share "citi", so what one taught the type table informs
    the other, and a head too rare to key with one wh-word is counted over both."""
    coarse, fine = keys
    if coarse not in ("what", "which") or fine == coarse:
        return None
    return porter2(fine.split()[-1])  # Snowball: "cities" and "city" are both "citi"


def _common(word: str) -> bool:
    return not word[:1].isupper()


@dataclass(frozen=True, slots=True)
class TypeTable:
    """Counts of answer types by question key, read as smoothed probabilities: the prior, then
    the coarse key's counts, then the head word's (`head_key`), then the fine key's, each
    pulled towards the one before."""

    prior: Mapping[str, float]
    coarse: Mapping[str, Mapping[str, float]]
    fine: Mapping[str, Mapping[str, float]]
    strength: float = 5.0  # pseudo-counts pulling a rare key towards the key above it
    heads: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def probabilities(self, coarse: str, fine: str) -> Mapping[str, float]:
        total = sum(self.prior.values()) or 1.0
        p = {t: c / total for t, c in self.prior.items()}
        head = head_key((coarse, fine))
        for counts in (self.coarse.get(coarse, {}), self.heads.get(head or "", {}),
                       self.fine.get(fine, {})):
            n = sum(counts.values())
            p = {t: (counts.get(t, 0.0) + self.strength * q) / (n + self.strength)
                 for t, q in p.items()}
        return p

    def to_json(self) -> dict[str, Any]:
        return {"prior": dict(self.prior), "coarse": {k: dict(v) for k, v in self.coarse.items()},
                "fine": {k: dict(v) for k, v in self.fine.items()}, "strength": self.strength,
                "heads": {k: dict(v) for k, v in self.heads.items()}}


@dataclass(frozen=True, slots=True)
class Linear:
    """A fitted logistic regression: logit = features . coef + intercept."""

    names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=np.float64) @ np.asarray(self.coef) + self.intercept

    def to_json(self) -> dict[str, Any]:
        return {"names": list(self.names), "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def of_json(cls, raw: Mapping[str, Any], names: Sequence[str]) -> Linear:
        if tuple(raw["names"]) != tuple(names):
            raise ValueError(f"{MODEL_FILE.name}: features {raw['names']} are not {list(names)}")
        return cls(tuple(names), tuple(float(c) for c in raw["coef"]), float(raw["intercept"]))


# The words around a span, as keys of the context table: the word before it, the word after
# it, the two before, the two after, and the first two with the span's type; and where the
# span hangs in the sentence's dependency tree: its head word's label ("nsubj", "pobj"), and
# that label with the part of speech of the word it hangs from. The last three are keyed by
# the question's fine key ("what year") instead of its coarse one ("what"): the words around
# a year are not those around a name.
CONTEXT_FEATURES = ("before", "after", "two_before", "two_after", "before_type", "after_type",
                    "dep", "dep_head", "fine_before", "fine_after", "fine_dep_head")


def context_keys(keys: tuple[str, str], kind: str, around: Sequence[str]) -> tuple[str, ...]:
    """The keys of CONTEXT_FEATURES for a span of type `kind` answering a question of keys
    `keys` (coarse, fine: `question_keys`), with `around` its two words before and two after
    (nearest last, then nearest first; "<s>" and "</s>" past the sentence's ends), its
    dependency label and its head's part of speech ("-" without a parse)."""
    coarse, fine = keys
    two_before, before, after, two_after, dep, head = around
    return (f"{coarse}|{before}", f"{coarse}|{after}", f"{coarse}|{two_before} {before}",
            f"{coarse}|{after} {two_after}", f"{coarse}|{kind}|{before}",
            f"{coarse}|{kind}|{after}", f"{coarse}|{dep}", f"{coarse}|{dep}|{head}",
            f"{fine}|{before}", f"{fine}|{after}", f"{fine}|{dep}|{head}")


@dataclass(frozen=True, slots=True)
class ContextTable:
    """How much likelier than average a span is the answer, by the words around it and the
    question's keys: log odds, one table per CONTEXT_FEATURES entry, counted on data
    (`qa.eval.fit_reader.fit_contexts`). A key seen too rarely to count is 0.

    The words are the language's, not a corpus's: "in" before a span answers "where" and
    "when", "by" before it "who", "'s" after it rarely anything."""

    odds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def features(self, keys: tuple[str, str], kind: str,
                 around: Sequence[str]) -> tuple[float, ...]:
        return tuple(self.odds.get(name, {}).get(key, 0.0)
                     for name, key in zip(CONTEXT_FEATURES, context_keys(keys, kind, around),
                                          strict=True))

    def to_json(self) -> dict[str, Any]:
        return {name: dict(table) for name, table in self.odds.items()}

    @classmethod
    def of_json(cls, raw: Mapping[str, Any]) -> ContextTable:
        unknown = set(raw) - set(CONTEXT_FEATURES)
        if unknown:
            raise ValueError(f"{MODEL_FILE.name}: context tables {sorted(unknown)} are not among "
                             f"{list(CONTEXT_FEATURES)}")
        return cls({str(name): {str(k): float(v) for k, v in table.items()}
                    for name, table in raw.items()})


SPAN_FEATURES = ("log_type", "said", "all_said", "inside_question", "distance", "nearness",
                 "window", "length", "np_only", "left", "right", "nested", "holds",
                 "tree_near", "head_said", "grand_said", "names_head", *CONTEXT_FEATURES)
SENTENCE_FEATURES = ("meaning", "words", "focus", "rank", "kind_fit", "inside", "best_span",
                     "type_present", "bigrams", "spread", "length", "density")
TYPE_PRESENT = SENTENCE_FEATURES.index("type_present")
ANSWERABLE_FEATURES = ("best", "margin", "best_span", "meaning", "words", "type_present",
                       "typed", "kind_fit", "inside")


@dataclass(frozen=True, slots=True)
class ReaderModel:
    types: TypeTable
    span: Linear
    sentence: Linear
    answerable: Linear
    answer_threshold: float  # answer when the answerable logit reaches it
    span_threshold: float  # below it the sentence (not a span) is the answer of a sentence question
    fitted_on: str
    # An answer at or above this answerable logit is shown as a strong match: on the data it
    # was fitted on, that many of such answers held a gold answer in their sentence
    # (`right`: the share right in each band, "strong" and "weak").
    strong_threshold: float = float("inf")
    right: Mapping[str, float] = field(default_factory=dict)
    contexts: ContextTable = field(default_factory=ContextTable)

    def sureness(self, logit: float) -> str:
        """"strong" or "weak": how sure an answer with this answerable logit is."""
        return "strong" if logit >= self.strong_threshold else "weak"

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "fitted_on": self.fitted_on, "types": self.types.to_json(),
                "span": self.span.to_json(), "sentence": self.sentence.to_json(),
                "answerable": self.answerable.to_json(),
                "answer_threshold": self.answer_threshold, "span_threshold": self.span_threshold,
                "strong_threshold": self.strong_threshold, "right": dict(self.right),
                "contexts": self.contexts.to_json()}

    @classmethod
    def of_json(cls, raw: Mapping[str, Any]) -> ReaderModel:
        t = raw["types"]
        return cls(TypeTable(t["prior"], t["coarse"], t["fine"], float(t["strength"]),
                             t.get("heads", {})),
                   Linear.of_json(raw["span"], SPAN_FEATURES),
                   Linear.of_json(raw["sentence"], SENTENCE_FEATURES),
                   Linear.of_json(raw["answerable"], ANSWERABLE_FEATURES),
                   float(raw["answer_threshold"]), float(raw["span_threshold"]),
                   str(raw["fitted_on"]), float(raw.get("strong_threshold", "inf")),
                   {str(k): float(v) for k, v in raw.get("right", {}).items()},
                   ContextTable.of_json(raw.get("contexts", {})))


@functools.cache
def load_model(path: Path = MODEL_FILE) -> ReaderModel | None:
    """The shipped model, or None before one was fitted (the reader then keeps its rules)."""
    if not path.is_file():
        return None
    return ReaderModel.of_json(json.loads(path.read_text(encoding="utf-8")))


def save_model(model: ReaderModel, path: Path = MODEL_FILE) -> Path:
    """Write `model` as JSON, atomically, its keys sorted so that the same fit writes the same
    bytes. A file that is not a reader model qa wrote is never replaced."""
    path = Path(path)
    if path.exists():
        try:
            ours = "fitted_on" in json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            ours = False
        if not ours:
            raise ValueError(f"{path} exists and is not a reader model qa wrote; give another "
                             "path")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    load_model.cache_clear()
    return path


# --- one question ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Asking:
    """What span and sentence scoring need of a question, worked out once."""

    types: Mapping[str, float]  # P(answer type) for this question's keys
    terms: Mapping[str, float]  # its content words (stemmed), by rarity
    lower: str  # the question in lower case: a span it contains is not its answer
    sequence: tuple[str, ...] = ()  # its content words (stemmed) in order, for `wording`
    keys: tuple[str, str] = ("none", "none")  # its coarse and fine keys (question_keys)
    contexts: ContextTable = field(default_factory=ContextTable)
    head: str = ""  # the stemmed noun of "which park", "what method" (`stem`), or ""

    @classmethod
    def of(cls, question: str, terms: Mapping[str, float], table: TypeTable,
           sequence: Sequence[str] = (), contexts: ContextTable | None = None) -> Asking:
        keys = question_keys(question)
        head = stem(keys[1].split()[-1]) if head_key(keys) else ""
        return cls(table.probabilities(*keys), terms, question.lower(), tuple(sequence), keys,
                   contexts or ContextTable(), head)


@dataclass(frozen=True, slots=True)
class SpanChoice:
    start: int
    end: int
    kind: str  # its best-fitting type ("DATE", "NP", ...)
    features: tuple[float, ...]
    # Its two words before and two after, its dependency label and its head's part of speech
    # (context_keys), kept so that a refit of the context table can recompute its features.
    around: tuple[str, ...] = ()


def spans_in(found: Sequence[Entity], starts: Sequence[int], a: int, b: int
             ) -> list[tuple[int, int, frozenset[str]]]:
    """The stored spans inside [a, b), identical ranges merged with all their types.
    `starts` is the sorted list of `found`'s starts (found is sorted by start)."""
    merged: dict[tuple[int, int], set[str]] = {}
    for i in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
        s, e, kind = found[i]
        if e <= b:
            merged.setdefault((s, e), set()).add(kind)
    return [(s, e, frozenset(k)) for (s, e), k in merged.items()]


# Words and punctuation: the words around a span are both; the rest of the features count
# only the words (the \w+ matches, the same as a pass of \w+ alone would find).
_TOKEN = re.compile(r"\w+|[^\w\s]")
FAR = 30  # words: a span this far from every question word is as far as it gets
WINDOW = 5  # words either side of a span that count as its neighbourhood


def _nesting(spans: Sequence[tuple[int, int, frozenset[str]]]) -> list[tuple[bool, bool]]:
    """For each span, whether another span holds it and whether it holds another: one sort
    and two sweeps (in start order, longest first, every earlier span starts no later)."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
    inside, holds = [False] * len(spans), [False] * len(spans)
    reach = -1
    for i in order:
        inside[i] = reach >= spans[i][1]
        reach = max(reach, spans[i][1])
    low = None
    for i in reversed(order):
        holds[i] = low is not None and low <= spans[i][1]
        low = spans[i][1] if low is None else min(low, spans[i][1])
    return list(zip(inside, holds, strict=True))


def _shape(token: str) -> str:
    """A token as the context table keys it: names and numbers by their shape ("<name>",
    "<num>"), so that the table learns the language around answers, not a corpus's names."""
    if token[0].isupper():
        return "<name>"
    if token[0].isdigit():
        return "<num>"
    return token.lower()


def _around(word: Sequence[str], starts: Sequence[int], ends: Sequence[int], s: int, e: int
            ) -> tuple[str, str, str, str]:
    """The two tokens before [s, e) and the two after, within the sentence (`word`, with
    their sorted `starts` and `ends`)."""
    left = bisect.bisect_right(ends, s)  # word[:left] end at or before s
    right = bisect.bisect_left(starts, e)  # word[right:] start at or after e
    return (word[left - 2] if left > 1 else "<s>", word[left - 1] if left else "<s>",
            word[right] if right < len(word) else "</s>",
            word[right + 1] if right + 1 < len(word) else "</s>")


TREE_REACH = 6  # steps up the dependency tree: a question word further away is not near


@dataclass(frozen=True, slots=True)
class _Tree:
    """Where a span hangs in its sentence's dependency tree, and how near the question's
    words (`anchors`: their tokens outside the span) are to it along the tree."""

    dep: str = "-"  # its head word's label
    head: str = "-"  # the part of speech (two letters of the Penn tag) of the word it hangs from
    near: float = 0.0  # 1 / (1 + the fewest tree steps to a question word), 0 beyond TREE_REACH
    head_said: bool = False  # it hangs from a question word
    grand_said: bool = False  # the word it hangs from does


def _up(parse: Parse, token: int) -> list[int]:
    """`token` and its heads, nearest first, at most TREE_REACH steps up."""
    chain = [token]
    while len(chain) <= TREE_REACH and (head := parse.heads[chain[-1]]) != chain[-1]:
        chain.append(head)
    return chain


class _Hang(NamedTuple):
    """Where a span hangs in its sentence's dependency tree, whatever the question asks: its
    root token (the first whose head is outside it), that head, and the steps up from the
    root (`_up`) by token."""

    lo: int  # the span's tokens are lo..hi-1
    hi: int
    root: int
    head: int
    grand: int  # the head's head
    steps: Mapping[int, int]


def _hang(parse: Parse | None, s: int, e: int) -> _Hang | None:
    """How the span [s, e) hangs in the tree (None without a parse or tokens)."""
    if parse is None:
        return None
    lo, hi = bisect.bisect_right(parse.ends, s), bisect.bisect_left(parse.starts, e)
    if lo >= hi:
        return None
    root = next((t for t in range(lo, hi) if not lo <= parse.heads[t] < hi), lo)
    head = parse.heads[root]
    return _Hang(lo, hi, root, head, parse.heads[head],
                 {t: d for d, t in enumerate(_up(parse, root))})


def _tree(parse: Parse | None, hang: _Hang | None,
          anchors: Mapping[int, Sequence[int]]) -> _Tree:
    """The tree features of a span hanging so (see `_Tree`); `anchors` are the tokens of the
    sentence that say a question word, each with its heads (`_up`)."""
    if parse is None or hang is None:
        return _Tree()
    lo, hi, root, head, grand, steps = hang
    dep, tag = parse.deps[root], parse.tags[head][:2] if head != root else "ROOT"
    if not anchors:
        return _Tree(dep, tag)
    outside = {t: chain for t, chain in anchors.items() if not lo <= t < hi}
    fewest = min((d + steps[t] for chain in outside.values()
                  for d, t in enumerate(chain) if t in steps), default=None)
    return _Tree(dep, tag, 0.0 if fewest is None else 1.0 / (1 + fewest),
                 head != root and head in outside, grand in outside)


class _SpanShape(NamedTuple):
    """A stored span of a sentence as `span_choices` reads it whatever the question asks."""

    start: int
    end: int
    kinds: frozenset[str]
    nested: bool  # another span holds it
    holds: bool  # it holds another span
    lo: int  # the sentence's words it touches are lo..hi (`SentenceSpans.words`)
    hi: int
    lower: str  # its text in lower case
    np_only: bool  # a noun phrase and nothing else
    around: tuple[str, ...]  # two words before, two after, its dependency label, its head's tag
    hang: _Hang | None


@dataclass(frozen=True, slots=True)
class SentenceSpans:
    """What `span_choices` reads of a sentence and its stored spans before any question: the
    stems of its words, its parse's tokens with their stems, and each span's place among
    them (`sentence_spans`). A caller reading the same sentence for many questions keeps it."""

    words: tuple[str, ...]  # the stems of the sentence's words (\w+ tokens), in order
    parsed: tuple[tuple[int, str], ...]  # the parse's tokens of the sentence and their stems
    spans: tuple[_SpanShape, ...]  # the stored spans that touch a word, in the stored order
    parse: Parse | None


def sentence_spans(text: str, a: int, b: int,
                   spans: Sequence[tuple[int, int, frozenset[str]]],
                   parse: Parse | None = None) -> SentenceSpans:
    """The sentence text[a:b] and its stored `spans` read for `span_choices`; `parse`, the
    document's dependency parse, if the index has one."""
    tokens = list(_TOKEN.finditer(text, a, b))
    words = [(m.start(), m.end(), stem(m.group().lower())) for m in tokens
             if m.group()[0].isalnum() or m.group()[0] == "_"]
    token_words = [_shape(m.group()) for m in tokens]
    starts, ends = [m.start() for m in tokens], [m.end() for m in tokens]
    # Words do not overlap, so those a span touches are one run of them, found by bisection
    word_starts, word_ends = [w[0] for w in words], [w[1] for w in words]
    shapes = []
    for (s, e, kinds), (nested, holds) in zip(spans, _nesting(spans), strict=True):
        inside = range(bisect.bisect_right(word_ends, s), bisect.bisect_left(word_starts, e))
        if not inside:
            continue
        hang = _hang(parse, s, e)
        tree = _tree(parse, hang, {})  # its label and its head's tag
        shapes.append(_SpanShape(s, e, kinds, nested, holds, inside[0], inside[-1],
                                 text[s:e].lower(), kinds == {NOUN_PHRASE},
                                 (*_around(token_words, starts, ends, s, e), tree.dep,
                                  tree.head), hang))
    parsed = () if parse is None else tuple(
        (t, stem(text[parse.starts[t]:parse.ends[t]].lower())) for t in parse.within(a, b))
    return SentenceSpans(tuple(w for _, _, w in words), parsed, tuple(shapes), parse)


def span_choices(text: str, a: int, b: int, spans: Sequence[tuple[int, int, frozenset[str]]],
                 asking: Asking, parse: Parse | None = None) -> list[SpanChoice]:
    """Each stored span of the sentence text[a:b] with its features (SPAN_FEATURES);
    `parse`, the document's dependency parse, if the index has one."""
    return choices_of(sentence_spans(text, a, b, spans, parse), asking)


def choices_of(sentence: SentenceSpans, asking: Asking) -> list[SpanChoice]:
    """`span_choices` of a sentence read already (`sentence_spans`)."""
    terms, parse, words = asking.terms, sentence.parse, sentence.words
    # the tokens that say one of the question's words, each with its heads
    anchors = {} if parse is None else {t: _up(parse, t) for t, w in sentence.parsed
                                        if w in terms}
    hits = [i for i, w in enumerate(words) if w in terms]
    total = sum(terms.values()) or 1.0
    out = []
    for span in sentence.spans:
        s, e, kinds, lo, hi = span.start, span.end, span.kinds, span.lo, span.hi
        own = words[lo:hi + 1]
        said = sum(w in terms for w in own) / len(own)
        outside = [i for i in hits if i < lo or i > hi]
        gaps = [lo - i if i < lo else i - hi for i in outside]
        nearest: dict[str, int] = {}  # each question word's fewest words away
        for i, g in zip(outside, gaps, strict=True):
            if words[i] not in nearest or g < nearest[words[i]]:
                nearest[words[i]] = g
        near = 0.0
        for term, weight in terms.items():
            if term in nearest:
                near += weight / nearest[term]
        close = {words[i] for i, g in zip(outside, gaps, strict=True) if g <= WINDOW}
        kind = max(kinds, key=lambda k: asking.types.get(k, 0.0))
        p = max(asking.types.get(k, 0.0) for k in kinds)
        tree = _tree(parse, span.hang, anchors)
        out.append(SpanChoice(s, e, kind, (
            math.log(p + 1e-4),
            said,
            float(said == 1.0),
            float(span.lower in asking.lower),
            math.log1p(min(gaps, default=FAR)),
            near / total,
            sum(terms[t] for t in close) / total,
            math.log(len(own)),
            float(span.np_only),
            float(any(0 < lo - i <= 2 for i in outside)),
            float(any(0 < i - hi <= 2 for i in outside)),
            float(span.nested),
            float(span.holds),
            tree.near,
            float(tree.head_said),
            float(tree.grand_said),
            # "Which park ...?" is often answered by a name with the noun in it ("Roeding
            # Park"): on SQuAD's fit half a quarter of "which/what X" answers hold X, a word
            # the question says, which the other features count against a span.
            float(bool(asking.head) and asking.head in own),
            *asking.contexts.features(asking.keys, kind, span.around),
        ), span.around))
    return out


def sentence_features(meaning: float, words: float, focus: float, rank: int, kind_fit: float,
                      inside: bool, best_span: float, type_present: float,
                      wording: tuple[float, float, float, float]) -> tuple[float, ...]:
    return (meaning, words, focus, 1.0 / rank, kind_fit, float(inside), best_span, type_present,
            *wording)


def _even(_: str) -> float:
    """Every word pair counts alike in a sentence's share of the question's pairs."""
    return 1.0


def wording(question: Sequence[str], terms: Mapping[str, float], sentence: Sequence[str]
            ) -> tuple[float, float, float, float]:
    """How closely a sentence keeps the question's wording, from both as stemmed content
    words in order: the share of the question's word pairs it has side by side; how much of
    the sentence the question's words spread over (1.0 with fewer than two of them); its
    length (log words); and the question's rarity mass it holds per log word.

    A question written from a sentence reuses its phrases ("the papal army"), which word
    overlap alone does not see. On SQuAD's fit half (2 folds by article), the four raised the
    right sentence's share among candidates from 0.841 to 0.858."""
    shared = phrase_share(question, sentence, _even)
    at = [i for i, w in enumerate(sentence) if w in terms]
    spread = (at[-1] - at[0] + 1) / len(sentence) if len(at) > 1 else 1.0
    total = sum(terms.values()) or 1.0
    held = sum(terms[w] for w in set(sentence) if w in terms) / total
    return shared, spread, math.log1p(len(sentence)), held / math.log(2 + len(sentence))


def answerable_features(logits: Sequence[float], best_span: float, meaning: float,
                        words: float, type_present: float, typed: bool, kind_fit: float,
                        inside: bool) -> tuple[float, ...]:
    """From the sentence logits, best first, and the best sentence's evidence (`typed`: the
    rules found a span of the kind asked for in it)."""
    margin = logits[0] - logits[1] if len(logits) > 1 else 5.0
    return (logits[0], margin, best_span, meaning, words, type_present, float(typed),
            kind_fit, float(inside))
