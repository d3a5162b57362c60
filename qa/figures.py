"""The figures table: every money and percentage figure in the corpus, whose it is, what it
is, when, and where it is written.

Rules (one sentence at a time; offsets point into the cleaned document). A clause ends at
, ; : ( ) — unless ", which/who/that" goes on with the same subject. An organization is
one of `qa.names.ORGANIZATIONS`; one right after "in/into/for/of/from/to/than/like/with"
(up to six words on) is an object, not a subject ("invested $1.25 billion in Anthropic" is
Amazon's). Organizations written as a list ("Microsoft, BlackRock and UAE-based MGX") stay
together.

- figure: every money amount and percentage `qa.extract.amounts` finds (fractions such as
  "one-third", multipliers and bare counts are left out);
- organization, first rule that applies: the organization the figure hangs on ("Google’s
  $12.5 billion", "Anthropic (~$61.5 billion)", "MGX, a $100 billion fund"); for "up from
  $40 billion" the previous figure's; the last subject organization in the figure's
  clause; the sentence's first subject organization; "$8 billion in China"; "$500 billion,
  called Project Stargate"; the previous sentence's (the paragraph before's when this one
  refers back: "these tech giants"); the heading line's ("Meta, February 2025");
- target: the other party, "in/into/for/of <organization>" after the figure (not a country
  after "in") or "buy/acquire <organization>" before it;
- what: the `KINDS` keyword nearest to the figure in its sentence ("value it at" ->
  valuation, "drop" -> fall, "buy" -> purchase); money that falls is a loss;
- date: the date in the figure's clause nearest to it, preferring one with a year; a
  relative one ("this year") gets the heading's or document's date in brackets; with none,
  the heading's date, else the document's;
- "another $2.75 billion", "an additional $2.7 billion": the same organization and target as
  the figure before it in the paragraph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .answer import Citation, citation_for
from .chunking import split_sentences
from .extract import CURRENCIES, Span, amounts, dates, heading_context, sentence_before
from .index import Index
from .names import canonical, is_country, organizations

__all__ = [
    "KINDS", "Figure", "figures_table", "kinds_named", "owner_names", "owner_of", "to_json",
    "what_of",
]

MONEY_AND_PERCENT = CURRENCIES | {"%"}

# what a figure is -> the words that say so (searched around the figure; nearest wins)
KINDS: dict[str, str] = {
    "valuation": r"valu(?:e|ed|es|ation|ations)\b(?! of)|market cap\w*|market value",
    "fall": r"f[ae]ll\w*|drop\w*|declin\w*|plummet\w*|tumbl\w*|sank|sink\w*|slump\w*|lower\b|"
            r"collaps\w*",
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
    "forecast": r"predict\w*|forecast\w*|project(?:s|ed|ion)\b",
}
_KIND_RES = {kind: re.compile(rf"\b(?:{pattern})", re.IGNORECASE)
             for kind, pattern in KINDS.items()}
_CLAUSE_END = re.compile(r"[;:()—–]|,(?!\s*(?:which|who|whose|that)\b|\s*\d)|\.\s")
_OBJECT_BEFORE = re.compile(r"\b(?:in|into|for|of|from|to|than|like|by)\s+(?:the\s+)?"
                            r"(?:(?!(?:which|who|that|saw|is|was|were|are)\b)[\w-]+\s+){0,6}$")
_RELATIVE_AFTER = re.compile(r"\s*,?\s*(?:which|who|that)\b")
_TARGET_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:in|into|for|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,5}$")
_BUY_BEFORE = re.compile(r"\b(?:buy|acquire|purchase|take over)\s+$")
_LIST_GAP = re.compile(r"(?:,\s*|\s*,?\s*and\s+|\s*&\s*)(?:[\w-]+-based\s+)?")
# Refers back in its first 80 characters.
_ANAPHOR = re.compile(r".{0,80}?\b(?:it|its|they|their|these|the company)\b",
                      re.IGNORECASE | re.DOTALL)
_ATTACHED = re.compile(r"[’']s\s+(?:[\w-]+\s+){0,3}|\s*\(\s*|,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}"
                       r"|\s+with\s+")
_ANOTHER = re.compile(r"\b(?:another|an additional|a further)\s+$")
_UP_FROM = re.compile(r"\b(?:up|down) from\s+$")
_IN_AFTER = re.compile(r"\s+in\s+(?:the\s+)?")  # "$8 billion in China"
_NAME = re.compile(r"[A-Z][\w&’'.-]*\w(?:\s(?:[A-Z][\w.-]*\w|\d[\d.]*))*")
_CAPITALIZED = re.compile(r"[A-Z][\w.]*")
_PERIOD = re.compile(r"(?:the\s+)?(?:next|coming|past)\b", re.IGNORECASE)


def kinds_named(text: str) -> frozenset[str]:
    """The kinds of figure (keys of KINDS) that `text` names: "valued" -> valuation ..."""
    return frozenset(kind for kind, pattern in _KIND_RES.items() if pattern.search(text))


@dataclass(frozen=True, slots=True)
class Figure:
    organization: str | None  # whose figure it is ("Meta"; "Microsoft, BlackRock, MGX")
    what: str | None  # a key of KINDS: spend, valuation, investment, fall, share ...
    text: str  # the figure as written: "between $60 billion and $65 billion"
    value: float | None  # in units: dollars, euros, or percent
    unit: str  # USD, EUR, ... or %
    date: str | None
    target: str | None  # the other party: Anthropic for Amazon's investment in it
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
    for source in sorted(index.documents):
        doc = index.documents[source]
        previous: tuple[str | None, str | None] = (None, None)
        line = -1
        for a, b in split_sentences(doc.text):
            if doc.text.rfind("\n", 0, a) != line:  # a new paragraph
                previous, line = (None, None), doc.text.rfind("\n", 0, a)
            for span in amounts(doc.text, a, b):
                if span.unit not in MONEY_AND_PERCENT:
                    continue
                if _ANOTHER.search(doc.text[max(a, span.start - 25):span.start]):
                    owner, target = previous  # "and another $2.75 billion": same parties
                else:
                    owner, target = owner_of(doc.text, a, b, span, previous[0])
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
        wanted = _canonical(entity)
        rows = [f for f in rows if any(wanted == _canonical(name) for name in
                                       _names(f.organization) + _names(f.target))]
    return rows


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in value.split(",")] if value else []


def _canonical(name: str) -> str:
    return canonical(name).lower()


@functools.lru_cache(maxsize=4096)  # asked again for one figure by agree, pick and disagreeing
def what_of(text: str, a: int, b: int, span: Span) -> str | None:
    """The kind of figure: the KINDS keyword nearest to it in its sentence (ties: earlier
    in KINDS). Words after the figure count from its end, words before from its start.
    Money that falls is a loss."""
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern) in enumerate(_KIND_RES.items()):
        for m in pattern.finditer(text, a, b):
            if span.start <= m.start() < span.end:
                continue
            gap = span.start - m.end() if m.end() <= span.start else m.start() - span.end
            if best is None or (gap, order) < best[:2]:
                best = (gap, order, kind)
    if not best:
        return None
    return "loss" if best[2] == "fall" and span.unit != "%" else best[2]


def _clause(text: str, a: int, b: int, span: Span) -> tuple[int, int]:
    start = a
    for m in _CLAUSE_END.finditer(text, a, span.start):
        start = m.end()
    m = _CLAUSE_END.search(text, span.end, b)
    return start, m.start() if m else b


@functools.lru_cache(maxsize=4096)
def owner_of(text: str, a: int, b: int, span: Span,
             previous: str | None = None) -> tuple[str | None, str | None]:
    """(organization, target) of a figure, by the rules in the module docstring."""
    groups = _groups(text, a, b)
    target = _target(text, span, groups)
    clause_start, _ = _clause(text, a, b, span)
    before = [g for g in groups if g[-1].end <= span.start]
    subjects = [g for g in before if not _OBJECT_BEFORE.search(text[a:g[0].start])
                or _RELATIVE_AFTER.match(text, g[-1].end)]
    owner = None
    called = re.match(r"(?:\s+[\w-]+){0,3},?\s+(?:called|named)\s+", text[span.end:b])
    if before and _ATTACHED.fullmatch(text[before[-1][-1].end:span.start]):
        owner = before[-1][-1:]  # "Google’s $12.5 billion", "MGX, a $100 billion fund"
    elif previous and _UP_FROM.search(text[max(a, span.start - 20):span.start]):
        return previous, None  # "$75 billion, up from $40 billion": the same owner
    elif called:  # "a $500 billion initiative called Stargate"
        owner = next((g for g in groups if g[0].start == span.end + called.end()), None)
    if owner is None:
        owner = next((g for g in reversed(subjects) if g[0].start >= clause_start), None)
    if owner is None and subjects:
        owner = subjects[0]
    if owner is None and (m := _IN_AFTER.match(text, span.end, b)):
        owner = next((g for g in groups if g[0].start == m.end()), None)
    name = _render(owner) if owner else _fallback(text, a)
    return name, _render(target) if target and target is not owner else None


def owner_names(text: str, a: int, b: int, span: Span) -> list[str]:
    """Names a figure belongs to, known organizations or not: the last name before it in its
    clause ("Meta's Llama 3.1, which has 405 billion"), "in <Name>" right after it ("$8
    billion in China"), and its organization (`owner_of`), which also follows a clause that
    goes on with the sentence's subject ("the Nasdaq opening 3% lower, later stabilizing at
    2.9%"). `qa.pick` counts them as next to the figure when it picks among several."""
    known = owner_of(text, a, b, span)[0]
    start, _ = _clause(text, a, b, span)
    names = [n for n in _NAME.findall(text, start, span.start) if n.lower() != "ai"]
    after = _IN_AFTER.match(text, span.end, b)
    name = after and _CAPITALIZED.match(text, after.end(), b)
    return names[-1:] + ([name.group()] if name else []) + ([known] if known else [])


def _groups(text: str, a: int, b: int) -> list[list[Span]]:
    """Known organizations in a sentence, coordinated ones ("A, B and C") grouped."""
    groups: list[list[Span]] = []
    for m in organizations(text, a, b):
        if groups and _LIST_GAP.fullmatch(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _target(text: str, span: Span, groups: list[list[Span]]) -> list[Span] | None:
    for group in groups:
        gap = text[span.end:group[0].start]
        if group[0].start >= span.end and _TARGET_AFTER.match(gap) and not (
                is_country(group[0].text) and re.search(r"\bin\s", gap)):
            return group
        if group[-1].end <= span.start and _BUY_BEFORE.search(text[:group[0].start]):
            return group
    return None


def _render(group: list[Span]) -> str:
    return ", ".join(dict.fromkeys(s.text for s in group))


def _fallback(text: str, a: int) -> str | None:
    """No organization in the sentence: the previous sentence's in the paragraph (or the
    paragraph before, when this one refers back with "it"/"they"/"these"), else the
    heading line's."""
    previous = sentence_before(text, a, _ANAPHOR)
    if previous:
        groups = [g for g in _groups(text, *previous)
                  if not _OBJECT_BEFORE.search(text[previous[0]:g[0].start])]
        if groups:
            return _render(groups[0])
    heading, _ = heading_context(text, a)
    found = organizations(heading)
    return found[0].text if found else None


def date_of(text: str, a: int, b: int, span: Span, document_date: str | None) -> str | None:
    """The date in the figure's clause nearest to it, preferring one with a year; a relative
    date ("this year") is followed by the heading's or the document's date for context."""
    start, end = _clause(text, a, b, span)
    found = [d for d in dates(text, start, end) if _is_date(d)]
    if not found:  # an opening "In FY 2025, ..." or "Last week, ..." dates the whole sentence
        found = [d for d in dates(text, a, start) if _is_date(d)]
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


def _is_date(span: Span) -> bool:
    """A point in time, not a period ("over the next four years", "six months")."""
    return span.unit != "duration" and not _PERIOD.match(span.text)
