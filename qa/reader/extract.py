"""Typed spans inside a sentence: amounts and dates (people, organizations and places are in
`qa.reader.names`), plus the document structure around a sentence (its heading line).

Rule-based (regular expressions plus a few word lists) so that every span is an exact
`(start, end)` range into the cleaned document and nothing needs a model download. The
rules are written for English news prose about business and technology:

- amounts: money with its currency and scale ("$15.4 trillion", "€200bn", "200 billion euro"),
  ranges ("between $40 billion and $45 billion", "$25 billion to $40 billion"), percentages,
  fractions ("almost a quarter of"), multipliers ("ten times") and counts ("44,150"), each
  with the qualifier in front of it ("approximately", "under", "as much as", "~"); years,
  days of dates, footnote marks and numbers that belong to a name ("S&P 500", "Corvid 3.1")
  are not counts;
- dates: full dates, month and year, years, quarters, relative dates ("this decade", "by the
  end of the decade", "last September", "Monday") and durations ("six months to a year").
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from qa.ingest.chunking import is_heading  # public here too

# Public here too: the reader's modules read a sentence's place in its document from here.
from qa.ingest.context import heading_context, refers_back, sentence_before
from qa.language import CONTINUING, MONTH_ABBREVIATIONS, MONTHS, MONTHS_PATTERN
from qa.reader.names import MEASURE_DATA, MONEY_DATA, KnownNames, names, places
from qa.reader.needs import first_guarded, has_digit, needs_digit
from qa.reader.spans import MONTH, WEEKDAY, Kind, Span  # Kind and Span are public here too

__all__ = [
    "CURRENCIES", "DIMENSIONS", "MEASURES", "NTH", "ORDINAL_NUMBERS", "ORDINAL_WORDS",
    "GUARDED", "SAME_UNIT", "Kind", "Span", "amounts", "ordinal_value", "rated",
    "counts_something", "dates", "duration_seconds", "extract", "header_unit", "phone_numbers",
    "heading_context", "is_heading", "is_label", "refers_back", "scores",
    "same_unit", "sentence_before", "written_unit",
]


# --- amounts ------------------------------------------------------------------------------

# A qualifier starts a word: "cover 40%" is no "over 40%".
_QUALIFIERS = ("approximately", "approx.", "about", "around", "roughly", "nearly", "almost",
               "close to", "more than", "less than", "fewer than", "over", "under", "at least",
               "at most", "as much as", "as many as", "as little as", "up to", "some",
               "just over", "just under", "well over", "an estimated", "estimated", "~",
               # "a fine of not less than €250": the "not" is the bound's, never cut from it
               "not less than", "not more than", "no less than", "no more than",
               "not fewer than", "no fewer than", "not exceeding")
# A number starts where no digit precedes it, nor a digit and a comma before a thousands
# group ("1,234,567" is one number, not also "234,567"), and takes its digits and groups
# whole (possessive): giving some back could only leave a digit or ",ddd" next, which no
# pattern accepts after a number. Retried from every digit of an 8,000-digit run, the old form
# made `amounts` quadratic (21 s); a malformed "12345,678" is now no number at all.
_NUM = (r"(?<!\d)(?!(?<=\d,)\d{3}(?!\d))(?!(?<=\d['’])\d{3}(?!\d))"
        r"(?:\d{1,3}(?:,\d{3})++(?:\.\d++)?|\d{1,3}(?:['’]\d{3})++(?:\.\d++)?|\d++(?:\.\d++)?)")
# "CHF 12'500", "3'400 visitors": the Swiss write thousands apart with an apostrophe
# "6,4%", "2,75 tonnes": a comma before one or two digits marks decimals (a thousands group
# has three), read so only before a percent sign or a unit
_DECIMAL_COMMA = r"(?<![\d,.])\d{1,3},\d{1,2}(?!\d|,\d)"
# Currencies are general-language data (data/currencies.json): symbols, ISO codes, words.
_MONEY_DATA = MONEY_DATA
_SYMBOLS: dict[str, str] = _MONEY_DATA["symbols"]
_CODES: frozenset[str] = frozenset(_MONEY_DATA["codes"])
_MONEY_WORDS: dict[str, str] = _MONEY_DATA["words"]
# Units of measure, general-language data too (data/measures.json, read by qa.reader.names).


def _alternation(words: Iterable[str]) -> str:
    """The words as one alternation, longest first (so "A$" wins over "$"), grouped by their
    first letter: the engine tries a group's words only where that letter stands, instead of
    every word at every position (the same matches: words of different first letters never
    match at one place, and each group keeps the longest-first order)."""
    groups: dict[str, list[str]] = {}
    # ties in alphabetical order: the same pattern text in every process, whatever order a
    # set gives (the stored guards are found by it: `needs.STORED`)
    for word in sorted(words, key=lambda w: (-len(w), w)):
        groups.setdefault(word[:1].lower(), []).append(word)
    return "|".join(_group(ws) for ws in groups.values())


def _group(words: list[str]) -> str:
    first = words[0][:1]
    if len(words) == 1 or any(w[:1] != first for w in words):  # "Rs" and "rand": as written
        return "|".join(re.escape(w) for w in words)
    return f"{re.escape(first)}(?:{'|'.join(re.escape(w[1:]) for w in words)})"


_QUAL = rf"(?:(?<![^\W\d_])(?:{_alternation(_QUALIFIERS)})\s?)?"


_SCALE_WORD = _alternation(w for w in _MONEY_DATA["scales"] if len(w) > 2)
# A symbol that starts with a letter ("A$", "Rs") must not end a word ("USA$" is no A$).
_CURRENCY = (rf"(?-i:(?<![A-Za-z])(?:{_alternation(s for s in _SYMBOLS if s[0].isalpha())}))"
             rf"|{_alternation(s for s in _SYMBOLS if not s[0].isalpha())}"
             rf"|(?-i:\b(?:{_alternation(_CODES)})\s)")
_SCALED_SYMBOLS: dict[str, str] = _MONEY_DATA["scaled_symbols"]
# "R 4.2 million", "R 12,500": a letter symbol is money only before a scaled or grouped number,
# and only in its own case ("r 5" is nothing).
_SCALED_CURRENCY = rf"(?-i:(?<![A-Za-z])(?:{_alternation(_SCALED_SYMBOLS)}))"
_GROUPED = r"(?<!\d)\d{1,3}(?:,\d{3})++(?:\.\d++)?"
# "R  4,864.50": a table's column may set the symbol two spaces from its number (one with a
# thousands' comma or cents: "£  2024" in a table's header is a year)
_GAP = r"(?:[ \t]{2}(?=\d[\d,]*[.,]\d)|\s)?"
# "R 47 380,00", "€ 1 250,00", "12 500 kr": thousands set apart by spaces, cents by a comma;
# and "R3,18", "€4,50": cents after a comma. Read only beside a currency, where no other
# reading is left ("€4,50" is no list of two numbers).
# At most four groups, so a run of them is not rescanned from each group's start.
_SPACED_GROUPS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,4}+"
_SPACED = rf"(?<![\d,.]){_SPACED_GROUPS}(?![\d])(?:,\d\d(?!\d|,\d))?"
# (a comma after it ends a clause: "a fee of € 3,00, unless ...")
_COMMA_CENTS = r"(?<![\d,.])\d++,\d\d(?!\d|,\d)"
# "₹12,40,000", "Rs. 1,25,00,000": lakhs and crores grouped in twos, beside a currency
_INDIAN = r"(?<![\d,.])\d{1,2}(?:,\d\d(?=,)){1,4}+,\d{3}(?!\d|,\d)(?:\.\d\d)?"
# Signs written after the number in their own case: "81 191 Kč", "2 500 Ft" ("6 ft" is a length)
_SIGNS_AFTER_MAP: dict[str, str] = _MONEY_DATA["signs_after"]
_SIGNS_AFTER = _alternation(_SIGNS_AFTER_MAP)
# A code after a number is money, those that also name other things too: "1 200 EUR",
# "1 500 MAD" (in their own case: "28 cop" is nothing). Not after a year ("In 2024 USD 3
# million"), nor before a number (that sum's own code) or a noun it names ("3 AMD GPUs",
# "7 COP members", "2023 USD terms").
_CODES_AFTER = _alternation(_CODES | frozenset(_MONEY_DATA["codes_after"]))
_CODE_AFTER = (rf"(?<!\b(?:19|20)\d\d\s)(?:{_CODES_AFTER})"
               r"(?![ \t]?\d|[ \t]+[A-Z]{2}|[ \t]+(?!(?:is|was|has|as|us|plus|less|this|its|"
               r"does|includes|excludes|covers)\b)[a-z]+s\b)")
# The value of a sum written any of these ways: lakhs' commas group, a lone comma marks cents
_WRITTEN_VALUE = re.compile(rf"(?P<lakhs>{_INDIAN})|{_SPACED}|{_COMMA_CENTS}")
_MONEY = (rf"(?:(?:{_CURRENCY}){_GAP}(?:{_SPACED}(?:\s(?:{_SCALE_WORD})\b)?|{_INDIAN}"
          rf"|{_COMMA_CENTS}"
          rf"|(?:{_NUM})(?:\s?(?:{_SCALE_WORD})\b|\s?(?:bn|tn|mn)\b|[mk]\b)?)"
          rf"|{_SCALED_CURRENCY}{_GAP}(?:{_SPACED}(?:\s(?:{_SCALE_WORD})\b)?|{_COMMA_CENTS}"
          rf"|(?:{_NUM})(?:\s?(?:{_SCALE_WORD})\b|\s?(?:bn|mn)\b|m\b)|{_GROUPED})"
          rf"|(?:{_SPACED}|{_COMMA_CENTS}|(?:{_DECIMAL_COMMA}|{_NUM})(?:\s(?:{_SCALE_WORD}))?)"
          rf"\s(?:{_alternation(_MONEY_WORDS)}|(?-i:{_SIGNS_AFTER}|{_CODE_AFTER}))(?!\w))")
# "0.4 pp" is percentage points, "320 pp" a book's pages and "pp. 12" a page reference
_PCT = (rf"(?:(?:{_DECIMAL_COMMA}|{_NUM})\s?(?:%|percent\b|per cent\b|percentage points?\b)"
        r"|(?<![\d.])\d++\.\d++\s?pp\b(?!\.\s?\d))")
def _unit_key(unit: str) -> str:
    """A unit's words as MEASURES keys them: "square-metre" and "square\nmetre" are one."""
    return " ".join(unit.lower().replace("-", " ").split())


# What each unit measures (its span's unit: "mass", "length", ...), by its lower-cased words.
MEASURES: dict[str, str] = {
    _unit_key(unit): dimension for table in (MEASURE_DATA["words"], MEASURE_DATA["symbols"])
    for dimension, units in table.items() for unit in units}
# A metre is "m" only after a space ("90 m east", "147.9 m down-hole"): written onto the number
# it is a million as often ("a 5m grant").
MEASURES["m"] = "length"
DIMENSIONS = frozenset(MEASURES.values())  # "mass", "length", ...: a measure's span unit
# Each spelling of a unit, lower-cased, to the unit's first spelling ("ft" -> "foot").
SAME_UNIT: dict[str, str] = {_unit_key(spelling): _unit_key(group[0])
                             for group in MEASURE_DATA["same"] for spelling in group}
# Symbols keep their case ("5G" is no five grams); a unit ends where no letter follows.
# A unit of two words may be written with a hyphen: "a 600-square-metre marquee".
_UNIT_WORDS = _alternation(u for us in MEASURE_DATA["words"].values() for u in us).replace(
    r"\ ", r"[\s-]")
_UNIT = (rf"(?:{_UNIT_WORDS}"
         # not a model's name: "2 V8 engines"
         rf"|(?-i:(?:{_alternation(u for us in MEASURE_DATA['symbols'].values() for u in us)})"
         r"(?!\d))"
         r"|(?-i:(?<=[ \t\u00a0])m(?![²³/\d])(?=[ \t]*(?:[.,;:()]|$|(?:tall|high|deep|long|wide|"
         r"thick|below|above|beyond|down|up|east|west|north|south|away|apart|radius|across(?=\s*"
         r"(?:[.,;)]|$|and\b))|on\sthe\s(?:[\w-]+\s)?(?:gauge|staff|marker|scale|board)|of\s(?:the|"
         r"water|rock|ascent|descent|climb|climbing|height|elevation|altitude|depth|cable|pipe|"
         r"fencing|track|rope|snow)|in\s(?:length|height|depth|diameter|width|radius))\b))))"
         r"(?![^\W\d_])")
_WRITTEN_UNIT = re.compile(rf"[\d\s-](?P<unit>{_UNIT})$")
# "48 metres", "48m", and as an adjective, "a 48-metre hull".
_MEASURE = (rf"(?:{_DECIMAL_COMMA}|{_NUM})(?:\s?(?:to|–|-)\s?(?:{_DECIMAL_COMMA}|{_NUM}))?"
            rf"[\s-]?(?P<unit>{_UNIT})")
_NUMBER_WORD = r"two|three|four|five|six|seven|eight|nine|ten|twenty|a hundred|hundred"
# Numbers written out up to ninety-nine: ages ("at the age of seventy-one") and counts
# ("eleven villages").
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SPELLED_VALUE = {w: i for i, w in enumerate(_UNITS, 1)} | {
    w: i for i, w in enumerate(_TEENS, 10)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}


def _spelled(units: tuple[str, ...]) -> str:
    return (rf"(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_UNITS)}))?\b"
            rf"|(?:{'|'.join(_TEENS + units)})\b")


_SPELLED = _spelled(_UNITS)
_SPELLED_COUNT = _spelled(_UNITS[1:])  # not "one": far more often "one of", "one day"
_SPELLED_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
                   "billion": 1_000_000_000}
_SPELLED_SCALE = "|".join(_SPELLED_SCALES)
# How often: "once daily", "twice a week", "three times per year", "every six months", "every
# second year", and an adverb that ends its clause ("trains run hourly."). "once" alone is no
# frequency ("once the line reopens"), nor "daily" before a noun ("a daily newspaper").
_EVERY = r"(?:minute|hour|day|night|week|fortnight|month|quarter|year|morning|evening)"
_ADVERB = r"(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually)"
_FREQUENCY = (rf"\b(?:(?:once|twice|thrice|(?:{_NUM}|{_NUMBER_WORD}|{_SPELLED_COUNT})\stimes)"
              rf"(?:\s(?:a|an|per|each|every)\s{_EVERY}|\s{_ADVERB}\b)"
              rf"|(?:one|a|{_NUM}|{_SPELLED_COUNT})\s(?:{_EVERY}|weekend|shift)s?\s(?:in|out\sof)\s"
              rf"(?:every\s)?(?:\d{{1,2}}|{_SPELLED_COUNT})(?=\s*+(?:[.,;:)]|$|(?:and|or|but|during|"
              r"throughout|for|on|at|when|while|from|until)\b))"
              rf"|every\s(?:other\s|(?:{_NUM}|{_SPELLED_COUNT}|second|third|fourth|fifth)\s)?"
              rf"(?:{_EVERY}|{WEEKDAY})s?\b"
              rf"|(?:the\s)?(?:first|second|third|fourth|last)\s(?:{WEEKDAY})\sof\s"
              r"(?:each|every|the)\smonth\b"
              rf"|{_ADVERB}(?=\s*+(?:[.,;:)]|$|(?:for|from|until|in|at|on|between|except|during|"
              rf"throughout|and|or)\b)))")
# Any unit of measure, by its words or symbols: "2 500 m" is a measure, no spaced count
_ANY_UNIT = _alternation(MEASURES)
_AMOUNT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (unit, first_guarded(pattern, re.IGNORECASE)) for unit, pattern in (
        ("money", rf"{_QUAL}between\s{_MONEY}\sand\s{_MONEY}"),
        ("money", rf"{_QUAL}{_MONEY}\s?(?:to|–|-)\s?{_MONEY}"),
        ("money", rf"{_QUAL}(?:{_CURRENCY})\s?(?:{_NUM})\s?[-–]\s?(?:{_NUM})\s?"
                  rf"(?:{_SCALE_WORD})\b"),
        ("money", rf"{_QUAL}{_MONEY}"),
        # pence written onto the number: "27.03p per kWh", "5p", "152.40p"; not a video's
        # "720p", nor "p = 0.08"
        ("pence", rf"{_QUAL}(?<![\w.,£$€/-])(?!(?:144|240|360|480|576|720)p)"
                  r"\d{1,3}(?:\.\d{1,2})?p\b(?![.,]\d|/|\.m\b)"),
        ("%", rf"{_QUAL}(?:{_NUM})\s?(?:%|percent)?\s?(?:to|–|-)\s?{_PCT}"),
        ("%", rf"{_QUAL}between\s(?:{_NUM})\s?(?:%|percent|per\scent)?\sand\s{_PCT}"),
        ("%", rf"{_QUAL}{_PCT}"),
        # written out: "eighteen thousand pounds", "about sixty percent"
        ("spelled money", rf"(?<![\w-]){_QUAL}(?:{_SPELLED}|a)(?:\s(?:{_SPELLED_SCALE})){{0,2}}"
                          rf"\s(?:{_alternation(_MONEY_WORDS)})\b"),
        ("spelled %", rf"(?<![\w-]){_QUAL}(?:(?:{_SPELLED})(?:\shundred)?|a\shundred)"
                      r"\s(?:percent|per\scent|percentage\spoints?)\b"),
        ("fraction", r"\b" + _QUAL + r"(?:(?:a|one|two|three)[-\s](?:half|third|quarter|fifth|"
         r"tenth)s?|half)(?=\s++of\s)"),
        ("frequency", _FREQUENCY),
        ("times", rf"\b{_QUAL}(?:{_NUM}|{_NUMBER_WORD})\stimes\b"),
        ("measure", rf"{_QUAL}between\s(?:{_NUM})\sand\s{_MEASURE}"),  # "between 141.6 and 147.9 m"
        ("measure", rf"{_QUAL}{_MEASURE}"),
        # written out, with a unit word: "nine knots", "twelve miles", "thirty-two metres"
        # (not "one foot on the ladder", nor "two degrees" a student holds)
        ("spelled measure", rf"(?<![\w-]){_QUAL}(?:{_SPELLED_COUNT})[\s-]"
                            rf"(?P<unit>(?!degrees\b(?![ \t]+(?:Celsius|Fahrenheit)))"
                            rf"(?:{_UNIT_WORDS}))(?![^\W\d_])"),
        # An age without the words that announce it: "seventy-one" of "at the age of seventy-one".
        ("age", rf"\b(?:the\sage\sof|aged)\s(?P<n>{_QUAL}(?P<v>{_NUM}|{_SPELLED})"
                rf"(?:\syears)?)"),
        ("age", rf"\b(?P<n>(?P<v>{_NUM}|{_SPELLED}))(?=[\s-]years?[\s-]old\b)"),
        # "She was 87.", "who died at 91,": a person's number with nothing after it
        ("age", rf"\b(?:[Hh]e|[Ss]he|who)\s(?:was|is|turned|died\sat)\s"
                rf"(?P<n>(?P<v>\d{{1,3}}|{_SPELLED}))(?=[.,;]\s|[.,;]?$|\swhen\b)"),
        ("age", rf"\b(?P<n>(?P<v>{_NUM}|{_SPELLED})[\s-](?:weeks?|months?)[\s-]old)\b"),
        # never a clock's hours or minutes: "09:00"
        ("count range", rf"\b{_QUAL}between\s(?:{_NUM})\sand\s(?:{_NUM})(?![\w%]|[.,/:-]\d)"),
        # "for 2–5 players", "seats 8 to 10 people": a range of things counted
        ("count range", rf"(?<![\w$€£¥.,/:-]){_QUAL}\d{{1,3}}\s?(?:–|-|to)\s?\d{{1,3}}"
                        r"(?=[ \t]+(?!(?:as|this|is|was|has|his|its|us|does|discuss|yes|less|plus|"
                        r"across|unless|thus|fits)\b)(?-i:[a-z]+s|people|children|men|women|staff|"
                        r"crew)\b)"),
        # A change with its sign in a table's cell or in brackets ("| -0.5 |", "(+12)"), or
        # after a minus sign ("−0.5"); not "40-45", "10 -15", "GPT-4" or "+44 20 7946 0958"
        ("signed", rf"(?:(?<=\|)|(?<=\|[ \t])|(?<=\())[-−+](?:{_NUM})(?=[ \t]?[|)])"),
        ("signed", rf"(?<![^\s(|])−(?:{_NUM})(?![\w%]|[.,/:-]\d)"),
        # "112 480 visitors", "| 41 207 |": thousands set apart by spaces, before what they
        # count or in a table's cell (a column's gap, a bar, a tab or the line's end after it)
        ("spaced count", rf"(?<![\w$€£¥.,/:-]){_QUAL}{_SPACED_GROUPS}"
                         rf"(?![\d.,%]|[ \t]%|[ \t]+(?:{_ANY_UNIT})(?![^\W\d_]))"
                         r"(?=[ \t\u00a0]+(?-i:[a-z])|[ \t]*(?:\||\t|[ \t]{2}|\n|$))"),
        ("count", rf"(?<![\w$€£¥.,/:-]){_QUAL}(?:{_NUM})(?:\s(?:{_SCALE_WORD}))?"
                  rf"(?![\w%]|[.,/:-]\d)"),
        # Written out, before what it counts: "eleven villages", "from twelve to eighteen seats".
        ("spelled", rf"(?<![\w-]){_QUAL}(?:{_SPELLED_COUNT})(?:\s(?:{_SPELLED_SCALE})\b)?(?=\s)"),
    )
)
_SCALES = {**_MONEY_DATA["scales"], "m": 1e6, "k": 1e3}
_FIRST_NUMBER = re.compile(rf"({_DECIMAL_COMMA}|{_NUM})\s?({_SCALE_WORD}|bn|tn|mn|[mk]\b)?",
                           re.IGNORECASE)
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
_CAPITALIZED_BEFORE = re.compile(r"(?:[A-Z][\w&]*|[A-Z]\.)\s$")  # "S&P 500", "Corvid 3.1"


# A match's score: "won 27-19", "3–1". Read only for a question that asks for one: elsewhere
# "66–34 million years ago" is two counts.
_SCORE = re.compile(r"(?<![\w.,$€£¥/:–-])\d{1,3}\s?[-–]\s?\d{1,3}(?![\w%/:–-]|[.,]\d|\s?%)")


def is_label(text: str, start: int, end: int) -> bool:
    """text[start:end] is a line's label: a speaker's ("HOST: How big ...?", "MARA QUINN: There
    are eleven of us") or a field's ("Applicant: ..."). It says who speaks or what follows,
    and never answers. A line that ends at its colon ("Paraphrasing Ada Lind:") introduces a
    quotation and names its author. A clause's or a step's number ("6.1 The Tenants must
    ...", "2. Melt the butter") is a label too."""
    if start and text[start - 1] != "\n":
        return False
    return (_LABEL_END.match(text, end, end + 8) is not None
            or (_SECTION_NUMBER.fullmatch(text, start, end) is not None
                or _SECTION_NUMBER.fullmatch(text, start, end + 1) is not None)
            and _SECTION_AFTER.match(text, end, end + 3) is not None)


_LABEL_END = re.compile(r":[ \t]+\S")
_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3}){1,3}\.?|\d{1,3}\.")  # not "3 Large eggs"
_SECTION_AFTER = re.compile(r"\.?[ \t]+[A-Z(\"“]")


def scores(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Scores of a match in `text[start:end]` (unit "score")."""
    return [Span(Kind.AMOUNT, m.start(), m.end(), m.group(), "score")
            for m in _SCORE.finditer(text, start, len(text) if end is None else end)]


def amounts(text: str, start: int = 0, end: int | None = None, *,
            conversions: bool = False) -> list[Span]:
    """Money, percentages, fractions, multipliers and counts in `text[start:end]`; with
    `conversions`, a measure's conversion in brackets too ("284 m² (3,057 sq ft)")."""
    found = _with_bounds(text, _with_rates(text, _with_shillings(
        text, _first_come(text, start, end, _AMOUNT_PATTERNS, _amount))))
    return found if conversions else _with_conversions(text, found)


# "aged 16 or over", "£50 or more", "three or fewer": the bound is part of the figure; not
# where the words go on ("16 or more than 20", "or over 18", "5% and over the year")
_BOUND = re.compile(r"[ \t](?:or|and)[ \t](?:over|more|older|above|under|less|younger|fewer|"
                    r"below)\b(?![\w-]|[ \t]+(?:than|the|a|an|this|that|its|their|importantly)\b"
                    r"|[ \t]*[\d£$€])")


def _with_bounds(text: str, spans: list[Span]) -> list[Span]:
    """`spans` with an open bound after a figure ("or over", "and under") taken into it."""
    out: list[Span] = []
    for span in spans:
        m = _BOUND.match(text, span.end)
        out.append(span if m is None else replace(span, end=m.end(), text=text[span.start:m.end()]))
    return out


# Pre-decimal pounds' shillings and pence: "£8 15s", "£3 4s 6d", "£3 4s. 6d.", "£1 6d"
_SHILLINGS = re.compile(r"[ \t](?:(?P<s>1?\d)s(?:\.?[ \t](?P<d>1[01]|\d)d)?|(?P<pence>1[01]|\d)d)"
                        r"(?!\w)")


def _with_shillings(text: str, spans: list[Span]) -> list[Span]:
    """`spans` with the shillings and pence after a sum in pounds taken into it, and into its
    value (20 shillings to the pound, 12 pence to the shilling)."""
    out = []
    for span in spans:
        m = _SHILLINGS.match(text, span.end) if span.unit == "GBP" else None
        if m is None or span.value is None:
            out.append(span)
            continue
        shillings, pence = int(m.group("s") or 0), int(m.group("d") or m.group("pence") or 0)
        out.append(replace(span, end=m.end(), text=text[span.start:m.end()],
                           value=span.value + shillings / 20 + pence / 240))
    return out


# "7.4 tonnes per hectare", "27.03p per kWh", "SEK 1,450 per hectare": the rate is the answer,
# not the sum or the measure alone ("per cent" is a percentage's, already in it).
_PER = re.compile(r"[ \t]per[ \t](?!(?:cent|centum|the|a|an|each|se|its|their|his|her)\b)"
                  r"(?:(?:square|cubic|gross|net|metric|nautical|calendar|working|business|"
                  r"school|academic|financial|tax|lunar)[ \t])?[^\W\d_][\w²³/-]*",
                  re.IGNORECASE)


_BEFORE_PER = re.compile(r"[ \t]per[ \t]", re.IGNORECASE)


# A measure's rate written with a slash: "0.5 mg/kg", "3 mcg/kg" (units measures.json writes
# whole, "km/h", "mg/L", are in the span already)
_SLASH_PER = re.compile(r"/(?!(?:and|or|any)\b)[^\W\d_][\w²³]{0,5}\b")


def _with_rates(text: str, spans: list[Span]) -> list[Span]:
    """`spans` with a sum's or a measure's "per <unit>" (or "/<unit>") after it taken into
    the span."""
    out = []
    for span in spans:
        # an abbreviation's full stop before the rate: "40 kr. per night"
        at = span.end + (text[span.end:span.end + 1] == "." and span.text[-1:].isalpha()
                         and text.startswith(" per ", span.end + 1))
        per = ((_PER.match(text, at) or _SLASH_PER.match(text, span.end))
               if span.unit in _RATE_UNITS else None)
        out.append(span if per is None else replace(span, end=per.end(),
                                                    text=text[span.start:per.end()]))
    return out


def written_unit(span: Span) -> str:
    """The unit a measure is written in, by its first spelling in measures.json's "same"
    ("3,057 sq ft" and "12 square feet" are both in "square foot"); "" for none."""
    # "6.8 tonnes per hectare" is written in tonnes: the unit before its rate's "per"
    m = (_WRITTEN_UNIT.search(_BEFORE_PER.split(span.text, 1)[0]) if span.unit in DIMENSIONS
         else None)
    return same_unit(m.group("unit")) if m else ""


def header_unit(words: str) -> str | None:
    """The unit a table header writes in brackets ("KRW million", "%", "£m", "g"), as an
    amount's span names it ("KRW", "%", "GBP", "mass"); None for none ("months")."""
    first = words.split()[0] if words.split() else words
    for text in (f"1 {words}", f"{words} 1", f"{words[:1]}1{words[1:]}", f"{first} 1"):
        unit = next((s.unit for s in amounts(text) if s.unit != "count"), None)
        if unit is not None:
            return unit
    return None


def same_unit(spelling: str) -> str:
    """A unit's first spelling in measures.json's "same" ("sq ft" -> "square foot"), or ""."""
    return SAME_UNIT.get(_unit_key(spelling), "")


# "0.5 mg/kg (12 mg)": a dose by weight and the dose it comes to, no conversion of it
_RATED = re.compile(r"/[^\W\d_]|[ \t]per[ \t]", re.IGNORECASE)
# Units that are rates themselves: "50 km/h", "30 miles per hour", "5 mg/L"
_RATE_DIMENSIONS = frozenset({"speed", "concentration"})


def rated(span: Span) -> bool:
    """`span` is a measure per another unit that its own unit is not: "0.5 mg/kg", "6.8
    tonnes per hectare"; not "50 km/h"."""
    return span.unit not in _RATE_DIMENSIONS and _RATED.search(span.text) is not None


def _with_conversions(text: str, spans: list[Span]) -> list[Span]:
    """`spans` less the conversions in brackets after a measure: "about 14 °C (57 °F)", "120 m
    (390 ft)" give one answer, the measure as the text states it, not its conversion."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        if not (last is not None and span.unit == last.unit and last.unit in DIMENSIONS
                and text[last.end:span.start] in (" (", "(")
                and rated(last) == rated(span)
                and text[span.end:span.end + 1] == ")"):
            out.append(span)
    return out


# "rose from £90 to £110" is a change: two figures, the one it rose to last; "ranges from
# £60 to £75" and "anywhere from" are ranges.
_FROM = re.compile(r"\bfrom\s$", re.IGNORECASE)
_RANGE_FROM = re.compile(r"\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|anywhere)\s+from\s$",
                         re.IGNORECASE)
_TO = re.compile(r"\sto\s")


def _amount(text: str, unit: str, m: re.Match[str]) -> Span | None:
    a, b = m.span()
    if (unit in ("money", "%") and _TO.search(m.group()) and _FROM.search(text, max(0, a - 6), a)
            and not _RANGE_FROM.search(text, max(0, a - 20), a)):
        return None
    if unit == "count" and not _is_count(text, a, b, m.group()):
        return None
    if unit == "signed":
        value = _value_of("count", m.group()[1:])
        return Span(Kind.AMOUNT, a, b, m.group(), "count",
                    None if value is None else -value if m.group()[0] in "-−" else value)
    if unit == "count range":  # "between 120 and 130" people, not "between 1361 and 1528"
        if (re.search(r"(?<![\d,.])[12]\d{3}(?![\d,])", m.group())
                or re.match(rf"\s(?:{_PERIOD}|{MONTH})\b|{_MERIDIEM}", text[b:b + 12])):
            return None  # nor "between 5 and 10 minutes", "between 2 and 4 pm"
        low, high = (float(n) for n in re.findall(r"\d+", m.group().replace(",", ""))[:2])
        if low >= high or _FROM.search(text, max(0, a - 6), a):
            return None  # "grew from 8 to 12 volunteers", "a 2-1 win": a change or a score
        unit = "count"
    if unit == "spaced count":  # its digits read as a sum's spaced ones are
        if re.match(r"0\d", m.group()) or _CODE_BEFORE.search(text, max(0, a - 24), a):
            return None  # "01632 960 418": a telephone number's groups
        return Span(Kind.AMOUNT, a, b, m.group(), "count", _value_of("money", m.group()))
    if unit == "spelled":
        if not counts_something(text, b) or re.match(rf"\s{_DAY_KIND}{_PERIOD}\b",
                                                      text[b:b + 24]):
            return None  # "two of them", "three years" (a duration: see `dates`)
        return Span(Kind.AMOUNT, a, b, m.group(), "count", _spelled_value(m.group()))
    if unit == "spelled money":
        return Span(Kind.AMOUNT, a, b, m.group(), _unit_of("money", m.group()),
                    _spelled_value(m.group()))
    if unit == "pence":
        if not _PENNIES.search(text, max(0, a - 200), b + 200):
            return None  # "a loss of 17p", "1p/19q", "shot at 24p": no money near
        value = _value_of("count", m.group())
        return Span(Kind.AMOUNT, a, b, m.group(), "GBP", None if value is None else value / 100)
    if unit == "spelled measure":
        return Span(Kind.AMOUNT, a, b, m.group(), MEASURES[_unit_key(m.group("unit"))],
                    _spelled_value(m.group()[:m.start("unit") - a].rstrip(" -")))
    if unit == "spelled %":
        return Span(Kind.AMOUNT, a, b, m.group(), "%", _spelled_value(m.group()))
    if unit == "measure":
        if m.group("unit") == "W" and re.match(r"[ \t]*[A-Z0-9]", text[b:b + 3]):
            return None  # "12 W Main Street", "32 W 34 L": no watts
        if m.group("unit") in ("GB", "TB") and _PLURAL_AFTER.match(text, b):
            return None  # "65 GB athletes", "4,850 TB cases": no gigabytes
        unit = MEASURES[_unit_key(m.group("unit"))]
        if (second := _descending(m)) is not None:  # "in 2023 to 0.22 mg/l": no range
            return Span(Kind.AMOUNT, second, b, text[second:b], unit,
                        _value_of("measure", text[second:b]))
    if unit == "age":
        a, b = m.span("n")
        word = m.group("v").lower()
        value = (_SPELLED_VALUE.get(word) or sum(_SPELLED_VALUE[w] for w in word.split("-"))
                 if word[0].isalpha() else _value_of("count", word))
        return Span(Kind.AMOUNT, a, b, m.group("n"), "age", value)
    return Span(Kind.AMOUNT, a, b, m.group(), _unit_of(unit, m.group()),
                _value_of(unit, m.group()))


_RANGE_TO = re.compile(r"\s?(?:to|–|-)\s?")
_A_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")  # a year a range or a bracket may write


def _descending(m: re.Match[str]) -> int | None:
    """Where the second number of a measure's range starts, when the first is a year and the
    larger: "fell from 0.31 mg/l in 2023 to 0.22 mg/l" ends a change, and its "2023" is no
    low."""
    head = m.string[m.start():m.start("unit")]
    to = _RANGE_TO.search(head, 1)
    if to is None or not _A_YEAR.fullmatch(head[:to.start()].strip()) or _A_YEAR.fullmatch(
            head[to.end():].strip()):
        return None  # "150–100 mm", "from 2 to 1.5 kg": a range, however it runs
    low, high = _value_of("count", head[:to.start()]), _value_of("count", head[to.end():])
    return m.start() + to.end() if low is not None and high is not None and low > high else None


# A plural noun after a number and "GB" or "TB" makes them a count of people or cases
_PLURAL_AFTER = re.compile(r"[ \t]+(?!(?:is|was|has|as|us|plus|less|this|its|gas)\b)[a-z]+s\b")
# Pence are read as money only with money near them: a pound sign, the word, or a price's
# words ("per kWh", "a unit rate of", "shares rose 3p to 152p").
_PENNIES = re.compile(r"£|\bpence\b|\bpenny\b|\b(?:price|prices|priced|rate|rates|charge|"
                      r"charges|cost|costs|tariff|pay|paid|fare|fares|shares?|per)\b",
                      re.IGNORECASE)


def _first_come(text: str, start: int, end: int | None,
                patterns: Sequence[tuple[str, re.Pattern[str]]],
                make: Callable[[str, str, re.Match[str]], Span | None]) -> list[Span]:
    """The spans `make` keeps of each pattern's matches in turn, leaving out a match that
    overlaps one kept before (a longer, earlier-listed pattern holds those characters).

    Kept spans do not overlap, so sorted by start only the last one starting before a match's
    end can overlap it: a binary search, where testing every span kept so far was quadratic
    in a text with thousands of figures. One pattern's matches never overlap each other."""
    end = len(text) if end is None else end
    kept: list[Span] = []
    starts: list[int] = []
    digits = has_digit(text, start, end)
    for unit, pattern in patterns:
        if not digits and pattern in _NEED_DIGIT:
            continue  # most sentences hold no digit: trying every position of them is waste
        fresh = []
        for m in pattern.finditer(text, start, end):
            i = bisect.bisect_left(starts, m.end()) - 1
            if i >= 0 and kept[i].end > m.start():
                continue
            if (span := make(text, unit, m)) is not None:
                fresh.append(span)
        if fresh:
            kept = sorted(kept + fresh, key=lambda s: s.start)
            starts = [s.start for s in kept]
    return kept


_WHEN_BEFORE = re.compile(r"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Dd]uring|[Cc]irca|AD|[Yy]ear|[Ff]rom|"
                          r"[Bb]efore|[Aa]fter) $")
_NEXT_WORD = re.compile(r" ([a-z]+)\b")


def counts_something(text: str, end: int) -> bool:
    """The number ending at `end` is followed by what it counts: a lower-case word that is
    not a function word ("860 burrows", "500 homes"; not "1346 for", "1066, when"), or a
    part of a counted whole ("six of the eight regions")."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and (m.group(1) not in CONTINUING
                              or _OF_THE_COUNTED.match(text, end) is not None)


_DAY_RANGE_AFTER = re.compile(rf"\s?(?:–|-|to|and)\s?\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?"
                              rf"(?:{MONTH})\b")
_DAY_RANGE_BEFORE = re.compile(rf"\b(?:{MONTH})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\s?(?:–|-|to)\s?$")
_OF_THE_COUNTED = re.compile(rf" of (?:the|its|their) (?:\d{{1,3}}|{_SPELLED_COUNT}) [a-z]")


def _is_count(text: str, a: int, b: int, raw: str) -> bool:
    """A bare number is a count unless it is a year, a day of a date or part of a name."""
    number = re.sub(r"^\D+", "", raw)
    if re.fullmatch(r"(?:1[89]|20)\d\d", number):
        return False
    if re.match(r"0\d", number) or _CODE_BEFORE.search(text, max(0, a - 24), a):
        return False  # "01632 960 418", "007": a number with a leading zero, and its groups
    if (re.fullmatch(r"[1-9]\d{2,3}", number) and _WHEN_BEFORE.search(text, max(0, a - 8), a)
            and not counts_something(text, b)):
        return False  # "in 1346 for 4,000 marks": a year of another era
    window_before, window_after = text[max(0, a - 12):a], text[b:b + 12]
    if re.search(rf"\b(?:{MONTH})\.?\s$", window_before) or re.match(rf"\s(?:{MONTH})\b",
                                                                        window_after):
        return False
    if _DAY_RANGE_AFTER.match(text, b) or _DAY_RANGE_BEFORE.search(text, max(0, a - 18), a):
        return False  # "from 3 to 9 July", "July 3–9": days of a month
    if _CAPITALIZED_BEFORE.search(window_before) and raw == number:
        return False  # "S&P 500", "Corvid 3.1", "AIME 24": part of a name
    if re.match(rf"[\s-]{_DAY_KIND}{_PERIOD}\b|{_MERIDIEM}", text[b:b + 24]):
        return False  # a duration or a time ("a 20-minute interval"): see `dates`
    if raw == number and _LINE_OPENER.search(text, max(0, a - 8), a) and _NUMBERED.match(text, b):
        return False  # "3.1 The tenant shall pay ...": a clause's number
    if _POSTCODE.fullmatch(raw) and _ADDRESS_AFTER.match(text, b) and (
            a == 0 or text[a - 1] == "\n" or text[max(0, a - 2):a] == ", "):
        return False  # "Bahnhofstrasse 2, 8754 Oberwilen": a postcode
    # a footnote's or a numbered paragraph's number: "(1)", "[12]"
    return not (a > 0 and text[a - 1] + text[b:b + 1] in ("()", "[]"))


# A telephone number as people write one: a country code and groups ("+44 20 7946 0958",
# "+1 (555) 123-4567"), a trunk code and groups set apart ("0161 496 0712", "0800-123-456"),
# a bracketed area code that is no year ("(555) 123-4567"; not "(2021) 450"), North
# American groups of 3-3-4 ("555-123-4567", "1-800-555-0199"), a freephone number with no
# trunk 0 ("1800 555 014", "1300 652 874"), or one run of 10 or 11
# digits from 0 ("07700900123"); never a run of digits a postcode or a year may be.
_SEP = r"[ \t.-]"
PHONE = re.compile(
    r"(?<![\w.,+/-])(?:"
    rf"\+\d{{1,3}}(?:{_SEP}?\(0\))?{_SEP}?(?:\(\d{{1,5}}\)|\d{{1,5}})(?:{_SEP}\d{{2,4}}){{1,4}}"
    rf"|0\d{{2,5}}(?:{_SEP}\d{{2,6}}){{1,3}}"
    rf"|\((?!{_A_YEAR.pattern}\))0?\d{{2,4}}\)[ \t]?\d{{3,4}}[ \t.-]?\d{{3,4}}"
    r"|(?:1[.-])?\d{3}[.-]\d{3}[.-]\d{4}"
    # a freephone or shared-cost number with no trunk 0: "1800 555 014", "1300-652-874"
    r"|1[38]00[ -]\d{3}[ -]\d{3}"
    r"|0\d{9,10}"
    r")(?![\w/-]|[.,]\d)")


def phone_numbers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where text[start:end] writes a telephone number (`PHONE`) of 9 to 15 digits, as a
    number is dialled: not "012 34"."""
    return [m.span() for m in PHONE.finditer(text, start, end)
            if 9 <= sum(c.isdigit() for c in m.group()) <= 15]


# A telephone number's first groups, before the group being read
_CODE_BEFORE = re.compile(r"(?<![\w.,])0\d{2,}(?:[ \t]\d{2,})*[ \t]$")
# A number that opens its line and is followed by a capitalized word numbers a clause or a
# section; a bare four- or five-digit number after a comma and before a place's name that
# ends the line (or the clause) is a postcode.
_LINE_OPENER = re.compile(r"(?:^|\n)[ \t#(]*$")
_NUMBERED = re.compile(r"\.?[ \t]+[A-Z]")
_POSTCODE = re.compile(r"\d{4,5}")
_ADDRESS_AFTER = re.compile(r" [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?:$|[,)\n])", re.MULTILINE)


# The currencies money is told apart in (a money span's unit, from `_unit_of`).
CURRENCIES = frozenset({*_SYMBOLS.values(), *_CODES, *_MONEY_WORDS.values(),
                        *_MONEY_DATA["codes_after"]}) - {"RMB"}
_RATE_UNITS = DIMENSIONS | CURRENCIES  # the units a "per <unit>" rate is taken into
_UNIT_OF = re.compile(_CURRENCY.replace(r"\s", "")
                      + rf"|(?-i:(?<=\s)(?:{_SIGNS_AFTER}|{_CODES_AFTER}))(?!\w)"
                      rf"|\b(?:{_alternation(_MONEY_WORDS)})\b"
                      rf"|{_SCALED_CURRENCY}(?={_GAP}\d)", re.IGNORECASE)


def _spelled_value(raw: str) -> float:
    """ "about eighteen thousand pounds" -> 18000.0; "a hundred percent" -> 100.0."""
    words = re.sub(rf"^{_QUAL}", "", raw, flags=re.IGNORECASE).lower().split()
    number = 1 if words[0] == "a" else sum(_SPELLED_VALUE[w] for w in words[0].split("-"))
    return float(number * math.prod(_SPELLED_SCALES[w] for w in words[1:]
                                    if w in _SPELLED_SCALES))


def _unit_of(unit: str, raw: str) -> str:
    if unit != "money":
        return unit
    m = _UNIT_OF.search(raw)
    if m is None:
        return "USD"
    found = m.group()
    code = (_SYMBOLS.get(found) or _SCALED_SYMBOLS.get(found) or _SIGNS_AFTER_MAP.get(found)
            or _MONEY_WORDS.get(found.lower())
            or found.upper())
    return "CNY" if code == "RMB" else code


def _value_of(unit: str, raw: str) -> float | None:
    if unit == "fraction":
        word = re.search(r"half|third|quarter|fifth|tenth", raw.lower())
        count = {"two": 2, "three": 3}.get(raw.lower().split("-")[0].split()[-1], 1)
        return _FRACTIONS[word.group()] * count if word else None
    if unit == "money" and (written := _WRITTEN_VALUE.search(raw)):
        if written.group("lakhs"):
            return float(written.group().replace(",", ""))
        number = float(re.sub(r"[ \u00a0\u202f]", "", written.group()).replace(",", "."))
        scale = re.search(rf"\b(?:{_SCALE_WORD})\b", raw[written.end():], re.IGNORECASE)
        return number * (_SCALES[scale.group().lower()] if scale else 1.0)
    m = _FIRST_NUMBER.search(raw)
    if not m:
        return None
    first = m.group(1)
    number = float(first.replace(",", ".") if re.fullmatch(_DECIMAL_COMMA, first)
                   else re.sub(r"[,'’]", "", first))
    if unit == "money":  # the scale may come only after the second number: "$60-65 billion"
        scale = m.group(2) or next(iter(re.findall(rf"\b(?:{_SCALE_WORD}|bn|tn)\b", raw.lower())),
                                   None)
        number *= _SCALES.get((scale or "").lower(), 1.0)
    elif unit == "count" and m.group(2):
        number *= _SCALES[m.group(2).lower()]
    return number if math.isfinite(number) else None  # a 400-digit run is no quantity


# --- dates ----------------------------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d"
# With a day or a month beside it a year of any century is a date: "14 April 1838".
_DATED_YEAR = r"(?:1\d{3}|20\d\d)"
_MONTH_NOT_MAY = "|".join(m for m in MONTH.split("|") if m != "May")
# A month named alone where a time is expected: "is recommended in December", "until March".
_BARE_MONTH = ("(?:" + "|".join(rf"(?<=\b{w} )" for w in (
    "in", "In", "by", "By", "until", "since", "Since", "during", "from", "From", "each",
    "every", "early", "late", "mid", "through", "till", "before", "after", "of"))
    + "|(?<=mid-))(?:" + "|".join(m for m in MONTHS if m != "May")
    + r")\b(?![ \t]*\d)(?![ \t]+[A-Z][a-z])")  # not "by August Wilson"
# A year of another era is a year only where a date is expected: "in 1066", "since 800"; a
# number past 2099 is no year ("a batch code of 2342").
_ERA_YEAR = (r"(?:" + "|".join(rf"(?<=\b{w} )" for w in (
    "in", "In", "of", "by", "By", "since", "Since", "until", "from", "to", "during", "after",
    "After", "before", "Before", "around", "circa", "AD", "year")) + r")"
             r"(?:[1-9]\d{2}|1\d{3}|20\d\d)(?:\s(?:AD|BC|BCE|CE)\b)?(?![\w%]|[.,]\d)")
# Ordinals written out, for centuries ("the fifteenth century"): the longest first, so
# "twenty-first" is not read as "first".
ORDINAL_NUMBERS = {word: i for i, word in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second"),
    start=1)}
# Their alternation, the longest first; and an ordinal written either way ("13th", "third")
ORDINAL_WORDS = "|".join(sorted(ORDINAL_NUMBERS, key=len, reverse=True))
NTH = rf"\d{{1,3}}(?:st|nd|rd|th)|{ORDINAL_WORDS}"


def ordinal_value(word: str) -> int | None:
    """The number an ordinal says: "13th" 13, "Third" 3; None for another word."""
    word = word.lower()
    return int(word[:-2]) if word[:1].isdigit() else ORDINAL_NUMBERS.get(word)
# Written out up to ninety-nine ("fifty-one years", never "one years" of it).
_SMALL = rf"\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_SPELLED}|a|an|several|a few"
_PERIOD = r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)"
# "three working days", "ten calendar days": days of a kind are days
_DAY_KIND = r"(?:(?:working|business|calendar|clear|school|full)\s)?"
# not "over", "about", "around": prepositions as often ("spread over two days", "talked about
# three days later")
_LASTING_BOUNDS = _alternation(("up to", "at least", "at most", "more than", "less than",
                                "no more than", "no less than", "not more than", "not less than",
                                "just over", "just under", "nearly", "almost", "approximately"))
_ORDINAL_DAY = r"\d{1,2}(?:st|nd|rd|th)"
_MERIDIEM = r"\s?(?i:[ap]\.m\.|[ap]m\b)"
# A clock's zone: "02:14:37.2 UT", "14:05 UTC"
_ZONE = r"\s?(?:UTC|UT|GMT)\b"
_AT_TIME = "|".join(f"(?<=\\b{w} )" for w in ("at", "At", "by", "from", "From", "to", "until",
                                                 "till", "before", "after", "since", "and",
                                                 "between"))
_CLOCK = (rf"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{{1,3}})?)?(?:{_MERIDIEM}|{_ZONE})?"
          rf"|(?:1[0-2]|0?[1-9])(?:[.:][0-5]\d)?{_MERIDIEM}|noon|midday|midnight"
          # the 24-hour clock of logs and reports: "at 1605 hrs", "0740Z", "2215 UTC"; "hrs"
          # after a word that gives a time ("ran 1200 hrs since overhaul" is how long)
          rf"|(?:[01]\d|2[0-3])[0-5]\d(?:Z\b|{_ZONE})"
          rf"|(?:{_AT_TIME}|(?=0))(?:[01]\d|2[0-3])[0-5]\d\s?(?i:hrs)\b"
          # ... and a morning's written with its zero, as a range ("0645-0830") or after a
          # word that gives a time ("from 0645"); alone, "0042" may be an invoice's number
          r"|0\d[0-5]\d\s?[–-]\s?(?:[01]\d|2[0-3])[0-5]\d(?![\w:]|[.,]\d|\s\d)"
          rf"|(?:{_AT_TIME})0\d[0-5]\d(?![\w:]|[.,]\d|\s\d)")
# A weekday or its abbreviation, and a range of them: "Wed–Sun", "Mondays to Fridays".
_DAY_NAME = rf"(?:(?:{WEEKDAY})s?|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?)"
_DAYS = rf"{_DAY_NAME}(?:\s?(?:–|-|to)\s?{_DAY_NAME})?"
# A month that ends a span takes a full stop only as an abbreviation's: "3 Sept.", not the
# stop that ends "... from 3 to 9 July."
_SHORT_MONTHS = "|".join(m for m in MONTH_ABBREVIATIONS if len(m) == 3)
_MONTH_END = rf"(?:{MONTH})\b(?:(?<=\b(?:{_SHORT_MONTHS}))\.|(?<=\bSept)\.)?"
_DAY_MONTH = rf"(?:(?:{WEEKDAY}),?\s)?(?:\d{{1,2}}\s|{_ORDINAL_DAY}\s(?:of\s)?)(?:{MONTH})\.?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (unit, first_guarded(pattern)) for unit, pattern in (
        # "between 6 February 2023 and 28 July 2023", "between 6 February and 28 July 2023"
        ("date", rf"\bbetween\s{_DAY_MONTH}(?:,?\s{_DATED_YEAR})?\sand\s{_DAY_MONTH},?\s"
                 rf"{_DATED_YEAR}\b"),
        # days of one month: "from 3 to 9 July 2023", "3–9 July", "July 3–9, 2023"
        ("days", rf"(?<![\d.,])\b(?:\d{{1,2}}|{_ORDINAL_DAY})\s?(?:–|-|to)\s?(?:\d{{1,2}}\s|"
                 rf"{_ORDINAL_DAY}\s(?:of\s)?){_MONTH_END}(?:,?\s{_DATED_YEAR}\b)?"),
        # "between 10 and 24 March"
        ("days", rf"\b[Bb]etween\s(?:\d{{1,2}}|{_ORDINAL_DAY})\sand\s"
                 rf"(?:\d{{1,2}}\s|{_ORDINAL_DAY}\s(?:of\s)?){_MONTH_END}(?:,?\s{_DATED_YEAR}\b)?"),
        ("days", rf"\b(?:{MONTH})\.?\s\d{{1,2}}\s?(?:–|-|to)\s?\d{{1,2}}(?:,?\s{_DATED_YEAR})?\b"
                 r"(?![.,]?\d|\s?(?:%|per\s?cent|percent))"),
        # "14 April 1838", "Tuesday 10th October 2023", "the 9th of August 1946"
        ("date", rf"\b(?:(?:{WEEKDAY}),?\s)?(?:\d{{1,2}}\s|{_ORDINAL_DAY}\s(?:of\s)?)"
                 rf"(?:{MONTH})\.?,?\s{_DATED_YEAR}\b"),
        ("date", rf"\b(?:(?:{WEEKDAY}),?\s)?(?:{MONTH})\.?\s\d{{1,2}},?\s{_DATED_YEAR}\b"),
        ("date", rf"\b\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}\b"),
        # a month of a year, as leaflets and forms write it: "revised in 07/2024", "10/2025"
        ("month", rf"(?<![\w./-])(?:0?[1-9]|1[0-2])/{_DATED_YEAR}(?![\w/-]|[.,]\d)"),
        # ISO 8601, as logs, changelogs and forms write a day: "2023-09-14"
        ("date", rf"(?<![\w.-]){_DATED_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w-])"),
        # a span of years, as life dates, reigns and terms are written: "(1762–1819)",
        # "1836–1851", "1914–18" (the second after the first, `_date`)
        ("years", rf"(?<![\w$€£.,/:-]){_DATED_YEAR}\s?[–-]\s?(?:{_DATED_YEAR}|\d\d)"
                  r"(?![\w%/:–-]|[.,]\d)"),
        # a year its era marks is a year wherever it stands: "c. 300 BC", "AD 870"
        ("year", r"(?:\b(?:c|ca)\.\s?|\b[Cc]irca\s)?"
                 r"\b(?:AD\s[1-9]\d{0,3}|[1-9]\d{0,3}\s(?:BC|BCE|AD|CE))\b"),
        # "c. 1350", but "c. 300 men" is a count
        ("year", rf"(?:\b(?:c|ca)\.\s?|\b[Cc]irca\s){_DATED_YEAR}\b"),
        ("month", rf"\b(?:(?:{MONTH})\sand\s)?(?:{MONTH})\s{_YEAR}\b"),
        # "May" is a verb too: "in May 1500 people came" is no month
        ("month", rf"\b(?:(?:{MONTH})\sand\s)?(?:{_MONTH_NOT_MAY})\s{_DATED_YEAR}\b"),
        # A day of a month the text's year is given elsewhere for: "on 4 July", "on July 4th"
        ("date", rf"\b(?:(?:{WEEKDAY}),?\s)?(?:\d{{1,2}}\s|{_ORDINAL_DAY}\s(?:of\s)?)"
                 rf"(?:{MONTHS_PATTERN})\b"),
        ("date", rf"\b(?:(?:{WEEKDAY}),?\s)?(?:{MONTHS_PATTERN})\s\d{{1,2}}(?:st|nd|rd|th)?\b"
                 r"(?![.,]?\d)"),
        ("relative", rf"\b(?:[Bb]y\s)?(?:the\s)?(?:end|start|beginning|middle|turn)\sof\s"
                     rf"(?:the\s|this\s|next\s)?(?:decade|year|century|month|{_YEAR})\b"),
        # "Q4 2031", "Quarter 3 2029/30", "Q2 FY2030": a quarter as reports and plans write it
        ("relative", rf"\b(?:Q[1-4]|[Qq]uarter\s[1-4])\s(?:of\s)?"
                     rf"(?:(?:FY|[Ff]iscal(?:\syear)?)\s?)?{_YEAR}(?:/\d\d)?\b"),
        # "the fourth quarter of 2025", "the second quarter of fiscal 2026"
        ("relative", rf"\b(?:the\s)?(?:first|second|third|fourth|last)\squarter\sof\s"
                     rf"(?:(?:FY|[Ff]iscal(?:\syear)?|[Ff]inancial\syear)\s?)?{_YEAR}\b"),
        ("year", rf"\b(?:[Ee]arly|[Mm]id|[Ll]ate)-?\s?{_YEAR}\b"),
        ("year", rf"\b(?:FY|[Ff]iscal(?:\syear)?)\s?{_YEAR}\b"),
        ("relative", rf"\b(?:[Tt]his|[Nn]ext|[Ll]ast)\s(?:{MONTH}|{WEEKDAY})\b"),
        # a day of every month: "on the 25th of each month", "the 1st of every month"
        ("relative", rf"\b(?:the\s)?{_ORDINAL_DAY}\s(?:day\s)?of\s(?:each|every|the)\s"
                     r"(?:calendar\s)?month\b"),
        ("relative", r"\b(?:[Tt]his|[Nn]ext|[Ll]ast|[Tt]he\s(?:coming|next|past))\s(?:\d+\s|"
                     r"(?:two|three|four|five|six|ten)\s)?(?:decades?|years?|months?|weeks?|"
                     r"quarters?|century)\b"),
        # never from inside a number: "11,700 years ago", not "700 years ago"
        # hours and minutes together: "1 hour 52 minutes", "3 hours and 20 minutes"
        ("duration", r"(?<![\d,.])\b\d{1,3}\shours?,?\s(?:and\s)?\d{1,2}\sminutes?\b"),
        ("duration", r"(?<![\d,.])\b\d{1,3}\sminutes?,?\s(?:and\s)?\d{1,2}\sseconds?\b"),
        # an elapsed time, as races and records write it: "2:07:31", "1:29:44.6" (a clock's
        # hour has two digits in a log: "09:44:05")
        ("duration", r"(?<![\w:.])[1-9]:[0-5]\d:[0-5]\d(?:\.\d{1,2})?(?![\w:]|\.\d)"
                     rf"(?!\s?(?i:[ap]\.?m\b)|{_ZONE})"),
        # "a two-year contract" lasts two years too
        # not the minutes of a clock: "19:00 hours"
        # a bound is part of how long: "up to five working days", "at least 48 hours"
        ("duration", rf"(?<![\d,.:])(?<![a-z]-)\b(?:(?:{_LASTING_BOUNDS})\s)?"
                     rf"(?:{_SMALL})(?:\sand\sa\shalf)?[\s-]"
                     # "three working days", "ten calendar days"
                     rf"{_DAY_KIND}{_PERIOD}"
                     rf"(?:\s(?:to|or)\s(?:{_SMALL})\s{_PERIOD})?(?:\sago)?\b"),
        # a match's clock: "in the 58th minute"
        ("time", r"\b(?:the\s)?\d{1,3}(?:st|nd|rd|th)\sminute\b"),
        # hours written with a dot, as much of Europe writes them: "08.00 to 20.00", "16.30–21.00"
        # (a range of two, two-digit hours: "17.00" alone may be a price)
        ("time", r"(?<![\w.,:])(?:[01]\d|2[0-3])\.[0-5]\d\s?(?:–|-|to)\s?(?:[01]\d|2[0-3])\.[0-5]\d"
                 rf"(?![\w:]|[.,]\d|\s?(?:{_alternation(_MONEY_WORDS)}|(?-i:{_CODES_AFTER}))\b)"),
        # a time of day, or hours: "09:00", "2.30pm", "Tuesdays 14:00–16:00", "8am to 8pm"
        ("time", rf"(?<![\w:.])(?:{_DAYS},?\s)?(?:{_CLOCK})"
                 rf"(?:\s?(?:–|-|to)\s?(?:{_CLOCK}))?(?![\w:]|\.\d)"),
        ("month", _BARE_MONTH),
        ("relative", rf"\b(?:[Oo]n\s)?(?:{WEEKDAY})s?\b"),  # "on Tuesdays" too
        ("century", rf"\b(?:the\s)?(?:(?:early|mid|late)-?\s?)?(?:\d{{1,2}}(?:st|nd|rd|th)|"
                    rf"{ORDINAL_WORDS})[\s-]century(?:\s(?:AD|BC|BCE|CE)\b)?"),
        ("decade", r"\b(?:the\s)?(?:early\s|mid-?|late\s)?1?\d{2}0s\b"),
        ("year", rf"(?<![\w$€£.,-]){_YEAR}(?![\w%]|[.,]\d)"),
        ("era", _ERA_YEAR),
    )
)


# The patterns `needs.first_guarded` made (`make guards` stores what their parse gives)
GUARDED = tuple(p for _, p in (*_AMOUNT_PATTERNS, *_DATE_PATTERNS))
# The patterns no match of which goes without a digit (read from each pattern: `needs`)
_NEED_DIGIT = frozenset(p for p in GUARDED if needs_digit(p))


def dates(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Dates, years, relative dates and durations in `text[start:end]`."""
    return _first_come(text, start, end, _DATE_PATTERNS, _date)


# "four times a day" is how often, "aged 65 years or older" an age: neither lasts that long
_NOT_LASTING_BEFORE = re.compile(r"(?:\btimes|\bonce|\btwice|\bper|\baged|\bage\sof)\s$",
                                 re.IGNORECASE)
_NOT_LASTING_AFTER = re.compile(r"[\s-](?:olds?|of\sage|or\s(?:older|over|above|younger))\b")


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800,
            "month": 2629800, "year": 31557600, "decade": 315576000}
_LASTS = re.compile(rf"(\d+(?:\.\d+)?|{_SPELLED}|an?)[\s-]"
                    rf"{_DAY_KIND}"
                    r"(second|minute|hour|day|week|month|"
                    r"year|decade)s?\b")


def duration_seconds(text: str) -> float | None:
    """How long a duration lasts, in seconds: "around 45 minutes" 2700, "1 hour 52 minutes"
    6720, "2:07:31" 7651, "a two-year" 63115200; None for what it cannot read."""
    clock = re.fullmatch(r"\s*(\d{1,2}):([0-5]\d):([0-5]\d)(?:\.\d+)?\s*", text)
    if clock:
        return 3600.0 * int(clock.group(1)) + 60 * int(clock.group(2)) + int(clock.group(3))
    total = 0.0
    for number, period in _LASTS.findall(text.lower()):
        value = (1.0 if number in ("a", "an") else float(number) if number[0].isdigit()
                 else float(_spelled_value(number) or 0))
        total += value * _SECONDS[period]
    return total or None


# Numbers a span of them is not years after: pages, rooms, items, a clock's hours
_NOT_YEARS_BEFORE = re.compile(r"(?:\bpp?\.|\bpages?|\bnos?\.|\bnumbers|\brooms?|\bunits|"
                               r"\bhours:?|\bserved|\bopen|\bclosed|\blines|\bverses|"
                               r"\bitems|\bplots|§)[ \t]*$", re.IGNORECASE)
# What a span of years is the time of: "the 2019–20 season", "the 1914–18 war"
_PERIOD_AFTER = re.compile(r"\s(?:seasons?|season's|periods?|war|wars|campaigns?|terms?|sessions?|"
                           r"reigns?|tours?|school|academic|financial|fiscal|editions?|series|"
                           r"census|winters?|summers?|parliament|government|administration)\b")


def _date(text: str, unit: str, m: re.Match[str]) -> Span | None:
    if unit == "days":  # "3 to 9 July": the first day before the last, both in a month
        first, last = (int(d) for d in re.findall(r"\d{1,2}(?!\d)", m.group())[:2])
        if not 1 <= first < last <= 31:
            return None  # "ruled 6-3 June 24" is a vote
        unit = "date"
    if unit == "years":  # "1762–1819", "1914–18", "1999–00"; not "2019-17"
        first, last = m.group()[:4], re.split(r"\s?[–-]\s?", m.group())[1]
        short = len(last) == 2
        last = str(int(first[:2]) + (last < first[2:])) + last if short else last
        if not 0 < int(last) - int(first) <= 150 or _NOT_YEARS_BEFORE.search(
                text, max(0, m.start() - 12), m.start()) or not short and (
                counts_something(text, m.end()) and not _PERIOD_AFTER.match(text, m.end())):
            return None  # nor "1200-1500 people", "pp. 1201–1250", "served 1200–1330"
        unit = "year"
    if unit == "era":  # "in 1066" is a year, "of 860 burrows" a count
        if counts_something(text, m.end()):
            return None
        unit = "year"
    if unit == "duration" and (_NOT_LASTING_BEFORE.search(text, max(0, m.start() - 8), m.start())
                               or _NOT_LASTING_AFTER.match(text, m.end())):
        return None
    return Span(Kind.DATE, m.start(), m.end(), m.group(), unit)

def extract(text: str, start: int, end: int, kinds: Iterable[Kind],
            known: KnownNames) -> list[Span]:
    """Every span of the given kinds in `text[start:end]`, in text order; `known` holds the
    organizations of the corpus."""
    return list(_extracted(text, start, end, frozenset(kinds), known))


@functools.lru_cache(maxsize=4096)  # a pool's sentences are read again by later questions
def _extracted(text: str, start: int, end: int, kinds: frozenset[Kind],
               known: KnownNames) -> tuple[Span, ...]:
    spans: list[Span] = []
    if Kind.AMOUNT in kinds:
        spans += amounts(text, start, end)
    if Kind.DATE in kinds:
        spans += dates(text, start, end)
    if kinds & {Kind.PERSON, Kind.ORG}:
        spans += [s for s in names(text, known, start, end) if s.kind in kinds]
    if Kind.PLACE in kinds:
        spans += places(text, known, start, end)
    return tuple(sorted(spans, key=lambda s: (s.start, -s.end)))

