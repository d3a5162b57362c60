"""The record every span finder returns (`Span`, of a `Kind`), and the calendar words both
finders need: `qa.reader.extract` reads dates with them, `qa.reader.names` keeps them out of names.

A module of its own so that the finders depend on it and not on each other: `qa.reader.extract`
calls `qa.reader.names` for people, organizations and places, and `qa.reader.names` needs only this.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qa.language import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

__all__ = ["MONTH", "WEEKDAY", "Kind", "Span"]


class Kind(StrEnum):
    AMOUNT = "amount"
    DATE = "date"
    PERSON = "person"
    ORG = "org"
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class Span:
    kind: Kind
    start: int
    end: int
    text: str
    unit: str | None = None  # USD/EUR/GBP/%/fraction/times/count; date/month/year/relative/duration
    value: float | None = None  # amounts: the (lower) number in units, "$1.3 billion" -> 1.3e9


# Regular-expression alternations, full names and abbreviations.
MONTH = "|".join((*MONTHS, *MONTH_ABBREVIATIONS))
WEEKDAY = "|".join(WEEKDAYS)
