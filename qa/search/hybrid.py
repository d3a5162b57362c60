"""Rank chunks for a question: BM25, dense vectors, or both fused.

Each hit keeps the evidence for its place: BM25 score and rank, vector (cosine) score and
rank, and the fused score, so a reader (or the web page's score breakdown) can see why a
passage came first. Hits that overlap a better hit from the same document are dropped:
with overlapping chunks the same sentences would otherwise be shown twice.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field, replace

import numpy as np

from qa.config import FusionDefaults, search_defaults
from qa.ingest.chunking import Chunk
from qa.search.fusion import order_by, rrf, weighted
from qa.store.index import Index
from qa.types import Fusion, Mode


# Measured by `qa tune` (cross-validated) and stored in qa/defaults.json; see README "Fusion".
@functools.cache
def _tuned() -> FusionDefaults:
    """The hybrid defaults (shipped, with qa.toml over them), read on first use: a bad
    qa.toml is then a one-line error where settings are made, not a failed import."""
    return search_defaults()

__all__ = [
    "Hit", "Ranking", "SearchSettings", "cosines", "hits_of", "rank_chunks", "search",
]


@dataclass(frozen=True, slots=True)
class SearchSettings:
    """How to rank. The hybrid defaults are the ones that measured best (README, "Fusion")."""

    mode: Mode = Mode.HYBRID
    k: int = 5
    fusion: Fusion = field(default_factory=lambda: Fusion(_tuned().fusion))
    alpha: float = field(default_factory=lambda: _tuned().alpha)  # weight of the dense side
    rrf_k: int = field(default_factory=lambda: _tuned().rrf_k)
    depth: int = 100  # candidates taken from each side before fusing
    max_k: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode.parse(self.mode))
        object.__setattr__(self, "fusion", Fusion.parse(self.fusion))
        if not 1 <= self.k <= self.max_k:
            raise ValueError(f"k must be between 1 and {self.max_k}, got {self.k}")
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"hybrid weight must be between 0 and 1, got {self.alpha}")
        if self.rrf_k <= 0:
            raise ValueError(f"RRF k must be positive, got {self.rrf_k}")


@dataclass(frozen=True, slots=True)
class Hit:
    chunk: Chunk
    rank: int
    score: float  # the score this mode ranked by (fused score in hybrid mode)
    bm25: float | None
    bm25_rank: int | None
    vector: float | None
    vector_rank: int | None


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every candidate chunk for one question, best first, with the evidence for its place.

    `search` shows the best of them (less chunks overlapping a better one); the answer reader
    (`qa.reader.reader`) reads the sentences of the best ones, so answers come from the passages as
    ranked here: the same fusion, weights and source filter."""

    ids: np.ndarray  # chunk indices, best first
    score: np.ndarray  # what this mode ranks by (the fused score in hybrid mode)
    bm25: np.ndarray
    bm25_rank: np.ndarray  # 1-based rank on the BM25 side, 0 where absent
    vector: np.ndarray | None  # cosine; None when ranked without a query vector
    vector_rank: np.ndarray
    bm25_ids: np.ndarray  # the BM25 side alone, best first (positive scores only)
    vector_ids: np.ndarray  # the vector side alone, best first


def search(
    index: Index,
    question: str,
    settings: SearchSettings | None = None,
    *,
    sources: Collection[str] | None = None,
    query_vector: np.ndarray | None = None,
) -> list[Hit]:
    """The top `settings.k` chunks for `question`, optionally only from `sources`."""
    settings = settings or SearchSettings()
    ranking = rank_chunks(index, question, settings, sources=sources, query_vector=query_vector)
    return hits_of(index, ranking, settings.k)


def rank_chunks(
    index: Index,
    question: str,
    settings: SearchSettings | None = None,
    *,
    sources: Collection[str] | None = None,
    query_vector: np.ndarray | None = None,
) -> Ranking:
    """All candidates for `question` (optionally only from `sources`), best first."""
    settings = settings or SearchSettings()
    mode = settings.mode
    allowed = _allowed(index, sources)
    depth = max(settings.depth, settings.k * 4)

    lexical = index.bm25.scores(index.tokenize(question)).astype(np.float64)
    if allowed is not None:
        lexical = np.where(allowed, lexical, 0.0)
    bm25_ids = _top(lexical, depth)
    bm25_ids = bm25_ids[lexical[bm25_ids] > 0]

    vector_ids = np.empty(0, dtype=np.int64)
    vec_scores = np.empty(0)
    if mode is not Mode.BM25 or query_vector is not None:
        if query_vector is None:
            query_vector = index.embedder.encode([question])[0]
        vector_ids, vec_scores = _dense(index, query_vector, depth, allowed)

    if mode is Mode.BM25:
        candidates = bm25_ids
    elif mode is Mode.VECTOR:
        candidates = vector_ids
    else:
        candidates = np.union1d(bm25_ids, vector_ids)

    bm25_rank = _ranks(candidates, bm25_ids)
    vector_rank = _ranks(candidates, vector_ids)
    cand_lexical = lexical[candidates]
    cand_dense = _dense_scores(index, query_vector, candidates, vector_ids, vec_scores)

    if mode is Mode.BM25:
        fused = cand_lexical
    elif mode is Mode.VECTOR:
        fused = cand_dense
    elif settings.fusion is Fusion.RRF:
        fused = rrf(bm25_rank, vector_rank, k=settings.rrf_k)
    else:
        fused = weighted(cand_lexical, cand_dense, settings.alpha)

    order = order_by(fused, candidates)
    return Ranking(
        ids=candidates[order], score=np.asarray(fused, np.float64)[order],
        bm25=cand_lexical[order], bm25_rank=bm25_rank[order],
        vector=None if cand_dense is None else cand_dense[order],
        vector_rank=vector_rank[order], bm25_ids=bm25_ids, vector_ids=vector_ids,
    )


def hits_of(index: Index, ranking: Ranking, k: int) -> list[Hit]:
    """The `k` best passages of a ranking, best first, none repeating another.

    Chunks share a sentence with their neighbours. A chunk that overlaps a better passage
    is merged into it (the passage grows to cover both, up to MERGED_MAX characters), so
    text of its own (perhaps the answer) is shown without a near-copy taking a place of the
    `k`; one whose text better passages already show is dropped."""
    hits: list[Hit] = []
    for pos, chunk_id in enumerate(ranking.ids.tolist()):
        chunk = index.chunks[chunk_id]
        same = [i for i, h in enumerate(hits) if h.chunk.source == chunk.source]
        ranges = [(hits[i].chunk.start, hits[i].chunk.end) for i in same]
        if _covered(chunk.start, chunk.end, ranges):
            continue
        host = next((i for i in same if _overlap(hits[i].chunk, chunk)), None)
        if host is not None and _span(hits[host].chunk, chunk) <= MERGED_MAX:
            hits[host] = replace(hits[host], chunk=_merged(index, hits[host].chunk, chunk))
            continue
        hits.append(
            Hit(
                chunk=chunk,
                rank=len(hits) + 1,
                score=float(ranking.score[pos]),
                bm25=float(ranking.bm25[pos]),
                bm25_rank=int(ranking.bm25_rank[pos]) or None,
                vector=None if ranking.vector is None else float(ranking.vector[pos]),
                vector_rank=int(ranking.vector_rank[pos]) or None,
            )
        )
        if len(hits) == k:
            break
    return hits


MERGED_MAX = 1500  # characters: two and a half default chunks, still readable at a glance


def _overlap(a: Chunk, b: Chunk) -> bool:
    return a.start < b.end and b.start < a.end


def _span(a: Chunk, b: Chunk) -> int:
    return max(a.end, b.end) - min(a.start, b.start)


def _merged(index: Index, a: Chunk, b: Chunk) -> Chunk:
    start, end = min(a.start, b.start), max(a.end, b.end)
    text = index.documents[a.source].text[start:end]
    return Chunk(id=f"{a.id}+{b.id}", source=a.source, start=start, end=end, text=text)


def _covered(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether the ranges together cover [start, end)."""
    reached = start
    for a, b in sorted(ranges):
        if a > reached:
            break
        reached = max(reached, b)
    return reached >= end


def cosines(index: Index, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Cosine of the query and each of the chunks `ids`."""
    empty = np.empty(0, dtype=np.int64)
    return _dense_scores(index, query, np.asarray(ids, dtype=np.int64), empty, np.empty(0))


def _allowed(index: Index, sources: Collection[str] | None) -> np.ndarray | None:
    if not sources:
        return None
    unknown = set(sources) - set(index.documents)
    if unknown:
        raise ValueError(f"not in the index: {', '.join(sorted(unknown))}")
    return np.fromiter((c.source in sources for c in index.chunks), bool, len(index.chunks))


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the `depth` best scores, best first, ties to the smaller index."""
    depth = min(depth, scores.size)
    if depth == 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, depth - 1)[:depth]
    # Include every index tied with the cut-off so tie-breaking by index stays exact.
    cutoff = scores[part].min()
    part = np.flatnonzero(scores >= cutoff)
    return part[order_by(scores[part], part)][:depth].astype(np.int64)


def _dense(index: Index, query: np.ndarray, depth: int, allowed: np.ndarray | None):
    return index.vectors.search(np.asarray(query)[None, :], depth, allowed)[0]


def _dense_scores(index, query, candidates, vector_ids, vec_scores) -> np.ndarray | None:
    """Cosine for every candidate: from the search where it was found, else recomputed."""
    if query is None:
        return None
    known = dict(zip(vector_ids.tolist(), vec_scores.tolist(), strict=True))
    missing = [int(c) for c in candidates if int(c) not in known]
    if missing:
        found = index.vectors.similarity(query, np.asarray(missing, dtype=np.int64))
        known.update(zip(missing, found.tolist(), strict=True))
    return np.array([known[int(c)] for c in candidates], dtype=np.float64)


def _ranks(candidates: np.ndarray, ranking: np.ndarray) -> np.ndarray:
    """1-based rank of each candidate in `ranking`, 0 where it is absent."""
    position = {int(c): r for r, c in enumerate(ranking.tolist(), start=1)}
    return np.array([position.get(int(c), 0) for c in candidates], dtype=np.int64)
