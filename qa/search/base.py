"""What every retriever takes and gives: the settings of a search, the ranking of every
candidate chunk, the hits shown, and the `Retriever` protocol.

A second retriever (a reranker, a remote engine) implements `Retriever.rank` and passes the
conformance suite in tests/conformance/test_retriever.py; `qa.answer.ask` takes it as an
argument, so nothing else changes.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from qa.config import FusionDefaults, search_defaults
from qa.ingest.chunking import Chunk
from qa.types import Fusion, Mode

__all__ = ["PHRASE_WEIGHT", "SENTENCE_WEIGHT", "WINDOW_WEIGHT", "Hit", "Ranking", "Retriever",
           "SearchSettings"]


# Chosen on SQuAD 2.0 dev's fit half (18 articles, 3,046 answerable questions), hybrid with
# alpha 0.6: Hit@1 of passages 0.835 with the chunk vector alone, 0.848 at 0.35, 0.850 at 0.5,
# 0.849 at 0.7 and at 1.0 (the best sentence alone).
SENTENCE_WEIGHT = 0.5

# The weight of a passage's share of the question's wording (fusion.phrase_share) added to
# its weighted-fusion score, top 8 only. SQuAD 2.0 dev's fit half, 3,046 answerable
# questions, passage Hit@1 by weight, two folds by article: 0.872 / 0.868 at 0; 0.881 /
# 0.880 at 0.15; 0.881 / 0.882 at 0.2; 0.881 / 0.884 at 0.25; 0.879 / 0.884 at 0.3. Chosen
# on one fold, scored on the other: 0.880 and 0.879. Hit@5 0.977 -> 0.976.
PHRASE_WEIGHT = 0.2
# The weight of how close together a passage holds the question's terms (fusion.
# window_share, 10 terms wide), added with the phrase share, same questions and folds: Hit@1
# 0.881 / 0.882 at 0; 0.885 / 0.885 at 0.1; 0.888 / 0.883 at 0.3; 0.898 / 0.888 at 0.6;
# 0.900 / 0.886 at 0.8; 0.895 / 0.888 at 1.0; 0.887 / 0.873 at 3.0. Hit@5 0.976 -> 0.980.
WINDOW_WEIGHT = 0.6


# Measured by `qa tune` (cross-validated), shipped in qa/defaults.json; see README "Fusion".
@functools.cache
def _tuned() -> FusionDefaults:
    """The hybrid defaults (shipped, with qa.toml over them), read on first use: a bad
    qa.toml is then a one-line error where settings are made, not a failed import."""
    return search_defaults()


@dataclass(frozen=True, slots=True)
class SearchSettings:
    """How to rank. The hybrid defaults are the ones that measured best (README, "Fusion")."""

    mode: Mode = Mode.HYBRID
    k: int = 5
    fusion: Fusion = field(default_factory=lambda: Fusion(_tuned().fusion))
    alpha: float = field(default_factory=lambda: _tuned().alpha)  # weight of the dense side
    # The dense weight for a question none of whose words a passage holds (fusion.
    # adaptive_alpha); None keeps `alpha` for every question.
    alpha_max: float | None = field(default_factory=lambda: _tuned().alpha_max)
    rrf_k: int = field(default_factory=lambda: _tuned().rrf_k)
    depth: int = 100  # candidates taken from each side before fusing
    max_k: int = 100
    # Weight of a passage's best sentence in its dense score (fusion.with_sentences), for
    # indexes that store sentence vectors: chosen on SQuAD 2.0 dev's fit half (README).
    sentence_weight: float = SENTENCE_WEIGHT
    # Weight of the question's wording kept by a passage (fusion.phrase_share), added to the
    # fused score of the best few in weighted fusion; 0 turns it off.
    phrase_weight: float = PHRASE_WEIGHT
    # Weight of how close together a passage holds the question's terms (fusion.
    # window_share), added likewise; 0 turns it off.
    window_weight: float = WINDOW_WEIGHT

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode.parse(self.mode))
        object.__setattr__(self, "fusion", Fusion.parse(self.fusion))
        if not 1 <= self.k <= self.max_k:
            raise ValueError(f"k must be between 1 and {self.max_k}, got {self.k}")
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"hybrid weight must be between 0 and 1, got {self.alpha}")
        if self.alpha_max is not None and not 0.0 <= self.alpha_max <= 1.0:
            raise ValueError(f"alpha_max must be between 0 and 1, got {self.alpha_max}")
        if not 0.0 <= self.sentence_weight <= 1.0:
            raise ValueError(f"sentence weight must be between 0 and 1, got "
                             f"{self.sentence_weight}")
        if self.phrase_weight < 0.0 or self.window_weight < 0.0:
            raise ValueError(f"phrase and window weights must not be negative, got "
                             f"{self.phrase_weight} and {self.window_weight}")
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

    mode: Mode  # what ranked them
    ids: np.ndarray  # chunk indices, best first
    score: np.ndarray  # what this mode ranks by (the fused score in hybrid mode)
    bm25: np.ndarray
    bm25_rank: np.ndarray  # 1-based rank on the BM25 side, 0 where absent
    vector: np.ndarray | None  # cosine; None when ranked without a query vector
    vector_rank: np.ndarray
    bm25_ids: np.ndarray  # the BM25 side alone, best first (positive scores only)
    vector_ids: np.ndarray  # the vector side alone, best first
    alpha: float | None = None  # the dense weight this question was fused with (weighted)


@runtime_checkable
class Retriever(Protocol):
    """Ranks the chunks of one index for a question."""

    def rank(self, question: str, settings: SearchSettings, *,
             sources: Collection[str] | None = None,
             query_vector: np.ndarray | None = None) -> Ranking:
        """Every candidate chunk, best first, only from `sources` when given (an unknown
        source is a ValueError naming it). `query_vector` is the question's embedding when
        the caller already has it."""
        ...
