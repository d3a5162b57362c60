"""The candidate sentences of a question: the sentences of the best passages that may answer
it, each scored, best first.

The sentences that may answer are chosen by `qa.reader.admit` (left out: those about another
name, country or year than the question's, and those that give no answer of the kind asked
for where the kind is required); the rest are scored by the learned reader
(`qa.reader.learned`: the sentence's meaning, the question's words, passage rank, kind fit,
best span, wording), or with `model=None` by the hand-set weights below. Those weights and
`qa.reader.reader.NO_ANSWER_SCORE` were chosen by a small grid search on
seeds/questions.jsonl and kept round: meaning counts fully, the question's other words 0.25,
the passage rank 0.1/rank, the span kind 0.6."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import replace

import numpy as np

from qa.ingest.chunking import split_sentences
from qa.ingest.context import read_with
from qa.reader.admit import Row, admit, narrow, read_question
from qa.reader.agree import acting_stem
from qa.reader.extract import Kind
from qa.reader.fields import stored_spans
from qa.reader.learned import (
    TYPE_PRESENT,
    Asking,
    ReaderModel,
    SentenceSpans,
    answerable_features,
    choices_of,
    load_model,
    sentence_features,
    sentence_spans,
    wording,
)
from qa.reader.pick import Candidate, encode
from qa.reader.question import Wanted, analyse, content_sequence
from qa.reader.scope import unknown_names
from qa.search.base import Ranking, SearchSettings
from qa.search.hybrid import cosines, rank_chunks
from qa.store.index import Index
from qa.types import Mode

__all__ = ["NO_SPAN", "PHRASES", "answerable", "candidates", "sentence_score"]


WEIGHTS = {"meaning": 1.0, "words": 0.0, "focus": 0.25, "rank": 0.1, "type": 0.6,
           "context_only": 0.1}
POOL_FUSED, POOL_EACH = 6, 3  # passages read: best fused, plus best of each side alone
EMBED_AT_MOST = 12  # sentences embedded per question (cheapest-first cut), keeps it fast


def sentence_score(meaning: float, words: float, focus: float, rank: int, fit: float,
                   inside: bool = True) -> float:
    return (WEIGHTS["meaning"] * meaning + WEIGHTS["words"] * words + WEIGHTS["focus"] * focus
            + WEIGHTS["rank"] / rank + WEIGHTS["type"] * fit
            - (0.0 if inside else WEIGHTS["context_only"]))


def candidates(index: Index, question: str, settings: SearchSettings | None,
               query_vector: np.ndarray, sources: Collection[str] | None = None,
               at_most: int | None = None, ranking: Ranking | None = None,
               model: ReaderModel | None | bool = True, wanted: Wanted | None = None,
               unknown_ok: bool = False,
               ) -> tuple[Wanted, dict[str, float], list[Candidate], str | None]:
    """The question's wanted kind and words, and its candidate sentences, best first.

    `ranking` is the passages' ranking as `search` makes it (`qa.search.hybrid.rank_chunks`,
    already limited to `sources`); without it they are ranked here. `model` is the learned
    reader (True: the shipped one, if any; None: the hand-set weights only). A name the
    sources never mention leaves no candidate, unless `unknown_ok` (the closest sentence of a
    refusal, shown as such)."""
    if model is True:
        model = load_model()
    if ranking is None:
        settings = settings or SearchSettings()
        ranking = rank_chunks(index, question, settings, sources=sources,
                              query_vector=None if settings.mode is Mode.BM25 else query_vector)
    wanted = wanted or analyse(question)
    if wanted.kind in (Kind.PERSON, Kind.ORG) and not wanted.doer:
        wanted = replace(wanted, doer=acting_stem(question))
    unknown = [] if unknown_ok else unknown_names(index, question)
    if unknown:  # never answered with another name's figure
        return (wanted, {}, [],
                f"The sources never mention {' or '.join(unknown)}.")
    pool = _pool(index, ranking, query_vector)
    # "Who wrote X": X is the document the best passage is from, not any the pool reaches.
    best_source = next(iter(pool))[0] if pool else None
    rd = read_question(index, question, wanted, best_source, unknown_ok, strict=not model)
    rows = [row for (source, a, b), (place, chunk_cos) in pool.items()
            if (row := admit(index, rd, source, a, b, place, chunk_cos)) is not None]
    if not rows:
        what = PHRASES.get(wanted.label, "an answer")
        return wanted, rd.terms, [], (
            f"No passage about {' and '.join(sorted(rd.required))} gives {what}."
            if rd.required else f"No passage gives {what}.")
    rows = narrow(index, rd, rows)
    # The sentences' vectors were stored at build, so every row's meaning is known before
    # the cut: a sentence that says the answer without the question's words ("The cooperative
    # was founded in 1987 by ...") is kept for it.
    texts = [read_with(r.context, index.documents[r.source].text[r.clause:r.end]) for r in rows]
    cosines = encode(index, texts) @ np.asarray(query_vector, dtype=np.float32)
    kept = sorted(range(len(rows)), key=lambda i: -(_cheap(rows[i]) + cosines[i])
                  )[:at_most or EMBED_AT_MOST]
    rows, meaning = [rows[i] for i in kept], cosines[kept]
    if not model:
        cands = [Candidate(r.source, r.start, r.end, r.rank, float(cos), r.words, r.focus,
                           r.fit, r.inside, sentence_score(float(cos), r.words, r.focus, r.rank,
                                                           r.fit, r.inside), r.spans)
                 for r, cos in zip(rows, meaning, strict=True)]
    else:
        asking = Asking.of(question, rd.terms, model.types, content_sequence(index, question),
                           model.contexts)
        cands = [_learned(index, r, float(cos), asking, model)
                 for r, cos in zip(rows, meaning, strict=True)]
    return wanted, rd.terms, sorted(cands, key=lambda c: -c.score), None


def _cheap(r: Row) -> float:
    """The cut's score before meaning: the question's words held, the passage's cosine and
    rank."""
    return r.words + 0.5 * r.chunk_cos + WEIGHTS["rank"] / r.rank


def _learned(index: Index, r: Row, meaning: float, asking: Asking,
             model: ReaderModel) -> Candidate:
    """A candidate scored by the learned model, with its stored spans scored too."""
    text = index.documents[r.source].text
    sentence, sequence = _read(index, r.source, r.start, r.end)
    choices = tuple(choices_of(sentence, asking))
    if r.labelled and not r.spans:  # "Engine: Lister diesel, 18 hp": its value's first part
        colon = text.find(":", r.start, r.end)
        stop = _VALUE_END.search(text, colon + 1, r.end)
        end = r.end if stop is None else stop.start()
        choices = tuple(c for c in choices if colon < c.start and c.end <= end) or choices
    logits = (tuple(model.span.logits(np.array([c.features for c in choices])).tolist())
              if choices else ())
    fresh = [c.features[0] for c in choices if c.features[2] == 0.0]  # not said in the question
    present = math.exp(max(fresh, default=math.log(1e-4)))
    features = sentence_features(
        meaning, r.words, r.focus, r.rank, r.fit, r.inside, max(logits, default=NO_SPAN), present,
        wording(asking.sequence, asking.terms, sequence))
    logit = float(model.sentence.logits(np.array(features)))
    return Candidate(r.source, r.start, r.end, r.rank, meaning, r.words, r.focus, r.fit,
                     r.inside, 1.0 / (1.0 + math.exp(-logit)), r.spans, choices, logits,
                     features, logit)


_VALUE_END = re.compile(r"[,;(|]")


def _read(index: Index, source: str, a: int, b: int) -> tuple[SentenceSpans, list[str]]:
    """The sentence text[a:b] of `source` with its stored spans (`sentence_spans`) and its
    content words in order (`content_sequence`), read once per index: the pools of a corpus's
    questions hold the same sentences again and again."""
    reads = index.derived.setdefault("sentence_spans", {})
    read = reads.get((source, a, b))
    if read is None:
        text = index.documents[source].text
        read = reads[(source, a, b)] = (
            sentence_spans(text, a, b, stored_spans(index, source, a, b),
                           index.parses.get(source)),
            content_sequence(index, text[a:b]))
    return read


NO_SPAN = -10.0  # the best-span feature of a sentence holding no stored span


def answerable(cands: Sequence[Candidate], model: ReaderModel) -> float:
    """The learned logit that the best candidate answers the question."""
    best = cands[0]
    x = answerable_features([c.logit for c in cands[:2]], max(best.span_logits, default=NO_SPAN),
                            best.meaning, best.words, best.features[TYPE_PRESENT], bool(best.spans),
                            best.type, best.inside)
    return float(model.answerable.logits(np.array(x)))


# How a refusal names what the question asked for, by `Wanted.label`.
PHRASES = {"amount": "a figure", "date": "a date", "person": "a name",
           "org": "an organization", "place": "a place"}


def _pool(index: Index, ranking: Ranking,
          query_vector: np.ndarray) -> dict[tuple[str, int, int], tuple[int, float]]:
    """Sentences of the best chunks, each with its best chunk rank and that chunk's cosine.

    The chunks are the best of the ranking `search` shows (same fusion, same source filter),
    plus in hybrid mode the best of each side alone. Unlike `search` this keeps chunks that
    overlap a better one: with overlapping chunks the sentence that answers is sometimes only
    in the one `search` leaves out.
    """
    if ranking.mode is Mode.HYBRID:
        chosen = ranking.ids[:POOL_FUSED].tolist()
        chosen += [i for i in ranking.vector_ids[:POOL_EACH].tolist() if i not in chosen]
        chosen += [i for i in ranking.bm25_ids[:POOL_EACH].tolist() if i not in chosen]
    else:
        chosen = ranking.ids[:POOL_FUSED + POOL_EACH].tolist()
    if ranking.vector is not None:
        cosine = dict(zip(ranking.ids.tolist(), ranking.vector.tolist(), strict=True))
    else:  # BM25 mode ranks without vectors
        cosine = dict(zip(chosen, cosines(index, query_vector, np.asarray(chosen)).tolist(),
                          strict=True))
    pool: dict[tuple[str, int, int], tuple[int, float]] = {}
    split = index.derived.setdefault("chunk_sentences", {})  # kept: chunks recur in pools
    for place, i in enumerate(chosen, start=1):
        chunk = index.chunks[i]
        at = (chunk.source, chunk.start, chunk.end)
        if at not in split:
            split[at] = split_sentences(index.documents[chunk.source].text, chunk.start,
                                        chunk.end)
        for a, b in split[at]:
            key = (chunk.source, a, b)
            if key not in pool:
                pool[key] = (place, max(cosine[i], 0.0))
    return pool
