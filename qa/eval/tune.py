"""Choose the hybrid fusion by k-fold cross-validation, and measure chunk sizes.

Every grid setting is run once on every question; cross-validation then only averages
per-question scores: on each fold the setting with the best mean on the other folds (the
training folds) is chosen and scored on the held-out fold alone, so the "after" figure is
never measured on questions that chose it. What `--write` stores is the setting best on all
questions, the one the cross-validated figure estimates.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qa.config import LOCAL_SETTINGS, FusionDefaults, load_settings, write_defaults
from qa.embed import embedding
from qa.eval.beir import BeirData, beir_measures, beir_runs
from qa.eval.evaluate import evaluate, qrels_of, question_runs, retrieval_measures, runs_of
from qa.eval.metrics import Variant, per_query, settings_json, variants_for
from qa.eval.question_sets import Question
from qa.search.base import SearchSettings
from qa.store.build import build_index
from qa.store.index import Index, load_index
from qa.types import Fusion

__all__ = [
    "ChunkRow",
    "Fold",
    "TuneReport",
    "chunk_grid",
    "cross_validate",
    "fusion_grid",
    "make_folds",
    "repeated_folds",
    "question_table",
    "tune_beir",
    "tune_questions",
    "tune_sets",
    "write_choice",
]

RRF_KS = (10, 30, 60, 100)
ALPHAS = tuple(round(i / 10, 1) for i in range(11))
# Weighted fusion whose dense weight rises from the first to the second as fewer of the
# question's words are found (qa.search.fusion.adaptive_alpha).
ADAPTIVE_FROM = (0.4, 0.5, 0.6, 0.7)
ADAPTIVE_TO = (0.8, 0.9, 1.0)
CHUNK_SIZES = (300, 450, 600, 800, 1000)
OVERLAPS = (0, 1)
DEFAULT = "hybrid"

# table[variant][measure][question id] = value
Table = Mapping[str, Mapping[str, Mapping[str, float]]]


def fusion_grid() -> list[Variant]:
    """The default hybrid first (it wins ties), then RRF k and weighted alpha settings."""
    grid = [Variant(DEFAULT, SearchSettings())]
    grid += [Variant(f"hybrid-rrf-{k}", SearchSettings(fusion=Fusion.RRF, rrf_k=k))
             for k in RRF_KS]
    grid += [Variant(f"hybrid-weighted-{a:.1f}",
                     SearchSettings(fusion=Fusion.WEIGHTED, alpha=a, alpha_max=None))
             for a in ALPHAS]
    grid += [Variant(f"hybrid-weighted-{a:.1f}-{top:.1f}",
                     SearchSettings(fusion=Fusion.WEIGHTED, alpha=a, alpha_max=top))
             for a in ADAPTIVE_FROM for top in ADAPTIVE_TO if top > a]
    return grid


@dataclass(frozen=True, slots=True)
class Fold:
    train: tuple[str, ...]
    test: tuple[str, ...]


def make_folds(ids: Sequence[str], n: int, *, seed: int = 0) -> list[Fold]:
    """`n` folds whose test parts are disjoint and together hold every id once."""
    ids = list(dict.fromkeys(ids))
    if not 2 <= n <= len(ids):
        raise ValueError(f"folds must be between 2 and the number of judged questions "
                         f"({len(ids)}), got {n}")
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    folds = []
    for i in range(n):
        test = tuple(shuffled[i::n])
        held = set(test)
        folds.append(Fold(tuple(q for q in shuffled if q not in held), test))
    return folds


def _mean(values: Mapping[str, float], ids: Sequence[str]) -> float:
    return sum(values.get(q, 0.0) for q in ids) / len(ids)


def _best(table: Table, metric: str, ids: Sequence[str]) -> str:
    """Highest mean on `ids`; ties go to the earlier variant (the default comes first)."""
    best, score = None, float("-inf")
    for name, measures in table.items():
        value = _mean(measures[metric], ids)
        if value > score + 1e-12:
            best, score = name, value
    return best


@dataclass(frozen=True)
class TuneReport:
    metric: str
    questions: int
    repeats: int
    folds: tuple[dict[str, Any], ...]  # one row per (repeat, fold)
    before: dict[str, float]  # the default hybrid, all judged questions
    after: dict[str, float]  # each fold's choice scored on its held-out fold, pooled,
    #                          averaged over the repeats
    after_range: tuple[float, float]  # lowest and highest `after[metric]` of one repeat
    chosen: str  # best on all judged questions: what --write stores
    settings: dict[str, dict[str, Any]]
    grid: dict[str, dict[str, float]]
    # With several question sets: `before` and `after` of each set's own questions (held-out
    # figures of the same folds), so a small set is not hidden by a large one.
    by_set: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    @property
    def fold_count(self) -> int:
        """Folds of each repeat (every repeat splits the questions the same number of ways)."""
        return sum(1 for f in self.folds if f["repeat"] == 1)

    def defaults(self) -> FusionDefaults:
        s = self.settings[self.chosen]
        # A fixed weight is alpha_max = alpha (what qa.toml can write: TOML has no null).
        top = s.get("alpha_max")
        return FusionDefaults(fusion=s["fusion"], rrf_k=s["rrf_k"], alpha=s["alpha"],
                              alpha_max=s["alpha"] if top is None else top)

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "questions": self.questions, "repeats": self.repeats,
                "before": self.before, "after": self.after,
                "after_range": list(self.after_range), "chosen": self.chosen,
                "chosen_settings": self.settings[self.chosen], "folds": list(self.folds),
                "grid": self.grid, **({"by_set": self.by_set} if self.by_set else {})}


def cross_validate(table: Table, *, metric: str, fold_sets: Sequence[Sequence[Fold]],
                   settings: Mapping[str, dict[str, Any]], default: str = DEFAULT,
                   sets: Mapping[str, Sequence[str]] | None = None) -> TuneReport:
    """For each repeat and fold: choose on the training part, score on the test part only.
    `sets` (name -> question ids) adds before / after figures of each set's questions."""
    measures = list(next(iter(table.values())))
    if metric not in measures:
        raise ValueError(f"unknown metric {metric!r}; valid: {', '.join(measures)}")
    ids = sorted({q for f in fold_sets[0] for q in f.test})
    rows = []
    afters: list[dict[str, float]] = []
    per_set: dict[str, list[dict[str, float]]] = {}
    for r, folds in enumerate(fold_sets, start=1):
        held: dict[str, dict[str, float]] = {m: {} for m in measures}
        for i, fold in enumerate(folds, start=1):
            if set(fold.train) & set(fold.test):
                raise ValueError(f"fold {i} tests on questions it trains on")
            chosen = _best(table, metric, fold.train)
            for m in measures:
                for q in fold.test:
                    held[m][q] = table[chosen][m].get(q, 0.0)
            rows.append({"repeat": r, "fold": i, "chosen": chosen,
                         "train_questions": len(fold.train), "test_questions": len(fold.test),
                         "train": round(_mean(table[chosen][metric], fold.train), 4),
                         "test": round(_mean(table[chosen][metric], fold.test), 4),
                         "default_test": round(_mean(table[default][metric], fold.test), 4)})
        afters.append({m: _mean(held[m], ids) for m in measures})
        for name, members in (sets or {}).items():
            per_set.setdefault(name, []).append({m: _mean(held[m], members) for m in measures})
    grid = {name: {m: round(_mean(v[m], ids), 4) for m in measures} for name, v in table.items()}
    per_repeat = [a[metric] for a in afters]
    return TuneReport(
        metric=metric, questions=len(ids), repeats=len(fold_sets), folds=tuple(rows),
        before=grid[default],
        after={m: round(sum(a[m] for a in afters) / len(afters), 4) for m in measures},
        after_range=(round(min(per_repeat), 4), round(max(per_repeat), 4)),
        chosen=_best(table, metric, ids), settings=dict(settings), grid=grid,
        by_set={name: {"questions": len(members),
                       "before": {m: round(_mean(table[default][m], members), 4)
                                  for m in measures},
                       "after": {m: round(sum(a[m] for a in runs) / len(runs), 4)
                                 for m in measures}}
                for name, runs in per_set.items() for members in [(sets or {})[name]]},
    )


def _settings(variants: Sequence[Variant]) -> dict[str, dict[str, Any]]:
    return {v.name: settings_json(v.settings) for v in variants}


def repeated_folds(ids: Sequence[str], n: int, repeats: int) -> list[list[Fold]]:
    """`repeats` independent k-fold splits (seeds 0, 1, ...): one split of ~100 questions
    into 5 folds is too noisy to tell neighbouring settings apart."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    return [make_folds(ids, n, seed=seed) for seed in range(repeats)]


def tune_questions(index: Index, questions: Sequence[Question], *, folds: int = 5,
                   repeats: int = 10, metric: str = "nDCG@10",
                   progress: bool = True) -> TuneReport:
    return tune_sets({"questions": (index, questions)}, folds=folds, repeats=repeats,
                     metric=metric, progress=progress)


def question_table(index: Index, questions: Sequence[Question], variants: Sequence[Variant],
                   *, progress: bool = True) -> dict[str, dict[str, dict[str, float]]]:
    """table[variant][measure][question id] over the answerable questions (the only ones
    judged; the others are not searched)."""
    measures = retrieval_measures(10)
    judged = [q for q in questions if q.answerable]
    outcomes = question_runs(index, judged, variants, depth=10, answers=False,
                             progress=progress)
    qrels = qrels_of(outcomes[variants[0].name])
    return {name: per_query(qrels, runs_of(o), measures) for name, o in outcomes.items()}


def tune_sets(sets: Mapping[str, tuple[Index, Sequence[Question]]], *, folds: int = 5,
              repeats: int = 10, metric: str = "nDCG@10",
              progress: bool = True) -> TuneReport:
    """Cross-validate the fusion over question sets pooled (each asked of its own index,
    e.g. the seeds and the fit half of SQuAD): the folds mix every set's questions, each
    question counts once, and the report adds each set's own before / after."""
    _check_metric(metric, retrieval_measures(10))
    variants = fusion_grid()
    table: dict[str, dict[str, dict[str, float]]] = {v.name: {} for v in variants}
    members: dict[str, list[str]] = {}
    for name, (index, questions) in sets.items():
        part = question_table(index, questions, variants, progress=progress)
        members[name] = [q.id for q in questions if q.answerable]
        for variant, measures in part.items():
            for measure, values in measures.items():
                clash = set(values) & set(table[variant].get(measure, {}))
                if clash:
                    raise ValueError(f"question id {sorted(clash)[0]!r} is in two sets")
                table[variant].setdefault(measure, {}).update(values)
    fold_sets = repeated_folds([q for ids in members.values() for q in ids], folds, repeats)
    return cross_validate(table, metric=metric, fold_sets=fold_sets,
                          settings=_settings(variants), sets=members if len(sets) > 1 else None)


def _check_metric(metric: str, measures: Sequence) -> None:
    names = [str(m) for m in measures]
    if metric not in names:
        raise ValueError(f"unknown metric {metric!r}; valid: {', '.join(names)}")


def tune_beir(index: Index, data: BeirData, *, folds: int = 5, repeats: int = 10,
              metric: str = "nDCG@10", progress: bool = True) -> TuneReport:
    _check_metric(metric, beir_measures())
    fold_sets = repeated_folds(list(data.qrels), folds, repeats)
    variants = fusion_grid()
    runs = beir_runs(index, data, variants, progress=progress)
    table = {name: per_query(data.qrels, run, beir_measures()) for name, run in runs.items()}
    return cross_validate(table, metric=metric, fold_sets=fold_sets,
                          settings=_settings(variants))


# -- chunk size ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChunkRow:
    max_chars: int
    overlap: int
    chunks: int
    seconds: float
    modes: dict[str, dict[str, float | None]]


def chunk_grid(paths: Sequence[Path], questions: Sequence[Question],
               workdir: Path | None = None, *, root: Path, sizes: Sequence[int] = CHUNK_SIZES,
               overlaps: Sequence[int] = OVERLAPS, embedder=None,
               variants: Sequence[Variant] | None = None,
               progress: bool = True) -> list[ChunkRow]:
    """Build the sources once per chunker setting (same directory, so the exported encoder
    and unchanged chunk vectors are reused) and evaluate every mode on `questions`. The
    builds go to `workdir`, or to a temporary directory removed afterwards."""
    from tqdm.auto import tqdm

    model = embedder or embedding.SentenceTransformerEmbedder()
    settings = load_settings()
    scratch = (contextlib.nullcontext(workdir) if workdir is not None
               else tempfile.TemporaryDirectory(prefix="qa-chunks-"))
    rows = []
    combos = [(s, o) for s in sizes for o in overlaps]
    with scratch as base:
        index_dir = Path(base) / "index"
        # disable=None: tqdm draws only on a terminal (in a log every redraw is a line).
        for size, overlap in tqdm(combos, desc="Chunk settings",
                                  disable=None if progress else True):
            started = time.perf_counter()
            report = build_index(paths, index_dir, root=root, embedder=model, progress=False,
                                 settings=settings.with_overrides(
                                     {"chunker": {"max_chars": size, "overlap": overlap}}))
            seconds = time.perf_counter() - started
            result = evaluate(load_index(index_dir), questions, variants or variants_for("all"),
                              k=10, answers=False, progress=False)
            rows.append(ChunkRow(size, overlap, report.chunks, round(seconds, 1),
                                 {m: {k: v for k, v in r.items() if "answer" not in k}
                                  for m, r in result.modes.items()}))
    return rows


def chunk_rows_json(rows: Sequence[ChunkRow]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]


# -- storing the choice ----------------------------------------------------------------------


def write_choice(report: TuneReport, index: Index, *, on: str,
                 path: Path | None = None) -> Path:
    """Store the chosen fusion as the hybrid default in qa.toml (or `path`), with what it was
    chosen on and how it scored, so a reader of the file can tell where the numbers come
    from. `index` is the one the questions were asked of: its chunker and model are
    recorded."""
    return write_defaults(report.defaults(), path or LOCAL_SETTINGS, evidence={
        "on": on, "metric": report.metric, "questions": report.questions,
        "folds": report.fold_count, "repeats": report.repeats, "chosen": report.chosen,
        "before": report.before, "after": report.after,
        "all_questions": report.grid[report.chosen],
        "chunker": index.manifest.get("chunker"), "model": index.manifest["model"]["name"],
        "date": time.strftime("%Y-%m-%d"),
    })
