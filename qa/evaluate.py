"""Measure retrieval and answers against a question set with gold answer spans.

Gold answers are spans of the cleaned sources (`source` plus quoted `text`, or `start`/`end`),
never chunk ids, so a question set stays valid when chunking changes. The unit of relevance
is a gold span occurrence (overlapping occurrences merged), not a chunk: with overlapping
chunks the same sentence lives in two chunks, search keeps only one of them, and chunk-level
qrels would cap recall at 1/2 for every answer in an overlap. A retrieved passage that
overlaps a gold span is entered in the run under that span's id; other passages under their
chunk id. ir-measures then computes the metrics; the run's scores are derived from our ranks
(strictly decreasing), because trec_eval breaks score ties by document id, not by our order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .answer import Answer
from .question_sets import GoldSpan, Question, load_questions, resolve_gold
from .retrieval import Hit, Mode, SearchSettings

__all__ = [
    "DEFAULT_QUESTIONS",
    "EvalReport",
    "Outcome",
    "Variant",
    "answer_correct",
    "evaluate",
    "first_relevant_rank",
    "plot_recall",
    "qrels_of",
    "question_runs",
    "render",
    "retrieval_measures",
    "per_query",
    "run_of",
    "runs_of",
    "score_runs",
    "settings_json",
    "variants_for",
]

DEFAULT_QUESTIONS = Path("seeds/questions.jsonl")
CURVE_K = 20  # Recall@k curves go from k = 1 to this
SHOWN_PASSAGES = 3  # passages listed for a failed question
ALL = "all"


@dataclass(frozen=True, slots=True)
class Variant:
    """A named way to search: "bm25", "vector", "hybrid" (the default) or a tuned variant."""

    name: str
    settings: SearchSettings


def variants_for(mode: str) -> list[Variant]:
    """The variants `qa eval --mode` runs; "hybrid" is always the default hybrid setting."""
    if mode == ALL:
        return [Variant(m.value, SearchSettings(mode=m)) for m in (Mode.BM25, Mode.VECTOR,
                                                                  Mode.HYBRID)]
    try:
        parsed = Mode.parse(mode)
    except ValueError:
        valid = ", ".join([*(m.value for m in Mode), ALL])
        raise ValueError(f"unknown mode {mode!r}; valid modes: {valid}") from None
    return [Variant(parsed.value, SearchSettings(mode=parsed))]


# -- runs and metrics ------------------------------------------------------------------------


def run_of(hits: Sequence[Hit], spans: Sequence[GoldSpan]) -> dict[str, float]:
    """The ir-measures run of one question: each hit under the id of the first gold span it
    covers that no better hit already covered, else under its chunk id; scores fall by rank."""
    run: dict[str, float] = {}
    for i, hit in enumerate(hits):
        c = hit.chunk
        fresh = [s.id for s in spans if s.overlaps(c.source, c.start, c.end) and s.id not in run]
        run[fresh[0] if fresh else c.id] = float(len(hits) - i)
    return run


def first_relevant_rank(hits: Sequence[Hit], spans: Sequence[GoldSpan]) -> int | None:
    for hit in hits:
        c = hit.chunk
        if any(s.overlaps(c.source, c.start, c.end) for s in spans):
            return hit.rank
    return None


def answer_correct(answer: Answer | None, question: Question, spans: Sequence[GoldSpan]) -> bool:
    """Right when the answer span overlaps a gold span of the same source; for a question the
    sources cannot answer, right when there is no answer."""
    if not question.answerable:
        return answer is None
    return answer is not None and any(s.overlaps(answer.source, answer.start, answer.end)
                                      for s in spans)


def retrieval_measures(k: int) -> list:
    """Hit@1, Hit@5, MRR@10, nDCG@10 and Recall@k, as ir-measures names them."""
    from ir_measures import RR, R, Success, nDCG

    measures = [Success @ 1, Success @ 5, RR @ 10, nDCG @ 10, R @ k]
    return list(dict.fromkeys(measures))


def score_runs(qrels: dict, run: dict, measures: Sequence) -> dict[str, float | None]:
    """Mean of each measure over the queries in `qrels` (a query missing from the run
    scores 0), keyed by the measure's ir-measures name."""
    if not qrels:
        return {str(m): None for m in measures}
    import ir_measures

    values = ir_measures.calc_aggregate(list(measures), qrels, {q: r for q, r in run.items() if r})
    return {str(m): float(values[m]) for m in measures}


def per_query(qrels: dict, run: dict, measures: Sequence) -> dict[str, dict[str, float]]:
    """measure name -> query id -> value, for every query in `qrels`."""
    import ir_measures

    out: dict[str, dict[str, float]] = {str(m): {} for m in measures}
    if qrels:
        kept = {q: r for q, r in run.items() if r}
        for metric in ir_measures.iter_calc(list(measures), qrels, kept):
            out[str(metric.measure)][metric.query_id] = float(metric.value)
    return out


# -- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    question: Question
    spans: tuple[GoldSpan, ...]
    hits: tuple[Hit, ...]
    answer: Answer | None


@dataclass(frozen=True)
class EvalReport:
    questions: int
    k: int
    modes: dict[str, dict[str, float | None]]
    failures: tuple[dict[str, Any], ...]
    settings: dict[str, dict[str, Any]]
    curves: dict[str, list[float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "questions": self.questions, "modes": self.modes, "failures": list(self.failures),
            "k": self.k, "settings": self.settings,
        }
        if self.curves:
            out["recall_curve"] = self.curves
        return out


def settings_json(settings: SearchSettings) -> dict[str, Any]:
    return {"mode": settings.mode.value, "fusion": settings.fusion.value,
            "rrf_k": settings.rrf_k, "alpha": settings.alpha, "depth": settings.depth}


def question_runs(
    index, questions: Sequence[Question], variants: Sequence[Variant], *, depth: int,
    answers: bool = True, progress: bool = True,
) -> dict[str, list[Outcome]]:
    """Search every question with every variant (top `depth` passages); with `answers`, also
    ask it at the variant's own k, as `qa ask` would, for the answer span."""
    from tqdm.auto import tqdm

    from .answer import ask
    from .retrieval import search

    spans = {q.id: resolve_gold(q, index.documents) for q in questions}  # fail before searching
    need_vectors = any(v.settings.mode is not Mode.BM25 for v in variants)
    vectors = index.embedder.encode([q.question for q in questions]) if need_vectors else None
    outcomes: dict[str, list[Outcome]] = {v.name: [] for v in variants}
    bar = tqdm(total=len(questions) * len(variants), desc="Evaluating", unit="query",
               disable=not progress, leave=False)
    for variant in variants:
        deep = replace(variant.settings, k=depth, max_k=max(depth, variant.settings.max_k))
        dense = variant.settings.mode is not Mode.BM25
        for i, q in enumerate(questions):
            hits = search(index, q.question, deep, query_vector=vectors[i] if dense else None)
            answer = ask(index, q.question, variant.settings).answer if answers else None
            outcomes[variant.name].append(Outcome(q, spans[q.id], tuple(hits), answer))
            bar.update()
    bar.close()
    return outcomes


def qrels_of(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    return {o.question.id: {s.id: 1 for s in o.spans} for o in outcomes if o.question.answerable}


def runs_of(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    return {o.question.id: run_of(o.hits, o.spans) for o in outcomes}


def evaluate(
    index, questions: Sequence[Question], variants: Sequence[Variant], *, k: int = 10,
    curve: int = 0, answers: bool = True, progress: bool = True,
) -> EvalReport:
    """Run every question with every variant and measure retrieval and answers."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    depth = max(k, 10, curve)
    results = question_runs(index, questions, variants, depth=depth, answers=answers,
                            progress=progress)
    measures = retrieval_measures(k)
    modes: dict[str, dict[str, float | None]] = {}
    curves: dict[str, list[float]] = {}
    failures: list[dict[str, Any]] = []
    for variant in variants:
        outcomes = results[variant.name]
        qrels = qrels_of(outcomes)
        run = runs_of(outcomes)
        metrics = {name: _round(v) for name, v in score_runs(qrels, run, measures).items()}
        metrics.update(_answer_metrics(outcomes, answers))
        metrics["answerable"] = len(qrels)
        modes[variant.name] = metrics
        if curve:
            from ir_measures import R

            values = score_runs(qrels, run, [R @ c for c in range(1, curve + 1)])
            curves[variant.name] = [_round(v) for v in values.values()]
        failures += [f for o in outcomes if (f := _failure(o, variant.name, k, answers))]
    return EvalReport(
        questions=len(questions), k=k, modes=modes, failures=tuple(failures),
        settings={v.name: settings_json(v.settings) for v in variants}, curves=curves,
    )


def _answer_metrics(outcomes: Sequence[Outcome], answers: bool) -> dict[str, float | None]:
    if not answers or not outcomes:
        return {"answer_accuracy": None, "no_answer_precision": None, "no_answer_recall": None}
    correct = sum(answer_correct(o.answer, o.question, o.spans) for o in outcomes)
    abstained = [o for o in outcomes if o.answer is None]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    right = sum(not o.question.answerable for o in abstained)
    return {
        "answer_accuracy": _round(correct / len(outcomes)),
        "no_answer_precision": _round(right / len(abstained)) if abstained else None,
        "no_answer_recall": _round(right / len(unanswerable)) if unanswerable else None,
    }


def _failure(o: Outcome, mode: str, k: int, answers: bool) -> dict[str, Any] | None:
    rank = first_relevant_rank(o.hits, o.spans) if o.question.answerable else None
    retrieved = rank is not None and rank <= k
    answer_ok = answer_correct(o.answer, o.question, o.spans) if answers else None
    if (retrieved or not o.question.answerable) and answer_ok is not False:
        return None
    q, a = o.question, o.answer
    return {
        "id": q.id, "question": q.question, "mode": mode, "answerable": q.answerable,
        "expected": [{"source": s.source, "start": s.start, "end": s.end} for s in o.spans],
        "expected_text": sorted({g.text for g in q.answers if g.text}),
        "retrieved": retrieved if q.answerable else None,
        "first_relevant_rank": rank,
        "searched": len(o.hits),  # passages looked at for first_relevant_rank
        "answer_correct": answer_ok,
        "answer": None if a is None else {"text": a.text, "source": a.source,
                                          "start": a.start, "end": a.end},
        "passages": [
            {"rank": h.rank, "source": h.chunk.source, "start": h.chunk.start,
             "end": h.chunk.end, "text": h.chunk.text}
            for h in o.hits[:SHOWN_PASSAGES]
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 4)


# -- output ----------------------------------------------------------------------------------

# Terminal headers in the words of the issue; --json keeps the ir-measures names.
_HEADERS = {"Success@1": "Hit@1", "Success@5": "Hit@5", "RR@10": "MRR@10",
            "answer_accuracy": "Answer", "no_answer_precision": "NoAns-P",
            "no_answer_recall": "NoAns-R"}


def render(report: EvalReport, *, max_failures: int = 30) -> str:
    """The metrics table, then what each mode got wrong."""
    names = [n for n in next(iter(report.modes.values())) if n != "answerable"]
    width = max(8, *(len(m) for m in report.modes))
    heads = [_HEADERS.get(n, n) for n in names]
    lines = [f"{report.questions} questions, "
             f"{next(iter(report.modes.values()))['answerable']} answerable; k = {report.k}",
             "mode".ljust(width) + "".join(h.rjust(9) for h in heads)]
    for mode, metrics in report.modes.items():
        cells = ["—" if metrics[n] is None else f"{metrics[n]:.3f}" for n in names]
        lines.append(mode.ljust(width) + "".join(c.rjust(9) for c in cells))
    for mode in report.modes:
        lines += _render_failures(report, mode, max_failures)
    return "\n".join(lines)


def _render_failures(report: EvalReport, mode: str, limit: int) -> list[str]:
    failures = [f for f in report.failures if f["mode"] == mode]
    # An answerable question whose passage was found but got no answer is listed only as a
    # count: until answer extraction lands that is every question.
    silent = [f for f in failures if f["retrieved"] and f["answer"] is None]
    shown = [f for f in failures if f not in silent]
    if not failures:
        return [f"\n{mode}: no failures"]
    out = [f"\n{mode}: {len(shown)} failed"
           + (f" (+ {len(silent)} found but unanswered)" if silent else "")]
    for f in shown[:limit]:
        if f["answerable"] and not f["retrieved"]:
            where = (f"first relevant passage at rank {f['first_relevant_rank']}"
                     if f["first_relevant_rank"]
                     else f"no relevant passage in the top {f['searched']}")
            why = f"expected {' | '.join(f['expected_text']) or f['expected'][0]}; {where}"
        elif f["answerable"]:
            why = f"wrong answer; expected {' | '.join(f['expected_text'])}"
        else:
            why = "unanswerable, but an answer was given"
        out.append(f"  {f['id']}  {f['question']}\n      {why}")
        if f["answer"]:
            out.append(f"      answered: {f['answer']['text']!r} ({f['answer']['source']})")
        if f["passages"]:
            p = f["passages"][0]
            text = " ".join(p["text"].split())
            out.append(f"      got [1] {p['source']} {p['start']}–{p['end']}: "
                       f"{text[:110]}{'…' if len(text) > 110 else ''}")
    if len(shown) > limit:
        out.append(f"  … and {len(shown) - limit} more (see --json)")
    return out


def plot_recall(curves: Mapping[str, Sequence[float]], path: Path, *, title: str) -> Path:
    """Recall@k against k, one line per mode, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, max(len(v) for v in curves.values()) + 1))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(title)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


# -- command ---------------------------------------------------------------------------------


def run_eval(
    questions: Path | None, *, mode: str = ALL, k: int = 10, as_json: bool = False,
    plot: Path | None = None, index_dir: Path | None = None, beir: Path | None = None,
    split: str = "test", open_index=None, progress: bool = True,
) -> str:
    """What `qa eval` prints. `open_index(dir)` loads (and refreshes) the question-set index."""
    variants = variants_for(mode)
    if beir is not None:
        from .beir import default_index_dir, evaluate_beir, open_beir_index, read_beir, render_beir

        if questions is not None:
            raise ValueError("give a question set or --beir, not both")
        if plot is not None:
            raise ValueError("--plot draws Recall@k of a question set; it is not for --beir")
        data = read_beir(beir, split)
        index, _ = open_beir_index(data, index_dir or default_index_dir(data), progress=progress)
        report = evaluate_beir(index, data, variants, progress=progress)
        return json.dumps(report.to_json(), ensure_ascii=False) if as_json else render_beir(
            report, data)
    if open_index is None:
        from .index import load_index as open_index
    path = questions or DEFAULT_QUESTIONS
    parsed = load_questions(path)
    index = open_index(index_dir or Path("index"))
    report = evaluate(index, parsed, variants, k=k, curve=CURVE_K if plot else 0,
                      progress=progress)
    text = json.dumps(report.to_json(), ensure_ascii=False) if as_json else render(report)
    if plot is not None:
        answerable = next(iter(report.modes.values()))["answerable"]
        plot_recall(report.curves, plot,
                    title=f"Recall@k, {path.name} ({answerable} answerable questions)")
        if not as_json:
            text += f"\n\nRecall@k curves → {plot}"
    return text
