"""The spans of a sentence that may answer a question: of the kind it asks for (a figure in
its unit, a date, a person for "who"), not one the question already names, not a figure of
another kind, unit or owner than asked (`qa.reader.agree.relation_agrees`); and, of several,
those the question's post, rate, weekday or units point to. `qa.reader.pick` chooses among
them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from qa.backends.analyzers import fold
from qa.ingest.chunking import is_field
from qa.ingest.context import table_cells
from qa.reader.agree import asked_post, asks_holder, relation_agrees, relations, subjects
from qa.reader.extract import (
    CURRENCIES,
    DIMENSIONS,
    MEASURES,
    Kind,
    Span,
    amounts,
    dates,
    extract,
    header_unit,
    is_label,
    rated,
    same_unit,
    scores,
    written_unit,
)
from qa.reader.names import MONEY_DATA, KnownNames, lexicon, organizations
from qa.reader.question import Wanted, named, vote_side

__all__ = [
    "CHANGE_BEFORE", "HEADER_UNIT", "Asked", "cells_in", "counts_things", "fit_of",
    "followed_by", "header_unit_words", "lone_names", "stated_as_change", "typed_spans",
]


@dataclass(frozen=True, slots=True)
class Asked:
    """What the question says about the spans that may answer it, worked out once a question
    (not once a candidate sentence)."""

    wanted: Wanted
    lower: str  # the question in lower case: a span it contains is not its answer
    words: frozenset[str]  # its words of three letters or more
    orgs: frozenset[str]  # the organizations it names
    relations: frozenset[str]  # the kinds of figure it asks for (`qa.reader.agree.relations`)
    required: frozenset[str]  # the organizations it is about (`qa.reader.question.named`)
    actors: frozenset[str]  # those of them that act (`qa.reader.agree.subjects`)
    known: KnownNames  # the corpus's organizations
    given: frozenset[str] = frozenset()  # lone names it calls people by ("after Inês and Rui")
    # its words written in lower case: "a ticket on the night ferry" names the Night Ferry as
    # an owner of figures; a capitalized word that is not a known organization names none
    uncased: str = ""
    # the post a "who" question asks the holder of (`qa.reader.agree.asked_post`), or ""
    post: str = ""
    per: str = ""  # the unit of a rate it asks for ("per cubic metre"), or ""
    weekday: str = ""  # the day whose hours it asks for ("on Saturdays"), or ""
    # the initials of the names it writes out ("Lakeside School of Music": "LSM")
    initials: frozenset[str] = frozenset()
    holder: bool = False  # it asks who holds a post ("Who is the rector of ...?")
    vote: str = ""  # "against" or "for" when it asks who voted so, else ""

    @classmethod
    def of(cls, question: str, wanted: Wanted, known: KnownNames,
           required: frozenset[str] | None = None) -> Asked:
        """`required` is `named(question)[0]` when the caller has it already."""
        if required is None:  # not "in the Norvale rout": that names no figure's owner
            required = named(question, known)[0]
        lower = question.lower()
        return cls(
            wanted=wanted, lower=lower,
            words=frozenset(w for w in re.findall(r"\w+", fold(lower)) if len(w) > 2),
            orgs=frozenset(s.text for s in organizations(question, known)),
            relations=relations(question) if wanted.kind is Kind.AMOUNT else frozenset(),
            required=required, actors=subjects(question, required, known), known=known,
            given=lone_names(question),
            uncased=" ".join(re.findall(r"\b[a-z][\w'’-]*", question)),
            post=asked_post(question) if wanted.kind is Kind.PERSON else "",
            per=per.group(1) if (per := _PER_ASKED.search(lower)) else "",
            weekday=day.group(1) if (day := _WEEKDAY_ASKED.search(lower)) else "",
            initials=initials_of(question),
            holder=wanted.kind is Kind.PERSON and asks_holder(question),
            vote=vote_side(lower) if wanted.kind is Kind.PERSON else "",
        )


# A name written out: capitalized words, with the small words names hold between them
_WRITTEN_NAME = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|de|du|der|&)\s+)*"
                           r"[A-Z][\w'’-]*)+")
MAX_INITIALS = 8
_SMALL_WORD = frozenset({"of", "and", "for", "the", "de", "du", "der", "&"})


def initials_of(question: str) -> frozenset[str]:
    """The initials of every run of two or more capitalized words of the names the question
    writes out: an acronym of them is the name it says, not its answer."""
    out = set()
    for m in _WRITTEN_NAME.finditer(question):
        letters = [w[0] for w in m.group().split() if w not in _SMALL_WORD]
        out.update("".join(letters[i:j]) for i in range(len(letters))  # an acronym is short
                   for j in range(i + 2, min(i + MAX_INITIALS, len(letters)) + 1))
    return frozenset(out)


# A run of capitalized words ("Rui", "Inês Prado", "Acme Holdings'").
_CAPITALIZED_RUN = re.compile(r"(?<!\w)[^\W\d_a-z][\w'’-]*(?:\s+[^\W\d_a-z][\w'’-]*)*")


def lone_names(question: str) -> frozenset[str]:
    """The capitalized words a question writes alone, past its first word, lower-cased: the
    names it may call a person by ("Who took over after Inês and Rui?" -> inês, rui), so that
    "Rui Vasconcelos Lopes" is the person it names, not its answer."""
    first = len(question) - len(question.lstrip())
    return frozenset(re.sub(r"['’]s?$", "", m.group()).lower()
                     for m in _CAPITALIZED_RUN.finditer(question)
                     if m.start() != first and " " not in m.group().strip())


def typed_spans(text: str, a: int, b: int, asked: Asked) -> tuple[Span, ...]:
    """Spans of the wanted kind, less those the question itself names (not its answer)."""
    wanted = asked.wanted
    kinds = {Kind.PERSON, Kind.ORG} if wanted.kind in (Kind.PERSON, Kind.ORG) else {wanted.kind}
    if "length" in wanted.prefer:  # "how long is the route": a length answers, as a time does
        kinds.add(Kind.AMOUNT)
    if "score" in wanted.prefer and (found := scores(text, a, b)):
        return tuple(found)  # "what was the final score": "3-1", before any other figure
    found = _header_units(text, a, extract(text, a, b, kinds, asked.known))
    if wanted.unit:  # "in feet": a figure in feet answers, a conversion in brackets included
        found = _in_unit(text, a, b, wanted.unit) or cells_in(text, a, wanted.unit) or found
    if wanted.kind is Kind.AMOUNT and (timed := _timed(text, a, b, wanted.counted, asked.lower)):
        found = timed  # "how many hours did volunteers give": "21,300 hours", not "146"
    return tuple(_preferred(text, a, b, [s for s in found if _may_answer(text, a, b, s, asked)],
                            asked))


# Two capitalized words after a number: the number is part of an address or a name ("8 Mill
# Steps"), where "200 US dollars" is a sum
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][\w'’-]*[ \t]+[A-Z]")


# Percentage points are the difference of two percentages, never a rate itself
_POINTS = re.compile(r"(?:percentage points?|\bpp)$")
# A question that asks how a rate changed, which percentage points answer
_CHANGE_ASKED = re.compile(r"\b(?:change[ds]?|rise|rose|risen|fall|fell|fallen|increase[ds]?|"
                           r"decrease[ds]?|drop(?:ped)?|gap|difference|swing|up|down|higher|"
                           r"lower|more|less|grow|grew|growth|decline[ds]?)\b")


def _may_answer(text: str, a: int, b: int, span: Span, asked: Asked) -> bool:
    """A span of the kind found in text[a:b] may answer: it is not a label, nor a name or
    figure the question says, nor a figure of another unit or of another subject."""
    wanted = asked.wanted
    if is_label(text, span.start, span.end):
        return False  # "HOST:" says who speaks
    low = span.text.lower()
    if low in asked.lower:
        return False
    if span.kind is not wanted.kind and span.kind is Kind.AMOUNT and span.unit != "length":
        return False
    if wanted.strict and span.kind is Kind.AMOUNT and span.unit not in wanted.prefer and (
            span.unit != "count" or "age" in wanted.prefer
            or not any(c.isdigit() for c in span.text)
            or _NAME_AFTER.match(text, span.end) is not None
            or _NUMBERED_BEFORE.search(text, max(0, span.start - 12), span.start) is not None
            ) and not (
            span.unit == "%" and _OF_A_SUM.match(text, span.end)):
        # "what did it cost": not "642 tons" nor "8 Mill Steps", a house's number (but
        # "4,000 silver marks" may, and "a deposit of 30% of the total stay" says what the
        # deposit is)
        return False
    if (span.kind is Kind.AMOUNT and span.unit in DIMENSIONS and rated(span)
            and _SIZE_ASKED.search(asked.lower) and not _RATE_ASKED.search(asked.lower)):
        return False  # "how much did he weigh": not "0.5 mg/kg", a dose by weight
    if (wanted.strict and span.unit == "%" and wanted.prefer <= {"%", "fraction"}
            and not wanted.change and _POINTS.search(span.text)
            and not _CHANGE_ASKED.search(asked.lower)):
        return False  # "what was the inflation rate": a rate, not "a rise of 0.5 percentage points"
    if wanted.strict and span.kind is Kind.DATE and span.unit not in wanted.prefer:
        return False  # "what time does it open": a clock, not the day
    if ("duration" in wanted.prefer and span.unit == "time"
            and not re.search(r"[–-]|\bto\b", span.text)):
        return False  # "how long did it take": not "09:48:41" (hours, "10:00–16:00", may say)
    if (wanted.counted and span.kind is Kind.AMOUNT
            and (span.unit in DIMENSIONS or span.unit in CURRENCIES)
            and counts_things(wanted.counted)):
        return False  # "how many miners": things counted, not "90 m" nor "$250,000" of anything
    if (wanted.counted and span.kind is Kind.AMOUNT and span.unit == "count"
            and _numbered_by(text, a, span, wanted.counted)):
        return False  # "how many days": not the 3 of "on day 3", which says which day
    if span.kind is Kind.AMOUNT and _anothers_column(text, span, asked):
        return False  # "| Price | €89 |" under "| Spec | Vantor X2 |": the Vantor's, asked or not
    if span.kind is Kind.AMOUNT and not relation_agrees(
            text, a, b, span, asked.relations, asked.required, asked.known, asked.actors,
            asked.uncased):
        return False
    if span.kind is Kind.ORG and span.text.isupper() and span.text in asked.initials:
        return False  # "LSM" is the "Lakeside School of Music" the question names
    if asked.holder and span.kind is Kind.ORG and span.text in asked.known.places:
        return False  # "Who is the rector of the college in Dunmore?": no town holds a post
    if span.kind is Kind.PERSON and low.split()[0] in asked.given:
        return False  # "after Rui": Rui Vasconcelos Lopes is named, the one after him is asked
    if span.kind in (Kind.PERSON, Kind.ORG, Kind.PLACE):
        # "Coopérative" is the question's "cooperative": accents folded on both sides
        words = [w for w in re.findall(r"\w+", fold(low)) if len(w) > 2]
        if {o.text for o in organizations(span.text, asked.known)} & asked.orgs or (
                words and 2 * len(set(words) & asked.words) > len(words)):
            return False
    return True


# A number that says which one, not how many: "from week 4", "under section 52"
_NUMBERED_BEFORE = re.compile(r"\b(?:week|day|page|plot|room|item|stage|phase|level|grade|step|"
                              r"chapter|section|part|platform|gate|row|seat|unit|flat|number|"
                              r"class|round|lap|floor|clause|paragraph|article|rule|bus|route)"
                              r"[ \t]$", re.IGNORECASE)
# A question that asks how big one thing is ("how much did he weigh", "how tall is it"), and
# one that asks for a measure per another unit
_SIZE_ASKED = re.compile(r"\bhow (?:heavy|tall|high|long|deep|wide|thick|far)\b|\bweigh")
_RATE_ASKED = re.compile(r"\bper\b|\brates?\b|\bdos(?:e|es|age)\b|/")


# A column's header that is a name: capitalized words, a model's number among them
_NAMED_HEADER = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|\d[\w.]*))+")


def _anothers_column(text: str, span: Span, asked: Asked) -> bool:
    """The figure stands in a table's column headed by a name ("| Spec | Vantor X2 |") of
    which the question writes no word: that name's figure, not the one asked about. The header
    is a name when the document writes it outside the table too, with a word it never writes
    in lower case ("Annual Fee", "Fiscal 2024" and a header written once name no one)."""
    cells = table_cells(text, span.start)
    header = next((h for h, a, b in cells or () if a <= span.start < b), "").strip()
    words = _header_name(text, header)
    return bool(words) and not words & asked.words


@functools.lru_cache(maxsize=1024)
def _header_name(text: str, header: str) -> frozenset[str]:
    """The words of a column's header that is a name (`_anothers_column`), else none: worked
    out once per document and header, not once per figure under it."""
    if not _NAMED_HEADER.fullmatch(header) or text.count(header) < 2:
        return frozenset()
    words = frozenset(fold(w.lower()) for w in re.findall(r"[^\W\d_]{3,}", header))
    return words if words - lexicon(text).lower else frozenset()


# ("of the total area of the park" is no sum: "total" there is said of the word after it)
_OF_A_SUM = re.compile(r"\s+of\s+(?:the|your|its|their|each)\s+(?:[\w-]+\s+){0,2}?"
                       r"(?:total(?=[ \t]*(?:[.,;:)]|$|(?:is|was|are|were|due|payable|paid|of|and|"
                       r"or|for|at|when|on|by|in)\b))|price|cost|amount|fee|value|bill|sum|rent|"
                       r"stay|balance|fare|invoice|salary|booking|order|purchase)s?\b",
                       re.IGNORECASE)


def _numbered_by(text: str, a: int, span: Span, counted: str) -> bool:
    """The bare number `span` comes right after the counted noun in the singular ("day 3",
    "Stage 4"): it says which one, not how many ("seats up to 2,500" counts seats)."""
    plural = counted.split()[0].lower()
    noun = plural[:-1]  # a regular plural's singular; "staff 45", "people 300" count
    return (plural.endswith("s") and not plural.endswith("ss") and span.text.isdigit()
            and len(span.text) <= 3
            and re.search(rf"\b{re.escape(noun)}[ \t]+$", text[max(a, span.start - 30):span.start],
                          re.IGNORECASE) is not None)


def _preferred(text: str, a: int, b: int, out: list[Span], asked: Asked) -> list[Span]:
    """Of several spans that may answer, those the question's post, rate, weekday or units
    point to, when any does."""
    wanted = asked.wanted
    if len(out) > 1 and asked.post:
        # "who was the captain": "Captain Thorburn", not "the chief engineer, Walter Gunn"
        # (a full name the entity finder took for an organization is the person the post
        # names, when no person holds it; a lone "Thorburn" may be a surname used again)
        held = [s for s in out if s.kind in (Kind.PERSON, Kind.ORG) and _holds(text, s, asked.post)]
        out = ([s for s in held if s.kind is Kind.PERSON]
               or [replace(s, kind=Kind.PERSON) if " " in s.text else s for s in held] or out)
    if len(out) > 1 and asked.per:
        # "what will I pay per cubic metre": the rate per that unit, not the one per day
        out = [s for s in out
               if re.search(rf"\bper {re.escape(asked.per)}\b", s.text.lower())] or out
    if len(out) > 1 and asked.weekday:
        # "open on Saturdays?": of "8am to 8pm Monday to Friday and 9am to 1pm on Saturday",
        # the hours the day is written beside
        out = [s for s in out if s.kind is Kind.DATE and _beside(text, s, asked.weekday)] or out
    if out and asked.vote and (side := _VOTE_LABELS[asked.vote].search(text, a, b)):
        # "who voted against": the names after "Noes:" in "(Ayes: A, B; Noes: C, D)"
        end = _VOTE_END.search(text, side.end(), b)
        stop = end.start() if end else b
        out = [s for s in out if side.end() <= s.start < stop] or out
    if len(out) > 1 and (noun := _MEASURE_NOUNS.get(wanted.measured)):
        # "how deep was it": of a row's lengths, the cell under "Depth (m)", not "12 km W
        # of the cape" under "Location"
        cells = table_cells(text, a) or []
        out = [s for s in out if _headed(cells, s, noun)] or out
    if wanted.strict and any(s.kind is Kind.AMOUNT and s.unit in wanted.prefer for s in out):
        # a bare number answers a strict question only where no figure of its units does:
        # "what share": "about 60 per cent", not the "220 solar panels" before it
        out = [s for s in out if s.kind is not Kind.AMOUNT or s.unit in wanted.prefer]
    if wanted.kind is Kind.AMOUNT and len(out) > 1 and is_field(text, a, b):
        # "VAT @ 15%: 1,487.74": a field's figure is its value, one in its label names it,
        # unless only the label's is of a unit asked for ("What is the VAT rate?": 15%)
        colon = text.find(":", a, b)
        values = [s for s in out if s.start > colon]
        if any(s.unit in wanted.prefer for s in values):
            out = values
    return out


# The noun of the quantity a "how <adjective>" question measures
_MEASURE_NOUNS = {"deep": "depth", "high": "height", "tall": "height", "long": "length",
                  "wide": "width", "thick": "thickness", "heavy": "weight", "old": "age"}


def _headed(cells: list[tuple[str, int, int]], span: Span, noun: str) -> bool:
    """`span` is one of a table row's `cells` whose header names `noun` ("Depth (m)")."""
    return any(start <= span.start and span.end <= end
               and re.search(rf"\b{noun}s?\b", header, re.IGNORECASE) is not None
               for header, start, end in cells)


_TIME_UNIT = re.compile(r"(second|minute|hour|day|night|week|fortnight|month|year)s?",
                        re.IGNORECASE)


def _timed(text: str, a: int, b: int, counted: str, question: str) -> list[Span]:
    """For a question counting a unit of time ("how many hours"), the durations of
    text[a:b] written in that unit, as counts of it; [] for none, or for an age ("how many
    years old")."""
    unit = _TIME_UNIT.fullmatch(counted.split()[0]) if counted else None
    if unit is None or _AGE_ASKED.search(question):
        return []
    word = re.compile(rf"\b{unit.group(1)}s?\b", re.IGNORECASE)
    return [replace(s, kind=Kind.AMOUNT, unit="count") for s in dates(text, a, b)
            if s.unit == "duration" and word.search(s.text) and not _NO_COUNT.match(s.text)
            and not _NOT_LASTING.match(text, s.end) and "ago" not in s.text.lower()]


# "22,000 years ago", "three years earlier" date something; "87 years old" is an age; "a day"
# counts nothing
_NOT_LASTING = re.compile(r"\s+(?:ago|earlier|later|old|of\s+age)\b", re.IGNORECASE)
_NO_COUNT = re.compile(r"(?:a|an|the)\s", re.IGNORECASE)
_AGE_ASKED = re.compile(r"\b(?:old|of age|aged)\b", re.IGNORECASE)


def _holds(text: str, span: Span, role: str) -> bool:
    """The person `span` is written with the post `role` (a pattern) as a title or in
    apposition: "Captain Elias Thorburn", "the captain, Elias Thorburn", "Elias Thorburn,
    the ship's captain", "Elias Thorburn, our captain"."""
    before = re.search(rf"\b(?:{role})\w*,?[ \t]+(?:(?-i:[A-Z][a-z]{{1,4}})\.[ \t]+)?$",
                       text[max(0, span.start - 40):span.start], re.IGNORECASE)
    after = re.match(rf",\s+(?:the|its|their|his|her|our|your|my)\s+"
                     rf"(?:(?!and\b|or\b|with\b)[\w'’]+\s+){{0,2}}"
                     rf"(?:{role})\w*\b(?!['’]s)", text[span.end:span.end + 60], re.IGNORECASE)
    return before is not None or after is not None


# A vote's side as minutes label it ("Noes:", "Against:"; "Ayes:", "In favour:")
_VOTE_LABELS = {
    "against": re.compile(r"\b(?:noes|nays|against|opposed|votes? against)[ \t]*:",
                          re.IGNORECASE),
    "for": re.compile(r"\b(?:ayes|yeas|for|in favou?r|votes? for)[ \t]*:", re.IGNORECASE),
}
_VOTE_END = re.compile(r"[;)\n]|\b(?:ayes|yeas|noes|nays|abstain\w*)[ \t]*:", re.IGNORECASE)


_PER_ASKED = re.compile(r"\bper ((?:square |cubic )?[^\W\d_][\w²³/-]*)")
_WEEKDAY_ASKED = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b")


def _beside(text: str, span: Span, day: str) -> bool:
    """The day is written right after the span ("9am to 1pm on Saturday") or right before it
    ("Saturday: 9am to 1pm", "Saturdays 10:00-16:00")."""
    after = re.match(rf"\s*(?:on\s+|every\s+)?{day}", text[span.end:span.end + 20], re.IGNORECASE)
    before = re.search(rf"{day}s?\W{{0,3}}$", text[max(0, span.start - 14):span.start],
                       re.IGNORECASE)
    return after is not None or before is not None


# "Length (m)": the unit in brackets says how a column is measured, not what it is
# A header's unit: in brackets ("Award (KRW million)"), or a currency's code that ends it
# ("Total GBP")
HEADER_UNIT = re.compile(r"\(([^()]+)\)|(?<=[ \t])(" + "|".join(sorted(
    c for c in CURRENCIES if re.fullmatch("[A-Z]{3}", c))) + r")(?=[ \t]*$)")


# A header's word cut short with a full stop: "Mag.", "Temp.", "Dep."
_ABBREVIATED = re.compile(r"(?<![^\W\d_])([^\W\d_]{3,})\.")


def abbreviates(header: str, terms: dict[str, float]) -> bool:
    """A header cut short opens a word of the question: "Mag." heads the magnifications,
    "Temp." the temperatures."""
    cut = [w.lower() for w in _ABBREVIATED.findall(header)]
    return any(term.startswith(w) and len(term) > len(w) for w in cut for term in terms)


def header_unit_words(header: str) -> str | None:
    """The words of a table header that name its unit (`HEADER_UNIT`), or None."""
    m = HEADER_UNIT.search(header)
    return None if m is None else m.group(1) or m.group(2)


def _in_unit(text: str, a: int, b: int, unit: str) -> list[Span]:
    """The figures of text[a:b] written in `unit`: all of them when no other figure of its
    dimension is there, else only those given as a conversion in brackets ("8,849 m (29,032
    ft)"); "climbers start from base camp at 17,598 ft" says nothing of the summit's height."""
    every = amounts(text, a, b, conversions=True)
    inside = [s for s in every if written_unit(s) == unit]
    if not any(s.unit == MEASURES[unit] and written_unit(s) != unit for s in every):
        return inside
    return [s for s, before in zip(every[1:], every, strict=False) if s in inside
            and before.unit == s.unit and text[before.end:s.start] in (" (", "(")]


# "Passengers (m)" counts millions, "Height (m)" measures metres: a lone letter says neither
_AMBIGUOUS = frozenset({"m", "M", "k", "K", "t", "l", "bn", "mn"})
_MEASURED = re.compile(r"\b(?:depth|height|length|elev|elevation|altitude|distance|width|"
                       r"span|diameter|radius|draught|draft|range)", re.IGNORECASE)


def _header_units(text: str, a: int, found: list[Span]) -> list[Span]:
    """`found` with a table row's bare numbers in the unit their header writes in brackets:
    "131" under "Max gust (km/h)" is a speed, no answer to how much rain fell."""
    cells = table_cells(text, a) if found else None
    if not cells:
        return found
    units = {(start, end): header_unit(words) for header, start, end in cells
             if (words := header_unit_words(header))
             and (words.strip() not in _AMBIGUOUS or _MEASURED.search(header))}
    return [replace(s, unit=unit) if s.kind is Kind.AMOUNT and s.unit == "count"
            and (unit := units.get((s.start, s.end))) else s for s in found]


def cells_in(text: str, a: int, unit: str) -> list[Span]:
    """The figures of a table row at `a` under a header that names `unit` in brackets:
    "19,948" under "Altitude (ft)" is 19,948 feet."""
    out = []
    for header, start, end in table_cells(text, a) or ():
        words = header_unit_words(header)
        if words and same_unit(words) == unit:
            out += [replace(s, unit=MEASURES[unit]) for s in amounts(text, start, end)
                    if s.unit == "count"]
    return out


def followed_by(text: str, end: int, word: str) -> bool:
    """`word` follows the span ending at `end`, past a short aside ("48 metres (157 feet) long",
    "seventy-one years old")."""
    return re.match(rf"(?:\s*\([^()]{{0,40}}\))?(?:[\s-]years?)?[\s-]{word}\b",
                    text[end:end + 60]) is not None


def stated_as_change(text: str, a: int, span: Span) -> bool:
    """The figure is written as a change ("an increase of £133", "fell by 40"), not a level."""
    return _CHANGE_STATED.search(text[max(a, span.start - 20):span.start]) is not None


def fit_of(span: Span, wanted: Wanted) -> float:
    """How well a span is the kind of thing the question asks for (1 best)."""
    if span.kind is Kind.ORG and (span.unit == "single" or wanted.kind is Kind.PERSON):
        return 0.3  # "who" asks for a person; a lone capitalized word may be anything
    if span.unit in wanted.prefer or (span.kind is not Kind.DATE
                                      and span.kind.value in wanted.prefer):
        return 1.0  # a date by its unit: "on what date" is not answered by a year
    return 0.3  # the right kind, not the unit asked for: a sum of money for "how far did it fall"


# Words a change is written after: "a decline of 27.7%", "rose 12 per cent", "down by 40".
_CHANGE_VERBS = (r"up|down|rose|fell|grew|dropped|declined|increased|decreased|jumped|climbed|"
                 r"slipped|gained|lost|shrank")
_CHANGE_NOUNS = r"rise|increase|decline|drop|fall|decrease|growth|gain|loss|cut|reduction|jump"
CHANGE_BEFORE = re.compile(rf"(?:\b(?:by|{_CHANGE_VERBS})|\b(?:{_CHANGE_NOUNS})\s+of)\s+$",
                            re.IGNORECASE)
# ... and without a bare "by" ("supported by 40 members" states no change)
_CHANGE_STATED = re.compile(rf"(?:\b(?:{_CHANGE_VERBS})(?:\s+by)?|\b(?:{_CHANGE_NOUNS})\s+of)\s+$",
                            re.IGNORECASE)


def counts_things(counted: str) -> bool:
    """ "how many miners" counts things; "how many km" and "how many more" measure."""
    words = counted.lower().split()
    return words[0] not in ("more", "fewer", "less", "times") and not any(
        w in MEASURES or w in MONEY_DATA["words"] or w in MONEY_DATA["scales"]
        or w.rstrip("s") in MONEY_DATA["scales"] for w in words)
