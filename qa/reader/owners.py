"""Whose a figure is and what it is: the rules the answer reader and the figures table share.

`qa.reader.agree` and `qa.reader.pick` ask them of a candidate figure (is it the kind and the
owner the question asks about?); `qa.figures` asks them of every figure for its table. They live
here, below both, so the reader never imports the figures table.

Rules (one sentence at a time; offsets point into the cleaned document). A clause ends at
, ; : ( ) — unless ", which/who/that" goes on with the same subject. An organization is
one the corpus names (`qa.reader.names.KnownNames`); one right after
"in/into/for/of/from/to/than/like/with" (up to six words on) is an object, not a subject
("invested $1.25 billion in a start-up" is the investor's). Organizations written as a list
("A, B and C-based D") stay together.

- organization, first rule that applies: the organization the figure hangs on ("Tellco’s
  $7.5 billion", "Lumenfold (~$31.5 billion)", "VNX, a $90 billion fund"); for "up from
  $40 billion" the previous figure's; the last subject organization in the figure's
  clause; the sentence's first subject organization; "$8 billion in China"; "$300 billion,
  called Project Halcyon"; the previous sentence's (the paragraph before's when this one
  refers back: "these tech giants"); the heading line's ("Arvane, February 2025");
- target: the other party, "in/into/for/of <organization>" after the figure (not a country
  after "in") or "buy/acquire <organization>" before it;
- what: the `KINDS` keyword nearest to the figure in its sentence ("value it at" ->
  valuation, "drop" -> fall, "buy" -> purchase); money that falls is a loss.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from qa.reader.extract import Span, heading_context, refers_back, sentence_before
from qa.reader.names import KnownNames, is_country, organizations

__all__ = ["KINDS", "clause_of", "kinds_named", "owner_names", "owner_of", "what_of"]

# what a figure is -> the words that say so (searched around the figure; nearest wins)
KINDS: dict[str, str] = {
    "valuation": r"valu(?:e|ed|es|ation|ations)\b(?! of)|market cap\w*|market value",
    # "closed 3% lower", not "the lower section" (an adjective before its noun)
    "fall": r"f[ae]ll\w*|drop\w*|declin\w*|plummet\w*|tumbl\w*|sank|sink\w*|slump\w*|"
            r"(?<!the )(?<!a )lower\b|collaps\w*",
    "rise": r"ris(?:e|es|en|ing)\b|rose|gain\w*|increas\w*|jump\w*|surg\w*",
    "loss": r"loss\w*|los[et]\b|wiped|burn\w*",
    "spend": r"spend\w*|spent|capital expenditure|capex|outlay",
    "investment": r"invest\w*|put in|pump\w*|mobilis\w*|mobiliz\w*|initiative|venture",
    "fund": r"fund\w*|raise[ds]?\b|raising|financing|round",
    "purchase": r"buy\w*|bought|pay\w*|paid|purchas\w*|acqui\w*",
    "commitment": r"commit\w*|pledg\w*",
    "budget": r"budget\w*",
    "cost": r"cost\w*",
    "share": r"shares? of|account(?:s|ed)? for|share\b",
    "borrowing": r"borrow\w*|loan\w*|debt",
    "revenue": r"revenue\w*|sales",
    "profit": r"profit\w*|earnings|net income|surplus",
    "forecast": r"predict\w*|forecast\w*|project(?:s|ed|ion)\b",
}
_KIND_RES = {kind: re.compile(rf"\b(?:{pattern})", re.IGNORECASE)
             for kind, pattern in KINDS.items()}
_LEVEL = re.compile(r"\b(?:to|from)\s+(?:(?:about|around|nearly|almost|some|roughly|a record|an? "
                    r"estimated)\s+)?$", re.IGNORECASE)
# A one-word aside inside a name ("Kestrel Cold Storage (Pty) Ltd", "Acme (UK)") is matched
# whole as `aside` and ends no clause, so the name's owner reaches the figure after it.
_CLAUSE_END = re.compile(r"(?P<aside>\([A-Za-z][\w.&-]{0,11}\))|[;:()—–]"
                         r"|,(?!\s*(?:which|who|whose|that)\b|\s*\d)|\.\s")


def _marks(text: str, a: int, b: int) -> list[re.Match[str]]:
    return [m for m in _CLAUSE_END.finditer(text, a, b) if m.group("aside") is None]
_OBJECT_BEFORE = re.compile(r"\b(?i:in|into|for|of|from|to|than|like|by)\s+(?:the\s+)?"
                            r"(?:(?!(?:which|who|that|saw|is|was|were|are)\b)[\w-]+\s+){0,6}$")
_RELATIVE_AFTER = re.compile(r"\s*,?\s*(?:which|who|that)\b")
_TARGET_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:in|into|for|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,5}$")
# How far `_TARGET_AFTER` can reach after a figure: its eight words at most. A name further on
# is not the target, so only the names up to here are tried, not every name of the sentence.
_TARGET_REACH = re.compile(r"\s*+(?:[\w-]++\s++){0,8}")
_BUY_BEFORE = re.compile(r"\b(?:buy|acquire|purchase|take over)\s+$")
_CALLED = re.compile(r"(?:\s+[\w-]+){0,3},?\s+(?:called|named)\s+")
# How far back `_OBJECT_BEFORE` (a preposition, "the" and six words) and `_BUY_BEFORE` ("take
# over" and a space) look. Cleaned text has single spaces and prose has no 30-letter words,
# so a match is never longer; searching from the sentence start (for "buy", from the start of
# the document) for each name made a long sentence of names quadratic.
_OBJECT_REACH = 256
_BUY_REACH = 64
_LIST_GAP = re.compile(r"(?:,\s*|\s*,?\s*and\s+|\s*&\s*)(?:[\w-]+-based\s+)?")
# A figure's sentence names its organization with "it", "their", "the company" ... anywhere in
# its opening clause, not only as its first word ("In 2024 its revenue ...").
_ANAPHOR = refers_back(80, parties_only=True)
_ATTACHED = re.compile(r"[’']s\s+(?:[\w-]+\s+){0,3}|\s*\(\s*|,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}"
                       r"|\s+with\s+")
_UP_FROM = re.compile(r"\b(?:up|down) from\s+$")
_IN_AFTER = re.compile(r"\s+in\s+(?:the\s+)?")  # "$8 billion in China"
# ... and where a figure was measured: "95 minutes at Eastgate"
_IN_OR_AT_AFTER = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?")
_NAME = re.compile(r"[A-Z][\w&’'.-]*\w(?:\s(?:[A-Z][\w.-]*\w|\d[\d.]*))*")
_CAPITALIZED = re.compile(r"[A-Z][\w.]*")


def kinds_named(text: str) -> frozenset[str]:
    """The kinds of figure (keys of KINDS) that `text` names: "valued" -> valuation ..."""
    return frozenset(kind for kind, pattern in _KIND_RES.items()
                     if any(not _POSSESSED.match(text, m.end()) for m in pattern.finditer(text)))


# A keyword's word owns something: a name ("Fellgate's apprenticeship" says no fall)
_POSSESSED = re.compile(r"\w*['’]s?\b")


@functools.lru_cache(maxsize=4096)  # asked again for one figure by agree, pick and disagreeing
def what_of(text: str, a: int, b: int, span: Span) -> str | None:
    """The kind of figure: the KINDS keyword nearest to it in its sentence (ties: earlier
    in KINDS). Words after the figure count from its end, words before from its start.
    Money that falls is a loss."""
    best: tuple[int, int, str] | None = None
    # "revenue rose 12% to $82 million, up from $73 million": a figure after "to" or "from" is
    # a level of the revenue, not the rise (the "by" or bare figure: "rose 12%", "fell by $3m")
    level = _LEVEL.search(text, max(a, span.start - 30), span.start) is not None
    for order, (kind, (starts, ends)) in enumerate(zip(_KIND_RES, _keywords(text, a, b),
                                                        strict=True)):
        if level and kind in ("rise", "fall"):
            continue
        gap = _nearest(starts, ends, span)
        if gap is not None and (best is None or (gap, order) < best[:2]):
            best = (gap, order, kind)
    if not best:
        return None
    return "loss" if best[2] == "fall" and span.unit != "%" else best[2]


@functools.lru_cache(maxsize=256)
def _keywords(text: str, a: int, b: int) -> tuple[tuple[list[int], list[int]], ...]:
    """Where each kind's keywords are in a sentence (starts, ends), found once per sentence
    rather than once per figure in it."""
    found = [list(pattern.finditer(text, a, b)) for pattern in _KIND_RES.values()]
    return tuple(([m.start() for m in ms], [m.end() for m in ms]) for ms in found)


def _nearest(starts: list[int], ends: list[int], span: Span) -> int | None:
    """The smallest gap between the figure and one kind's keywords (which do not overlap, so
    they are sorted by end as by start): the last before it, one running into it (a negative
    gap, as `what_of` always counted it) and the first after it; one starting inside is none."""
    i = bisect.bisect_right(ends, span.start)
    gaps = [span.start - ends[i - 1]] if i else []
    if i < len(starts) and starts[i] < span.start:
        gaps.append(starts[i] - span.end)
    j = bisect.bisect_left(starts, span.end)
    if j < len(starts):
        gaps.append(starts[j] - span.end)
    return min(gaps, default=None)


def clause_of(text: str, a: int, b: int, span: Span) -> tuple[int, int]:
    """Where the clause holding a figure starts and ends (the clause rule above); a figure's
    date is looked for in it too (`qa.figures.date_of`)."""
    starts, ends = _clause_marks(text, a, b)
    j = bisect.bisect_left(starts, span.end)
    return _clause_start(text, a, span.start, starts, ends), starts[j] if j < len(starts) else b


@functools.lru_cache(maxsize=256)
def _clause_marks(text: str, a: int, b: int) -> tuple[list[int], list[int]]:
    """The clause ends of a sentence (starts, ends), found once per sentence."""
    marks = _marks(text, a, b)
    return [m.start() for m in marks], [m.end() for m in marks]


def _clause_start(text: str, a: int, e: int, starts: list[int], ends: list[int]) -> int:
    """The end of the last clause end in `text[a:e]` read as if the text stopped at `e`, as
    the rule has always read it. That reading differs from the whole sentence's only for a
    comma whose look-ahead (spaces, then up to six letters) reaches `e`: the last seven
    characters and the comma before a run of spaces reaching into them are searched again,
    the marks before them are taken as found for the sentence."""
    lo = e - 7
    if lo > a and text[lo].isspace():
        while lo > a and text[lo - 1].isspace():
            lo -= 1
        lo -= 1  # the comma (or whatever) before the spaces
    lo = max(a, lo)
    tail = _marks(text, lo, e)
    if tail:
        return tail[-1].end()
    i = bisect.bisect_left(starts, lo)
    return ends[i - 1] if i else a


@functools.lru_cache(maxsize=4096)
def owner_of(text: str, a: int, b: int, span: Span, known: KnownNames,
             previous: str | None = None) -> tuple[str | None, str | None]:
    """(organization, target) of a figure, by the rules in the module docstring."""
    parties = _parties(text, a, b, known)
    groups = parties.groups
    target = _target(text, span, parties)
    clause_start, _ = clause_of(text, a, b, span)
    before = bisect.bisect_right(parties.ends, span.start)  # groups[:before] end before it
    subjects = bisect.bisect_left(parties.subjects, before)  # parties.subjects[:subjects] too
    owner = None
    called = _CALLED.match(text, span.end, b)
    if before and _ATTACHED.fullmatch(text, groups[before - 1][-1].end, span.start):
        owner = groups[before - 1][-1:]  # "Tellco’s $7.5 billion", "VNX, a $90 billion fund"
    elif previous and _UP_FROM.search(text[max(a, span.start - 20):span.start]):
        return previous, None  # "$75 billion, up from $40 billion": the same owner
    elif called:  # "a $300 billion initiative called Halcyon"
        owner = _group_at(parties, called.end())
    last = groups[parties.subjects[subjects - 1]] if subjects else None
    if owner is None and last and last[0].start >= clause_start:
        owner = last
    if owner is None and subjects:
        owner = groups[parties.subjects[0]]
    if owner is None and (m := _IN_AFTER.match(text, span.end, b)):
        owner = _group_at(parties, m.end())
    name = _render(owner) if owner else _fallback(text, a, known)
    return name, _render(target) if target and target is not owner else None


def owner_names(text: str, a: int, b: int, span: Span, known: KnownNames) -> list[str]:
    """Names a figure belongs to, known organizations or not: the last name before it in its
    clause ("Arvane's Corvid 3.1, which has 405 billion"), "in <Name>" or "at <Name>" right
    after it ("$8 billion in China"), and its organization (`owner_of`), which also follows a
    clause that goes on with the sentence's subject ("the Nasdaq opening 3% lower, later
    stabilizing at 2.9%"). `qa.reader.pick` counts them as next to the figure when it picks
    among several."""
    owner = owner_of(text, a, b, span, known)[0]
    start, _ = clause_of(text, a, b, span)
    names = [n for n in _NAME.findall(text, start, span.start) if n.lower() != "ai"]
    after = _IN_OR_AT_AFTER.match(text, span.end, b)
    name = after and _CAPITALIZED.match(text, after.end(), b)
    return names[-1:] + ([name.group()] if name else []) + ([owner] if owner else [])


@dataclass(frozen=True, slots=True)
class _Parties:
    """A sentence's organization groups and what their places say, worked out once per
    sentence: asked per figure, each was a scan of the sentence (for "buy X", of the whole
    document before X), so a long sentence of figures and names was quadratic."""

    groups: tuple[list[Span], ...]
    starts: list[int]  # of each group, ascending (groups do not overlap)
    ends: list[int]
    objects: list[bool]  # named as an object: "in Lumenfold" (`_OBJECT_BEFORE`)
    subjects: list[int]  # indexes of the groups that are not, or go on "which/who/that"
    bought: int | None  # index of the first group right after "buy/acquire ..."


@functools.lru_cache(maxsize=256)
def _parties(text: str, a: int, b: int, known: KnownNames) -> _Parties:
    groups = tuple(_groups(text, a, b, known))
    objects = [_object_before(text, a, g[0].start) for g in groups]
    subjects = [i for i, g in enumerate(groups)
                if not objects[i] or _RELATIVE_AFTER.match(text, g[-1].end)]
    bought = next((i for i, g in enumerate(groups) if _BUY_BEFORE.search(
        text, max(0, g[0].start - _BUY_REACH), g[0].start)), None)
    return _Parties(groups, [g[0].start for g in groups], [g[-1].end for g in groups],
                    objects, subjects, bought)


def _object_before(text: str, a: int, pos: int) -> bool:
    """Whether `text[a:pos]` ends "in/into/for ... " (`_OBJECT_BEFORE`), looking back at most
    `_OBJECT_REACH` characters (read as the rule always read them: from `a` when that is near,
    else with the text before the window in sight, so a word is never cut in two)."""
    if pos - a <= _OBJECT_REACH:
        return _OBJECT_BEFORE.search(text[a:pos]) is not None
    return _OBJECT_BEFORE.search(text, pos - _OBJECT_REACH, pos) is not None


def _group_at(parties: _Parties, start: int) -> list[Span] | None:
    i = bisect.bisect_left(parties.starts, start)
    return parties.groups[i] if i < len(parties.starts) and parties.starts[i] == start else None


def _groups(text: str, a: int, b: int, known: KnownNames) -> list[list[Span]]:
    """Known organizations in a sentence, coordinated ones ("A, B and C") grouped."""
    groups: list[list[Span]] = []
    for m in organizations(text, known, a, b):
        if groups and _LIST_GAP.fullmatch(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _target(text: str, span: Span, parties: _Parties) -> list[Span] | None:
    """The first group, in sentence order, right after "buy/acquire" before the figure, or
    named right after it ("in/into/for/of ..."); groups before it come first."""
    before = bisect.bisect_right(parties.ends, span.start)
    if parties.bought is not None and parties.bought < before:
        return parties.groups[parties.bought]
    reach = _TARGET_REACH.match(text, span.end).end()
    i = bisect.bisect_left(parties.starts, span.end)
    while i < len(parties.starts) and parties.starts[i] <= reach:
        group = parties.groups[i]
        gap = text[span.end:group[0].start]
        if _TARGET_AFTER.match(gap) and not (
                is_country(group[0].text) and re.search(r"\bin\s", gap)):
            return group
        i += 1
    return None


def _render(group: list[Span]) -> str:
    return ", ".join(dict.fromkeys(s.text for s in group))


@functools.lru_cache(maxsize=256)  # the same for every figure of a sentence
def _fallback(text: str, a: int, known: KnownNames) -> str | None:
    """No organization in the sentence: the previous sentence's in the paragraph (or the
    paragraph before, when this one refers back with "it"/"they"/"these"), else the
    heading line's."""
    previous = sentence_before(text, a, _ANAPHOR)
    if previous:
        parties = _parties(text, *previous, known)
        groups = [g for g, named_as_object in zip(parties.groups, parties.objects, strict=True)
                  if not named_as_object]
        if groups:
            return _render(groups[0])
    heading, _ = heading_context(text, a)
    if heading.lstrip().startswith("|"):
        # a header row with no heading above it names columns ("| Date | Depth (m) |"); one
        # under a heading is read with it, where a column may name the row's owner
        return None
    found = organizations(heading, known)
    return found[0].text if found else None
