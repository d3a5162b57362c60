"""A source's cleaned text and what cites it: the record every offset points into, and what
its cleaned text promises (the cleaner's version, the longest line). Kept apart from the
reading and cleaning (`qa.ingest.sources`, `qa.ingest.cleaning`), so that the query side
loads an index without importing what only reading documents needs (ftfy's tables, the
extractors): a cold `qa ask` pays for neither.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from dataclasses import dataclass

__all__ = ["CLEANER_VERSION", "MAX_LINE_CHARS", "Document"]

# Recorded in the index manifest: changing any rule of qa.ingest.cleaning changes offsets, so old
# indexes must be rebuilt rather than silently misread.
# 16: a sum opening a line goes on an open sentence; 15: a line ending "approx." goes on;
# 14: a day written "04"; 13: a block of fields keeps its lines; 12: a date cut by a wrap;
# 11: a header line of units
CLEANER_VERSION = "qa-clean-19"

# No cleaned line is longer than this; a longer one is broken (nothing is dropped) before the
# limit, at a sentence end if there is one in the second half of the window, else at a space,
# else anywhere. Real paragraphs are far shorter (the seeds' longest line has 930 characters),
# so real text is never broken; it bounds what any later per-line step (sentence splitting,
# the heading and paragraph a sentence is read with) can cost on a one-line dump.
MAX_LINE_CHARS = 20_000


@dataclass(frozen=True)  # no slots: line_of caches its line starts on the instance
class Document:
    source: str  # path relative to the project root (or absolute when outside it)
    text: str  # cleaned text: every offset in the system points into this
    sha256: str  # of the raw bytes, for staleness checks
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    pages: tuple[int, ...] = ()  # offsets where each PDF page starts; empty for other files
    # What the file itself said (front matter, HTML meta, PDF info) as sorted (key, value)
    # pairs, kept so a reused document can be re-merged with a changed catalog; None in
    # documents saved before it was recorded (they are read again, not reused).
    file_meta: tuple[tuple[str, str], ...] | None = None
    examples: tuple[str, ...] = ()  # questions this document answers (catalog.toml), for the page

    def __post_init__(self) -> None:
        if self.file_meta is not None:  # JSON gives back lists: keep it hashable and equal
            object.__setattr__(self, "file_meta", tuple(tuple(p) for p in self.file_meta))
        object.__setattr__(self, "examples", tuple(self.examples))

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in the cleaned text: one binary search,
        so citing every figure of a long document is not a count from the top each time."""
        return bisect.bisect_left(self._line_breaks, offset) + 1

    @functools.cached_property
    def _line_breaks(self) -> array:
        return array("q", (m.start() for m in re.finditer("\n", self.text)))

    def page_of(self, offset: int) -> int | None:
        """1-based PDF page of a character offset, or None for documents without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None
