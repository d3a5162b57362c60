"""Two ways to reach one Qdrant collection behind one small API: Qdrant Edge in-process
(`qdrant-edge-py`, Qdrant's own engine and data format) and `qdrant-client` (a server or a
cluster, or the client's local mode, which emulates the server's API in Python).

A collection holds one point per chunk: a named dense vector, a sparse vector of the
chunk's BM25Okapi term weights, and the chunk as payload. Points are found by the payload
field `i`, the chunk's position in the index, so qa's integer ids survive any engine.
Everything here speaks plain Python and numpy; what the points mean is qa.backends.qdrant's.
"""

from __future__ import annotations

import atexit
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

__all__ = ["DENSE", "GRAPH", "SPARSE", "Engine", "Graph", "Hit", "PointData", "Target",
           "open_engine", "parse_target", "point_id"]

DENSE, SPARSE = "dense", "bm25"  # the collection's vector names
API_KEY_ENV = "QDRANT_API_KEY"  # a server's key comes from here, never from a file
_FORMS = "qdrant-edge:PATH, qdrant:http(s)://HOST[:PORT], qdrant:local:PATH"
MEMORY = ":memory:"  # qdrant:local::memory: keeps the collection in this process only
SCROLL_PAGE = 1024


@dataclass(frozen=True, slots=True)
class Graph:
    """The HNSW graph a collection's dense vectors are searched through. It is fixed when
    the collection is created: a different graph needs a new collection."""

    m: int  # links per node
    ef_construct: int  # candidates kept while linking a node


# Qdrant's default is m 16. At 200k synthetic chunks (qa.perf.data, 200 queries) m 32 raised
# recall@10 at hnsw_ef 128 / 256 / 512 from 0.941 / 0.976 / 0.988 to 0.968 / 0.989 / 0.993,
# for an HNSW build 8% longer (356 s against 329 s); at 1M, m 16 fell short of 0.95 (README,
# "Scaling out").
GRAPH = Graph(m=32, ef_construct=100)
FULL_SCAN_KB = 10_000  # Qdrant's default: a filter leaving less than this is scanned exactly


@dataclass(frozen=True, slots=True)
class Target:
    """Where a collection lives: `kind` is "edge" (in-process), "server" (a URL) or
    "client-local" (qdrant-client's local mode in a folder: the server's API, for tests)."""

    kind: str
    where: str
    collection: str = "qa"
    shards: int = 1
    replicas: int = 1

    @property
    def spec(self) -> str:
        """The setting that names it (what the manifest records; never a key)."""
        return {"edge": f"qdrant-edge:{self.where}", "server": f"qdrant:{self.where}",
                "client-local": f"qdrant:local:{self.where}"}[self.kind]


def parse_target(spec: str, *, collection: str = "qa", shards: int = 1,
                 replicas: int = 1) -> Target:
    """A `[index] backend` value as a Target; anything else is a one-line ValueError."""
    kind, _, rest = spec.partition(":")
    if kind == "qdrant-edge" and rest:
        return Target("edge", str(Path(rest).expanduser().resolve()), collection, 1, 1)
    if kind == "qdrant" and rest.startswith(("http://", "https://")):
        return Target("server", rest, collection, shards, replicas)
    if kind == "qdrant" and rest == f"local:{MEMORY}":
        return Target("client-local", MEMORY, collection)
    if kind == "qdrant" and rest.startswith("local:") and rest[6:]:
        return Target("client-local", str(Path(rest[6:]).expanduser().resolve()), collection)
    raise ValueError(f"unknown index backend {spec!r}; valid: local, {_FORMS}")


def point_id(key: str) -> str:
    """A point's id from its chunk's hash: the same chunk always lands on the same point,
    so upserting it again (a resumed ingest) changes nothing."""
    return str(uuid.UUID(hex=key[:32]))


@dataclass(frozen=True, slots=True)
class PointData:
    id: str
    payload: dict[str, Any]
    dense: np.ndarray | None = None
    sparse: tuple[list[int], list[float]] | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    i: int  # the chunk's position (payload "i")
    score: float
    payload: dict[str, Any] = field(default_factory=dict)
    sparse: dict[int, float] | None = None  # term id -> stored weight, when asked for


class Engine(Protocol):
    def ensure(self, dim: int | None) -> None: ...
    def upsert(self, points: Sequence[PointData]) -> None: ...
    def dense(self, query: np.ndarray, k: int, allowed: list[int] | None,
              ef: int | None) -> list[Hit]: ...
    def sparse(self, indices: list[int], values: list[float], k: int,
               payload: list[str], allowed: list[int] | None = None) -> list[Hit]: ...
    def scroll(self, ids: list[int] | None, vector: bool,
               payload: list[str]) -> Iterator[tuple[dict[str, Any], np.ndarray | None]]: ...
    def present(self, ids: list[str], build: str) -> set[str]: ...
    def delete_other_builds(self, build: str) -> None: ...
    def count(self) -> int: ...
    def flush(self) -> None: ...
    def optimize(self) -> None: ...


_OPEN: dict[Target, Engine] = {}  # one handle per collection per process: both hold locks
_LOCK = threading.Lock()


def open_engine(target: Target) -> Engine:
    """The (cached) engine of a target; the client or edge package is imported only here."""
    with _LOCK:
        engine = _OPEN.get(target)
        if engine is None:
            engine = _Edge(target) if target.kind == "edge" else _Client(target)
            _OPEN[target] = engine
        return engine


def close_engines() -> None:
    """Release every open collection (tests reopen a shard path after a simulated crash)."""
    with _LOCK:
        for engine in _OPEN.values():
            engine.close()  # type: ignore[attr-defined]
        _OPEN.clear()


# Closed before the interpreter tears modules down: the client's own finalizer then fails
# noisily, and an Edge shard is flushed on close.
atexit.register(close_engines)


def _i_filter(module: Any, allowed: list[int] | None, build: str | None = None) -> Any:
    conditions = []
    if allowed is not None:
        conditions.append(module.FieldCondition(key="i", match=module.MatchAny(any=allowed)))
    if build is not None:
        conditions.append(module.FieldCondition(key="build", match=module.MatchValue(value=build)))
    return module.Filter(must=conditions) if conditions else None


def _named(point: PointData, sparse: Any) -> dict[str, Any]:
    """A point's named vectors, the sparse one made by the engine's own `sparse(i, v)`."""
    vector: dict[str, Any] = {}
    if point.dense is not None:
        vector[DENSE] = point.dense.tolist()
    if point.sparse is not None:
        vector[SPARSE] = sparse(*point.sparse)
    return vector


class _Edge:
    """Qdrant Edge: the engine in this process, one shard in a folder."""

    def __init__(self, target: Target) -> None:
        import qdrant_edge

        self.q, self.path = qdrant_edge, Path(target.where)
        self.shard: Any = None
        if self.path.is_dir() and any(self.path.iterdir()):
            try:
                self.shard = qdrant_edge.EdgeShard.load(str(self.path))
            except Exception as exc:  # noqa: BLE001  (the engine raises plain errors)
                raise ValueError(f"{self.path} is not a Qdrant Edge shard ({exc}); name an "
                                 "empty or new folder") from None

    def ensure(self, dim: int | None) -> None:
        if self.shard is not None:
            return
        q = self.q
        graph = q.HnswIndexConfig(m=GRAPH.m, ef_construct=GRAPH.ef_construct,
                                  full_scan_threshold=FULL_SCAN_KB)
        vectors = {} if dim is None else {DENSE: q.EdgeVectorParams(
            size=dim, distance=q.Distance.Dot, hnsw_config=graph)}
        config = q.EdgeConfig(vectors=vectors or None,
                              sparse_vectors={SPARSE: q.EdgeSparseVectorParams()})
        self.shard = q.EdgeShard.create(str(self.path), config)
        for name in ("i", "build"):
            kind = q.PayloadSchemaType.Integer if name == "i" else q.PayloadSchemaType.Keyword
            self.shard.update(q.UpdateOperation.create_field_index(name, kind))

    def _open(self) -> Any:
        if self.shard is None:
            raise ValueError(f"no Qdrant Edge shard in {self.path}: build the index with "
                             "`qa index`")
        return self.shard

    def upsert(self, points: Sequence[PointData]) -> None:
        q = self.q
        rows = [q.Point(p.id, _named(p, q.SparseVector), p.payload) for p in points]
        self._open().update(q.UpdateOperation.upsert_points(rows))

    def dense(self, query, k, allowed, ef):
        q = self.q
        request = q.QueryRequest(
            limit=k, query=q.Query.Nearest(np.asarray(query, np.float32).tolist(), using=DENSE),
            filter=_i_filter(q, allowed), with_payload=["i"],
            params=None if ef is None else q.SearchParams(hnsw_ef=ef))
        return [Hit(int(p.payload["i"]), float(p.score)) for p in self._open().query(request)]

    def sparse(self, indices, values, k, payload, allowed=None):
        q = self.q
        request = q.QueryRequest(
            limit=k, query=q.Query.Nearest(q.SparseVector(indices, values), using=SPARSE),
            filter=_i_filter(q, allowed), with_payload=["i", *payload], with_vector=[SPARSE])
        return [Hit(int(p.payload["i"]), float(p.score), p.payload,
                    dict(zip(p.vector[SPARSE].indices, p.vector[SPARSE].values, strict=True)))
                for p in self._open().query(request)]

    def scroll(self, ids, vector, payload):
        q, offset = self.q, None
        while True:
            records, offset = self._open().scroll(q.ScrollRequest(
                offset=offset, limit=SCROLL_PAGE, filter=_i_filter(q, ids),
                with_payload=["i", *payload], with_vector=[DENSE] if vector else False))
            for r in records:
                yield r.payload, (np.asarray(r.vector[DENSE], np.float32) if vector else None)
            if offset is None:
                return

    def present(self, ids, build):
        found = self._open().retrieve(ids, with_payload=["build"], with_vector=False)
        return {str(r.id) for r in found if (r.payload or {}).get("build") == build}

    def delete_other_builds(self, build):
        q = self.q
        keep = q.Filter(must_not=[q.FieldCondition("build", match=q.MatchValue(build))])
        self._open().update(q.UpdateOperation.delete_points_by_filter(keep))

    def count(self):
        return 0 if self.shard is None else int(self.shard.count(self.q.CountRequest()))

    def flush(self):
        if self.shard is not None:
            self.shard.flush()

    def optimize(self):
        """Merge segments and build the HNSW graph now (in-process there is no background
        optimizer): what a server does by itself after an ingest."""
        if self.shard is not None:
            self.shard.optimize()

    def close(self):
        if self.shard is not None:
            self.shard.close()
            self.shard = None


class _Client:
    """qdrant-client: a server or cluster by URL (API key from QDRANT_API_KEY), or the
    client's local mode in a folder or in memory (same API, pure Python: for tests, not
    for speed; a folder costs ~10 ms an upserted point, memory nothing)."""

    def __init__(self, target: Target) -> None:
        from qdrant_client import QdrantClient, models

        self.m, self.target, self.name = models, target, target.collection
        if target.kind == "server":
            self.client = QdrantClient(url=target.where, api_key=os.environ.get(API_KEY_ENV))
        elif target.where == MEMORY:
            self.client = QdrantClient(location=MEMORY)
        else:
            self.client = QdrantClient(path=target.where)
        self.exists = self.client.collection_exists(self.name)

    def ensure(self, dim: int | None) -> None:
        if self.exists:
            return
        m = self.m
        graph = m.HnswConfigDiff(m=GRAPH.m, ef_construct=GRAPH.ef_construct,
                                 full_scan_threshold=FULL_SCAN_KB)
        vectors = {} if dim is None else {DENSE: m.VectorParams(
            size=dim, distance=m.Distance.DOT, hnsw_config=graph)}
        self.client.create_collection(
            self.name, vectors_config=vectors,
            sparse_vectors_config={SPARSE: m.SparseVectorParams()},
            shard_number=self.target.shards, replication_factor=self.target.replicas)
        if self.target.kind == "server":  # local mode has no payload indexes (it warns)
            self.client.create_payload_index(self.name, "i", m.PayloadSchemaType.INTEGER)
            self.client.create_payload_index(self.name, "build", m.PayloadSchemaType.KEYWORD)
        self.exists = True

    def _check(self) -> None:
        if not self.exists:
            raise ValueError(f"no collection {self.name!r} at {self.target.spec}: build the "
                             "index with `qa index`")

    def upsert(self, points):
        self._check()
        m = self.m
        rows = [m.PointStruct(id=p.id, vector=_named(p, lambda i, v: m.SparseVector(
            indices=i, values=v)), payload=p.payload) for p in points]
        self.client.upsert(self.name, rows, wait=True)

    def dense(self, query, k, allowed, ef):
        self._check()
        m = self.m
        found = self.client.query_points(
            self.name, query=np.asarray(query, np.float32).tolist(), using=DENSE, limit=k,
            query_filter=_i_filter(m, allowed), with_payload=["i"],
            search_params=None if ef is None or self.target.kind != "server"
            else m.SearchParams(hnsw_ef=ef)).points  # local mode is exact (and warns)
        return [Hit(int(p.payload["i"]), float(p.score)) for p in found]

    def sparse(self, indices, values, k, payload, allowed=None):
        self._check()
        m = self.m
        found = self.client.query_points(
            self.name, query=m.SparseVector(indices=indices, values=values), using=SPARSE,
            limit=k, query_filter=_i_filter(m, allowed), with_payload=["i", *payload],
            with_vectors=[SPARSE]).points
        return [Hit(int(p.payload["i"]), float(p.score), p.payload,
                    dict(zip(p.vector[SPARSE].indices, p.vector[SPARSE].values, strict=True)))
                for p in found]

    def scroll(self, ids, vector, payload):
        self._check()
        offset = None
        while True:
            records, offset = self.client.scroll(
                self.name, scroll_filter=_i_filter(self.m, ids), limit=SCROLL_PAGE,
                offset=offset, with_payload=["i", *payload],
                with_vectors=[DENSE] if vector else False)
            for r in records:
                yield r.payload, (np.asarray(r.vector[DENSE], np.float32) if vector else None)
            if offset is None:
                return

    def present(self, ids, build):
        self._check()
        found = self.client.retrieve(self.name, ids, with_payload=["build"], with_vectors=False)
        return {str(r.id) for r in found if (r.payload or {}).get("build") == build}

    def delete_other_builds(self, build):
        self._check()
        m = self.m
        keep = m.Filter(must_not=[m.FieldCondition(key="build",
                                                   match=m.MatchValue(value=build))])
        self.client.delete(self.name, points_selector=m.FilterSelector(filter=keep), wait=True)

    def count(self):
        return int(self.client.count(self.name, exact=True).count) if self.exists else 0

    def flush(self):
        pass  # the server persists each acknowledged upsert (wait=True)

    def optimize(self):
        pass  # a server's optimizers run by themselves

    def close(self):
        self.client.close()
