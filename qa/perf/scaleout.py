"""`make bench-scale`: the local index next to Qdrant Edge, at 100k and 1M chunks.

For each size, the same synthetic chunks (Zipf-distributed tokens, 384-d vectors shaped like
sentence embeddings; qa/perf/data.py) go into the local index (numpy BM25 + FAISS, as
`qa index` builds it) and into a Qdrant Edge shard (as qa.store.scale writes it: a dense
vector, a sparse BM25Okapi vector and the payload per chunk, then `optimize` builds HNSW).
Measured for each: build time, query p50/p95 per stage (BM25 top 100, BM25 over every chunk
as hybrid search asks for it, dense top 100), recall@10 of the dense search against exact
search, memory (resident growth; the shard's size on disk), and how often the two agree on
the BM25 top 10. `python -m qa.perf.scaleout [--sizes 100000,1000000] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa.backends.bm25 import DEFAULT_STOPWORDS, BM25Index
from qa.backends.faiss import FaissVectorIndex, write_vectors
from qa.backends.qdrant import HNSW_EF, Bm25Stats, QdrantLexicalIndex, QdrantVectorIndex, sparse_of
from qa.backends.qdrant_engine import (
    GRAPH,
    PointData,
    Target,
    close_engines,
    open_engine,
    point_id,
)
from qa.config import BM25Params
from qa.perf.bench import Row, _ms, _per_query, _rss_mb, format_table
from qa.perf.data import DIM, Zipf, synthetic_vectors

__all__ = ["bench_size", "main"]

SIZES = (100_000, 1_000_000)
UPSERT_BATCH = 2000
QUERIES = 100
EF_SWEEP = (64, 256, 384)  # besides HNSW_EF: what recall each search width buys, and at what cost


def _timed(fn: Callable[[Any], Any], queries: Sequence[Any]) -> dict[str, float]:
    times = _per_query(fn, queries)
    return {"p50_ms": _ms(times), "p95_ms": _ms(times, 95)}


def _recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:10].tolist()) & set(t.tolist())) / 10
                          for f, t in zip(found, truth, strict=True)]))


def _local(tokens, vectors, queries, qvectors, truth, work: Path) -> dict[str, Any]:
    gc.collect()
    before, started = _rss_mb(), time.perf_counter()
    bm25 = BM25Index.build(tokens)
    path = work / "vectors.faiss"
    info = write_vectors(path, vectors)
    index = FaissVectorIndex.load(path, info)
    build_s = time.perf_counter() - started
    found = [index.search(q[None], 100)[0][0] for q in qvectors]
    return {"index": bm25, "build_s": build_s, "rss_mb": _rss_mb() - before,
            "kind": info.get("kind"),
            "bm25_top100": _timed(lambda q: bm25.top_k(q, 100), queries),
            "bm25_all": _timed(bm25.scores, queries),
            "dense_top100": _timed(lambda q: index.search(q[None], 100), qvectors),
            "recall_at_10": _recall(found, truth)}


def _edge(tokens, vectors, queries, qvectors, truth, work: Path,
          log: Callable[[str], None]) -> dict[str, Any]:
    params = BM25Params()
    gc.collect()
    before, started = _rss_mb(), time.perf_counter()
    engine = open_engine(Target("edge", str(work / "edge")))
    engine.ensure(DIM)
    stats = Bm25Stats()
    for doc in tokens:  # the counting pass
        stats.add(doc)
    for lo in range(0, len(tokens), UPSERT_BATCH):
        engine.upsert([PointData(
            point_id(hashlib.sha256(str(i).encode()).hexdigest()),
            {"i": i, "build": "bench", "len": len(tokens[i])}, dense=vectors[i],
            sparse=sparse_of(tokens[i], stats.vocab, stats.avgdl, params))
            for i in range(lo, min(len(tokens), lo + UPSERT_BATCH))])
        if lo % 100_000 == 0:
            log(f"  upserted {lo:,} in {time.perf_counter() - started:.0f} s")
    upsert_s = time.perf_counter() - started
    engine.flush()
    engine.optimize()
    build_s = time.perf_counter() - started
    log(f"  HNSW (m {GRAPH.m}, ef_construct {GRAPH.ef_construct}) built in {build_s:.0f} s; "
        "measuring queries")
    lexical = QdrantLexicalIndex(engine, stats.vocab, stats.idf(params), stats.n_docs,
                                 stats.avgdl, params)
    disk = sum(p.stat().st_size for p in (work / "edge").rglob("*") if p.is_file())
    # hnsw_ef is a query-time setting: one graph, searched at each width
    sweep = {}
    for ef in sorted({HNSW_EF, *EF_SWEEP}):
        dense = QdrantVectorIndex(engine, len(tokens), ef)
        found = [dense.search(q[None], 100)[0][0] for q in qvectors]
        sweep[ef] = {"dense_top100": _timed(lambda q, d=dense: d.search(q[None], 100),
                                            qvectors),
                     "recall_at_10": _recall(found, truth)}
    return {"index": lexical, "build_s": build_s, "upsert_s": upsert_s, "hnsw": asdict(GRAPH),
            "rss_mb": _rss_mb() - before, "disk_mb": disk / 2**20, "hnsw_ef": HNSW_EF,
            "bm25_top100": _timed(lambda q: lexical.top_k(q, 100), queries),
            "bm25_all": _timed(lexical.scores, queries[:20]),
            **sweep[HNSW_EF], "ef_sweep": sweep}


def bench_size(n: int, zipf: Zipf, work: Path, log: Callable[[str], None],
               n_queries: int = QUERIES) -> tuple[list[Row], dict[str, Any]]:
    tokens = [list(d) for d in zipf.token_docs(n, DEFAULT_STOPWORDS)]
    queries = zipf.queries(n_queries, DEFAULT_STOPWORDS)
    vectors, qvectors = synthetic_vectors(n, n_queries)  # the same chunks for any count
    exact = faiss.IndexFlatIP(DIM)
    exact.add(vectors)
    _, truth = exact.search(qvectors, 10)
    del exact
    log(f"bench-scale: local @ {n:,}")
    local = _local(tokens, vectors, queries, qvectors, truth, work)
    log(f"bench-scale: qdrant-edge @ {n:,}")
    edge = _edge(tokens, vectors, queries, qvectors, truth, work, log)
    same, diff = 0, 0.0
    for q in queries:
        a, b = local["index"].top_k(q, 10), edge["index"].top_k(q, 10)
        same += a[0].tolist() == b[0].tolist()
        if a[0].tolist() == b[0].tolist() and a[1].size:
            diff = max(diff, float(np.abs(a[1] - b[1]).max()))
    agreement = {"bm25_top10_identical": same / len(queries), "max_abs_score_diff": diff}
    close_engines()
    rows = []
    for name, r in (("local", local), ("qdrant-edge", edge)):
        target, met = "", None
        if name == "qdrant-edge" and n >= 1_000_000:
            target = "dense p50 <= 20 ms, recall@10 >= 0.95"
            met = r["dense_top100"]["p50_ms"] <= 20 and r["recall_at_10"] >= 0.95
        memory = f"RSS +{r['rss_mb']:.0f} MB" + (f", disk {r['disk_mb']:.0f} MB"
                                                  if "disk_mb" in r else "")
        ef = (f", m {r['hnsw']['m']}, hnsw_ef {r['hnsw_ef']}" if "hnsw_ef" in r else "")
        rows.append(Row(f"{name} dense p50 @ {n:,} (k=100{ef})", r["dense_top100"]["p50_ms"],
                        target=target, met=met,
                        note=f"p95 {r['dense_top100']['p95_ms']:.1f} ms; recall@10 "
                             f"{r['recall_at_10']:.3f}; build {r['build_s']:.0f} s; {memory}"))
        for ef, at in r.get("ef_sweep", {}).items():
            if ef != r["hnsw_ef"]:
                rows.append(Row(f"{name} dense p50 @ {n:,} (k=100, hnsw_ef {ef})",
                                at["dense_top100"]["p50_ms"],
                                note=f"p95 {at['dense_top100']['p95_ms']:.1f} ms; recall@10 "
                                     f"{at['recall_at_10']:.3f}"))
        rows.append(Row(f"{name} BM25 top-100 p50 @ {n:,}", r["bm25_top100"]["p50_ms"],
                        note=f"p95 {r['bm25_top100']['p95_ms']:.1f} ms; every chunk scored "
                             f"(hybrid's lexical stage) p50 {r['bm25_all']['p50_ms']:.1f} ms"))
    rows.append(Row(f"BM25 top 10 identical @ {n:,}", agreement["bm25_top10_identical"],
                    unit="", note=f"max |score diff| {agreement['max_abs_score_diff']:.1e}"))
    detail = {name: {k: v for k, v in r.items() if k != "index"}
              for name, r in (("local", local), ("qdrant-edge", edge))}
    return rows, {**detail, "agreement": agreement}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m qa.perf.scaleout")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--out", type=Path, default=Path("bench/out/bench-scale.json"))
    parser.add_argument("--queries", type=int, default=QUERIES,
                        help="questions per size (recall@10 is over 10 neighbours of each)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    zipf = Zipf(Path.cwd())
    rows: list[Row] = []
    details: dict[str, Any] = {}
    started = time.perf_counter()
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="qa-bench-scale-") as tmp:
            new, details[str(n)] = bench_size(n, zipf, Path(tmp), log, args.queries)
        rows += new
        gc.collect()
    report = {"seconds": time.perf_counter() - started, "sizes": sizes,
              "rows": [{**asdict(r), "ratio": r.ratio} for r in rows], "details": details}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(format_table(report["rows"]))
    print(f"\n{report['seconds']:.0f} s in all; JSON: {args.out}")
    return report


if __name__ == "__main__":
    main()
