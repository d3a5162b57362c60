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

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Cited answers from your own sources, without an LLM.")

DEFAULT_SOURCES = Path("seeds")
DEFAULT_INDEX = Path("index")

IndexDir = Annotated[Path, typer.Option("--index-dir", help="Index directory.")]


def _fail(message: str) -> None:
    typer.echo(f"qa: error: {_one_line(message)}", err=True)
    raise typer.Exit(2)


def _note(message: str) -> None:
    typer.echo(f"qa: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    """Messages quote file names and questions, which may hold line breaks."""
    return " ".join(str(message).split())


def _built(report) -> str:
    for name in report.left_out:
        _note(f"left out {name}: it no longer exists, so its documents were dropped")
    return (f"indexed {report.documents} documents into {report.chunks} chunks in "
            f"{report.seconds:.1f} s ({report.embedded} embedded, {report.reused} reused) "
            f"→ {report.index_dir}")


def _open_index(index_dir: Path, *, refresh: bool = True):
    """Load the index; if its sources changed since the build, say so once (on stderr).

    Asking never rebuilds: a rebuild reads files named in the manifest, and only
    `qa index` (or `make run`) should ever do that."""
    from qa.store.index import check_staleness, load_index

    index = load_index(index_dir)
    if refresh:
        staleness = check_staleness(index_dir, index.manifest)
        if staleness.stale:
            _note(f"note: the index is stale ({staleness.summary()}); answers come from the "
                  "index as built. `qa index` refreshes it.")
    return index


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
    from qa.store.index import build_index, read_manifest, refresh_index

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
        _fail(str(exc))
    typer.echo(_built(report))


def _status(index_dir: Path, settings) -> None:
    from qa.store.index import check_staleness, read_manifest

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
    from qa.store.index import add_to_index

    try:  # a missing, foreign, edited or damaged index fails here, in one line
        report = add_to_index(paths, index_dir)
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
        index = _open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
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
            typer.echo(f"qa: error: {_one_line(str(exc))}", err=True)
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


QuestionSet = Annotated[Path | None, typer.Argument(
    help="Question set (JSONL, gold answer spans); default seeds/questions.jsonl.")]
EvalIndexDir = Annotated[Path | None, typer.Option(
    "--index-dir", help="Index directory (default index/, or index-beir/NAME with --beir).")]
Beir = Annotated[Path | None, typer.Option("--beir", help="A BEIR-layout dataset directory.")]
Split = Annotated[str, typer.Option("--split", help="BEIR qrels split.")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object.")]


@app.command("eval")
def eval_(
    questions: QuestionSet = None,
    mode: Annotated[str, typer.Option("--mode", help="bm25, vector, hybrid or all.")] = "all",
    k: Annotated[int | None, typer.Option(
        "--k", help="Cut-off of Recall@k (10); with --squad, passages asked with (5).")] = None,
    as_json: AsJson = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Recall@k curves to this PNG.")]
    = None,
    index_dir: EvalIndexDir = None,
    beir: Beir = None,
    split: Split = "test",
    squad: Annotated[Path | None, typer.Option(
        "--squad", help="A SQuAD-format JSON file (.json or .json.gz): the open setting.")]
    = None,
    articles: Annotated[str | None, typer.Option(
        "--articles", help="With --squad: comma-separated titles, or even / odd.")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="With --squad: ask only the first N questions.")] = None,
) -> None:
    """Measure retrieval and answers on a question set, a BEIR dataset or SQuAD data."""
    from qa.errors import QAError
    from qa.eval.metrics import variants_for

    try:
        variants = variants_for(mode)
        if squad is not None:
            if questions is not None or beir is not None:
                raise ValueError("give one of a question set, --beir or --squad")
            typer.echo(_eval_squad(squad, articles, index_dir, variants, k, limit, as_json))
        elif beir is not None:
            if questions is not None:
                raise ValueError("give a question set or --beir, not both")
            if plot is not None:
                raise ValueError("--plot draws Recall@k of a question set; it is not for --beir")
            typer.echo(_eval_beir(beir, split, index_dir, variants, as_json))
        else:
            typer.echo(_eval_questions(questions, index_dir, variants, k or 10, plot, as_json))
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))


def _eval_questions(questions: Path | None, index_dir: Path | None, variants, k: int,
                    plot: Path | None, as_json: bool) -> str:
    from qa.eval.evaluate import CURVE_K, DEFAULT_QUESTIONS, evaluate
    from qa.eval.question_sets import load_questions
    from qa.eval.report import plot_recall, recall_title, render_eval

    path = questions or DEFAULT_QUESTIONS
    parsed = load_questions(path)  # a bad question set fails before the index is opened
    report = evaluate(_open_index(index_dir or DEFAULT_INDEX), parsed, variants, k=k,
                      curve=CURVE_K if plot else 0)
    if plot is not None:
        plot_recall(report.curves, plot, title=recall_title(path, report))
    if as_json:
        return json.dumps(report.to_json(), ensure_ascii=False)
    return render_eval(report, plotted=plot)


def _eval_beir(directory: Path, split: str, index_dir: Path | None, variants,
               as_json: bool) -> str:
    from qa.eval.beir import evaluate_beir
    from qa.eval.report import render_beir

    data, index = _open_beir(directory, split, index_dir)
    report = evaluate_beir(index, data, variants)
    return json.dumps(report.to_json(), ensure_ascii=False) if as_json else render_beir(
        report, data)


def _eval_squad(path: Path, articles: str | None, index_dir: Path | None, variants,
                k: int | None, limit: int | None, as_json: bool) -> str:
    """Index the file's articles (in index-squad/<hash> unless told; reused while the text
    and settings are the same), ask every question against the whole index, score it."""
    from dataclasses import replace

    from qa.eval.metrics import variants_for
    from qa.eval.report import render_squad, render_squad_retrieval
    from qa.eval.squad import default_index_dir, evaluate_squad, open_squad_index, read_squad
    from qa.eval.squad_retrieval import squad_retrieval

    chosen = [a.strip() for a in articles.split(",") if a.strip()] if articles else None
    data = read_squad(path, chosen)
    index = open_squad_index(data, index_dir or default_index_dir(data))
    reports = {v.name: evaluate_squad(index, data, replace(v.settings, k=k or 5), limit=limit)
               for v in variants}
    # Searching alone is cheap, so retrieval is measured in every mode whatever --mode says.
    retrieval = squad_retrieval(index, data, variants_for("all"), limit=limit)
    if as_json:
        return json.dumps({**{m: r.to_json() for m, r in reports.items()},
                           "retrieval": retrieval.to_json()}, ensure_ascii=False)
    return render_squad(reports) + "\n" + render_squad_retrieval(retrieval)


def _open_beir(directory: Path, split: str, index_dir: Path | None):
    """(data, index) of a BEIR dataset: its index is built from the corpus when missing or
    out of date (see `qa.eval.beir.open_beir_index`), in index-beir/NAME unless told."""
    from qa.eval.beir import default_index_dir, open_beir_index, read_beir

    data = read_beir(directory, split)
    index, _ = open_beir_index(data, index_dir or default_index_dir(data))
    return data, index


@app.command("fit-reader")
def fit_reader_(
    squad: Annotated[Path, typer.Option(
        "--squad", help="SQuAD-format JSON (.json or .json.gz) to fit on.")],
    articles: Annotated[str, typer.Option(
        "--articles", help="Articles to fit on: comma-separated titles, or even / odd.")]
    = "even",
    questions: QuestionSet = None,
    index_dir: EvalIndexDir = None,
    # All of them by default: on SQuAD's fit half (2 folds by article), a span and sentence
    # model fitted on a third of a fold's questions scored forced EM 0.319, on all 0.362.
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="Fit on about N SQuAD questions, sampled evenly "
                               "(default: all).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Folds over the seeds.")] = 5,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the model (default: the one the reader ships).")] = None,
    held_out: Annotated[int, typer.Option(
        "--held-out", min=0, help="Also score the SQuAD articles held out: N folds by "
                                  "article, each read by a reader fitted on the others alone "
                                  "(0: off; 2 takes about 8 minutes on the fit half).")] = 0,
) -> None:
    """Fit the reader's answer types, span, sentence and no-answer models (qa.reader.learned)
    on SQuAD articles plus a question set, and cross-validate the set's answer accuracy."""
    from qa.errors import QAError

    try:
        typer.echo(_fit_reader(squad, articles, questions, index_dir, limit, folds, out,
                               held_out))
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))


def _fit_reader(squad: Path, articles: str, questions: Path | None, index_dir: Path | None,
                limit: int | None, folds: int, out: Path | None, held_out: int = 0) -> str:
    from tqdm.auto import tqdm

    from qa.eval.evaluate import DEFAULT_QUESTIONS
    from qa.eval.fit_reader import fit_reader, pooled, squad_held_out
    from qa.eval.question_sets import load_questions
    from qa.eval.squad import default_index_dir, open_squad_index, read_squad
    from qa.reader.learned import MODEL_FILE, save_model

    parsed = load_questions(questions or DEFAULT_QUESTIONS)
    data = read_squad(squad, [a.strip() for a in articles.split(",") if a.strip()])
    squad_index = open_squad_index(data, default_index_dir(data))
    report = fit_reader(data, squad_index, parsed, _open_index(index_dir or DEFAULT_INDEX),
                        limit=limit, folds=folds,
                        progress=lambda xs: tqdm(xs, desc="Asking", unit="question",
                                                 leave=False))
    path = save_model(report.model, out or MODEL_FILE)
    lines = [f"fitted on {report.model.fitted_on} → {path}",
             f"seeds answer accuracy, {report.folds}-fold cross-validated: "
             f"{report.seeds_cv_accuracy:.3f}"]
    if held_out:
        reports = squad_held_out(data, squad_index, held_out, progress=lambda xs: tqdm(
            xs, desc="Asking", unit="question", leave=False))
        figures = pooled(reports)
        lines.append(f"SQuAD held out, {held_out} folds by article "
                     f"({sum(r.answerable for r in reports)} answerable, SQuAD only): "
                     + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    return "\n".join(lines)


@app.command()
def tune(
    questions: QuestionSet = None,
    beir: Beir = None,
    split: Split = "test",
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds.")] = 5,
    repeats: Annotated[int, typer.Option("--repeats", help="Cross-validation repeats.")] = 10,
    metric: Annotated[str, typer.Option("--metric", help="What to maximise.")] = "nDCG@10",
    write: Annotated[bool, typer.Option(
        "--write", help="Store the choice in qa.toml, in this folder.")]
    = False,
    chunks: Annotated[bool, typer.Option("--chunks", help="Measure chunk sizes instead.")]
    = False,
    index_dir: EvalIndexDir = None,
    as_json: AsJson = False,
    squad: Annotated[Path | None, typer.Option(
        "--squad", help="Also tune on the fit half (even articles) of this SQuAD file.")]
    = None,
) -> None:
    """Choose the hybrid fusion by cross-validation (or measure chunk sizes with --chunks)."""
    from qa.errors import QAError

    try:
        if squad is not None and (beir is not None or chunks):
            raise ValueError("--squad adds SQuAD's fit half to the question set: not with "
                             "--beir or --chunks")
        if beir is not None and (questions is not None or chunks):
            raise ValueError("--beir tunes fusion on a BEIR dataset: give no question set or "
                             "--chunks")
        if chunks:
            if write:
                raise ValueError("--chunks only measures; pick the chunk size in ChunkerConfig")
            typer.echo(_tune_chunks(questions, as_json))
        else:
            typer.echo(_tune_fusion(questions, beir, split, index_dir, folds=folds,
                                    repeats=repeats, metric=metric, write=write,
                                    as_json=as_json, squad=squad))
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))


def _tune_chunks(questions: Path | None, as_json: bool) -> str:
    from qa.eval.evaluate import DEFAULT_QUESTIONS
    from qa.eval.question_sets import load_questions
    from qa.eval.report import render_chunks
    from qa.eval.tune import chunk_grid, chunk_rows_json

    parsed = load_questions(questions or DEFAULT_QUESTIONS)
    rows = chunk_grid([DEFAULT_SOURCES], parsed, root=Path.cwd())
    if as_json:
        return json.dumps({"questions": len(parsed), "chunking": chunk_rows_json(rows)})
    return render_chunks(rows)


def _tune_fusion(questions: Path | None, beir: Path | None, split: str,
                 index_dir: Path | None, *, folds: int, repeats: int, metric: str, write: bool,
                 as_json: bool, squad: Path | None = None) -> str:
    from qa.eval.evaluate import DEFAULT_QUESTIONS
    from qa.eval.question_sets import load_questions
    from qa.eval.report import render_tune
    from qa.eval.tune import tune_beir, tune_sets, write_choice

    if beir is not None:
        data, index = _open_beir(beir, split, index_dir)
        report = tune_beir(index, data, folds=folds, repeats=repeats, metric=metric)
        on = f"BEIR {data.name} ({split})"
    else:
        path = questions or DEFAULT_QUESTIONS
        parsed = load_questions(path)
        index = _open_index(index_dir or DEFAULT_INDEX)
        sets = {str(path): (index, parsed)}
        if squad is not None:
            sets[f"{squad.name} fit half"] = _squad_fit_half(squad)
        report = tune_sets(sets, folds=folds, repeats=repeats, metric=metric)
        on = " + ".join(sets)
    target = write_choice(report, index, on=on) if write else None
    if as_json:
        out = report.to_json() | ({"written": str(target)} if target else {})
        return json.dumps(out, ensure_ascii=False)
    return render_tune(report, written=target)


def _squad_fit_half(path: Path):
    """(index, questions) of the even articles of a SQuAD file: the half anything may be
    fitted on (the odd half is kept for reporting), indexed as `qa eval --squad` does."""
    from qa.eval.squad import default_index_dir, open_squad_index, read_squad
    from qa.eval.squad_retrieval import squad_questions

    data = read_squad(path, ["even"])
    return open_squad_index(data, default_index_dir(data)), squad_questions(data)


@app.command()
def bench(
    index_dir: IndexDir = DEFAULT_INDEX,
    out: Annotated[Path, typer.Option("--out", help="Where to write JSON.")]
    = Path("bench/out/bench.json"),
    quick: Annotated[bool, typer.Option("--quick", help="Tiny sizes: checks the code runs.")]
    = False,
    only: Annotated[list[str] | None, typer.Option(
        "--only",
        help="Sections to run: warm, cold, build, scale, hostile, analyzer (repeatable).")]
    = None,
) -> None:
    """Measure speed next to baselines; print a table and write JSON."""
    from qa.errors import QAError
    from qa.perf.bench import main as run_bench

    try:
        run_bench(index_dir, out, quick=quick, sections=only or ())
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))


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
        rows = figures_table(_open_index(index_dir), entity)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
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
        index = _open_index(index_dir)
    except (QAError, ValueError, OSError) as exc:
        _fail(str(exc))
    from qa.web.app import serve as serve_app

    serve_app(index, host=host, port=port, concurrency=concurrency, uploads=uploads)


@app.command()
def loadtest(
    clients: Annotated[int, typer.Option(min=1, max=256, help="Clients asking at once.")] = 32,
    seconds: Annotated[float, typer.Option(min=0.1, max=600, help="How long to ask.")] = 60.0,
    url: Annotated[str | None, typer.Option(
        "--url", help="A running app on 127.0.0.1; default: start one on a free port.")]
    = None,
    index_dir: IndexDir = DEFAULT_INDEX,
    questions: Annotated[Path, typer.Option("--questions", help="Question set (JSONL).")]
    = DEFAULT_SOURCES / "questions.jsonl",
    concurrency: Annotated[int | None, typer.Option(
        min=1, help="The started app's --concurrency (default: qa serve's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Ask the seed questions from many clients at once through the API; report errors,
    whether every answer matches the single-client one, and p50/p95 latency."""
    import contextlib

    from qa.errors import QAError
    from qa.perf.loadtest import check_loopback, load_questions, run_load, served

    try:
        asked = load_questions(questions)
        if url is not None:
            check_loopback(url)
        with contextlib.nullcontext(url) if url else served(
                index_dir, concurrency=concurrency) as target:
            report = run_load(target, asked, clients=clients, seconds=seconds)
    except (QAError, ValueError, OSError, RuntimeError) as exc:
        _fail(str(exc))
    typer.echo(json.dumps(report.to_json()) if as_json else report.summary())
    if not report.ok:
        raise typer.Exit(1)


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
        typer.echo(f"qa: error: QA_PLUGINS: {_one_line(str(exc))}", err=True)
        sys.exit(2)
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("qa: aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # click's UsageError and friends, vendored by Typer
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        typer.echo(f"qa: error: {_one_line(exc.format_message())}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
