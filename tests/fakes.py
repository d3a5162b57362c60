"""Test stand-ins, registered with qa the way any plugin is: a model-free embedder and a
second vector backend.

Imported by tests/conftest.py, and by every `qa` process the tests start (conftest puts
`QA_PLUGINS=tests.fakes` in the environment), so indexes built with it load anywhere in the
test run. Product code never names it."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.backends.protocols import VECTOR_BACKENDS, VectorBackend
from qa.embed.embedding import EmbedderKind, register_embedder

__all__ = ["HashEmbedder", "NumpyVectorIndex"]

_WORD = re.compile(r"\w+")
DIMS = (16, 32, 64, 128, 384)  # the sizes tests build with


class HashEmbedder:
    """Deterministic fake for unit tests: hashed bag of lowercase word unigrams and bigrams.

    zlib.crc32, not hash(), so vectors do not depend on the process (PYTHONHASHSEED). A text
    without words maps to a fixed unit vector, so every row has unit length."""

    def __init__(self, dim: int = 64) -> None:
        self.dim: int = dim
        self.name: str = f"hash-{dim}"

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts (``batch_size`` and ``progress`` are accepted for API parity)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for feature in features or [""]:
                out[row, zlib.crc32(feature.encode("utf-8")) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _kind(dim: int) -> EmbedderKind:
    name = f"hash-{dim}"
    return EmbedderKind(build=lambda: HashEmbedder(dim),
                        query=lambda _directory, _info: HashEmbedder(dim),
                        weights_sha256=lambda: __import__("hashlib").sha256(
                            name.encode()).hexdigest())


for _dim in DIMS:
    register_embedder(f"hash-{_dim}", _kind(_dim))


class NumpyVectorIndex:
    """A second VectorIndex, exact search over a .npy file: proves a backend plugs in through
    the registry alone (the conformance suite and a build into it use nothing else)."""

    backend = "numpy-exact"
    FILE = "vectors.npy"

    def __init__(self, folder: Path, info: dict[str, Any]) -> None:
        self._vectors = np.load(Path(folder) / self.FILE, allow_pickle=False)

    def __len__(self) -> int:
        return len(self._vectors)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
               ) -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        for query in np.asarray(queries, dtype=np.float32).reshape(-1, self._vectors.shape[1]):
            scores = (self._vectors @ query).astype(np.float64)
            ids = np.arange(len(scores)) if allowed is None else np.flatnonzero(allowed)
            order = ids[np.lexsort((ids, -scores[ids]))][:k]
            out.append((order.astype(np.int64), scores[order]))
        return out

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        return (self._vectors[ids] @ np.asarray(query, np.float32)).astype(np.float64)

    def vectors(self) -> np.ndarray:
        return np.array(self._vectors)

    @classmethod
    def write(cls, folder: Path, vectors: np.ndarray) -> tuple[list[str], dict[str, Any]]:
        np.save(Path(folder) / cls.FILE, np.asarray(vectors, np.float32), allow_pickle=False)
        return [cls.FILE], {"backend": cls.backend, "dim": int(vectors.shape[1]),
                            "count": len(vectors)}


VECTOR_BACKENDS[NumpyVectorIndex.backend] = VectorBackend(
    write=NumpyVectorIndex.write, load=NumpyVectorIndex, files=(NumpyVectorIndex.FILE,))
