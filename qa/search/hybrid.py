"""Rank chunks for a question: BM25, dense vectors, or both fused.

Each hit keeps the evidence for its place: BM25 score and rank, vector (cosine) score and
rank, and the fused score, so a reader (or the web page's score breakdown) can see why a
passage came first. A chunk that overlaps a better hit from the same document is merged
into it (see `hits_of`), so the same sentences are not shown twice and no text is hidden.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np

from qa.backends.protocols import term_weight
from qa.ingest.chunking import Chunk
from qa.search.base import Hit, Ranking, SearchSettings
from qa.search.fusion import (
    adaptive_alpha,
    lexical_coverage,
    order_by,
    phrase_share,
    rrf,
    weighted,
    window_share,
    with_sentences,
    with_wording,
)
from qa.store.index import Index
from qa.types import Fusion, Mode

__all__ = ["MERGED_MAX", "PHRASE_DEPTH", "WINDOW", "HybridRetriever", "cosines", "hits_of",
           "question_alpha", "rank_chunks", "search"]


@dataclass(frozen=True, slots=True)
class HybridRetriever:
    """The Retriever of one loaded index: BM25, dense vectors, or both fused."""

    index: Index

    def rank(self, question: str, settings: SearchSettings, *,
             sources: Collection[str] | None = None,
             query_vector: np.ndarray | None = None) -> Ranking:
        return rank_chunks(self.index, question, settings, sources=sources,
                           query_vector=query_vector)


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

    tokens = index.tokenize(question)
    lexical = None
    if allowed is None:
        # The lexical index's own top `depth` (an engine holding millions of chunks never
        # sends every score back); the other candidates' scores are asked for below.
        bm25_ids = index.bm25.top_k(tokens, depth)[0]
    else:
        lexical = np.where(allowed, index.bm25.scores(tokens).astype(np.float64), 0.0)
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
    cand_lexical = (index.bm25.scores_of(tokens, candidates).astype(np.float64)
                    if lexical is None else lexical[candidates])
    cand_dense = _dense_scores(index, query_vector, candidates, vector_ids, vec_scores)
    if cand_dense is not None and index.sentences is not None and settings.sentence_weight:
        cand_dense = with_sentences(cand_dense, index.sentences.best(candidates, query_vector),
                                    settings.sentence_weight)

    alpha = None
    if mode is Mode.BM25:
        fused = cand_lexical
    elif mode is Mode.VECTOR:
        fused = cand_dense
    elif settings.fusion is Fusion.RRF:
        fused = rrf(bm25_rank, vector_rank, k=settings.rrf_k)
    else:
        alpha = question_alpha(index, tokens, cand_lexical, settings)
        fused = weighted(cand_lexical, cand_dense, alpha)

    order = order_by(fused, candidates)
    if alpha is not None and (settings.phrase_weight or settings.window_weight):
        fused = _with_wording(index, tokens, fused, candidates, order[:PHRASE_DEPTH],
                              settings)
        order = order_by(fused, candidates)
    return Ranking(
        mode=mode, ids=candidates[order], score=np.asarray(fused, np.float64)[order],
        bm25=cand_lexical[order], bm25_rank=bm25_rank[order],
        vector=None if cand_dense is None else cand_dense[order],
        vector_rank=vector_rank[order], bm25_ids=bm25_ids, vector_ids=vector_ids, alpha=alpha,
    )


def question_alpha(index: Index, tokens: list[str], lexical: np.ndarray,
                   settings: SearchSettings) -> float:
    """The dense weight of weighted fusion for this question (fusion.adaptive_alpha): from
    how much of it the best BM25 candidate holds."""
    if settings.alpha_max is None or settings.alpha_max <= settings.alpha:
        return settings.alpha
    # No floor: BM25 scored the best candidate with these very idfs.
    weight = term_weight(index.bm25, floor=float("-inf"))
    rarities = [weight(t) for t in tokens]
    best = float(lexical.max()) if lexical.size else 0.0
    return adaptive_alpha(settings.alpha, settings.alpha_max, lexical_coverage(best, rarities))


# Candidates, best first, whose wording is compared with the question's: on SQuAD 2.0 dev's
# fit half, the top 8 gained as much Hit@1 as the top 20, for 1.5 ms a question, not 4.
PHRASE_DEPTH = 8
WINDOW = 10  # terms: the width of fusion.window_share (6 and 15 measured within 0.5 points)


def _with_wording(index: Index, tokens: list[str], fused: np.ndarray, candidates: np.ndarray,
                  top: np.ndarray, settings: SearchSettings) -> np.ndarray:
    """`fused` with the best candidates (positions `top`) raised by how much of the
    question's wording they keep (fusion.phrase_share) and how close together they hold its
    words (fusion.window_share). The others are not measured, so they stay below them."""
    rarity = term_weight(index.bm25)
    phrases, windows = np.zeros(len(candidates)), np.zeros(len(candidates))
    for at, i in zip(top.tolist(), candidates[top].tolist(), strict=True):
        passage = index.tokenize(index.chunks[i].text)
        phrases[at] = phrase_share(tokens, passage, rarity)
        windows[at] = window_share(tokens, passage, rarity, WINDOW)
    return with_wording(fused, (phrases, windows),
                        (settings.phrase_weight, settings.window_weight))


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
