"""The web page: a thin Gradio layer over `qa.answer.ask`.

The index is loaded once by the caller and shared read-only by every request. Every piece
of document or question text is escaped before it becomes HTML: sources are untrusted.
"""

from __future__ import annotations

import html
from typing import Any

from .answer import Result, ask
from .index import Index
from .retrieval import Mode, SearchSettings

__all__ = ["build_app", "handle_ask", "render_result", "serve"]

EXAMPLES = [
    "How much is Meta spending on AI infrastructure?",
    "How much did Nvidia's shares fall after DeepSeek's launch?",
    "What is the EU's InvestAI initiative worth?",
    "Who developed DeepSeek?",
    "When did the European AI Act enter into force?",
]

CSS = """
.qa-passage { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.8em 1em; margin: 0.6em 0; }
.qa-meta { font-size: 0.9em; opacity: 0.8; }
.qa-cite { font-size: 0.85em; opacity: 0.75; margin-top: 0.4em; }
.qa-error { color: var(--error-text-color, #b91c1c); }
"""


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def render_result(result: Result) -> str:
    """HTML for the passages of one answer; every interpolated value is escaped."""
    parts = []
    if not result.hits:
        parts.append("<p>No passage matches this question.</p>")
    for hit, cite in zip(result.hits, result.citations, strict=True):
        meta = " · ".join(_esc(p) for p in (cite.title, cite.author, cite.date) if p)
        parts.append(
            f'<div class="qa-passage"><div class="qa-meta"><b>[{hit.rank}]</b> {meta} '
            f"<span>(score {hit.score:.4f})</span></div>"
            f"<p>{_esc(hit.chunk.text)}</p>"
            f'<div class="qa-cite">{_esc(cite.render())}</div></div>'
        )
    parts.append(f'<p class="qa-meta">{result.took_ms:.0f} ms · {_esc(result.mode)}</p>')
    return "\n".join(parts)


def handle_ask(index: Index, question: str, k: int, mode: str) -> tuple[str, dict[str, Any]]:
    """One request: (HTML for the page, JSON for the API). Bad input gives a notice."""
    try:
        result = ask(index, question or "", SearchSettings(mode=Mode.parse(mode), k=int(k)))
    except ValueError as exc:
        return f'<p class="qa-error">{_esc(exc)}</p>', {"error": str(exc)}
    return render_result(result), result.to_json()


def build_app(index: Index):
    import gradio as gr

    def on_ask(question: str, k: float, mode: str) -> str:
        return handle_ask(index, question, int(k), mode)[0]

    def api_ask(question: str, k: float = 5, mode: str = "hybrid") -> dict[str, Any]:
        return handle_ask(index, question, int(k), mode)[1]

    with gr.Blocks(title="qa — cited answers") as demo:
        gr.Markdown("# qa\nCited answers from the indexed sources. Every word shown is a quote.")
        with gr.Row():
            question = gr.Textbox(label="Question", placeholder=EXAMPLES[0], scale=5)
            button = gr.Button("Ask", variant="primary", scale=1)
        with gr.Row():
            k = gr.Slider(1, 20, value=5, step=1, label="Passages")
            mode = gr.Radio([m.value for m in Mode], value=Mode.HYBRID.value, label="Mode")
        gr.Examples(EXAMPLES, inputs=question)
        output = gr.HTML()
        button.click(on_ask, [question, k, mode], output, api_visibility="private")
        question.submit(on_ask, [question, k, mode], output, api_visibility="private")
        api_out = gr.JSON(visible=False)
        api_button = gr.Button(visible=False)
        api_button.click(api_ask, [question, k, mode], api_out, api_name="ask")
    return demo


def serve(index: Index, *, host: str = "127.0.0.1", port: int = 7860) -> None:
    import gradio as gr

    demo = build_app(index)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, share=False, css=CSS,
                theme=gr.themes.Soft())
