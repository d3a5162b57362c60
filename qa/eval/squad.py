"""Evaluate on SQuAD-format data in the open setting: the reader as a user meets it.

Every article of the file (or of `articles`) becomes one document, its paragraphs separated
by blank lines; every question is asked against the whole index, not its own paragraph. The
answer is scored with the official SQuAD normalization (lower case, no punctuation, no
a/an/the, single spaces): exact match and token F1, the best over the gold answers. An
unanswerable question is right when qa declines it. Figures are given both as answered
(declining costs EM) and forced (the candidate qa turned down counts as its answer), with the
retrieval figures on the same questions (a passage is relevant when it holds a gold answer).
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from qa.answer import Answer, Result, ask
from qa.config import Settings, load_settings
from qa.errors import QAError
from qa.ingest.sources import Document
from qa.reader.base import Reader
from qa.search.base import Hit, SearchSettings
from qa.store.build import build_index_from_documents
from qa.store.index import Index, load_index, reusable_index

__all__ = ["SquadData", "SquadError", "SquadQuestion", "SquadReport", "default_index_dir",
           "evaluate_squad", "exact_match", "f1", "normalize", "open_squad_index", "read_squad"]

INDEX_ROOT = Path("index-squad")
HALVES = {"even": 0, "odd": 1}  # articles at even / odd positions of the file


class SquadError(QAError, ValueError):
    """A SQuAD file that cannot be read; the message names the file."""


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str
    answer_start: int


class _Qa(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    question: str
    answers: list[_Answer] = []
    is_impossible: bool = False


class _Paragraph(BaseModel):
    model_config = ConfigDict(extra="ignore")
    context: str
    qas: list[_Qa]


class _Article(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str
    paragraphs: list[_Paragraph]


class _File(BaseModel):
    model_config = ConfigDict(extra="ignore")
    data: list[_Article]


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    id: str
    question: str
    source: str  # the article's document
    answers: tuple[str, ...]  # gold answer texts; () if unanswerable
    golds: tuple[tuple[int, int], ...]  # where they are in the document

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class SquadData:
    path: Path
    articles: tuple[str, ...]
    documents: tuple[Document, ...]
    questions: tuple[SquadQuestion, ...]
    sha256: str  # of the documents as indexed: an index of the same text is reused


def _load(path: Path) -> _File:
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return _File.model_validate_json(raw)
    except FileNotFoundError:
        raise SquadError(f"no such file: {path}") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SquadError(f"cannot read {path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SquadError(f"{path} is not SQuAD-format JSON ({where}: {first['msg']})") from None


def _select(articles: list[_Article], wanted: Sequence[str] | None, path: Path) -> list[_Article]:
    if not wanted:
        return articles
    if len(wanted) == 1 and wanted[0] in HALVES:
        return articles[HALVES[wanted[0]]::2]
    titles = {a.title: a for a in articles}
    unknown = [t for t in wanted if t not in titles]
    if unknown:
        raise SquadError(f"{path} has no article {unknown[0]!r} (it has {len(titles)}, e.g. "
                         f"{', '.join(list(titles)[:3])}; or give even / odd)")
    return [titles[t] for t in wanted]


def read_squad(path: Path, articles: Sequence[str] | None = None) -> SquadData:
    """The articles (all, the named ones, or `even` / `odd` by position) as documents, and
    their questions with gold spans located in those documents."""
    path = Path(path)
    chosen = _select(_load(path).data, articles, path)
    documents, questions = [], []
    for article in chosen:
        source = f"squad/{article.title}"
        parts, offset = [], 0
        for paragraph in article.paragraphs:
            context = paragraph.context.strip()
            lead = len(paragraph.context) - len(paragraph.context.lstrip())
            for qa in paragraph.qas:
                spans = [] if qa.is_impossible else [
                    _locate(context, a.text, a.answer_start - lead) for a in qa.answers]
                golds = tuple(sorted({(offset + s, offset + e) for s, e in filter(None, spans)}))
                texts = () if qa.is_impossible else tuple(
                    dict.fromkeys(a.text.strip() for a in qa.answers if a.text.strip()))
                questions.append(SquadQuestion(qa.id, qa.question, source, texts, golds))
            parts.append(context)
            offset += len(context) + 2  # the blank line between paragraphs
        text = "\n\n".join(parts)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        documents.append(Document(source=source, text=text, sha256=digest,
                                  title=article.title.replace("_", " ")))
    sha = hashlib.sha256("".join(d.sha256 for d in documents).encode()).hexdigest()
    return SquadData(path, tuple(a.title for a in chosen), tuple(documents), tuple(questions),
                     sha)


def _locate(context: str, text: str, start: int) -> tuple[int, int] | None:
    """The gold answer's span in its paragraph: at its recorded offset, else its first
    occurrence; None when the paragraph does not hold it (then only its text can match)."""
    text = text.strip()
    if not text:
        return None
    if start < 0 or context[start:start + len(text)] != text:
        start = context.find(text)
    return None if start < 0 else (start, start + len(text))


# --- the official SQuAD scoring ----------------------------------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize(text: str) -> str:
    """Lower case, punctuation and articles removed, whitespace collapsed (SQuAD's own)."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    return float(any(normalize(prediction) == normalize(g) for g in golds))


def f1(prediction: str, golds: Sequence[str]) -> float:
    """Token F1 against the best gold answer."""
    predicted = normalize(prediction).split()
    best = 0.0
    for gold in golds:
        truth = normalize(gold).split()
        common = sum((collections.Counter(predicted) & collections.Counter(truth)).values())
        if common:
            precision, recall = common / len(predicted), common / len(truth)
            best = max(best, 2 * precision * recall / (precision + recall))
        elif not predicted and not truth:
            best = 1.0
    return best


# --- the index and the run ----------------------------------------------------------------

def default_index_dir(data: SquadData) -> Path:
    return INDEX_ROOT / data.sha256[:12]


def open_squad_index(data: SquadData, index_dir: Path, *, settings: Settings | None = None,
                     embedder=None, progress: bool = True) -> Index:
    """The index of `data`'s articles in `index_dir`: reused when its manifest records the
    same text, settings and cleaner (and model, if `embedder` is given), else built."""
    settings = settings or load_settings()
    index = reusable_index(index_dir, "squad", data.sha256, settings, embedder and embedder.name)
    if index is not None:
        return index
    size = sum(len(d.text) for d in data.documents)
    build_index_from_documents(
        data.documents, Path(index_dir), root=data.path.parent, inputs=[data.path.name],
        sources={"squad": {"sha256": data.sha256, "size": size, "mtime_ns": 0}},
        settings=settings, embedder=embedder, progress=progress)
    return load_index(Path(index_dir))


@dataclass(frozen=True)
class SquadReport:
    """Figures of one run (see `evaluate_squad`), by answer type, and the failures."""

    questions: int
    answerable: int
    k: int
    figures: dict[str, float | None]
    by_type: dict[str, dict[str, float]]
    failures: tuple[dict[str, Any], ...]
    articles: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"questions": self.questions, "answerable": self.answerable, "k": self.k,
                "articles": list(self.articles), "figures": self.figures,
                "by_type": self.by_type, "failures": list(self.failures)}


def _relevant(hit: Hit, q: SquadQuestion) -> bool:
    c = hit.chunk
    return c.source == q.source and any(c.start <= s and e <= c.end for s, e in q.golds)


def _sentence_hit(answer: Answer | None, q: SquadQuestion) -> bool:
    if answer is None:
        return False
    if answer.source == q.source and any(answer.sentence_start <= s and e <= answer.sentence_end
                                         for s, e in q.golds):
        return True
    sentence = f" {normalize(answer.sentence)} "
    return any(f" {normalize(g)} " in sentence for g in q.answers if normalize(g))


def _auc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """P(score of a random positive > that of a random negative), ties half."""
    if not positive or not negative:
        return None
    ranked = sorted([(s, 1) for s in positive] + [(s, 0) for s in negative])
    wins, seen_negative, i = 0.0, 0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        pos = sum(label for _, label in ranked[i:j])
        wins += pos * seen_negative + pos * (j - i - pos) / 2
        seen_negative += (j - i) - pos
        i = j
    return wins / (len(positive) * len(negative))


def _row(q: SquadQuestion, result: Result, k: int) -> dict[str, Any]:
    answered = result.answer
    forced = answered or result.rejected
    ranks = [h.rank for h in result.hits if _relevant(h, q)]
    text = "" if answered is None else answered.text
    forced_text = "" if forced is None else forced.text
    return {
        "id": q.id, "question": q.question, "answerable": q.answerable, "wanted": result.wanted,
        "declined": answered is None, "answer": text, "forced": forced_text,
        "score": None if forced is None else forced.score,
        "em": exact_match(text, q.answers) if q.answerable else float(answered is None),
        "f1": f1(text, q.answers) if q.answerable else float(answered is None),
        "forced_em": exact_match(forced_text, q.answers), "forced_f1": f1(forced_text, q.answers),
        "sentence": _sentence_hit(forced, q), "rank": min(ranks) if ranks else None,
        "gold": list(q.answers), "forced_sentence": None if forced is None else forced.sentence,
    }


def _mean(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    return round(sum(float(r[key]) for r in rows) / len(rows), 4) if rows else None


def _figures(rows: Sequence[dict[str, Any]], k: int) -> dict[str, float | None]:
    ans = [r for r in rows if r["answerable"]]
    unans = [r for r in rows if not r["answerable"]]
    declined = [r for r in rows if r["declined"]]
    right_declines = sum(1 for r in unans if r["declined"])
    return {
        "em": _mean(rows, "em"), "f1": _mean(rows, "f1"),
        "answerable_em": _mean(ans, "em"), "answerable_f1": _mean(ans, "f1"),
        "forced_em": _mean(ans, "forced_em"), "forced_f1": _mean(ans, "forced_f1"),
        "sentence": _mean(ans, "sentence"),
        "no_answer_precision": round(right_declines / len(declined), 4) if declined else None,
        "no_answer_recall": round(right_declines / len(unans), 4) if unans else None,
        "score_auc": _auc([r["score"] or 0.0 for r in ans], [r["score"] or 0.0 for r in unans]),
        "hit@1": round(sum(1 for r in ans if r["rank"] == 1) / len(ans), 4) if ans else None,
        f"hit@{k}": round(sum(1 for r in ans if r["rank"]) / len(ans), 4) if ans else None,
        "mrr": round(sum(1 / r["rank"] for r in ans if r["rank"]) / len(ans), 4) if ans else None,
    }


def evaluate_squad(index: Index, data: SquadData, settings: SearchSettings | None = None, *,
                   limit: int | None = None, progress: bool = True,
                   reader: Reader | None = None) -> SquadReport:
    """Ask every question (the first `limit`) of `data` against the whole index, as `qa ask`
    would with `settings` (k passages; default 5) and `reader` (default: the shipped one)."""
    from tqdm.auto import tqdm

    settings = settings or SearchSettings(k=5)
    k = settings.k
    questions = data.questions[:limit] if limit else data.questions
    rows = [_row(q, ask(index, q.question, settings, reader=reader), k)
            for q in tqdm(questions, desc="Asking", unit="question", leave=False,
                          disable=None if progress else True)]
    by_type: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for r in rows:
        if r["answerable"]:
            by_type[r["wanted"]].append(r)
    types = {t: {"questions": len(rs), "forced_em": _mean(rs, "forced_em"),
                 "forced_f1": _mean(rs, "forced_f1"), "sentence": _mean(rs, "sentence")}
             for t, rs in sorted(by_type.items(), key=lambda kv: -len(kv[1]))}
    figures = _figures(rows, k)
    for r in rows:
        if r["score"] is not None:
            r["score"] = round(r["score"], 4)
    failures = tuple(r for r in rows if (r["answerable"] and r["forced_em"] < 1)
                     or (not r["answerable"] and not r["declined"]))
    return SquadReport(len(rows), sum(1 for r in rows if r["answerable"]), k, figures, types,
                       failures, data.articles)
