"""Where the vectors live: FAISS, exact for small corpora and IVF above ANN_THRESHOLD.

Written with `faiss.write_index` and read back with the search settings the manifest records,
so the query side never guesses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from qa.backends.protocols import VECTOR_BACKENDS, VectorBackend

__all__ = ["ANN_THRESHOLD", "FILE", "FaissVectorIndex", "load_faiss", "read_vectors", "write_faiss",
           "write_vectors"]

# Above this many chunks exact search is too slow per query (~20 ms at 200k on 2 cores).
ANN_THRESHOLD = 200_000
FILE = "vectors.faiss"  # in the index folder
IVF_NLIST = 1024
IVF_NPROBE = 128  # lists searched per query: recall@10 ~0.97 at 1M (bench)
IVF_REFINE = 2.0  # candidates re-ranked exactly, as a multiple of k
IVF_TRAIN_PER_LIST = 20  # k-means on 20k points, 10 rounds: as good here as 40k, 25 rounds
IVF_TRAIN_ITERATIONS = 10


def write_vectors(path: Path, vectors: np.ndarray, *, ann_threshold: int | None = None,
                  nlist: int | None = None) -> dict[str, Any]:
    """Exact search up to ANN_THRESHOLD vectors, an inverted file (IVF) above it.

    Chosen with `qa bench` at 1M x 384 on 2 cores: HNSW (M=32) takes over 10 minutes to
    build, IVF under a minute. Reaching recall@10 >= 0.95 takes ~10% of the lists, too many
    exact vectors to scan in 20 ms, so the lists hold 8-bit codes (4x less to read) and the
    best k * IVF_REFINE candidates are re-ranked with the exact vectors ("RFlat"): scores
    stay true cosines, and any vector can be read back (fusion scores, the next build's reuse).
    """
    import faiss

    n, dim = vectors.shape
    ann_threshold = ANN_THRESHOLD if ann_threshold is None else ann_threshold
    nlist = IVF_NLIST if nlist is None else nlist
    if n <= ann_threshold:
        index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        faiss.write_index(index, str(path))
        return {"backend": FaissVectorIndex.backend, "kind": "flat", "dim": dim, "count": n,
                "metric": "inner_product"}
    factory = f"IVF{nlist},SQ8,RFlat"
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    clustering = faiss.extract_index_ivf(index).cp
    clustering.niter = IVF_TRAIN_ITERATIONS
    clustering.min_points_per_centroid = IVF_TRAIN_PER_LIST
    sample = np.random.default_rng(0).choice(n, min(n, IVF_TRAIN_PER_LIST * nlist),
                                             replace=False)
    index.train(vectors[np.sort(sample)])  # seeded sample + faiss' fixed seed: reproducible
    index.add(vectors)
    faiss.write_index(index, str(path))
    return {"backend": FaissVectorIndex.backend, "kind": "ivf", "factory": factory,
            "nlist": nlist, "nprobe": min(IVF_NPROBE, nlist), "k_factor": IVF_REFINE,
            "dim": dim, "count": n, "metric": "inner_product"}


def read_vectors(path: Path, info: dict[str, Any]) -> Any:
    """Open vectors written by `write_vectors`, with the search settings it recorded."""
    import faiss

    vectors = faiss.read_index(str(path))
    if info.get("kind") == "ivf":
        faiss.extract_index_ivf(vectors).nprobe = info["nprobe"]
        vectors.k_factor = info["k_factor"]
    elif info.get("kind") == "hnsw":  # written by earlier versions
        vectors.hnsw.efSearch = info["efSearch"]
    return vectors


class FaissVectorIndex:
    """The VectorIndex over a FAISS index written by `write_vectors` (flat or IVF)."""

    backend = "faiss"

    def __init__(self, index: Any, info: dict[str, Any]) -> None:
        self.index, self.info = index, info

    @classmethod
    def load(cls, path: Path, info: dict[str, Any]) -> FaissVectorIndex:
        return cls(read_vectors(path, info), info)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
               ) -> list[tuple[np.ndarray, np.ndarray]]:
        import faiss

        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.index.d)
        k = min(k, len(self))
        if k <= 0 or (allowed is not None and not allowed.any()):
            return [(np.empty(0, np.int64), np.empty(0)) for _ in queries]
        # One query is searched fastest by one thread, and a second OpenMP thread makes it
        # wait for a busy core (`qa bench`: 20 ms, not 52, at 200k when another process
        # holds a core). The setting is per calling thread, so builds keep theirs.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, ids = self.index.search(queries, k, params=self._params(allowed))
        finally:
            faiss.omp_set_num_threads(threads)
        keep = ids >= 0
        return [(i[m].astype(np.int64), s[m].astype(np.float64))
                for i, s, m in zip(ids, scores, keep, strict=True)]

    def _params(self, allowed: np.ndarray | None):
        import faiss

        if allowed is None:
            return None
        selector = faiss.IDSelectorBatch(np.flatnonzero(allowed))
        if self.info.get("kind") == "ivf":  # refuses generic parameters, which reset nprobe
            return faiss.IndexRefineSearchParameters(
                k_factor=self.info["k_factor"],
                base_index_params=faiss.SearchParametersIVF(sel=selector,
                                                            nprobe=self.info["nprobe"]))
        return faiss.SearchParameters(sel=selector)

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return np.empty(0)
        stored = self.index.reconstruct_batch(ids)
        return (stored @ np.asarray(query, np.float32)).astype(np.float64)

    def vectors(self) -> np.ndarray:
        return self.index.reconstruct_n(0, len(self))


def write_faiss(directory: Path, vectors: np.ndarray) -> tuple[list[str], dict[str, Any]]:
    """The registry's writer: `write_vectors` into the index folder's FILE."""
    return [FILE], write_vectors(Path(directory) / FILE, vectors)


def load_faiss(directory: Path, info: dict[str, Any]) -> FaissVectorIndex:
    return FaissVectorIndex.load(Path(directory) / FILE, info)


VECTOR_BACKENDS[FaissVectorIndex.backend] = VectorBackend(
    write=write_faiss, load=load_faiss, files=(FILE,))
