"""Qdrant as the index: `QdrantVectorIndex` and `QdrantLexicalIndex` over one collection,
with the same answers as the local numpy BM25 + FAISS index.

BM25 in a sparse-vector engine, exactly: each chunk's sparse vector holds its BM25Okapi term
weights without the idf, tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)), with avgdl
from the whole corpus; a query's sparse vector holds idf * (times the token occurs), with the
idf from corpus-wide document frequencies (rank_bm25's formula and epsilon floor, as
qa.backends.bm25). The engine's dot product is then rank_bm25's score, in float32. The
engine ranks; qa re-scores the hits in float64 (the term count is recovered exactly from
the stored weight and the chunk length), so scores equal the local index's to 1e-6.

The global statistics (vocabulary, idf, average length) are computed by a counting pass
before anything is upserted and stored in the index folder, so a query scores with the
corpus-wide idf whichever shard holds the chunk. Fusion stays in qa.search.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.backends.protocols import (
    LEXICAL_BACKENDS,
    VECTOR_BACKENDS,
    LexicalBackend,
    VectorBackend,
)
from qa.backends.qdrant_engine import (
    GRAPH,
    Engine,
    PointData,
    Target,
    open_engine,
    parse_target,
    point_id,
)
from qa.config import BM25Params

__all__ = ["BACKEND", "HNSW_EF", "LEXICAL_FILES", "TARGET_FILE", "VECTOR_FILES", "Bm25Stats",
           "QdrantLexicalIndex", "QdrantVectorIndex", "configure", "read_target",
           "sparse_of", "write_lexical_files"]

BACKEND = "qdrant"  # the registry name of both indexes
TARGET_FILE = "qdrant_target.json"  # where the collection is (written by `configure`)
_META, _VOCAB, _IDF = "qdrant_bm25.json", "qdrant_vocab.json", "qdrant_idf.npy"
LEXICAL_FILES = (TARGET_FILE, _META, _VOCAB, _IDF)
VECTOR_FILES = (TARGET_FILE,)
# Candidates per HNSW search, a query-time setting. With Qdrant's default graph (m 16),
# `make bench-scale` at 1M gave recall@10 0.939 at ef 512 (300 queries, dense p50 12.7 ms):
# 512 was the widest within the 20 ms budget. On the denser graph (qdrant_engine.GRAPH, m 32)
# ef 64 / 256 / 512 gave 0.858 / 0.948 / 0.976 (p50 5.0 / 8.7 / 19.2 ms); README "Scaling
# out" has the runs.
HNSW_EF = 512
RESCORE_MARGIN = 16  # extra lexical hits fetched so float32 near-ties re-sort exactly


def configure(folder: Path, target: Target, build: str) -> None:
    """Name the collection a build writes into (and its build tag) in the index folder."""
    record = {"target": target.spec, "collection": target.collection,
              "shards": target.shards, "replicas": target.replicas, "build": build}
    (Path(folder) / TARGET_FILE).write_text(json.dumps(record, indent=2), "utf-8")


def read_target(folder: Path) -> tuple[Target, str]:
    try:
        record = json.loads((Path(folder) / TARGET_FILE).read_text("utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{folder} names no Qdrant collection ({TARGET_FILE} is missing): "
                         "set `[index] backend` and build with `qa index`") from None
    target = parse_target(record["target"], collection=record["collection"],
                          shards=record["shards"], replicas=record["replicas"])
    return target, record["build"]


@dataclass(slots=True)
class Bm25Stats:
    """Corpus-wide document frequencies and lengths, from one counting pass.

    Term ids are given in first-occurrence order, as qa.backends.bm25 gives them, so the
    mean idf behind the epsilon floor is summed in the same order."""

    vocab: dict[str, int] = field(default_factory=dict)
    df: list[int] = field(default_factory=list)
    n_docs: int = 0
    total: int = 0

    def add(self, tokens: Sequence[str]) -> None:
        self.n_docs += 1
        self.total += len(tokens)
        for token in dict.fromkeys(tokens):
            t = self.vocab.setdefault(token, len(self.vocab))
            if t == len(self.df):
                self.df.append(0)
            self.df[t] += 1

    def idf(self, params: BM25Params) -> np.ndarray:
        """rank_bm25's idf: log(N - n + 0.5) - log(n + 0.5), negatives set to ε · mean."""
        df = np.asarray(self.df, dtype=np.int64)
        idf = np.log(self.n_docs - df + 0.5) - np.log(df + 0.5)
        average = float(np.add.accumulate(idf)[-1]) / df.size if df.size else 0.0
        idf[idf < 0] = params.epsilon * average
        return idf

    @property
    def avgdl(self) -> float:
        return self.total / self.n_docs if self.n_docs else 0.0


def sparse_of(tokens: Sequence[str], vocab: dict[str, int], avgdl: float,
              params: BM25Params) -> tuple[list[int], list[float]]:
    """A chunk's sparse vector: its terms' BM25Okapi weights, idf left to the query."""
    counts = Counter(tokens)
    norm = params.k1 * (1 - params.b + params.b * len(tokens) / avgdl) if avgdl else 0.0
    indices = [vocab[t] for t in counts]
    values = [tf * (params.k1 + 1) / (tf + norm) for tf in counts.values()]
    return indices, values


def write_lexical_files(folder: Path, stats: Bm25Stats, params: BM25Params) -> list[str]:
    """The corpus-wide statistics a query needs, next to the manifest (not pickled)."""
    folder = Path(folder)
    np.save(folder / _IDF, stats.idf(params), allow_pickle=False)
    (folder / _VOCAB).write_text(json.dumps(stats.vocab, ensure_ascii=False,
                                            separators=(",", ":")), "utf-8")
    meta = {"n_docs": stats.n_docs, "avgdl": stats.avgdl, "params": asdict(params)}
    (folder / _META).write_text(json.dumps(meta, indent=2), "utf-8")
    return list(LEXICAL_FILES)


class QdrantLexicalIndex:
    """BM25Okapi over the collection's sparse vectors (see the module docstring)."""

    backend = BACKEND

    def __init__(self, engine: Engine, vocab: dict[str, int], idf: np.ndarray, n_docs: int,
                 avgdl: float, params: BM25Params) -> None:
        self.engine, self.vocab, self.idf = engine, vocab, idf
        self.n_docs, self.avgdl, self.params = n_docs, avgdl, params

    @classmethod
    def load(cls, folder: Path) -> QdrantLexicalIndex:
        folder = Path(folder)
        target, _ = read_target(folder)
        meta = json.loads((folder / _META).read_text("utf-8"))
        vocab = json.loads((folder / _VOCAB).read_text("utf-8"))
        idf = np.load(folder / _IDF, allow_pickle=False)
        return cls(open_engine(target), vocab, idf, int(meta["n_docs"]), float(meta["avgdl"]),
                   BM25Params(**meta["params"]))

    def _query(self, tokens: Sequence[str]) -> tuple[list[int], list[float], list[int]]:
        """The query's sparse vector, and its known term ids in query order (repeats too)."""
        terms = [self.vocab[t] for t in tokens if t in self.vocab]
        counts = Counter(terms)
        return list(counts), [float(self.idf[t]) * n for t, n in counts.items()], terms

    def _hits(self, tokens: Sequence[str], limit: int,
              only: list[int] | None = None) -> dict[int, float]:
        """Chunk id -> exact float64 score for the engine's best `limit` chunks (among
        `only`, when given)."""
        indices, values, terms = self._query(tokens)
        if not indices or limit <= 0:
            return {}
        k1, b, avgdl = self.params.k1, self.params.b, self.avgdl
        exact = {}
        for hit in self.engine.sparse(indices, values, limit, ["len"], only):
            weights, length = hit.sparse or {}, hit.payload["len"]
            norm = k1 * (1 - b + b * length / avgdl)
            score = 0.0
            for t in terms:  # rank_bm25's expression, term by term in query order
                w = weights.get(t)
                if w is not None:
                    tf = round(w * norm / (k1 + 1 - w))  # exact: stored weights are far apart
                    score += float(self.idf[t]) * (tf * (k1 + 1) / (tf + norm))
            exact[hit.i] = score
        return exact

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        scores = np.zeros(self.n_docs, dtype=np.float64)
        for i, score in self._hits(query_tokens, self.n_docs).items():
            scores[i] = score
        return scores

    def scores_of(self, query_tokens: Sequence[str], ids: np.ndarray) -> np.ndarray:
        wanted = sorted(set(np.asarray(ids, dtype=np.int64).tolist()))
        hits = self._hits(query_tokens, len(wanted), wanted) if wanted else {}
        return np.array([hits.get(int(i), 0.0) for i in ids], dtype=np.float64)

    def top_k(self, query_tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        hits = self._hits(query_tokens, 2 * k + RESCORE_MARGIN if k > 0 else 0)
        ids = np.fromiter((i for i, s in hits.items() if s > 0), np.int64)
        top = np.array([hits[int(i)] for i in ids], dtype=np.float64)
        order = np.lexsort((ids, -top))[:max(k, 0)]
        return ids[order], top[order]

    def rarity(self, token: str) -> float | None:
        t = self.vocab.get(token)
        return None if t is None else float(self.idf[t])

    def max_rarity(self) -> float:
        return float(self.idf.max()) if self.idf.size else 1.0


class QdrantVectorIndex:
    """Unit vectors in the collection's dense vector, searched by dot product (= cosine)."""

    backend = BACKEND

    def __init__(self, engine: Engine, count: int, ef: int | None) -> None:
        self.engine, self.count, self.ef = engine, count, ef

    @classmethod
    def load(cls, folder: Path, info: dict[str, Any]) -> QdrantVectorIndex:
        target, _ = read_target(folder)
        return cls(open_engine(target), int(info["count"]), info.get("hnsw_ef"))

    def __len__(self) -> int:
        return self.count

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
               ) -> list[tuple[np.ndarray, np.ndarray]]:
        queries = np.asarray(queries, dtype=np.float32)
        queries = queries.reshape(-1, queries.shape[-1])
        only = None if allowed is None else np.flatnonzero(allowed).tolist()
        k = min(k, self.count if only is None else len(only))
        out = []
        for query in queries:
            hits = self.engine.dense(query, k, only, self.ef) if k > 0 else []
            out.append((np.array([h.i for h in hits], dtype=np.int64),
                        np.array([h.score for h in hits], dtype=np.float64)))
        return out

    def _stored(self, ids: list[int] | None) -> dict[int, np.ndarray]:
        return {int(p["i"]): v for p, v in self.engine.scroll(ids, True, [])}

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return np.empty(0)
        stored = self._stored(sorted(set(ids.tolist())))
        rows = np.stack([stored[int(i)] for i in ids])
        return (rows @ np.asarray(query, np.float32)).astype(np.float64)

    def vectors(self) -> np.ndarray:
        stored = self._stored(None)
        return np.stack([stored[i] for i in range(self.count)]) if self.count else np.empty(0)


def vector_record(target: Target, build: str, dim: int, count: int) -> dict[str, Any]:
    """The manifest's `vectors` record of a collection."""
    return {"backend": BACKEND, "dim": dim, "count": count, "metric": "inner_product",
            "target": target.spec, "collection": target.collection, "shards": target.shards,
            "replicas": target.replicas, "build": build, "hnsw_ef": HNSW_EF,
            "hnsw": asdict(GRAPH)}


def _registry_build(folder: Path) -> tuple[Target, str, Engine]:
    target, build = read_target(folder)
    return target, build, open_engine(target)


def _ids(build: str, n: int) -> list[str]:
    return [point_id(hashlib.sha256(f"{build}:{i}".encode()).hexdigest()) for i in range(n)]


def write_vectors(folder: Path, vectors: np.ndarray) -> tuple[list[str], dict[str, Any]]:
    """The registry's writer (a plugin-style build of the vectors alone): dense points into
    the collection `configure` named. qa's own builds use qa.store.scale, which writes both
    vectors of a chunk in one upsert."""
    target, build, engine = _registry_build(folder)
    n, dim = vectors.shape
    engine.ensure(dim)
    ids = _ids(build, n)
    for lo in range(0, n, 256):
        engine.upsert([PointData(ids[i], {"i": i, "build": build}, dense=vectors[i])
                       for i in range(lo, min(n, lo + 256))])
    engine.flush()
    return list(VECTOR_FILES), vector_record(target, build, dim, n)


def write_bm25(folder: Path, docs_tokens: Sequence[Sequence[str]],
               params: BM25Params) -> list[str]:
    """The registry's writer for the lexical side alone (see write_vectors)."""
    _, build, engine = _registry_build(folder)
    stats = Bm25Stats()
    for tokens in docs_tokens:
        stats.add(tokens)
    engine.ensure(None)
    ids = _ids(build, len(docs_tokens))
    rows = [PointData(ids[i], {"i": i, "build": build, "len": len(tokens)},
                      sparse=sparse_of(tokens, stats.vocab, stats.avgdl, params))
            for i, tokens in enumerate(docs_tokens)]
    for lo in range(0, len(rows), 256):
        engine.upsert(rows[lo:lo + 256])
    engine.flush()
    return write_lexical_files(folder, stats, params)


VECTOR_BACKENDS[BACKEND] = VectorBackend(write=write_vectors, load=QdrantVectorIndex.load,
                                         files=VECTOR_FILES)
LEXICAL_BACKENDS[BACKEND] = LexicalBackend(write=write_bm25, load=QdrantLexicalIndex.load,
                                           files=LEXICAL_FILES)
