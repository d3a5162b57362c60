"""BEIR layout: reading, indexing from memory, document-level scoring, `qa eval --beir`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.cli import app
from qa.eval.beir import (
    BeirError,
    document_run,
    evaluate_beir,
    open_beir_index,
    read_beir,
    read_corpus,
)
from qa.eval.evaluate import variants_for
from qa.ingest.chunking import Chunk
from qa.search.base import Hit
from tests.fakes import HashEmbedder

TINY = Path(__file__).parents[1] / "data" / "beir_tiny"


@pytest.fixture(scope="module")
def tiny_hash_index_dir(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("beir") / "index"
    open_beir_index(read_beir(TINY), index_dir, embedder=HashEmbedder(), progress=False)
    return index_dir


def hit(source: str, start: int, rank: int) -> Hit:
    c = Chunk(f"{source}#{start}-{start + 10}", source, start, start + 10, "x" * 10)
    return Hit(c, rank, 1.0, 1.0, rank, None, None)


def test_read_beir_fixture():
    data = read_beir(TINY)
    assert data.name == "beir_tiny" and data.split == "test"
    assert len(data.queries) == 10
    assert data.qrels["q1"] == {"d01": 2, "d02": 1}  # header skipped, grades kept
    assert sum(len(v) for v in data.qrels.values()) == 17
    assert len(data.corpus_sha256) == 64


def test_read_corpus_puts_the_title_first():
    docs = read_corpus(TINY, progress=False)
    assert len(docs) == 30
    first = docs[0]
    assert first.source == "d01"
    assert first.title == "Sleep after learning consolidates declarative memory"
    assert first.text.startswith(first.title + "\n")


def test_read_beir_errors_name_the_file(tmp_path):
    with pytest.raises(BeirError, match="no such BEIR directory"):
        read_beir(tmp_path / "absent")
    shutil.copytree(TINY, tmp_path / "ds")
    with pytest.raises(BeirError, match="no qrels for split 'dev'.*splits: test"):
        read_beir(tmp_path / "ds", split="dev")
    (tmp_path / "ds" / "qrels" / "test.tsv").write_text("q-id\tc-id\tscore\nq404\td01\t1\n")
    with pytest.raises(BeirError, match="not in queries.jsonl, e.g. 'q404'"):
        read_beir(tmp_path / "ds")
    (tmp_path / "ds" / "corpus.jsonl").unlink()
    with pytest.raises(BeirError, match="no corpus.jsonl"):
        read_beir(tmp_path / "ds")


def test_document_run_scores_a_document_by_its_best_chunk():
    hits = [hit("d2", 0, 1), hit("d1", 50, 2), hit("d2", 80, 3), hit("q7", 0, 4),
            hit("d3", 0, 5), hit("d1", 0, 6)]
    run = document_run(hits, query_id="q7")
    assert list(run) == ["d2", "d1", "d3"]  # d2 and d1 at their best chunk; q7 itself skipped
    assert list(run.values()) == [3.0, 2.0, 1.0]
    assert list(document_run(hits, depth=2)) == ["d2", "d1"]


def test_beir_index_is_reused_while_the_corpus_is_unchanged(tmp_path):
    shutil.copytree(TINY, tmp_path / "ds")
    data = read_beir(tmp_path / "ds")
    index_dir = tmp_path / "index"
    index, built = open_beir_index(data, index_dir, embedder=HashEmbedder(), progress=False)
    assert built and len(index.documents) == 30
    assert index.manifest["sources"]["corpus.jsonl"]["sha256"] == data.corpus_sha256
    assert index.manifest["inputs"] == ["corpus.jsonl"]
    _, built = open_beir_index(data, index_dir, embedder=HashEmbedder(), progress=False)
    assert not built
    with (tmp_path / "ds" / "corpus.jsonl").open("a") as handle:
        handle.write(json.dumps({"_id": "d31", "title": "Extra", "text": "One more."}) + "\n")
    changed = read_beir(tmp_path / "ds")
    index, built = open_beir_index(changed, index_dir, embedder=HashEmbedder(), progress=False)
    assert built and "d31" in index.documents


def test_evaluate_beir_on_the_fixture(tiny_hash_index_dir):
    from qa.store.index import load_index

    data = read_beir(TINY)
    report = evaluate_beir(load_index(tiny_hash_index_dir), data, variants_for("all"),
                           progress=False)
    modes = report.to_json()["modes"]
    assert list(modes) == ["bm25", "vector", "hybrid"]
    for metrics in modes.values():
        assert set(metrics) >= {"nDCG@10", "R@100", "RR@10"}
    # The fixture's queries share words with their documents: BM25 ranks them high.
    assert modes["bm25"]["nDCG@10"] >= 0.75
    assert modes["bm25"]["RR@10"] >= 0.85
    assert modes["hybrid"]["R@100"] == 1.0  # 30 documents: every one is in the top 100


def test_qa_eval_beir_cli_reuses_the_index(tiny_hash_index_dir):
    result = CliRunner().invoke(app, ["eval", "--beir", str(TINY), "--index-dir",
                                      str(tiny_hash_index_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questions"] == 10
    assert set(data["modes"]) == {"bm25", "vector", "hybrid"}
    assert isinstance(data["failures"], list)
    result = CliRunner().invoke(app, ["eval", "--beir", str(TINY), "--index-dir",
                                      str(tiny_hash_index_dir), "--mode", "bm25"])
    assert result.exit_code == 0, result.output
    assert "BEIR beir_tiny (test): 10 queries" in result.stdout
    result = CliRunner().invoke(app, ["eval", "--beir", str(TINY), "--split", "dev"])
    assert result.exit_code == 2 and "no qrels for split 'dev'" in result.stderr


def test_qa_tune_beir_cli(tiny_hash_index_dir):
    result = CliRunner().invoke(app, ["tune", "--beir", str(TINY), "--index-dir",
                                      str(tiny_hash_index_dir), "--folds", "2", "--repeats",
                                      "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questions"] == 10 and len(data["folds"]) == 4
    assert set(data["before"]) == {"nDCG@10", "R@100", "RR@10"}


@pytest.mark.slow
def test_qa_eval_beir_with_the_real_model(tmp_path):
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(app, ["eval", "--beir", str(TINY), "--index-dir",
                                      str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    modes = json.loads(result.stdout)["modes"]
    assert json.loads((index_dir / "manifest.json").read_text())["model"]["name"] != "hash-64"
    # Several queries paraphrase their documents ("trees cool cities" for "tree canopy"):
    # the real model ranks the judged documents first for nearly all of them.
    assert modes["vector"]["nDCG@10"] >= 0.8
    assert modes["hybrid"]["nDCG@10"] >= 0.8
    assert modes["hybrid"]["RR@10"] >= 0.9
