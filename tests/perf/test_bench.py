"""`qa bench` code paths at tiny sizes (no timing asserts), and the index changes it drove:
IVF above the ANN threshold, and cached checksum checks that still catch every edit."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qa.backends.faiss as qa_vectors
import qa.store.integrity as integrity
from qa.backends.bm25 import DEFAULT_STOPWORDS
from qa.backends.faiss import FaissVectorIndex
from qa.errors import IndexCorrupt
from qa.perf import bench
from qa.perf import data as bench_data
from qa.perf import hostile as bench_hostile
from qa.search.base import SearchSettings
from qa.search.hybrid import search
from qa.store.build import build_index
from qa.store.index import load_index
from tests.fakes import HashEmbedder


class FakeSentenceTransformer(HashEmbedder):
    """Stands in for SentenceTransformerEmbedder: `.model.encode` is the "bare" baseline."""

    def __init__(self) -> None:
        super().__init__(dim=64)
        self.model = self

    def encode(self, texts, **kwargs):
        if isinstance(texts, str):
            return super().encode([texts])[0]
        return super().encode(texts)


@pytest.fixture()
def small_ivf(monkeypatch):
    """Make a few thousand vectors count as "large", with every list probed (exact)."""
    monkeypatch.setattr(qa_vectors, "ANN_THRESHOLD", 50)
    monkeypatch.setattr(qa_vectors, "IVF_NLIST", 8)
    monkeypatch.setattr(qa_vectors, "IVF_NPROBE", 8)


def test_scale_section_writes_json_and_bm25_matches_rank_bm25(tmp_path, root, fake_index_dir):
    config = bench.BenchConfig.quick_config(index_dir=fake_index_dir, root=root,
                                            out=tmp_path / "out" / "bench.json",
                                            sections=("scale",))
    report = bench.run(config, log=lambda _: None)
    saved = json.loads(config.out.read_text())
    assert saved["rows"] == json.loads(json.dumps(report["rows"]))
    figures = [r["figure"] for r in saved["rows"]]
    assert figures == ["BM25 query p50 @ 2,000 chunks", "vector query p50 @ 2,000 (k=100)",
                       "index load @ 500 chunks"]
    details = saved["details"]
    assert details["bm25@2000"]["max_abs_score_diff"] < 1e-9
    assert details["vectors@2000"]["index"]["kind"] == "flat"
    assert details["vectors@2000"]["recall_at_10"] == 1.0
    assert 400 <= details["load@500"]["chunks"] <= 800
    table = bench.format_table(saved["rows"])
    header = [cell.strip() for cell in table.splitlines()[0].split(" | ")]
    assert header == ["figure", "qa", "baseline", "ratio", "target", "met?"]
    assert "BM25 query p50 @ 2,000 chunks" in table and "rank_bm25" in table


def test_vectors_above_threshold_use_ivf_with_exact_recall_when_all_lists_probed(
        tmp_path, small_ivf):
    _, detail = bench.bench_vectors(3000, 20, tmp_path)
    assert detail["index"]["kind"] == "ivf" and detail["index"]["nprobe"] == 8
    assert detail["recall_at_10"] == 1.0


def test_ivf_index_searches_filters_reconstructs_and_is_reused(workspace, small_ivf):
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    index = load_index(index_dir)
    import faiss

    assert index.manifest["vectors"]["kind"] == "ivf"
    assert faiss.extract_index_ivf(index.vectors.index).nprobe == 8
    source = sorted(index.documents)[0]
    for mode in ("vector", "hybrid"):  # hybrid recomputes cosines of BM25-only candidates
        hits = search(index, "Nvidia market value", SearchSettings(mode=mode, k=5),
                      sources=[source])
        assert hits and all(h.chunk.source == source for h in hits)
        assert all(h.vector is not None for h in hits)
    report = build_index([workspace / "seeds"], index_dir, root=workspace,
                         embedder=HashEmbedder(), progress=False)
    assert report.embedded == 0 and report.reused == report.chunks


def test_checksum_checks_are_cached_but_edits_are_still_caught(workspace, monkeypatch):
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    hashed = []
    real_sha = integrity.sha256_file
    monkeypatch.setattr(integrity, "sha256_file", lambda p: hashed.append(p.name) or real_sha(p))
    load_index(index_dir)  # files were written just now: too fresh to remember
    assert not (index_dir / integrity.VERIFIED).exists() and hashed
    monkeypatch.setattr(integrity, "RACY_NS", 0)
    load_index(index_dir)
    assert (index_dir / integrity.VERIFIED).is_file()
    hashed.clear()
    load_index(index_dir)
    assert hashed == []  # nothing changed: nothing hashed

    path = index_dir / "chunks.jsonl"  # same size, mtime put back: only ctime tells
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(IndexCorrupt, match="chunks.jsonl"):
        load_index(index_dir)


def test_a_garbled_checksum_cache_is_ignored(workspace, monkeypatch):
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    monkeypatch.setattr(integrity, "RACY_NS", 0)
    for garbage in ("not json", "[1, 2]", '{"version": 1, "files": [1]}'):
        (index_dir / integrity.VERIFIED).write_text(garbage)
        assert load_index(index_dir).chunks
    vectors = index_dir / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:-8])
    with pytest.raises(IndexCorrupt, match="vectors.faiss"):
        load_index(index_dir)


def test_hostile_section_reports_growth_next_to_the_baseline_in_quick_mode(tmp_path, root):
    config = bench.BenchConfig.quick_config(root=root, out=tmp_path / "bench.json",
                                            sections=("hostile",))
    report = bench.run(config, log=lambda _: None)
    detail = json.loads(config.out.read_text())["details"]["hostile"]
    assert detail == json.loads(json.dumps(report["details"]["hostile"]))
    assert detail["baseline"] == bench_hostile.BASELINE and detail["factor"] == 4
    inputs = [row["input"] for row in detail["rows"]]
    assert inputs == [case.name for case in bench_hostile.cases()]
    for row in detail["rows"]:
        assert row["4n"]["size"] == 4 * row["n"]["size"]
        if row["n"]["seconds"] is None or row["4n"]["seconds"] is None:  # refused by a reader
            assert row["growth"] is None and (row["n"].get("error") or row["4n"].get("error"))
        else:
            assert row["growth"] > 0 and row["baseline_growth"] > 0
    csv = next(row for row in detail["rows"] if row["input"].startswith("CSV"))
    assert csv["4n"]["note"] == "8,001 lines in, 8,001 out"  # rows are never joined
    table = bench_hostile.format_hostile(detail)
    header = [cell.strip() for cell in table.splitlines()[0].split(" | ")]
    assert header == ["input", "n", "time n", "4n", "time 4n", "growth", "baseline growth"]
    assert all(name in table for name in inputs)
    assert all(r["figure"].startswith("hostile, growth") and r["unit"] == "x"
               for r in report["rows"])


def test_warm_section_times_every_stage_of_the_real_search(fake_index):
    questions = bench.load_questions(Path("/nonexistent"), fake_index)[:4]
    rows, detail = bench.bench_warm(fake_index, questions, FakeSentenceTransformer(), reps=2)
    stages = detail["stages"]
    assert set(stages) == {"bare", "encode", "bm25", "vector", "fusion", "answer", "total",
                           "first", "first_bare"}
    assert stages["first"]["p50_ms"] > 0  # each question's first ask, timed apart
    assert any(r.figure.startswith("  first ask of each question") for r in rows)
    assert all(stages[s]["p50_ms"] > 0 for s in ("encode", "bm25", "vector", "total"))
    assert rows[0].figure == "warm query p50, all stages" and rows[0].met is not None


def test_build_section_compares_build_with_bare_encode_of_the_same_texts(tmp_path, root):
    config = bench.BenchConfig.quick_config(root=root, synthetic_docs=5)
    rows, detail = bench.bench_build(config, FakeSentenceTransformer(), tmp_path)
    assert detail["seeds"]["chunks"] > 50 and detail["5 synthetic docs"]["chunks"] >= 5
    builds = [r for r in rows if r.unit == "chunks/s" and r.target]
    assert len(builds) == 2 and all(r.figure.startswith("build ") for r in builds)
    assert all("sentences), throughput" in r.figure for r in builds)  # what the build encodes
    alone = [r for r in rows if "next to encoding the chunks alone" in r.figure]
    assert len(alone) == 2 and all(r.baseline > b.baseline for r, b in zip(alone, builds,
                                                                           strict=True))
    assert detail["seeds"]["sentences"] > detail["seeds"]["chunks"]
    with_entities = [r for r in rows if r.unit == "chunks/s" and "incl. entities" in r.figure]
    assert len(with_entities) == 2 and all(r.baseline for r in with_entities)
    named = [r for r in rows if r.figure.startswith("named entities of ")]
    assert len(named) == 2 and detail["seeds"]["entities_s"] > 0  # found, not remembered
    assert all(r.qa > 0 and r.baseline > 0 for r in rows)


class RecordingSentenceTransformer(FakeSentenceTransformer):
    """Keeps apart what the bench's bare baseline encodes (`.model.encode(texts)`, no options)
    and what a build encodes (qa's embedders are called with batch_size and progress)."""

    def __init__(self) -> None:
        super().__init__()
        self.bare: set[str] = set()
        self.built: set[str] = set()

    def encode(self, texts, **kwargs):
        (self.built if kwargs else self.bare).update([texts] if isinstance(texts, str) else texts)
        return super().encode(texts, **kwargs)


def test_build_baseline_encodes_exactly_what_the_build_encodes(tmp_path, root):
    # The chunks are embedded with their document's title: a baseline of the bare chunk
    # texts encodes less and makes qa's overhead look larger than it is.
    st = RecordingSentenceTransformer()
    bench.bench_build(bench.BenchConfig.quick_config(root=root, synthetic_docs=3), st, tmp_path)
    assert st.bare and st.bare == st.built


def test_cold_section_runs_qa_ask_in_a_new_process(fake_index_dir):
    rows, detail = bench.bench_cold(fake_index_dir, "What is Stargate?", 1, 1,
                                    naive_cmd=[sys.executable, "-c", "pass"])
    assert len(detail["qa_s"]) == 1 and rows[0].qa > 0 and rows[0].baseline > 0


def test_synthetic_text_is_zipfian_and_tokens_skip_stopwords(root):
    zipf = bench_data.Zipf(root, size=5000)
    docs = zipf.token_docs(300, DEFAULT_STOPWORDS)
    tokens = np.concatenate(docs)
    assert not set(tokens) & DEFAULT_STOPWORDS
    counts = np.sort(np.unique(tokens, return_counts=True)[1])[::-1]
    assert counts[0] > 10 * counts[50] and (counts == 1).sum() > 100  # a head and a long tail
    assert zipf.text(3).count(".") >= 3


def test_synthetic_vectors_are_unit_length_and_queries_have_near_neighbours():
    docs, queries = bench_data.synthetic_vectors(2000, 10)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-5)
    best = (queries @ docs.T).max(axis=1)
    assert best.min() > 0.5  # unlike uniform random unit vectors (~0.2 in 384 dimensions)


def test_bench_asks_the_seed_questions_or_the_corpus_words(root, tmp_path, fake_index):
    assert bench.load_questions(root)[0] == "How much is Meta spending on AI infrastructure?"
    own = bench.load_questions(tmp_path, fake_index)  # no question set
    assert len(own) == bench.CORPUS_QUESTIONS
    assert all(q and q.split()[0] in fake_index.chunks[i].text for i, q in enumerate(own))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "questions.jsonl").write_text('{"id": "q1"}\n')
    assert bench.load_questions(tmp_path, fake_index) == own


def test_unknown_section_is_a_one_line_error(root, tmp_path):
    run = subprocess.run([sys.executable, "-m", "qa.cli", "bench", "--only", "nope", "--out",
                          str(tmp_path / "b.json")], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip() == ("qa: error: unknown bench section(s) nope; "
                                  "valid: warm, cold, build, scale, hostile, analyzer")
    assert not Path(tmp_path / "b.json").exists()


def test_vector_search_runs_single_threaded_and_restores_the_thread_count(fake_index):
    import faiss

    before = faiss.omp_get_max_threads()
    seen = []
    real = fake_index.vectors.index

    class Spy:  # records how many OpenMP threads the search itself may use
        ntotal, d = real.ntotal, real.d

        def search(self, *args, **kwargs):
            seen.append(faiss.omp_get_max_threads())
            return real.search(*args, **kwargs)

    spied = dataclasses.replace(
        fake_index, vectors=FaissVectorIndex(Spy(), fake_index.vectors.info))
    assert search(spied, "Nvidia market value", SearchSettings(mode="vector"))
    assert seen == [1] and faiss.omp_get_max_threads() == before


def test_analyzer_section_times_the_english_analyzer_next_to_the_simple_one(tmp_path, root):
    config = bench.BenchConfig.quick_config(index_dir=tmp_path / "none", root=root,
                                            out=tmp_path / "bench.json", sections=("analyzer",))
    report = bench.run(config, log=lambda _: None)
    figures = [r["figure"] for r in report["rows"]]
    assert figures[0].startswith("analyzer per query: english vs simple")
    assert figures[1].startswith("analyzer per build: english vs simple")
    assert all(r["qa"] > 0 and r["baseline"] > 0 and r["ratio"] for r in report["rows"])
    assert report["details"]["analyzer"]["chunks"] > 50
