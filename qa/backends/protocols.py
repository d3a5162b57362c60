"""The seams of the index: what a lexical index and a vector index must do, and the registries
that turn a backend's name into how it is written at build time and read at query time.

A second backend (another vector store, another lexical engine) plugs in by implementing one
of these protocols, passing its conformance suite in tests/conformance/, and registering a
`VectorBackend` or `LexicalBackend` under its name; no caller changes. The build picks the
backend named in the settings (`[index]` in qa.toml) and records the name in the manifest, so
loading never guesses; an unknown name is a one-line error listing the known ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from qa.errors import IndexIncompatible

__all__ = [
    "LEXICAL_BACKENDS", "VECTOR_BACKENDS", "LexicalBackend", "LexicalIndex", "VectorBackend",
    "VectorIndex", "backend", "term_weight",
]


@runtime_checkable
class VectorIndex(Protocol):
    """Unit vectors, one per chunk, searched by inner product (= cosine)."""

    backend: str  # the registry name recorded in the manifest

    def __len__(self) -> int: ...

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
               ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each row of `queries`, (ids, cosines) of its best `k` vectors, best first,
        only among ids where the boolean mask `allowed` is true (all when None)."""
        ...

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Cosine of one query vector with each of the vectors `ids`, in that order."""
        ...

    def vectors(self) -> np.ndarray:
        """Every stored vector, in id order (a rebuild reuses those of unchanged chunks)."""
        ...


@runtime_checkable
class LexicalIndex(Protocol):
    """Term statistics over tokenized chunks, scored for a tokenized query."""

    backend: str

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """One score per chunk (0 where no query token occurs)."""
        ...

    def top_k(self, query_tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of the best `k` chunks with a score above 0, best first, ties to
        the smaller id."""
        ...

    def scores_of(self, query_tokens: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """The scores of the chunks `ids`, in that order: what `scores` gives them, without
        scoring every chunk (hybrid search fuses the candidates the dense side found)."""
        ...

    def rarity(self, token: str) -> float | None:
        """How rare `token` is in the chunks (its idf), None if it never occurs; the reader
        weighs question words by it."""
        ...

    def max_rarity(self) -> float:
        """The largest rarity of any token (1.0 for an empty index)."""
        ...


def term_weight(lexical: LexicalIndex, floor: float = 0.1) -> Callable[[str], float]:
    """How much a question term weighs as evidence: its rarity (idf) in `lexical`, at least
    `floor`, remembered per term. A term the index never saw weighs as much as its rarest
    one: a name the sources lack is the most telling word of the question, and a passage
    without it must not look as good as one with it."""
    rarest = lexical.max_rarity()
    known: dict[str, float] = {}

    def weight(term: str) -> float:
        if term not in known:
            r = lexical.rarity(term)
            known[term] = rarest if r is None else max(r, floor)
        return known[term]

    return weight


@dataclass(frozen=True, slots=True)
class VectorBackend:
    """How one vector store is written into an index folder and opened again.

    `write(folder, vectors)` stores unit vectors (row i is chunk i) and returns the names of
    the files it wrote and the manifest's `vectors` record (which must hold `"backend"`);
    `load(folder, record)` opens them for search."""

    write: Callable[[Path, np.ndarray], tuple[list[str], dict[str, Any]]]
    load: Callable[[Path, dict[str, Any]], VectorIndex]
    files: tuple[str, ...]  # every file name it writes (a build replaces only qa's files)


@dataclass(frozen=True, slots=True)
class LexicalBackend:
    """How one lexical index is built into an index folder and opened again.

    `write(folder, tokenized chunks, params)` returns the names of the files it wrote
    (`params` is qa.config.BM25Params); `load(folder)` opens them for scoring."""

    write: Callable[[Path, Sequence[Sequence[str]], Any], list[str]]
    load: Callable[[Path], LexicalIndex]
    files: tuple[str, ...]


# Filled by the modules that implement them (qa.backends.faiss, qa.backends.bm25), which the
# index module imports; plugins add theirs (QA_PLUGINS).
VECTOR_BACKENDS: dict[str, VectorBackend] = {}
LEXICAL_BACKENDS: dict[str, LexicalBackend] = {}


def backend(registry: dict[str, Any], name: str, what: str):
    """The backend registered as `name`, or a one-line IndexIncompatible listing the known."""
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry)) or "none"
        raise IndexIncompatible(f"this index was built with {what} backend {name!r}, which "
                                f"this qa does not have (known: {known})") from None
