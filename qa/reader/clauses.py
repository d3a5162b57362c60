"""The clause of a sentence that answers a why, how or "what is X" question: the cause, the
means, or the words that define X."""

from __future__ import annotations

import re

from qa.reader.names import CODE_PATTERN
from qa.reader.question import Wanted, definition

__all__ = ["CAUSE", "answering_clause", "defining_clause", "new_code", "result_cause"]


_MEANS = re.compile(r"\b(?:by|through|using|via|with the help of|by means of)\b", re.IGNORECASE)
# A colon between digits is a time or a ratio ("before 09:30", "3:1"), not a clause's end.
_COLON = r"(?<!\d):|:(?!\d)"
_CLAUSE_END = re.compile(rf";|{_COLON}|,\s|\s[–—-]\s")
_STATEMENT_END = re.compile(rf";|{_COLON}|\s[–—-]\s")


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
    stated = _REASON_IS.match(text, found.start(), b)
    if stated:  # "The principal reason for the increase is that X, Y and Z were ...": X ...
        stop = _STATEMENT_END.search(text, stated.end(), b)
        told = _REPORTED.search(text, stated.end(), stop.start() if stop else b)
        end = _trimmed(text, stated.end(), told.start() if told else stop.start() if stop else b)
        return (stated.end(), end) if end - stated.end() > 2 else None
    stop = _CLAUSE_END.search(text, found.end(), b)
    end = _trimmed(text, found.start(), stop.start() if stop else b)
    return (found.start(), end) if end - found.end() > 2 else None


# "the reason for the increase is that ...", "the reason for it is the high risk of ...": what
# the copula says is the reason (not "is unclear"), to the end of the statement (its commas may
# set off a list or an apposition) or to who says so
_REASON_IS = re.compile(r"(?:reasons?|causes?)\b[^.;:,]{0,80}?\s(?:is|was|are|were)\s+"
                        r"(?:that\s+|(?=(?:the|a|an|its|their|his|her|our)\s))"
                        # a form's field: "Reason: To protect the hedgerow."
                        r"|reasons?[ \t]*:[ \t]*(?=\S)", re.IGNORECASE)
# Who says so, after the reason: ", engineers found", ", according to the operator"
_REPORTED = re.compile(r",\s+(?:according\s+to\b|(?:[\w'’-]+\s+){1,4}(?:said|says|found|added|"
                       r"explained|noted|reported|claimed|told|believe|believes|think|thinks)\b)")


def defining_clause(text: str, a: int, b: int, term: str) -> tuple[int, int] | None:
    """For "what is X", the words of text[a:b] that define X: an apposition up to its comma
    ("VNX, a fund backed by the UAE, said ..."), or what the copula (or "means") leads to, up
    to the statement's end ("VNX is a fund that ..."). None when the sentence does not define
    X, or names X after what defines it ("a fund called VNX"), whose edge it cannot tell."""
    found = definition(text[a:b], term)
    if found is None or found[1] is None:
        return None
    start = a + found[1]
    apposition = "," in text[a + found[0]:start]
    stop = (_CLAUSE_END if apposition else _STATEMENT_END).search(text, start, b)
    end = _trimmed(text, start, stop.start() if stop else b)
    return (start, end) if end - start > 2 else None


def _trimmed(text: str, start: int, end: int) -> int:
    """`end` moved back past the punctuation and spaces that close a clause."""
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ")%":
        end -= 1
    return end


# "since" gives a cause, but not before a time ("the first release since version 4.0",
# "since 2019", "since then", "since March"), nor after "has" ("has since been replaced").
CAUSE = re.compile(r"\b(?:because|due to|owing to|as a result|following|thanks to|"
                    r"reason|causes?\s+(?:of|for)|so that|in order to|led to|driven by|caused by|"
                    r"blaming|blamed|"
                    r"citing|attributed to|on account of|(?<=, )reflecting|resulting from|"
                    r"(?:is|was|are|were|be) (?:the |a )?(?:direct )?result of"
                    r"|(?<!\bhas )(?<!\bhad )(?<!\bhave )(?<!\bever )"
                    r"since(?!\s+(?:[\w.-]+\s+)?\d|\s+(?:then|early|late|last|the\s+(?:start|end|"
                    r"beginning|turn)|January|February|March|April|May|June|July|August|"
                    r"September|October|November|December)\b))\b", re.IGNORECASE)


# ", so" between two clauses: the first is the cause of the second; not "so that" (a
# purpose), "so far", "so much" (a degree) nor "so did", "so is" ("also")
_SO = re.compile(r",\s+so\s+(?!(?:that|far|much|many|long|as|to|too|did|do|does|is|was|were|"
                 r"are|am|has|have|had|can|could|will|would|should|must)\b)")
# "Site notes: ": a label of a few words that opens a sentence
_LABEL = re.compile(r"[^\W\d_][\w'’-]*(?: [\w'’-]+){0,3}:[ \t]+")


def result_cause(text: str, a: int, b: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """text[a:b] says "X, so Y": X (without a field's label before it) and Y, X being the
    cause of Y ("The board has no spare ways, so a second board will be fitted"); None when
    it does not."""
    found = _SO.search(text, a, b)
    if found is None:
        return None
    label = _LABEL.match(text, a, found.start())
    start = label.end() if label else a
    return ((start, found.start()), (found.start(), b)) if found.start() - start > 2 else None


# Code as Markdown writes it inline: `tally export --format=v2`. No backtick inside, on one line.
_CODE = re.compile(r"`([^`\n]{1,200})`")


# An identifier a text writes without backticks: a model, a part, a batch ("KAF-550D", "A380",
# "23B"); a run of them joined as a list is one answer ("KAF-550 and KAF-550D").
_ID = rf"(?:{CODE_PATTERN}|\d++[A-Z]++\w*+)"
_IDENTIFIER = re.compile(rf"(?<![\w.-]){_ID}(?![\w-])")
_NEXT_ID = re.compile(rf",?\s(?:and\s|or\s)?({_ID})(?![\w-])|,\s?({_ID})(?![\w-])")


def new_code(text: str, a: int, b: int, question: str,
             identifiers: bool = False) -> tuple[int, int] | None:
    """Where the first code text[a:b] writes in backticks, and the question does not, starts
    and ends (without the backticks); with `identifiers` ("which model numbers"), else the
    first identifier it writes that the question does not, with the ones listed after it up
    to one the question names; None if there is none."""
    asked = question.lower()
    found = next((m for m in _CODE.finditer(text, a, b) if m.group(1).lower() not in asked),
                 None)
    if found is not None or not identifiers:
        return found.span(1) if found else None
    named = {m.group().lower() for m in _IDENTIFIER.finditer(question)}
    first = next((m for m in _IDENTIFIER.finditer(text, a, b)
                  if m.group().lower() not in named), None)
    if first is None:
        return None
    end = first.end()
    while (more := _NEXT_ID.match(text, end, b)) is not None and (
            (more.group(1) or more.group(2)).lower() not in named):
        end = more.end()
    return first.start(), end
