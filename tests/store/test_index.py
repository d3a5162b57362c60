"""The on-disk index: manifest, checksums, staleness, atomic replacement, reuse."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil

import pytest

from qa.backends.protocols import VECTOR_BACKENDS
from qa.config import BM25Params, ChunkerConfig
from qa.errors import IndexCorrupt, IndexIncompatible, IndexMissing, SourceError
from qa.ingest.chunking import chunk_documents
from qa.store.build import build_index
from qa.store.index import load_index
from qa.store.manifest import FORMAT_VERSION, seal, write_manifest
from qa.store.staleness import check_staleness
from tests.fakes import HashEmbedder


def build(workspace, index_dir=None, **kwargs):
    index_dir = index_dir or workspace / "index"
    report = build_index([workspace / "seeds"], index_dir, root=workspace,
                         embedder=HashEmbedder(), progress=False, **kwargs)
    return index_dir, report


def test_manifest_records_everything_the_query_side_needs(fake_index):
    m = fake_index.manifest
    assert m["format"] == FORMAT_VERSION
    assert m["model"]["name"] == "hash-64" and m["model"]["dim"] == 64
    assert m["chunker"]["max_chars"] > 0 and "overlap" in m["chunker"]
    assert m["bm25"]["k1"] == BM25Params().k1 and m["bm25"]["tokenizer"]
    assert len(m["bm25"]["stopwords"]) > 30
    assert m["bm25"]["analyzer"] == "english"  # the default: it won held out (README)
    assert len(m["sources"]) == 5
    assert all(len(s["sha256"]) == 64 for s in m["sources"].values())
    assert {"documents.jsonl", "chunks.jsonl", "vectors.faiss"} <= set(m["files"])
    assert m["counts"]["documents"] == 5 and m["counts"]["chunks"] == len(fake_index.chunks)


def test_no_pickle_files_and_arrays_load_without_pickle(fake_index_dir):
    import numpy as np

    for path in fake_index_dir.iterdir():
        assert path.suffix not in {".pkl", ".pickle"}
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)


def test_an_index_loads_from_a_path_given_as_a_string(fake_index, fake_index_dir):
    # Python users write load_index("index"); it used to fail deep inside with an
    # AttributeError on str.
    loaded = load_index(str(fake_index_dir))
    assert loaded.chunks == fake_index.chunks and loaded.manifest == fake_index.manifest


def test_loaded_chunks_are_the_chunkers_chunks_stored_by_place(fake_index, fake_index_dir):
    docs = fake_index.documents
    chunked = chunk_documents([(s, d.text) for s, d in docs.items()], ChunkerConfig())
    assert all(docs[c.source].text[c.start:c.end] == c.text for c in chunked)
    assert fake_index.chunks == chunked
    rows = [json.loads(line) for line in (fake_index_dir / "chunks.jsonl").open()]
    assert rows and all(set(row) == {"id", "source", "start", "end"} for row in rows)


def test_an_index_whose_chunks_carry_their_text_still_loads(workspace):
    index_dir, _ = build(workspace)
    index = load_index(index_dir)
    path = index_dir / "chunks.jsonl"  # as indexes were written before chunks lost their text
    path.write_text("".join(json.dumps(dataclasses.asdict(c)) + "\n" for c in index.chunks))
    manifest_path = index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["checksum"]
    manifest["files"]["chunks.jsonl"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(seal(manifest)))
    assert load_index(index_dir).chunks == index.chunks


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="qa index"):
        load_index(tmp_path / "nothing")


def test_format_or_model_mismatch_is_refused(workspace):
    index_dir, _ = build(workspace)
    manifest_path = index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format"] = 999
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexIncompatible, match="format"):
        load_index(index_dir)
    manifest["format"] = FORMAT_VERSION
    manifest["model"]["name"] = "some/other-model"  # as another qa would have written it
    manifest_path.write_text(json.dumps(seal(manifest)))
    with pytest.raises(IndexIncompatible, match="other-model"):
        load_index(index_dir)


@pytest.mark.parametrize("name", ["chunks.jsonl", "vectors.faiss", "bm25_weights.npy"])
def test_truncated_or_edited_files_are_detected_before_loading(workspace, name):
    index_dir, _ = build(workspace)
    path = index_dir / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorrupt, match=name):
        load_index(index_dir)


def test_staleness_detects_added_changed_and_removed_sources(workspace):
    index_dir, _ = build(workspace)
    assert not check_staleness(index_dir).stale
    seeds = workspace / "seeds"
    (seeds / "new.md").write_text("# New\n\nA new document about Tesla.\n")
    first = sorted(seeds.glob("000_*.txt"))[0]
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    sorted(seeds.glob("004_*.txt"))[0].unlink()
    staleness = check_staleness(index_dir)
    assert staleness.added == ("seeds/new.md",)
    assert staleness.changed == (f"seeds/{first.name}",)
    assert staleness.removed == ("seeds/004_f577ec4ace4f0d8b.txt",)


def test_an_index_whose_text_was_cleaned_by_other_rules_is_stale(workspace):
    index_dir, _ = build(workspace)
    manifest = json.loads((index_dir / "manifest.json").read_text())
    write_manifest(index_dir, {**{k: v for k, v in manifest.items() if k != "checksum"},
                               "cleaner": "qa-clean-0"})
    assert check_staleness(index_dir).settings == ("text",)


def test_touching_a_file_without_changing_it_is_not_stale(workspace):
    index_dir, _ = build(workspace)
    path = sorted((workspace / "seeds").glob("*.txt"))[0]
    path.write_bytes(path.read_bytes())
    assert not check_staleness(index_dir).stale


def test_rebuild_reuses_vectors_of_unchanged_chunks(workspace):
    index_dir, first = build(workspace)
    assert first.reused == 0 and first.embedded > 0
    (workspace / "seeds" / "extra.txt").write_text("An extra note. It mentions Nvidia.")
    _, second = build(workspace, index_dir)
    assert second.chunks == first.chunks + 1
    assert second.embedded == 1 and second.reused == first.chunks


def test_failed_build_leaves_previous_index_usable(workspace, monkeypatch):
    index_dir, _ = build(workspace)
    before = load_index(index_dir).manifest["files"]

    def boom(*args, **kwargs):
        raise RuntimeError("killed mid-build")

    faiss = VECTOR_BACKENDS["faiss"]
    monkeypatch.setitem(VECTOR_BACKENDS, "faiss", dataclasses.replace(faiss, write=boom))
    (workspace / "seeds" / "extra.txt").write_text("Something new.")
    with pytest.raises(RuntimeError):
        build(workspace, index_dir)
    assert load_index(index_dir).manifest["files"] == before
    assert not list(workspace.glob(".index.building-*"))


def test_crash_between_renames_is_recovered(workspace):
    index_dir, _ = build(workspace)
    old = workspace / ".index.old"
    shutil.move(index_dir, old)  # as if killed after the first rename
    assert load_index(index_dir).manifest["counts"]["documents"] == 5
    assert not old.exists()


def test_duplicate_documents_are_indexed_once(workspace):
    seeds = workspace / "seeds"
    shutil.copy(sorted(seeds.glob("002_*.txt"))[0], seeds / "copy-of-002.txt")
    _, report = build(workspace)
    assert report.documents == 5


def test_bad_sources_are_refused_with_one_line(workspace, tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        build_index([tmp_path / "missing"], tmp_path / "i", root=tmp_path, embedder=HashEmbedder())
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no documents"):
        build_index([tmp_path / "empty"], tmp_path / "i", root=tmp_path, embedder=HashEmbedder())
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(SourceError, match="binary"):
        build_index([binary], tmp_path / "i", root=tmp_path, embedder=HashEmbedder())
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    with pytest.raises(SourceError, match="UTF-8"):
        build_index([latin], tmp_path / "i", root=tmp_path, embedder=HashEmbedder())


@pytest.mark.slow
def test_real_index_has_onnx_encoder_and_model_hash(seed_index):
    from qa.embed.embedding import MODEL_NAME, OnnxEmbedder, model_sha256

    m = seed_index.manifest
    assert m["model"]["name"] == MODEL_NAME and m["model"]["sha256"] == model_sha256()
    assert m["model"]["dim"] == 384 and m["encoder_files"]
    assert isinstance(seed_index.embedder, OnnxEmbedder)


def test_adds_running_at_once_both_land_in_the_index(workspace):
    """An add waits for a build in progress and then reads the inputs that build wrote, so
    neither add drops the other's documents (a `qa add` beside a web upload)."""
    import threading

    from qa.store.atomic import build_lock
    from qa.store.build import add_to_index, build_index

    index_dir, _ = build(workspace)
    for name, text in (("a", "Acme raised $7 million."), ("b", "Bolt raised $9 million.")):
        (workspace / name).mkdir()
        (workspace / name / f"{name}.txt").write_text(text)
    worker = threading.Thread(target=add_to_index, args=([workspace / "b"], index_dir),
                              kwargs={"embedder": HashEmbedder(), "progress": False})
    with build_lock(index_dir):  # another process's `qa add a/`, mid-build
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive()  # waiting for the lock, inputs not yet read
        build_index.__wrapped__([workspace / "seeds", workspace / "a"], index_dir, root=workspace,
                     embedder=HashEmbedder(), progress=False)
    worker.join(timeout=60)
    sources = set(load_index(index_dir).documents)
    assert {"a/a.txt", "b/b.txt"} <= sources and any(s.startswith("seeds/") for s in sources)


def test_a_rebuild_reads_again_only_the_files_that_changed(workspace, monkeypatch):
    """One slow file must not slow every later build (each upload rebuilds the index)."""
    import qa.ingest.sources

    index_dir, _ = build(workspace)
    real, read = qa.ingest.sources.extract, []

    def counting(data, suffix, name):
        read.append(name)
        return real(data, suffix, name)

    monkeypatch.setattr(qa.ingest.sources, "extract", counting)
    (workspace / "seeds" / "extra.txt").write_text("An extra note. It mentions Nvidia.")
    _, report = build(workspace, index_dir)
    assert report.documents == 6
    assert [name.rsplit("/", 1)[-1] for name in read] == ["extra.txt"]
    # The reused documents are the same as a fresh read would give.
    fresh = qa.ingest.sources.load_documents([workspace / "seeds"], workspace)
    assert {d.source: d for d in fresh} == load_index(index_dir).documents


@pytest.mark.parametrize("terminal", [False, True])
def test_the_progress_bar_is_drawn_only_on_a_terminal(workspace, monkeypatch, terminal):
    """Redrawn into a log, a bar is one line per update (87 lines for one build)."""
    asked = []

    class Recording(HashEmbedder):
        def encode(self, texts, *, batch_size=64, progress=False):
            asked.append(progress)
            return super().encode(texts)

    monkeypatch.setattr("sys.stderr.isatty", lambda: terminal)
    build_index([workspace / "seeds"], workspace / "index", root=workspace,
                embedder=Recording(), progress=True)
    assert asked == [terminal, terminal]  # the chunks, then the sentences


def test_the_analyzer_is_recorded_and_a_change_makes_the_index_stale(workspace):
    from qa.config import Settings
    from qa.types import Analyzer

    english = Settings().with_overrides({"bm25": {"analyzer": "english"}})
    simple = Settings().with_overrides({"bm25": {"analyzer": "simple"}})
    index_dir, _ = build(workspace, settings=english)
    index = load_index(index_dir)
    assert index.manifest["bm25"]["analyzer"] == "english"
    assert index.manifest["bm25"]["tokenizer"].startswith("qa-english")
    assert index.analyzer is Analyzer.ENGLISH and "spend" in index.tokenize("spending")
    assert index.bm25.rarity("spend") is not None and index.bm25.rarity("spending") is None
    assert not check_staleness(index_dir, settings=english).stale
    assert check_staleness(index_dir, settings=simple).settings == ("bm25.analyzer",)


def test_an_index_from_before_analyzers_reads_as_simple(workspace):
    from qa.config import Settings

    index_dir, _ = build(workspace, settings=Settings().with_overrides(
        {"bm25": {"analyzer": "simple"}}))
    path = index_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["bm25"]["analyzer"]
    path.write_text(json.dumps(seal(manifest)))
    index = load_index(index_dir)
    assert index.tokenize("Spending") == ["spending"]
    simple = Settings().with_overrides({"bm25": {"analyzer": "simple"}})
    assert not check_staleness(index_dir, settings=simple).stale
    manifest["bm25"]["analyzer"] = "klingon"  # written by a later qa
    path.write_text(json.dumps(seal(manifest)))
    with pytest.raises(IndexIncompatible, match="valid analyzers"):
        load_index(index_dir)


def _titled_index(tmp_path, title: bool):
    from qa.config import Settings

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    # A Markdown title the body never repeats: the later chunks do not name their subject.
    body = " ".join(f"Paragraph {i} says the colony grew by {i} percent that year."
                    for i in range(40))
    (docs / "notes.md").write_text(f"---\ntitle: Quokka census\n---\n\n{body}\n", "utf-8")
    settings = Settings().with_overrides({"chunker": {"title": title}})
    build_index([docs], tmp_path / "index", root=tmp_path, embedder=HashEmbedder(),
                progress=False, settings=settings)
    return load_index(tmp_path / "index"), settings


@pytest.mark.parametrize("title", [True, False])
def test_every_chunk_is_indexed_with_its_documents_title(tmp_path, title):
    index, settings = _titled_index(tmp_path, title)
    assert len(index.chunks) > 3
    assert all("Quokka" not in c.text for c in index.chunks[1:])  # chunk text is untouched
    scores = index.bm25.scores(index.tokenize("quokka"))
    found = int((scores > 0).sum())
    assert found == (len(index.chunks) if title else 0)
    assert index.manifest["chunker"]["title"] is title
    other = settings.with_overrides({"chunker": {"title": not title}})
    assert check_staleness(tmp_path / "index", settings=other).settings == ("chunker.title",)


def test_a_rebuild_with_titles_reuses_the_vectors_of_the_same_indexed_text(tmp_path):
    _titled_index(tmp_path, True)
    report = build_index([tmp_path / "docs"], tmp_path / "index", root=tmp_path,
                         embedder=HashEmbedder(), progress=False)
    assert report.embedded == 0 and report.reused == report.chunks
