"""An index built into another backend through the registry alone: the settings name it,
the manifest records it, loading picks it, and the answers are the same."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from qa.answer import ask
from qa.config import Backends, Settings
from qa.errors import IndexIncompatible
from qa.store.build import build_index
from qa.store.files import read_manifest
from qa.store.index import load_index
from tests.fakes import HashEmbedder, NumpyVectorIndex

QUESTIONS = ["How much will Meta spend on AI infrastructure?", "Who founded OpenAI?",
             "What is the capital of Peru?"]


def build(workspace, name: str, vectors: str):
    index_dir = workspace / name
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                settings=Settings(index=Backends(vectors=vectors)), progress=False)
    return index_dir


def test_a_plugin_backend_gives_the_same_answers_as_faiss(workspace):
    faiss_index = load_index(build(workspace, "a", "faiss"))
    other_dir = build(workspace, "b", "numpy-exact")
    manifest = read_manifest(other_dir)
    assert manifest["vectors"]["backend"] == "numpy-exact"
    assert NumpyVectorIndex.FILE in manifest["files"] and "vectors.faiss" not in manifest["files"]
    other = load_index(other_dir)
    assert isinstance(other.vectors, NumpyVectorIndex)
    for question in QUESTIONS:
        a, b = ask(faiss_index, question), ask(other, question)
        assert [h.chunk.id for h in a.hits] == [h.chunk.id for h in b.hits]
        np.testing.assert_allclose([h.score for h in a.hits], [h.score for h in b.hits],
                                   atol=1e-6)
        assert a.answer == b.answer


def test_an_unknown_backend_is_one_line_listing_the_known_ones(workspace):
    with pytest.raises(IndexIncompatible, match="known: .*faiss.*numpy-exact"):
        build(workspace, "c", "nope")
    assert not (workspace / "c").exists()


def test_qa_toml_chooses_the_backend_for_the_command_line(workspace):
    (workspace / "qa.toml").write_text('[index]\nvectors = "numpy-exact"\n')
    build_index([workspace / "seeds"], workspace / "index", root=workspace,
                embedder=HashEmbedder(), progress=False)  # qa.toml of the tests' folder
    env = {**os.environ}
    run = subprocess.run([sys.executable, "-m", "qa.cli", "index", "--if-stale"],
                         cwd=workspace, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert read_manifest(workspace / "index")["vectors"]["backend"] == "numpy-exact"
    run = subprocess.run([sys.executable, "-m", "qa.cli", "ask", QUESTIONS[0], "--json"],
                         cwd=workspace, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0 and '"passages"' in run.stdout, run.stderr


def test_entities_are_found_at_build_time_stored_and_reused(workspace):
    index_dir = build(workspace, "e", "faiss")
    index = load_index(index_dir)
    assert index.manifest["ner"] and "entities.jsonl" in index.manifest["files"]
    for source, found in index.entities.items():
        text = index.documents[source].text
        assert all(text[a:b].strip() and kind.isupper() for a, b, kind in found)
    assert sum(map(len, index.entities.values())) > 100
    without = Settings(index=Backends(entities=False))
    build_index([workspace / "seeds"], workspace / "f", root=workspace,
                embedder=HashEmbedder(), settings=without, progress=False)
    bare = load_index(workspace / "f")
    assert bare.manifest["ner"] is None and bare.entities == {}
    assert "entities.jsonl" not in bare.manifest["files"]
