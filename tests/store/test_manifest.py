"""An index that cannot be steered by editing it, and builds that never replace a user's files.

Each case here was a reproduction: a folder wiped by `--index-dir`, a manifest edited to
switch off checksums, change the model or rebuild from /etc, an input folder or the manifest
deleted."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qa.cli import app
from qa.errors import IndexCorrupt, IndexIncompatible, QAError, SourceError
from qa.store.build import add_to_index, build_index, refresh_index
from qa.store.files import read_manifest
from qa.store.index import load_index
from qa.store.manifest import seal
from tests.fakes import HashEmbedder


def build(workspace, paths=None, index_dir=None):
    index_dir = index_dir or workspace / "index"
    build_index(paths or [workspace / "seeds"], index_dir, root=workspace,
                embedder=HashEmbedder(), progress=False)
    return index_dir


def edit(index_dir, change, *, reseal=False):
    path = index_dir / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(seal(data) if reseal else data))


# --- never replace a folder qa did not write ----------------------------------------------

def test_a_source_folder_is_never_taken_for_the_index(workspace):
    seeds = workspace / "seeds"
    before = sorted(p.name for p in seeds.iterdir())
    with pytest.raises(SourceError, match="is not a qa index"):
        build(workspace, index_dir=seeds)
    assert sorted(p.name for p in seeds.iterdir()) == before


def test_the_project_folder_is_never_taken_for_the_index(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    (workspace / "notes.md").write_text("mine")
    run = CliRunner().invoke(app, ["index", "seeds", "--index-dir", str(workspace)])
    assert run.exit_code == 2 and "is not a qa index" in run.output
    assert (workspace / "notes.md").read_text() == "mine"
    assert (workspace / "seeds").is_dir()


@pytest.mark.parametrize("content", ["file", "folder", "hidden", "link"])
def test_any_foreign_entry_makes_a_folder_not_an_index(workspace, tmp_path, content):
    target = workspace / "out"
    target.mkdir()
    if content == "file":
        (target / "report.docx").write_bytes(b"x")
    elif content == "folder":
        (target / "chunks.jsonl").mkdir()  # an index's name, but a folder
    elif content == "hidden":
        (target / ".git").write_text("x")
    else:
        (target / "documents.jsonl").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SourceError, match="not a qa index"):
        build(workspace, index_dir=target)
    assert any(target.iterdir())


def test_an_empty_folder_or_an_existing_index_is_fine(workspace):
    target = workspace / "empty"
    target.mkdir()
    build(workspace, index_dir=target)
    build(workspace, index_dir=target)  # replacing its own index
    assert load_index(target).manifest["counts"]["documents"] == 5


def test_a_symlinked_index_dir_is_refused(workspace, tmp_path):
    real = tmp_path / "real-index"
    real.mkdir()
    (workspace / "linked").symlink_to(real)
    with pytest.raises(SourceError, match="symbolic link"):
        build(workspace, index_dir=workspace / "linked")
    assert (workspace / "linked").is_symlink()


def test_every_writer_is_guarded(workspace, tmp_path):
    """`qa add`, uploads and `qa eval --beir` build through the same guarded builder."""
    from qa.eval.beir import open_beir_index, read_beir
    from qa.web.uploads import LiveIndex
    from tests.conftest import ROOT

    seeds = workspace / "seeds"
    before = sorted(p.name for p in seeds.iterdir())
    with pytest.raises(QAError):
        add_to_index([workspace / "seeds"], seeds, embedder=HashEmbedder(), progress=False)
    data = read_beir(ROOT / "tests" / "data" / "beir_tiny")
    with pytest.raises(SourceError, match="not a qa index"):
        open_beir_index(data, seeds, embedder=HashEmbedder(), progress=False)
    # An upload into a live index whose folder was swapped for a foreign one.
    index_dir = build(workspace)
    live = LiveIndex(load_index(index_dir), embedder=HashEmbedder())
    for path in index_dir.iterdir():
        path.unlink()
    (index_dir / "mine.txt").write_text("mine")
    upload = workspace / "up.txt"
    upload.write_text("Quux Corp will invest $2 billion in tidal power.\n")
    with pytest.raises(QAError):
        live.add_upload(upload)
    assert (index_dir / "mine.txt").read_text() == "mine"
    assert sorted(p.name for p in seeds.iterdir()) == before


def test_no_lock_or_temporary_file_is_left_beside_the_index(workspace):
    build(workspace, index_dir=workspace / "out" / "index")
    assert [p.name for p in (workspace / "out").iterdir()] == ["index"]


# --- the manifest is checked, not trusted -------------------------------------------------

@pytest.mark.parametrize("change", [
    lambda m: m.__setitem__("files", {}),  # switched every checksum off
    lambda m: m["model"].__setitem__("name", "hash-x"),  # another encoder
    lambda m: m.__setitem__("inputs", ["/etc"]),  # a rebuild from elsewhere
    lambda m: m["bm25"].__setitem__("k1", 3.0),
    lambda m: m.__setitem__("created", "yesterday"),
])
def test_an_edited_manifest_is_refused(workspace, change):
    index_dir = build(workspace)
    edit(index_dir, change)
    for read in (load_index, read_manifest):
        with pytest.raises(IndexCorrupt, match="edited"):
            read(index_dir)


def test_an_edited_manifest_is_never_rebuilt_from(workspace, monkeypatch):
    index_dir = build(workspace)
    elsewhere = workspace / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("The launch code is 0000.")
    edit(index_dir, lambda m: m.__setitem__("inputs", [str(elsewhere)]))
    monkeypatch.chdir(workspace)
    for args in (["index", "--if-stale"], ["index"], ["ask", "launch code?"],
                 ["add", "seeds"]):
        run = CliRunner().invoke(app, [*args, "--index-dir", str(index_dir)])
        assert run.exit_code == 2, (args, run.output)
        assert "edited" in run.output and "Traceback" not in run.output
    docs = (index_dir / "documents.jsonl").read_text()
    assert "launch code" not in docs


@pytest.mark.parametrize("text", [
    "[1,2,3]", '{"format":1}', "null", '{"format": 2}', "1e999", "", "\xff\xfe", '"x"',
    '{"format": 2, "files": null}', '{"format": 2, "inputs": 7}', "[" * 100_000,
])
def test_malformed_manifests_are_one_line_errors(workspace, text):
    index_dir = build(workspace)
    (index_dir / "manifest.json").write_bytes(text.encode("utf-8", "surrogateescape")
                                              if text != "\xff\xfe" else b"\xff\xfe")
    with pytest.raises((IndexCorrupt, IndexIncompatible)) as caught:
        load_index(index_dir)
    assert "\n" not in str(caught.value) and "qa index" in str(caught.value)


@pytest.mark.parametrize("field", ["stopwords", "dim", "k1", "sources", "mtime"])
def test_wrong_types_are_refused_even_when_resealed(workspace, field):
    """A manifest with a valid checksum but the wrong shape (another tool, a bug) is
    refused by the schema before anything uses it."""
    index_dir = build(workspace)
    changes = {
        "stopwords": lambda m: m["bm25"].__setitem__("stopwords", 5),
        "dim": lambda m: m["model"].__setitem__("dim", -3),
        "k1": lambda m: m["bm25"].__setitem__("k1", None),
        "sources": lambda m: m.__setitem__("sources", []),
        "mtime": lambda m: next(iter(m["sources"].values())).__setitem__("mtime_ns", "now"),
    }
    with pytest.raises(ValueError):
        edit(index_dir, changes[field], reseal=True)  # qa never writes such a manifest


def test_random_bit_flips_never_give_a_traceback(workspace):
    index_dir = build(workspace)
    path = index_dir / "manifest.json"
    original = path.read_bytes()
    rng = random.Random(7)
    for _ in range(300):
        data = bytearray(original)
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << (bit % 8)
        path.write_bytes(bytes(data))
        try:
            load_index(index_dir)
        except QAError as exc:
            assert "\n" not in str(exc)
        # A flip inside JSON whitespace can leave the manifest intact and loadable.
    path.write_bytes(original)
    assert load_index(index_dir).manifest["counts"]["documents"] == 5


# --- an intact index stays usable -----------------------------------------------------

def _with_extra_folder(workspace):
    """An index of the seeds plus a second input folder: (that folder, the index)."""
    extra = workspace / "extra"
    extra.mkdir()
    (extra / "note.txt").write_text("Zorblax will spend $9 billion on a lunar factory.\n")
    return extra, build(workspace, [workspace / "seeds", extra])


def test_a_deleted_input_folder_does_not_break_ask_or_add(workspace, monkeypatch):
    extra, index_dir = _with_extra_folder(workspace)
    (extra / "note.txt").unlink()
    extra.rmdir()
    monkeypatch.chdir(workspace)
    run = CliRunner().invoke(app, ["ask", "How much will Zorblax spend?", "--json",
                                   "--index-dir", str(index_dir)])
    assert run.exit_code == 0, run.output
    assert run.output.count("stale") == 1  # said once, and the index answers as built
    assert "extra/note.txt" in run.output
    new = workspace / "new.txt"
    new.write_text("Quux Corp will invest $2 billion in tidal power.\n")
    report = add_to_index([new], index_dir, embedder=HashEmbedder(), progress=False)
    assert report.left_out == ("extra",)
    assert "new.txt" in load_index(index_dir).documents


def test_a_lost_manifest_is_never_rebuilt_from_the_default_sources(workspace, monkeypatch):
    extra, index_dir = _with_extra_folder(workspace)
    (index_dir / "manifest.json").unlink()
    monkeypatch.chdir(workspace)
    for args in (["index", "--if-stale"], ["index"]):
        run = CliRunner().invoke(app, [*args, "--index-dir", str(index_dir)])
        assert run.exit_code == 2 and "lost its manifest.json" in run.output
    with pytest.raises(IndexCorrupt):
        refresh_index(index_dir)
    # Naming the sources rebuilds it.
    build(workspace, [workspace / "seeds", extra], index_dir)
    assert "extra/note.txt" in load_index(index_dir).documents


# --- the command line: one line, exit 2 ---------------------------------------------

def qa(*args, cwd, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("args", [
    ["ask", "x", "--k", "abc"], ["ask"], ["--bogus"], ["index", "--nope"], ["ask", "x", "--k"],
])
def test_usage_errors_are_one_line(tmp_path, args):
    run = qa(*args, cwd=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 2
    assert err.startswith("qa: error: ") and err.count("\n") == 1, err


def test_invalid_utf8_on_stdin_is_reported_per_line(workspace):
    index_dir = build(workspace)
    stdin = b"How much is Meta spending?\n" + b"\xff\xfe bad\n" + b"Who is the CEO?\n"
    run = qa("ask", "-", "--json", "--index-dir", str(index_dir), cwd=workspace, stdin=stdin,
             env={"PYTHONIOENCODING": "utf-8"})
    err = run.stderr.decode()
    assert run.returncode == 2 and "Traceback" not in err
    assert "line 2 of standard input is not UTF-8" in err
    assert len(run.stdout.decode().splitlines()) == 2  # the good lines were answered


def test_a_manifest_from_before_a_field_existed_loads_with_its_default(workspace):
    """Fields added later (which backend wrote the vectors) have defaults, so an index built
    before them still loads instead of failing with a KeyError."""
    index_dir = build(workspace)

    def drop(m):
        del m["vectors"]["backend"], m["bm25"]["backend"]

    edit(index_dir, drop, reseal=True)
    index = load_index(index_dir)
    assert index.manifest["vectors"]["backend"] == "faiss"
    assert index.manifest["bm25"]["backend"] == "bm25"


def test_an_index_of_an_older_qa_says_how_to_rebuild_it(workspace, monkeypatch):
    """`qa index` cannot refresh from a manifest it cannot verify, so the message names the
    sources the old manifest recorded for the user to type, instead of a loop of
    "rebuild with qa index"."""
    index_dir = build(workspace)
    path = index_dir / "manifest.json"
    old = json.loads(path.read_text())
    old.update(format=1, inputs=["seeds", "uploads"])
    del old["checksum"]
    path.write_text(json.dumps(old))
    monkeypatch.chdir(workspace)
    for args in (["index", "--if-stale"], ["index"], ["ask", "who?"]):
        run = CliRunner().invoke(app, [*args, "--index-dir", str(index_dir)])
        assert run.exit_code == 2
        assert f"qa index seeds uploads --index-dir {index_dir}" in run.output
    assert json.loads(path.read_text())["format"] == 1  # nothing was rebuilt


def test_a_refresh_of_an_index_with_an_unknown_model_uses_this_qas(workspace, monkeypatch):
    """`qa index` refreshes a verified index whose model this qa does not have with its own
    model, rather than answering "rebuild with qa index" forever."""
    import qa.embed.embedding as embedding

    index_dir = build(workspace)
    edit(index_dir, lambda m: m["model"].__setitem__("name", "gone/model"), reseal=True)
    with pytest.raises(IndexIncompatible, match="gone/model"):
        load_index(index_dir)
    monkeypatch.setattr(embedding, "MODEL_NAME", "hash-64")  # stands in for this qa's model
    report = refresh_index(index_dir, progress=False)
    assert report.documents == 5
    assert load_index(index_dir).manifest["model"]["name"] == "hash-64"
