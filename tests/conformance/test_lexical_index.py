"""Conformance suite for `qa.backends.protocols.LexicalIndex`: every implementation must pass it.

Scores must equal rank_bm25's BM25Okapi on the same tokens (qa's published BM25), whatever
the engine. To add a backend, add a factory to IMPLEMENTATIONS: it gets tokenized chunks and
a scratch folder and returns the backend's index, saved and read back through the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import qa.backends.bm25  # noqa: F401  (registers "bm25")
from qa.backends.protocols import LEXICAL_BACKENDS, LexicalIndex, term_weight
from qa.config import BM25Params
from tests.qdrant_support import configured


def _registered(name: str) -> Callable[[Sequence[Sequence[str]], Path], LexicalIndex]:
    """A backend as a build writes it and a query opens it: through the registry."""
    def make(docs: Sequence[Sequence[str]], folder: Path) -> LexicalIndex:
        backend = LEXICAL_BACKENDS[name]
        files = backend.write(folder, docs, BM25Params())
        assert files and set(files) <= set(backend.files)
        assert all((folder / f).is_file() for f in files)
        return backend.load(folder)
    return make


IMPLEMENTATIONS: dict[str, Callable[[Sequence[Sequence[str]], Path], LexicalIndex]] = {
    "bm25": _registered("bm25"),
    "qdrant-edge": configured("edge", _registered("qdrant")),
    "qdrant-client-local": configured("client-local", _registered("qdrant")),
}


def corpus(seed: int = 3, n: int = 300) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[f"w{int(i)}" for i in rng.zipf(1.4, size=int(rng.integers(1, 40)))]
            for _ in range(n)]


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def built(request, tmp_path):
    docs = corpus()
    return IMPLEMENTATIONS[request.param](docs, tmp_path), docs


def queries() -> list[list[str]]:
    rng = np.random.default_rng(4)
    return [[f"w{int(i)}" for i in rng.zipf(1.4, size=3)] for _ in range(25)]


def test_is_a_lexical_index_with_a_registered_backend(built):
    index, _ = built
    assert isinstance(index, LexicalIndex) and index.backend in LEXICAL_BACKENDS


def test_scores_equal_rank_bm25(built):
    index, docs = built
    params = BM25Params()  # what every implementation was written with (fixture)
    okapi = BM25Okapi(docs, k1=params.k1, b=params.b, epsilon=params.epsilon)
    for query in queries():
        np.testing.assert_allclose(index.scores(query), okapi.get_scores(query), atol=1e-6)


def test_top_k_is_the_best_positive_scores_ties_to_the_smaller_id(built):
    index, _ = built
    for query in queries():
        scores = index.scores(query)
        expected = [int(i) for i in np.lexsort((np.arange(scores.size), -scores))
                    if scores[i] > 0][:10]
        ids, top = index.top_k(query, 10)
        assert ids.tolist() == expected
        np.testing.assert_allclose(top, scores[ids])


def test_unknown_and_empty_queries_score_zero(built):
    index, docs = built
    for query in ([], ["never-seen"], ["never-seen", "nor-this"]):
        assert not index.scores(query).any() and index.scores(query).shape == (len(docs),)
        assert index.top_k(query, 5)[0].size == 0


def test_rarity_is_the_idf_and_none_for_unknown_tokens(built):
    index, docs = built
    assert index.rarity("never-seen") is None
    common, rare = "w1", next(t for d in docs for t in d if sum(t in e for e in docs) == 1)
    assert index.rarity(rare) > index.rarity(common)
    assert index.max_rarity() >= index.rarity(rare)


def test_term_weight_is_the_rarity_floored_and_the_rarest_for_unknown_terms(built):
    index, docs = built
    rare = next(t for d in docs for t in d if sum(t in e for e in docs) == 1)
    weight = term_weight(index, floor=0.1)
    assert weight(rare) == index.rarity(rare)
    assert weight("never-seen") == index.max_rarity()
    assert term_weight(index, floor=1e9)(rare) == 1e9
    assert term_weight(index, floor=float("-inf"))("w1") == index.rarity("w1")


def test_load_again_gives_the_same_scores(built, tmp_path):
    index, _ = built
    again = LEXICAL_BACKENDS[index.backend].load(tmp_path)
    for query in queries():
        np.testing.assert_array_equal(again.scores(query), index.scores(query))


def test_scores_of_given_ids_are_their_scores_in_order(built):
    index, docs = built
    ids = np.array([5, 0, 5, len(docs) - 1, 17, 3], dtype=np.int64)
    for query in [*queries(), [], ["never-seen"]]:
        np.testing.assert_array_equal(index.scores_of(query, ids), index.scores(query)[ids])
    assert index.scores_of(queries()[0], np.empty(0, dtype=np.int64)).size == 0
