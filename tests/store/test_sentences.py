"""Sentence vectors stored at build time: every sentence the reader can compare is found,
each is the vector the model gives its text, a rebuild embeds only new text, and reading
with them answers exactly as encoding at query time does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from qa.answer import ask
from qa.errors import IndexCorrupt
from qa.ingest.chunking import split_sentences
from qa.ingest.context import MEANING_VERSION, meaning_text
from qa.search.base import SearchSettings
from qa.search.hybrid import rank_chunks
from qa.store.build import build_index
from qa.store.index import load_index
from qa.store.manifest import write_manifest
from qa.store.sentences import SentenceVectors, load_sentences, meaning_texts, write_sentences
from qa.store.staleness import check_staleness
from tests.fakes import HashEmbedder

ROOT = Path(__file__).resolve().parents[2]


def test_every_sentence_of_every_chunk_is_stored_as_its_text_embeds(fake_index):
    stored = fake_index.sentences
    assert stored is not None and fake_index.manifest["sentences"] == {
        "meaning": MEANING_VERSION, "count": len(stored)}
    texts, read_alone = [], 0
    for chunk in fake_index.chunks:
        text = fake_index.documents[chunk.source].text
        for a, b in split_sentences(text, chunk.start, chunk.end):
            texts.append(meaning_text(text, a, b, fake_index.documents[chunk.source].title))
            read_alone += texts[-1] == text[a:b]
    assert len(set(texts)) == len(stored)  # each text once
    found = stored.find(texts)
    assert all(v is not None for v in found)
    np.testing.assert_allclose(np.stack(found), HashEmbedder().encode(texts), atol=1e-6)
    # some sentences are read with their heading or the sentence they refer back to
    assert 0 < read_alone < len(texts)


def test_a_text_the_build_never_saw_is_not_found():
    stored = SentenceVectors(np.zeros(0, "S32"), np.zeros((0, 4), np.float32),
                             np.zeros(0, np.int64), np.zeros(1, np.int64))
    assert stored.find(["anything"]) == [None]
    assert stored.find([]) == []


def test_writing_sorts_deduplicates_and_reuses(tmp_path):
    chunks = [["b sentence", "a sentence"], ["b sentence", "c sentence"], []]
    texts = [t for c in chunks for t in c]
    calls: list[list[str]] = []
    model = HashEmbedder(8)

    def embed(batch):
        calls.append(batch)
        return model.encode(batch)

    files, info, embedded = write_sentences(tmp_path, chunks, 8, embed)
    assert info == {"meaning": MEANING_VERSION, "count": 3} and embedded == 3
    first = load_sentences(tmp_path, info, 8, chunks=3)
    assert list(first.shas) == sorted(first.shas)
    np.testing.assert_allclose(np.stack(first.find(texts)), model.encode(texts), atol=1e-6)
    for c, own in enumerate(chunks):  # each chunk's rows are its own sentences, in order
        rows = first.rows[first.offsets[c]:first.offsets[c + 1]]
        np.testing.assert_allclose(first.vectors[rows], model.encode(own).reshape(-1, 8))
    again = tmp_path / "again"
    again.mkdir()
    _, info, embedded = write_sentences(again, [*chunks, ["d sentence"]], 8, embed,
                                        previous=first)
    assert embedded == 1 and calls[-1] == ["d sentence"] and info["count"] == 4


def test_a_chunks_best_sentence_is_the_closest_of_its_own(tmp_path):
    chunks = [["one thing", "another thing"], ["a third", "one thing"], [], ["fourth"]]
    model = HashEmbedder(16)
    _, info, _ = write_sentences(tmp_path, chunks, 16, model.encode)
    stored = load_sentences(tmp_path, info, 16, chunks=4)
    query = model.encode(["another thing entirely"])[0]
    ids = np.array([3, 0, 2, 1])
    best = stored.best(ids, query)
    for got, c in zip(best, ids.tolist(), strict=True):
        if chunks[c]:
            assert got == pytest.approx(float((model.encode(chunks[c]) @ query).max()), abs=1e-6)
        else:
            assert np.isnan(got)
    assert np.isnan(stored.best(np.array([2]), query)).all()


def test_vectors_that_do_not_match_the_manifest_are_refused(tmp_path):
    _, info, _ = write_sentences(tmp_path, [["one", "two"]], 8, HashEmbedder(8).encode)
    for record, dim, chunks in (({**info, "count": 3}, 8, 1), (info, 16, 1), (info, 8, 2)):
        with pytest.raises(IndexCorrupt, match="do not match its manifest"):
            load_sentences(tmp_path, record, dim, chunks)
    np.save(tmp_path / "sentence_rows.npy", np.array([0, 5]), allow_pickle=False)
    with pytest.raises(IndexCorrupt, match="do not match its manifest"):
        load_sentences(tmp_path, info, 8, 1)  # a row past the vectors
    assert load_sentences(tmp_path, {**info, "meaning": "older"}, 8, 1) is None


def test_meaning_texts_reads_each_sentence_in_its_context():
    text = "Results\n\nThe firm grew. It doubled its sales in 2020.\n"
    chunk = dataclasses.make_dataclass("C", ["source", "start", "end"])("d", 0, len(text))
    [texts] = meaning_texts({"d": text}, [chunk])
    # "It ..." is read with the sentence before it, both under their heading
    assert texts[-1].startswith("Results The firm grew.")
    assert texts[-1].endswith(". It doubled its sales in 2020.")
    assert texts[0] == "Results" and all(t.startswith("Results") for t in texts)


def test_reading_with_stored_vectors_answers_as_encoding_does(fake_index):
    """The reader's lookup is exact: with the passages ranked alike, the same answers."""
    bare = dataclasses.replace(fake_index, sentences=None, text_vectors={}, derived={})
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "seeds" / "questions.jsonl").read_text().splitlines()]
    chunk_only = SearchSettings(sentence_weight=0.0)  # the same passages, then the reader
    for question in questions[:40]:
        a, b = ask(fake_index, question, chunk_only), ask(bare, question, chunk_only)
        assert (a.answer is None) == (b.answer is None), question
        if a.answer is not None:
            assert (a.answer.text, a.answer.start) == (b.answer.text, b.answer.start), question


def test_an_index_without_sentence_vectors_loads_reads_and_is_stale(workspace):
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    manifest = json.loads((index_dir / "manifest.json").read_text())
    old = {k: v for k, v in manifest.items() if k not in ("sentences", "checksum")}
    old["files"] = {k: v for k, v in old["files"].items() if not k.startswith("sentence_")}
    write_manifest(index_dir, old)
    index = load_index(index_dir)
    assert index.sentences is None
    assert ask(index, "How much is being spent on data centres?").hits
    assert "sentences.meaning" in check_staleness(index_dir).settings


def test_search_mixes_each_passages_best_sentence_into_its_dense_score(fake_index):
    question = "Which company plans to spend the most on data centres this year?"
    vector = fake_index.embedder.encode([question])[0]
    chunk_only = rank_chunks(fake_index, question, SearchSettings(sentence_weight=0.0),
                             query_vector=vector)
    mixed = rank_chunks(fake_index, question, SearchSettings(sentence_weight=0.5),
                        query_vector=vector)
    assert sorted(chunk_only.ids.tolist()) == sorted(mixed.ids.tolist())  # same candidates
    best = fake_index.sentences.best(chunk_only.ids, vector)
    np.testing.assert_allclose(
        mixed.vector[np.argsort(mixed.ids)],
        (0.5 * chunk_only.vector + 0.5 * np.where(np.isnan(best), chunk_only.vector, best))[
            np.argsort(chunk_only.ids)])
    assert mixed.ids.tolist() != chunk_only.ids.tolist()  # and it changes the order
