"""The `qa` command line: parse, call one library function, render.

Heavy modules are imported inside the commands, so `qa --help` and `qa ask` start fast.
Every expected failure prints one line and exits with status 2.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Cited answers from your own sources, without an LLM.")

DEFAULT_SOURCES = Path("seeds")
DEFAULT_INDEX = Path("index")

IndexDir = Annotated[Path, typer.Option("--index-dir", help="Index directory.")]


def _fail(message: str) -> None:
    typer.echo(f"qa: error: {message}", err=True)
    raise typer.Exit(2)


def _built(report) -> str:
    return (f"indexed {report.documents} documents into {report.chunks} chunks in "
            f"{report.seconds:.1f} s ({report.embedded} embedded, {report.reused} reused) "
            f"→ {report.index_dir}")


def _open_index(index_dir: Path, *, refresh: bool = True):
    """Load the index, rebuilding it first (with a one-line notice) if its sources changed."""
    from .index import build_index, check_staleness, load_index

    if refresh:
        index = load_index(index_dir)
        staleness = check_staleness(index_dir, index.manifest)
        if not staleness.stale:
            return index
        typer.echo(f"qa: index is stale ({staleness.summary()}); rebuilding…", err=True)
        root = Path(index.manifest["root"])
        build_index([root / p for p in index.manifest["inputs"]], index_dir, root=root)
    return load_index(index_dir)


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to index.")] = None,
    index_dir: IndexDir = DEFAULT_INDEX,
    status: Annotated[bool, typer.Option("--status", help="Show what is indexed, what is stale.")]
    = False,
    if_stale: Annotated[bool, typer.Option("--if-stale", help="Build only if missing or stale.")]
    = False,
) -> None:
    """Build or refresh the index (default: seeds/ into index/)."""
    from .errors import IndexMissing, QAError
    from .index import build_index, check_staleness, load_index

    try:
        if status or if_stale:
            try:
                manifest = load_index(index_dir).manifest
                staleness = check_staleness(index_dir, manifest)
            except IndexMissing:
                if status:
                    _fail(f"no index in {index_dir}: build it with `qa index`")
                manifest, staleness = None, None
            if status:
                counts = manifest["counts"]
                typer.echo(f"{index_dir}: {counts['documents']} documents, "
                           f"{counts['chunks']} chunks, built {manifest['created']}; "
                           f"{staleness.summary()}")
                for kind in ("added", "changed", "removed"):
                    for name in getattr(staleness, kind):
                        typer.echo(f"  {kind}: {name}")
                return
            if staleness is not None and not staleness.stale and not paths:
                typer.echo(f"{index_dir}: up to date ({manifest['counts']['chunks']} chunks)")
                return
        report = build_index(paths or [DEFAULT_SOURCES], index_dir, root=Path.cwd())
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
    typer.echo(_built(report))


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to add.")],
    index_dir: IndexDir = DEFAULT_INDEX,
) -> None:
    """Add files or folders to an existing index; only new or changed text is embedded."""
    from .errors import QAError
    from .index import build_index, load_index

    try:
        manifest = load_index(index_dir).manifest
        root = Path(manifest["root"])
        inputs = [root / p for p in manifest["inputs"]]
        known = {p.resolve() for p in inputs}
        inputs += [p for p in paths if p.resolve() not in known]
        report = build_index(inputs, index_dir, root=root)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
    typer.echo(_built(report))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one per line.")],
    k: Annotated[int, typer.Option("--k", help="Passages to return.")] = 5,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, bm25 or vector.")] = "hybrid",
    index_dir: IndexDir = DEFAULT_INDEX,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per question.")] = False,
) -> None:
    """Answer a question from the indexed sources, with citations."""
    from .answer import ask as ask_index
    from .errors import QAError
    from .retrieval import SearchSettings

    try:
        settings = SearchSettings(mode=mode, k=k)
        index = _open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
    questions = sys.stdin if question == "-" else [question]
    failed = False
    for line in questions:
        if question == "-" and not line.strip():
            continue
        try:
            result = ask_index(index, line, settings)
        except ValueError as exc:
            typer.echo(f"qa: error: {exc}", err=True)
            failed = True
            continue
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            typer.echo(_render(result))
    if failed:
        raise typer.Exit(2)


def _render(result) -> str:
    out = [f"Q: {result.question}"]
    if result.answer is not None:
        a = result.answer
        sentence = a.sentence
        rel = a.start - a.sentence_start
        marked = f"{sentence[:rel]}»{a.text}«{sentence[rel + len(a.text):]}"
        out += [f"A: {a.text}", textwrap.fill(marked, 100, initial_indent="   ",
                                               subsequent_indent="   "),
                f"   — {a.citation.render()}"]
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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 exposes it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7860,
    index_dir: IndexDir = DEFAULT_INDEX,
) -> None:
    """Serve the web page."""
    from .errors import QAError

    try:
        index = _open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
    from .app import serve as serve_app

    serve_app(index, host=host, port=port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
