"""Random input against every stage that reads untrusted data: no traceback, no hang.

The manifest reader, the cleaner and chunker, the span extractors and the /ask handler each
take whatever hypothesis makes. A deadline per example turns a hang (a regex that
backtracks, a loop that rescans) into a failure; it is generous, so a busy machine does not
fail it, while quadratic work on these sizes would still blow through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qa.config import ChunkerConfig
from qa.errors import IndexCorrupt, IndexIncompatible
from qa.ingest.chunking import chunk_document, is_field, split_sentences
from qa.ingest.cleaning import clean_text
from qa.reader.extract import amounts, dates
from qa.reader.names import KnownNames, names, organizations, places
from qa.store.manifest import parse_manifest
from qa.web.app import handle_ask, handle_open

FUZZ = settings(max_examples=150, deadline=5000,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Text that looks like the documents qa reads: words, numbers, currency, punctuation,
# line breaks, and the odd characters mojibake and hostile files bring.
ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?$€£%-–—'\"“”’()"
    "\n\n\r\t…#*_[]\\/@&") + ["billion", "Inc.", "U.S.", "$1.5", "2024", "March", " the ",
                             "\u00a0", "\u200b", "đź«§", "\x00", "é", "中文", "ـ"])
DOCUMENT_TEXT = st.lists(ALPHABET, max_size=400).map("".join) | st.text(max_size=400)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(st.binary(max_size=300))
def test_manifest_reader_takes_any_bytes(raw):
    with pytest.raises((IndexCorrupt, IndexIncompatible)):
        parse_manifest(raw, Path("manifest.json"))


@FUZZ
@given(JSON)
def test_manifest_reader_takes_any_json(value):
    raw = json.dumps(value).encode()
    with pytest.raises((IndexCorrupt, IndexIncompatible)) as caught:
        parse_manifest(raw, Path("manifest.json"))
    assert "\n" not in str(caught.value)


@FUZZ
@given(st.data())
def test_manifest_reader_takes_any_change_to_a_real_manifest(fake_index_dir, data):
    manifest = json.loads((fake_index_dir / "manifest.json").read_text())
    key = data.draw(st.sampled_from(sorted(manifest)))
    value = data.draw(JSON)
    assume(value != manifest[key])
    manifest[key] = value
    with pytest.raises((IndexCorrupt, IndexIncompatible)):
        parse_manifest(json.dumps(manifest).encode(), Path("manifest.json"))


@FUZZ
@given(DOCUMENT_TEXT)
def test_cleaning_and_chunking_take_any_text(raw):
    text = clean_text(raw)
    assert clean_text(text) == text or text  # cleaning never raises; idempotence not promised
    for chunk in chunk_document("doc", text, ChunkerConfig()):
        assert text[chunk.start:chunk.end] == chunk.text
    for a, b in split_sentences(text, 0, len(text)):  # a line's shape is read without error
        assert is_field(text, a, b) in (True, False)


@FUZZ
@given(DOCUMENT_TEXT)
def test_span_extractors_take_any_text(text):
    known = KnownNames.of([(text[:12], "ORG"), ("Acme Holdings", "ORG"), ("U.S.", "GPE")])
    for find in (amounts, dates, lambda t: organizations(t, known), lambda t: names(t, known),
                 lambda t: places(t, known)):
        for span in find(text):
            assert 0 <= span.start <= span.end <= len(text)
            if find in (amounts, dates):  # names are given in their canonical form
                assert text[span.start:span.end] == span.text


ANY = JSON | st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**30, 10**30)


@FUZZ
@given(question=DOCUMENT_TEXT | ANY, k=ANY, mode=ANY, fusion=ANY, alpha=ANY, sources=ANY)
def test_ask_handler_takes_any_arguments(fake_index, question, k, mode, fusion, alpha, sources):
    page, payload = handle_ask(fake_index, question, k, mode, fusion, alpha, sources)
    assert isinstance(page, str) and isinstance(payload, dict)
    assert "error" in payload or "passages" in payload
    if "error" in payload:
        assert isinstance(payload["error"], str) and payload["error"]


@FUZZ
@given(source=ANY, start=ANY, end=ANY, astart=ANY, aend=ANY)
def test_source_viewer_takes_any_arguments(fake_index, source, start, end, astart, aend):
    known = next(iter(fake_index.documents))
    for name in (source, known):
        assert isinstance(handle_open(fake_index, name, start, end, astart, aend), str)
