"""From ranked passages to what a reader is shown: the answer, the passages, the citations.

`ask` is the one call the CLI and the web page make. Its `Result.to_json()` is the public
JSON shape of `qa ask --json` and of the web API; keys are only ever added, never renamed.

How an answer is chosen (no language model: every answer is a quote; see `qa.reader.reader`):
1. `qa.reader.question.analyse` says what the question wants: an amount, a date, a person or
   organization, a place, or a whole sentence (why / what is / what happens if ...).
2. The sentences of the best passages are the candidates. A sentence must agree with every
   organization the question is about (in the sentence, the heading line above its
   paragraph, or the sentences before it in that paragraph): a question about one company
   is never answered from a sentence about another. A capitalized name no document writes
   refuses the question ("The sources never mention ..."); the sentence closest to the rest
   of it is still given as `rejected`. A candidate must also state what is asked
   (`qa.reader.agree`): the office the question names ("the CEO of ..."), the country it
   names; "who wrote" reads the byline, "what is X" prefers a sentence defining X, "the
   second thing" the list's item.
3. Each candidate is scored by the learned reader (`qa.reader.learned`): meaning (the
   sentence's stored vector), the question's words it shares (weighted by rarity), its
   passage's rank, whether it holds a span of the kind asked for, and the words around
   that span. Below the model's threshold the sources are taken not to answer: the result
   says so, gives the candidate it turned down as `rejected`, and lists the passages.
4. Inside the best sentence the typed span (a figure, a date, a name) or the learned best
   span is the answer, a clause for "why" and "how", the sentence when no span is sure
   enough; the same figure given with another value by other sources is kept beside it as
   `alternatives`.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, fields
from typing import Any

from qa.reader.base import Reader
from qa.reader.citations import (  # re-exported: `qa.answer.Citation` is public
    Citation,
    citation_for,
)
from qa.reader.pick import Pick
from qa.reader.reader import ExtractiveReader
from qa.search.base import Hit, Retriever, SearchSettings
from qa.search.hybrid import HybridRetriever, hits_of
from qa.store.index import Index
from qa.types import Mode

__all__ = ["MAX_QUESTION_CHARS", "Answer", "Citation", "Result", "ask", "citation_for",
           "stands_for"]

MAX_QUESTION_CHARS = 1000


def stands_for(answer: Pick, figure: Pick) -> bool:
    """`answer` is `figure`, or the option of a comparison standing for it: "Which colony is
    larger, A or B?" is answered with A where the sentence of A's figure (or one before it in
    the paragraph) writes it, its figure's value kept."""
    return answer == figure or (answer.source == figure.source and answer.value == figure.value
                                and answer.sentence_start <= figure.start < answer.sentence_end)


@dataclass(frozen=True, slots=True)
class Answer(Pick):
    """The reader's pick (text: the span that answers, a figure, a date, a name or the whole
    sentence; its offsets in the cleaned document; kind) with its citation."""

    citation: Citation | None = None

    @classmethod
    def of(cls, pick: Pick, citation: Citation) -> Answer:
        return cls(**{f.name: getattr(pick, f.name) for f in fields(Pick)}, citation=citation)


@dataclass(frozen=True, slots=True)
class Result:
    question: str
    mode: str
    answer: Answer | None
    hits: tuple[Hit, ...]
    citations: tuple[Citation, ...]
    took_ms: float
    # Other sources giving a different figure for the same thing, best first.
    alternatives: tuple[Answer, ...] = ()
    # Why there is no answer, in words a reader can act on (None when there is one).
    no_answer_reason: str | None = None
    wanted: str = "sentence"  # what the question asks for
    # With no answer: the closest candidate, turned down as not confident enough.
    rejected: Answer | None = None
    sureness: str | None = None  # "strong" or "weak" match (see qa.reader.base.Reading)
    # "Who spends more, A or B?": each option's figure, cited; `answer` is the winner.
    compared: tuple[Answer, ...] = ()
    alpha: float | None = None  # the dense weight of this question's weighted fusion

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def no_answer(self) -> bool:
        return self.answer is None

    def to_json(self) -> dict[str, Any]:
        passages = []
        for hit, cite in zip(self.hits, self.citations, strict=True):
            passages.append({
                "rank": hit.rank, "source": hit.chunk.source, "title": cite.title,
                "date": cite.date, "start": hit.chunk.start, "end": hit.chunk.end,
                "text": hit.chunk.text, "score": round(hit.score, 6),
                "bm25": None if hit.bm25 is None else round(hit.bm25, 6),
                "vector": None if hit.vector is None else round(hit.vector, 6),
                "bm25_rank": hit.bm25_rank, "vector_rank": hit.vector_rank,
                "author": cite.author, "publisher": cite.publisher,
                "lines": [cite.line_start, cite.line_end], "page": cite.page,
                "citation": cite.render(),
            })
        return {
            "question": self.question, "mode": self.mode,
            "answer": None if self.answer is None else _answer_json(self.answer),
            "passages": passages, "took_ms": round(self.took_ms, 2),
            "answerable": self.answer is not None, "no_answer": self.no_answer_reason,
            "wanted": self.wanted,
            "alternatives": [_answer_json(a) for a in self.alternatives],
            "rejected": None if self.rejected is None else _answer_json(self.rejected),
            "sureness": self.sureness,
            "compared": [_answer_json(a) for a in self.compared],
            "alpha": None if self.alpha is None else round(self.alpha, 4),
        }


def _answer_json(a: Answer) -> dict[str, Any]:
    c = a.citation
    return {
        "text": a.text, "sentence": a.sentence, "source": a.source,
        "start": a.start, "end": a.end, "score": round(a.score, 6),
        "sentence_start": a.sentence_start, "sentence_end": a.sentence_end,
        "citation": c.render(), "kind": a.kind, "title": c.title, "author": c.author,
        "publisher": c.publisher, "date": c.date, "lines": [c.line_start, c.line_end],
        "page": c.page,
    }


def validate_question(question: str) -> str:
    """The question as searched, or a ValueError whose message a reader can act on."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in question).strip()
    if not cleaned:
        raise ValueError("the question is empty: type a question about the sources")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"the question is too long ({len(cleaned)} characters, at most {MAX_QUESTION_CHARS})"
        )
    return cleaned


def ask(
    index: Index,
    question: str,
    settings: SearchSettings | None = None,
    *,
    sources: Collection[str] | None = None,
    retriever: Retriever | None = None,
    reader: Reader | None = None,
) -> Result:
    """Search, pick the answer (or say plainly that the sources do not give one), cite.
    `retriever` and `reader` default to the hybrid retriever of `index` and the extractive
    reader; any implementation of their protocols takes their place."""
    started = time.perf_counter()
    question = validate_question(question)
    settings = settings or SearchSettings()
    retriever = retriever or HybridRetriever(index)
    reader = reader or ExtractiveReader()
    query_vector = index.embedder.encode([question])[0]  # for search and the answer alike
    # One ranking for the passages shown and the sentences the answer is picked from.
    ranking = retriever.rank(question, settings, sources=sources,
                             query_vector=None if settings.mode is Mode.BM25 else query_vector)
    hits = hits_of(index, ranking, settings.k)
    citations = tuple(citation_for(index, h.chunk.source, h.chunk.start, h.chunk.end) for h in hits)
    reading = reader.read(question, ranking, index, query_vector=query_vector)

    def answer_of(pick: Pick) -> Answer:
        return Answer.of(pick, citation_for(index, pick.source, pick.start, pick.end))

    return Result(
        question=question,
        mode=settings.mode.value,
        answer=None if reading.best is None else answer_of(reading.best),
        hits=tuple(hits),
        citations=citations,
        took_ms=(time.perf_counter() - started) * 1000,
        alternatives=tuple(answer_of(p) for p in reading.alternatives),
        no_answer_reason=reading.reason,
        wanted=reading.wanted,
        rejected=None if reading.rejected is None else answer_of(reading.rejected),
        sureness=reading.sureness,
        compared=tuple(answer_of(p) for p in reading.compared),
        alpha=ranking.alpha,
    )
