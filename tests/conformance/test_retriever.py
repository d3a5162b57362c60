"""Conformance suite for `qa.search.base.Retriever`: every implementation must pass it.

To add a retriever, add a factory to IMPLEMENTATIONS: it gets a loaded index and returns
the retriever over it. The suite runs on a corpus written for it (conftest.py) and on the
seeds, every mode, with and without a source filter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from qa.search.base import Ranking, Retriever, SearchSettings
from qa.search.hybrid import HybridRetriever
from qa.store.index import Index
from qa.types import Mode

IMPLEMENTATIONS: dict[str, Callable[[Index], Retriever]] = {
    "hybrid": HybridRetriever,
}
QUESTIONS = ["How long is the river?", "Who founded the library?",
             "Why is the compiler faster?", "zzz qqq", "the"]


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def make(request) -> Callable[[Index], Retriever]:
    return IMPLEMENTATIONS[request.param]


# The seeds are also ranked from a Qdrant collection (tests/store/test_qdrant.py checks
# that the rankings equal the local index's).
@pytest.fixture(params=["other_index", "fake_index", "fake_qdrant_index"])
def index(request) -> Index:
    return request.getfixturevalue(request.param)


def well_formed(ranking: Ranking, index: Index, mode: Mode) -> None:
    n = len(index.chunks)
    ids = ranking.ids
    assert ranking.mode is mode
    assert len(set(ids.tolist())) == len(ids) and all(0 <= i < n for i in ids.tolist())
    for name in ("score", "bm25", "bm25_rank", "vector_rank"):
        assert len(getattr(ranking, name)) == len(ids), name
    if ranking.vector is not None:
        assert len(ranking.vector) == len(ids)
    scores = np.asarray(ranking.score)
    assert np.all(np.diff(scores) <= 1e-12), "best first"
    ties = np.flatnonzero(np.abs(np.diff(scores)) <= 1e-12)
    assert all(ids[t] < ids[t + 1] for t in ties), "ties go to the smaller chunk id"


@pytest.mark.parametrize("mode", list(Mode))
def test_rankings_are_well_formed_for_any_question(make, index, mode):
    retriever = make(index)
    assert isinstance(retriever, Retriever)
    for question in QUESTIONS:
        well_formed(retriever.rank(question, SearchSettings(mode=mode)), index, mode)


@pytest.mark.parametrize("mode", list(Mode))
def test_a_chunk_asked_in_its_own_words_comes_first(make, index, mode):
    retriever = make(index)
    texts = [c.text for c in index.chunks]
    for i in range(0, len(index.chunks), max(1, len(index.chunks) // 7)):
        if texts.count(texts[i]) > 1:
            continue
        ranking = retriever.rank(texts[i], SearchSettings(mode=mode))
        assert ranking.ids[0] == i, (mode, texts[i][:60])


def test_the_source_filter_keeps_only_those_sources(make, index):
    retriever = make(index)
    source = sorted(index.documents)[0]
    for mode in Mode:
        ranking = retriever.rank("report", SearchSettings(mode=mode), sources=[source])
        well_formed(ranking, index, mode)
        assert {index.chunks[i].source for i in ranking.ids.tolist()} <= {source}
    with pytest.raises(ValueError, match="no-such-file.md"):
        retriever.rank("report", SearchSettings(), sources=["no-such-file.md"])


def test_a_given_query_vector_ranks_as_the_computed_one(make, index):
    retriever = make(index)
    question = QUESTIONS[1]
    vector = index.embedder.encode([question])[0]
    a = retriever.rank(question, SearchSettings())
    b = retriever.rank(question, SearchSettings(), query_vector=vector)
    np.testing.assert_array_equal(a.ids, b.ids)
    np.testing.assert_allclose(a.score, b.score)


def test_rankings_are_deterministic(make, index):
    retriever = make(index)
    for question in QUESTIONS[:3]:
        a, b = (retriever.rank(question, SearchSettings()) for _ in range(2))
        np.testing.assert_array_equal(a.ids, b.ids)
