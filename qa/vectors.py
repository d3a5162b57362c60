"""Where the vectors live: FAISS, exact for small corpora and IVF above ANN_THRESHOLD.

Written with `faiss.write_index` and read back with the search settings the manifest records,
so the query side never guesses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ANN_THRESHOLD", "read_vectors", "write_vectors"]

# Above this many chunks exact search is too slow per query (~20 ms at 200k on 2 cores).
ANN_THRESHOLD = 200_000
IVF_NLIST = 1024
IVF_NPROBE = 128  # lists searched per query: recall@10 ~0.97 at 1M (bench)
IVF_REFINE = 2.0  # candidates re-ranked exactly, as a multiple of k
IVF_TRAIN_PER_LIST = 20  # k-means on 20k points, 10 rounds: as good here as 40k, 25 rounds
IVF_TRAIN_ITERATIONS = 10


def write_vectors(path: Path, vectors: np.ndarray) -> dict[str, Any]:
    """Exact search up to ANN_THRESHOLD vectors, an inverted file (IVF) above it.

    Chosen with `qa bench` at 1M x 384 on 2 cores: HNSW (M=32) takes over 10 minutes to
    build, IVF under a minute. Reaching recall@10 >= 0.95 takes ~10% of the lists, too many
    exact vectors to scan in 20 ms, so the lists hold 8-bit codes (4x less to read) and the
    best k * IVF_REFINE candidates are re-ranked with the exact vectors ("RFlat"): scores
    stay true cosines, and any vector can be read back (fusion scores, the next build's reuse).
    """
    import faiss

    n, dim = vectors.shape
    if n <= ANN_THRESHOLD:
        index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        faiss.write_index(index, str(path))
        return {"kind": "flat", "dim": dim, "count": n, "metric": "inner_product"}
    factory = f"IVF{IVF_NLIST},SQ8,RFlat"
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    clustering = faiss.extract_index_ivf(index).cp
    clustering.niter = IVF_TRAIN_ITERATIONS
    clustering.min_points_per_centroid = IVF_TRAIN_PER_LIST
    sample = np.random.default_rng(0).choice(n, min(n, IVF_TRAIN_PER_LIST * IVF_NLIST),
                                             replace=False)
    index.train(vectors[np.sort(sample)])  # seeded sample + faiss' fixed seed: reproducible
    index.add(vectors)
    faiss.write_index(index, str(path))
    return {"kind": "ivf", "factory": factory, "nlist": IVF_NLIST, "nprobe": IVF_NPROBE,
            "k_factor": IVF_REFINE, "dim": dim, "count": n, "metric": "inner_product"}


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
