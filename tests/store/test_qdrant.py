"""Qdrant as the index: the same rankings and answers as the local index, settings that
choose it, and an ingest that resumes after `kill -9` to the same collection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.answer import ask
from qa.backends.qdrant import QdrantLexicalIndex, QdrantVectorIndex
from qa.backends.qdrant_engine import close_engines, parse_target
from qa.config import Backends, Settings
from qa.eval.evaluate import evaluate
from qa.eval.metrics import variants_for
from qa.eval.question_sets import load_questions
from qa.search.base import SearchSettings
from qa.search.hybrid import rank_chunks
from qa.store.build import build_index
from qa.store.files import read_manifest
from qa.store.index import load_index
from qa.store.staleness import check_staleness
from qa.types import Mode
from tests.fakes import HashEmbedder
from tests.qdrant_support import KINDS, rebuilt_in

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "seeds" / "questions.jsonl"


def questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines()]


@pytest.fixture(scope="module", params=sorted(KINDS))
def fake_pair(request, fake_index, fake_index_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    return fake_index, load_index(rebuilt_in(request.param, fake_index_dir, folder,
                                             HashEmbedder()))


def tie_aware(a_ids, a_scores, b_ids, b_scores, tol: float) -> None:
    """The same chunks in the same order, except that chunks whose scores are within
    float32 noise (`tol`) may trade places (the hash embedder makes such near-ties)."""
    n = len(b_ids)  # `a` runs deeper, so a tie across the cut still finds its partner
    np.testing.assert_allclose(a_scores[:n], b_scores, atol=tol)
    position = {int(c): p for p, c in enumerate(a_ids)}
    for p, c in enumerate(b_ids):
        q = position.get(int(c))
        assert q is not None and abs(a_scores[p] - a_scores[q]) <= tol, (p, c)


def test_a_qdrant_build_records_where_it_runs_and_loads_qdrant_indexes(fake_pair):
    local, other = fake_pair
    assert isinstance(other.vectors, QdrantVectorIndex)
    assert isinstance(other.bm25, QdrantLexicalIndex)
    record = other.manifest["vectors"]
    assert record["backend"] == other.manifest["bm25"]["backend"] == "qdrant"
    assert record["where"].startswith("qdrant") and record["count"] == len(local.chunks)
    assert "vectors.faiss" not in other.manifest["files"]
    assert len(other.vectors) == len(local.chunks)
    np.testing.assert_allclose(other.vectors.vectors(), local.vectors.vectors(), atol=1e-6)


def test_the_fake_seed_index_ranks_and_answers_the_same(fake_pair):
    local, other = fake_pair
    for question in questions():  # hybrid: both sides, fused (the seed test does each mode)
        a, b = (rank_chunks(i, question, SearchSettings()) for i in (local, other))
        np.testing.assert_allclose(other.bm25.scores(other.tokenize(question)),
                                   local.bm25.scores(local.tokenize(question)), atol=1e-6)
        tie_aware(a.ids[:20], a.score[:20], b.ids[:10], b.score[:10], 1e-5)
    for question in questions()[:20]:
        a, b = ask(local, question), ask(other, question)
        assert (a.answer is None) == (b.answer is None)
        if a.answer is not None:
            assert (a.answer.text, a.answer.start) == (b.answer.text, b.answer.start)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_seed_question_ranks_the_same_in_every_backend(kind, seed_index,
                                                             seed_index_dir, tmp_path):
    """The real model on the seeds: same chunk ids in the same order, scores within 1e-5,
    in every mode, for all 107 questions; and the same `qa eval` figures."""
    other = load_index(rebuilt_in(kind, seed_index_dir, tmp_path))
    for question in questions():
        for mode in Mode:
            a, b = (rank_chunks(i, question, SearchSettings(mode=mode))
                    for i in (seed_index, other))
            assert a.ids.tolist() == b.ids.tolist(), (kind, mode, question)
            np.testing.assert_allclose(a.score, b.score, atol=1e-5)
            np.testing.assert_allclose(a.bm25, b.bm25, atol=1e-6)
    if kind == "qdrant-edge":  # the client's local mode is pure Python: rankings suffice
        gold = load_questions(QUESTIONS)
        for mode, answers in (("all", False), ("hybrid", True)):  # answers: from hybrid
            a, b = (evaluate(i, gold, variants_for(mode), answers=answers, progress=False)
                    for i in (seed_index, other))
            assert a.modes == b.modes and a.failures == b.failures


def test_the_backend_setting_is_recorded_and_a_change_makes_the_index_stale(fake_pair):
    _, other = fake_pair
    record = other.manifest["vectors"]
    same = Settings(index=Backends(backend=record["where"], collection=record["collection"]))
    assert not check_staleness(other.directory, settings=same).settings
    assert "index.backend" in check_staleness(other.directory, settings=Settings()).settings


def test_bad_backends_are_one_line_errors_listing_the_valid_forms(workspace):
    with pytest.raises(ValueError, match="valid: local, qdrant-edge:PATH, qdrant:http"):
        Backends(backend="milvus:somewhere")
    with pytest.raises(ValueError, match="valid: local, qdrant-edge:PATH"):
        parse_target("qdrant:ftp://host")
    assert parse_target("qdrant:local:rel").where == str(workspace.cwd() / "rel")
    assert parse_target("qdrant:https://q.example:6333", shards=6).shards == 6
    with pytest.raises(ValueError, match="shards must be a positive integer"):
        Backends(backend="qdrant:http://localhost:6333", shards=0)
    with pytest.raises(ValueError, match="--ray embeds for a Qdrant build"):
        build_index([workspace / "seeds"], workspace / "index", root=workspace,
                    embedder=HashEmbedder(), progress=False, ray="ray://nowhere:10001")
    foreign = workspace / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="is not a Qdrant Edge shard"):
        build_index([workspace / "seeds"], workspace / "index", root=workspace,
                    embedder=HashEmbedder(), progress=False,
                    settings=Settings(index=Backends(backend=f"qdrant-edge:{foreign}")))
    assert (foreign / "notes.txt").read_text() == "mine"  # never touched


INGEST = """
import os, signal, sys
from pathlib import Path
import tests.fakes
from tests.fakes import HashEmbedder
from tests.qdrant_support import KINDS, rebuilt_in
from qa.backends.analyzers import ANALYZERS
from qa.config import Backends, BM25Params, ChunkerConfig
from qa.types import Analyzer
from qa.ingest.chunking import chunk_documents, indexed_texts
from qa.ingest.sources import load_documents
from qa.store.scale import ingest

shard, folder, kill_after = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
docs = load_documents([Path(sys.argv[4]) / "seeds"], Path(sys.argv[4]))
chunks = chunk_documents([(d.source, d.text) for d in docs], ChunkerConfig())
indexed = indexed_texts(chunks, {d.source: d.title for d in docs}, ChunkerConfig())
model = HashEmbedder()

def after(done):
    if kill_after and done >= kill_after:
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no flush: a real crash

folder.mkdir(exist_ok=True)
report = ingest(folder, chunks, indexed, Backends(backend="qdrant-edge:" + shard), BM25Params(),
                ANALYZERS[Analyzer.ENGLISH],
                {"name": model.name, "dim": model.dim, "sha256": "0" * 64},
                lambda texts: model.encode(texts), {}, batch=16, after_batch=after)
print(len(chunks), report.embedded)
"""


def _ingest(tmp_path: Path, shard: str, kill_after: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", INGEST, str(tmp_path / shard),
                           str(tmp_path / f"{shard}-files"), str(kill_after), str(ROOT)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _points(path: Path) -> dict[str, tuple]:
    import qdrant_edge as q

    shard = q.EdgeShard.load(str(path))
    try:
        records, offset = shard.scroll(q.ScrollRequest(limit=100_000, with_payload=True,
                                                       with_vector=True))
        assert offset is None
        return {str(r.id): (json.dumps(r.payload, sort_keys=True), r.vector["dense"],
                            r.vector["bm25"].indices, r.vector["bm25"].values)
                for r in records}
    finally:
        shard.close()


def test_a_killed_ingest_rerun_ends_with_the_same_collection(tmp_path):
    killed = _ingest(tmp_path, "resumed", kill_after=48)
    assert killed.returncode == -9, killed.stderr
    rerun = _ingest(tmp_path, "resumed", kill_after=0)
    assert rerun.returncode == 0, rerun.stderr
    chunks, embedded = map(int, rerun.stdout.split())
    assert embedded == chunks - 48  # the batches the killed run finished were kept
    whole = _ingest(tmp_path, "whole", kill_after=0)
    assert whole.returncode == 0 and whole.stdout.split() == [str(chunks)] * 2, whole.stderr
    resumed, uninterrupted = _points(tmp_path / "resumed"), _points(tmp_path / "whole")
    assert len(resumed) == chunks and resumed == uninterrupted
    for name in ("qdrant_bm25.json", "qdrant_vocab.json", "qdrant_idf.npy"):
        assert ((tmp_path / "resumed-files" / name).read_bytes()
                == (tmp_path / "whole-files" / name).read_bytes())


@pytest.mark.slow
def test_ray_embeds_the_same_collection_as_a_local_ingest(workspace):
    """`--ray`: the embed step as a Ray Data job, here on a local Ray instance started for
    the test (Ray's "local" address) instead of a cluster."""
    ray = pytest.importorskip("ray")
    collections = {}
    try:
        for name, address in (("here", None), ("ray", "local")):
            shard = workspace / f"shard-{name}"
            build_index([workspace / "seeds"], workspace / f"index-{name}", root=workspace,
                        embedder=HashEmbedder(), progress=False, ray=address,
                        settings=Settings(index=Backends(backend=f"qdrant-edge:{shard}",
                                                         entities=False)))
            close_engines()
            collections[name] = _points(shard)
    finally:
        ray.shutdown()
    chunks = read_manifest(workspace / "index-ray")["counts"]["chunks"]
    assert len(collections["ray"]) == chunks > 50 and collections["ray"] == collections["here"]


def test_the_command_line_moves_an_index_to_qdrant_and_asks_it(workspace):
    build_index([workspace / "seeds"], workspace / "index", root=workspace,
                embedder=HashEmbedder(), progress=False)
    shard = workspace / "shard"

    def qa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=workspace,
                              capture_output=True, text=True, timeout=300)

    bad = qa("index", "--if-stale", "--backend", "milvus:x")
    assert bad.returncode == 2 and "valid: local, qdrant-edge:PATH" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    moved = qa("index", "--if-stale", "--backend", f"qdrant-edge:{shard}")
    assert moved.returncode == 0, moved.stderr
    assert read_manifest(workspace / "index")["vectors"]["where"] == f"qdrant-edge:{shard}"
    asked = qa("ask", "How much will Meta spend on AI infrastructure?", "--json")
    assert asked.returncode == 0 and json.loads(asked.stdout)["passages"], asked.stderr
