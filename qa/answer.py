"""From ranked passages to what a reader is shown: the answer, the passages, the citations.

`ask` is the one call the CLI and the web page make. Its `Result.to_json()` is the public
JSON shape of `qa ask --json` and of the web API; keys are only ever added, never renamed.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .index import Index
from .retrieval import Hit, SearchSettings, search

__all__ = ["MAX_QUESTION_CHARS", "Answer", "Citation", "Result", "ask", "citation_for"]

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    title: str | None
    author: str | None
    publisher: str | None
    date: str | None
    start: int
    end: int
    line_start: int
    line_end: int

    def render(self) -> str:
        who = ", ".join(p for p in (self.author, self.publisher) if p)
        head = f"“{self.title}”" if self.title else self.source
        parts = [p for p in (who, head, self.date) if p]
        lines = f"line {self.line_start}" if self.line_start == self.line_end else (
            f"lines {self.line_start}–{self.line_end}"
        )
        return f"{'. '.join(parts)}. {self.source}, chars {self.start}–{self.end}, {lines}."


@dataclass(frozen=True, slots=True)
class Answer:
    text: str  # the span that answers: a figure, a date, a name, or the whole sentence
    sentence: str
    source: str
    start: int  # of `text`, in the cleaned document
    end: int
    sentence_start: int
    sentence_end: int
    score: float
    citation: Citation


@dataclass(frozen=True, slots=True)
class Result:
    question: str
    mode: str
    answer: Answer | None
    hits: tuple[Hit, ...]
    citations: tuple[Citation, ...]
    took_ms: float

    def to_json(self) -> dict[str, Any]:
        answer = None
        if self.answer is not None:
            a = self.answer
            answer = {
                "text": a.text, "sentence": a.sentence, "source": a.source,
                "start": a.start, "end": a.end, "score": round(a.score, 6),
                "sentence_start": a.sentence_start, "sentence_end": a.sentence_end,
                "citation": a.citation.render(),
            }
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
                "lines": [cite.line_start, cite.line_end], "citation": cite.render(),
            })
        return {
            "question": self.question, "mode": self.mode, "answer": answer,
            "passages": passages, "took_ms": round(self.took_ms, 2),
        }


def citation_for(index: Index, source: str, start: int, end: int) -> Citation:
    doc = index.documents[source]
    return Citation(
        source=source, title=doc.title, author=doc.author, publisher=doc.publisher,
        date=doc.date, start=start, end=end,
        line_start=doc.line_of(start), line_end=doc.line_of(max(start, end - 1)),
    )


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
) -> Result:
    """Search, pick the answer, cite everything."""
    started = time.perf_counter()
    question = validate_question(question)
    settings = settings or SearchSettings()
    hits = search(index, question, settings, sources=sources)
    citations = tuple(citation_for(index, h.chunk.source, h.chunk.start, h.chunk.end) for h in hits)
    return Result(
        question=question,
        mode=settings.mode.value,
        answer=None,
        hits=tuple(hits),
        citations=citations,
        took_ms=(time.perf_counter() - started) * 1000,
    )
