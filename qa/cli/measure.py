"""The `qa` commands that measure: eval, fit-reader, tune, bench and loadtest.

As in `qa.cli.main`, heavy modules are imported inside the commands, and every expected
failure prints one line and exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from qa.cli.shared import DEFAULT_INDEX, DEFAULT_SOURCES, IndexDir, fail, open_index

app = typer.Typer()

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
        fail(str(exc))


def _eval_questions(questions: Path | None, index_dir: Path | None, variants, k: int,
                    plot: Path | None, as_json: bool) -> str:
    from qa.eval.evaluate import CURVE_K, DEFAULT_QUESTIONS, evaluate
    from qa.eval.question_sets import load_questions
    from qa.eval.report import plot_recall, recall_title, render_eval

    path = questions or DEFAULT_QUESTIONS
    parsed = load_questions(path)  # a bad question set fails before the index is opened
    report = evaluate(open_index(index_dir or DEFAULT_INDEX), parsed, variants, k=k,
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
        fail(str(exc))


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
    report = fit_reader(data, squad_index, parsed, open_index(index_dir or DEFAULT_INDEX),
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
        fail(str(exc))


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
        index = open_index(index_dir or DEFAULT_INDEX)
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
        fail(str(exc))


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
        fail(str(exc))
    typer.echo(json.dumps(report.to_json()) if as_json else report.summary())
    if not report.ok:
        raise typer.Exit(1)
