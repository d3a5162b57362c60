"""Small types every stage shares."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

__all__ = ["Analyzer", "Choice", "Fusion", "Mode"]


class Choice(StrEnum):
    """A setting with a fixed set of values (a mode, a fusion method): `parse` accepts a
    member or its value and refuses anything else with a message listing the valid ones."""

    @classmethod
    def parse(cls, value: object) -> Self:
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown {cls.__name__.lower()} {value!r}; valid {cls._plural()}: "
                             f"{valid}") from None

    @classmethod
    def _plural(cls) -> str:
        return f"{cls.__name__.lower()}s"


class Mode(Choice):
    """Which retrieval answers: both sides fused, or one alone."""

    HYBRID = "hybrid"
    BM25 = "bm25"
    VECTOR = "vector"


class Fusion(Choice):
    """How the lexical and dense rankings are fused (see qa.search.fusion)."""

    RRF = "rrf"
    WEIGHTED = "weighted"


class Analyzer(Choice):
    """How text becomes BM25 terms (see qa.backends.analyzers): lower-cased words as they
    are, or English words stemmed, with Lucene's stopwords."""

    SIMPLE = "simple"
    ENGLISH = "english"
