"""General-language words that several stages read text with, kept in one place: the
English month and weekday names (datelines in cleaning, dates in metadata and in answers,
sortable dates in the page)."""

from __future__ import annotations

__all__ = ["MONTHS", "MONTHS_PATTERN", "MONTH_ABBREVIATIONS", "WEEKDAYS", "month_number"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTHS_PATTERN = "|".join(MONTHS)  # for regular expressions: an alternation of the names
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                       "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}


def month_number(name: str) -> int:
    """1-12 for a month name in any case, 0 for anything else."""
    return _NUMBER.get(name.lower(), 0)
