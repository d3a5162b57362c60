"""Read the best passages for a question and pick the sentence and span that answer it.

`read` is what `qa.answer.ask` calls; see that module's docstring for the steps. A comparison
("who spends more, A or B?") or a superlative across sources is read by `qa.reader.compare`;
any other question by its candidate sentences (`qa.reader.candidates`): the best one's span
is the answer when the no-answer model (or, without it, `NO_ANSWER_SCORE`) is sure enough,
else the reader declines and gives that span as the closest candidate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.ingest.chunking import is_field
from qa.ingest.context import table_cells
from qa.ingest.entities import NOUN_PHRASE, Parse
from qa.language import NAME_TITLE
from qa.reader.admit import asked_cause, person_before
from qa.reader.base import Reading
from qa.reader.candidates import PHRASES, answerable, candidates
from qa.reader.clauses import (
    answering_clause,
    defining_clause,
    kind_asked,
    kind_named,
    listed_after,
    new_code,
    object_list,
    said_after_colon,
)
from qa.reader.comparative import comparison, superlative
from qa.reader.compare import compare, rank_figures
from qa.reader.extract import (
    CURRENCIES,
    DIMENSIONS,
    Kind,
    amounts,
    dates,
    header_unit,
    phone_numbers,
)
from qa.reader.fields import field_answer, stored_spans
from qa.reader.learned import SPAN_FEATURES, ReaderModel, SpanChoice, load_model, question_keys
from qa.reader.lists import counted_list, written_list
from qa.reader.names import address_after
from qa.reader.pick import (
    Candidate,
    Pick,
    column_time_fit,
    disagreeing,
    is_change_column,
    pick_span,
)
from qa.reader.question import (
    Wanted,
    definiendum,
    items_asked,
    lead_wh,
    list_item,
    stem,
    words_of,
)
from qa.reader.scope import unknown_names
from qa.reader.spans import MONTH, WEEKDAY
from qa.reader.typed import HEADER_UNIT, counts_things, header_unit_words
from qa.search.base import Ranking
from qa.store.index import Index

__all__ = [
    "NO_ANSWER_SCORE", "Candidate", "ExtractiveReader", "Pick", "Reading", "learned_pick",
    "list_around", "read",
]


COMPARED_PASSAGES = 5  # the best passages a stated comparison is looked for in
NO_ANSWER_SCORE = 0.935  # below this best-sentence score the sources are taken not to answer


@dataclass(frozen=True, slots=True)
class ExtractiveReader:
    """The Reader: picks the sentence and span that answer, quoted from the corpus.
    `model` as `read` takes it: the shipped learned model by default."""

    model: ReaderModel | None | bool = True

    def read(self, question: str, ranking: Ranking, corpus: Index, *,
             query_vector: np.ndarray | None = None) -> Reading:
        if query_vector is None:
            query_vector = corpus.embedder.encode([question])[0]
        return read(corpus, question, query_vector, ranking, self.model)


def read(index: Index, question: str, query_vector: np.ndarray, ranking: Ranking,
         model: ReaderModel | None | bool = True) -> Reading:
    """The answer to `question` from the passages of `ranking` (see qa.answer for the steps)."""
    if model is True:
        model = load_model()
    asked = comparison(question)
    if asked is not None and (compared := compare(index, question, asked, ranking.mode, model,
                                                  ranking.ids[:COMPARED_PASSAGES].tolist())):
        return compared
    most = superlative(question)
    if most is not None and (ranked := rank_figures(index, question, most, ranking.mode, model)):
        return ranked
    wanted, terms, cands, why_not = candidates(index, question, None, query_vector,
                                               ranking=ranking, model=model)
    if model:
        wanted = _whole(question, wanted)
    if not cands:
        closest = None
        if unknown_names(index, question):  # refused for the name; its closest sentence shown
            _, terms, cands, _ = candidates(index, question, None, query_vector,
                                            ranking=ranking, model=model, unknown_ok=True)
            closest = _pick(index, question, wanted, terms, cands, query_vector, model)
        return Reading(None, (), _declined(why_not or ""), wanted.label, (), rejected=closest)
    best = cands[0]
    sureness = None
    pick = _pick(index, question, wanted, terms, cands, query_vector, model)
    if model:
        logit = answerable(cands, model)
        sure, sureness = logit >= model.answer_threshold, model.sureness(logit)
    else:
        sure = best.score >= NO_ANSWER_SCORE
    # A table's cell where the row and the column the question names cross answers it, however
    # little of the question's wording the row itself holds (the models learned from prose),
    # and so does a form's field labelled with what the question asks for.
    field = _field_pick(index, question, wanted, terms, cands, query_vector, model, pick)
    pick = field or pick
    sure = sure or pick.kind == "cell" or field is not None
    if not sure:
        return Reading(None, (), _declined("The closest sentences are only loosely related."),
                       wanted.label, tuple(cands), rejected=pick)
    if (wanted.strict and wanted.kind is not None
            or _asks_date(question, wanted)) and pick.kind == "sentence":
        # "What time does it leave?" asks for a clock, "what did it cost" for money, "in what
        # year" for a year: a sentence that gives none does not answer, however close it is
        what = PHRASES.get(wanted.label, "an answer")
        return Reading(None, (), _declined(f"No passage gives {what}."), wanted.label,
                       tuple(cands), rejected=pick)
    alternatives = disagreeing(index, cands, pick, wanted, terms, query_vector,
                               0.0 if model else NO_ANSWER_SCORE)
    return Reading(pick, alternatives, None, wanted.label, tuple(cands), sureness=sureness)


def _asks_date(question: str, wanted: Wanted) -> bool:
    """The question asks for a date of a kind it names ("in what year", "on which day", "how
    long"); a "when" question does not, since a clause may answer it ("when funds run short",
    "When is the deadline this year?")."""
    return (wanted.kind is Kind.DATE and "century" not in wanted.prefer
            and lead_wh(question) != "when")


def _field_pick(index: Index, question: str, wanted: Wanted, terms: dict[str, float],
                cands: Sequence[Candidate], query_vector: np.ndarray,
                model: ReaderModel | None, best: Pick) -> Pick | None:
    """The value of the best candidate that is a form's field labelled with what the
    question asks for (`qa.reader.fields.field_answer`), quoted in its sentence; None if none
    is. `best` is the first candidate's pick, made already."""
    for i, cand in enumerate(cands):
        found = field_answer(index, cand.source, cand.start, cand.end, question, terms,
                             wanted.kind is Kind.DATE)
        if found is not None:
            pick = best if i == 0 else _pick(index, question, wanted, terms,
                                             [cand, *cands[:i], *cands[i + 1:]], query_vector,
                                             model)
            quoted = _quoted(pick, index.documents[cand.source].text, found, "phrase")
            return _titled(index, quoted) if wanted.kind is Kind.PERSON else quoted
    return None


def _pick(index: Index, question: str, wanted: Wanted, terms: dict[str, float],
          cands: Sequence[Candidate], query_vector: np.ndarray, model: ReaderModel | None
          ) -> Pick | None:
    """The span of the best candidate, learned or by the rules; None without candidates."""
    if not cands:
        return None
    if not model:
        pick = pick_span(index, cands[0], wanted, terms, query_vector)
    else:
        pick = learned_pick(index, cands[0], wanted, terms, query_vector, model)
    if "code" in wanted.prefer:
        pick = _code(index, question, pick, "identifier" in wanted.prefer) or pick
    if "phone" in wanted.prefer:
        pick = _phone(index, question, pick) or pick
    if wanted.kind is None and (noun := _NUMBERED_ASKED.search(question.lower())):
        pick = _numbered(index, question, noun.group(1), pick) or pick
    pick = _table_cell(index, wanted, terms, pick) or pick
    if wanted.kind is None and pick.kind in ("phrase", "sentence"):
        pick = _parsed_answer(index, question, terms, pick) or pick
    if wanted.kind is None and pick.kind in ("phrase", "sentence"):
        pick = _apposed(index, question, cands[0], pick) or pick  # "which candidate": hers
    if wanted.kind is Kind.PERSON and not cands[0].spans:  # no name in the sentence itself
        pick = _named_before(index, pick) or pick
    text = index.documents[pick.source].text
    if wanted.kind is Kind.PLACE and pick.kind != "sentence" and (
            end := address_after(text, pick.end)):
        pick = replace(pick, text=text[pick.start:end], end=end)  # "..., 12 Mill Street"
    if wanted.many and not _ALONG_WITH.search(question):
        if wanted.kind is None and pick.kind == "phrase":
            pick = _as_list(index, pick) or pick  # "What problems did residents raise?"
        if wanted.kind is None and pick.kind != "list" and (items := items_asked(question)):
            pick = _counted_list(index, pick, items) or pick  # "Which three things ...?"
        elif wanted.kind is not None and (pick.kind == wanted.kind.value or (
                wanted.kind is Kind.PERSON and pick.kind == "org")):
            pick = _names_list(index, cands[0], pick, beside=True)  # "In which countries?"
    elif (wanted.kind is Kind.PERSON and pick.kind == "person"
          and is_field(index.documents[pick.source].text, pick.sentence_start, pick.sentence_end)):
        pick = _field_names(index, cands[0], pick)  # "Applicant: Mr Ray Kell and Mrs Ada Kell"
    subject = definiendum(question)
    if subject and pick.kind == "sentence":  # "What is X": the words that define X, marked
        text = index.documents[pick.source].text
        found = defining_clause(text, pick.sentence_start, pick.sentence_end, subject)
        if found is not None:
            pick = _quoted(pick, text, found, "clause")
    possessive = _POSSESSIVE.search(pick.text) if pick.kind not in ("sentence", "clause") else None
    if possessive:  # "Prof. de Villiers's evidence": the answer is the name
        pick = replace(pick, text=pick.text[:possessive.start()],
                       end=pick.end - len(possessive.group()))
    return pick


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")


# "Along with mills and mines, what else ...": the items the list has left, not all of it
_ALONG_WITH = re.compile(r"\b(?:along with|besides|apart from|other than|in addition to|"
                         r"as well as|aside from)\b", re.IGNORECASE)


def _code(index: Index, question: str, pick: Pick, identifiers: bool) -> Pick | None:
    """ "Which command should I use?": the first code its sentence writes that the question
    does not ("`legacy_export` is gone; use `tally export --format=v2`"), without backticks."""
    text = index.documents[pick.source].text
    found = new_code(text, pick.sentence_start, pick.sentence_end, question, identifiers)
    if found is None:
        return None
    return _quoted(pick, text, found, "code")


def _phone(index: Index, question: str, pick: Pick) -> Pick | None:
    """ "What number do I ring to book?": the first telephone number its sentence writes that
    the question does not."""
    text = index.documents[pick.source].text
    found = next((span for span in phone_numbers(text, pick.sentence_start, pick.sentence_end)
                  if text[span[0]:span[1]] not in question), None)
    return None if found is None else _quoted(pick, text, found, "phrase")


# Things told apart by a number: "Which platform does it leave from?" is answered by
# "Platform 4", "which court is it on" by "Court 3"
_NUMBERED_ASKED = re.compile(r"\b(?:which|what) (?:[a-z]+ )?(channel|platform|gate|room|stand|"
                             r"pitch|court|bay|berth|pier|route|track|lane|table|seat|row|pen|"
                             r"plot|stall|booth|terminal|door|entrance|exit|floor|ward|coach|"
                             r"carriage|block|locker|hole|tee|frequency)\b")


def _numbered(index: Index, question: str, noun: str, pick: Pick) -> Pick | None:
    """The `noun` and its number in the pick's sentence ("channel 16", "Platform 4B"), one
    the question does not write; None if the sentence numbers none."""
    text = index.documents[pick.source].text
    pattern = re.compile(rf"\b{noun}s?[ \t]+(?:no\.?[ \t]*)?(?:\d+[A-Za-z]?|(?-i:[A-Z])\d*)\b",
                         re.IGNORECASE)
    found = next((m for m in pattern.finditer(text, pick.sentence_start, pick.sentence_end)
                  if m.group().lower() not in question.lower()), None)
    if found is None:
        return None
    start = found.start()
    for _ in range(2 if text[start].isupper() else 0):  # of a name: "State Route 9"
        word = _WORD_BEFORE.search(text, max(pick.sentence_start, start - 20), start)
        if word is None or word.start() <= pick.sentence_start:
            break  # a sentence's first word is capitalized whatever it is
        start = word.start()
    return _quoted(pick, text, (start, found.end()), "phrase")


_WORD_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")


def _table_cell(index: Index, wanted: Wanted, terms: dict[str, float], pick: Pick
                ) -> Pick | None:
    """A table row's cell under the column the question names: "What is the engine power of
    the Seal 12?" against "| Seal 12 | 12.5 | 220 |" under "| Boat | Length (m) | Engine
    power (kW) |" is 220. A column is named when every word of its header (less a unit in
    brackets) is a word of the question; the one with what a "how many" counts wins, else the
    one with most words; failing that, the one header most of whose words are the question's.
    A cell the question writes (the row's own name) is not its answer, and a figure is asked
    for only from a cell that writes one. The pick is a "cell" when the question names the row
    too (one of its cells' words are all the question's), else a "phrase"."""
    text = index.documents[pick.source].text
    cells = table_cells(text, pick.sentence_start)
    if not cells:
        return None
    figure = wanted.kind in (Kind.AMOUNT, Kind.DATE)
    # "How many observers reported comets?": of "Reports" and "Observers", what it counts
    counted = words_of(index, wanted.counted.split()[0]) if wanted.counted else set()
    named: list[tuple[int, tuple[int, int]]] = []  # headers all of whose words it says
    shares: list[tuple[float, tuple[int, int]]] = []  # the rest, by the share it says
    row_named = False
    for i, (header, start, end) in enumerate(cells):
        words = words_of(index, HEADER_UNIT.sub(" ", header))
        if wanted.kind is Kind.DATE and words - _WHEN_WORDS:
            words -= _WHEN_WORDS  # "When is it ready for picking?": "Picking time"
        own = words_of(index, text[start:end])
        if own and own <= terms.keys():
            row_named = True
        elif figure and i == 0 and own & terms.keys():
            # the row's name in part: the first cell of "| Single room (en suite) | £85 |"
            # names the row the question asks about, and gives no figure
            continue
        elif words and start < end and (not figure or _has_digit(text, start, end)
                                        or wanted.kind is Kind.DATE and _dated(text, start, end)):
            # "the photodetector project": a column of names gives no figure asked for
            fit = column_time_fit(header, wanted)
            if fit is None:
                continue  # "what will it cost after the change?": no "Change" column
            if words <= terms.keys():
                # of "Current rent" and "New rent", the one of the question's time
                named.append((len(words) + (len(terms) if counted and counted <= words else 0)
                              + fit, (start, end)))
            else:
                shares.append((len(words & terms.keys()) / len(words), (start, end)))
    best = max(named, key=lambda n: n[0])[1] if named else None
    if best is None and wanted.change:  # "how much will it go up by?": the "Change" column
        best = next(((a, b) for h, a, b in cells
                     if is_change_column(h) and _has_digit(text, a, b)), None)
    # "What does a bottle of it cost?" asks for money: of "Bottles" and "Cellar door price",
    # the column whose cell writes a sum, named by a word of the question if more than one
    # does; only where no column's header is all the question's words ("Revenue (£m)")
    fitting = [(_said(words_of(index, h), terms) + timed, (a, b)) for h, a, b in cells
               if best is None and wanted.kind is Kind.AMOUNT and wanted.prefer
               and (wanted.strict or wanted.prefer <= {"%", "fraction"})
               and _fits(text, h, a, b, wanted.prefer)
               and (timed := column_time_fit(h, wanted)) is not None]
    if fitting:
        overlap, cell = max(fitting, key=lambda f: f[0])
        best = cell if overlap > 0 or len(fitting) == 1 else None
    # "what time do I get to Fenwick Haven?": the one header most of whose words the question
    # says ("Fenwick Haven arrive"), when none is all its words and no sum asked for fits
    top = max((share for share, _ in shares), default=0.0)
    if (best is None and not fitting and top > 0.5
            and [share for share, _ in shares].count(top) == 1):
        best = next(cell for share, cell in shares if share == top)
    if best is None:
        return None
    return _quoted(pick, text, best, "cell" if row_named else "phrase")


def _dated(text: str, a: int, b: int) -> bool:
    """The cell text[a:b] writes a date, or a month alone ("early May": no modal verb here)."""
    return bool(dates(text, a, b)) or _MONTH_CELL.fullmatch(text, a, b) is not None


_MONTH_CELL = re.compile(rf"\s*(?:(?:early|mid|late)[\s-]+)?(?:{MONTH})\.?\s*", re.IGNORECASE)
# A date column's header words that a "when" question does not say: "Picking time"
_WHEN_WORDS = frozenset(stem(w) for w in ("time", "date", "dates", "day", "month", "season",
                                          "period", "when", "year"))


def _said(words: set[str], terms: dict[str, float]) -> int:
    """How many header words the question says, a compound by its first part: "Rainfall"
    is the question's "rain"."""
    return sum(w in terms or any(len(t) >= 4 and w.startswith(t) for t in terms)
               for w in words)


def _has_digit(text: str, a: int, b: int) -> bool:
    return any(c.isdigit() for c in text[a:b])


def _fits(text: str, header: str, a: int, b: int, units: frozenset[str]) -> bool:
    """The cell text[a:b] writes a figure in one of `units`, itself ("ZAR 260") or by its
    header's unit in brackets ("500" under "Award (KRW million)", "+31" under "Change (%)")."""
    if any(s.unit in units for s in amounts(text, a, b)):
        return True
    words = header_unit_words(header)
    return bool(words) and _has_digit(text, a, b) and header_unit(words) in units


def _parsed_answer(index: Index, question: str, terms: dict[str, float],
                   pick: Pick) -> Pick | None:
    """What the sentence's parse says answers "what kind of gloves" ("butyl rubber"), "what
    do I need to bring" (the list it brings) or "what are the main sights" (the list after
    "are"), or the list after a colon that "which measures" asks for."""
    text, parse = index.documents[pick.source].text, index.parses.get(pick.source)
    a, b = pick.sentence_start, pick.sentence_end
    noun = kind_asked(question)
    if noun and (found := kind_named(text, a, b, parse, noun, terms.keys(), stem)):
        return _quoted(pick, text, found, "phrase")
    found = (object_list(text, a, b, parse, question, terms.keys(), stem)
             or listed_after(text, a, b, parse, question)
             or said_after_colon(text, a, b, question))
    return None if found is None else _quoted(pick, text, found, "list")


def _quoted(pick: Pick, text: str, span: tuple[int, int], kind: str) -> Pick:
    """`pick` narrowed to text[span] inside its sentence, as a `kind` of answer."""
    start, end = span
    return replace(pick, text=text[start:end], start=start, end=end, kind=kind)


# A name set beside a noun after a comma, with a short title before it: "the candidate, Dr
# Tamsin Reoch,"
_APPOSED = r"s?,\s+(?P<title>[A-Z][a-z]{0,4}\.?\s+)?"


def _apposed(index: Index, question: str, cand: Candidate, pick: Pick) -> Pick | None:
    """ "Which candidate took Millbrae East?": the name the sentence sets beside the noun ("the
    Green Commons candidate, Dr Tamsin Reoch, overturned ..."), title and all, not another
    name of the sentence."""
    coarse, fine = question_keys(question)
    if coarse != "which" or fine == coarse:
        return None
    noun = re.escape(fine.split()[1].removesuffix("s"))
    text = index.documents[pick.source].text
    parse = index.parses.get(pick.source)
    pattern = re.compile(rf"\b(?i:{noun}){_APPOSED}")
    for m in pattern.finditer(text, pick.sentence_start, pick.sentence_end):
        if not _is_subject(parse, m.start()):
            continue  # "beating the Labour candidate, Mr Owen Smith,": not the one who won
        at = m.start("title") if m.group("title") else m.end()
        name = next((c for c in cand.choices if c.start in (at, m.end())
                     and _family(text, c) == "name"), None)
        if name is not None:
            return _quoted(pick, text, (at, name.end), "phrase")
    return None


def _is_subject(parse: Parse | None, at: int) -> bool:
    """The stored parse makes the token starting at `at` its clause's subject."""
    return parse is not None and any(parse.deps[i] in ("nsubj", "nsubjpass")
                                     for i in parse.within(at, at + 1))


def _as_list(index: Index, pick: Pick) -> Pick | None:
    """The list the sentence writes, holding the picked phrase if one does (`written_list`)."""
    text = index.documents[pick.source].text
    found = written_list(text, pick.sentence_start, pick.sentence_end,
                         index.parses.get(pick.source), (pick.start, pick.end))
    if found is None:
        return None
    return _quoted(pick, text, found, "list")


def _counted_list(index: Index, pick: Pick, items: int) -> Pick | None:
    """The sentence's list of as many items as the question asks for (`counted_list`)."""
    text = index.documents[pick.source].text
    found = counted_list(text, pick.sentence_start, pick.sentence_end,
                         index.parses.get(pick.source), items)
    if found is None:
        return None
    return _quoted(pick, text, found, "list")


_PLACE_TYPES = frozenset({"GPE", "LOC"})


def _names_list(index: Index, cand: Candidate, pick: Pick, beside: bool = False) -> Pick:
    """The picked name with the names of its kind listed with it ("Japan and South Korea");
    `beside`: or the sentence's one list, when the name stands alone as another noun's
    modifier ("approval by Acme shareholders and clearance from A, B and C")."""
    text = index.documents[pick.source].text
    # a list of names may hold people and what the finder took for organizations: "Noes:
    # Halloway, Ruiz"
    kinds = {"person", "org"} if pick.kind in ("person", "org") else {pick.kind}
    items = {(s.start, s.end) for s in cand.spans if s.kind.value in kinds}
    if pick.kind == "place":  # "Portugal, Spain or the Canary Islands": what the rules miss,
        # the entity finder may have marked
        items |= {(s, e) for s, e, types in stored_spans(index, pick.source, cand.start, cand.end)
                  if types & _PLACE_TYPES and not any(p < e and s < q for p, q in items)}
    items = sorted(items)
    start, end = _run_around(text, items, (pick.start, pick.end), articles=True)
    if (start, end) == (pick.start, pick.end):
        if not beside or not _modifier(index.parses.get(pick.source), pick):
            return pick
        lists = _runs(text, items)
        if len(lists) != 1:
            return pick
        start, end = lists[0]
    return replace(pick, text=text[start:end], start=start, end=end)


def _modifier(parse: Parse | None, pick: Pick) -> bool:
    """The picked name modifies the noun after it ("Acme shareholders", as the parse hangs
    it): it names whose the thing is, not an answer of its own ("Peru" of "visited Peru")."""
    if parse is None:
        return False
    tokens = parse.within(pick.start, pick.end)
    return bool(tokens) and parse.deps[tokens[-1]] in ("compound", "nmod") and parse.heads[
        tokens[-1]] > tokens[-1]


def _runs(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lists of two or more of `items` (sorted) that the text writes, in one pass: each
    group of neighbours joined by list punctuation, read as `_run_around` reads it."""
    found, first = [], 0
    for k in range(1, len(items) + 1):
        if k == len(items) or not (items[k - 1][1] <= items[k][0] and _NAMES_GAP.fullmatch(
                text, items[k - 1][1], items[k][0])):
            if k - first > 1:
                group = items[first:k]
                run = _run_around(text, group, group[0], articles=True)
                if run != group[0]:
                    found.append(run)
            first = k
    return found


def _field_names(index: Index, cand: Candidate, pick: Pick) -> Pick:
    """A field's names, all of them, when its value lists several, from the first one's title:
    "Applicant: Mr Ray Kell and Mrs Ada Kell"; a single name with its title too ("Module
    leader: Dr Ana Ruiz"), as the field gives it."""
    return _titled(index, _names_list(index, cand, pick))


def _titled(index: Index, pick: Pick) -> Pick:
    """The name with the title the field writes before it: "Professor Ana Ruiz"."""
    text = index.documents[pick.source].text
    title = _TITLE_BEFORE.search(text, max(pick.sentence_start, pick.start - 12), pick.start)
    return pick if title is None else replace(pick, text=text[title.start():pick.end],
                                              start=title.start())


def _named_before(index: Index, pick: Pick) -> Pick | None:
    """ "Who wrote it?" answered by "He also wrote it.": the person the sentence before names,
    quoted with both sentences (`person_before`)."""
    found = person_before(index, pick.source, pick.sentence_start)
    if found is None:
        return None
    text = index.documents[pick.source].text
    return replace(pick, text=found.text, start=found.start, end=found.end,
                   sentence=text[found.sentence_start:pick.sentence_end],
                   sentence_start=found.sentence_start, kind="person", unit=None, value=None,
                   high=None)


def _whole(question: str, wanted: Wanted) -> Wanted:
    """ "What is X" (a list's item) is answered by the definition (the item), whole."""
    if definiendum(question) or list_item(question):
        return replace(wanted, prefer=wanted.prefer | {"whole"})
    return wanted


def learned_pick(index: Index, cand: Candidate, wanted: Wanted, terms: dict[str, float],
                 query_vector: np.ndarray, model: ReaderModel) -> Pick:
    """The rules' typed span when they found one; else the learned best span when it is
    sure enough, else the whole sentence."""
    text = index.documents[cand.source].text
    clause = answering_clause(text, cand.start, cand.end, wanted)
    if clause is None and "reason" in wanted.prefer:  # "X, so Y" for "why Y"
        clause = asked_cause(index, terms, text, cand.start, cand.end)
    if clause is not None:  # "why": the cause, "how": the means, inside its sentence
        return Pick(text[clause[0]:clause[1]], text[cand.start:cand.end], cand.source,
                    clause[0], clause[1], cand.start, cand.end, cand.score, "clause")
    if (cand.spans or not cand.choices or wanted.strict
            or wanted.prefer & {"whole", "reason", "manner"}):  # strict: no other unit's span
        pick = pick_span(index, cand, wanted, terms, query_vector)
        return replace(pick, score=cand.score)
    logits = np.asarray(cand.span_logits)
    if wanted.kind in (Kind.PLACE, Kind.PERSON, Kind.ORG):  # "where": never "9 May 1241"
        logits = np.where([_is_figure(text, c) for c in cand.choices], -np.inf, logits)
    elif wanted.counted and counts_things(wanted.counted):  # "how many miners": not "70 m"
        measures = [(s.start, s.end) for s in amounts(text, cand.start, cand.end)
                    if s.unit in DIMENSIONS or s.unit in CURRENCIES]
        logits = np.where([any(a <= c.start and c.end <= b for a, b in measures)
                           for c in cand.choices], -np.inf, logits)
    i = int(np.argmax(logits))
    sentence = text[cand.start:cand.end]
    if logits[i] < model.span_threshold:  # a figure only: the sentence
        return Pick(sentence, sentence, cand.source, cand.start, cand.end, cand.start, cand.end,
                    cand.score, "sentence")
    choice = (cand.choices[i].start, cand.choices[i].end)
    around = list_around(text, cand.choices, i) if wanted.many else choice
    start, end = _as_written(text, cand.start, cand.end, *choice) if around == choice else around
    return Pick(text[start:end], sentence, cand.source, start, end, cand.start, cand.end,
                cand.score, "phrase" if around == choice else "list")


def _as_written(text: str, a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """A stored number of the sentence text[a:b] with its currency or unit, as the rules read
    it: "£19,800", not the "19,800" the entity finder marked, and without a qualifier
    ("about £19,800" gives "£19,800"), nor a measure's unit alone ("km" of "120 g/km"); the
    span itself otherwise, without a table's bars."""
    # the entity finder may take a table's bar and the space by it ("4,200 |", "| Top
    # speed"): no part of the span
    inner = text[start:end].strip(" \t|")
    if inner:
        start = text.index(inner, start, end)
        end = start + len(inner)
    whole = next((s for s in amounts(text, a, b) if s.start <= start and end <= s.end), None)
    if whole is None or not any(c.isdigit() for c in text[start:end]) and (
            whole.unit not in DIMENSIONS):
        return start, end  # "three" of "three times" is the count asked
    qualifier = _QUALIFIER.match(text, whole.start, start)  # "about ", "over ", "up to "
    return whole.start + (qualifier.end() - whole.start if qualifier else 0), whole.end


_QUALIFIER = re.compile(r"(?:[a-z]+\s+)+")


# Stored spans' types that are figures or times: no answer to a question asking for a name.
_FIGURE_TYPES = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY",
                           "ORDINAL"})


def _is_figure(text: str, choice: SpanChoice) -> bool:
    """The stored span is a figure or a date (by its type, or read as a whole date)."""
    return choice.kind in _FIGURE_TYPES or any(
        (d.start, d.end) == (choice.start, choice.end) for d in dates(text, choice.start,
                                                                      choice.end))


# A title that opens a name: "Mr Ray Kell and Mrs Ada Kell"
_TITLE = rf"{NAME_TITLE}\.?\s+"
# between a list's items: a short aside in brackets ("Ann Roe (plot 12), Ben Lee"), the list's
# punctuation, and the next name's title ("Dr A and Prof. B"); between two names "the" too:
# "the A, the B and the C"
_LIST_GAP = re.compile(r"\s*(?:\([^()\n]{1,30}\)\s*)?(?:,\s*(?:and|or)?|and|or|as well as|&|;)\s*"
                       rf"(?:{_TITLE})?")
_NAMES_GAP = re.compile(rf"{_LIST_GAP.pattern}(?:(?<=\s)the\s+)?")
_TITLE_BEFORE = re.compile(rf"\b{_TITLE}$")
_CONJUNCTION = re.compile(r"\b(?:and|or|as well as)\b|&")


def list_around(text: str, choices: Sequence[SpanChoice], i: int) -> tuple[int, int]:
    """The list the i-th span is an item of: the spans of its type next to it, joined only
    by list punctuation and ending in a conjunction ("A, B and C"), as one quoted range; just
    the span if it stands alone. Two spans with only a comma between them are apposition or a
    clause's edge ("Paris, France"; "on the other hand, higher costs"), not a list. Items the
    question itself says are not joined."""
    kind = _family(text, choices[i])
    items = sorted((c.start, c.end) for c in choices
                   if _family(text, c) == kind
                   and not c.features[SPAN_FEATURES.index("inside_question")])
    return _run_around(text, items, (choices[i].start, choices[i].end))


_CALENDAR = re.compile(rf"(?:{WEEKDAY}|{MONTH})s?")
_LABEL_BEFORE = re.compile(r"\b[A-Z][\w ]{0,30}:[ \t]*$")


def _run_around(text: str, items: list[tuple[int, int]], item: tuple[int, int],
                articles: bool = False) -> tuple[int, int]:
    """The list `item` is in: its neighbours among `items` (sorted) that list punctuation
    joins, up to the last conjunction ("A, B and C"); just `item` if it stands alone.
    `articles`: names may have "the" between them ("the A, the B and the C"), and the first
    keeps its own (phrases the learned reader found do not: the parse reads their lists)."""
    if item not in items:
        return item
    at = items.index(item)
    gap = _NAMES_GAP if articles else _LIST_GAP

    def joined(k: int) -> bool:  # items k and k + 1 are neighbours in one list
        return items[k][1] <= items[k + 1][0] and gap.fullmatch(
            text, items[k][1], items[k + 1][0]) is not None

    lo = hi = at
    while lo > 0 and joined(lo - 1):
        lo -= 1
    while hi + 1 < len(items) and joined(hi):
        hi += 1
    last = max((k for k in range(lo, hi)
                if _CONJUNCTION.search(text, items[k][1], items[k + 1][0])), default=None)
    if last is None and hi > lo and (
            all(_CALENDAR.fullmatch(text, a, b) for a, b in items[lo:hi + 1])
            and not text[text.rfind("\n", 0, items[lo][0]) + 1:items[lo][0]].strip()
            or _LABEL_BEFORE.search(text, max(0, items[lo][0] - 40), items[lo][0])):
        # "Monday, Tuesday closed" opening a line, "Noes: Adeyemi, Ruiz": days and a label's
        # names need no "and" to be a list (not "Sales rose in May, June was flat")
        return items[lo][0], items[hi][1]
    if last is None or last + 1 < at:  # no conjunction, or the span comes after the list
        return item
    start = items[lo][0]
    if articles and text[max(0, start - 4):start] in ("the ", "The ") and not (
            start > 4 and text[start - 5].isalnum()) and any(
            _THE_AFTER.search(text, items[k][1], items[k + 1][0]) for k in range(lo, last + 1)):
        start -= 4  # "the A, the B and the C": each item with its article, the first too
    return start, items[last + 1][1]


_THE_AFTER = re.compile(r"\bthe\s+$")


# The entity types of names: items of a list of names may be of any of them ("Acme, Jo Bloggs
# and the Trust"), and a capitalized noun run the entity finder did not mark is a name too
# ("stores in Oslo, Bergen and Tromsø" where only Oslo was marked a place).
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT",
                         "WORK_OF_ART"})


def _family(text: str, choice: SpanChoice) -> str:
    """The kind a list joins its items by: "name" for names, else the span's own type."""
    if choice.kind in _NAME_TYPES or (choice.kind == NOUN_PHRASE and text[choice.start].isupper()):
        return "name"
    return choice.kind


def _declined(detail: str) -> str:
    return f"The sources do not answer this question. {detail}"
