"""Test stand-ins, registered with qa the way any plugin is: a model-free embedder.

Imported by tests/conftest.py, and by every `qa` process the tests start (conftest puts
`QA_PLUGINS=tests.fakes` in the environment), so indexes built with it load anywhere in the
test run. Product code never names it."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from qa.embed.embedding import EmbedderKind, register_embedder

__all__ = ["HashEmbedder"]

_WORD = re.compile(r"\w+")
DIMS = (16, 32, 64, 128, 384)  # the sizes tests build with


class HashEmbedder:
    """Deterministic fake for unit tests: hashed bag of lowercase word unigrams and bigrams.

    zlib.crc32, not hash(), so vectors do not depend on the process (PYTHONHASHSEED). A text
    without words maps to a fixed unit vector, so every row has unit length."""

    def __init__(self, dim: int = 64) -> None:
        self.dim: int = dim
        self.name: str = f"hash-{dim}"

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts (``batch_size`` and ``progress`` are accepted for API parity)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for feature in features or [""]:
                out[row, zlib.crc32(feature.encode("utf-8")) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _kind(dim: int) -> EmbedderKind:
    name = f"hash-{dim}"
    return EmbedderKind(build=lambda: HashEmbedder(dim),
                        query=lambda _directory, _info: HashEmbedder(dim),
                        weights_sha256=lambda: __import__("hashlib").sha256(
                            name.encode()).hexdigest())


for _dim in DIMS:
    register_embedder(f"hash-{_dim}", _kind(_dim))
