"""Conformance suite for `qa.embed.embedding.Embedder`: every implementation must pass it.

To add an embedder, register it (`register_embedder`) and add a factory to IMPLEMENTATIONS.
An embedder gives float32 unit rows, one per text, the same for a text alone or in any
batch, and the same from the query encoder an index carries as from the model that built it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from qa.embed.embedding import (
    Embedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    embedder_kind,
)
from tests.conformance.conftest import DOCUMENTS
from tests.fakes import HashEmbedder

IMPLEMENTATIONS: dict[str, Callable[[pytest.FixtureRequest], Embedder]] = {
    "hash": lambda request: HashEmbedder(64),
    "onnx": lambda request: OnnxEmbedder(request.getfixturevalue("seed_index_dir")),
    "sentence-transformers": lambda request: SentenceTransformerEmbedder(),
}
SLOW = {"onnx", "sentence-transformers"}  # load the real model
TEXTS = [line for text in DOCUMENTS.values() for line in text.splitlines() if line.strip()]
TEXTS += ["", "   ", "Ünïcödé — “quotes” ₹75,000 crore", "word " * 400]


@pytest.fixture(scope="module", params=[
    pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(IMPLEMENTATIONS)])
def embedder(request) -> Embedder:
    return IMPLEMENTATIONS[request.param](request)


def test_is_an_embedder_with_a_registered_name(embedder):
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    embedder_kind(embedder.name)  # raises if no index could be built or loaded with it


def test_rows_are_float32_unit_vectors_one_per_text(embedder):
    vectors = embedder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, embedder.dim)


def test_a_text_alone_or_in_any_batch_gets_the_same_vector(embedder):
    together = embedder.encode(TEXTS, batch_size=5)
    alone = np.stack([embedder.encode([t])[0] for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(embedder.encode(TEXTS, batch_size=64), together, atol=1e-5)


def test_different_texts_get_different_vectors_and_equal_texts_equal_ones(embedder):
    a, b, c = embedder.encode(["The river floods in July.", "The library lends books.",
                               "The river floods in July."])
    assert float(a @ b) < 0.99
    np.testing.assert_allclose(a, c, atol=1e-6)


@pytest.mark.slow
def test_the_query_encoder_of_an_index_matches_the_model_that_built_it(seed_index_dir):
    built = SentenceTransformerEmbedder()
    kind = embedder_kind(built.name)
    query = kind.query(seed_index_dir, {"name": built.name, "dim": built.dim})
    cos = np.sum(built.encode(TEXTS) * query.encode(TEXTS), axis=1)
    assert cos.min() >= 0.9999
