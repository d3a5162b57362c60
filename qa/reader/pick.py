"""Inside a candidate sentence: which span answers, and which other sources disagree.

- the span: of the spans that may answer (`qa.reader.typed`), the one nearest
  to the question's words (rarer words count more; the figure's owner, "Arvane's Corvid 3.1,
  which has 405 billion", counts as adjacent), measuring what the question asks about
  ("109 foundation models"), closest in meaning (its clause against the question), and not
  a figure given as what it is not ("$1.3 billion instead of $6 million");
- disagreement: the same kind of figure (`qa.reader.owners.what_of`) with no other owner
  (`qa.reader.owners.owner_of`) and another value, in another source, scoring close to the answer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.ingest.context import table_cells
from qa.ingest.entities import Parse
from qa.reader.extract import (
    DIMENSIONS,
    Kind,
    Span,
    amounts,
)
from qa.reader.learned import SpanChoice
from qa.reader.names import KnownNames, known_names, organizations
from qa.reader.owners import owner_names, owner_of, what_of
from qa.reader.question import Wanted, counted_phrase, coverage, person_noun, stem, words_of
from qa.reader.spans import MONTH
from qa.reader.typed import CHANGE_BEFORE, HEADER_UNIT, abbreviates, fit_of, followed_by
from qa.store.index import Index

__all__ = [
    "ALTERNATIVE_MARGIN", "Candidate", "Pick", "column_time_fit", "comparable", "disagreeing",
    "encode", "is_change_column", "named_column", "pick_span", "unit_class",
]

CACHE_SIZE = 4096  # sentence vectors kept between questions (a server asks many)
ALTERNATIVE_MARGIN = 0.3  # how far below the best a disagreeing figure may score


@dataclass(frozen=True, slots=True)
class Pick:
    text: str
    sentence: str
    source: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    score: float
    kind: str
    unit: str | None = None
    value: float | None = None
    high: float | None = None


def encode(index: Index, texts: list[str]) -> np.ndarray:
    """Embed texts in one batch, reusing vectors the index stored for them at build time or
    embedded for them before: the cache belongs to the index, so a swapped-in index starts
    with its own.
    Safe with concurrent questions: each call reads the shared cache only once per text."""
    cache = index.text_vectors
    found = {t: cache.get(t) for t in texts}
    todo = [t for t, v in found.items() if v is None]
    if todo and index.sentences is not None:  # embedded when the index was built
        found.update((t, v) for t, v in zip(todo, index.sentences.find(todo), strict=True)
                     if v is not None)
        todo = [t for t in todo if found[t] is None]
    if todo:
        fresh = dict(zip(todo, index.embedder.encode(todo), strict=True))
        found.update(fresh)
        if len(cache) + len(fresh) > CACHE_SIZE:
            cache.clear()
        cache.update(fresh)
    return np.stack([found[t] for t in texts])


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence and the evidence for it (kept for calibration and debugging).

    `qa.reader.candidates.candidates` makes them and this module picks inside them: the
    record is defined here so that `qa.reader.candidates` imports this module and never the
    other way round."""

    source: str
    start: int
    end: int
    rank: int  # of the best passage holding it
    meaning: float  # cosine of question and sentence (with its heading)
    words: float  # share of the question's words (rarity-weighted) in sentence and heading
    focus: float  # the same, leaving out the organizations the question names
    type: float  # how well its best span is what the question asks for (1 best)
    inside: bool  # names the question's organizations itself, not only in its context
    score: float
    spans: tuple[Span, ...]
    # The learned reader's view (`qa.reader.learned`), when a model is loaded: the stored
    # spans of the sentence with their features and logits, and the sentence's features
    # and logit. Kept so that `qa fit-reader` fits on exactly what the reader computes.
    choices: tuple[SpanChoice, ...] = ()
    span_logits: tuple[float, ...] = ()
    features: tuple[float, ...] = ()
    logit: float = 0.0


def named_column(index: Index, cand: Candidate, terms: dict[str, float]) -> Candidate | None:
    """A table row's candidate narrowed to the figure under the one column whose header is
    most the question's words ("which is stronger in alcohol": the "Alcohol" column, not the
    row's first number; "a larger population": "Population", not "City population growth");
    None for a sentence, or when no one column wins."""
    text = index.documents[cand.source].text
    scored = []
    for header, start, end in table_cells(text, cand.start) or ():
        found = amounts(text, start, end)
        words = words_of(index, HEADER_UNIT.sub(" ", header))
        if found and abbreviates(header, terms):  # "Mag." for "what magnification"
            scored.append((0.5, found[0]))  # below a header that names it outright
        elif found and words:
            scored.append((len(words & terms.keys()) / len(words), found[0]))
    best = max((shared for shared, _ in scored), default=0)
    won = [span for shared, span in scored if shared == best]
    return replace(cand, spans=(won[0],)) if best and len(won) == 1 else None


def _gives_whole(text: str, span: Span, whole: str) -> bool:
    """The span is the figure of `whole` itself: "the deposit of £900", "deposit: £900",
    "the £900 deposit"."""
    noun = rf"{re.escape(whole)}(?:s|es)?"
    # the whole named as such, with nothing that makes it a part ("the remaining deposit of
    # £1,200" is what is left of it)
    before = text[max(0, span.start - 40):span.start]
    return (re.search(rf"(?:^|\b(?:the|a|an|your|their|his|her|its|our|my)\s+){noun}"
                      r"(?:\s+(?:of|was|is|were|are|totalled|totalling)|:)\s+$",
                      before, re.IGNORECASE) is not None
            or re.search(r"\b(?:the|a|an|your|their|his|her|its|our|my)\s+$", before,
                         re.IGNORECASE) is not None
            and re.match(rf"\s+{noun}\b", text[span.end:span.end + 40], re.IGNORECASE) is not None)


def _named_before(text: str, words: list[tuple[int, int, str]], span: Span,
                  terms: dict[str, float]) -> bool:
    """The word right before the span is the question's, in the same cell: "reading 8.3"."""
    i = _label_at(words, span)
    return i >= 0 and words[i][2] in terms and "|" not in text[words[i][1]:span.start]


def _named_cells(index: Index, cells: Sequence[tuple[str, int, int]], terms: dict[str, float],
                 wanted: Wanted) -> list[tuple[int, int, float]]:
    """The cells of a table row at `a` under a header the question names (weight 0.6) or
    cuts short (0.3); of "Current" and "New" columns, more the one of the question's time
    (`Wanted.when`), and never a "Change" column for a question that asks for a value then."""
    out = []
    for header, start, end in cells:
        weight = (0.6 if words_of(index, HEADER_UNIT.sub(" ", header)) & terms.keys() else
                  0.3 if abbreviates(header, terms) else 0.0)
        fit = column_time_fit(header, wanted)
        if fit is not None and weight + fit > 0:
            out.append((start, end, weight + fit))
    return out


def _row_label(index: Index, text: str, cells: Sequence[tuple[str, int, int]],
               terms: dict[str, float]) -> tuple[int, int] | None:
    """The first of a table row's `cells` when it says a word of the question's: the row's
    name, which the question gives to ask for the row."""
    if not cells:
        return None
    _, start, end = cells[0]
    return (start, end) if words_of(index, text[start:end]) & terms.keys() else None


def column_time_fit(header: str, wanted: Wanted) -> float | None:
    """How well a column fits the time a question asks a figure at (`Wanted.when`): +0.3 for
    "Rent from 1 July" when it asks what the rent will be, -0.3 for "Current rent", 0 for
    a header of no time; None for a "Change" column, which gives no value then, and +0.6 for
    it (-0.3 for the others) when the question asks for the change."""
    changed = is_change_column(header)
    if wanted.change:
        return 0.6 if changed else -0.3  # "by how much will it rise?": the "Change" column
    if not wanted.when:
        return 0.0
    if changed:
        return None  # "what will it cost after the change?": not the "Change" column
    ours, other = ((_NEW_HEADER, _OLD_HEADER) if wanted.when == "new" else
                   (_OLD_HEADER, _NEW_HEADER))
    return 0.3 if ours.search(header) else -0.3 if other.search(header) else 0.0


def is_change_column(header: str) -> bool:
    """The column gives a change, not a value: "Change", "% change", "Difference", "+/-"."""
    return _CHANGE_HEADER.match(header) is not None


# Headers of a table that sets prices before and after a change side by side
_NEW_HEADER = re.compile(rf"\b(?:new|proposed|revised|future|from[ \t]+(?:\d|(?:{MONTH})\b))",
                         re.IGNORECASE)
_OLD_HEADER = re.compile(r"\b(?:current|old|previous|existing|now|was)\b", re.IGNORECASE)
_CHANGE_HEADER = re.compile(r"\W*(?:%[ \t]*)?(?:change|difference|diff|increase|decrease)\b|"
                            r"\W*[+±]", re.IGNORECASE)


_WORD = re.compile(r"\w[\w'’.]*\w|\w")
_SECONDARY = re.compile(r"from\s+$", re.IGNORECASE)
# A figure a sentence gives as part of one before it ("costs €40, including the €6 booking
# fee") answers less often than the whole, unless the question names the part. Only figures:
# "the venture, which includes A and B" names members, not parts.
_PART = re.compile(r"(?:including|includes|included|of which)(?:\s+the|\s+an?)?\s+$",
                   re.IGNORECASE)
# A count that a colon opens the breakdown of ("a crew of 14: six deckhands, five ...") is the
# whole, which "how many people" asks for
_BREAKDOWN = re.compile(r"[ \t]*:[ \t]")
# The figure a sentence's own is compared with ("$1.3 billion instead of $6 million", "up from
# NOK 350 million in 2022") is not the answer, unless the question asks for the year it is
# dated with.
_REPLACED = re.compile(r"(?:instead of|rather than|up from|down from|compared (?:with|to))\s+"
                       # "instead of the present 45 days"
                       r"(?:(?:the|its|their|our)\s+(?:current|previous|old|former|existing|"
                       r"present|original)\s+)?$", re.IGNORECASE)
# ... and a threshold it is set against ("above the 100 Bq/m³ reference level"), unless the
# question asks for that ("What is the reference level?")
_THRESHOLD = re.compile(r"(?:above|below|exceeding|exceeds|exceeded)\s+the\s+$", re.IGNORECASE)
# A date a noun is for ("the figures for May", "the budget for 2025"): the time the thing
# covers, where another date of the sentence says when it happens
_COVERED = re.compile(r"[a-z]\s+for\s+$", re.IGNORECASE)
_WORDS_AFTER = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)(?:[ \t]+([^\W\d_][\w'’-]*))?")


def _named_after(index: Index, text: str, end: int, terms: dict[str, float]) -> bool:
    """The words right after a figure are the question's: "above the 380p offer price" for
    "What was the offer price?" (not "the 100 Bq/m³ reference level" for "what level")."""
    m = _WORDS_AFTER.match(text, end)
    words = {stem(t) for t in index.tokenize(m.group())} if m else set()
    return bool(words) and words <= terms.keys()


_YEAR_AFTER = re.compile(r"\s*(?:in|for|during)\s+(?:fiscal\s+)?(\d{4})\b")
# How much a span's kind weighs against its nearness to the question's words. "Who won?" of
# "Ayanda Mokoena of South Africa won ..." is the person, though the country is nearer "won".
FIT_WEIGHT = {Kind.PERSON: 1.0}


def pick_span(index: Index, cand: Candidate, wanted: Wanted, terms: dict[str, float],
              query_vector: np.ndarray) -> Pick:
    """The answer inside a candidate sentence: its best span, or the sentence itself."""
    text = index.documents[cand.source].text
    sentence = text[cand.start:cand.end]
    if not cand.spans:
        return Pick(sentence, sentence, cand.source, cand.start, cand.end, cand.start, cand.end,
                    cand.score, "sentence")
    words = [(m.start() + cand.start, m.end() + cand.start, stem(m.group().lower()))
             for m in _WORD.finditer(sentence)]
    local = np.zeros(len(cand.spans))
    clauses = _clauses(text, words, cand.spans)
    if len(cand.spans) > 1:  # which figure in the sentence: the one whose clause means most
        windows = ([_window(text, words, s) for s in cand.spans] if clauses is None else
                   [_clause_text(text, words, clause) for clause in clauses])
        local = encode(index, windows) @ np.asarray(query_vector, np.float32)
    counts = np.zeros(len(cand.spans))
    if wanted.counted and len(cand.spans) > 1:  # "how many people": "412 patients"
        counts = _counted(index, text, cand.spans, wanted.counted, index.parses.get(cand.source))
    ranges = _ranges(text, cand.spans) if wanted.edge else {}
    edges = {k: "start" for k in ranges} | {k: "end" for k in ranges.values()}
    doers = _doers(index.parses.get(cand.source), text, cand.spans, wanted.doer)
    best, best_score = cand.spans[0], -1e9
    known = known_names(index)
    labels = _labels(words, cand.spans)
    # a question's word written right before a figure ("magnitude 8.5") names it more
    # surely than a column's header does
    # in a table's cell only: in prose the word before a figure is as often another thing's
    # ("Victoria 489 ..."), and SQuAD's fit half lost six answers to it for two
    row = sentence.lstrip().startswith("|")
    named = {k for k, s in enumerate(cand.spans) if row and _named_before(text, words, s, terms)}
    cells = table_cells(text, cand.start) or []  # the row's, under its headers
    headed = [] if named else _named_cells(index, cells, terms, wanted)
    label = _row_label(index, text, cells, terms) if row else None
    befores = [text[max(cand.start, s.start - 32):s.start] for s in cand.spans]
    sized = wanted.measured in ("big", "large") or bool(_SIZE_ASKED & terms.keys())
    sizes = _size_ends(text, cand.spans) if sized else {}
    # Figures of two owners, one of them the question's: "Mill Lane waits longest, at 140
    # minutes, compared with 95 minutes at Eastgate" for Eastgate. A duration's owner counts
    # here only, so it is read only where a figure is set against another; as a near word it
    # took "several years" over "1961" in "closed in 1961 and again several years later".
    compared = any(_REPLACED.search(before) for before in befores)
    figures = [span.kind is Kind.AMOUNT or compared and span.unit == "duration"
               for span in cand.spans]
    owners = [{stem(t) for name in owner_names(text, cand.start, cand.end, span, known)
               for t in index.tokenize(name)} if figure else set()
              for span, figure in zip(cand.spans, figures, strict=True)]
    asked_owner = [bool(owner & terms.keys()) for owner in owners]
    ours = [asked for asked, figure in zip(asked_owner, figures, strict=True) if figure]
    split = any(ours) and not all(ours)
    whole = next((k for k, span in enumerate(cand.spans[:-1]) if span.unit == "count"
                  and _BREAKDOWN.match(text, span.end) is not None), None
                 ) if wanted.counted in _PEOPLE else None
    for k, (span, cos, counted) in enumerate(zip(cand.spans, local, counts, strict=True)):
        owner = owners[k] if span.kind is Kind.AMOUNT else set()
        clause = clauses[k] if clauses else None
        score = (_nearness(words, span, terms, owner, clause, labels - {_label_at(words, span)})
                 + 0.5 * float(cos)
                 + FIT_WEIGHT.get(wanted.kind, 0.3) * fit_of(span, wanted))
        if span.kind is Kind.AMOUNT:  # what the figure counts: "109 foundation models"
            after = _counts_from(text, span, cand.spans)
            # never across a comma: "NOx 52 ppm, CO2 8.7%" counts no CO2
            following = {stem(t) for t in index.tokenize(" ".join(
                re.split(r"[,;]\s", text[after:after + 60], maxsplit=1)[0].split()[:3]))}
            score += 0.6 * coverage(terms, following)
        score += COUNTED_WEIGHT * float(counted)
        if whole is not None and k >= whole:  # "how many people": the whole, not a part
            score += 1.0 if k == whole else -0.5
        # under the column the question names ("Magnification"), less when only cut short
        # ("Mag."): a label the cell itself writes ("magnitude 8.5") says more
        score += 0.6 if k in named else max(
            (weight for start, end, weight in headed if start <= span.start < end), default=0.0)
        if wanted.measured and followed_by(text, span.end, wanted.measured):
            score += 0.6  # "48 metres (157 feet) long" for "how long"
        if label and label[0] <= span.start < label[1]:
            score -= 1.0  # "| Half plot (125 m²) | £52.00 |": the row's name, not its figure
        if k in sizes:
            score += 0.6  # "how big": a size "6 m wide by 4 m long", not one length
        before = befores[k]
        if _THRESHOLD.search(before) and not _named_after(index, text, span.end, terms):
            score -= 1.5
        elif _REPLACED.search(before):  # "rose to $9 million, up from $7 million in 2022"
            year = _YEAR_AFTER.match(text, span.end)
            asked = (year is not None and year.group(1) in terms
                     and year.group(1) not in wanted.compared
                     or _named_ordinal_after(text, span, terms))
            # "..., compared with 95 minutes at Eastgate": that place's, if asked
            score += 0.6 if asked or split and asked_owner[k] else -1.5
        elif (_SECONDARY.search(before) or span.kind is Kind.AMOUNT and _PART.search(before)
              or _of_whole(text, span, cand.spans)):
            score -= 0.4  # "from 34 to 23 minutes": the first is less likely the answer
        if (span.kind is Kind.DATE and _COVERED.search(before)
                and sum(s.kind is Kind.DATE for s in cand.spans) > 1):
            score -= 0.6  # "inflation for May will be published on 11 June": when, not for when
        if wanted.whole and len(cand.spans) > 1 and _gives_whole(text, span, wanted.whole):
            score -= 1.0  # "how much of the deposit": not "the deposit of £900" itself
        if wanted.change and CHANGE_BEFORE.search(before):
            score += 0.6  # "by how much did it fall": "a decline of 27.7%", not the new level
        score += _ordinal_fit(text, cand.start, span, cand.spans, terms)
        if wanted.edge == "range":
            score += 0.5 * (k in ranges)  # "during what period": a range's first date
        elif edges.get(k, wanted.edge) != wanted.edge:
            score -= 1.0  # "when does it open": not the "7 September" of "from 14 March to"
        if wanted.called and span.kind is not Kind.AMOUNT and wanted.called in {
                stem(w) for w in _WORD.findall(span.text)}:
            score += 0.6  # "which bank": "Harwick Bank", not the law firm beside it
        if k in doers:
            score += DOER_WEIGHT  # "Who raised it?": "raised ... by our father, Séamus Kearney"
        if score > best_score:
            best, best_score = span, score
    if wanted.edge == "range" and (k := cand.spans.index(best)) in ranges:
        last = cand.spans[ranges[k]]  # the range written whole: "1 May to 15 July"
        best = replace(best, end=last.end, text=text[best.start:last.end])
    elif (best.unit in ("mass", "volume") and any(t.startswith("dos") for t in terms)
          and (often := _how_often(text, best, cand.end))):  # "what dose": how often too
        best = replace(best, end=often.end, text=text[best.start:often.end])
    elif (size := sizes.get(cand.spans.index(best))) is not None:
        best = replace(best, end=size, text=text[best.start:size])  # "6 m wide by 4 m long"
    elif best.unit == "count" and wanted.counted in _PEOPLE and (
            groups := _groups(text, best, cand.start, cand.end)):
        # "How many people came?": "31 members and 4 guests", both groups
        best = replace(best, start=groups[0], end=groups[1], text=text[groups[0]:groups[1]])
    return Pick(best.text, sentence, cand.source, best.start, best.end, cand.start, cand.end,
                cand.score, best.kind.value, best.unit, best.value, _high(best))


# "How big is the hall?", "what size is the plot?": a size whole, "6 m wide by 4 m long"
_SIZE_ASKED = frozenset(stem(w) for w in ("size", "sizes", "dimensions", "measure", "measures"))
_SIDE = r"(?:wide|long|high|deep|tall)"
_BY_SIDE = re.compile(rf"(?:[ \t]+{_SIDE})?[ \t]*(?:by|x|×)[ \t]*")
_SIDE_AFTER = re.compile(rf"[ \t]+{_SIDE}\b")


def _size_ends(text: str, spans: Sequence[Span]) -> dict[int, int]:
    """For each length of `spans` that opens a size ("6 m wide by 4 m long", "4 m x 5 m x 3
    m"), where the size ends, its last side's word included: one pass from the right, each
    length joining the chain of the next."""
    chain: dict[int, int] = {}  # where the lengths joined from k on end
    for k in range(len(spans) - 2, -1, -1):
        a, b = spans[k], spans[k + 1]
        if a.unit == b.unit == "length" and _BY_SIDE.fullmatch(text, a.end, b.start):
            chain[k] = chain.get(k + 1, b.end)
    return {k: side.end() if (side := _SIDE_AFTER.match(text, end)) else end
            for k, end in chain.items()}


# What "how many people" counts whatever the groups are called
_PEOPLE = frozenset({"people", "persons", "individuals"})
# Two groups of people counted: "31 members and 4 guests"
_COUNT_WORD = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_AND_MORE = re.compile(rf"[ \t]+([a-z]+)[ \t]+and[ \t]+{_COUNT_WORD}[ \t]+([a-z]+)\b")
_AND_BEFORE = re.compile(rf"(?<![\w,.]){_COUNT_WORD}[ \t]+([a-z]+)[ \t]+and[ \t]+$")


# Groups of people a count names that no "which" question asks for by name
_GROUP_NOUNS = frozenset({"guests", "visitors", "adults", "staff", "spectators", "attendees",
                          "participants", "delegates", "pupils", "students", "patients",
                          "passengers", "residents", "players", "runners", "riders", "walkers",
                          "families", "juniors", "seniors", "helpers", "friends"})


def _people(noun: str) -> bool:
    return noun in _GROUP_NOUNS or person_noun(noun)


def _groups(text: str, span: Span, start: int, end: int) -> tuple[int, int] | None:
    """Where "N X and M Y" is written around the count `span` (the first count or the
    second), both groups people ("members", "guests"); None otherwise. `start`, `end`: the
    sentence's."""
    more = _AND_MORE.match(text, span.end, end)
    if more is not None and _people(more.group(1)) and _people(more.group(2)):
        return span.start, more.end()
    before = _AND_BEFORE.search(text[max(start, span.start - 40):span.start])
    after = re.match(r"[ \t]+([a-z]+)\b", text[span.end:end])
    if (before is not None and after is not None and _people(before.group(1))
            and _people(after.group(1))):
        return span.start - (len(before.string) - before.start()), span.end + after.end()
    return None


def _how_often(text: str, span: Span, end: int) -> Span | None:
    """The frequency written right after a dose ("20 mg once daily"): part of it. `end`: the
    sentence's."""
    after = amounts(text, span.end, min(end, span.end + 40))
    return after[0] if after and after[0].unit == "frequency" and not text[
        span.end:after[0].start].strip() else None


COUNTED_WEIGHT = 1.0
DOER_WEIGHT = 1.0
# Words that may stand between a coordinator and the figure of a clause that leaves out its
# verb: "and about £14,750 on a Saturday", "and in 2021 £9 million"; not "and bought 3,000"
_ELLIPTICAL = frozenset({"a", "an", "the", "about", "around", "roughly", "nearly", "almost",
                         "approximately", "some", "over", "under", "up", "to", "only", "just",
                         "at", "in", "on", "for", "of", "from", "per", "another", "then",
                         "each", "every", "with", "a further", "further", "more", "than"})
# What joins parallel clauses, each with its own figure: "£11,200 on a weekday and £14,750 on
# a Saturday", "... costs €18; delivery to Northern Ireland costs £16"; not a comma alone
# ("damages of £505,300, being £466,400 for ...": the second is a part of the first)
_COORDINATION = re.compile(r";|\b(?:and|or|but|while|whereas)\b")


def _clauses(text: str, words: list[tuple[int, int, str]], spans: Sequence[Span]
             ) -> list[tuple[int, int, int]] | None:
    """When every two neighbouring spans stand in parallel clauses, each span's clause as word
    numbers (shared, start, end): the words before the first span (`shared` of them: "The
    Waterwheel costs") are every clause's, and a clause runs from the last coordinator before
    its span to the last before the next span. Clauses are parallel when a coordinator stands
    between two spans and what follows it is the figure itself, with at most a preposition or
    a qualifier ("and £14,750 on a Friday", "and in 2021 £9 million"), or repeats a word of
    the shared start ("; delivery to Northern Ireland costs £16"); not "sold 12,000 blankets
    and bought 3,000 looms". None otherwise."""
    if len(spans) < 2:
        return None
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)
    cuts = []
    shared = next((i for i, w in enumerate(words) if w[1] > spans[order[0]].start), 0)
    before = {w for _, _, w in words[:shared] if len(w) > 3}
    for x, y in zip(order, order[1:], strict=False):
        a, b = spans[x], spans[y]
        found = [m.end() for m in _COORDINATION.finditer(text, a.end, b.start)]
        if b.start < a.end or not found:
            return None
        cut = next((i for i, w in enumerate(words) if w[0] >= found[-1]), len(words))
        lead = [w for w in words[cut:] if w[0] < b.start]
        if (not before & {w for _, _, w in lead}
                and any(text[s:e].lower() not in _ELLIPTICAL for s, e, _ in lead)):
            return None  # "is 45 minutes long and is followed by a 15-minute interval"
        cuts.append(cut)
    bounds = [shared, *cuts, len(words)]
    clauses: list[tuple[int, int, int]] = [(0, 0, 0)] * len(spans)
    for place, k in enumerate(order):
        clauses[k] = (shared, bounds[place], bounds[place + 1])
    return clauses


def _clause_text(text: str, words: list[tuple[int, int, str]],
                 clause: tuple[int, int, int]) -> str:
    """The words of a clause of `_clauses`, after the words every clause shares."""
    shared, start, end = clause
    before = text[words[0][0]:words[shared - 1][1]] + " " if shared else ""
    return before + (text[words[start][0]:words[end - 1][1]] if start < end else "")


# "from 14 March 2025 to 7 September 2025", "between 1939 and 1945", "May–June"
_RANGE_GAP = re.compile(r"\s*(?:to|until|till|through|and|[–-])\s*")
_RANGE_START = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)


def _ranges(text: str, spans: Sequence[Span]) -> dict[int, int]:
    """The ranges of two spans written "(from) A to B", "A – B" or "between A and B": the
    number of each range's first span -> its last's."""
    edges: dict[int, int] = {}
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)
    for x, y in zip(order, order[1:], strict=False):
        a, b = spans[x], spans[y]
        gap = _RANGE_GAP.fullmatch(text, a.end, b.start) if a.end <= b.start else None
        opened = _RANGE_START.search(text[max(0, a.start - 12):a.start]) is not None
        # "01.04.2025 - 31.03.2026" without "from", two of one kind; not "30 June 2025 - 17:00"
        if gap is not None and (opened or "and" not in gap.group() and a.unit == b.unit):
            edges[x] = y
    return edges


def _doers(parse: Parse | None, text: str, spans: Sequence[Span], verb: str) -> set[int]:
    """The numbers of the names among `spans` that do what a "who" question's verb says
    (`_does`); a person's name set beside such a name is the doer in its place ("chaired by
    the Dean of Studies, Prof. Dr. Annelies Furrer-Wyss")."""
    if not verb:
        return set()
    doers = set()
    for k, span in enumerate(spans):
        if span.kind in (Kind.PERSON, Kind.ORG) and _does(parse, span, verb, text):
            beside = next((j for j, other in enumerate(spans) if other.kind is Kind.PERSON
                           and span.kind is not Kind.PERSON  # "Mary Brown, Tom Reyes and"
                           and j != k and span.end <= other.start
                           and _APPOSED_NAME.fullmatch(text, span.end, other.start)), None)
            doers.add(k if beside is None else beside)
    return doers


# ", Prof. Dr. " between a post and the name of its holder
_APPOSED_NAME = re.compile(r",[ \t]+(?:[A-Z][a-z]{0,4}\.[ \t]*){0,3}")


def _does(parse: Parse | None, span: Span, verb: str, text: str) -> bool:
    """The parse makes the name `span` (or the noun it is in apposition to) the subject or
    the passive's agent of a verb starting with `verb`: "Séamus Kearney raised it", "it was
    raised by our late father, Séamus Kearney"; not "from a seed of Kilbrack Pippin"."""
    if parse is None:
        return False
    for i in parse.within(span.start, span.end):
        j = i
        for _ in range(8):  # "father, Séamus Kearney": the father's role; "the Dean of
            if parse.deps[j] in ("appos", "compound", "flat"):  # Studies, Prof. X": the Dean's
                j = parse.heads[j]
            elif parse.deps[j] == "pobj" and parse.deps[parse.heads[j]] == "prep":
                j = parse.heads[parse.heads[j]]
            else:
                break
        if parse.deps[j] == "nsubj":
            head = parse.heads[j]
        elif parse.deps[j] == "pobj" and parse.deps[parse.heads[j]] == "agent":
            head = parse.heads[parse.heads[j]]
        else:
            continue
        if text[parse.starts[head]:parse.ends[head]].lower().startswith(verb):
            return True
    return False
# "The first is due in May 2026 and the second in February 2027": the one the question's
# ordinal names
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "last", "final", "former",
                  "latter")
_ORDINAL = re.compile(rf"\b(?:the|a|an)\s+({'|'.join(_ORDINAL_WORDS)})\b", re.IGNORECASE)
_SAME_ORDINAL = {"final": "last"}  # "and a final bus at 19:40" is the last
_ORDINAL_LABEL = re.compile(rf"[(\[;,][ \t]*({'|'.join(_ORDINAL_WORDS)})[ \t]+[a-z]+"
                            r"(?:[ \t]+[a-z]+)?[ \t]*[:=][ \t]*$", re.IGNORECASE)
# "65 minutes in the first year", "88 passes in the second year": at most two words between
_ORDINAL_AFTER = re.compile(rf"(?:[ \t]+[a-z]+){{0,2}}?[ \t]+(?:in|at|of|for|during)[ \t]+the[ \t]+"
                            rf"({'|'.join(_ORDINAL_WORDS)})\b(?:[ \t]+([a-z]+))?", re.IGNORECASE)


def _named_ordinal_after(text: str, span: Span, terms: dict[str, float]) -> bool:
    """The figure is one the question names by its ordinal and noun after it: "74 minutes in
    the first round" for "... in the first round?"."""
    m = _ORDINAL_AFTER.match(text, span.end)
    return (m is not None and m.group(2) is not None and stem(m.group(1).lower()) in terms
            and stem(m.group(2).lower()) in terms)


_ORDINAL_STEM = {w: stem(w) for w in _ORDINAL_WORDS}


def _ordinal_fit(text: str, start: int, span: Span, spans: Sequence[Span],
                 terms: dict[str, float]) -> float:
    """+0.8 when the ordinal just before the span (no other span between), or one after it
    with a noun of the question's, is the question's, -0.4 when the question says another
    (-1.2 when it labels the span, "(first year: 61)", or names it after with the question's
    noun, "88 passes in the second year"); 0 when either says none."""
    if not terms.keys() & _ORDINAL_STEM.values():
        return 0.0
    since = max((s.end for s in spans if s.end <= span.start), default=start)
    said = {_SAME_ORDINAL.get(w, w) for w, w_stem in _ORDINAL_STEM.items() if w_stem in terms}
    # a label of its own: "88 took part (first year: 61)" gives the first's
    label = _ORDINAL_LABEL.search(text, max(since, span.start - 40), span.start)
    if label:
        word = label.group(1).lower()
        return 0.8 if _SAME_ORDINAL.get(word, word) in said else -1.2
    # or after it, with a noun of the question's: "40 days, against 65 days in the first
    # round" (not "30 minutes in the first hour" for the second round)
    after = _ORDINAL_AFTER.match(text, span.end)
    if after and after.group(2) and stem(after.group(2).lower()) in terms:
        word = after.group(1).lower()
        return 0.8 if _SAME_ORDINAL.get(word, word) in said else -1.2
    found = [m.group(1) for m in _ORDINAL.finditer(text, since, span.start)]
    if not found:
        return 0.0
    word = found[-1].lower()
    return 0.8 if _SAME_ORDINAL.get(word, word) in said else -0.4


_OF_THE = re.compile(r"\s+of\s+(?:the|its|their)\s+")


def _whole_of(text: str, span: Span, spans: Sequence[Span]) -> Span | None:
    """The figure `span` is a part of: "seven" for "five" of "five of the seven regions"."""
    m = _OF_THE.match(text, span.end)
    return None if m is None else next(
        (s for s in spans if s.start == m.end() and s.kind is Kind.AMOUNT), None)


def _counts_from(text: str, span: Span, spans: Sequence[Span]) -> int:
    """Where the words saying what `span` counts start: after it, or after the whole it is
    part of ("five of the seven regions" counts regions too)."""
    return (_whole_of(text, span, spans) or span).end


def _of_whole(text: str, span: Span, spans: Sequence[Span]) -> bool:
    """`span` is the whole a count before it is part of: "seven" of "five of the seven
    regions" (the regions it rose in are five)."""
    return any(_whole_of(text, s, spans) is span for s in spans if s.kind is Kind.AMOUNT)


def _counted(index: Index, text: str, spans: Sequence[Span], noun: str,
             parse: Parse | None = None) -> np.ndarray:
    """How near in meaning the word after each count is to the noun the question counts
    ("people": "patients" 0.39, "hospitals" 0.28); 0 for a span that is no count. Where the
    parse says which noun a count modifies, the words up to it are read ("Forty-two primary
    schools": "primary schools", not "primary")."""
    follows = [(_counted_noun(text, s, parse)
                or counted_phrase(text, _counts_from(text, s, spans))) if s.unit == "count"
               else None for s in spans]
    words = [phrase for phrase in follows if phrase]
    if not words:
        return np.zeros(len(spans))
    vectors = encode(index, [noun, *words])
    near = iter((vectors[1:] @ vectors[0]).tolist())
    return np.array([next(near) if phrase else 0.0 for phrase in follows])


def _counted_noun(text: str, span: Span, parse: Parse | None) -> str | None:
    """The words from the count `span` to the noun it modifies, when the parse makes the
    count's last token a number modifier of a noun at most three tokens on."""
    tokens = parse.within(span.start, span.end) if parse is not None else range(0)
    if not tokens:
        return None
    last = tokens[-1]
    head = parse.heads[last]
    if (parse.deps[last] != "nummod" or not last < head <= last + 3
            or not parse.tags[head].startswith("NN")):
        return None
    return text[span.end:parse.ends[head]].strip() or None


def _window(text: str, words: list[tuple[int, int, str]], span: Span, width: int = 6) -> str:
    inside = [i for i, w in enumerate(words) if w[0] < span.end and span.start < w[1]]
    lo = max(0, (inside[0] if inside else 0) - width)
    hi = min(len(words) - 1, (inside[-1] if inside else 0) + width)
    return text[words[lo][0]:words[hi][1]]


def _label_at(words: list[tuple[int, int, str]], span: Span) -> int:
    """The index of the word right before the span: its label, when one is written ("CO2
    8.7%"); -1 when the span opens the sentence. Words are in order, so their ends are."""
    return bisect.bisect_right(words, span.start, key=lambda w: w[1]) - 1


def _labels(words: list[tuple[int, int, str]], spans: Sequence[Span]) -> set[int]:
    return {_label_at(words, s) for s in spans}


def _nearness(words: list[tuple[int, int, str]], span: Span, terms: dict[str, float],
              owner: set[str], clause: tuple[int, int, int] | None = None,
              others: Collection[int] = ()) -> float:
    """Question words close to the span (rarer words count more): 1 when all are adjacent.
    The span's owner counts as adjacent. In a sentence of parallel clauses (`_clauses`) only
    the span's own clause counts, and the words all clauses share are as near to each span
    as to the first. A word after the span that labels another span (`others`: "NOx 52 ppm,
    CO2 8.7%") is that one's, not near this one."""
    inside = [i for i, w in enumerate(words) if w[0] < span.end and span.start < w[1]]
    if not inside:
        return 0.0
    lo, hi = inside[0], inside[-1]
    total = sum(terms.values()) or 1.0
    near = 0.0
    shared, start, end = clause or (0, 0, len(words))
    for term, weight in terms.items():
        gaps = [shared - i if i < shared else lo - i if i < lo else i - hi
                for i, w in enumerate(words) if w[2] == term and not lo <= i <= hi
                and (i < shared or start <= i < end) and not (i > hi and i in others)]
        # an owner the clauses share ("Parking in the lane costs ...; parking in the garage
        # costs ...") is no nearer to the first
        if term in owner and (clause is None or any(w[2] == term for w in words[start:end])):
            gaps.append(1)
        if gaps:
            near += weight / min(gaps)
    return near / total


def _high(span: Span) -> float | None:
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", span.text)
    if span.value is None or len(numbers) < 2:
        return span.value
    low, high = (float(n.replace(",", "")) for n in numbers[:2])
    return span.value * high / low if low else span.value


# --- disagreeing sources -------------------------------------------------------------------

def disagreeing(index: Index, cands: Sequence[Candidate], pick: Pick, wanted: Wanted,
                terms: dict[str, float], query_vector: np.ndarray,
                floor: float) -> tuple[Pick, ...]:
    """The same figure as other sources give it, when their value differs from the answer's.

    "The same figure" means: a close score, the same unit (money or percent), the same kind
    of figure (`qa.reader.owners.what_of`: a fall, a cost ...) and the same owner (`owner_of`);
    when an owner cannot be told, both sentences must at least name one organization in
    common. A percentage that rose is not one that fell, and a figure about something else
    is not another value of this one.
    So Quarric's fall of "15%" in one source and "almost 17 percent" in another show side by
    side; a different company's figure or a rise next to a fall do not."""
    if pick.kind != Kind.AMOUNT.value or pick.value is None:
        return ()
    what, owner = _about(index, pick)
    if what is None:
        return ()
    shown, out = [pick], []
    for cand in cands[1:]:
        if cand.score < max(floor, cands[0].score - ALTERNATIVE_MARGIN):
            break
        if any(cand.source == p.source for p in shown):
            continue
        other = pick_span(index, cand, wanted, terms, query_vector)
        if other.value is None or not comparable(other, pick):
            continue
        other_what, other_owner = _about(index, other)
        if other_what != what or not _same_owner(owner, other_owner, pick, other,
                                                 known_names(index)):
            continue
        if any(_same(other, p) for p in shown):
            continue
        shown.append(other)
        out.append(other)
        if len(out) == 2:
            break
    return tuple(out)


def _about(index: Index, pick: Pick) -> tuple[str | None, str | None]:
    text = index.documents[pick.source].text
    span = Span(Kind.AMOUNT, pick.start, pick.end, pick.text, pick.unit, pick.value)
    a, b = pick.sentence_start, pick.sentence_end
    return what_of(text, a, b, span), owner_of(text, a, b, span, known_names(index))[0]


def _same_owner(owner: str | None, other_owner: str | None, pick: Pick, other: Pick,
                known: KnownNames) -> bool:
    if owner and other_owner:
        return owner == other_owner
    return bool({s.text for s in organizations(pick.sentence, known)}
                & {s.text for s in organizations(other.sentence, known)})


def unit_class(unit: str | None) -> str | None:
    return "%" if unit in ("%", "fraction") else unit


def comparable(a: Pick, b: Pick) -> bool:
    """Two figures whose values can be set side by side: the same currency (or both
    percentages, or both counts), and a measure in the same unit as written ("12 g" and "1 kg"
    are both masses, but 12 is not more than 1)."""
    if unit_class(a.unit) != unit_class(b.unit):
        return False
    # bare numbers both: cells of one column, its header's unit ("Weight (kg)")
    return a.unit not in DIMENSIONS or _unit_word(a.text) == _unit_word(b.text)


def _unit_word(text: str) -> str:
    word = text.split()[-1].lower() if text.split() else ""
    return word if any(c.isalpha() for c in word) else ""


def _same(a: Pick, b: Pick) -> bool:
    """Equal values, or one inside the other's range: "$40 billion" vs "$25-40 billion"."""
    lo_a, hi_a = a.value, a.high or a.value
    lo_b, hi_b = b.value, b.high or b.value
    tol = 0.01 * max(abs(hi_a), abs(hi_b), 1e-9)
    return lo_a - tol <= hi_b and lo_b - tol <= hi_a
