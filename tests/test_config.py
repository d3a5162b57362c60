"""One Settings object: defaults in code, the shipped search defaults, qa.toml, CLI flags;
the build settings recorded in the manifest and a change to them making the index stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from qa.config import (
    BM25Params,
    ChunkerConfig,
    FusionDefaults,
    Settings,
    load_defaults,
    load_settings,
    write_defaults,
)
from qa.search.base import SearchSettings
from qa.store.build import build_index
from qa.store.files import read_manifest
from qa.store.staleness import check_staleness
from tests.fakes import HashEmbedder


def qa(*args, cwd):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=dict(os.environ), timeout=120)


def test_defaults_come_from_code_and_the_shipped_search_defaults(tmp_path):
    settings = load_settings(tmp_path / "qa.toml")
    assert settings.chunker == ChunkerConfig() and settings.bm25 == BM25Params()
    assert settings.search == load_defaults()
    assert settings.index.vectors == "faiss" and settings.index.lexical == "bm25"


def test_qa_toml_then_flags_override_by_section(tmp_path):
    toml = tmp_path / "qa.toml"
    toml.write_text('[chunker]\nmax_chars = 800\n[bm25]\nk1 = 1.2\n[search]\nfusion = "rrf"\n')
    settings = load_settings(toml, overrides={"chunker": {"max_chars": 400, "overlap": None}})
    assert settings.chunker == ChunkerConfig(max_chars=400, overlap=1)  # flag over file
    assert settings.bm25 == BM25Params(k1=1.2)
    assert settings.search.fusion == "rrf" and settings.search.alpha == load_defaults().alpha


@pytest.mark.parametrize("text, message", [
    ("[chunkr]\nmax_chars = 5\n", "unknown table(s) chunkr; valid: [chunker], [bm25]"),
    ("[chunker]\nsize = 5\n", "unknown [chunker] setting(s) size; valid: max_chars, overlap"),
    ("[chunker]\nmax_chars = 10\n", "max_chars must be an integer of at least 50"),
    ("[bm25]\nk1 = inf\n", "k1 must be a positive number"),
    ("[search]\nfusion = \"best\"\n", "unknown fusion 'best'; valid: rrf, weighted"),
    ("[chunker\n", "is not valid TOML"),
    ("search = 3\n", "unknown table(s) search"),
])
def test_a_bad_qa_toml_is_one_message_naming_the_file(tmp_path, text, message):
    toml = tmp_path / "qa.toml"
    toml.write_text(text)
    with pytest.raises(ValueError) as caught:
        load_settings(toml)
    assert str(toml) in str(caught.value) and message in str(caught.value)


def test_an_unknown_flag_section_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid: chunker, bm25, search, index"):
        Settings().with_overrides({"chunks": {"max_chars": 500}})


def test_the_build_records_its_settings_and_a_change_makes_it_stale(workspace):
    index_dir = workspace / "index"
    settings = Settings(chunker=ChunkerConfig(max_chars=500), bm25=BM25Params(k1=1.2))
    build_index([workspace / "seeds"], index_dir, root=workspace, settings=settings,
                embedder=HashEmbedder(), progress=False)
    manifest = read_manifest(index_dir)
    assert manifest["chunker"]["max_chars"] == 500 and manifest["bm25"]["k1"] == 1.2
    assert manifest["vectors"]["backend"] == "faiss" and manifest["bm25"]["backend"] == "bm25"
    assert not check_staleness(index_dir, manifest, settings).stale
    staleness = check_staleness(index_dir, manifest, Settings())
    assert staleness.stale and staleness.settings == ("chunker.max_chars", "bm25.k1")


def test_qa_index_takes_flags_and_qa_toml_and_rebuilds_when_they_change(workspace):
    build_index([workspace / "seeds"], workspace / "index", root=workspace,
                embedder=HashEmbedder(), progress=False)
    run = qa("index", "--if-stale", cwd=workspace)
    assert run.returncode == 0 and "up to date" in run.stdout, run.stderr
    (workspace / "qa.toml").write_text("[chunker]\nmax_chars = 900\n")
    status = qa("index", "--status", cwd=workspace)
    assert "settings: chunker.max_chars" in status.stdout, status.stderr
    run = qa("index", "--if-stale", cwd=workspace)
    assert run.returncode == 0 and "indexed" in run.stdout, run.stderr
    assert read_manifest(workspace / "index")["chunker"]["max_chars"] == 900
    run = qa("index", "--if-stale", "--chunk-chars", "700", "--chunk-overlap", "0",
             cwd=workspace)
    assert run.returncode == 0, run.stderr
    assert read_manifest(workspace / "index")["chunker"] == {
        "max_chars": 700, "overlap": 0, "version": ChunkerConfig().version, "title": True}


def test_bad_settings_on_the_command_line_are_one_line(workspace):
    (workspace / "qa.toml").write_text("[chunker]\nmax_chars = 'big'\n")
    run = qa("index", "--status", cwd=workspace)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "qa.toml" in run.stderr and "max_chars" in run.stderr
    (workspace / "qa.toml").unlink()
    run = qa("ask", "who?", "--fusion", "best", cwd=Path(workspace))
    assert run.returncode == 2 and "valid" in run.stderr and run.stderr.count("\n") == 1


@pytest.mark.slow
def test_search_flags_reach_the_ranking(seed_index_dir, tmp_path):
    runs = {}
    for fusion in ("rrf", "weighted"):
        run = qa("ask", "How much will Meta spend on AI infrastructure?", "--json",
                 "--fusion", fusion, "--alpha", "0.3", "--index-dir", str(seed_index_dir),
                 cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        runs[fusion] = [p["score"] for p in json.loads(run.stdout)["passages"]]
    assert runs["rrf"] != runs["weighted"] and max(runs["rrf"]) < 0.1  # RRF scores are small


def test_fusion_defaults_are_validated():
    with pytest.raises(ValueError, match="alpha must be within"):
        FusionDefaults(alpha=2)


def test_alpha_max_is_validated_read_from_qa_toml_and_left_out_when_none(tmp_path):
    with pytest.raises(ValueError, match="alpha_max must be within"):
        FusionDefaults(alpha_max=1.5)
    (tmp_path / "qa.toml").write_text("[search]\nalpha = 0.5\nalpha_max = 0.8\n")
    search = load_settings(tmp_path / "qa.toml").search
    assert (search.alpha, search.alpha_max) == (0.5, 0.8)
    written = write_defaults(FusionDefaults(fusion="weighted", alpha=0.7, alpha_max=None),
                             tmp_path / "written.toml")
    text = written.read_text()
    assert "alpha = 0.7" in text and "alpha_max = 0.7" in text and "null" not in text
    fixed = SearchSettings(**{k: v for k, v in asdict(load_settings(written).search).items()})
    assert fixed.alpha_max == fixed.alpha == 0.7  # the shipped alpha_max does not come back
