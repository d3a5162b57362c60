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

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.answer import Answer, ask
from qa.eval.metrics import (  # re-exported: the names `qa.eval.evaluate` has always offered
    EvalReport,
    Variant,
    per_query,
    score_runs,
    settings_json,
    variants_for,
)
from qa.eval.question_sets import GoldSpan, Question, resolve_gold
from qa.search.base import Hit
from qa.search.hybrid import search
from qa.types import Mode

__all__ = [
    "DEFAULT_QUESTIONS",
    "EvalReport",
    "Outcome",
    "Variant",
    "answer_correct",
    "evaluate",
    "first_relevant_rank",
    "qrels_of",
    "question_runs",
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


# -- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    question: Question
    spans: tuple[GoldSpan, ...]
    hits: tuple[Hit, ...]
    answer: Answer | None


def question_runs(
    index, questions: Sequence[Question], variants: Sequence[Variant], *, depth: int,
    answers: bool = True, progress: bool = True,
) -> dict[str, list[Outcome]]:
    """Search every question with every variant (top `depth` passages); with `answers`, also
    ask it at the variant's own k, as `qa ask` would, for the answer span."""
    from tqdm.auto import tqdm

    spans = {q.id: resolve_gold(q, index.documents) for q in questions}  # fail before searching
    need_vectors = any(v.settings.mode is not Mode.BM25 for v in variants)
    vectors = index.embedder.encode([q.question for q in questions]) if need_vectors else None
    outcomes: dict[str, list[Outcome]] = {v.name: [] for v in variants}
    bar = tqdm(total=len(questions) * len(variants), desc="Evaluating", unit="query",
               disable=None if progress else True, leave=False)
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
