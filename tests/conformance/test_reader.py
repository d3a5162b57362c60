"""Conformance suite for `qa.reader.base.Reader`: every implementation must pass it.

To add a reader, add a factory to IMPLEMENTATIONS. Whatever it answers must be a quote: the
text, sentence and offsets of every pick point into the corpus, and a question it does not
answer gets a reason. The suite runs on a corpus written for it (conftest.py), on the seeds
with the stand-in model, and on the seeds with the real model (slow).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from qa.reader.base import Reader, Reading
from qa.reader.reader import ExtractiveReader
from qa.search.base import Ranking, SearchSettings
from qa.search.hybrid import HybridRetriever
from qa.store.index import Index
from qa.types import Mode

IMPLEMENTATIONS: dict[str, Callable[[], Reader]] = {
    "extractive": ExtractiveReader,
}
QUESTIONS = ["How long is the Morava?", "Who founded the Lindqvist Library?",
             "How many books did the library lend in 2023?", "When were the floods?",
             "Why does Tarn 4.2 compile faster?", "What is the capital of Peru?", "?"]


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def reader(request) -> Reader:
    return IMPLEMENTATIONS[request.param]()


@pytest.fixture(params=["other_index", "fake_index",
                        pytest.param("seed_index", marks=pytest.mark.slow)])
def index(request) -> Index:
    return request.getfixturevalue(request.param)


def read(reader: Reader, index: Index, question: str, mode: Mode = Mode.HYBRID) -> Reading:
    ranking = HybridRetriever(index).rank(question, SearchSettings(mode=mode))
    return reader.read(question, ranking, index)


def quoted(pick, index: Index) -> None:
    text = index.documents[pick.source].text
    assert text[pick.start:pick.end] == pick.text
    assert text[pick.sentence_start:pick.sentence_end] == pick.sentence
    assert pick.sentence_start <= pick.start < pick.end <= pick.sentence_end


@pytest.mark.parametrize("mode", list(Mode))
def test_every_answer_is_a_quote_and_every_refusal_has_a_reason(reader, index, mode):
    assert isinstance(reader, Reader)
    for question in QUESTIONS:
        reading = read(reader, index, question, mode)
        assert isinstance(reading, Reading) and isinstance(reading.wanted, str)
        if reading.best is None:
            assert reading.reason and isinstance(reading.reason, str)
            assert not reading.alternatives
            if reading.rejected is not None:  # what it turned down is a quote too
                quoted(reading.rejected, index)
        else:
            assert reading.reason is None and reading.rejected is None
            for pick in (reading.best, *reading.alternatives):
                quoted(pick, index)
        scores = [c.score for c in reading.candidates]
        assert scores == sorted(scores, reverse=True)


def test_the_answer_comes_from_the_ranked_passages(reader, index):
    for question in QUESTIONS:
        ranking = HybridRetriever(index).rank(question, SearchSettings())
        best = reader.read(question, ranking, index).best
        if best is not None:
            ranked = [index.chunks[i] for i in ranking.ids.tolist()]
            assert any(c.source == best.source and c.start <= best.start and best.end <= c.end
                       for c in ranked)


def test_nothing_ranked_is_no_answer_with_a_reason(reader, index):
    empty = np.empty(0, dtype=np.int64)
    nothing = Ranking(mode=Mode.HYBRID, ids=empty, score=np.empty(0), bm25=np.empty(0),
                      bm25_rank=empty, vector=np.empty(0), vector_rank=empty,
                      bm25_ids=empty, vector_ids=empty)
    reading = reader.read("How long is the river?", nothing, index)
    assert reading.best is None and reading.reason


def test_a_given_query_vector_reads_as_the_computed_one(reader, index):
    question = QUESTIONS[2]
    ranking = HybridRetriever(index).rank(question, SearchSettings())
    a = reader.read(question, ranking, index)
    b = reader.read(question, ranking, index,
                    query_vector=index.embedder.encode([question])[0])
    assert a == b
