"""Questions that compare figures: "who spends more on X, A or B?" and "which company spends
the most on X?". Each option (source) gives its figure, read as its own question, and the
answer is the larger (smaller), each figure cited."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from qa.ingest.chunking import split_sentences
from qa.ingest.context import table_cells, table_header
from qa.reader.base import Reading
from qa.reader.candidates import candidates
from qa.reader.comparative import Comparison, Superlative
from qa.reader.extract import Kind, Span, duration_seconds, heading_context
from qa.reader.learned import ReaderModel
from qa.reader.pick import (
    ALTERNATIVE_MARGIN,
    Candidate,
    Pick,
    comparable,
    named_column,
    pick_span,
)
from qa.reader.question import Wanted, amount_wanted
from qa.search.base import SearchSettings
from qa.search.hybrid import rank_chunks
from qa.store.index import Index
from qa.types import Mode

__all__ = ["compare", "names_option", "rank_figures"]


FIGURE_WORDS = 0.5  # share of a superlative question's words a compared figure's sentence has


def compare(index: Index, question: str, asked: Comparison, mode: Mode,
            model: ReaderModel | None, passages: Sequence[int] = ()) -> Reading | None:
    """ "Who spends more on X, A or B?": a sentence of the best `passages` (chunk ids) that
    says which ("B was the deeper of the two holes"), else each option's figure, read as its
    own question ("... on X, A?") from passages ranked for it, and the larger (smaller) as the
    answer. None when either has no figure or they are not the same kind of figure (money and
    a percentage)."""
    if names_option(question) and (said := stated(index, asked, passages)) is not None:
        return Reading(said, (), None, "comparison", ())
    picks = _figures(index, question, asked, amount_wanted(question), mode, model)
    if picks is None and asked.word in ("longer", "shorter"):  # "Which act runs longer?"
        picks = _figures(index, question, asked, _DURATION, mode, model)
    if picks is None:
        return None
    first, second = picks
    if not comparable(first, second) or first.source == second.source and (
            first.start == second.start):
        return None
    # "quicker", "sooner": the shorter time or the earlier date, but the higher speed
    larger = asked.larger_wins or asked.word in _QUICK and first.unit == "speed"
    order = sorted(picks, key=lambda p: p.high or p.value, reverse=larger)
    best = order[0]
    if names_option(question):  # "Which colony is larger, A or B?": A, as its source writes it
        best = _option_named(index, best, asked.options[picks.index(best)]) or best
    return Reading(best, (), None, "comparison", (), compared=tuple(picks))


_DURATION = Wanted(Kind.DATE, frozenset({"duration"}), "date", strict=True)
_QUICK = frozenset({"quicker", "quickest", "sooner"})


def _figures(index: Index, question: str, asked: Comparison, wanted: Wanted, mode: Mode,
             model: ReaderModel | None) -> list[Pick] | None:
    """Each option's figure of the kind `wanted` asks for, read as its own question; None when
    either has none."""
    picks = []
    # The sentence that set both side by side for the first option ("A welcomed 98,760
    # visitors, while B recorded 52,120") is the second's too, though the figures read for
    # the second alone may not be found to be its own.
    side_by_side: list[Candidate] = []
    for option, other in (asked.options, asked.options[::-1]):
        vector, terms, found = _figure_candidates(
            index, asked.asking_about(option, question), wanted, mode, model)
        cands = _for_option(index, side_by_side + found, option, other)
        if not cands:
            return None
        # a table row: the figure under the column the question names, not its first
        pick = pick_span(index, named_column(index, cands[0], terms) or cands[0], wanted, terms,
                         vector)
        if pick.value is None and pick.unit == "duration":
            pick = replace(pick, value=duration_seconds(pick.text))
        if pick.value is None:
            return None
        picks.append(pick)
        if not side_by_side:
            side_by_side = [c for c in found if (c.source, c.start) == (
                cands[0].source, cands[0].start) and _find(index.documents[c.source].text,
                                                            other, c.start, c.end) >= 0]
    return picks


def stated(index: Index, asked: Comparison, passages: Sequence[int]) -> Pick | None:
    """The option a sentence of the passages says the comparison of itself: "B was the deeper
    of the two holes", "A is larger than B" (the question's own comparative, one option
    before it in the same clause, and "of the two" or "than" the other after it). Figures
    read one by one may be the wrong column of a table; the sentence is what the text says."""
    if not asked.word or asked.word in ("more", "less"):
        return None  # "more" qualifies the next word: "more visitors", "more expensive"
    for chunk_id in passages:
        chunk = index.chunks[chunk_id]
        text = index.documents[chunk.source].text
        for a, b in split_sentences(text, chunk.start, chunk.end):
            for m in re.finditer(rf"\b{re.escape(asked.word)}\b", text[a:b], re.IGNORECASE):
                at = a + m.start()
                for option, other in (asked.options, asked.options[::-1]):
                    found = _says(text, a, b, at, at + len(asked.word), option, other)
                    if found is not None:
                        return Pick(found.group(), text[a:b], chunk.source, found.start(),
                                    found.end(), a, b, 1.0, "option")
    return None


_CLAUSE = 60  # characters from an option to the comparative: "B was the deeper", one clause


def _says(text: str, a: int, b: int, at: int, end: int, option: str,
          other: str) -> re.Match[str] | None:
    """Where `option` stands before text[at:end], the comparative, in its clause, with the
    other side after it ("of the two", "than B"); None unless the sentence says so."""
    start = max(a, at - _CLAUSE)
    before = text[start:at]
    # searched in the text itself, so that a word the window cuts ("Bally|rowan") is whole
    found = _option(option).search(text, start, at)
    if (found is None or _whole(other).search(before) or _NOT_SAID.search(before)
            or text[a:b].rstrip().endswith("?")
            or _ANOTHER_NAME.search(text, found.end(), at)):  # "near A, C was deeper than B"
        return None
    after = text[end:min(b, end + _CLAUSE + len(other))]
    if re.match(r"\s+of\s+(?:the|all)\s+(?:two|pair|both)\b", after, re.IGNORECASE):
        return found
    m = re.match(r"\s+than\s+(?:the\s+|that\s+of\s+)?", after, re.IGNORECASE)
    return found if m is not None and _whole(other).match(after, m.end()) is not None else None


# Not a statement that the option is so: "A is not deeper", "if A were deeper", "whether A is"
_NOT_SAID = re.compile(r"[;:()]|\b(?:than|not|never|no|if|whether|unless)\b|n't\b",
                       re.IGNORECASE)
_ANOTHER_NAME = re.compile(r"\b[A-Z][\w-]*\d|\b(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+\s+(?:was|is|were|"
                           r"are|had|has)\b")


@functools.lru_cache(maxsize=64)  # asked for each comparative a passage writes
def _whole(words: str) -> re.Pattern[str]:
    """`words` as a whole word or name, in any case: "Ely", not inside "Namely"."""
    return re.compile(rf"(?<!\w){re.escape(words)}(?![\w-])", re.IGNORECASE)


def _option(option: str) -> re.Pattern[str]:
    """An option as a sentence may write it: whole, or by a name that opens it when the rest
    is a common noun ("the K7" for "the K7 coach", "Rowan" for "Rowan school")."""
    first, _, rest = option.partition(" ")
    if rest and rest.islower() and (first[:1].isupper() or any(c.isdigit() for c in first)):
        # the name in its own case ("Rowan", not "rowan"); the rest in any
        return re.compile(rf"(?<!\w)(?-i:{re.escape(first)})(?:\s+{re.escape(rest)})?(?![\w-])",
                          re.IGNORECASE)
    return _whole(option)


_NAMES_OPTION = re.compile(r"\s*(?:between\b[^,?]*,\s*)?(?:who|which|what)\b", re.IGNORECASE)


def names_option(question: str) -> bool:
    """ "Who spends more, A or B?", "Which colony is larger, A or B?" and "Between A and B, who
    spends more?" ask which of the two;
    "How much more does A spend than B?" asks for a figure."""
    return _NAMES_OPTION.match(question) is not None


def _option_named(index: Index, figure: Pick, option: str) -> Pick | None:
    """The option where the sentence of its figure writes it, or else where its paragraph last
    did before it ("Kessingham General ... . Opened in 1968, it has 412 beds": the quote then
    runs from that sentence to the figure's), standing for the figure: its unit and value are
    kept, so it compares as the figure does. None if neither writes it."""
    text = index.documents[figure.source].text
    at, end = _found(text, option, figure.sentence_start, figure.sentence_end)
    start = figure.sentence_start
    top = table_header(text, figure.start) if at < 0 else None
    if top is not None:  # a table's row: the option is its column's header, quoted with it
        at, end = _header_cell(text, top[0], option)
        start = top[0] if at >= 0 else start
    if at < 0:
        paragraph = text.rfind("\n", 0, figure.sentence_start) + 1
        before = [(m.start(), m.end()) for form in _forms(option)
                  for m in re.finditer(re.escape(form), text[paragraph:start], re.IGNORECASE)]
        if not before:
            return None
        at, end = (paragraph + i for i in max(before))
        start = next(a for a, b in split_sentences(text, paragraph, figure.sentence_start)
                     if a <= at < b)
    return replace(figure, text=text[at:end], start=at, end=end,
                   sentence=text[start:figure.sentence_end], sentence_start=start, kind="option")


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
    sibling = _sibling(option, other)
    for cand in cands:
        text = index.documents[cand.source].text
        column = _column_of(text, cand, option, other)
        if column is not None:  # a row sets every column's figure side by side
            if column:
                both.append(replace(cand, spans=column))
            continue
        at, then = _find(text, option, cand.start, cand.end), _find(text, other, cand.start,
                                                                      cand.end)
        if at < 0:
            if then < 0 and sibling and sibling.search(text, cand.start, cand.end):
                continue  # "Act Two is 45 minutes long": a third of their kind, not A or B
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


def _column_of(text: str, cand: Candidate, option: str, other: str) -> tuple[Span, ...] | None:
    """A table row under a header row that names the options ("| Spec | A | B |"): the
    figures of the option's cell (none when its column has none); None for any other
    candidate, which is read as a sentence."""
    cells = table_cells(text, cand.start)
    if not cells:
        return None
    own = [(start, end) for header, start, end in cells if _heads(header, option)]
    if not own and not any(_heads(header, other) for header, _, _ in cells):
        return None
    return tuple(s for s in cand.spans if any(a <= s.start < b for a, b in own))


def _header_cell(text: str, top: int, option: str) -> tuple[int, int]:
    """Where the header row starting at `top` writes the option as a cell of its own; (-1, -1)
    if no cell is it."""
    end = text.find("\n", top)
    end = len(text) if end < 0 else end
    at = top
    for cell in text[top:end].split("|"):
        if cell.strip() and _heads(cell, option):
            lead = len(cell) - len(cell.lstrip())
            return at + lead, at + lead + len(cell.strip())
        at += len(cell) + 1
    return -1, -1


def _heads(header: str, option: str) -> bool:
    """The header cell is the option's name, in any case, with or without "the" ("Aria" heads
    no "Aria Max" column)."""
    return _bare(header) == _bare(option)


def _bare(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.split()).casefold())


def _sibling(option: str, other: str) -> re.Pattern[str] | None:
    """Options named alike ("Act One", "Act Three"): their shared first word before another
    name, which writes a third of their kind ("Act Two")."""
    first, second = option.split(), other.split()
    if len(first) < 2 or len(second) < 2 or first[0].casefold() != second[0].casefold():
        return None
    rest = "|".join(re.escape(" ".join(w[1:])) for w in (first, second))
    return re.compile(rf"\b{re.escape(first[0])}\s+(?!(?:{rest})\b)[A-Z0-9][\w-]*", re.IGNORECASE)


def _find(text: str, words: str, start: int, end: int) -> int:
    """Where `words` are first written in `text[start:end]` (`_found`); -1 if nowhere."""
    return _found(text, words, start, end)[0]


def _found(text: str, words: str, start: int, end: int) -> tuple[int, int]:
    """Where `words` are first written in `text[start:end]`, in any case, or a noun with a
    prepositional phrase as its compound ("the crack in the extension" written "the
    extension crack"): the start and end of what is written; (-1, -1) if nowhere."""
    found = [(m.start(), m.end()) for form in _forms(words)
             if (m := re.compile(re.escape(form), re.IGNORECASE).search(text, start, end))]
    return min(found, default=(-1, -1))


_OF_PHRASE = re.compile(r"([^\W\d_]+) (?:in|of|on|at|to) (?:the |its |their )?([^\W\d_]+)")


def _forms(words: str) -> tuple[str, ...]:
    """`words`, and "Y X" for "X in the Y" ("crack in the extension": "extension crack")."""
    m = _OF_PHRASE.fullmatch(words)
    return (words, f"{m.group(2)} {m.group(1)}") if m else (words,)


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
