"""What a reader gives back, and the `Reader` protocol.

A reader turns the ranking of a question's passages into an answer quoted from the corpus,
or a reason there is none. A second reader (a trained span model, another language's rules)
implements `Reader.read` and passes the conformance suite in tests/conformance/test_reader.py;
`qa.answer.ask` takes it as an argument, so nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from qa.reader.pick import Candidate, Pick
from qa.search.base import Ranking
from qa.store.index import Index

__all__ = ["Reader", "Reading"]


@dataclass(frozen=True, slots=True)
class Reading:
    best: Pick | None  # the answer, None when the sources are taken not to give one
    alternatives: tuple[Pick, ...]  # other sources giving a different figure for it
    reason: str | None  # why there is no answer, in words a reader can act on
    wanted: str  # what the question asks for ("amount", "person", ..., "sentence")
    candidates: tuple[Candidate, ...]  # the sentences weighed, best first
    # With no answer: the best pick the reader turned down as not sure enough, if any, so
    # a person can judge it and an evaluation can score the reader forced to answer.
    rejected: Pick | None = None
    # How sure the answer is: "strong" or "weak" match, as the learned reader calibrated it
    # (`qa.reader.learned.ReaderModel.right` says how often each was right); None without one.
    sureness: str | None = None
    # For "who spends more, A or B?": each option's figure, in the question's order; `best`
    # is the one that wins the comparison.
    compared: tuple[Pick, ...] = ()


@runtime_checkable
class Reader(Protocol):
    def read(self, question: str, ranking: Ranking, corpus: Index, *,
             query_vector: np.ndarray | None = None) -> Reading:
        """The answer to `question` from the passages `ranking` ranks in `corpus`: every
        Pick's text is `corpus.documents[source].text[start:end]`. `query_vector` is the
        question's embedding when the caller has it."""
        ...
