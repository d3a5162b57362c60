"""`qa bench`: every speed figure measured in one run, each next to a baseline.

Figures (README, "Speed"):
1. warm query latency by stage (encode, BM25, vector search, fusion, answer extraction) next to
   a bare ``SentenceTransformer.encode`` of the same questions in the same process;
2. cold ``qa ask`` (a new process) next to the naive cold path: a process that imports
   sentence-transformers, loads the model and encodes one question;
3. index build throughput next to a bare ``SentenceTransformer.encode`` of the same chunks;
4. scaling to 10k/100k/1M chunks: BM25 query time (next to rank_bm25), vector search (next
   to exact search, with recall@10), index load, and the memory each takes;
5. hostile inputs: crafted texts that once made a text stage quadratic, each timed at n and
   4n next to a linear baseline (qa/perf/hostile.py), printed as a table of its own;
6. the BM25 analyzer's cost: the English analyzer (stemming) next to the simple one, per
   question and per build (tokenizing every chunk), in the same run.

The synthetic corpora and vectors of figures 3 and 4 come from qa/perf/data.py.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from rank_bm25 import BM25Okapi

from qa.answer import ask
from qa.backends.analyzers import ANALYZERS
from qa.backends.bm25 import DEFAULT_STOPWORDS, BM25Index
from qa.backends.faiss import FaissVectorIndex, write_vectors
from qa.config import Backends, BM25Params, ChunkerConfig, Settings
from qa.embed.embedding import CONFIG_FILE, OnnxEmbedder, SentenceTransformerEmbedder, model_dir
from qa.eval import question_sets
from qa.ingest import entities
from qa.ingest.chunking import chunk_documents, indexed_texts
from qa.ingest.sources import Document, load_documents
from qa.perf import hostile as bench_hostile
from qa.perf.data import DIM, RandomEmbedder, Zipf, synthetic_vectors, write_corpus
from qa.search.base import SearchSettings
from qa.search.hybrid import search
from qa.store.build import build_index, build_index_from_documents
from qa.store.index import Index, load_index
from qa.store.sentences import meaning_texts
from qa.types import Analyzer

NO_ENTITIES = Settings(index=Backends(entities=False))

__all__ = ["BenchConfig", "Row", "main", "run"]

SECTIONS = ("warm", "cold", "build", "scale", "hostile", "analyzer")
CORPUS_QUESTIONS = 30  # without a question set: the opening words of this many passages


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """Sizes and repetitions; `quick` shrinks everything for the smoke test."""

    index_dir: Path = Path("index")
    root: Path = Path(".")
    out: Path = Path("bench/out/bench.json")
    quick: bool = False
    sections: tuple[str, ...] = SECTIONS
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    load_sizes: tuple[int, ...] = (10_000, 100_000)
    synthetic_docs: int = 2000  # for the build figure, ~1 chunk each
    samples: int = 150  # warm queries: the questions are repeated until there are this many
    cold_runs: int = 5
    naive_runs: int = 3
    vector_queries: int = 200
    bm25_queries: int = 100

    def __post_init__(self) -> None:
        unknown = set(self.sections) - set(SECTIONS)
        if unknown:
            raise ValueError(f"unknown bench section(s) {', '.join(sorted(unknown))}; "
                             f"valid: {', '.join(SECTIONS)}")

    @classmethod
    def quick_config(cls, **kw: Any) -> BenchConfig:
        small = dict(quick=True, sizes=(2_000,), load_sizes=(500,), synthetic_docs=20, samples=1,
                     cold_runs=1, naive_runs=1, vector_queries=20, bm25_queries=10)
        return cls(**{**small, **kw})


@dataclass(frozen=True, slots=True)
class Row:
    figure: str
    qa: float
    baseline: float | None = None
    unit: str = "ms"
    target: str = ""  # e.g. "ratio <= 1.3" or "qa <= 1000 ms"
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.qa / self.baseline if self.baseline else None


def _rss_mb() -> float:
    """Resident memory from /proc (Linux); 0 elsewhere."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else 0.0


def _pct(samples: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples, dtype=np.float64), q))


def _ms(seconds: Sequence[float], q: float = 50) -> float:
    return _pct(seconds, q) * 1000


def _check(row_value: float, limit: float) -> bool:
    return bool(row_value <= limit)


# --- 1. warm query latency by stage ---------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.spent: defaultdict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.spent[stage] += time.perf_counter() - started


class _Timed:
    """Forwards everything to `inner`, timing the named methods as `stage`."""

    def __init__(self, inner: Any, clock: _Clock, stage: str, methods: Sequence[str]) -> None:
        self._inner, self._clock, self._stage, self._methods = inner, clock, stage, methods

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in self._methods:
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self._clock(self._stage):
                return attr(*args, **kwargs)

        return timed


def _timed_index(index, clock: _Clock):
    """The same index, with each search stage's calls timed: the real `search` code runs."""
    @dataclass(frozen=True)
    class TimedIndex(Index):
        def tokenize(self, text: str) -> list[str]:
            with clock("bm25"):
                return super().tokenize(text)

    values = {f.name: getattr(index, f.name) for f in fields(Index) if f.init}
    values["embedder"] = _Timed(index.embedder, clock, "encode", ["encode"])
    values["bm25"] = _Timed(index.bm25, clock, "bm25", ["scores", "top_k", "scores_of"])
    values["vectors"] = _Timed(index.vectors, clock, "vector", ["search", "similarity"])
    return TimedIndex(**values)


def load_questions(root: Path, index=None) -> list[str]:
    """The seed question set's questions; without one, queries made of the opening words of
    the index's first passages (the corpus's own words, whatever it is about)."""
    path = root / "seeds" / "questions.jsonl"
    try:
        return [q.question for q in question_sets.load_questions(path)]
    except ValueError:  # QuestionsError, or a file that is not UTF-8
        if index is None:
            return []
        return [" ".join(c.text.split()[:12]) for c in index.chunks[:CORPUS_QUESTIONS]]


def corpus_questions(index, n: int = CORPUS_QUESTIONS) -> list[str]:
    """Questions no question set holds: the opening words of `n` passages spread through the
    index, asked as questions (the reader weighs them like any other)."""
    step = max(1, len(index.chunks) // n)
    return [" ".join(c.text.split()[:12]).rstrip(".,;:") + "?" for c in index.chunks[::step][:n]]


def bench_warm(index, questions: Sequence[str], st_model, reps: int,
               label: str = "") -> tuple[list[Row], dict]:
    settings = SearchSettings()
    clock = _Clock()
    timed = _timed_index(index, clock)
    stages: defaultdict[str, list[float]] = defaultdict(list)
    # The warm-up (first calls allocate, fill caches, spin up thread pools) is each question's
    # first ask: the reader keeps what it read of a sentence for the next question whose
    # passages hold it (`index.derived`), so the timed repeats below are the best case and
    # this pass the worst a warm process sees (the first few questions pay the allocations).
    for q in questions:
        started = time.perf_counter()
        ask(index, q, settings)
        stages["first"].append(time.perf_counter() - started)
        started = time.perf_counter()
        st_model.encode(q)
        stages["first_bare"].append(time.perf_counter() - started)
    for _ in range(reps):
        for q in questions:
            clock.spent.clear()
            started = time.perf_counter()
            search(timed, q, settings)
            searched = time.perf_counter() - started
            spent = dict(clock.spent)
            started = time.perf_counter()
            ask(index, q, settings)
            total = time.perf_counter() - started
            started = time.perf_counter()
            st_model.encode(q)
            stages["bare"].append(time.perf_counter() - started)
            for name in ("encode", "bm25", "vector"):
                stages[name].append(spent.get(name, 0.0))
            stages["fusion"].append(max(searched - sum(spent.values()), 0.0))
            stages["answer"].append(max(total - searched, 0.0))
            stages["total"].append(total)
    bare50, bare95 = _ms(stages["bare"]), _ms(stages["bare"], 95)
    total50, total95 = _ms(stages["total"]), _ms(stages["total"], 95)
    n = len(stages["total"])
    rows = [
        Row(f"warm query p50, all stages{label}", total50, bare50, target="ratio <= 1.3",
            met=_check(total50, 1.3 * bare50),
            note=f"{len(questions)} questions x {reps}; baseline: bare SentenceTransformer.encode"),
        Row(f"warm query p95, all stages{label}", total95, bare95, note=f"{n} samples"),
        Row(f"  first ask of each question, p50{label}", _ms(stages["first"]),
            _ms(stages["first_bare"]), note="the warm-up pass: nothing read before"),
    ]
    labels = {"encode": "encode (ONNX)", "bm25": "BM25 (tokenize+score)",
              "vector": "vector search", "fusion": "fusion (top-k, fuse, dedupe)",
              "answer": "answer extraction + citations"}
    for name, label in labels.items():
        rows.append(Row(f"  stage p50: {label}", _ms(stages[name]), bare50,
                        note=f"p95 {_ms(stages[name], 95):.2f} ms"))
    detail = {k: {"p50_ms": _ms(v), "p95_ms": _ms(v, 95)} for k, v in stages.items()}
    return rows, {"questions": len(questions), "reps": reps, "stages": detail}


# --- 2. cold start ---------------------------------------------------------------------------

_NAIVE = """
import sys
from sentence_transformers import SentenceTransformer
SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True).encode([sys.argv[2]])
"""


def _wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… failed: {done.stderr.strip()[-500:]}")
    return elapsed


def _qa_command() -> list[str]:
    script = Path(sys.executable).with_name("qa")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qa.cli"]


def bench_cold(index_dir: Path, question: str, runs: int, naive_runs: int,
               naive_cmd: Sequence[str] | None = None) -> tuple[list[Row], dict]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    qa_cmd = [*_qa_command(), "ask", question, "--index-dir", str(index_dir)]
    naive_cmd = naive_cmd or [sys.executable, "-c", _NAIVE, str(model_dir()), question]
    _wall(qa_cmd, env)  # not counted: fills the page cache and the checksum cache once
    _wall(naive_cmd, env)
    qa_times = [_wall(qa_cmd, env) for _ in range(runs)]
    naive_times = [_wall(naive_cmd, env) for _ in range(naive_runs)]
    qa50, naive50 = _ms(qa_times), _ms(naive_times)
    rows = [
        Row("cold `qa ask` wall (new process)", qa50, naive50,
            target="qa <= 1000 ms, ratio <= 0.2",
            met=_check(qa50, 1000) and _check(qa50, 0.2 * naive50),
            note=f"median of {runs} vs {naive_runs}; baseline: import sentence-transformers, "
                 "load, encode 1 question"),
    ]
    return rows, {"qa_s": qa_times, "naive_s": naive_times, "command": qa_cmd[1:]}


# --- 3. build throughput ---------------------------------------------------------------------


def bench_build(config: BenchConfig, st, work: Path) -> tuple[list[Row], dict]:
    def chunk_texts(folder: Path) -> tuple[list[str], list[str]]:
        """The chunks' texts as the build embeds them (with their document's title), and
        the sentence texts it embeds besides them (each distinct text once, as
        qa.store.sentences stores them)."""
        docs = load_documents([folder], config.root)
        chunker = ChunkerConfig()
        chunks = chunk_documents([(d.source, d.text) for d in docs], chunker)
        per_chunk = meaning_texts({d.source: d.text for d in docs}, chunks,
                                  {d.source: d.title for d in docs})
        return (indexed_texts(chunks, {d.source: d.title for d in docs}, chunker),
                list(dict.fromkeys(t for ts in per_chunk for t in ts)))

    def bare(texts: list[str]) -> float:
        started = time.perf_counter()
        st.model.encode(texts)
        return time.perf_counter() - started

    def build(folder: Path) -> float:
        # Entities apart: they are found once per new or changed document (row below), and
        # a repeated build would take them from this process's memory anyway.
        report = build_index([folder], work / "index", root=config.root, embedder=st,
                             settings=NO_ENTITIES, progress=False, reuse=False)
        return report.seconds

    def ner(folder: Path) -> tuple[float, int]:
        texts = [d.text for d in load_documents([folder], config.root)]
        entities.forget()
        started = time.perf_counter()
        entities.find_entities(texts)
        return time.perf_counter() - started, sum(map(len, texts))

    seeds = config.root / "seeds"
    zipf = Zipf(config.root)
    synthetic = write_corpus(work / "synthetic", zipf, config.synthetic_docs, 6)
    rows, detail = [], {}
    fresh = build(seeds)  # a new index directory: includes the one-off ONNX export
    for name, folder in (("seeds", seeds), (f"{config.synthetic_docs} synthetic docs",
                                            synthetic)):
        texts, sentences = chunk_texts(folder)
        runs = 3 if len(texts) < 500 else 1  # a few seconds each: repeat, take medians
        base = float(np.median([bare(texts) for _ in range(runs)]))
        both = base + float(np.median([bare(sentences) for _ in range(runs)]))
        took = float(np.median([build(folder) for _ in range(runs)]))  # encoder files copied
        # Against encoding what the build encodes (chunks and sentence texts): qa's overhead.
        rows.append(Row(f"build {name} ({len(texts)} chunks, {len(sentences)} sentences), "
                        "throughput", len(texts) / took, len(texts) / both, unit="chunks/s",
                        target="ratio >= 0.9", met=len(texts) / took >= 0.9 * len(texts) / both,
                        note=f"build {took:.1f} s vs bare encode of chunks + sentences "
                             f"{both:.1f} s"))
        rows.append(Row(f"build {name}, throughput next to encoding the chunks alone",
                        len(texts) / took, len(texts) / base, unit="chunks/s",
                        note=f"bare encode of the chunks {base:.1f} s: the rest is the stored "
                             "sentence vectors"))
        ner_s, chars = ner(folder)
        rows.append(Row(f"named entities of {name} ({chars:,} chars)", ner_s * 1000, base * 1000,
                        note=f"{chars / ner_s:,.0f} chars/s; once per new or changed document"))
        rows.append(Row(f"build {name} incl. entities and noun phrases, throughput",
                        len(texts) / (took + ner_s), len(texts) / base, unit="chunks/s",
                        note="a first build: every document is new"))
        detail[name] = {"chunks": len(texts), "sentences": len(sentences), "build_s": took,
                        "bare_encode_s": base, "bare_encode_with_sentences_s": both,
                        "entities_s": ner_s, "chars": chars}
    rows.append(Row("build seeds into a new directory (incl. ONNX export)", fresh * 1000,
                    detail["seeds"]["bare_encode_s"] * 1000, note="one-off per new index"))
    detail["seeds"]["fresh_build_s"] = fresh
    return rows, detail


# --- 4. scaling ------------------------------------------------------------------------------


def _per_query(fn: Callable[[Any], Any], queries: Sequence[Any]) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - started)
    return times


def bench_bm25(n: int, zipf: Zipf, n_queries: int) -> tuple[list[Row], dict]:
    docs = zipf.token_docs(n, DEFAULT_STOPWORDS)
    queries = zipf.queries(n_queries, DEFAULT_STOPWORDS)
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    index = BM25Index.build(docs)
    build_s = time.perf_counter() - started
    memory = _rss_mb() - before
    qa_times = _per_query(lambda q: index.top_k(q, 100), queries)
    detail = {"build_s": build_s, "rss_mb": memory, "p50_ms": _ms(qa_times),
              "p95_ms": _ms(qa_times, 95), "vocab": index.vocab_size,
              "postings": int(index.doc_ids.size)}
    base = None
    if n <= 100_000:  # rank_bm25 needs ~1 s per query at 1M
        params = BM25Params()  # the ones BM25Index.build used
        okapi = BM25Okapi([list(d) for d in docs], k1=params.k1, b=params.b,
                          epsilon=params.epsilon)
        sample = queries[:10]
        base_times = _per_query(okapi.get_scores, sample)
        diff = max(float(np.abs(okapi.get_scores(q) - index.scores(q)).max()) for q in sample)
        base = _ms(base_times)
        detail.update(rank_bm25_p50_ms=base, max_abs_score_diff=diff)
    target, met = "", None
    if n == 100_000:
        target, met = "qa <= 5 ms, = rank_bm25", _check(detail["p50_ms"], 5) and (
            detail.get("max_abs_score_diff", 1.0) < 1e-9)
    note = f"build {build_s:.1f} s, RSS +{memory:.0f} MB"
    if "max_abs_score_diff" in detail:
        note += f", max |score diff| {detail['max_abs_score_diff']:.1e}"
    row = Row(f"BM25 query p50 @ {n:,} chunks", detail["p50_ms"], base, target=target, met=met,
              note=note + ("; baseline: rank_bm25 get_scores" if base else ""))
    return [row], detail


def bench_vectors(n: int, n_queries: int, work: Path) -> tuple[list[Row], dict]:
    docs, queries = synthetic_vectors(n, n_queries)
    exact = faiss.IndexFlatIP(DIM)
    exact.add(docs)
    _, truth = exact.search(queries, 10)
    exact_times = _per_query(lambda q: exact.search(q[None], 100), queries[:30])
    exact.reset()  # frees its copy of the vectors
    gc.collect()
    path = work / f"vectors-{n}.faiss"
    started = time.perf_counter()
    info = write_vectors(path, docs)
    build_s = time.perf_counter() - started
    del docs
    gc.collect()
    before = _rss_mb()
    index = FaissVectorIndex.load(path, info)
    memory = _rss_mb() - before
    top1 = float(np.mean([index.similarity(q, t[:1])[0] for q, t in zip(queries, truth,
                                                                        strict=True)]))
    found = []
    qa_times = _per_query(lambda q: found.append(index.search(q[None], 100)[0][0]), queries)
    recall = float(np.mean([len(set(f[:10]) & set(t)) / 10 for f, t in zip(found, truth,
                                                                           strict=True)]))
    path.unlink()
    p50, base = _ms(qa_times), _ms(exact_times)
    target, met = "", None
    if n >= 1_000_000:
        target, met = "qa <= 20 ms, recall@10 >= 0.95", _check(p50, 20) and recall >= 0.95
    kind = ", ".join(f"{k}={v}" for k, v in info.items() if k not in {"dim", "metric", "count"})
    row = Row(f"vector query p50 @ {n:,} (k=100)", p50, base, target=target, met=met,
              note=f"{kind}; recall@10 {recall:.3f}; build {build_s:.1f} s; "
                   f"RSS +{memory:.0f} MB; baseline: exact IndexFlatIP")
    detail = {"index": info, "build_s": build_s, "rss_mb": memory, "p50_ms": p50,
              "p95_ms": _ms(qa_times, 95), "exact_p50_ms": base, "recall_at_10": recall,
              "query_top1_cosine": top1}
    return [row], detail


def bench_load(n: int, zipf: Zipf, work: Path, encoder_s: float | None) -> tuple[list[Row], dict]:
    # 80 synthetic sentences make ~16 chunks of 800 characters (measured). In memory, not as
    # files: cleaning 50 MB of text would only measure the cleaner.
    docs = [Document(source=f"synthetic/doc{i:06d}.txt", text=zipf.text(80),
                     sha256=f"{i:064x}") for i in range(max(1, round(n / 16)))]
    index_dir = work / f"index-{n}"
    # inputs: a manifest names at least one
    report = build_index_from_documents(docs, index_dir, root=work, inputs=["synthetic"],
                                        sources={}, embedder=RandomEmbedder(), progress=False,
                                        settings=NO_ENTITIES, reuse=False)
    del docs
    time.sleep(2.1)  # let the files age past the racy window, so checksum checks are cached
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    index = load_index(index_dir)  # first load: hashes every file
    first = time.perf_counter() - started
    memory = _rss_mb() - before
    chunks = len(index.chunks)
    del index
    times = []
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        load_index(index_dir)
        times.append(time.perf_counter() - started)
    p50 = _ms(times)
    total = p50 + (encoder_s or 0.0) * 1000
    target, met = "", None
    if 50_000 <= chunks <= 200_000:
        target, met = "qa < 1000 ms", bool(total < 1000)
    note = (f"{chunks:,} chunks; first load (hashing every file) {first * 1000:.0f} ms; "
            f"RSS +{memory:.0f} MB; build {report.seconds:.1f} s")
    if encoder_s is not None:
        note += f"; incl. {encoder_s * 1000:.0f} ms ONNX session of a real index"
    row = Row(f"index load @ {n:,} chunks", total, None, target=target, met=met, note=note)
    detail = {"chunks": chunks, "load_p50_ms": p50, "first_load_ms": first * 1000,
              "encoder_ms": None if encoder_s is None else encoder_s * 1000,
              "rss_mb": memory, "build_s": report.seconds}
    return [row], detail


def _encoder_seconds(index_dir: Path) -> float | None:
    """Time to open a real index's ONNX encoder (in-process, imports already done)."""
    if not (index_dir / CONFIG_FILE).is_file():
        return None
    OnnxEmbedder(index_dir)
    started = time.perf_counter()
    OnnxEmbedder(index_dir)
    return time.perf_counter() - started


# --- 5. hostile inputs -------------------------------------------------------------------------


def bench_analyzer(root: Path, questions: Sequence[str],
                   reps: int) -> tuple[list[Row], dict]:
    """The English analyzer next to the simple one on the same texts: each seed question
    (per query, p50 over `reps` rounds) and all seed chunks at once (per build, median)."""
    docs = load_documents([root / "seeds"], root)
    chunks = [c.text for c in chunk_documents([(d.source, d.text) for d in docs],
                                              ChunkerConfig())]
    new, old = ANALYZERS[Analyzer.ENGLISH], ANALYZERS[Analyzer.SIMPLE]
    per_query: dict[str, list[float]] = {new.name: [], old.name: []}
    per_build: dict[str, list[float]] = {new.name: [], old.name: []}
    for _ in range(max(reps, 3)):
        for spec in (new, old):  # alternated, so a busy moment costs both alike
            per_query[spec.name] += _per_query(
                lambda q, spec=spec: spec.tokenize(q, spec.stopwords), questions)
            started = time.perf_counter()
            for text in chunks:
                spec.tokenize(text, spec.stopwords)
            per_build[spec.name].append(time.perf_counter() - started)
    query = {name: _ms(times) * 1000 for name, times in per_query.items()}  # µs
    build = {name: float(np.median(times)) * 1000 for name, times in per_build.items()}
    rows = [
        Row(f"analyzer per query: {new.name} vs {old.name} ({len(questions)} questions)",
            query[new.name], query[old.name], unit="µs",
            note="p50 of tokenizing one question"),
        Row(f"analyzer per build: {new.name} vs {old.name} ({len(chunks)} seed chunks)",
            build[new.name], build[old.name],
            note=f"{len(chunks) / build[new.name] * 1000:,.0f} chunks/s tokenized, "
                 f"vs {len(chunks) / build[old.name] * 1000:,.0f}"),
    ]
    return rows, {"per_query_p50_us": query, "per_build_ms": build, "chunks": len(chunks),
                  "questions": len(questions)}


def bench_hostile_inputs(work: Path, quick: bool,
                         log: Callable[[str], None] = lambda _: None) -> tuple[list[Row], dict]:
    """One row per hostile input for the main table: its growth from n to 4n next to the
    baseline's (ratio ~1 linear, ~4 quadratic); the full table is in the section's detail."""
    detail = bench_hostile.run_hostile(work, quick=quick, log=log)
    rows = [Row(f"hostile, growth n->4n: {r['input']}", r["growth"], r["baseline_growth"],
                unit="x", target=f"ratio <= {bench_hostile.GROWTH_LIMIT:g}",
                met=_check(r["growth"] / r["baseline_growth"], bench_hostile.GROWTH_LIMIT))
            for r in detail["rows"] if r["growth"] is not None and r["baseline_growth"]]
    return rows, detail


# --- driver ----------------------------------------------------------------------------------


def run(config: BenchConfig, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the selected sections, write JSON to `config.out`, return it."""
    rows: list[Row] = []
    results: dict[str, Any] = {}
    started = time.perf_counter()
    st = None

    def section(name: str, fn: Callable[[], tuple[list[Row], Any]]) -> None:
        t = time.perf_counter()
        log(f"bench: {name}…")
        new_rows, detail = fn()
        rows.extend(new_rows)
        results[name] = detail
        log(f"bench: {name} done in {time.perf_counter() - t:.0f} s")

    def model():
        nonlocal st
        if st is None:
            st = SentenceTransformerEmbedder()
        return st

    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        work = Path(tmp)
        index = None
        if "warm" in config.sections or "cold" in config.sections:
            index = load_index(config.index_dir)
        questions = load_questions(config.root, index)
        if "warm" in config.sections:
            reps = -(-config.samples // len(questions))
            section("warm", lambda: bench_warm(index, questions, model().model, reps))
            others = corpus_questions(index)
            section("warm-other", lambda: bench_warm(
                index, others, model().model, -(-config.samples // len(others)),
                label=" (questions made from passages, in no question set)"))
        if "cold" in config.sections:
            section("cold", lambda: bench_cold(config.index_dir, questions[0], config.cold_runs,
                                               config.naive_runs))
        if "build" in config.sections:
            section("build", lambda: bench_build(config, model(), work / "build"))
        if "scale" in config.sections:
            zipf = Zipf(config.root)
            for n in config.sizes:
                section(f"bm25@{n}", lambda n=n: bench_bm25(n, zipf, config.bm25_queries))
                gc.collect()
            for n in config.sizes:
                section(f"vectors@{n}", lambda n=n: bench_vectors(n, config.vector_queries,
                                                                  work))
                gc.collect()
            encoder_s = _encoder_seconds(config.index_dir)
            for n in config.load_sizes:
                section(f"load@{n}", lambda n=n: bench_load(n, zipf, work, encoder_s))
                gc.collect()
        if "hostile" in config.sections:
            section("hostile", lambda: bench_hostile_inputs(work / "hostile", config.quick, log))
        if "analyzer" in config.sections:
            section("analyzer", lambda: bench_analyzer(config.root, questions,
                                                       1 if config.quick else 20))
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "seconds": time.perf_counter() - started,
        "rows": [{**asdict(r), "ratio": r.ratio} for r in rows],
        "details": results,
    }
    config.out.parent.mkdir(parents=True, exist_ok=True)
    config.out.write_text(json.dumps(report, indent=2) + "\n")
    return report


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """figure | qa | baseline | ratio | target | met? — then each row's note."""
    def num(value: float | None, unit: str = "") -> str:
        if value is None:
            return "—"
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
        return f"{text} {unit}".strip()

    header = ("figure", "qa", "baseline", "ratio", "target", "met?")
    lines = [[r["figure"], num(r["qa"], r["unit"]), num(r["baseline"], r["unit"]),
              "—" if r["ratio"] is None else f"{r['ratio']:.2f}", r["target"] or "—",
              {True: "yes", False: "NO", None: ""}[r["met"]]] for r in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=False)]
    def fmt(cells: Sequence[str]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [fmt(header), "-+-".join("-" * w for w in widths)]
    out += [fmt(line) for line in lines]
    out.append("")
    out += [f"{r['figure'].strip()}: {r['note']}" for r in rows if r["note"]]
    return "\n".join(out)


def main(index_dir: Path, out: Path, quick: bool = False,
         sections: Sequence[str] = ()) -> dict[str, Any]:
    """Entry point of `qa bench`: run, print the table, return the report."""
    kw: dict[str, Any] = {"index_dir": index_dir, "out": out, "root": Path.cwd()}
    if sections:
        kw["sections"] = tuple(sections)
    config = BenchConfig.quick_config(**kw) if quick else BenchConfig(**kw)
    report = run(config, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(report["rows"]))
    if "hostile" in report["details"]:
        print("\nHostile inputs\n" + bench_hostile.format_hostile(report["details"]["hostile"]))
    print(f"\n{report['seconds']:.0f} s in all; JSON: {config.out}")
    return report
