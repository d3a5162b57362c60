"""The `qa` command line: parse, call one library function, render.

Heavy modules are imported inside the commands, so `qa --help` and `qa ask` start fast.
Every expected failure prints one line and exits with status 2.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from qa.cli import measure
from qa.cli.shared import (
    DEFAULT_INDEX,
    DEFAULT_SOURCES,
    IndexDir,
    built,
    fail,
    one_line,
    open_index,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Cited answers from your own sources, without an LLM.")
app.add_typer(measure.app)  # eval, fit-reader, tune, bench, loadtest


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to index.")] = None,
    index_dir: IndexDir = DEFAULT_INDEX,
    status: Annotated[bool, typer.Option("--status", help="Show what is indexed, what is stale.")]
    = False,
    if_stale: Annotated[bool, typer.Option("--if-stale", help="Build only if missing or stale.")]
    = False,
    chunk_chars: Annotated[int | None, typer.Option(
        "--chunk-chars", help="Chunk size in characters (qa.toml [chunker] max_chars).")] = None,
    chunk_overlap: Annotated[int | None, typer.Option(
        "--chunk-overlap", help="Sentences shared by neighbouring chunks.")] = None,
    backend: Annotated[str | None, typer.Option(
        "--backend", help="Where the index runs: local, qdrant-edge:PATH or qdrant:URL "
        "(qa.toml [index] backend).")] = None,
    ray: Annotated[str | None, typer.Option(
        "--ray", help="Embed on this Ray cluster (a Qdrant build; pip install 'qa[scale]')."
    )] = None,
) -> None:
    """Build or refresh the index. With no PATH: refresh it from what it was built from
    (a new index: seeds/). With PATHs: build it from exactly those. Settings: qa.toml in
    this folder, then these flags."""
    from qa.config import load_settings
    from qa.errors import IndexMissing, QAError
    from qa.store.build import build_index, refresh_index
    from qa.store.files import read_manifest

    try:
        settings = load_settings(overrides={
            "chunker": {"max_chars": chunk_chars, "overlap": chunk_overlap},
            "index": {"backend": backend}})
        if status:
            _status(index_dir, settings)
            return
        if paths:
            report = build_index(paths, index_dir, root=Path.cwd(), settings=settings,
                                 ray=ray)
        else:
            try:
                report = refresh_index(index_dir, only_if_stale=if_stale, settings=settings,
                                       ray=ray)
            except IndexMissing:  # no index yet (a foreign folder is refused by the build)
                report = build_index([DEFAULT_SOURCES], index_dir, root=Path.cwd(),
                                     settings=settings, ray=ray)
            if report is None:
                chunks = read_manifest(index_dir)["counts"]["chunks"]
                typer.echo(f"{index_dir}: up to date ({chunks} chunks)")
                return
    except (QAError, ValueError, OSError) as exc:
        fail(str(exc))
    typer.echo(built(report))


def _status(index_dir: Path, settings) -> None:
    from qa.store.files import read_manifest
    from qa.store.staleness import check_staleness

    manifest = read_manifest(index_dir)
    staleness = check_staleness(index_dir, manifest, settings)
    counts = manifest["counts"]
    analyzer = manifest["bm25"].get("analyzer", "simple")
    typer.echo(f"{index_dir}: {counts['documents']} documents, {counts['chunks']} chunks, "
               f"BM25 analyzer {analyzer}, built {manifest['created']}; {staleness.summary()}")
    for kind in ("added", "changed", "removed", "settings"):
        for name in getattr(staleness, kind):
            typer.echo(f"  {kind}: {name}")


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to add.")],
    index_dir: IndexDir = DEFAULT_INDEX,
) -> None:
    """Add files or folders to an existing index; only new or changed text is embedded."""
    from qa.errors import QAError
    from qa.store.build import add_to_index

    try:  # a missing, foreign, edited or damaged index fails here, in one line
        report = add_to_index(paths, index_dir)
    except (QAError, ValueError, OSError) as exc:
        fail(str(exc))
    typer.echo(built(report))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one per line.")],
    k: Annotated[int, typer.Option("--k", help="Passages to return.")] = 5,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, bm25 or vector.")] = "hybrid",
    index_dir: IndexDir = DEFAULT_INDEX,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per question.")] = False,
    fusion: Annotated[str | None, typer.Option(
        "--fusion", help="weighted or rrf (default: qa.toml [search], else the tuned one).")]
    = None,
    alpha: Annotated[float | None, typer.Option(
        "--alpha", help="Weight of the dense side in weighted fusion, 0 to 1.")] = None,
) -> None:
    """Answer a question from the indexed sources, with citations."""
    from qa.answer import ask as ask_index
    from qa.errors import QAError
    from qa.search.base import SearchSettings

    try:
        chosen = {"fusion": fusion, "alpha": alpha}
        settings = SearchSettings(mode=mode, k=k,
                                  **{key: v for key, v in chosen.items() if v is not None})
        index = open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        fail(str(exc))
    failed = False
    for number, line in _questions(question):
        if line is None:
            typer.echo(f"qa: error: line {number} of standard input is not UTF-8 text; "
                       "skipped", err=True)
            failed = True
            continue
        if question == "-" and not line.strip():
            continue
        try:
            result = ask_index(index, line, settings)
        except ValueError as exc:
            typer.echo(f"qa: error: {one_line(str(exc))}", err=True)
            failed = True
            continue
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            typer.echo(_render(result))
    if failed:
        raise typer.Exit(2)


def _questions(question: str):
    """(line number, text) for each question; text None for a line that is not UTF-8.

    Standard input is read as bytes so a bad line is reported, whatever PYTHONIOENCODING
    says, instead of ending the run with a decoding traceback."""
    if question != "-":
        yield 1, question
        return
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None


def _render(result) -> str:
    from qa.answer import stands_for  # loaded already: `ask` returned `result`

    out = [f"Q: {result.question}"]
    if result.answer is not None:
        sure = f" ({result.sureness} match)" if result.sureness else ""
        out += _render_answer(f"A{sure}:", result.answer)
        for option in result.compared:  # "A or B": each figure with its citation
            if option != result.answer:  # the answer may be the option, not its figure
                label = "Its figure:" if stands_for(result.answer, option) else "Compared with:"
                out += _render_answer(label, option)
        for alt in result.alternatives:  # other sources give another figure for the same thing
            out += _render_answer("Another source says:", alt)
    else:
        reason = result.no_answer_reason or "The sources do not answer this question."
        out.append(f"A: (no answer) {reason}")
        if result.rejected is not None:
            out += _render_answer("Closest, not confident:", result.rejected)
        if result.hits:
            out.append("   The closest passages are below, for you to judge.")
    out.append("")
    for hit, cite in zip(result.hits, result.citations, strict=True):
        meta = " · ".join(p for p in (cite.title, cite.date, cite.source) if p)
        scores = f"score {hit.score:.4f}"
        out.append(f"[{hit.rank}] {meta}  ({scores})")
        out.append(textwrap.fill(" ".join(hit.chunk.text.split()), 100,
                                 initial_indent="    ", subsequent_indent="    "))
        out.append(f"    — {cite.render()}")
    out.append(f"({result.took_ms:.0f} ms, {result.mode})")
    return "\n".join(out)


def _render_answer(label: str, a) -> list[str]:
    """The span marked »like this« inside its sentence (bold on a terminal), then its citation."""
    rel = a.start - a.sentence_start
    span = f"»{a.text}«"
    if sys.stdout.isatty():
        span = typer.style(span, bold=True)
    marked = f"{a.sentence[:rel]}{span}{a.sentence[rel + len(a.text):]}"
    lines = [f"{label} {a.text}"] if a.kind != "sentence" else [label]
    return lines + [textwrap.fill(marked, 100, initial_indent="   ", subsequent_indent="   "),
                    f"   — {a.citation.render()}"]


@app.command()
def figures(
    entity: Annotated[str | None, typer.Option("--entity", help="Only this organization.")]
    = None,
    index_dir: IndexDir = DEFAULT_INDEX,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON list of figures.")] = False,
) -> None:
    """List every money and percentage figure in the sources: whose, what, when, where."""
    from qa.errors import QAError
    from qa.figures import figures_table, to_json

    try:
        rows = figures_table(open_index(index_dir), entity)
    except (QAError, ValueError, OSError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(to_json(rows), ensure_ascii=False))
        return
    table = [("ORGANIZATION", "WHAT", "FIGURE", "DATE", "WHERE")] + [
        (f.organization or "?", f.what or "?", f.text, f.date or "?",
         f"{f.source}:{f.citation.line_start}") for f in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
                   + "  " + row[4])
    typer.echo(f"{len(rows)} figures" + (f" for {entity}" if entity else ""))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 exposes it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7860,
    index_dir: IndexDir = DEFAULT_INDEX,
    concurrency: Annotated[int, typer.Option(
        min=1, help="Questions answered at once; more wait in the queue.")] = 4,
    uploads: Annotated[bool, typer.Option(
        "--uploads/--no-uploads", help="Let the page add documents (saved in uploads/).")]
    = True,
) -> None:
    """Serve the web page (and its API) on http://HOST:PORT/."""
    from qa.errors import QAError
    from qa.search.base import SearchSettings

    try:
        SearchSettings()  # a bad qa.toml fails here, in one line, not in the page
        index = open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        fail(str(exc))
    from qa.web.app import serve as serve_app

    serve_app(index, host=host, port=port, concurrency=concurrency, uploads=uploads)


def _load_plugins(names: str) -> None:
    """Import the modules named in QA_PLUGINS (comma-separated): they register embedders or
    index backends (qa.embed.embedding.register_embedder, qa.backends.protocols), the way the
    tests make their stand-in model known to every `qa` process they start."""
    import importlib

    for name in filter(None, (n.strip() for n in names.split(","))):
        importlib.import_module(name)


def main() -> None:
    """Run the CLI with usage errors (`--k abc`, an unknown option) as the same one-line
    `qa: error:` and exit status 2 as every other refusal, not Typer's boxed panel."""
    # Read when huggingface_hub is first imported: the process-wide promise that no model
    # is fetched, set here, at the entry point, rather than by a library class.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # `qa serve` phones no one
    try:
        _load_plugins(os.environ.get("QA_PLUGINS", ""))
    except ImportError as exc:
        typer.echo(f"qa: error: QA_PLUGINS: {one_line(str(exc))}", err=True)
        sys.exit(2)
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("qa: aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # click's UsageError and friends, vendored by Typer
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        typer.echo(f"qa: error: {one_line(exc.format_message())}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
