"""Bulk ingest into a Qdrant collection: bounded batches, resumable, corpus-wide BM25.

1. A counting pass tokenizes every chunk and keeps only counts (document frequencies,
   lengths): the corpus-wide BM25 statistics every chunk's sparse vector and every query
   need, whichever shard a chunk lands on.
2. Then batches of INGEST_BATCH chunks: each point's id comes from its chunk's hash, and the
   points this build already wrote are skipped, so a killed ingest, run again, resumes where
   it stopped and ends with the same collection. The rest are embedded (vectors of chunks
   the previous index already had are reused; `--ray ADDRESS` embeds on a Ray cluster) and
   upserted with their dense vector, their sparse BM25 vector and the chunk as payload.
   Embedding memory is one batch, whatever the corpus size.
3. Points of any other build are deleted, so a rebuild leaves no stale chunk behind, and
   the collection is optimized (Qdrant Edge builds its HNSW graph then).

A rebuild writes into the live collection (points are keyed by chunk, not by build): while
it runs, an index loaded before it may see the new build's chunk positions. Build into a
new `collection` for a switch without that window.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.backends.analyzers import AnalyzerSpec
from qa.backends.qdrant import (
    Bm25Stats,
    configure,
    sparse_of,
    vector_record,
    write_lexical_files,
)
from qa.backends.qdrant_engine import PointData, open_engine, parse_target, point_id
from qa.config import Backends, BM25Params
from qa.embed import embedding
from qa.ingest.chunking import Chunk

__all__ = ["INGEST_BATCH", "Embed", "Ingested", "chunk_key", "ingest", "ray_embedder"]

INGEST_BATCH = 256  # chunks embedded and upserted at a time
RAY_BATCH = 8192  # per Ray job: each starts workers, so fewer, larger batches

Embed = Callable[[list[str]], np.ndarray]  # texts -> unit float32 rows


@dataclass(frozen=True, slots=True)
class Ingested:
    files: list[str]  # written into the index folder (statistics, where the collection is)
    vectors: dict[str, Any]  # the manifest's `vectors` record
    embedded: int  # chunks encoded in this run (not resumed, not reused)


def chunk_key(chunk: Chunk, indexed: str) -> str:
    """The hash a chunk's point id comes from: where it is and what it is indexed as (its
    text, with its title: qa.ingest.chunking.indexed_text)."""
    return hashlib.sha256(f"{chunk.source}\0{chunk.start}\0{chunk.end}\0{indexed}"
                          .encode()).hexdigest()


def _build_tag(keys: Sequence[str], params: BM25Params, analyzer: str,
               model: dict[str, Any]) -> str:
    """The same for the same chunks, BM25 settings and model, so a rerun recognises the
    points of the run it resumes; anything else is another build."""
    digest = hashlib.sha256(json.dumps([params.k1, params.b, params.epsilon, analyzer,
                                        model["sha256"], model["name"]]).encode())
    for key in keys:
        digest.update(key.encode())
    return digest.hexdigest()[:32]


def ingest(folder: Path, chunks: Sequence[Chunk], indexed: Sequence[str], settings: Backends,
           params: BM25Params, analyzer: AnalyzerSpec, model: dict[str, Any], embed: Embed,
           previous: dict[str, np.ndarray], *, batch: int = INGEST_BATCH,
           after_batch: Callable[[int], None] | None = None) -> Ingested:
    """Write `chunks` into the collection `settings.backend` names (see the module
    docstring), each tokenized and embedded as `indexed` (one text per chunk); `previous`
    maps sha256(text) to vectors to reuse. `after_batch(n)` is called with the number of
    chunks done after each batch (progress, or a test's simulated kill)."""
    target = parse_target(settings.backend, collection=settings.collection,
                          shards=settings.shards, replicas=settings.replicas)
    def terms(text: str) -> list[str]:
        return analyzer.tokenize(text, analyzer.stopwords)

    stats = Bm25Stats()
    for text in indexed:
        stats.add(terms(text))
    keys = [chunk_key(c, t) for c, t in zip(chunks, indexed, strict=True)]
    build = _build_tag(keys, params, analyzer.version, model)
    engine = open_engine(target)
    engine.ensure(model["dim"])
    embedded = 0
    for lo in range(0, len(chunks), batch):
        part = range(lo, min(len(chunks), lo + batch))
        ids = {i: point_id(keys[i]) for i in part}
        done = engine.present(list(ids.values()), build)
        todo = [i for i in part if ids[i] not in done]
        texts = {i: hashlib.sha256(indexed[i].encode()).hexdigest() for i in todo}
        need = [i for i in todo if texts[i] not in previous]
        fresh = dict(zip(need, embed([indexed[i] for i in need]), strict=True)) if need else {}
        embedded += len(need)
        engine.upsert([_point(ids[i], i, chunks[i], build, terms(indexed[i]), stats, params,
                              fresh[i] if i in fresh else previous[texts[i]]) for i in todo])
        if after_batch is not None:
            after_batch(part.stop)
    engine.delete_other_builds(build)
    engine.flush()
    engine.optimize()
    configure(folder, target, build)
    files = write_lexical_files(folder, stats, params)
    record = {**vector_record(target, build, model["dim"], len(chunks)),
              "where": settings.backend}
    return Ingested(files, record, embedded)


def _point(pid: str, i: int, chunk: Chunk, build: str, tokens: list[str],
           stats: Bm25Stats, params: BM25Params, vector: np.ndarray) -> PointData:
    payload = {"i": i, "build": build, "len": len(tokens), "chunk": chunk.id,
               "source": chunk.source, "start": chunk.start, "end": chunk.end,
               "text": chunk.text}
    return PointData(pid, payload, dense=np.asarray(vector, np.float32),
                     sparse=sparse_of(tokens, stats.vocab, stats.avgdl, params))


def ray_embedder(address: str, build: Callable[[], embedding.Embedder]) -> tuple[Embed, int]:
    """Embed on a running Ray cluster as a Ray Data `map_batches` job, each worker building
    the model once with `build` (an EmbedderKind's); the batch size to ingest with. Needs
    `pip install 'qa[scale]'`. Ray ships `build` to the workers its own way (cloudpickle):
    code, never qa's data."""
    try:
        import ray
    except ImportError:
        raise ValueError("--ray needs Ray: pip install 'qa[scale]'") from None
    ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)

    class _Encode:
        def __init__(self) -> None:
            self.model = build()

        def __call__(self, rows: dict[str, Any]) -> dict[str, Any]:
            return {"vector": self.model.encode(list(rows["text"]), progress=False)}

    def embed(texts: list[str]) -> np.ndarray:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # row i is text i
        rows = ray.data.from_items([{"text": t} for t in texts]).map_batches(
            _Encode, batch_size=256, concurrency=(1, 64))
        return np.stack([np.asarray(r["vector"], np.float32) for r in rows.iter_rows()])

    return embed, RAY_BATCH
