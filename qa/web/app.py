"""The web page: a thin Gradio layer over `qa.answer.ask`.

The index is loaded once by the caller and shared read-only by every request; the queue
runs several requests at once, so one slow question does not hold up other readers. An
upload (`qa.web.uploads`) builds a new index and swaps it into a `LiveIndex`; each handler reads
the index from it once, so a request never mixes the old index with the new one. All
markup comes from `qa.web.render`, which escapes every piece of document or question text.
The source viewer takes a source name and range from the browser, so it only ever shows
a document the index holds, whatever name is sent.
"""

# No `from __future__ import annotations`: Gradio reads the `gr.EventData` hint of a
# handler defined inside _wire_sources, which a postponed (string) annotation would hide.
import functools
import logging
import math
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr

from qa.answer import Result, ask
from qa.errors import QAError
from qa.figures import figures_table
from qa.reader.question import content_terms
from qa.search.base import SearchSettings
from qa.store.index import Index
from qa.types import Fusion, Mode
from qa.web import render
from qa.web.uploads import MAX_UPLOAD_BYTES, LiveIndex

__all__ = [
    "build_app",
    "document_choices",
    "example_questions",
    "figures_html",
    "handle_ask",
    "handle_open",
    "handle_upload",
    "header_html",
    "parse_request",
    "serve",
]

MAX_PASSAGES = 20
MAX_EXAMPLES = 6
MAX_SOURCES, MAX_NAME = 1000, 4096  # a filter by document, not a way to send megabytes
CONCURRENCY = 4

AskFn = Callable[..., Result]
STATIC = resources.files("qa.web") / "static"


@functools.cache
def static(*names: str) -> str:
    """The page's CSS or JS from qa/web/static/, files concatenated (a behaviour's script comes
    after the shared click handler it builds on)."""
    return "".join((STATIC / name).read_text("utf-8") for name in names)


def _int(value: Any, default: int) -> int:
    """A browser-sent offset as an int; anything else (text, inf, 1e999, a list) -> default."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return int(number) if math.isfinite(number) else default


def _number(value: Any, name: str, low: float, high: float, *, whole: bool) -> float:
    """A number from an API caller: a JSON number or numeric text, finite, in range."""
    kind = "a whole number" if whole else "a number"
    problem = f"{name} must be {kind} from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(problem)
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ValueError(problem) from None
    if not (math.isfinite(number) and low <= number <= high) or (whole and number % 1):
        raise ValueError(f"{problem}, got {str(value)[:40]}")
    return number


# The weight rises for a question whose words the sources do not use (fusion.adaptive_alpha).
_ALPHA_INFO = "when the question's words are found; up to {top:g} when they are not"


def parse_request(question: Any, k: Any = None, mode: Any = None, fusion: Any = None,
                  alpha: Any = None, sources: Any = None
                  ) -> tuple[str, SearchSettings, list[str] | None]:
    """Check every argument of an ask (page or API) and build its settings; a ValueError
    names the first bad one. Arguments left out (None) take SearchSettings' defaults."""
    base = SearchSettings()
    if not isinstance(question, str):
        raise ValueError("question must be text")
    for name, value in (("mode", mode), ("fusion", fusion)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be text")
    if sources is not None and not (
            isinstance(sources, list | tuple) and len(sources) <= MAX_SOURCES
            and all(isinstance(s, str) and len(s) <= MAX_NAME for s in sources)):
        raise ValueError(f"sources must be a list of at most {MAX_SOURCES} source names")
    settings = SearchSettings(
        mode=Mode.parse(mode or base.mode), fusion=Fusion.parse(fusion or base.fusion),
        k=base.k if k is None else int(_number(k, "k", 1, base.max_k, whole=True)),
        alpha=base.alpha if alpha is None else _number(alpha, "alpha", 0, 1, whole=False),
        rrf_k=base.rrf_k)
    return question, settings, list(sources or ()) or None


def handle_ask(
    index: Index,
    question: Any,
    k: Any = None,
    mode: Any = "hybrid",
    fusion: Any = None,
    alpha: Any = None,
    sources: Any = None,
    *,
    ask_fn: AskFn = ask,
) -> tuple[str, dict[str, Any]]:
    """One request: (HTML for the page, JSON for the API). Bad input gives a notice.

    Settings left out take SearchSettings' defaults (the measured best hybrid fusion).
    """
    try:
        question, settings, only = parse_request(question, k, mode, fusion, alpha, sources)
        result = ask_fn(index, question, settings, sources=only)
    except ValueError as exc:
        message = str(exc)
        return render.render_notice(render.as_sentence(message), kind="error"), {"error": message}
    page = render.render_result(result, terms=content_terms(index, result.question),
                                  settings=settings)
    return page, result.to_json()


def handle_open(index: Index, source: Any, start: Any = None, end: Any = None,
                astart: Any = None, aend: Any = None) -> str:
    """The source viewer for one document of the index, the given range highlighted."""
    doc = index.documents.get(source) if isinstance(source, str) else None
    if doc is None:
        return render.render_notice("That document is not in the index.", kind="error")
    size = len(doc.text)

    def clamp(value: Any) -> int | None:
        return None if value is None else min(max(_int(value, 0), 0), size)

    lo, hi = clamp(start), clamp(end)
    answer = None
    if astart is not None and aend is not None:
        answer = (clamp(astart), clamp(aend))
    return render.render_document(doc, lo, hi, answer)


def handle_upload(live: LiveIndex, path: Any) -> tuple[str, str | None]:
    """Index an uploaded file: (notice for the page, the new document's source or None).

    A refused file leaves the index as it was and says why in one line."""
    if not isinstance(path, str | os.PathLike) or not str(path):
        return render.render_notice("No file was received; pick a file to add.",
                                    kind="error"), None
    try:
        done = live.add_upload(Path(path))
    except (QAError, ValueError, OSError) as exc:
        return render.render_notice(render.as_sentence(str(exc)), kind="error"), None
    except Exception:  # a file no rule foresaw: the index is unchanged; say so, keep the log
        logging.getLogger(__name__).exception("upload of %s failed", path)
        return render.render_notice(
            "That file could not be indexed (an unexpected error, logged on the server); "
            "the index is unchanged.", kind="error"), None
    doc = done.index.documents[done.source]
    name = f"“{doc.title}” ({done.source})" if doc.title else done.source
    if not done.added:
        return render.render_notice(f"Already indexed: {name}."), done.source
    passages = sum(1 for c in done.index.chunks if c.source == done.source)
    return render.render_notice(
        f"Added {name}: {passages} passage{'s' if passages != 1 else ''}, searchable now.",
        kind="done"), done.source


def example_questions(index: Index, limit: int = MAX_EXAMPLES) -> list[str]:
    """The questions to offer on the page: the `examples` the indexed documents' catalogs
    give, in source order, each once. None for documents that give none."""
    seen: dict[str, None] = {}
    for source in sorted(index.documents):
        seen.update(dict.fromkeys(index.documents[source].examples))
    return list(seen)[:limit]


def header_html(index: Index) -> str:
    n_docs, n_chunks = len(index.documents), len(index.chunks)
    return ('<h1>qa <span class="qa-tagline">cited answers</span></h1><p>Every answer is '
            f"quoted from {n_docs} indexed source{'s' if n_docs != 1 else ''} "
            f"({n_chunks} passages) and cited to the character. Nothing is generated.</p>")


def document_choices(index: Index) -> list[tuple[str, str]]:
    """(label, source) for every indexed document, by title."""
    docs = sorted(index.documents.values(), key=lambda d: ((d.title or d.source).lower()))
    return [(d.title or d.source, d.source) for d in docs]


def figures_html(index: Index) -> str:
    """The Figures tab: `qa.figures.figures_table`, computed once per app."""
    titles = {source: doc.title for source, doc in index.documents.items()}
    return render.render_figures(figures_table(index), titles)


def build_app(index: Index | LiveIndex, *, ask_fn: AskFn = ask):
    """The Gradio Blocks for one loaded index. `ask_fn` is a seam for tests.

    Given a `LiveIndex`, the page also takes uploads into it; given a bare Index, it only
    reads. Each tab is built by its own function; the events that join them are wired here."""
    live = index if isinstance(index, LiveIndex) else None

    def now() -> Index:
        return live.current if live else index

    first = now()
    # Gradio keeps its own copy of every upload; ours is in uploads/, so drop its copy
    # within the hour rather than let them pile up until a restart.
    with gr.Blocks(title="qa — cited answers", analytics_enabled=False,
                   delete_cache=(3600, 3600) if live else None) as demo:
        header = gr.HTML(header_html(first), elem_id="qa-header", js_on_load=None)
        with gr.Tabs(selected="ask", elem_id="qa-tabs") as tabs:
            with gr.Tab("Ask", id="ask"):
                ask_tab = _ask_tab(gr, first)
            with gr.Tab("Source", id="source"):
                source_tab = _source_tab(gr, first, uploads=live is not None)
            with gr.Tab("Figures", id="figures"):
                figures = gr.HTML(figures_html(first), js_on_load=static("open.js", "sort.js"),
                                  elem_id="qa-figures")
        _wire_ask(gr, ask_tab, now, ask_fn)
        _wire_sources(gr, now, live, tabs, ask_tab, source_tab, header, figures)
        gr.api(_api_ask(gr, now, ask_fn), api_name="ask")
    _default_missing_api_arguments(demo, "ask")
    return demo


def _ask_tab(gr, first: Index) -> SimpleNamespace:
    """The question box, the examples, the search settings and the result."""
    defaults = SearchSettings()
    examples = example_questions(first)
    with gr.Row(equal_height=True):
        question = gr.Textbox(
            label="Question", show_label=False, scale=6, min_width=200,
            placeholder="Ask about the sources, e.g. " + (
                examples[0] if examples else "who, what, when, how much"),
            elem_id="qa-question", lines=1, max_lines=4, submit_btn=False,
        )
        button = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="qa-ask")
    example_box = gr.Examples(examples, inputs=question, label="Try",
                              examples_per_page=len(examples),
                              elem_id="qa-examples") if examples else None
    with gr.Accordion("Search settings", open=False, elem_id="qa-settings"):
        with gr.Row():
            mode = gr.Radio(
                [("Hybrid", "hybrid"), ("BM25 (words)", "bm25"), ("Vector (meaning)", "vector")],
                value=defaults.mode.value, label="Retrieval", elem_id="qa-mode")
            k = gr.Slider(1, MAX_PASSAGES, value=defaults.k, step=1, label="Passages",
                          elem_id="qa-k")
        with gr.Row():
            fusion = gr.Radio(
                [("Reciprocal rank (RRF)", "rrf"), ("Weighted scores", "weighted")],
                value=defaults.fusion.value, label="Hybrid fusion", elem_id="qa-fusion")
            alpha = gr.Slider(0, 1, value=defaults.alpha, step=0.05,
                              visible=defaults.fusion is Fusion.WEIGHTED,
                              label="Weight of the vector side (α)", elem_id="qa-alpha",
                              info=_ALPHA_INFO.format(top=defaults.alpha_max)
                              if defaults.alpha_max else None)
        sources = gr.Dropdown(document_choices(first), value=[], multiselect=True,
                              label="Only these sources (empty: all)", elem_id="qa-sources")
    result = gr.HTML(
        render.render_notice("Ask a question, or pick one of the examples."),
        js_on_load=static("open.js", "result.js"), elem_id="qa-result",
        show_progress="full", min_height=80)
    return SimpleNamespace(question=question, button=button, example_box=example_box,
                           mode=mode, k=k, fusion=fusion, alpha=alpha, sources=sources,
                           result=result)


def _source_tab(gr, first: Index, *, uploads: bool) -> SimpleNamespace:
    """The document picker, the upload button (live index only) and the source viewer."""
    upload = upload_notice = None
    with gr.Row(equal_height=True):
        picker = gr.Dropdown(document_choices(first), value=None, label="Document", scale=4,
                             elem_id="qa-doc-picker")
        if uploads:
            # No file_types here: Gradio would refuse a wrong type with its own error; the
            # upload handler says why in the page instead.
            upload = gr.UploadButton("Add a document", type="filepath", file_count="single",
                                     scale=1, min_width=160, elem_id="qa-upload")
    if uploads:
        upload_notice = gr.HTML(render.render_notice(
            "Add a .txt, .md, .html or .pdf file (up to "
            f"{MAX_UPLOAD_BYTES // 2**20} MB); it is searchable once indexed."),
            elem_id="qa-upload-notice")
    viewer = gr.HTML(
        render.render_notice("Click a citation to read its whole source here, the cited "
                             "passage highlighted, or pick a document above."),
        js_on_load=static("scroll.js"), elem_id="qa-viewer")
    return SimpleNamespace(picker=picker, upload=upload, upload_notice=upload_notice,
                           viewer=viewer)


def _wire_ask(gr, tab: SimpleNamespace, now: Callable[[], Index], ask_fn: AskFn) -> None:
    def on_ask(question, k, mode, fusion, alpha, sources):
        return handle_ask(now(), question, k, mode, fusion, alpha, sources, ask_fn=ask_fn)[0]

    def on_mode(mode, fusion):
        hybrid = mode == Mode.HYBRID.value
        return (gr.Radio(visible=hybrid),
                gr.Slider(visible=hybrid and fusion == Fusion.WEIGHTED.value))

    inputs = [tab.question, tab.k, tab.mode, tab.fusion, tab.alpha, tab.sources]
    gr.on([tab.button.click, tab.question.submit], on_ask, inputs, tab.result,
          api_visibility="private", show_progress="full")
    if tab.example_box is not None:  # an example asks at once, with the settings as they are
        tab.example_box.load_input_event.then(on_ask, inputs, tab.result,
                                              api_visibility="private", show_progress="full")
    for component in (tab.mode, tab.fusion):
        component.change(on_mode, [tab.mode, tab.fusion], [tab.fusion, tab.alpha],
                         api_visibility="private", queue=False, show_progress="hidden")


def _wire_sources(gr, now, live: LiveIndex | None, tabs, ask_tab: SimpleNamespace,
                  source_tab: SimpleNamespace, header, figures) -> None:
    """Citations open the Source tab; the picker and uploads change what it shows."""
    viewer, picker = source_tab.viewer, source_tab.picker

    def on_open(evt: gr.EventData):
        data = evt._data if isinstance(getattr(evt, "_data", None), dict) else {}
        snapshot = now()
        page = handle_open(snapshot, data.get("source"), data.get("start"), data.get("end"),
                           data.get("astart"), data.get("aend"))
        source = data.get("source")
        known = source if isinstance(source, str) and source in snapshot.documents else None
        return page, gr.Tabs(selected="source"), gr.Dropdown(value=known)

    def on_upload(path):
        notice, source = handle_upload(live, path)
        if source is None:
            return notice, *(gr.skip(),) * 5
        snapshot = now()
        choices = document_choices(snapshot)
        return (notice, gr.Dropdown(choices=choices), gr.Dropdown(choices=choices, value=source),
                handle_open(snapshot, source), header_html(snapshot), figures_html(snapshot))

    for html in (ask_tab.result, figures):
        html.click(on_open, None, [viewer, tabs, picker], api_visibility="private",
                   show_progress="hidden")
    picker.input(lambda source: handle_open(now(), source), picker, viewer,
                 api_visibility="private", show_progress="hidden")
    if live is not None:
        source_tab.upload.upload(
            on_upload, source_tab.upload,
            [source_tab.upload_notice, ask_tab.sources, picker, viewer, header, figures],
            api_visibility="private", show_progress="full", concurrency_limit=1,
            concurrency_id="upload")


def _api_ask(gr, now: Callable[[], Index], ask_fn: AskFn):
    defaults = SearchSettings()

    def api_ask(question: str, k: int = defaults.k, mode: str = defaults.mode.value,
                fusion: str = defaults.fusion.value, alpha: float = defaults.alpha,
                sources: list[str] | None = None) -> dict[str, Any]:
        """Answer a question from the indexed sources: the JSON of `qa ask --json`.

        k: passages to return (1-100). mode: hybrid, bm25 or vector. fusion (hybrid only):
        rrf or weighted. alpha: weight of the vector side in weighted fusion (0-1).
        sources: only search these documents (source names as in the JSON).
        """
        _, payload = handle_ask(now(), question, k, mode, fusion, alpha, sources, ask_fn=ask_fn)
        if "error" in payload:
            raise gr.Error(payload["error"], print_exception=False)
        return payload

    return api_ask


def _default_missing_api_arguments(demo, api_name: str) -> None:
    """Let a plain HTTP call to /gradio_api/call/ASK send only its first arguments.

    gradio_client fills in every parameter's default, but Gradio's server refuses a request
    with fewer values than the function has parameters. For this endpoint the missing ones
    are sent as None, which `parse_request` reads as "the default"."""
    check = demo.validate_inputs

    def padded(block_fn, inputs: list) -> None:
        if block_fn.api_name == api_name and len(inputs) < len(block_fn.inputs):
            inputs.extend([None] * (len(block_fn.inputs) - len(inputs)))
        check(block_fn, inputs)

    demo.validate_inputs = padded


def theme():
    return gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")


def launch(demo, *, host: str = "127.0.0.1", port: int | None = 7860,
           concurrency: int = CONCURRENCY, block: bool = True):
    """Start serving `demo`; with `block=False` return at once (tests, screenshots)."""
    demo.queue(default_concurrency_limit=concurrency)
    # Gradio refuses a bigger upload before it reaches the disk; smaller bad files reach
    # the handler, which explains the refusal in the page.
    return demo.launch(server_name=host, server_port=port, share=False, css=static("qa.css"),
                       theme=theme(), footer_links=["api", "settings"], show_error=False,
                       prevent_thread_lock=not block, quiet=not block,
                       max_file_size=MAX_UPLOAD_BYTES)


def serve(index: Index, *, host: str = "127.0.0.1", port: int = 7860,
          concurrency: int = CONCURRENCY, uploads: bool = True) -> None:
    """Serve the page until interrupted. Bind 0.0.0.0 only to expose it on purpose.

    With `uploads`, the page takes new documents into `<root>/uploads/` and the index.
    (Gradio's analytics are switched off by `qa`'s entry point, which owns the environment.)"""
    app = build_app(LiveIndex(index) if uploads else index)
    launch(app, host=host, port=port, concurrency=concurrency)
