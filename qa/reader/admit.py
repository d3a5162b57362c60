"""Which sentences of the best passages may answer a question, and what each offers.

The question is read once (`read_question`: its kind, words, names, years, the fields and
relatives it asks for); each sentence of the pool is then admitted or not (`admit`): left out
when it is not a sentence that can answer (a heading, a byline, a question the text asks, a
label of the question's own words), or when it is about another name, country, year or era
than the question's (`qa.reader.scope`); kept with its spans of the kind asked and what it
says of them. `narrow` then keeps, of the admitted rows, those that say the answer the way
the question asks for it, when any does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from qa.ingest.chunking import is_field
from qa.ingest.context import (
    context_of,
    lead_sentence,
    refers_back,
    section_heading,
    sentence_before,
    table_cells,
    table_header,
)
from qa.ingest.document import Document
from qa.language import CONTINUING
from qa.reader.agree import (
    NOUN_QUALIFIER,
    asked_names,
    authored,
    doer_labels,
    keys_of,
    name_keys,
    noun_label,
    other_subject,
    role_words,
    says_role,
)
from qa.reader.asked_amount import asks_quantity
from qa.reader.clauses import CAUSE, new_code, result_cause
from qa.reader.extract import (
    DIMENSIONS,
    NTH,
    Kind,
    Span,
    amounts,
    extract,
    header_unit,
    heading_context,
    is_heading,
    ordinal_value,
    phone_numbers,
    written_unit,
)
from qa.reader.fields import (
    byline,
    field_value,
    has_verb,
    is_labelled,
    people_in,
    run_in,
    signed,
    valued,
)
from qa.reader.names import KnownNames, introduced_as, known_names, organizations
from qa.reader.question import (
    Wanted,
    coverage,
    defines,
    definiendum,
    is_yes_no,
    kin_asked,
    list_item,
    named,
    names_asked,
    question_terms,
    stem,
    words_of,
)
from qa.reader.scope import (
    FUTURE,
    TOLD_FIRST,
    asked_codes,
    asked_eras,
    asked_models,
    asked_years,
    by_title,
    countries,
    dated_after,
    dated_before,
    document_lead,
    life_event,
    name_forms,
    naming_years,
    other_era,
    other_event,
    other_model,
    other_years,
    referred,
    tells_event,
    unwritten_years,
    writes_codes,
    writes_names,
    years_unwritten_in,
)
from qa.reader.spans import MONTH, WEEKDAY
from qa.reader.typed import (
    HEADER_UNIT,
    Asked,
    abbreviates,
    cells_in,
    fit_of,
    followed_by,
    header_unit_words,
    stated_as_change,
    typed_spans,
)
from qa.reader.wanted import AUXILIARIES, WH_WORDS
from qa.store.index import Index

__all__ = ["Before", "Reading", "Row", "admit", "asked_cause", "named_here", "narrow",
           "person_before", "read_question"]

# When a candidate's figure is followed by the question's adjective ("how long is the wall":
# "410 metres long"), the kind fit of the candidates whose figures are not ("after six years").
MEASURED_ELSEWHERE = 0.5


class Row(NamedTuple):
    """An admitted sentence, with what the cheap cut and the scoring need of it."""

    chunk_cos: float  # the cosine of the passage it is read from
    source: str
    start: int
    end: int
    rank: int
    words: float
    focus: float
    fit: float
    inside: bool
    context: str
    clause: int  # where the text embedded for meaning starts (the sentence's start mostly)
    spans: tuple[Span, ...]
    byline: bool  # names the author of its document, for "who wrote ..."
    measured: bool = False  # a figure followed by the question's adjective ("84 metres high")
    future: bool = False  # says what will happen ("will take place"), for "when will ..."
    kin: bool = False  # names the relatives the question asks for after their noun
    row: bool = False  # a table row the question names (with a figure in the unit asked),
    # numbers ("in the third year") or writes a figure of ("the 06:45"), with a span asked
    labelled: bool = False  # a form's field labelled by the question's verb ("Applicant:")
    coded: bool = False  # writes, with its context, the identifiers the question names
    until: bool = False  # says until when something holds ("Valid until: 02/04/2026")
    labelled_row: bool = False  # a table row whose first cell the question writes


@dataclass(frozen=True)
class Reading:
    """What a question asks of the sentences that may answer it, worked out once a question
    (not once a sentence)."""

    question: str
    wanted: Wanted
    known: KnownNames
    required: frozenset[str]  # the organizations it is about (`named`)
    abroad: frozenset[str]  # countries the organization table does not hold ("France")
    years: frozenset[str]
    years_named: frozenset[str]  # years that name a thing ("the 2024 season"), not when
    eras: tuple[tuple[int, int], ...]
    present: bool  # "How many homes are let now?": a figure of the document's own time
    codes: tuple[re.Pattern[str], ...]
    models: tuple[tuple[str, str], ...]  # "the Brewmaster 2200": (name, number)
    priced: frozenset[str]  # the stems of what "the guidebook price" prices: {"guidebook"}
    ahead: bool  # asks when something will happen
    asks_will: bool  # "When will it open?", not "When did it announce that it will close?"
    event: str | None  # "When did she die?": a life event
    terms: dict[str, float]
    focus_terms: dict[str, float]  # the question's words but its names'
    yes_no: bool
    subject: str | None  # "what is X": X
    item: re.Pattern[str] | None  # "the first thing it proved"
    numbered: tuple[int, str] | None  # "the fifth movement": a numbered list's item (5, "movem")
    roles: tuple[str, ...]
    doers: tuple[str, ...]  # field labels for who did it ("Applicant:")
    noun: str  # a field label for the thing asked which of ("Technician:")
    kin: tuple[str, str | None] | None  # "her children": the noun and whose
    naming: str | None  # "the four gates": the noun the names asked for follow
    proper: frozenset[str]  # a figure or date of a name: not of another subject's sentence
    # ... and the keys of the names of two words or more it asks one of ("Mount Kelvar")
    whole_names: frozenset[str]
    asked: Asked | None
    through_title: Callable[[str, set[str], bool], frozenset[str]]
    writes: Callable[[str, tuple[str | None, ...]], bool]
    best_source: str | None  # the document the best passage is from
    strict: bool  # no learned model: a sentence without a span of the kind is left out
    until: bool = False  # asks until when something holds: its last day, its deadline
    measure: bool = False  # names the measure it asks ("the nitrate level", "what dose")


_WILL = re.compile(r"\s*when (?:will|shall)\b", re.IGNORECASE)
# "Until what date can the quote be accepted?", "the last day to apply", "when does it expire"
_UNTIL_ASKED = re.compile(r"\b(?:until|till|up to) (?:what|which|when)\b|\b(?:last|latest|final) "
                          r"(?:day|date)\b|\bdeadline\b|\bexpir|\bvalid\b", re.IGNORECASE)
# ... and a sentence that says so: "Valid until: 02/04/2026", "expires on", "no later than",
# or gives a range's end: "up to and including 2 May", "between 09:00 and 13:00", or a
# deadline: "by 14 June"
# ... or is under a heading that says its dates are deadlines ("## Key deadlines")
_DEADLINES = re.compile(r"\b(?:deadlines?|closing dates?)\b", re.IGNORECASE)
# ("valid from" says when it starts, not until when)
_UNTIL_STATED = re.compile(r"\b(?:until|till|valid(?!\s+from\b)|expir\w*|deadline|no later than|"
                           r"on or before|last day|"
                           r"closing date|due date|lapses?|up to and including|"
                           rf"through (?=\d|(?:{WEEKDAY}|{MONTH})\b)|between \d[\w:.]* (?:hours )?"
                           rf"and (?=\d{{1,2}}[:.]\d\d|\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTH}))"
                           # "must be filled in by 14 June": a deadline
                           rf"|by (?=\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTH})\b|(?:{MONTH}) \d|"
                           rf"\d{{1,2}}[./]\d{{1,2}}[./]\d))",
                           re.IGNORECASE)


def read_question(index: Index, question: str, wanted: Wanted, best_source: str | None,
                  unknown_ok: bool, strict: bool) -> Reading:
    """The question read once for `admit`. With `unknown_ok` (a refusal's closest sentence)
    the years and identifiers no document writes are not looked for."""
    known = known_names(index)
    required, optional = named(question, known)
    forms = name_forms(question, required | optional, known)
    years = asked_years(question) - (unwritten_years(index, question) if unknown_ok else set())
    ahead = wanted.kind is Kind.DATE and FUTURE.search(question) is not None
    terms = question_terms(index, question)
    entity_words = {stem(t) for form in forms for t in index.tokenize(form)}
    kind = wanted.kind
    return Reading(
        question=question, wanted=wanted, known=known, required=required,
        abroad=frozenset(countries(question, known) - {p.lower() for p in forms}),
        years=frozenset(years),
        # "who examined the 2024 accounts": perhaps later; a figure of "the 2024 season" is
        # that year's
        years_named=(naming_years(question) & years if kind is not Kind.AMOUNT
                     else frozenset()),
        eras=asked_eras(question),
        present=kind is Kind.AMOUNT and not years and _PRESENT.search(question) is not None,
        codes=() if unknown_ok else asked_codes(index, question),
        models=asked_models(question),
        priced=frozenset(stem(t) for w in priced_thing(question) for t in index.tokenize(w)),
        ahead=ahead, asks_will=ahead and _WILL.match(question) is not None,
        event=life_event(question) if kind in (Kind.DATE, Kind.PLACE) else None,
        terms=terms, focus_terms={t: w for t, w in terms.items() if t not in entity_words},
        yes_no=is_yes_no(question), subject=definiendum(question),
        item=list_item(question) if kind is None else None,
        numbered=item_asked(question),
        roles=role_words(question) if kind is Kind.PERSON else (),
        doers=doer_labels(question) if kind in (Kind.PERSON, Kind.ORG) else (),
        noun=(noun_label(question) if kind in (Kind.PERSON, Kind.ORG, None)
              else PLACE_LABEL if kind is Kind.PLACE and _WHERE.match(question) else ""),
        kin=kin_asked(question) if kind is Kind.PERSON else None,
        naming=names_asked(question),
        proper=asked_names(question) if kind in (Kind.AMOUNT, Kind.DATE) else frozenset(),
        whole_names=(_whole_names(question, known) if kind in (Kind.AMOUNT, Kind.DATE)
                     else frozenset()),
        asked=Asked.of(question, wanted, known, required) if kind else None,
        through_title=by_title(index, known, required),
        # a refusal's closest sentence is looked for without the name it lacks
        writes=writes_names(index, "" if unknown_ok else question),
        best_source=best_source, strict=strict,
        until=kind is Kind.DATE and _UNTIL_ASKED.search(question) is not None,
        measure=kind is Kind.AMOUNT and asks_quantity(" ".join(question.lower().split())))


class _Around(NamedTuple):
    """What a sentence is read with: the heading over it, the paragraph before, the lead."""

    heading: str
    before: str
    lead: str
    section: str

    def text(self, sentence: str) -> str:
        return f"{self.heading}\n{self.before}\n{self.lead}\n{sentence}"


class _Read(NamedTuple):
    """What `admit` reads of a sentence whatever the question asks (`_read`)."""

    around: _Around
    names: frozenset[str]  # the organizations the sentence names
    near: frozenset[str]  # ... and those its section, heading, paragraph before and lead name
    context: str  # what it is embedded with (qa.ingest.context.meaning_text's parts)


def _read(index: Index, source: str, a: int, b: int) -> _Read:
    """The sentence text[a:b] of `source` read once per index, not once per question: the
    pools of a corpus's questions hold the same sentences again and again."""
    reads = index.derived.setdefault("sentence_reads", {})
    read = reads.get((source, a, b))
    if read is None:
        doc = index.documents[source]
        text, known = doc.text, known_names(index)
        heading, before = heading_context(text, a)
        around = _Around(heading, before, lead_sentence(text, a, before),
                         section_heading(text, a))
        near = organizations(
            f"{around.section}\n{around.heading}\n{around.before}\n{around.lead}", known)
        read = reads[(source, a, b)] = _Read(
            around, frozenset(s.text for s in organizations(text, known, a, b)),
            frozenset(s.text for s in near),
            context_of(f"{around.heading} {around.lead}".strip(), text[a:b], doc.title))
    return read


def _words(index: Index, text: str) -> frozenset[str]:
    """`words_of(index, text)`, kept per index: a sentence's words (alone, or with its
    context) are looked up by every question whose pool holds it."""
    found = index.derived.setdefault("sentence_words", {})
    words = found.get(text)
    if words is None:
        words = found[text] = frozenset(words_of(index, text))
    return words


def admit(index: Index, rd: Reading, source: str, a: int, b: int, place: int,
          chunk_cos: float) -> Row | None:
    """The sentence text[a:b] of `source` (from the passage ranked `place`) as a candidate
    row, or None when it cannot answer the question."""
    doc = index.documents[source]
    text = doc.text
    if not _answers_at_all(index, rd, doc, source, a, b):
        return None
    if (rd.whole_names and not rd.whole_names & _keys(index, source)
            and rd.whole_names & _keys(index, None)):
        return None  # a document that never writes a name the question asks about, which
        # another document writes, gives no figure or date of it (`writes_names` does so for
        # the words the entity finder marked, which misses many)
    read = _read(index, source, a, b)
    around, context = read.around, read.context
    # "Who wrote the profile of X?": the sentence that names the author of a document that
    # writes X is about the document, whoever else it names
    by_author = ((byline := authored(rd.question, doc.author)) is not None
                 and byline in text[a:b] and asked_names(rd.question) <= _keys(index, source))
    if not by_author and not _about_asked(index, rd, doc, source, a, b, read):
        return None
    if rd.roles and not says_role(f"{context} {around.before} {text[a:b]}", rd.roles,
                                  rd.question):
        return None
    # unless the document's title, the section's heading or the paragraph before names it:
    # then they are about it, whoever acts in the sentence ("The County Council approved")
    if (rd.proper and not rd.proper & name_keys(
            f"{doc.title} {around.section} {around.heading} {around.before}")
            and other_subject(index.parses.get(source), text, a, b, rd.proper,
                              _agents(index, source))):
        return None
    # a code the document's title or header block writes is what all of it is about
    coded = bool(rd.codes) and writes_codes(
        f"{doc.title}\n{document_lead(index, source)}\n{around.heading}\n{around.before}\n"
        f"{around.lead}\n{text[a:b]}", rd.codes)
    return _row(index, rd, doc, source, a, b, place, chunk_cos, around, context,
                rd.required <= read.names, coded)


# Two capitalized words or more past the question's first ("Mount Kelvar"), not acronyms
# ("GPU"), whose words are not all nationalities ("the Dutch maker"): a name
_WHOLE_NAME = re.compile(r"(?<=\s)[A-Z][a-z][\w'’-]*(?:\s[A-Z][a-z][\w'’-]*)+")


def _whole_names(question: str, known: KnownNames) -> frozenset[str]:
    """The keys (`name_keys`) of the whole names the question asks about."""
    return frozenset().union(*(
        keys_of(m.group()) for m in _WHOLE_NAME.finditer(question)
        if not all(w.lower() in known.adjectives for w in m.group().split())))


# A sentence that refers to a person ("The trust awarded her ..."): an organization it names
# is no other subject than the person its document is about
_PERSONAL = re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]e|[Hh]im|[Hh]is)\b")


def _keys(index: Index, source: str | None) -> frozenset[str]:
    """`keys_of` the document `source`, its title and author (None: of every document), kept
    per index."""
    found = index.derived.setdefault("document_keys", {})
    keys = found.get(source)
    if keys is None:
        if source is None:
            keys = frozenset().union(*(_keys(index, s) for s in index.documents))
        else:
            doc = index.documents[source]
            keys = keys_of(f"{doc.title or ''}\n{doc.author or ''}\n{doc.text}")
        found[source] = keys
    return keys


def _answers_at_all(index: Index, rd: Reading, doc: Document, source: str, a: int,
                    b: int) -> bool:
    """text[a:b] is a sentence that may answer anything: not a byline (unless the question
    asks who wrote it), not a heading, not a question the text asks, not a label."""
    text = doc.text
    if byline(doc.author, text, a, b) and authored(rd.question, doc.author) is None:
        return False  # "By ..." says who wrote the document, nothing about its subject
    if not rd.writes(source, (doc.title, doc.author, text)):
        return False
    if (is_heading(text, a, b) and not byline(doc.author, text, a, b)
            and not is_field(text, a, b) and not valued(text, a, b)
            and not _SCHEDULED.match(text, a, b) and not _is_item(text, a, rd.numbered)
            and not signed(index, source, a, b)):
        return False  # a heading is read with the sentences under it, never as an answer
    if _ASKS.search(text, a, b) and _ASKING.match(text, a, b):
        # a question the text asks ("Q14: how many sailings ...?", "Do you fit roof racks?")
        # answers nothing, however close its words are
        return False
    parse = index.parses.get(source)
    if not rd.yes_no and _words(index, text[a:b]) <= rd.terms.keys() and not has_verb(
            parse, a, b):
        return False  # a label of the question's own words: "Oudemuur Chenin Blanc 2021."
    # "Winter wheat. Winter wheat averaged ...": a paragraph's run-in heading
    return not (run_in(text, a, b) and not has_verb(parse, a, b))


def _named(index: Index, source: str, a: int, b: int) -> frozenset[str]:
    """`named_here` of the sentence text[a:b] of `source`, kept per index like `_read`."""
    found = index.derived.setdefault("sentence_names", {})
    names = found.get((source, a, b))
    if names is None:
        names = found[(source, a, b)] = frozenset(named_here(
            index.documents[source].text, known_names(index), a, b, people_in(index, source, a, b)))
    return names


def _about_asked(index: Index, rd: Reading, doc: Document, source: str, a: int, b: int,
                 read: _Read) -> bool:
    """text[a:b], read with what is around it (`read`), is about the names, countries, years
    and eras the question asks about, and of its time when it asks about now."""
    text, around, near = doc.text, read.around, read.near
    missing = rd.required - (read.names | near)  # held through the title, or "the trust"
    if missing:  # a surname inside a person's name is no other name the sentence is about
        others = _named(index, source, a, b) | near
        naming = rd.naming or (rd.kin[0] if rd.kin else "")  # "Which of her sons ...?"
        if naming and (after := _noun_at(text, a, b, naming)) is not None:
            # "four gates: Bishopsgate, Wend Gate and ...": the names asked for
            others = {o for o in others if text.find(o, after, b) < 0}
        if rd.noun and rd.wanted.kind in (Kind.PERSON, Kind.ORG):
            # "Which wheelwright trained him?": "Jon Vell, wheelwright of ..." is the one
            # asked for, no other subject
            noun = rd.noun.removeprefix(NOUN_QUALIFIER)  # the noun itself: "clockmakers?"
            others = {o for o in others if not _called(text, a, b, o, noun)}
        if rd.wanted.kind is Kind.ORG and len(others) == 1 and not near:
            # "Which firm sponsors the club?": the one organization a sentence of the
            # club's own document names may be the answer, not another subject
            others = set()
        personal = _PERSONAL.search(text, a, b) is not None
        if not missing <= rd.through_title(source, others, personal) | referred(
                text, a, b, missing):
            return False
    read = around.text(text[a:b])
    if rd.abroad and not rd.abroad <= countries(read, rd.known):
        return False
    title = doc.title or ""
    header = table_header(text, a)
    seen = f"{title}\n{read}\n{header[1] if header else ''}"
    if rd.models and other_model(seen, rd.models):
        return False  # the "Brewmaster 2000" column prices no Brewmaster 2200
    if rd.priced and not rd.priced <= _words(index, seen):
        return False  # the concession ticket's price is no guidebook's
    if rd.years and years_unwritten_in(index, source, rd.years):
        return False  # a report on 2022-23 gives no figure of 2021
    if rd.years and other_years(read, rd.years, title) and not (
            rd.years_named and dated_after(text[a:b], rd.years_named)  # its own dates alone
            and not other_years(f"{around.heading}\n{around.before}\n{around.lead}", rd.years,
                                title)):
        return False
    if (rd.present and doc.date and not _PRESENT.search(text, a, b)
            and other_years(text[a:b], frozenset({doc.date[:4]}))):
        return False
    return not (rd.eras and other_era(read, rd.eras))


def _row(index: Index, rd: Reading, doc: Document, source: str, a: int, b: int, place: int,
         chunk_cos: float, around: _Around, context: str, inside: bool,
         coded: bool) -> Row | None:
    """The admitted sentence's row: its spans of the kind asked, how well they fit, and what
    it says of them; None when it dates only the past for "when will", tells another life
    event, or (with no learned model) holds no span of the kind asked."""
    text, wanted = doc.text, rd.wanted
    spans = typed_spans(text, a, b, rd.asked) if rd.asked is not None else ()
    introduced = () if rd.kin is None or not _kin_about(
        rd.kin[1], source, rd.best_source, text, a, b,
        f"{doc.title or ''}\n{around.before}") else tuple(
        s for s in spans if introduced_as(text, s.start, rd.kin[0]))
    spans = introduced or spans  # "her children": "three children, Rosalind, Tamsin and ..."
    if rd.ahead and dated_before(text, spans, doc.date) and not FUTURE.search(text, a, b):
        return None  # "When will it open?": not from a sentence dating only the past
    if rd.asks_will and len(spans) > 1 and (will := FUTURE.search(text, a, b)):
        # "The next bulletin, covering October to December 2024, will be published on
        # 11 February 2025": the date the verb of what will happen governs
        spans = tuple(s for s in spans if s.start > will.start()) or spans
    if rd.until and any(s.unit in wanted.prefer for s in spans):
        # "the deadline": "within eight weeks ..., that is, on or before 3 June", the date
        spans = tuple(s for s in spans if s.unit in wanted.prefer)
    if rd.event and other_event(text, a, b, rd.event):
        return None  # "When did she die?": not from "She was born in 1879"
    if (wanted.kind is Kind.PLACE and rd.noun and is_labelled(text, a, b, rd.noun)
            and (value := field_value(text, a, b)) is not None):
        spans = (value,)  # "Site address: 4 Mill Lane, Dunmore": the field says where
    if wanted.kind and not spans and rd.strict:
        return None  # the learned model weighs the missing kind (fit 0) instead
    if rd.measure and not wanted.strict and _no_column_asked(index, text, a, rd.terms,
                                                              wanted.prefer):
        return None  # "What was the nitrate level at Holm Bridge?": not a row without nitrate
    fit = max((fit_of(s, wanted) for s in spans), default=0.0 if wanted.kind else 1.0)
    if wanted.kind is Kind.PERSON and not fit and person_before(index, source, a):
        fit = 1.0  # "He also wrote it": the person the sentence before names answers
    measured = _says_as_asked(text, a, spans, wanted)
    if ("reason" in wanted.prefer and _REASON_FIELD.match(text, a, b)
            and (above := sentence_before(text, a, _REASON_FIELD)) is not None):
        # "Reason: To protect ...": the reason for what the line above it says
        context = f"{context} {text[above[0]:above[1]]}"
    seen = _words(index, f"{context} {text[a:b]}")
    row = (measured and fit == 1.0 and _named_row(index, text, a, rd.terms, first=False)
           or (bool(spans) or not wanted.kind) and _numbered_row(text, a, rd.question)
           or bool(spans) and _written_row(text, a, rd.question))
    clause = a  # where the text compared with the question starts
    if "phone" in wanted.prefer:  # "what number do I ring": a sentence that writes one
        fit = 1.0 if phone_numbers(text, a, b) else 0.0
    elif "reason" in wanted.prefer:  # "why": a sentence that gives a cause
        fit = 1.0 if CAUSE.search(text, a, b) or asked_cause(index, rd.terms, text, a, b) else 0.0
    elif rd.subject:  # "what is X": "X, a ...", "X is a ...", "called X"
        at = defines(text[a:b], rd.subject)
        fit = 0.5 if at is None else 1.0
        if at is not None:  # the definition, not the rest of a long sentence, is compared
            clause, context = a + at, ""
    elif rd.item:  # "the first thing it proved": the list's item that opens with "First,"
        fit = 1.0 if rd.item.match(text, a) else 0.5
    words, focus = coverage(rd.terms, seen), coverage(rd.focus_terms, seen)
    byline = authored(rd.question, doc.author) if source == rd.best_source else None
    labelled = (bool(spans) or not wanted.kind) and (
        any(is_labelled(text, a, b, label) for label in rd.doers)
        or bool(rd.noun) and source == rd.best_source and is_labelled(text, a, b, rd.noun))
    return Row(
        chunk_cos=chunk_cos, source=source, start=a, end=b, rank=place, words=words,
        focus=focus, fit=fit, inside=inside, context=context, clause=clause, spans=spans,
        byline=bool(byline) and any(s.text == byline for s in spans), measured=measured,
        future=rd.ahead and bool(spans) and FUTURE.search(text, a, b) is not None,
        kin=bool(introduced), row=row, labelled=labelled, coded=coded,
        labelled_row=fit == 1.0 and bool(spans) and _named_row(index, text, a, rd.terms,
                                                               first=True),
        until=rd.until and bool(spans) and (_UNTIL_STATED.search(text, a, b) is not None
                                            or _DEADLINES.search(around.heading) is not None))


def asked_cause(index: Index, terms: dict[str, float], text: str, a: int,
                b: int) -> tuple[int, int] | None:
    """The cause X where text[a:b] says "X, so Y" and Y is what the question asks why of: Y
    holds at least half of the question's words (by weight) and more of them than X ("Why is
    a second board fitted?": "The old board has no spare ways, so a second board will be
    fitted"); None otherwise ("Book early, so you get a seat" for "Why book early?")."""
    found = result_cause(text, a, b)
    if found is None:
        return None
    (x, y), (p, q) = found
    after = coverage(terms, words_of(index, text[p:q]))
    return (x, y) if after >= 0.5 and after > coverage(terms, words_of(index, text[a:p])) else None


def narrow(index: Index, rd: Reading, rows: list[Row]) -> list[Row]:
    """Of the admitted rows, those that say the answer the way the question asks for it,
    when any does: a preference, never a reason to answer nothing."""
    wanted = rd.wanted
    if any(r.coded for r in rows):  # "sample CH-24-04": the sentences that write it
        rows = [r for r in rows if r.coded]
    if any(r.measured for r in rows):  # then "after six years" fits less
        rows = [r._replace(fit=1.0 if r.measured else min(r.fit, MEASURED_ELSEWHERE))
                for r in rows]
    if any(r.labelled_row for r in rows):
        # "How much is a deep clean?": the table's row labelled so, not one whose
        # description says it ("| Oven clean | Deep clean included ... |"), nor
        # prose that names the row with another figure ("B, with only four boats, ..."); prose
        # that gives a figure of the row stays ("averaged 6.8 tonnes per hectare")
        values = {s.value for r in rows if r.labelled_row for s in r.spans}
        rows = [r for r in rows if r.labelled_row or any(
            s.value in values for s in r.spans) and not table_cells(
            index.documents[r.source].text, r.start)]
    for mark in ("row", "labelled", "future", "kin", "until"):
        # "hectares of spring barley": its row in the table; "who applied": the form's
        # "Applicant:" field; "when will it be held": not the year it began; "her children":
        # the sentence that names them; "until what date": the one that says until when
        if any(getattr(r, mark) for r in rows):
            rows = [r for r in rows if getattr(r, mark)]
    if rd.kin and rd.kin[0].endswith(("s", "children")):
        # "his sons": the sentence that names them all
        rows = [r for r in rows if r.kin and (any(s.unit == "list" for s in r.spans) or sum(
            s.kind is Kind.PERSON for s in r.spans) > 1)] or rows
    rows = _by_number(index, rd, rows)
    if rd.event in TOLD_FIRST:  # "where did she die": a sentence that says she died, if any
        rows = [r for r in rows if tells_event(index.documents[r.source].text, r.start, r.end,
                                               rd.event)] or rows
    if "code" in wanted.prefer:  # "which command": the sentences that write code, if any do
        rows = [r for r in rows
                if new_code(index.documents[r.source].text, r.start, r.end, rd.question,
                            "identifier" in wanted.prefer)] or rows
    if "reason" in wanted.prefer and any(r.fit for r in rows):
        rows = [r for r in rows if r.fit]
    if (rd.subject or rd.item) and any(r.fit == 1.0 for r in rows):
        rows = [r for r in rows if r.fit == 1.0]  # a definition (list item) beats a mention
    if any(r.byline for r in rows):  # "who wrote it": the document says so in its byline
        rows = [r for r in rows if r.byline]
    return rows


def _by_number(index: Index, rd: Reading, rows: list[Row]) -> list[Row]:
    """The rows a number of the question points to, when any: for "After the 1958 refit,
    how far ...?" a figure of a sentence that writes the year naming the thing (not of one
    that says "now"; a year asked as a time, "in 2010", may be the paragraph's: SQuAD's fit
    half lost a point of right sentences that way), for "What is the fifth movement?" the
    item a list numbers 5."""
    def text(r: Row) -> str:
        return index.documents[r.source].text

    if rd.wanted.kind is Kind.AMOUNT and (years := naming_years(rd.question)):
        rows = [r for r in rows if r.spans and _writes_year(text(r), r.start, r.end, years)
                ] or rows
    if rd.numbered:
        rows = [r for r in rows if _is_item(text(r), r.start, rd.numbered)] or rows
    return rows


# "the fifth movement", "the 3rd stage": an item of a numbered list
_NTH_ITEM = re.compile(rf"\bthe[ \t]+({NTH})[ \t]+([a-z]{{3,}})", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"\d{1,3}[.)][ \t]")
_NUMBER_ONLY = re.compile(r"(?:\d{1,3}[.)][ \t]*)?")
_ITEM_MARK = re.compile(r"[.)][ \t]")
_ITEMS_UP = 40  # lines looked up a list for its introduction


def item_asked(question: str) -> tuple[int, str] | None:
    """The number and noun of the list item a question asks for by its ordinal ("the third
    movement": (3, "movement")), or None; read once per question."""
    m = _NTH_ITEM.search(question)
    n = ordinal_value(m.group(1)) if m else None
    return None if n is None else (n, m.group(2)[:5].lower())


def _is_item(text: str, a: int, asked: tuple[int, str] | None) -> bool:
    """text[a:] opens the item of a numbered list the question asks for (`item_asked`): "the
    third movement" and "3. Adagio" under "The quartet is in four movements:" (not "1.
    Welcome by the chair" for "the first president")."""
    if asked is None:
        return False
    n, noun = asked
    line_start = text.rfind("\n", 0, a) + 1
    # the line opens with the number, and the sentence is the item's first (the number may be
    # a sentence of its own: "3." / "Adagio")
    mark = line_start + len(str(n))
    if (not text.startswith(f"{n}", line_start) or not _ITEM_MARK.match(text, mark)
            or not _NUMBER_ONLY.fullmatch(text[line_start:a])):
        return False
    for _ in range(_ITEMS_UP):  # up past the list's items to the line that introduces it
        above = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        line = text[above:line_start].strip()
        if line and not _LIST_NUMBER.match(line):
            return noun in line.lower()
        if above == 0:
            return False
        line_start = above
    return False


def _writes_year(text: str, a: int, b: int, years: Collection[str]) -> bool:
    return any(re.search(rf"(?<![\d,.]){y}(?![\d,])", text[a:b]) for y in years)


def _named_row(index: Index, text: str, a: int, terms: dict[str, float], first: bool) -> bool:
    """text[a:] is a table row one of whose cells (with `first`, its first cell, the row's
    label) the question writes word for word ("How many hectares of spring barley": "| Spring
    barley | 96 | ..."); a figure is no name."""
    cells = table_cells(text, a) or ()
    return any((own := words_of(index, text[start:end])) and own <= terms.keys()
               and not any(c.isdigit() for c in text[start:end])
               for _, start, end in (cells[:1] if first else cells))


# "in the third year", "during week 3", "on day 2": a thing numbered, and its number
_NUMBERED = re.compile(rf"\b(?:(?P<nth>{NTH})[ \t-]+(?P<noun>[a-z]+)"
                       rf"|(?P<label>[a-z]+)[ \t]+(?P<n>\d{{1,3}})\b(?![.,:]\d))", re.IGNORECASE)


def _numbered_row(text: str, a: int, question: str) -> bool:
    """text[a:] is the row of a table numbered by the question: "| 3 | 2027 ... | 2% |" under
    "| Year | Period | Fee |" (or "Years", "Year of tenancy") for "during the third year",
    "a third-year fee" or "year 3"; the cell may say "3", "3rd" or "Year 3"."""
    cells = table_cells(text, a) if "|" in text[a:a + 2] else None
    if not cells:
        return False
    for m in _NUMBERED.finditer(question):
        nth = m.group("nth")
        noun = (m.group("noun") or m.group("label")).lower()
        n = ordinal_value(nth) if nth else int(m.group("n"))
        singular = noun.removesuffix("s")
        numbered = {str(n), f"{n}{_SUFFIX.get(n % 10 if n % 100 not in (11, 12, 13) else 0, 'th')}",
                    f"{singular} {n}"}
        if any(_header_noun(header) == singular and text[start:end].strip().lower() in numbered
               for header, start, end in cells):
            return True
    return False


_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def _header_noun(header: str) -> str:
    """A header's first word, lower case and singular: "Years" and "Year of tenancy" -> year."""
    words = header.split()
    return words[0].lower().removesuffix("s") if words else ""


# A column's header that is a year or a part of one: "2024", "2023–24", "FY 2024", "Q3 2025"
_YEARLY = re.compile(r"\s*(?:(?:FY|Q[1-4]|H[12])\s?)?(?:1[5-9]|20)\d\d(?:\s?[–/-]\s?\d{2,4})?\s*")


def _no_column_asked(index: Index, text: str, a: int, terms: dict[str, float],
                     prefer: frozenset[str]) -> bool:
    """text[a:] is a table row with figures under two or more headers, none of which writes a
    word of the question nor, when the question asks for one measure ("which is heavier"),
    gives it in that measure's unit ("Weight (kg)"): which of its figures is asked, the row
    cannot say."""
    cells = table_cells(text, a) if "|" in text[a:a + 2] else None
    # a column per year ("| Legacies | £4,200 | £3,100 |" under "2024", "2023") gives
    # one measure, the row's, over time
    figured = [header for header, start, end in (cells or ())[1:]
               if any(c.isdigit() for c in text[start:end]) and not _YEARLY.fullmatch(header)]
    one_measure = not prefer >= DIMENSIONS
    # the cells after the row's label ("| Depth 5 m | 14.2 |" names no column by its "m")
    if any(_labelled_in_cell(index, text, start, end, terms)
           for _, start, end in (cells or ())[1:]):
        return False  # "| Algae; pH reading 8.3 |": the cell names its own figure
    return len(figured) >= 2 and not any(
        words_of(index, HEADER_UNIT.sub(" ", header)) & terms.keys()
        or abbreviates(header, terms)
        or one_measure and (unit := header_unit_words(header)) and header_unit(unit) in prefer
        for header in figured)


def _labelled_in_cell(index: Index, text: str, start: int, end: int,
                      terms: dict[str, float]) -> bool:
    """A figure of the cell text[start:end] comes right after a word of the question."""
    for span in amounts(text, start, end):
        before = text[start:span.start].rstrip(" \t:").rsplit(None, 1)  # "pH reading 8.3"
        if before and words_of(index, before[-1]) & terms.keys():
            return True
    return False


# What a price is of: "the guidebook price", "the price of a guidebook"; not a kind of price
_PRICED = (re.compile(r"\b(?:price|cost|fee|fare)s?\s+of\s+(?:an?\s+|the\s+|one\s+)?([a-z]{3,})\b"),
           re.compile(r"\b([a-z]{3,})\s+(?:price|cost|fee|fare)s?\b"),
           # "a ticket for the cable car", "entry to the tower": what the ticket is for (not
           # "tickets for pensioners": who it is for)
           re.compile(r"\b(?:tickets?|pass|passes|entry|admission)\s+(?:for\s+the|(?:to|into)"
                      r"(?:\s+an?|\s+the)?)\s+([a-z]{3,}(?:\s+[a-z]{3,}){0,2})\b"))
_KINDS_OF_PRICE = frozenset({
    "total", "full", "average", "current", "new", "old", "retail", "sale", "asking", "list",
    "standard", "normal", "usual", "regular", "annual", "monthly", "weekly", "daily", "yearly",
    "unit", "base", "basic", "minimum", "maximum", "starting", "final", "original", "reduced",
    "discounted", "market", "net", "gross", "estimated", "overall", "extra", "additional",
    "the", "and", "what", "how", "much", "does", "did", "was", "per", "any", "its", "their",
    "late", "early", "entry", "admission", "booking", "joining", "one-off", "fixed",
    # "which has a higher price, A or B": a comparison, not a thing priced
    "higher", "lower", "cheaper", "dearer", "bigger", "smaller", "greater", "larger", "better",
    "highest", "lowest", "cheapest", "dearest", "biggest", "smallest", "greatest", "largest",
    "best", "same", "similar", "different", "more", "less", "most", "least"})


def priced_thing(question: str) -> tuple[str, ...]:
    """The word naming what a question asks the price of ("guidebook" of "the museum
    guidebook price"), unless it names a kind of price ("the full price")."""
    for m in (m for pattern in _PRICED for m in pattern.finditer(question.lower())):
        word = _head_noun(m.group(1).split())
        if (word and word not in _KINDS_OF_PRICE and word not in WH_WORDS
                and word not in AUXILIARIES and word not in _NOT_PRICED):
            return (word,)
    return ()


def _head_noun(words: list[str]) -> str:
    """The last word of a noun phrase, before any word that starts another: "car" of
    "cable car up the", "family" of "whole family"."""
    phrase = list(itertools.takewhile(lambda w: w not in _ENDS_PHRASE, words))
    return phrase[-1] if phrase else ""


# Words after which a noun phrase is over: "a ticket for the cable car up the hill"
_ENDS_PHRASE = frozenset({"up", "to", "at", "in", "on", "for", "from", "with", "and", "or", "of",
                          "into", "this", "next", "last", "per", "each", "cost", "costs"})
# What a ticket is for that names no thing priced: "entry to all three sites", "a pass for
# the week"
_NOT_PRICED = frozenset({"all", "whole", "entire", "both", "week", "day", "weekend", "month",
                         "year", "season", "two", "three", "four", "five", "six"})


def _written_row(text: str, a: int, question: str) -> bool:
    """text[a:] is a table row with a figure the question writes as a whole cell: "| 06:45 |
    06:40 |" for "the train that used to leave at 06:45"; a figure of four characters or more,
    so a row is not named by a small count."""
    if "|" not in text[a:a + 2]:
        return False
    for _, start, end in table_cells(text, a) or ():
        cell = text[start:end].strip()
        if len(cell) >= 4 and any(c.isdigit() for c in cell) and re.search(
                rf"(?<![\w.:]){re.escape(cell)}(?![\w:]|[.,]\d)", question) is not None:
            return True
    return False


def _kin_about(owner: str | None, source: str, best_source: str | None, text: str, a: int,
               b: int, before: str) -> bool:
    """A sentence may name the relatives of the person the question asks about: one that
    writes the person's name ("Ruth Calloway's sons"), or is read with it (`before`: the
    sentence before and the document's title), or, for "her sons", one of the document the
    best passage is from. "his wife, Sawa" elsewhere is someone else's."""
    if owner is None:
        return source == best_source
    read = f"{before} {text[a:b]}"  # a title may be in capitals: "JANE ROE, POTTER"
    return any(re.search(rf"\b{re.escape(form)}\b", read) for form in (owner, owner.upper()))


class Before(NamedTuple):
    """A person named in the sentence before, and where that sentence starts."""

    text: str
    start: int
    end: int
    sentence_start: int


_HE_OR_SHE = re.compile(r"(?:He|She)\b")


def person_before(index: Index, source: str, a: int) -> Before | None:
    """The one person the sentence before names, when the sentence at `a` opens with "He" or
    "She" (it refers back to them); None when that sentence names no one, or several."""
    text = index.documents[source].text
    if not _HE_OR_SHE.match(text, a):
        return None
    before = sentence_before(text, a, refers_back())
    if before is None:
        return None
    named = [s for s in extract(text, *before, {Kind.PERSON}, known_names(index))
             if s.kind is Kind.PERSON]
    if len({s.text for s in named}) != 1:
        return None
    return Before(named[0].text, named[0].start, named[0].end, before[0])


# A sentence that ends in a question mark, past closing quotes and brackets
_ASKS = re.compile(r"\?[\"'”’)\]\s]*$")
# ... and asks one: a speaker's ("Q14 (Chair): In the year to January, how many ...?",
# "Interviewer: ...?"), or one that opens with a wh-word ("Which firm is refitting it?"). A
# rhetorical "Is the plan, including a fund of €20 billion, merely a drop in the ocean?"
# states its facts, as "Did you know that ...?" does.
_ASKING = re.compile(
    r"(?:Q\d*|[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3})\s*(?:\([^()\n]{0,40}\)\s*)?:\s"
    r"|(?i:what|which|who|whom|whose|when|where|why|how)\b"
    # an FAQ's question, asked in the reader's voice: "Do you fit roof racks?", "Can I
    # pay by card?"
    r"|(?i:do|does|can|could|will|would|should|may|must|is|are)\s+(?:you|I|we|my|our)\b")


def _agents(index: Index, source: str) -> frozenset[tuple[int, int]]:
    """Where `source` names people, groups and works; once per index, not per question."""
    agents = index.derived.setdefault("agents", {})
    if source not in agents:
        agents[source] = frozenset((p, q) for p, q, kind in index.entities.get(source, ())
                                   if kind in ("PERSON", "NORP", "WORK_OF_ART"))
    return agents[source]


def _says_as_asked(text: str, a: int, spans: Sequence[Span], wanted: Wanted) -> bool:
    """A figure of the sentence at `a` is stated the way the question asks for it: followed
    by its adjective ("410 metres long" for "how long is the wall"), in its unit ("in feet":
    "(23,005 ft)", or "96" under "Area (ha)" for "how many hectares"), or as a change ("an
    increase of £19" for "by how much")."""
    if wanted.measured and any(followed_by(text, s.end, wanted.measured) for s in spans):
        return True
    if wanted.counted and any(s.unit == "count" and counts_asked(text, s.end, wanted.counted)
                              for s in spans):
        return True  # "how many hides were open": "the club ran 14 hides"
    if wanted.unit and spans and (
            any(written_unit(s) == wanted.unit for s in spans)
            or {c.start for c in cells_in(text, a, wanted.unit)} & {s.start for s in spans}):
        return True
    return wanted.change and any(stated_as_change(text, a, s) for s in spans)


# Up to two words between a count and what it counts ("23 broadband stations", "a 5-cylinder")
_COUNTED_WORDS = re.compile(r"(?:(?:[ \t]+|-)[^\W\d_][\w'’-]*){1,3}")


def counts_asked(text: str, end: int, counted: str) -> bool:
    """The count ending at `end` counts what the question does: a word of the next three has
    the stem of the counted phrase's last word ("312 calls" for "how many emergency calls")."""
    words = counted.split()
    last = words[-1] if words else ""
    if not last or last in CONTINUING:
        return False  # "how many of the students": no noun read
    m = _COUNTED_WORDS.match(text, end)
    return m is not None and stem(last) in {stem(w) for w in re.findall(r"[^\W\d_]+", m.group())}


_REASON_FIELD = re.compile(r"\s*reasons?[ \t]*:", re.IGNORECASE)
# "Where is ...?": a form's field that says where ("Site address: ...", "Location: ...")
_WHERE = re.compile(r"\s*where\b", re.IGNORECASE)
# ... and where a thing was found or made: "Locality: Holm Quarry", "Provenance: ..."
PLACE_LABEL = (r"(?!(?:e-?mail|web|ip|url|internet)\b)(?:[\w-]+[ \t]){0,2}"
               r"(?:address|location|venue|meeting point|locality|provenance|find ?spot)")


_PRESENT = re.compile(r"\b(?:now|today|currently|presently|nowadays|at present|these days|"
                      r"at the moment)\b", re.IGNORECASE)


# A timetable's line, which ends like no sentence: "Sunday, Monday  closed", "Mon-Fri 9-17";
# not a heading that opens with a day's name ("Sunday Times Rich List", "Sun Safety Tips")
_DAY = rf"(?:(?:{WEEKDAY})s?|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?)"
_SCHEDULED = re.compile(rf"[ \t]*{_DAY}[,:]?[ \t]*(?:[-–/&,]|to\b|and\b|through\b|until\b|\d|"
                        rf"closed\b|open\b|{_DAY})", re.IGNORECASE)


def _called(text: str, a: int, b: int, name: str, noun: str) -> bool:
    """text[a:b] calls `name` by the noun pattern `noun` (`noun_label`): "Ann Roe, potter of
    Dunmore", "Ann Roe, a potter", "the potter Ann Roe"."""
    n = re.escape(name)
    return re.search(rf"\b{n},?[ \t]+(?:an?[ \t]+|the[ \t]+)?{noun}\b|\b{noun}[ \t]+{n}\b",
                     text[a:b], re.IGNORECASE) is not None


def _noun_at(text: str, a: int, b: int, noun: str) -> int | None:
    """Where `noun` (or its singular) ends in text[a:b], in any case; None if it is not there."""
    m = re.search(rf"\b{re.escape(noun.removesuffix('s'))}s?\b", text[a:b], re.IGNORECASE)
    return None if m is None else a + m.end()


def named_here(text: str, known: KnownNames, a: int, b: int,
               people: Sequence[tuple[int, int]]) -> set[str]:
    """The organizations text[a:b] names. The entity finder marks a surname alone as an
    organization now and then ("Varga said ..."); inside a longer name it marked as a
    person's (`people`: "When Elena Varga took charge") it names no organization."""
    return {s.text for s in organizations(text, known, a, b)
            if not any(p <= s.start and s.end <= q and q - p > s.end - s.start
                       for p, q in people)}
