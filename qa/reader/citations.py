"""Where a quote stands in its source: the `Citation` every answer, passage and figure carries.

Its own module so that both top-level features, `qa.answer` (answers and passages) and
`qa.figures` (the figures table), cite the same way without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.store.index import Index

__all__ = ["Citation", "citation_for"]


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
    page: int | None = None  # PDF page of the quote's start; None for text documents

    def render(self) -> str:
        who = ", ".join(p for p in (self.author, self.publisher) if p)
        head = f"“{self.title}”" if self.title else None  # the file is named below anyway
        parts = [p for p in (who, head, self.date) if p]
        lines = f"line {self.line_start}" if self.line_start == self.line_end else (
            f"lines {self.line_start}–{self.line_end}"
        )
        page = f"p. {self.page}, " if self.page is not None else ""
        where = f"{self.source}, {page}chars {self.start}–{self.end}, {lines}."
        return " ".join([*map(_end_sentence, parts), where])


def _end_sentence(part: str) -> str:
    # A title ending in "?" or "!" already closes its sentence: no '“Is AI a bubble?”.'
    return part if part.rstrip("”’\"'").endswith((".", "?", "!")) else f"{part}."


def citation_for(index: Index, source: str, start: int, end: int) -> Citation:
    doc = index.documents[source]
    return Citation(
        source=source, title=doc.title, author=doc.author, publisher=doc.publisher,
        date=doc.date, start=start, end=end,
        line_start=doc.line_of(start), line_end=doc.line_of(max(start, end - 1)),
        page=doc.page_of(start),
    )
