"""HTML for the web page: the answer card, the cited passages, the source viewer, the figures.

Documents and questions are untrusted, so every piece of their text goes through `esc`
before it is placed in markup, attributes included; only the fixed tags written here are
live HTML. Elements that open the source viewer carry `data-open` plus the source name and
character range; the page's script turns a click on one into a request the server checks.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from qa.answer import stands_for
from qa.backends.analyzers import ANALYZERS
from qa.language import month_number

__all__ = [
    "as_sentence",
    "esc",
    "highlight",
    "render_document",
    "render_figures",
    "render_notice",
    "render_result",
]

_NO_ANSWER = re.compile(r"^\s*the sources do not answer this(?: question)?\.\s*", re.I)
# The same word shapes the BM25 analyzers read ("GPT-4", "S&P" whole), so a highlighted
# word is one that matched.
_WORD = re.compile(r"[^\W_]+(?:['’.,&-][^\W_]+)*")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _terms_html(text: str, terms: frozenset[str]) -> str:
    """Escaped text with the words whose tokens are question terms wrapped in a span."""
    if not terms:
        return esc(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        if terms.intersection(_word_terms(match.group())):
            out.append(esc(text[last:match.start()]))
            out.append(f'<span class="qa-term">{esc(match.group())}</span>')
            last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def _word_terms(word: str) -> frozenset[str]:
    """A word's BM25 terms under every registered analyzer, stopwords kept. The page gets
    the question's terms, not the analyzer that made them, so the word is tried with each:
    then a stemmed term ("spend") marks "spending" in an index built by the English one."""
    return frozenset(t for spec in ANALYZERS.values() for t in spec.tokenize(word, frozenset()))


Layer = tuple[int, int, str, str]  # start, end (absolute offsets), opening tag, closing tag


def highlight(
    text: str, base: int, layers: Sequence[Layer], terms: frozenset[str] = frozenset()
) -> str:
    """Escaped `text` (which starts at offset `base`) with nested layers wrapped in tags.

    Layers go outermost first (passage, then sentence, then answer) and are clipped to
    the text, so a sentence that runs past a passage's edge is highlighted where it shows.
    """
    def walk(lo: int, hi: int, rest: Sequence[Layer]) -> str:
        if not rest:
            return _terms_html(text[lo:hi], terms)
        (start, end, open_tag, close_tag), inner = rest[0], rest[1:]
        start, end = max(start - base, lo), min(end - base, hi)
        if start >= end:
            return walk(lo, hi, inner)
        return (
            _terms_html(text[lo:start], terms) + open_tag + walk(start, end, inner) + close_tag
            + _terms_html(text[end:hi], terms)
        )

    return walk(0, len(text), layers)


def _open_attrs(source: str, start: int, end: int, answer: tuple[int, int] | None = None) -> str:
    attrs = f'data-open="1" data-source="{esc(source)}" data-start="{start}" data-end="{end}"'
    if answer is not None:
        attrs += f' data-astart="{answer[0]}" data-aend="{answer[1]}"'
    return attrs


def render_notice(message: str, *, kind: str = "info") -> str:
    return f'<div class="qa-notice qa-notice-{esc(kind)}" role="status">{esc(message)}</div>'


def as_sentence(text: str) -> str:
    """A message as a sentence for the page; "k must…" keeps its lowercase k."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.islower():
        text = text[0].upper() + text[1:]
    return text if not text or text.endswith((".", "!", "?")) else text + "."


# --- the answer card --------------------------------------------------------------------


def _answer_figure(a: Any, *, label: str | None = None, best: bool = False) -> str:
    """One answer: its span marked inside its sentence, and its citation as a link."""
    sentence_start = getattr(a, "sentence_start", a.start)
    sentence = getattr(a, "sentence", a.text)
    body = highlight(sentence, sentence_start, [(a.start, a.end, "<mark>", "</mark>")])
    cite = a.citation
    tag = ' <span class="qa-best">best match</span>' if best else ""
    head = f'<div class="qa-kicker">{esc(label)}{tag}</div>' if label else ""
    return (
        f'<figure class="qa-figure">{head}'
        f'<blockquote class="qa-sentence">{body}</blockquote>'
        f'<figcaption><button type="button" class="qa-cite" '
        f'{_open_attrs(a.source, sentence_start, sentence_start + len(sentence), (a.start, a.end))}'
        f' title="Open the source at this sentence">{esc(cite.render())}</button></figcaption>'
        "</figure>"
    )


def _answer_card(result: Any) -> str:
    answer = getattr(result, "answer", None)
    no_answer = getattr(result, "no_answer", answer is None)
    if answer is None or no_answer:
        # The heading already says it; keep only the reason's detail.
        reason = _NO_ANSWER.sub("", getattr(result, "no_answer_reason", None) or "")
        notes = [reason]
        if result.hits:
            notes.append("The closest passages are below, for you to judge.")
        note = " ".join(as_sentence(n) for n in notes if n)
        rejected = getattr(result, "rejected", None)
        # What the reader turned down, marked as such: a person may judge it otherwise.
        closest = "" if rejected is None else _answer_figure(
            rejected, label="Closest, not confident")
        return (
            '<section class="qa-answer qa-none" aria-label="Answer">'
            '<p class="qa-none-text">The sources do not answer this.</p>'
            f'<p class="qa-sub">{esc(note)}</p>{closest}</section>'
        )
    alternatives = tuple(getattr(result, "alternatives", ()) or ())
    sure = _sureness(getattr(result, "sureness", None))
    compared = tuple(getattr(result, "compared", ()) or ())
    if compared:
        # Each option's figure with its own citation; the kicker says which wins. The answer
        # is the winning figure, or the option it belongs to ("Which colony is larger, A or
        # B?": A, standing for its figure).
        won = next((c for c in compared if stands_for(answer, c)), answer)
        cards = [_answer_figure(c, label=c.text, best=c is won) for c in compared]
        values = [c.high or c.value or 0.0 for c in compared]
        which = "larger" if (won.high or won.value or 0.0) >= max(values) else "smaller"
        if len(compared) > 2:  # a superlative across sources: "the largest of three"
            which = f"{which[:-2]}est of {len(compared)}"
        name = answer.text if won == answer else f"{answer.text} ({won.text})"
        return (
            '<section class="qa-answer qa-comparison" aria-label="Answer">'
            f'<div class="qa-kicker">Compared: {esc(name)} is the {which}{sure}</div>'
            f'<div class="qa-compare">{"".join(cards)}</div></section>'
        )
    if not alternatives:
        return (
            '<section class="qa-answer" aria-label="Answer">'
            f'<div class="qa-kicker">Answer{sure}</div>{_answer_figure(answer)}</section>'
        )
    cards = [_answer_figure(answer, label=answer.text, best=True)]
    cards += [_answer_figure(alt, label=alt.text) for alt in alternatives]
    return (
        '<section class="qa-answer qa-disagree" aria-label="Answer">'
        f'<div class="qa-kicker">The sources disagree: {len(cards)} figures{sure}</div>'
        f'<div class="qa-compare">{"".join(cards)}</div></section>'
    )


_SURENESS = {
    "strong": ("Strong match", "Answers this sure held the answer in their sentence most of "
                               "the time on test questions the reader was fitted on."),
    "weak": ("Weak match", "Answers this sure were often wrong on test questions: check the "
                           "passages below."),
}


def _sureness(sureness: str | None) -> str:
    """A badge saying how sure the answer is ("strong" or "weak" match), or nothing."""
    if sureness not in _SURENESS:
        return ""
    label, why = _SURENESS[sureness]
    return (f' <span class="qa-sure qa-sure-{esc(sureness)}" title="{esc(why)}">'
            f"{esc(label)}</span>")


# --- the passages ------------------------------------------------------------------------


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ranked_by(hit: Any, settings: Any) -> str:
    """How this passage's place was decided, with the numbers that decided it."""
    mode = str(getattr(settings, "mode", "hybrid"))
    if mode == "bm25":
        return f"BM25 score {_num(hit.bm25, 3)}"
    if mode == "vector":
        return f"vector score {_num(hit.vector, 3)} (cosine, the passage's and its best sentence's)"
    if str(getattr(settings, "fusion", "rrf")) == "weighted":
        a = float(getattr(settings, "alpha", 0.5))
        return (f"weighted fusion {hit.score:.4f} = {a:.2f} × vector + {1 - a:.2f} × BM25, "
                "each scaled 0–1 over the candidates (the vector side weighs more when fewer "
                "of the question's words are found)")
    k = int(getattr(settings, "rrf_k", 60))
    terms = [f"1/({k} + {r})" for r in (hit.bm25_rank, hit.vector_rank) if r]
    return f"reciprocal rank fusion {hit.score:.4f} = {' + '.join(terms) or '0'}"


def _scores(hit: Any, settings: Any) -> str:
    rows = (("BM25", hit.bm25_rank, f"score {_num(hit.bm25, 3)}"),
            ("Vector", hit.vector_rank, f"score {_num(hit.vector, 3)}"))
    body = "".join(
        f"<tr><th scope=row>{name}</th><td>rank {'—' if rank is None else rank}</td>"
        f"<td>{score}</td></tr>" for name, rank, score in rows
    )
    return (
        '<details class="qa-scores"><summary>Score breakdown</summary>'
        f"<table><tbody>{body}</tbody></table>"
        f'<p class="qa-ranked">Ranked by {esc(_ranked_by(hit, settings))}</p></details>'
    )


def _passage(hit: Any, cite: Any, answer: Any, terms: frozenset[str], settings: Any) -> str:
    chunk = hit.chunk
    layers: list[Layer] = []
    if answer is not None and answer.source == chunk.source:
        s_start = getattr(answer, "sentence_start", answer.start)
        s_end = getattr(answer, "sentence_end", answer.end)
        layers = [(s_start, s_end, '<span class="qa-answer-sentence">', "</span>"),
                  (answer.start, answer.end, "<mark>", "</mark>")]
    meta = " · ".join(esc(p) for p in (cite.author, cite.publisher, cite.date) if p)
    lines = (f"line {cite.line_start}" if cite.line_start == cite.line_end
             else f"lines {cite.line_start}–{cite.line_end}")
    where = f"{esc(chunk.source)} · chars {chunk.start}–{chunk.end} · {lines}"
    opener = _open_attrs(chunk.source, chunk.start, chunk.end, _answer_range(answer, chunk.source))
    return (
        f'<article class="qa-passage" data-rank="{hit.rank}">'
        f'<header><span class="qa-rank" aria-label="rank">{hit.rank}</span>'
        f'<div><h3 class="qa-title">{esc(cite.title or chunk.source)}</h3>'
        f'{f"<div class=qa-meta>{meta}</div>" if meta else ""}</div></header>'
        f'<p class="qa-text">{highlight(chunk.text, chunk.start, layers, terms)}</p>'
        f'<footer><button type="button" class="qa-src" {opener} title="Open the whole source">'
        f"{where}</button></footer>{_scores(hit, settings)}</article>"
    )


def _answer_range(answer: Any, source: str) -> tuple[int, int] | None:
    if answer is None or answer.source != source:
        return None
    return answer.start, answer.end


def render_result(result: Any, *, terms: Iterable[str] = (), settings: Any = None) -> str:
    """The answer card, then the cited passages in rank order.

    `settings` (a SearchSettings) explains each passage's place in its score breakdown.
    """
    settings = settings or SimpleNamespace(mode=result.mode)
    if getattr(result, "alpha", None) is not None:  # the weight this question was fused with
        settings = SimpleNamespace(mode=settings.mode, fusion="weighted", alpha=result.alpha)
    answer = None if getattr(result, "no_answer", False) else result.answer
    terms = frozenset(terms)
    parts = [_answer_card(result)]
    if result.hits:
        parts.append(f'<h2 class="qa-h">Cited passages <span class="qa-sub">'
                     f"{len(result.hits)} · {esc(result.mode)} · {result.took_ms:.0f} ms"
                     "</span></h2>")
        parts += [_passage(h, c, answer, terms, settings)
                  for h, c in zip(result.hits, result.citations, strict=True)]
    else:
        parts.append(render_notice("No passage matches this question."))
    return (f'<div class="qa-result" data-question="{esc(result.question)}" '
            f'data-mode="{esc(result.mode)}">{"".join(parts)}</div>')


# --- the source viewer -------------------------------------------------------------------


def render_document(doc: Any, start: int | None = None, end: int | None = None,
                    answer: tuple[int, int] | None = None) -> str:
    """The whole cleaned document, the cited range and the answer highlighted."""
    layers: list[Layer] = []
    if start is not None and end is not None and start < end:
        layers.append((start, end, '<span class="qa-target" id="qa-target">', "</span>"))
        if answer is not None and answer[0] < answer[1]:
            layers.append((answer[0], answer[1], "<mark>", "</mark>"))
    meta = " · ".join(esc(p) for p in (doc.author, doc.publisher, doc.date) if p)
    where = esc(doc.source)
    if layers:
        where += f" · showing chars {start}–{end} (line {doc.line_of(start)})"
    return (
        '<article class="qa-doc">'
        f'<h2 class="qa-doc-title">{esc(doc.title or doc.source)}</h2>'
        f'{f"<div class=qa-meta>{meta}</div>" if meta else ""}'
        f'<div class="qa-meta qa-where">{where}</div>'
        f'<div class="qa-doc-text">{highlight(doc.text, 0, layers)}</div></article>'
    )


# --- the figures table -------------------------------------------------------------------

FIGURE_COLUMNS = ("Organization", "Figure", "What it is", "Date", "Source")
_DATE_KEY = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(?:([A-Za-z]+)\s+(?:(\d{1,2}),?\s+)?)?(\d{4})")


def date_key(text: str | None) -> str:
    """A sortable YYYY-MM-DD for a date as written ("March 7, 2025", "FY 2025", "2025-01-29");
    unknown parts are 00, and a date without a year sorts last."""
    for m in _DATE_KEY.finditer(text or ""):
        if m.group(1):
            return "-".join(m.group(1, 2, 3))
        mm = month_number(m.group(4) or "")
        dd = int(m.group(5)) if mm and m.group(5) else 0
        return f"{m.group(6)}-{mm:02d}-{dd:02d}"
    return "9999"


def render_figures(figures: Sequence[Any], titles: dict[str, str | None]) -> str:
    """The figures table (`qa.figures.Figure` rows), sortable by any column; each row
    opens the figure's sentence in the source viewer. The figure column sorts by value
    within each unit, the date column by date."""
    if not figures:
        return render_notice("No figures were found in the indexed sources.")
    head = "".join(
        f'<th scope="col"><button type="button" data-sort="{i}">{name}'
        '<span class="qa-arrow" aria-hidden="true"></span></button></th>'
        for i, name in enumerate(FIGURE_COLUMNS)
    )
    body = []
    for f in figures:
        value = "" if f.value is None else repr(float(f.value))
        target = f'<div class="qa-meta">with {esc(f.target)}</div>' if f.target else ""
        title = titles.get(f.source) or f.source
        opener = _open_attrs(f.source, f.sentence_start, f.sentence_end, (f.start, f.end))
        body.append(
            "<tr>"
            f'<td>{esc(f.organization or "—")}</td>'
            f'<td class="qa-num" data-group="{esc(f.unit)}" data-value="{value}" '
            f'title="{esc(f.sentence)}"><b>{esc(f.text)}</b></td>'
            f"<td>{esc(f.what or '—')}{target}</td>"
            f'<td class="qa-date" data-key="{date_key(f.date)}">{esc(f.date or "—")}</td>'
            f'<td><button type="button" class="qa-src" {opener} title="{esc(f.source)}">'
            f"{esc(title)}</button></td></tr>"
        )
    return (
        f'<p class="qa-sub">{len(figures)} money and percentage figures found in the sources. '
        "Click a column to sort it, a source to read the sentence in place.</p>"
        f'<div class="qa-table-wrap"><table class="qa-figures"><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )
