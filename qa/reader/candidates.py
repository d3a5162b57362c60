"""The candidate sentences of a question: the sentences of the best passages that may answer
it, each scored, best first.

A sentence is left out when it is about another name, country or year than the question's
(`qa.reader.scope`), or gives no answer of the kind asked for where the kind is required;
the rest are scored by the learned reader (`qa.reader.learned`: the sentence's meaning, the
question's words, passage rank, kind fit, best span, wording), or with `model=None` by the
hand-set weights below. Those weights and `qa.reader.reader.NO_ANSWER_SCORE` were chosen by
a small grid search on seeds/questions.jsonl and kept round: meaning counts fully, the
question's other words 0.25, the passage rank 0.1/rank, the span kind 0.6.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from qa.ingest.chunking import is_field, split_sentences
from qa.ingest.context import (
    lead_sentence,
    read_with,
    refers_back,
    section_heading,
    sentence_before,
    table_cells,
)
from qa.ingest.entities import Parse
from qa.reader.agree import (
    asked_names,
    authored,
    doer_labels,
    doer_stem,
    name_keys,
    noun_label,
    other_subject,
    role_words,
    says_role,
)
from qa.reader.clauses import CAUSE, new_code
from qa.reader.extract import (
    Kind,
    Span,
    extract,
    heading_context,
    is_heading,
    is_label,
    written_unit,
)
from qa.reader.learned import (
    TYPE_PRESENT,
    Asking,
    ReaderModel,
    answerable_features,
    load_model,
    sentence_features,
    span_choices,
    spans_in,
    wording,
)
from qa.reader.names import KnownNames, introduced_as, known_names, organizations
from qa.reader.pick import (
    Asked,
    Candidate,
    cells_in,
    encode,
    fit_of,
    followed_by,
    stated_as_change,
    typed_spans,
)
from qa.reader.question import (
    Wanted,
    analyse,
    content_sequence,
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
    asked_years,
    by_title,
    countries,
    dated_after,
    dated_before,
    life_event,
    name_forms,
    naming_years,
    other_era,
    other_event,
    other_years,
    referred,
    tells_event,
    unknown_names,
    unwritten_years,
    writes_codes,
    writes_names,
)
from qa.search.base import Ranking, SearchSettings
from qa.search.hybrid import cosines, rank_chunks
from qa.store.index import Index
from qa.types import Mode

__all__ = ["NO_SPAN", "PHRASES", "Before", "answerable", "candidates", "named_here",
           "person_before", "sentence_score"]


WEIGHTS = {"meaning": 1.0, "words": 0.0, "focus": 0.25, "rank": 0.1, "type": 0.6,
           "context_only": 0.1}
POOL_FUSED, POOL_EACH = 6, 3  # passages read: best fused, plus best of each side alone
EMBED_AT_MOST = 12  # sentences embedded per question (cheapest-first cut), keeps it fast
# When a candidate's figure is followed by the question's adjective ("how long is the wall":
# "410 metres long"), the kind fit of the candidates whose figures are not ("after six years").
MEASURED_ELSEWHERE = 0.5


def sentence_score(meaning: float, words: float, focus: float, rank: int, fit: float,
                   inside: bool = True) -> float:
    return (WEIGHTS["meaning"] * meaning + WEIGHTS["words"] * words + WEIGHTS["focus"] * focus
            + WEIGHTS["rank"] / rank + WEIGHTS["type"] * fit
            - (0.0 if inside else WEIGHTS["context_only"]))


class _Row(NamedTuple):
    cheap: float
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
    row: bool = False  # a table row the question names, with a figure in the unit asked
    labelled: bool = False  # a form's field labelled by the question's verb ("Applicant:")


def _named_row(index: Index, text: str, a: int, terms: dict[str, float]) -> bool:
    """text[a:] is a table row one of whose cells the question writes word for word ("How
    many hectares of spring barley": "| Spring barley | 96 | ..."); a figure is no name."""
    return any((own := words_of(index, text[start:end])) and own <= terms.keys()
               and not any(c.isdigit() for c in text[start:end])
               for _, start, end in table_cells(text, a) or ())


def candidates(index: Index, question: str, settings: SearchSettings | None,
               query_vector: np.ndarray, sources: Collection[str] | None = None,
               at_most: int | None = None, ranking: Ranking | None = None,
               model: ReaderModel | None | bool = True, wanted: Wanted | None = None,
               unknown_ok: bool = False,
               ) -> tuple[Wanted, dict[str, float], list[Candidate], str | None]:
    """The question's wanted kind and words, and its candidate sentences, best first.

    `ranking` is the passages' ranking as `search` makes it (`qa.search.hybrid.rank_chunks`,
    already limited to `sources`); without it they are ranked here. `model` is the learned
    reader (True: the shipped one, if any; None: the hand-set weights only). A name the
    sources never mention leaves no candidate, unless `unknown_ok` (the closest sentence of a
    refusal, shown as such)."""
    if model is True:
        model = load_model()
    if ranking is None:
        settings = settings or SearchSettings()
        ranking = rank_chunks(index, question, settings, sources=sources,
                              query_vector=None if settings.mode is Mode.BM25 else query_vector)
    wanted = wanted or analyse(question)
    if wanted.kind in (Kind.PERSON, Kind.ORG) and not wanted.doer:
        wanted = replace(wanted, doer=doer_stem(question))
    known = known_names(index)
    required, optional = named(question, known)
    unknown = [] if unknown_ok else unknown_names(index, question)
    if unknown:  # never answered with another name's figure
        return (wanted, {}, [],
                f"The sources never mention {' or '.join(unknown)}.")
    # Countries the organization table does not hold ("France") must agree just the same:
    # "where does France rank" is not answered by a sentence about the US.
    forms = name_forms(question, required | optional, known)
    abroad = countries(question, known) - {p.lower() for p in forms}
    # A refusal's closest sentence is looked for without the year no document writes.
    years = asked_years(question) - (unwritten_years(index, question) if unknown_ok else set())
    # "who examined the 2024 accounts": perhaps later; a figure of "the 2024 season" is that
    # year's
    years_named = (naming_years(question) & years if wanted.kind is not Kind.AMOUNT
                   else frozenset())
    eras = asked_eras(question)
    # "How many homes are let now?": a figure of the document's own time, not "in 2019 ..."
    present = wanted.kind is Kind.AMOUNT and not years and _PRESENT.search(question) is not None
    codes = () if unknown_ok else asked_codes(index, question)
    coded: set[tuple[str, int]] = set()  # the sentences that write them
    ahead = wanted.kind is Kind.DATE and FUTURE.search(question) is not None
    # "When will it open?", not "When did it announce that it will close?"
    asks_will = ahead and re.match(r"\s*when (?:will|shall)\b", question, re.IGNORECASE)
    event = life_event(question) if wanted.kind in (Kind.DATE, Kind.PLACE) else None
    terms = question_terms(index, question)
    yes_no = is_yes_no(question)
    entity_words = {stem(t) for form in forms for t in index.tokenize(form)}
    focus_terms = {t: w for t, w in terms.items() if t not in entity_words}
    subject = definiendum(question)
    item = list_item(question) if wanted.kind is None else None
    roles = role_words(question) if wanted.kind is Kind.PERSON else ()
    # "Applicant: ...": a field for who did it; "Technician: ...", one for the thing asked
    # which of, in the document the question is about (not a "Date:" field for every date)
    doers = doer_labels(question) if wanted.kind in (Kind.PERSON, Kind.ORG) else ()
    noun = noun_label(question) if wanted.kind in (Kind.PERSON, Kind.ORG, None) else ""
    kin = kin_asked(question) if wanted.kind is Kind.PERSON else None
    naming = names_asked(question)
    # a figure or a date of a name: not from a sentence whose subject is another name
    proper = asked_names(question) if wanted.kind in (Kind.AMOUNT, Kind.DATE) else frozenset()
    asked = Asked.of(question, wanted, known, required) if wanted.kind else None
    rows: list[_Row] = []
    through_title = by_title(index, known, required)
    # A refusal's closest sentence (`unknown_ok`) is looked for without the name it lacks.
    writes = writes_names(index, "" if unknown_ok else question)
    pool = _pool(index, ranking, query_vector)
    # "Who wrote X": X is the document the best passage is from, not any the pool reaches.
    best_source = next(iter(pool))[0] if pool else None
    for (source, a, b), (place, chunk_cos) in pool.items():
        doc = index.documents[source]
        text = doc.text
        if _byline(doc.author, text, a, b) and authored(question, doc.author) is None:
            continue  # "By ..." says who wrote the document, nothing about its subject
        if not writes(source, (doc.title, doc.author, text)):
            continue
        if (is_heading(text, a, b) and not _byline(doc.author, text, a, b)
                and not is_field(text, a, b)):
            continue  # a heading is read with the sentences under it, never as an answer
        if _ASKS.search(text, a, b) and _ASKING.match(text, a, b):
            continue  # a question the text asks ("Q14: how many sailings ...?") answers nothing
        if not yes_no and words_of(index, text[a:b]) <= terms.keys() and not _has_verb(
                index.parses.get(source), a, b):
            continue  # a label of the question's own words: "Oudemuur Chenin Blanc 2021."
        if _run_in(text, a, b) and not _has_verb(index.parses.get(source), a, b):
            continue  # "Winter wheat. Winter wheat averaged ...": a paragraph's run-in heading
        heading, before = heading_context(text, a)
        lead = lead_sentence(text, a, before)
        in_sentence = {s.text for s in organizations(text, known, a, b)}
        section = section_heading(text, a)  # "### The Harbour Bridge" over "The bridge opened"
        around = {s.text for s in organizations(f"{section}\n{heading}\n{before}\n{lead}",
                                                 known)}
        held = in_sentence | around
        missing = required - held  # held through the title, or by "the trust" for the Trust
        if missing:  # a surname inside a person's name is no other name the sentence is about
            others = named_here(text, known, a, b, _people(index, source, a, b)) | around
            if naming and (after := _noun_at(text, a, b, naming)) is not None:
                # "four gates: Bishopsgate, Wend Gate and ...": the names asked for
                others = {o for o in others if text.find(o, after, b) < 0}
            if wanted.kind is Kind.ORG and len(others) == 1 and not around:
                # "Which firm sponsors the club?": the one organization a sentence of the
                # club's own document names may be the answer, not another subject
                others = set()
            if not missing <= through_title(source, others) | referred(text, a, b, missing):
                continue
        if abroad and not abroad <= countries(f"{heading}\n{before}\n{lead}\n{text[a:b]}", known):
            continue
        if codes and writes_codes(f"{doc.title}\n{heading}\n{before}\n{lead}\n{text[a:b]}",
                                  codes):
            coded.add((source, a))
        if years and other_years(f"{heading}\n{before}\n{lead}\n{text[a:b]}", years,
                                 doc.title or "") and not (
                years_named and dated_after(text[a:b], years_named)  # its own dates alone
                and not other_years(f"{heading}\n{before}\n{lead}", years, doc.title or "")):
            continue
        if (present and doc.date and not _PRESENT.search(text, a, b)
                and other_years(text[a:b], frozenset({doc.date[:4]}))):
            continue
        if eras and other_era(f"{heading}\n{before}\n{lead}\n{text[a:b]}", eras):
            continue
        # The parts of qa.ingest.context.meaning_text, so the vector stored at build is found
        context = f"{heading} {lead}".strip()
        clause = a  # where the text compared with the question starts
        if roles and not says_role(f"{context} {before} {text[a:b]}", roles):
            continue
        # unless the document's title, the section's heading or the paragraph before names it:
        # then they are about it, whoever acts in the sentence ("The County Council approved")
        if (proper and not proper & name_keys(f"{doc.title} {section} {heading} {before}")
                and other_subject(index.parses.get(source), text, a, b, proper,
                                  _agents(index, source))):
            continue
        spans = typed_spans(text, a, b, asked) if asked is not None else ()
        introduced = () if kin is None or not _kin_about(kin[1], source, best_source, text,
                                                         a, b, before) else tuple(
            s for s in spans if introduced_as(text, s.start, kin[0]))
        spans = introduced or spans  # "her children": "three children, Rosalind, Tamsin and ..."
        if ahead and dated_before(text, spans, doc.date) and not FUTURE.search(text, a, b):
            continue  # "When will it open?": not from a sentence dating only the past
        if asks_will and len(spans) > 1 and (will := FUTURE.search(text, a, b)):
            # "The next bulletin, covering October to December 2024, will be published on
            # 11 February 2025": the date the verb of what will happen governs
            spans = tuple(s for s in spans if s.start > will.start()) or spans
        if event and other_event(text, a, b, event):
            continue  # "When did she die?": not from "She was born in 1879"
        if wanted.kind and not spans and not model:
            continue  # the learned model weighs the missing kind (fit 0) instead
        seen = words_of(index, f"{context} {text[a:b]}")
        fit = max((fit_of(s, wanted) for s in spans), default=0.0 if wanted.kind else 1.0)
        if wanted.kind is Kind.PERSON and not fit and person_before(index, source, a):
            fit = 1.0  # "He also wrote it": the person the sentence before names answers
        measured = _says_as_asked(text, a, spans, wanted)
        future = ahead and bool(spans) and FUTURE.search(text, a, b) is not None
        row = measured and fit == 1.0 and _named_row(index, text, a, terms)
        labelled = (bool(spans) or not wanted.kind) and (
            any(_labelled(text, a, b, label) for label in doers)
            or bool(noun) and source == best_source and _labelled(text, a, b, noun))
        if "reason" in wanted.prefer:  # "why": a sentence that gives a cause
            fit = 1.0 if CAUSE.search(text, a, b) else 0.0
        elif subject:  # "what is X": "X, a ...", "X is a ...", "called X"
            at = defines(text[a:b], subject)
            fit = 0.5 if at is None else 1.0
            if at is not None:  # the definition, not the rest of a long sentence, is compared
                clause, context = a + at, ""
        elif item:  # "the first thing it proved": the list's item that opens with "First,"
            fit = 1.0 if item.match(text, a) else 0.5
        words, focus = coverage(terms, seen), coverage(focus_terms, seen)
        cheap = words + 0.5 * chunk_cos + WEIGHTS["rank"] / place
        byline = authored(question, doc.author) if source == best_source else None
        rows.append(_Row(cheap, source, a, b, place, words, focus, fit,
                         required <= in_sentence, context, clause, spans,
                         bool(byline) and any(s.text == byline for s in spans), measured,
                         future, bool(introduced), row, labelled))
    if not rows:
        what = PHRASES.get(wanted.label, "an answer")
        return wanted, terms, [], (
            f"No passage about {' and '.join(sorted(required))} gives {what}." if required
            else f"No passage gives {what}.")
    if coded:  # "sample CH-24-04": the sentences that write it, not one about CH-24-03
        rows = [r for r in rows if (r.source, r.start) in coded] or rows
    if any(r.measured for r in rows):  # then "after six years" fits less
        rows = [r._replace(fit=1.0 if r.measured else min(r.fit, MEASURED_ELSEWHERE))
                for r in rows]
    if any(r.row for r in rows):  # "hectares of spring barley": its row in the table
        rows = [r for r in rows if r.row]
    if any(r.labelled for r in rows):  # "who applied": the form's "Applicant:" field
        rows = [r for r in rows if r.labelled]
    if any(r.future for r in rows):  # "when will it be held": not the year it began
        rows = [r for r in rows if r.future]
    if any(r.kin for r in rows):  # "her children": the sentence that names them
        rows = [r for r in rows if r.kin]
    if event in TOLD_FIRST:  # "where did she die": a sentence that says she died, if one does
        rows = [r for r in rows if tells_event(index.documents[r.source].text, r.start, r.end,
                                               event)] or rows
    if "code" in wanted.prefer:  # "which command": the sentences that write code, if any do
        coded = [r for r in rows
                 if new_code(index.documents[r.source].text, r.start, r.end, question,
                             "identifier" in wanted.prefer)]
        rows = coded or rows
    if "reason" in wanted.prefer and any(r.fit for r in rows):
        rows = [r for r in rows if r.fit]
    if (subject or item) and any(r.fit == 1.0 for r in rows):
        rows = [r for r in rows if r.fit == 1.0]  # a definition (list item) beats a mention
    if any(r.byline for r in rows):  # "who wrote it": the document says so in its byline
        rows = [r for r in rows if r.byline]
    # The sentences' vectors were stored at build, so every row's meaning is known before
    # the cut: a sentence that says the answer without the question's words ("The cooperative
    # was founded in 1987 by ...") is kept for it.
    texts = [read_with(r.context, index.documents[r.source].text[r.clause:r.end]) for r in rows]
    cosines = encode(index, texts) @ np.asarray(query_vector, dtype=np.float32)
    kept = sorted(range(len(rows)), key=lambda i: -(rows[i].cheap + cosines[i])
                  )[:at_most or EMBED_AT_MOST]
    rows, meaning = [rows[i] for i in kept], cosines[kept]
    if not model:
        cands = [Candidate(r.source, r.start, r.end, r.rank, float(cos), r.words, r.focus,
                           r.fit, r.inside, sentence_score(float(cos), r.words, r.focus, r.rank,
                                                           r.fit, r.inside), r.spans)
                 for r, cos in zip(rows, meaning, strict=True)]
    else:
        asking = Asking.of(question, terms, model.types, content_sequence(index, question),
                           model.contexts)
        cands = [_learned(index, r, float(cos), asking, model)
                 for r, cos in zip(rows, meaning, strict=True)]
    return wanted, terms, sorted(cands, key=lambda c: -c.score), None


def _kin_about(owner: str | None, source: str, best_source: str | None, text: str, a: int,
               b: int, before: str) -> bool:
    """A sentence may name the relatives of the person the question asks about: one that
    writes the person's name ("Ruth Calloway's sons"), or, for "her sons", one of the
    document the best passage is from. "his wife, Sawa" elsewhere is someone else's."""
    if owner is None:
        return source == best_source
    return re.search(rf"\b{re.escape(owner)}\b", f"{before} {text[a:b]}") is not None


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
    r"(?:Q\d*|[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3})\s*(?:\([^()\n]{0,40}\))?\s*:\s"
    r"|(?i:what|which|who|whom|whose|when|where|why|how)\b")


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
    if wanted.unit and spans and (
            any(written_unit(s) == wanted.unit for s in spans)
            or {c.start for c in cells_in(text, a, wanted.unit)} & {s.start for s in spans}):
        return True
    return wanted.change and any(stated_as_change(text, a, s) for s in spans)


def _labelled(text: str, a: int, b: int, label: str) -> bool:
    """text[a:b] is a form's field whose label is written as `label` (a pattern of
    `qa.reader.agree.doer_labels` or `noun_label`):
    "Applicant: Mr T. Wren" for "who applied"; not "Report date:" nor "Received: 12 May"."""
    colon = text.find(":", a, b)
    return (colon > a and is_field(text, a, b)  # a list item's marker is no part of it
            and re.fullmatch(label, text[a:colon].strip().lstrip("-*•+ \t"),
                             re.IGNORECASE) is not None)


_PRESENT = re.compile(r"\b(?:now|today|currently|presently|nowadays|at present|these days|"
                      r"at the moment)\b", re.IGNORECASE)


def _run_in(text: str, a: int, b: int) -> bool:
    """text[a:b] opens its line, is at most four words ending in a full stop, and the line
    goes on with a sentence that says one of its words again: a bold run-in heading once its
    marks are gone ("**Oats.** The oats were ..."), not "Capacity 40,000." nor "Winner: ..."."""
    if not ((not a or text[a - 1] == "\n") and text[b - 1:b] == "." and text[b:b + 1] == " "
            and len(text[a:b].split()) <= 4 and not _FACT_MARK.search(text, a, b)):
        return False
    line_end = text.find("\n", b)
    following = text[b:line_end if line_end >= 0 else len(text)][:300].lower()
    return any(len(w) > 2 and re.search(rf"\b{re.escape(w)}", following)
               for w in re.findall(r"[^\W\d_]+", text[a:b].lower()))


_FACT_MARK = re.compile(r"[\d:]")


def _has_verb(parse: Parse | None, a: int, b: int) -> bool:
    """A token of [a, b) is a verb by its stored tag (True without a stored parse)."""
    if parse is None or not parse.starts:
        return True
    return any(parse.tags[i].startswith("VB") or parse.tags[i] == "MD"
               for i in parse.within(a, b))


def _byline(author: str | None, text: str, a: int, b: int) -> bool:
    """`text[a:b]` is the document's byline: its author, with or without "By", alone."""
    if not author or b - a > len(author) + 4:
        return False
    return text[a:b].strip().lower() in (author.lower(), f"by {author.lower()}")


def _learned(index: Index, r: _Row, meaning: float, asking: Asking,
             model: ReaderModel) -> Candidate:
    """A candidate scored by the learned model, with its stored spans scored too."""
    text = index.documents[r.source].text
    choices = tuple(span_choices(text, r.start, r.end, _stored(index, r.source, r.start, r.end),
                                 asking, index.parses.get(r.source)))
    if r.labelled and not r.spans:  # "Engine: Lister diesel, 18 hp": its value's first part
        colon = text.find(":", r.start, r.end)
        stop = _VALUE_END.search(text, colon + 1, r.end)
        end = r.end if stop is None else stop.start()
        choices = tuple(c for c in choices if colon < c.start and c.end <= end) or choices
    logits = (tuple(model.span.logits(np.array([c.features for c in choices])).tolist())
              if choices else ())
    fresh = [c.features[0] for c in choices if c.features[2] == 0.0]  # not said in the question
    present = math.exp(max(fresh, default=math.log(1e-4)))
    features = sentence_features(
        meaning, r.words, r.focus, r.rank, r.fit, r.inside, max(logits, default=NO_SPAN), present,
        wording(asking.sequence, asking.terms, content_sequence(index, text[r.start:r.end])))
    logit = float(model.sentence.logits(np.array(features)))
    return Candidate(r.source, r.start, r.end, r.rank, meaning, r.words, r.focus, r.fit,
                     r.inside, 1.0 / (1.0 + math.exp(-logit)), r.spans, choices, logits,
                     features, logit)


_VALUE_END = re.compile(r"[,;(|]")


def _stored(index: Index, source: str, a: int, b: int) -> list[tuple[int, int, frozenset[str]]]:
    """The spans the entity finder stored inside text[a:b] of `source`, with their types."""
    found = index.entities.get(source, ())
    starts = index.derived.setdefault("entity_starts", {})
    if source not in starts:
        starts[source] = [s for s, _, _ in found]
    text = index.documents[source].text
    return [span for span in spans_in(found, starts[source], a, b)
            if not is_label(text, span[0], span[1])]


def _people(index: Index, source: str, a: int, b: int) -> list[tuple[int, int]]:
    """Where text[a:b] names a person, as the entity finder marked it."""
    return [(s, e) for s, e, kinds in _stored(index, source, a, b) if "PERSON" in kinds]


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


NO_SPAN = -10.0  # the best-span feature of a sentence holding no stored span


def answerable(cands: Sequence[Candidate], model: ReaderModel) -> float:
    """The learned logit that the best candidate answers the question."""
    best = cands[0]
    x = answerable_features([c.logit for c in cands[:2]], max(best.span_logits, default=NO_SPAN),
                            best.meaning, best.words, best.features[TYPE_PRESENT], bool(best.spans),
                            best.type, best.inside)
    return float(model.answerable.logits(np.array(x)))


# How a refusal names what the question asked for, by `Wanted.label`.
PHRASES = {"amount": "a figure", "date": "a date", "person": "a name",
           "org": "an organization", "place": "a place"}


def _pool(index: Index, ranking: Ranking,
          query_vector: np.ndarray) -> dict[tuple[str, int, int], tuple[int, float]]:
    """Sentences of the best chunks, each with its best chunk rank and that chunk's cosine.

    The chunks are the best of the ranking `search` shows (same fusion, same source filter),
    plus in hybrid mode the best of each side alone. Unlike `search` this keeps chunks that
    overlap a better one: with overlapping chunks the sentence that answers is sometimes only
    in the one `search` leaves out.
    """
    if ranking.mode is Mode.HYBRID:
        chosen = ranking.ids[:POOL_FUSED].tolist()
        chosen += [i for i in ranking.vector_ids[:POOL_EACH].tolist() if i not in chosen]
        chosen += [i for i in ranking.bm25_ids[:POOL_EACH].tolist() if i not in chosen]
    else:
        chosen = ranking.ids[:POOL_FUSED + POOL_EACH].tolist()
    if ranking.vector is not None:
        cosine = dict(zip(ranking.ids.tolist(), ranking.vector.tolist(), strict=True))
    else:  # BM25 mode ranks without vectors
        cosine = dict(zip(chosen, cosines(index, query_vector, np.asarray(chosen)).tolist(),
                          strict=True))
    pool: dict[tuple[str, int, int], tuple[int, float]] = {}
    for place, i in enumerate(chosen, start=1):
        chunk = index.chunks[i]
        text = index.documents[chunk.source].text
        for a, b in split_sentences(text, chunk.start, chunk.end):
            key = (chunk.source, a, b)
            if key not in pool:
                pool[key] = (place, max(cosine[i], 0.0))
    return pool
