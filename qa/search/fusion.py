"""Pure functions that fuse a lexical and a dense ranking into one.

Both take candidates as parallel arrays and return fused scores; ranking by those scores
(ties broken by the smaller chunk index, so results never depend on dict or sort order)
is `order_by`. Nothing here touches an index, which keeps fusion easy to test and tune.
"""

from __future__ import annotations

import numpy as np

from qa.config import RRF_K

__all__ = ["minmax", "order_by", "rrf", "weighted", "with_sentences"]



def rrf(*ranks: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings.

    `ranks` are 1-based ranks per candidate, one array per ranking; 0 (or less) means the
    candidate is absent from that ranking and contributes nothing.
    """
    if k <= 0:
        raise ValueError(f"RRF k must be positive, got {k}")
    total = np.zeros(len(ranks[0]) if ranks else 0, dtype=np.float64)
    for r in ranks:
        r = np.asarray(r, dtype=np.float64)
        total += np.where(r > 0, 1.0 / (k + r), 0.0)
    return total


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scale scores to [0, 1]. All-equal scores carry no preference, so they map to 0."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.size == 0:
        return scores
    lo, hi = float(scores.min()), float(scores.max())
    if hi - lo <= 1e-12:
        return np.zeros_like(scores)
    return (scores - lo) / (hi - lo)


def weighted(lexical: np.ndarray, dense: np.ndarray, alpha: float) -> np.ndarray:
    """`alpha` · minmax(dense) + (1 − alpha) · minmax(lexical), over the same candidates."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"hybrid weight alpha must be within [0, 1], got {alpha}")
    return alpha * minmax(dense) + (1.0 - alpha) * minmax(lexical)


def with_sentences(chunk: np.ndarray, sentence: np.ndarray, weight: float) -> np.ndarray:
    """A passage's dense score: (1 − weight) · its own vector's cosine + weight · its best
    sentence's, over the same candidates. A chunk embeds everything it says, so one sentence
    that answers is diluted by the rest; its best sentence is not. NaN (no sentence) counts
    as the chunk's own cosine."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"sentence weight must be within [0, 1], got {weight}")
    chunk = np.asarray(chunk, dtype=np.float64)
    sentence = np.asarray(sentence, dtype=np.float64)
    return (1.0 - weight) * chunk + weight * np.where(np.isnan(sentence), chunk, sentence)


def order_by(scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions of `scores` from best to worst; equal scores go to the smaller id first."""
    return np.lexsort((np.asarray(ids), -np.asarray(scores, dtype=np.float64)))
