"""Read the best passages for a question and pick the sentence and span that answer it.

`read` is what `qa.answer.ask` calls; see that module's docstring for the steps.

The weights and the no-answer threshold were chosen by a small grid search on the 107
evaluation questions (seeds/questions.jsonl) and kept round: meaning counts fully, the
question's other words 0.25, the passage rank 0.1/rank, the span kind 0.6. The threshold
sits between the best score of an unanswerable question (0.929) and the lowest of a right
answer (0.944), with passages ranked as `search` ranks them (weighted fusion, the default;
with RRF the gap was 0.84-0.94). Leave-one-out over the same grid is printed by
`pytest -m slow -s -k accuracy tests/test_answer.py`; it stays close to the in-sample
figure, so the knobs are not fitted to single questions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from qa.ingest.chunking import split_sentences
from qa.ingest.context import lead_sentence, read_with
from qa.reader.agree import authored, role_words, says_role
from qa.reader.base import Reading
from qa.reader.extract import (
    Kind,
    Span,
    dates,
    heading_context,
    is_heading,
)
from qa.reader.learned import (
    SPAN_FEATURES,
    TYPE_PRESENT,
    Asking,
    ReaderModel,
    SpanChoice,
    answerable_features,
    load_model,
    sentence_features,
    span_choices,
    spans_in,
    wording,
)
from qa.reader.names import KnownNames, known_names, organizations, places
from qa.reader.pick import (
    ALTERNATIVE_MARGIN,
    Asked,
    Candidate,
    Pick,
    comparable,
    disagreeing,
    encode,
    fit_of,
    followed_by,
    pick_span,
    typed_spans,
)
from qa.reader.question import (
    WH_WORDS,
    Comparison,
    Superlative,
    Wanted,
    amount_wanted,
    analyse,
    comparison,
    content_sequence,
    coverage,
    defines,
    definiendum,
    list_item,
    named,
    question_terms,
    stem,
    superlative,
    words_of,
)
from qa.search.base import Ranking, SearchSettings
from qa.search.hybrid import cosines, rank_chunks
from qa.store.index import Index
from qa.types import Mode

__all__ = [
    "NO_ANSWER_SCORE", "Candidate", "ExtractiveReader", "Pick", "Reading", "candidates",
    "pick_span", "read", "unknown_names",
]

NO_ANSWER_SCORE = 0.935  # below this best-sentence score the sources are taken not to answer
WEIGHTS = {"meaning": 1.0, "words": 0.0, "focus": 0.25, "rank": 0.1, "type": 0.6,
           "context_only": 0.1}
FIGURE_WORDS = 0.5  # share of a superlative question's words a compared figure's sentence has
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
    known = known_names(index)
    required, optional = named(question, known)
    unknown = [] if unknown_ok else unknown_names(index, question)
    if unknown:  # never answered with another name's figure
        return (wanted, {}, [],
                f"The sources never mention {' or '.join(unknown)}.")
    # Countries the organization table does not hold ("France") must agree just the same:
    # "where does France rank" is not answered by a sentence about the US.
    forms = _forms(question, required | optional, known)
    countries = _countries(question, known) - {p.lower() for p in forms}
    years = asked_years(question)
    ahead = wanted.kind is Kind.DATE and _FUTURE.search(question) is not None
    terms = question_terms(index, question)
    entity_words = {stem(t) for form in forms for t in index.tokenize(form)}
    focus_terms = {t: w for t, w in terms.items() if t not in entity_words}
    subject = definiendum(question)
    item = list_item(question) if wanted.kind is None else None
    roles = role_words(question) if wanted.kind is Kind.PERSON else ()
    asked = Asked.of(question, wanted, known, required) if wanted.kind else None
    rows: list[_Row] = []
    by_title = _by_title(index, known, required)
    # A refusal's closest sentence (`unknown_ok`) is looked for without the name it lacks.
    writes_names = _writes_names(index, "" if unknown_ok else question)
    pool = _pool(index, ranking, query_vector)
    # "Who wrote X": X is the document the best passage is from, not any the pool reaches.
    best_source = next(iter(pool))[0] if pool else None
    for (source, a, b), (place, chunk_cos) in pool.items():
        doc = index.documents[source]
        text = doc.text
        if _byline(doc.author, text, a, b) and authored(question, doc.author) is None:
            continue  # "By ..." says who wrote the document, nothing about its subject
        if not writes_names(source, (doc.title, doc.author, text)):
            continue
        heading, before = heading_context(text, a)
        lead = lead_sentence(text, a, before)
        in_sentence = {s.text for s in organizations(text, known, a, b)}
        around = {s.text for s in organizations(f"{heading}\n{before}\n{lead}", known)}
        held = in_sentence | around
        missing = required - held  # held through the title, or by "the trust" for the Trust
        if missing and not missing <= by_title(source, held) | _referred(text, a, b, missing):
            continue
        if countries and not countries <= _countries(f"{heading}\n{before}\n{lead}\n{text[a:b]}",
                                                     known):
            continue
        if years and _other_years(f"{heading}\n{before}\n{lead}\n{text[a:b]}", years):
            continue
        # The parts of qa.ingest.context.meaning_text, so the vector stored at build is found
        context = f"{heading} {lead}".strip()
        clause = a  # where the text compared with the question starts
        if roles and not says_role(f"{context} {before} {text[a:b]}", roles):
            continue
        spans = typed_spans(text, a, b, asked) if asked is not None else ()
        if wanted.kind and not spans and not model:
            continue  # the learned model weighs the missing kind (fit 0) instead
        seen = words_of(index, f"{context} {text[a:b]}")
        fit = max((fit_of(s, wanted) for s in spans), default=0.0 if wanted.kind else 1.0)
        # "410 metres long" says what "how long is the wall" asks
        measured = bool(wanted.measured) and any(followed_by(text, s.end, wanted.measured)
                                                 for s in spans)
        future = ahead and bool(spans) and _FUTURE.search(text, a, b) is not None
        if "reason" in wanted.prefer:  # "why": a sentence that gives a cause
            fit = 1.0 if _CAUSE.search(text, a, b) else 0.0
        elif subject:  # "what is X": "X, a ...", "X is a ...", "called X"
            at = defines(text[a:b], subject)
            fit = 0.5 if at is None else 1.0
            if at is not None:  # the definition, not the rest of a long sentence, is compared
                clause, context = a + at, ""
        elif item:  # "the first thing it proved": the list's item that opens with "First,"
            fit = 1.0 if item.match(text, a) else 0.5
        elif is_heading(text, a, b) and not _byline(doc.author, text, a, b):
            fit = min(fit, 0.3)  # a heading is no answer sentence, nor a name in it an answer
        words, focus = coverage(terms, seen), coverage(focus_terms, seen)
        cheap = words + 0.5 * chunk_cos + WEIGHTS["rank"] / place
        byline = authored(question, doc.author) if source == best_source else None
        rows.append(_Row(cheap, source, a, b, place, words, focus, fit,
                         required <= in_sentence, context, clause, spans,
                         bool(byline) and any(s.text == byline for s in spans), measured,
                         future))
    if not rows:
        what = _PHRASES.get(wanted.label, "an answer")
        return wanted, terms, [], (
            f"No passage about {' and '.join(sorted(required))} gives {what}." if required
            else f"No passage gives {what}.")
    if any(r.measured for r in rows):  # then "after six years" fits less
        rows = [r._replace(fit=1.0 if r.measured else min(r.fit, MEASURED_ELSEWHERE))
                for r in rows]
    if any(r.future for r in rows):  # "when will it be held": not the year it began
        rows = [r for r in rows if r.future]
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


def _byline(author: str | None, text: str, a: int, b: int) -> bool:
    """`text[a:b]` is the document's byline: its author, with or without "By", alone."""
    if not author or b - a > len(author) + 4:
        return False
    return text[a:b].strip().lower() in (author.lower(), f"by {author.lower()}")


def _by_title(index: Index, known: KnownNames, required: frozenset[str],
              ) -> Callable[[str, set[str]], frozenset[str]]:
    """The required names a sentence holds through its document's title.

    An article titled "Kessingen approves its budget" does not repeat the town's name in
    every sentence: "The mayor called the vote ..." is about Kessingen all the same. A sentence
    (with the context it is read with) that names no other name of the same kind (a place for
    a place, an organization for an organization) is read as about the title's names; one
    that names another is about that one, so another name's figure is still not given."""
    titles: dict[str, frozenset[str]] = {}

    def held(source: str, named_here: set[str]) -> frozenset[str]:
        if source not in titles:
            titles[source] = title_names(index.documents[source].title or "", known) & required
        return frozenset(
            name for name in titles[source] - named_here
            if not any((other in known.places) == (name in known.places) for other in named_here))

    return held


_CAPS_WORD = re.compile(r"\b[^\W\d_a-z]{4,}\b")  # a word in capitals, too long for most acronyms


def title_names(title: str, known: KnownNames) -> frozenset[str]:
    """The names a title writes, in capitals too: "ACME CLUB NEWSLETTER No. 5" names Acme
    ("NHS" stays an acronym)."""
    cased = _CAPS_WORD.sub(lambda m: m.group().title(), title)
    return frozenset(s.text for t in {title, cased} for s in organizations(t, known))


def _referred(text: str, a: int, b: int, names: Collection[str]) -> frozenset[str]:
    """The names `text[a:b]` refers back to by their last word: "The new trust is led by ..."
    after a paragraph about "the North Vale Hospitals NHS Trust". The document must have
    written the name before, and no other name ending in the same word since (then "the
    trust" could be either)."""
    out = set()
    for name in names:
        head = name.split()[-1] if " " in name else ""
        if len(head) < 3 or not head.isalpha():
            continue
        if not re.search(rf"\b[Tt]he (?:\w+ )?{re.escape(head.lower())}\b", text[a:b]):
            continue
        last = text.rfind(name, 0, a)
        other = re.compile(rf"[A-Z][\w'’-]* {re.escape(head)}\b")  # "the Lake Trust"
        if last >= 0 and not other.search(text, last + len(name), a):
            out.add(name)
    return frozenset(out)


def _learned(index: Index, r: _Row, meaning: float, asking: Asking,
             model: ReaderModel) -> Candidate:
    """A candidate scored by the learned model, with its stored spans scored too."""
    found = index.entities.get(r.source, ())
    starts = index.derived.setdefault("entity_starts", {})
    if r.source not in starts:
        starts[r.source] = [s for s, _, _ in found]
    text = index.documents[r.source].text
    choices = tuple(span_choices(text, r.start, r.end,
                                 spans_in(found, starts[r.source], r.start, r.end), asking,
                                 index.parses.get(r.source)))
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


NO_SPAN = -10.0  # the best-span feature of a sentence holding no stored span


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
    if asked is not None and (compared := compare(index, question, asked, ranking.mode, model)):
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
            closest = _pick(index, wanted, terms, cands, query_vector, model)
        return Reading(None, (), _no(why_not or ""), wanted.label, (), rejected=closest)
    best = cands[0]
    sureness = None
    pick = _pick(index, wanted, terms, cands, query_vector, model)
    if model:
        logit = answerable(cands, model)
        sure, sureness = logit >= model.answer_threshold, model.sureness(logit)
    else:
        sure = best.score >= NO_ANSWER_SCORE
    if not sure:
        return Reading(None, (), _no("The closest sentences are only loosely related."),
                       wanted.label, tuple(cands), rejected=pick)
    alternatives = disagreeing(index, cands, pick, wanted, terms, query_vector,
                               0.0 if model else NO_ANSWER_SCORE)
    return Reading(pick, alternatives, None, wanted.label, tuple(cands), sureness=sureness)


def _pick(index: Index, wanted: Wanted, terms: dict[str, float], cands: Sequence[Candidate],
          query_vector: np.ndarray, model: ReaderModel | None) -> Pick | None:
    """The span of the best candidate, learned or by the rules; None without candidates."""
    if not cands:
        return None
    if not model:
        return pick_span(index, cands[0], wanted, terms, query_vector)
    return learned_pick(index, cands[0], wanted, terms, query_vector, model)


def _whole(question: str, wanted: Wanted) -> Wanted:
    """ "What is X" (a list's item) is answered by the definition (the item), whole."""
    if definiendum(question) or list_item(question):
        return replace(wanted, prefer=wanted.prefer | {"whole"})
    return wanted


def compare(index: Index, question: str, asked: Comparison, mode: Mode,
            model: ReaderModel | None) -> Reading | None:
    """ "Who spends more on X, A or B?": each option's figure, read as its own question ("...
    on X, A?") from passages ranked for it, and the larger (smaller) as the answer. None when
    either has no figure or they are not the same kind of figure (money and a percentage)."""
    wanted = amount_wanted(question)
    picks = []
    for option, other in (asked.options, asked.options[::-1]):
        vector, terms, cands = _figure_candidates(
            index, asked.asking_about(option, question), wanted, mode, model)
        cands = _for_option(index, cands, option, other)
        if not cands:
            return None
        pick = pick_span(index, cands[0], wanted, terms, vector)
        if pick.value is None:
            return None
        picks.append(pick)
    first, second = picks
    if not comparable(first, second) or first.source == second.source and (
            first.start == second.start):
        return None
    order = sorted(picks, key=lambda p: p.high or p.value, reverse=asked.larger_wins)
    return Reading(order[0], (), None, "comparison", (), compared=tuple(picks))


def _for_option(index: Index, cands: Sequence[Candidate], option: str,
                other: str) -> list[Candidate]:
    """The candidates for one option of a comparison: the sentences that write it, or that
    write neither when the option is the one of the two their paragraph (or heading) wrote
    last ("St Aldhelm's is older. It ... has 268 beds"), with a figure of their own; none, and
    the comparison is not made. A sentence that sets both options side by side, a figure after
    each ("A held 860 burrows and B 315"), is one statement about the same thing and comes
    first; in a sentence that writes both, the option's figures are those from its mention up
    to the other's."""
    writing, both = [], []
    for cand in cands:
        text = index.documents[cand.source].text
        at, then = _find(text, option, cand.start, cand.end), _find(text, other, cand.start,
                                                                      cand.end)
        if at < 0:
            if then < 0:  # neither: the one its paragraph wrote last
                heading, before = heading_context(text, cand.start)
                above = f"{heading}\n{before}".casefold()
                if above.rfind(option.casefold()) > above.rfind(other.casefold()):
                    writing.append(cand)
            continue
        cuts = sorted({at, then, cand.end} - {-1})
        own = _between(cand, at, cuts)
        theirs = _between(cand, then, cuts) if then >= 0 else ()
        if own:
            (both if theirs else writing).append(replace(cand, spans=own))
    return both or writing


def _find(text: str, words: str, start: int, end: int) -> int:
    """Where `words` are first written in `text[start:end]`, in any case; -1 if nowhere."""
    m = re.compile(re.escape(words), re.IGNORECASE).search(text, start, end)
    return -1 if m is None else m.start()


def _between(cand: Candidate, at: int, cuts: list[int]) -> tuple[Span, ...]:
    """The spans of `cand` from `at` (an offset in its document) up to the next of `cuts`."""
    stop = next(c for c in cuts if c > at)
    return tuple(s for s in cand.spans if at <= s.start < stop)


def rank_figures(index: Index, question: str, asked: Superlative, mode: Mode,
                 model: ReaderModel | None) -> Reading | None:
    """ "Which company spends the most on X?": the figure each source gives for X, read as the
    question without its superlative ("... spends on X?"), the largest (smallest) first, each
    cited. A figure counts when its sentence holds most of the question's words, scores within
    ALTERNATIVE_MARGIN of the best one and is in the best one's unit (two currencies are not
    compared). None when fewer than two sources give such a figure: the question is then read
    as it stands."""
    wanted = amount_wanted(question)
    vector, terms, cands = _figure_candidates(index, asked.without(question), wanted, mode, model)
    # Each figure's sentence says most of what the question asks about (the rarer words
    # count more): "the most on rockets" compares no figures about chip plants.
    cands = [c for c in cands if c.words >= FIGURE_WORDS]
    picks: list[Pick] = []
    for cand in cands:
        if cand.score < cands[0].score - ALTERNATIVE_MARGIN:
            break
        if any(p.source == cand.source for p in picks):
            continue  # one figure per source: its best
        pick = pick_span(index, cand, wanted, terms, vector)
        if pick.value is not None and (not picks or pick.unit == picks[0].unit
                                       and comparable(pick, picks[0])):
            picks.append(pick)
    if len(picks) < 2:
        return None
    order = sorted(picks, key=lambda p: p.high or p.value, reverse=asked.larger_wins)
    return Reading(order[0], (), None, "comparison", (), compared=tuple(order))


def _figure_candidates(index: Index, sub: str, wanted: Wanted, mode: Mode,
                       model: ReaderModel | None,
                       ) -> tuple[np.ndarray, dict[str, float], list[Candidate]]:
    """A figure question of a comparison asked on its own: its vector, its words, and the
    candidate sentences holding a figure, best first, from passages ranked for it."""
    vector = index.embedder.encode([sub])[0]
    ranking = rank_chunks(index, sub, SearchSettings(mode=mode),
                          query_vector=None if mode is Mode.BM25 else vector)
    _, terms, cands, _ = candidates(index, sub, None, vector, ranking=ranking, model=model,
                                    wanted=wanted)
    return vector, terms, [c for c in cands if c.spans]


def answerable(cands: Sequence[Candidate], model: ReaderModel) -> float:
    """The learned logit that the best candidate answers the question."""
    best = cands[0]
    x = answerable_features([c.logit for c in cands[:2]], max(best.span_logits, default=NO_SPAN),
                            best.meaning, best.words, best.features[TYPE_PRESENT], bool(best.spans),
                            best.type, best.inside)
    return float(model.answerable.logits(np.array(x)))


def learned_pick(index: Index, cand: Candidate, wanted: Wanted, terms: dict[str, float],
                 query_vector: np.ndarray, model: ReaderModel) -> Pick:
    """The rules' typed span when they found one; else the learned best span when it is
    sure enough, else the whole sentence."""
    text = index.documents[cand.source].text
    clause = answering_clause(text, cand.start, cand.end, wanted)
    if clause is not None:  # "why": the cause, "how": the means, inside its sentence
        return Pick(text[clause[0]:clause[1]], text[cand.start:cand.end], cand.source,
                    clause[0], clause[1], cand.start, cand.end, cand.score, "clause")
    if (cand.spans or not cand.choices or wanted.strict
            or wanted.prefer & {"whole", "reason", "manner"}):  # strict: no other unit's span
        pick = pick_span(index, cand, wanted, terms, query_vector)
        return replace(pick, score=cand.score)
    i = int(np.argmax(cand.span_logits))
    sentence = text[cand.start:cand.end]
    if cand.span_logits[i] < model.span_threshold:
        return Pick(sentence, sentence, cand.source, cand.start, cand.end, cand.start, cand.end,
                    cand.score, "sentence")
    start, end = cand.choices[i].start, cand.choices[i].end
    if wanted.many:
        start, end = list_around(text, cand.choices, i)
    return Pick(text[start:end], sentence, cand.source, start, end, cand.start, cand.end,
                cand.score, "list" if (start, end) != (cand.choices[i].start,
                                                       cand.choices[i].end) else "phrase")


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|as well as|&|;)\s*")


def list_around(text: str, choices: Sequence[SpanChoice], i: int) -> tuple[int, int]:
    """The list the i-th span is an item of: the spans of its type next to it, joined only
    by list punctuation ("A, B and C"), as one quoted range; just the span if it stands
    alone. Items the question itself says are not joined."""
    kind = choices[i].kind
    items = sorted((c.start, c.end) for c in choices
                   if c.kind == kind and not c.features[SPAN_FEATURES.index("inside_question")])
    if (choices[i].start, choices[i].end) not in items:
        return choices[i].start, choices[i].end
    at = items.index((choices[i].start, choices[i].end))
    lo = hi = at
    while lo > 0 and items[lo - 1][1] <= items[lo][0] and _LIST_GAP.fullmatch(
            text, items[lo - 1][1], items[lo][0]):
        lo -= 1
    while hi + 1 < len(items) and items[hi][1] <= items[hi + 1][0] and _LIST_GAP.fullmatch(
            text, items[hi][1], items[hi + 1][0]):
        hi += 1
    return items[lo][0], items[hi][1]


_PHRASES = {"amount": "a figure", "date": "a date", "person": "a name",
            "org": "an organization", "place": "a place"}


def _forms(question: str, names: Collection[str], known: KnownNames) -> list[str]:
    return [question[s.start:s.end] for s in organizations(question, known) if s.text in names]


# What will happen, as a question asks it ("When will ...?", "next year's festival") and as a
# sentence says it ("will take place", "is due to open", "plans to").
_FUTURE = re.compile(r"\b(?:will|shall|going to|(?:is|are) (?:due|set|scheduled|expected|planned)"
                     r" to|plans? to|next (?:year|month|week|season|summer|spring|autumn|winter)|"
                     r"upcoming)\b|'ll\b", re.IGNORECASE)


# A year after one of these bounds the answer ("after 1990", "around 1800"), it is not the
# answer's year.
_BOUND = re.compile(r"\b(?:before|after|since|until|till|by|from|to|between|than|and|prior to|"
                    r"as of|through|around|about|circa|c\.|approximately|roughly)\s+(?:the\s+)?"
                    r"(?:end\s+of\s+|early\s+|late\s+|mid-?\s?)?$", re.IGNORECASE)


def asked_years(question: str) -> frozenset[str]:
    """The years a question asks about ("How many passengers in 2022?"); not a year that only
    bounds it ("since 1990", "between 1990 and 1995")."""
    return frozenset(
        y for span in dates(question) if span.unit in ("year", "date", "month")
        for y in re.findall(r"\d{4}", span.text)
        if not _BOUND.search(question, 0, span.start))


def _other_years(text: str, years: frozenset[str]) -> bool:
    """`text` (a sentence with its context) is about other years than the question's: it
    writes a year, and none of them. "In 2019 the trains carried 38,500 passengers" does not
    answer "How many passengers in 2022?"."""
    if any(re.search(rf"(?<![\d.,]){y}(?![\d]|[.,]\d)", text) for y in years):
        return False  # written, if only as "the 1854 outbreak", which is no date span
    return any(re.search(r"\d{4}", span.text) for span in dates(text))


def _countries(text: str, known: KnownNames) -> set[str]:
    return {p.text.lower() for p in places(text, known) if p.unit == "country"}


_QUESTION_WORDS = frozenset({
    "how", "what", "who", "whom", "whose", "when", "where", "why", "which", "is", "are", "was",
    "were", "do", "does", "did", "can", "could", "will", "would", "should", "has", "have",
    "had", "i", "in", "on", "at", "according", "for", "if"})
_CAPITALIZED_RUN = re.compile(r"\b[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*)*")


def unknown_names(index: Index, question: str) -> list[str]:
    """Capitalized words of the question that no indexed chunk contains (the lexical index
    knows every word of the corpus): a name the sources never mention ("Samsung"), which no
    sentence about another name may answer."""
    found = []
    cited = _cited_words(index)
    opener = _sentence_case_opener(question)
    for start, words in _capitalized_runs(question):
        if start == opener:
            words = words[1:]
        while words and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]
        for word in words:
            tokens = index.tokenize(word)
            if tokens and all(index.bm25.rarity(t) is None and t not in cited for t in tokens):
                found.append(" ".join(words))  # the whole name: "World Cup", not "Cup"
                break
    return list(dict.fromkeys(found))


def _capitalized_runs(question: str) -> list[tuple[int, list[str]]]:
    """Each run of capitalized words in the question (where it starts, its words with any
    possessive cut): "Who leads Acme Holdings' board?" -> [(0, ["Who"]), (10, ["Acme",
    "Holdings"])]."""
    return [(m.start(), [re.sub(r"['’]s?$", "", w) for w in m.group().split()])
            for m in _CAPITALIZED_RUN.finditer(question)]


def _writes_names(index: Index, question: str,
                  ) -> Callable[[str, tuple[str | None, ...]], bool]:
    """Whether a document writes a word of every name the question names (in its text or
    its citation): a document that never writes "Lund" says nothing about the Margarethe
    Lund, whatever its figures, so none of its sentences answers a question about it.

    A name's words are its capitalized parts ("Tokyo" of "Tokyo-listed"), less the
    question's first word (sentence case), that the corpus's entity finder marked inside a
    name and never as a nationality or group: not "Dutch" or "European", which describe.
    Acronyms ("GPU", "CEO") are left out too: as many are common nouns as names."""
    named = _name_words(index)
    names = []
    first = len(question) - len(question.lstrip())
    for start, run in _capitalized_runs(question):
        words = [part for w in run[1 if start == first else 0:] for part in w.split("-")
                 if part in named]
        if words:
            names.append(words)
    seen: dict[str, bool] = {}

    def writes(source: str, texts: tuple[str | None, ...]) -> bool:
        if source not in seen:
            seen[source] = all(any(w in t for w in words for t in texts if t) for words in names)
        return seen[source]

    return writes


_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT",
                         "WORK_OF_ART", "LAW"})


def _name_words(index: Index) -> frozenset[str]:
    """The capitalized words of three letters or more the entity finder marked inside names
    and never inside a nationality or group, less acronyms; once per index."""
    words = index.derived.get("name_words")
    if words is None:
        kinds: dict[str, set[str]] = {}
        for source, found in index.entities.items():
            text = index.documents[source].text
            for a, b, kind in found:
                for w in re.findall(r"[A-Z][\w'’]{2,}", text[a:b]):
                    kinds.setdefault(w, set()).add(kind)
        words = frozenset(w for w, seen in kinds.items()
                          if seen & _NAME_TYPES and "NORP" not in seen and not w.isupper())
        index.derived["name_words"] = words
    return words


_OPENER = re.compile(r"\s*([A-Z][\w'’-]*)\s+(\w+)")


def _sentence_case_opener(question: str) -> int | None:
    """Where the question's first word is when its capital is only sentence case: a word
    right before a wh-word ("Roughly how much", "About when") modifies the question, which a
    name there could not ("Samsung how much" is no English). None otherwise."""
    m = _OPENER.match(question)
    return m.start(1) if m is not None and m.group(2).lower() in WH_WORDS else None


def _cited_words(index: Index) -> frozenset[str]:
    """Words of the documents' titles, authors and publishers (a question may name the
    publisher a text never repeats), once per index."""
    words = index.derived.get("cited_words")
    if words is None:
        words = frozenset(t for d in index.documents.values()
                          for field in (d.title, d.author, d.publisher) if field
                          for t in index.tokenize(field))
        index.derived["cited_words"] = words
    return words


def _no(detail: str) -> str:
    return f"The sources do not answer this question. {detail}"


# --- passages and sentences -------------------------------------------------------------------

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


_MEANS = re.compile(r"\b(?:by|through|using|via|with the help of|by means of)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:]|,\s|\s[–—-]\s")


def answering_clause(text: str, a: int, b: int, wanted: Wanted) -> tuple[int, int] | None:
    """For a why (how) question, the clause of text[a:b] that gives the cause (the means):
    from its marker ("because", "due to"; "by", "through") to the end of the clause, or
    None when the sentence has no such marker. A clause that opens the sentence ("Because
    of X, Y") ends at its comma; one inside it runs to the next clause break."""
    marker = (_CAUSE if "reason" in wanted.prefer else
              _MEANS if "manner" in wanted.prefer else None)
    found = marker.search(text, a, b) if marker else None
    if found is None:
        return None
    stop = _CLAUSE_END.search(text, found.end(), b)
    end = stop.start() if stop else b
    while end > found.start() and not text[end - 1].isalnum() and text[end - 1] not in ")%":
        end -= 1
    return (found.start(), end) if end - found.end() > 2 else None


_CAUSE = re.compile(r"\b(?:because|due to|owing to|as a result|since|following|thanks to|"
                    r"reason|so that|in order to|led to|driven by)\b", re.IGNORECASE)
