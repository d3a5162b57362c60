"""The clause of a sentence that answers a why or how question: the cause or the means."""

from __future__ import annotations

import re

from qa.reader.question import Wanted

__all__ = ["CAUSE", "answering_clause"]


_MEANS = re.compile(r"\b(?:by|through|using|via|with the help of|by means of)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:]|,\s|\s[–—-]\s")


def answering_clause(text: str, a: int, b: int, wanted: Wanted) -> tuple[int, int] | None:
    """For a why (how) question, the clause of text[a:b] that gives the cause (the means):
    from its marker ("because", "due to"; "by", "through") to the end of the clause, or
    None when the sentence has no such marker. A clause that opens the sentence ("Because
    of X, Y") ends at its comma; one inside it runs to the next clause break."""
    marker = (CAUSE if "reason" in wanted.prefer else
              _MEANS if "manner" in wanted.prefer else None)
    found = marker.search(text, a, b) if marker else None
    if found is None:
        return None
    stop = _CLAUSE_END.search(text, found.end(), b)
    end = stop.start() if stop else b
    while end > found.start() and not text[end - 1].isalnum() and text[end - 1] not in ")%":
        end -= 1
    return (found.start(), end) if end - found.end() > 2 else None


CAUSE = re.compile(r"\b(?:because|due to|owing to|as a result|since|following|thanks to|"
                    r"reason|so that|in order to|led to|driven by)\b", re.IGNORECASE)
