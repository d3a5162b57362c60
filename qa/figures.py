"""The figures table: every money and percentage figure in the corpus, whose it is, what it
is, when, and where it is written.

Whose a figure is (organization and target) and what it is (a key of `KINDS`) follow the
rules in `qa.reader.owners`, which the answer reader shares; this module adds, one sentence at a
time (offsets point into the cleaned document):

- figure: every money amount and percentage `qa.reader.extract.amounts` finds (fractions such as
  "one-third", multipliers and bare counts are left out);
- date: the date in the figure's clause nearest to it, preferring one with a year; a
  relative one ("this year") gets the heading's or document's date in brackets; with none,
  the heading's date, else the document's;
- "another $2.75 billion", "an additional $2.7 billion": the same organization and target as
  the figure before it in the paragraph.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from qa.ingest.chunking import split_sentences
from qa.reader.citations import Citation, citation_for
from qa.reader.extract import (
    _DATE_PATTERNS,
    CURRENCIES,
    Span,
    amounts,
    dates,
    heading_context,
)
from qa.reader.names import KnownNames, canonical, known_names
from qa.reader.owners import KINDS, clause_of, kinds_named, owner_names, owner_of, what_of
from qa.store.index import Index

# KINDS, kinds_named, owner_names, owner_of and what_of moved to `qa.reader.owners` (the reader
# needs them too) and stay importable from here, where they were public first.
__all__ = [
    "KINDS", "Figure", "figures_table", "kinds_named", "owner_names", "owner_of", "to_json",
    "what_of",
]

MONEY_AND_PERCENT = CURRENCIES | {"%"}

_ANOTHER = re.compile(r"\b(?:another|an additional|a further)\s+$")
_PERIOD = re.compile(r"(?:the\s+)?(?:next|coming|past)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Figure:
    organization: str | None  # whose figure it is ("Arvane"; "Brixa, Pellham, VNX")
    what: str | None  # a key of KINDS: spend, valuation, investment, fall, share ...
    text: str  # the figure as written: "between $40 billion and $45 billion"
    value: float | None  # in units: dollars, euros, or percent
    unit: str  # USD, EUR, ... or %
    date: str | None
    target: str | None  # the other party: Lumenfold for Orvanta's investment in it
    source: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["citation"] = self.citation.render()
        row["lines"] = [self.citation.line_start, self.citation.line_end]
        return row


def to_json(figures: Iterable[Figure]) -> list[dict[str, Any]]:
    return [f.to_json() for f in figures]


def figures_table(index: Index, entity: str | None = None) -> list[Figure]:
    """Every money and percentage figure of the indexed documents, in document order;
    with `entity`, only those whose organization or target is that organization."""
    rows: list[Figure] = []
    known = known_names(index)
    for source in sorted(index.documents):
        doc = index.documents[source]
        previous: tuple[str | None, str | None] = (None, None)
        end = 0
        for a, b in split_sentences(doc.text):
            if doc.text.find("\n", end, a) >= 0:  # a new paragraph (sentences hold no "\n")
                previous = (None, None)
            end = b
            for span in amounts(doc.text, a, b):
                if span.unit not in MONEY_AND_PERCENT:
                    continue
                if _ANOTHER.search(doc.text[max(a, span.start - 25):span.start]):
                    owner, target = previous  # "and another $2.75 billion": same parties
                else:
                    owner, target = owner_of(doc.text, a, b, span, known, previous[0])
                previous = (owner, target)
                rows.append(Figure(
                    organization=owner, what=what_of(doc.text, a, b, span), text=span.text,
                    value=span.value, unit=span.unit or "", target=target,
                    date=date_of(doc.text, a, b, span, doc.date), source=source,
                    start=span.start, end=span.end, sentence_start=a, sentence_end=b,
                    sentence=doc.text[a:b],
                    citation=citation_for(index, source, span.start, span.end),
                ))
    if entity:
        wanted = _canonical(entity, known)
        rows = [f for f in rows if any(wanted == _canonical(name, known) for name in
                                       _names(f.organization) + _names(f.target))]
    return rows


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in value.split(",")] if value else []


def _canonical(name: str, known: KnownNames) -> str:
    return canonical(name, known).lower()


def date_of(text: str, a: int, b: int, span: Span, document_date: str | None) -> str | None:
    """The date in the figure's clause nearest to it, preferring one with a year; a relative
    date ("this year") is followed by the heading's or the document's date for context."""
    start, end = clause_of(text, a, b, span)
    found = [d for d in _dates(text, start, end) if _is_date(d)]
    if not found:  # an opening "In FY 2025, ..." or "Last week, ..." dates the whole sentence
        found = _last_dates_before(text, a, b, start)
    heading, _ = heading_context(text, a)
    in_heading = [d.text for d in dates(heading) if d.unit in ("date", "month", "year")]
    context = in_heading[0] if in_heading else document_date
    absolute = [d for d in found if re.search(r"\d{4}", d.text)] or found
    if not absolute:
        return context
    nearest = min(absolute, key=lambda d: span.start - d.end if d.end <= span.start
                  else d.start - span.end)
    if not re.search(r"\d{4}", nearest.text) and context:
        return f"{nearest.text} ({context})"
    return nearest.text


@functools.lru_cache(maxsize=256)
def _dates(text: str, start: int, end: int) -> tuple[Span, ...]:
    """`dates` of a clause, found once: the figures of a clause share it."""
    return tuple(dates(text, start, end))


@dataclass(frozen=True, slots=True)
class _SentenceDates:
    points: tuple[Span, ...]  # its dates that are points in time (`_is_date`), in order
    ends: list[int]
    with_year: list[int]  # indexes of those written with a year
    year_ends: list[int]
    raw: tuple[tuple[list[int], list[int]], ...]  # each date pattern's matches (starts, ends)


@functools.lru_cache(maxsize=256)
def _sentence_dates(text: str, a: int, b: int) -> _SentenceDates:
    points = tuple(d for d in dates(text, a, b) if _is_date(d))
    with_year = [i for i, d in enumerate(points) if re.search(r"\d{4}", d.text)]
    raw = tuple(([m.start() for m in ms], [m.end() for m in ms]) for ms in (
        list(pattern.finditer(text, a, b)) for _, pattern in _DATE_PATTERNS))
    return _SentenceDates(points, [d.end for d in points], with_year,
                          [points[i].end for i in with_year], raw)


def _last_dates_before(text: str, a: int, b: int, e: int) -> list[Span]:
    """Of the points in time in `text[a:e]` (`e` a clause start), the last and the last with a
    year: all `date_of` needs of them, found without rescanning the sentence per clause.

    The sentence's dates that end by `e` are `dates(text, a, e)` unless reading stops
    matter at `e`: a date pattern's match runs across `e` ("Sept. | 3, 2025") or a year's
    look-ahead would see ",5" there. Then `text[a:e]` is read itself, as it always was."""
    found = _sentence_dates(text, a, b)
    if any(_runs_across(starts, ends, e) for starts, ends in found.raw) or re.match(
            r"[.,]\d", text[e - 1:e + 1]):
        points = [d for d in _dates(text, a, e) if _is_date(d)]
        years = [d for d in points if re.search(r"\d{4}", d.text)]
        return points[-1:] + years[-1:]
    last = bisect.bisect_right(found.ends, e)
    year = bisect.bisect_right(found.year_ends, e)
    return list(found.points[last - 1:last]) + [found.points[i] for i in
                                                 found.with_year[year - 1:year]]


def _runs_across(starts: list[int], ends: list[int], e: int) -> bool:
    i = bisect.bisect_left(starts, e) - 1  # one pattern's matches do not overlap
    return i >= 0 and ends[i] > e


def _is_date(span: Span) -> bool:
    """A point in time, not a period ("over the next four years", "six months")."""
    return span.unit != "duration" and not _PERIOD.match(span.text)
