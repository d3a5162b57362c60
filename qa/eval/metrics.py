"""What a question-set evaluation (`qa.eval.evaluate`) and a BEIR one (`qa.eval.beir`) share: the
variants they search with, ir-measures scoring of runs, and the report they both return.

Kept apart so that `qa.eval.beir` does not depend on `qa.eval.evaluate`, which measures answers
too and so builds on the whole answer reader: BEIR judges retrieval only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qa.search.base import SearchSettings
from qa.types import Mode

__all__ = [
    "ALL", "EvalReport", "Variant", "per_query", "score_runs", "settings_json", "variants_for",
]

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


def settings_json(settings: SearchSettings) -> dict[str, Any]:
    return {"mode": settings.mode.value, "fusion": settings.fusion.value,
            "rrf_k": settings.rrf_k, "alpha": settings.alpha, "alpha_max": settings.alpha_max,
            "depth": settings.depth,
            "sentence_weight": settings.sentence_weight, "phrase_weight": settings.phrase_weight,
            "window_weight": settings.window_weight}


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


@dataclass(frozen=True)
class EvalReport:
    """Metrics per variant (`modes`), what each got wrong, and the settings each ran with;
    `curves` holds Recall@k for k = 1, 2, ... when asked for."""

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
