"""Pure functions that fuse a lexical and a dense ranking into one.

Both take candidates as parallel arrays and return fused scores; ranking by those scores
(ties broken by the smaller chunk index, so results never depend on dict or sort order)
is `order_by`. Nothing here touches an index, which keeps fusion easy to test and tune.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable, Sequence

import numpy as np

from qa.config import RRF_K

__all__ = ["adaptive_alpha", "lexical_coverage", "minmax", "order_by", "phrase_share", "rrf",
           "weighted", "window_share", "with_sentences", "with_wording"]


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


def lexical_coverage(best: float, rarities: Sequence[float]) -> float:
    """How much of the question the best lexical match holds, from 0 to 1: its BM25 score
    over the sum of the question's term idfs (`rarities`, one per query term as BM25 counts
    them; a term the corpus lacks counts as the rarest). A term found once in a passage of
    average length scores about its idf, so this is close to the share of the question's
    rare words found together in one passage. Saturation keeps it below 1 only slightly."""
    mass = float(sum(rarities))
    if mass <= 0.0 or best <= 0.0:
        return 0.0
    return min(1.0, float(best) / mass)


def adaptive_alpha(alpha: float, alpha_max: float | None, coverage: float) -> float:
    """The dense side's weight for one question: `alpha` when its words are found in a
    passage (coverage 1), rising linearly to `alpha_max` when none are (coverage 0).

    A question put in other words than the sources' ("the iPhone maker" for a company the
    text names) gets a BM25 ranking of chance word matches, which fixed-weight fusion trusts
    as much as a real match; the vector side still finds the passage. None, or an
    `alpha_max` below `alpha`, is the fixed weight `alpha`."""
    if alpha_max is None or alpha_max <= alpha:
        return alpha
    coverage = min(1.0, max(0.0, coverage))
    return alpha_max - (alpha_max - alpha) * coverage


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


def phrase_share(question: Sequence[str], passage: Sequence[str],
                 rarity: Callable[[str], float]) -> float:
    """How much of the question's wording a passage keeps, from 0 to 1: of the question's
    pairs of adjacent terms (analyzer tokens, in order), the share found adjacent in the
    passage too, each pair weighted by the sum of its terms' `rarity`.

    BM25 and a passage vector see words, not phrases: a question that says "the papal army"
    matches a passage about the army and another about the pope alike. The passage that
    keeps the phrase is the one the question was likely written from. A question of fewer
    than two terms has no pairs and scores 0."""
    pairs = set(itertools.pairwise(question))
    if not pairs:
        return 0.0
    total = sum(rarity(a) + rarity(b) for a, b in pairs)
    if total <= 0.0:
        return 0.0
    kept = pairs & set(itertools.pairwise(passage))
    return sum(rarity(a) + rarity(b) for a, b in kept) / total


def window_share(question: Sequence[str], passage: Sequence[str],
                 rarity: Callable[[str], float], width: int) -> float:
    """How close together a passage has the question's terms, from 0 to 1: the largest
    rarity-weighted share of the question's distinct terms found within `width` consecutive
    passage terms. One pass with a sliding window.

    A passage that answers a question tends to say its words in one place, where another
    passage of the same article has them scattered over several sentences; BM25 scores both
    alike."""
    terms = {t: rarity(t) for t in question}
    total = sum(terms.values())
    if total <= 0.0 or width <= 0:
        return 0.0
    inside: collections.Counter[str] = collections.Counter()
    held = best = 0.0
    for i, term in enumerate(passage):
        if term in terms:
            held += terms[term] if inside[term] == 0 else 0.0
            inside[term] += 1
        if i >= width and (gone := passage[i - width]) in terms:
            inside[gone] -= 1
            held -= terms[gone] if inside[gone] == 0 else 0.0
        best = max(best, held)
    return min(1.0, best / total)


def with_wording(fused: np.ndarray, features: Sequence[np.ndarray],
                 weights: Sequence[float]) -> np.ndarray:
    """(fused + Σ weight · feature) / (1 + Σ weight) over the same candidates: weighted
    fusion's scores, within [0, 1], raised by features within [0, 1] (`phrase_share`,
    `window_share`) and kept within [0, 1]. A candidate whose features were not measured
    has 0."""
    if any(w < 0.0 for w in weights):
        raise ValueError(f"wording weights must not be negative, got {list(weights)}")
    raised = np.array(fused, dtype=np.float64)
    for feature, weight in zip(features, weights, strict=True):
        raised += weight * np.asarray(feature, dtype=np.float64)
    return raised / (1.0 + sum(weights))


def order_by(scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions of `scores` from best to worst; equal scores go to the smaller id first."""
    return np.lexsort((np.asarray(ids), -np.asarray(scores, dtype=np.float64)))
