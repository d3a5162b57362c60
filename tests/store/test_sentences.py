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
from qa.store.index import build_index, check_staleness, load_index
from qa.store.manifest import write_manifest
from qa.store.sentences import SentenceVectors, load_sentences, meaning_texts, write_sentences
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
            texts.append(meaning_text(text, a, b))
            read_alone += texts[-1] == text[a:b]
    assert len(set(texts)) == len(stored)  # each text once
    found = stored.find(texts)
    assert all(v is not None for v in found)
    np.testing.assert_allclose(np.stack(found), HashEmbedder().encode(texts), atol=1e-6)
    # some sentences are read with their heading or the sentence they refer back to
    assert 0 < read_alone < len(texts)


def test_a_text_the_build_never_saw_is_not_found():
    stored = SentenceVectors(np.zeros(0, "S32"), np.zeros((0, 4), np.float32))
    assert stored.find(["anything"]) == [None]
    assert stored.find([]) == []


def test_writing_sorts_deduplicates_and_reuses(tmp_path):
    texts = ["b sentence", "a sentence", "b sentence", "c sentence"]
    calls: list[list[str]] = []
    model = HashEmbedder(8)

    def embed(batch):
        calls.append(batch)
        return model.encode(batch)

    files, info, embedded = write_sentences(tmp_path, texts, 8, embed)
    assert info == {"meaning": MEANING_VERSION, "count": 3} and embedded == 3
    first = load_sentences(tmp_path, info, 8)
    assert list(first.shas) == sorted(first.shas)
    np.testing.assert_allclose(np.stack(first.find(texts)), model.encode(texts), atol=1e-6)
    again = tmp_path / "again"
    again.mkdir()
    _, info, embedded = write_sentences(again, [*texts, "d sentence"], 8, embed,
                                        previous=first)
    assert embedded == 1 and calls[-1] == ["d sentence"] and info["count"] == 4


def test_vectors_that_do_not_match_the_manifest_are_refused(tmp_path):
    _, info, _ = write_sentences(tmp_path, ["one", "two"], 8, HashEmbedder(8).encode)
    with pytest.raises(IndexCorrupt, match="do not match its manifest"):
        load_sentences(tmp_path, {**info, "count": 3}, 8)
    with pytest.raises(IndexCorrupt, match="do not match its manifest"):
        load_sentences(tmp_path, info, 16)
    assert load_sentences(tmp_path, {**info, "meaning": "older"}, 8) is None


def test_meaning_texts_reads_each_sentence_in_its_context():
    text = "Results\n\nThe firm grew. It doubled its sales in 2020.\n"
    chunk = dataclasses.make_dataclass("C", ["source", "start", "end"])("d", 0, len(text))
    texts = meaning_texts({"d": text}, [chunk])
    # "It ..." is read with the sentence before it, both under their heading
    assert texts[-1].startswith("Results The firm grew.")
    assert texts[-1].endswith(". It doubled its sales in 2020.")
    assert texts[0] == "Results" and all(t.startswith("Results") for t in texts)


def test_reading_with_stored_vectors_answers_as_encoding_does(fake_index):
    bare = dataclasses.replace(fake_index, sentences=None, text_vectors={}, derived={})
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "seeds" / "questions.jsonl").read_text().splitlines()]
    for question in questions[:40]:
        a, b = ask(fake_index, question), ask(bare, question)
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
