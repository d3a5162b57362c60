"""The seams of the index: what a lexical index and a vector index must do, and the registry
that turns the backend name a manifest records into the class that reads it.

A second backend (another vector store, another lexical engine) plugs in by implementing one
of these protocols, passing its conformance suite in tests/conformance/, and registering its
name here; no caller changes. The name goes into the manifest at build time, so loading never
guesses, and an unknown name is a one-line error listing the known ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from qa.errors import IndexIncompatible

__all__ = ["LEXICAL_BACKENDS", "VECTOR_BACKENDS", "LexicalIndex", "VectorIndex", "backend"]


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

    def save(self, directory: Path) -> list[str]:
        """Write the index into `directory`; return the names of the files written."""
        ...

    def rarity(self, token: str) -> float | None:
        """How rare `token` is in the chunks (its idf), None if it never occurs; the reader
        weighs question words by it."""
        ...

    def max_rarity(self) -> float:
        """The largest rarity of any token (1.0 for an empty index)."""
        ...


# name -> loader(directory, info from the manifest); filled by the modules that implement
# them (qa.backends.faiss, qa.backends.bm25), which the index module imports.
VECTOR_BACKENDS: dict[str, Callable[[Path, dict[str, Any]], VectorIndex]] = {}
LEXICAL_BACKENDS: dict[str, Callable[[Path], LexicalIndex]] = {}


def backend(registry: dict[str, Callable[..., Any]], name: str, what: str):
    """The loader registered as `name`, or a one-line IndexIncompatible listing the known."""
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry)) or "none"
        raise IndexIncompatible(f"this index was built with {what} backend {name!r}, which "
                                f"this qa does not have (known: {known})") from None
