"""Question sets: JSONL files of questions with gold answers, and where those answers are.

Each line is an object with an "id", the "question", whether it is "answerable", and its
"answers": spans of the cleaned sources, given as a `source` plus the quoted `text`, or as
`start`/`end` offsets. `resolve_gold` finds every occurrence of those spans in an index's
documents. (Not to be confused with `qa.reader.question`, what a single question asks for.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import QAError

__all__ = ["GoldAnswer", "GoldSpan", "Question", "QuestionsError", "load_questions",
           "resolve_gold"]


class QuestionsError(QAError, ValueError):
    """A question set that cannot be used as it is; the message names the line or question."""


@dataclass(frozen=True, slots=True)
class GoldAnswer:
    source: str
    text: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    question: str
    answerable: bool
    answers: tuple[GoldAnswer, ...] = ()
    kind: str | None = None
    paraphrase: bool = False


@dataclass(frozen=True, slots=True, order=True)
class GoldSpan:
    """One occurrence of a gold answer in a cleaned document."""

    source: str
    start: int
    end: int

    @property
    def id(self) -> str:
        return f"gold:{self.source}#{self.start}-{self.end}"

    def overlaps(self, source: str, start: int, end: int) -> bool:
        return source == self.source and start < self.end and self.start < end


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question set, refusing anything ambiguous with the line that holds it."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise QuestionsError(f"cannot read question set {path}: {exc.strerror}") from None
    questions: list[Question] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionsError(f"{where}: not valid JSON ({exc.msg})") from None
        question = _parse_question(row, where)
        if question.id in seen:
            raise QuestionsError(f"{where}: duplicate question id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise QuestionsError(f"no questions in {path}")
    return questions


def _parse_question(row: Any, where: str) -> Question:
    if not isinstance(row, dict):
        raise QuestionsError(f"{where}: each line must be a JSON object")
    qid, text = row.get("id"), row.get("question")
    if not isinstance(qid, str) or not qid:
        raise QuestionsError(f"{where}: missing string \"id\"")
    if not isinstance(text, str) or not text.strip():
        raise QuestionsError(f"{where}: question {qid} has no \"question\" text")
    raw_answers = row.get("answers", [])
    if not isinstance(raw_answers, list):
        raise QuestionsError(f"{where}: question {qid}: \"answers\" must be a list")
    answerable = row.get("answerable", bool(raw_answers))
    if not isinstance(answerable, bool):
        raise QuestionsError(f"{where}: question {qid}: \"answerable\" must be true or false")
    if answerable and not raw_answers:
        raise QuestionsError(f"{where}: question {qid} is answerable but has no answers")
    if not answerable and raw_answers:
        raise QuestionsError(f"{where}: question {qid} is unanswerable but lists answers")
    answers = tuple(_parse_answer(a, qid, where) for a in raw_answers)
    return Question(qid, text, answerable, answers, row.get("kind"), bool(row.get("paraphrase")))


def _parse_answer(raw: Any, qid: str, where: str) -> GoldAnswer:
    if not isinstance(raw, dict) or not isinstance(raw.get("source"), str):
        raise QuestionsError(f"{where}: question {qid}: each answer needs a \"source\"")
    text, start, end = raw.get("text"), raw.get("start"), raw.get("end")
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            raise QuestionsError(f"{where}: question {qid}: answer \"text\" must be non-empty")
        return GoldAnswer(raw["source"], text=text)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return GoldAnswer(raw["source"], start=start, end=end)
    raise QuestionsError(
        f"{where}: question {qid}: an answer needs \"text\", or \"start\" < \"end\" offsets"
    )


def resolve_gold(question: Question, documents: Mapping[str, Any]) -> tuple[GoldSpan, ...]:
    """Every occurrence of every gold answer as offsets in the cleaned documents, overlapping
    occurrences merged. `documents` maps source -> Document (as `Index.documents`)."""
    spans: list[GoldSpan] = []
    for answer in question.answers:
        doc = documents.get(answer.source)
        if doc is None:
            raise QuestionsError(
                f"question {question.id}: source {answer.source!r} is not in the index"
            )
        if answer.text is None:
            if answer.end > len(doc.text):
                raise QuestionsError(
                    f"question {question.id}: offsets {answer.start}-{answer.end} are past the "
                    f"end of {answer.source} ({len(doc.text)} characters)"
                )
            spans.append(GoldSpan(answer.source, answer.start, answer.end))
            continue
        at = doc.text.find(answer.text)
        if at < 0:
            raise QuestionsError(
                f"question {question.id}: gold text {answer.text!r} not found in the cleaned "
                f"text of {answer.source}"
            )
        while at >= 0:
            spans.append(GoldSpan(answer.source, at, at + len(answer.text)))
            at = doc.text.find(answer.text, at + 1)
    merged: list[GoldSpan] = []
    for span in sorted(set(spans)):
        last = merged[-1] if merged else None
        if last and last.source == span.source and span.start < last.end:
            merged[-1] = GoldSpan(last.source, last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return tuple(merged)
