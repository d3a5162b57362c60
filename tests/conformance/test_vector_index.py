"""Conformance suite for `qa.backends.protocols.VectorIndex`: every implementation must pass it.

To add a backend, add a factory to IMPLEMENTATIONS: it gets unit vectors and a scratch
folder and returns the backend's index of them, written and read back through the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from qa.backends.faiss import FILE, write_vectors
from qa.backends.protocols import VECTOR_BACKENDS, VectorIndex
from tests.qdrant_support import configured


def _registered(name: str) -> Callable[[np.ndarray, Path], VectorIndex]:
    """A backend as a build writes it and a query opens it: through the registry."""
    def make(vectors: np.ndarray, folder: Path) -> VectorIndex:
        backend = VECTOR_BACKENDS[name]
        files, info = backend.write(folder, vectors)
        assert files and set(files) <= set(backend.files)
        assert all((folder / f).is_file() for f in files) and info["backend"] == name
        return backend.load(folder, info)
    return make


def _faiss_ivf_exact(vectors: np.ndarray, folder: Path) -> VectorIndex:
    """IVF with every list probed: approximate machinery, exact answers."""
    info = write_vectors(folder / FILE, vectors, ann_threshold=0, nlist=8)
    return VECTOR_BACKENDS["faiss"].load(folder, info)


IMPLEMENTATIONS: dict[str, Callable[[np.ndarray, Path], VectorIndex]] = {
    "faiss-flat": _registered("faiss"),
    "faiss-ivf": _faiss_ivf_exact,
    "numpy-exact": _registered("numpy-exact"),  # tests/fakes.py: a plugin's backend
    "qdrant-edge": configured("edge", _registered("qdrant")),
    "qdrant-client-local": configured("client-local", _registered("qdrant")),
}
N, DIM = 400, 16


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def built(request, tmp_path):
    vectors = unit(np.random.default_rng(5), N)
    return IMPLEMENTATIONS[request.param](vectors, tmp_path), vectors


def exact(vectors: np.ndarray, query: np.ndarray, k: int, allowed=None) -> list[int]:
    scores = vectors @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    order = np.argsort(-scores, kind="stable")
    return [int(i) for i in order[:k] if np.isfinite(scores[i])]


def test_is_a_vector_index_with_a_registered_backend(built):
    index, vectors = built
    assert isinstance(index, VectorIndex)
    assert index.backend in VECTOR_BACKENDS
    assert len(index) == len(vectors)


def test_search_finds_the_true_top_k_for_each_query_of_a_batch(built):
    index, vectors = built
    queries = unit(np.random.default_rng(6), 7)
    results = index.search(queries, 10)
    assert len(results) == len(queries)
    for query, (ids, scores) in zip(queries, results, strict=True):
        assert ids.tolist() == exact(vectors, query, 10)
        np.testing.assert_allclose(scores, vectors[ids] @ query, atol=1e-5)
        assert np.all(np.diff(scores) <= 1e-6)  # best first


def test_search_stays_inside_the_allowed_set(built):
    index, vectors = built
    query = unit(np.random.default_rng(7), 1)
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::17] = True
    ids, _ = index.search(query, 5, allowed)[0]
    assert ids.tolist() == exact(vectors, query[0], 5, allowed)
    few = np.zeros(len(vectors), dtype=bool)
    few[[3, 9]] = True
    assert sorted(index.search(query, 50, few)[0][0].tolist()) == [3, 9]
    empty = index.search(query, 5, np.zeros(len(vectors), dtype=bool))[0]
    assert empty[0].size == 0 and empty[1].size == 0


def test_k_larger_than_the_index_returns_everything_once(built):
    index, vectors = built
    ids, _ = index.search(unit(np.random.default_rng(8), 1), 10 * N)[0]
    assert sorted(ids.tolist()) == list(range(N))


def test_similarity_is_the_cosine_to_the_given_ids_in_order(built):
    index, vectors = built
    query = unit(np.random.default_rng(9), 1)[0]
    ids = np.array([5, 0, 5, N - 1])
    np.testing.assert_allclose(index.similarity(query, ids), vectors[ids] @ query, atol=1e-5)
    assert index.similarity(query, np.empty(0, dtype=np.int64)).size == 0


def test_vectors_come_back_in_id_order(built):
    index, vectors = built
    np.testing.assert_allclose(index.vectors(), vectors, atol=1e-6)
