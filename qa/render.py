"""HTML for the web page: the answer card, the cited passages, the source viewer, the figures.

Documents and questions are untrusted, so every piece of their text goes through `esc`
before it is placed in markup, attributes included; only the fixed tags written here are
live HTML. Elements that open the source viewer carry `data-open` plus the source name and
character range; the page's script turns a click on one into a request the server checks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from .bm25 import tokenize

__all__ = [
    "CSS",
    "as_sentence",
    "esc",
    "highlight",
    "render_document",
    "render_figures",
    "render_notice",
    "render_result",
]

_NO_ANSWER = re.compile(r"^\s*the sources do not answer this(?: question)?\.\s*", re.I)
# The same word shapes the BM25 tokenizer reads, so a highlighted word is one that matched.
_WORD = re.compile(r"[^\W_]+(?:['’.,&][^\W_]+)*")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _terms_html(text: str, terms: frozenset[str]) -> str:
    """Escaped text with the words whose tokens are question terms wrapped in a span."""
    if not terms:
        return esc(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        if terms.intersection(tokenize(match.group(), frozenset())):
            out.append(esc(text[last:match.start()]))
            out.append(f'<span class="qa-term">{esc(match.group())}</span>')
            last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


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
        return (
            '<section class="qa-answer qa-none" aria-label="Answer">'
            '<p class="qa-none-text">The sources do not answer this.</p>'
            f'<p class="qa-sub">{esc(note)}</p></section>'
        )
    alternatives = tuple(getattr(result, "alternatives", ()) or ())
    if not alternatives:
        return (
            '<section class="qa-answer" aria-label="Answer">'
            f'<div class="qa-kicker">Answer</div>{_answer_figure(answer)}</section>'
        )
    cards = [_answer_figure(answer, label=answer.text, best=True)]
    cards += [_answer_figure(alt, label=alt.text) for alt in alternatives]
    return (
        '<section class="qa-answer qa-disagree" aria-label="Answer">'
        f'<div class="qa-kicker">The sources disagree: {len(cards)} figures</div>'
        f'<div class="qa-compare">{"".join(cards)}</div></section>'
    )


# --- the passages ------------------------------------------------------------------------


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ranked_by(hit: Any, settings: Any) -> str:
    """How this passage's place was decided, with the numbers that decided it."""
    mode = str(getattr(settings, "mode", "hybrid"))
    if mode == "bm25":
        return f"BM25 score {_num(hit.bm25, 3)}"
    if mode == "vector":
        return f"cosine similarity {_num(hit.vector, 3)}"
    if str(getattr(settings, "fusion", "rrf")) == "weighted":
        a = float(getattr(settings, "alpha", 0.5))
        return (f"weighted fusion {hit.score:.4f} = {a:g} × cosine + {1 - a:g} × BM25, "
                "each scaled 0–1 over the candidates")
    k = int(getattr(settings, "rrf_k", 60))
    terms = [f"1/({k} + {r})" for r in (hit.bm25_rank, hit.vector_rank) if r]
    return f"reciprocal rank fusion {hit.score:.4f} = {' + '.join(terms) or '0'}"


def _scores(hit: Any, settings: Any) -> str:
    rows = (("BM25", hit.bm25_rank, f"score {_num(hit.bm25, 3)}"),
            ("Vector", hit.vector_rank, f"cosine {_num(hit.vector, 3)}"))
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
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DATE_KEY = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(?:([A-Za-z]+)\s+(?:(\d{1,2}),?\s+)?)?(\d{4})")


def date_key(text: str | None) -> str:
    """A sortable YYYY-MM-DD for a date as written ("March 7, 2025", "FY 2025", "2025-01-29");
    unknown parts are 00, and a date without a year sorts last."""
    for m in _DATE_KEY.finditer(text or ""):
        if m.group(1):
            return "-".join(m.group(1, 2, 3))
        month = m.group(4).lower() if m.group(4) else ""
        mm = _MONTHS.index(month) + 1 if month in _MONTHS else 0
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


CSS = """
.gradio-container { max-width: 1040px !important; margin: 0 auto !important; }
.qa-result, .qa-doc, .qa-figures-wrap { color: var(--body-text-color); }
#qa-header h1 { margin: 0; font-size: 1.7em; letter-spacing: -.01em; }
.qa-tagline { font-weight: 400; font-size: .6em; color: var(--body-text-color-subdued);
  margin-left: .3em; }
#qa-header p { margin: .25em 0 0; color: var(--body-text-color-subdued); }
.qa-kicker { font-size: .78em; font-weight: 600; letter-spacing: .06em; text-transform: uppercase;
  color: var(--body-text-color-subdued); margin-bottom: .4em; }
.qa-sub { font-size: .85em; font-weight: 400; color: var(--body-text-color-subdued); }
.qa-answer { border: 1px solid var(--border-color-primary); border-left: 4px solid
  var(--color-accent); border-radius: var(--radius-lg); padding: 1em 1.2em; margin: .2em 0 1.2em;
  background: var(--block-background-fill); }
.qa-answer.qa-none { border-left-color: var(--body-text-color-subdued); }
.qa-none-text { font-size: 1.25em; font-weight: 600; margin: 0 0 .2em; }
.qa-figure { margin: 0; }
.qa-sentence { margin: 0; padding: 0; border: 0; font-size: 1.2em; line-height: 1.55; }
.qa-compare { display: grid; gap: .8em;
  grid-template-columns: repeat(auto-fit, minmax(15em, 1fr)); }
.qa-compare .qa-figure { border: 1px solid var(--border-color-primary); border-radius:
  var(--radius-md); padding: .7em .9em; }
.qa-compare .qa-kicker { text-transform: none; letter-spacing: 0; font-size: 1.15em;
  color: var(--body-text-color); }
.qa-compare .qa-sentence { font-size: 1em; }
.qa-best { font-size: .62em; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
  vertical-align: middle; margin-left: .5em; padding: .15em .5em; border-radius: 999px;
  background: var(--color-accent-soft); color: var(--body-text-color-subdued); }
.qa-cite, .qa-src { all: unset; cursor: pointer; display: inline; font-size: .86em;
  color: var(--link-text-color, var(--color-accent)); text-decoration: underline;
  text-decoration-color: color-mix(in srgb, currentColor 35%, transparent);
  text-underline-offset: 2px; overflow-wrap: anywhere; }
.qa-cite { display: block; margin-top: .6em; }
.qa-cite:hover, .qa-src:hover { text-decoration-color: currentColor; }
.qa-cite:focus-visible, .qa-src:focus-visible { outline: 2px solid var(--color-accent);
  outline-offset: 2px; border-radius: 2px; }
mark { background: #fde68a; color: #111827; padding: 0 .12em; border-radius: 3px; }
.dark mark { background: #facc15; color: #111827; }
.qa-answer-sentence { background: color-mix(in srgb, #fde68a 35%, transparent); }
.dark .qa-answer-sentence { background: color-mix(in srgb, #facc15 18%, transparent); }
.qa-term { font-weight: 650; text-decoration: underline; text-decoration-thickness: 2px;
  text-decoration-color: color-mix(in srgb, var(--color-accent) 55%, transparent);
  text-underline-offset: 3px; }
.qa-h { font-size: 1.05em; margin: 1.2em 0 .5em; }
.qa-passage { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
  padding: .8em 1em; margin: 0 0 .8em; background: var(--block-background-fill); }
.qa-passage header { display: flex; gap: .7em; align-items: flex-start; }
.qa-rank { flex: none; width: 1.9em; height: 1.9em; border-radius: 50%; display: grid;
  place-items: center; font-weight: 700; font-size: .85em;
  background: var(--color-accent-soft); color: var(--body-text-color); }
.qa-title { margin: 0; font-size: 1em; line-height: 1.35; }
.qa-meta { font-size: .85em; color: var(--body-text-color-subdued); }
.qa-text { white-space: pre-line; line-height: 1.6; margin: .6em 0; overflow-wrap: anywhere; }
.qa-passage footer { display: flex; flex-wrap: wrap; gap: .3em 1em; align-items: baseline; }
.qa-scores { margin-top: .35em; }
.qa-scores summary { cursor: pointer; font-size: .82em; color: var(--body-text-color-subdued);
  width: fit-content; }
.qa-scores table { font-size: .85em; margin: .4em 0 0; border-collapse: collapse;
  border: 0 !important; width: auto; }
.qa-scores tr, .qa-figures tr { border: 0 !important; background: none !important; }
.qa-scores th, .qa-scores td { padding: .1em 1.2em .1em 0 !important; text-align: left;
  border: 0 !important; background: none !important; font-variant-numeric: tabular-nums; }
.qa-ranked { font-size: .85em; margin: .3em 0 0 !important; color: var(--body-text-color-subdued);
  font-variant-numeric: tabular-nums; }
.qa-notice { border-radius: var(--radius-lg); padding: .8em 1em; margin: .2em 0 1em;
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }
.qa-notice-error { border-left: 4px solid var(--error-border-color, #ef4444); }
.qa-notice-done { border-left: 4px solid var(--color-accent); }
.qa-doc-title { margin: 0 0 .2em; font-size: 1.25em; }
.qa-where { margin-bottom: .8em; overflow-wrap: anywhere; }
.qa-doc-text { position: relative; white-space: pre-wrap; line-height: 1.65;
  overflow-wrap: anywhere;
  max-height: 70vh; overflow-y: auto; padding: .8em 1em; border-radius: var(--radius-lg);
  border: 1px solid var(--border-color-primary); background: var(--block-background-fill); }
.qa-target { background: var(--color-accent-soft); border-radius: 3px;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; padding: .1em 0; }
.qa-table-wrap { overflow-x: auto; width: 0; min-width: 100%; }  /* never widens the page */
.qa-figures { width: 100%; border-collapse: collapse; font-size: .92em; border: 0 !important; }
.qa-figures th, .qa-figures td { text-align: left; vertical-align: top;
  padding: .5em .6em !important;
  border: 0 !important; border-bottom: 1px solid var(--border-color-primary) !important;
  background: none !important; }
.qa-figures thead th { border-bottom-width: 2px !important; }
.qa-figures { table-layout: fixed; }
.qa-figures th:nth-child(1) { width: 17%; } .qa-figures th:nth-child(2) { width: 21%; }
.qa-figures th:nth-child(3) { width: 13%; } .qa-figures th:nth-child(4) { width: 16%; }
.qa-figures th:nth-child(5) { width: 33%; }
.qa-figures .qa-num { white-space: normal; }
.qa-figures tbody tr:hover { background: var(--background-fill-secondary) !important; }
.qa-figures .qa-src { font-size: .95em; }
.qa-figures th button { all: unset; cursor: pointer; font-weight: 600; white-space: nowrap; }
.qa-figures th button:focus-visible { outline: 2px solid var(--color-accent); }
.qa-arrow::after { content: " ↕"; opacity: .35; }
th[aria-sort=ascending] .qa-arrow::after { content: " ↑"; opacity: 1; }
th[aria-sort=descending] .qa-arrow::after { content: " ↓"; opacity: 1; }
.qa-nowrap, .qa-num { white-space: nowrap; }
@media (max-width: 640px) {
  #qa-examples .gallery-item { font-size: .85em; text-align: left; }
  .qa-answer { padding: .8em .9em; }
  .qa-sentence { font-size: 1.08em; }
  .qa-passage { padding: .7em .8em; }
  /* the figures table becomes one small card per row; the headers stay as sort buttons */
  .qa-figures, .qa-figures thead, .qa-figures tbody { display: block; }
  .qa-figures thead tr { display: flex; flex-wrap: wrap; gap: .2em 1em; }
  .qa-figures thead th { display: block; border: 0 !important; padding: .2em 0 !important; }
  .qa-figures tbody tr { display: grid; grid-template-columns: 1fr auto; gap: .15em .8em;
    padding: .6em 0; border-bottom: 1px solid var(--border-color-primary); }
  .qa-figures tbody td { display: block; border: 0 !important; padding: 0 !important; }
  .qa-figures td:nth-child(2), .qa-figures td:nth-child(4) { text-align: right; }
  .qa-figures td:nth-child(5) { grid-column: 1 / -1; }
  .qa-figures td:nth-child(3), .qa-figures td:nth-child(4) {
    color: var(--body-text-color-subdued); font-size: .9em; }
}
"""
