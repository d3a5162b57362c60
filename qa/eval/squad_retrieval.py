"""Retrieval figures on SQuAD questions, per mode, measured as on the seed questions.

`qa.eval.squad` scores what the reader answers; this module scores the passages the same
questions retrieve (Hit@1, Hit@5, MRR@10, nDCG@10, Recall@10), so retrieval and reading are
measured on the same questions. Each SQuAD question becomes a `Question` whose gold answers
are the located answer spans, so the ranking is judged by `qa.eval.evaluate` exactly as on
seeds/questions.jsonl: a passage is relevant when it overlaps a gold answer. Questions the
paragraph cannot answer, and answerable ones whose answer text was not found in it, are not
judged (they have no relevant passage).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.eval.evaluate import evaluate
from qa.eval.metrics import EvalReport, Variant
from qa.eval.question_sets import GoldAnswer, Question
from qa.eval.squad import SquadData

__all__ = ["SQUAD_K", "squad_questions", "squad_retrieval"]

SQUAD_K = 10  # Recall@10, the same cut-off as `qa eval` on the seeds


def squad_questions(data: SquadData, limit: int | None = None) -> list[Question]:
    """The first `limit` questions of `data` (as `evaluate_squad` asks them), with their
    located gold spans as offsets; a question without one is marked unanswerable, so it
    is asked but never judged."""
    chosen = data.questions[:limit] if limit else data.questions
    return [Question(q.id, q.question, bool(q.golds),
                     tuple(GoldAnswer(q.source, start=s, end=e) for s, e in q.golds))
            for q in chosen]


def squad_retrieval(index, data: SquadData, variants: Sequence[Variant], *,
                    limit: int | None = None, progress: bool = True) -> EvalReport:
    """Search every question (the first `limit`) with every variant against `index`, the
    index of `data`'s articles, and measure the rankings (answers are not read)."""
    return evaluate(index, squad_questions(data, limit), variants, k=SQUAD_K, answers=False,
                    progress=progress)
