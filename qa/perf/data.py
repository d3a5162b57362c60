"""Synthetic data for `qa bench`: corpora and vectors at any size, shaped like the real ones.

Words follow a Zipf-Mandelbrot law over the seeds' own vocabulary (plus made-up rare words),
so posting-list lengths are realistic. Vectors are NOT uniform random unit vectors: in 384
dimensions those are all nearly equidistant (the best match of a query has cosine 0.22, its
10th 0.19), so no approximate index can recall their neighbours and the recall figure would
be meaningless. Instead they have real embeddings' shape: a shared mean direction and a
power-law variance spectrum, with queries near a document. Cosine statistics are recorded
next to the real seed index's, for comparison.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.embed.embedding import EmbedderKind, register_embedder

__all__ = ["DIM", "RandomEmbedder", "Zipf", "synthetic_vectors", "write_corpus"]

DIM = 384


class Zipf:
    """Words drawn from a Zipf-Mandelbrot law, p(rank) ~ 1 / (rank + 2.7) ** 1.07, over the
    seeds' words ordered by frequency, then made-up words for the long tail."""

    def __init__(self, root: Path, size: int = 60_000, seed: int = 0) -> None:
        counts: Counter[str] = Counter()
        for path in sorted((root / "seeds").glob("*.txt")):
            counts.update(re.findall(r"[a-z]+", path.read_text("utf-8").lower()))
        words = [w for w, _ in counts.most_common()]
        self.rng = np.random.default_rng(seed)
        syllables = ["ka", "lo", "ven", "tri", "mar", "sol", "dex", "ru", "pan", "qui", "bor"]
        seen = set(words)
        while len(words) < size:
            parts = self.rng.integers(0, len(syllables), int(self.rng.integers(2, 5)))
            word = "".join(syllables[i] for i in parts) + str(int(self.rng.integers(0, 100)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = np.array(words[:size], dtype=object)
        p = 1.0 / (np.arange(size) + 2.7) ** 1.07
        self.p = p / p.sum()

    def ids(self, n: int) -> np.ndarray:
        return self.rng.choice(len(self.words), size=n, p=self.p)

    def text(self, sentences: int) -> str:
        """Sentences of 8-27 words, four to a paragraph, like the seeds' articles."""
        lengths = self.rng.integers(8, 28, sentences)
        flat = self.words[self.ids(int(lengths.sum()))]
        out, at = [], 0
        for i, length in enumerate(lengths):
            words = flat[at : at + length]
            at += length
            out.append(" ".join(words).capitalize() + (".\n\n" if i % 4 == 3 else ". "))
        return "".join(out).strip()

    def token_docs(self, n_docs: int, stopwords: frozenset[str]) -> list[np.ndarray]:
        """Tokenized chunks (what BM25 indexes): ~55 content words each, stopwords removed,
        as the tokenizer would; drawn directly, because tokenizing 1M texts would take
        minutes and measure the tokenizer, not the index."""
        content = np.array([w not in stopwords for w in self.words])
        p = np.where(content, self.p, 0.0)
        p /= p.sum()
        lengths = np.clip(self.rng.normal(55, 15, n_docs).astype(np.int64), 5, 120)
        flat = self.words[self.rng.choice(len(self.words), size=int(lengths.sum()), p=p)]
        return np.split(flat, np.cumsum(lengths)[:-1])

    def queries(self, n: int, stopwords: frozenset[str]) -> list[list[str]]:
        docs = self.token_docs(n, stopwords)
        return [list(d[: int(self.rng.integers(2, 7))]) for d in docs]


def synthetic_vectors(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors shaped like sentence embeddings (see module doc): mean direction + a
    power-law variance spectrum; queries are noisy copies of documents."""
    rng = np.random.default_rng(seed)
    # Axis-aligned: a random rotation would cost a 1M x 384 x 384 product and change nothing
    # for exact search, IVF or HNSW, which are all rotation-invariant.
    scale = (np.arange(1, DIM + 1) ** -0.5).astype(np.float32)  # sqrt of a 1/i spectrum
    scale /= np.sqrt((scale**2).sum())
    mean = rng.standard_normal(DIM).astype(np.float32)
    mean *= 0.6 / np.linalg.norm(mean)

    def unit(x: np.ndarray) -> np.ndarray:
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    docs = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks: bounded temporary memory
        block = rng.standard_normal((min(100_000, n - start), DIM), dtype=np.float32)
        docs[start : start + len(block)] = unit(mean + block * scale)
    noise = rng.standard_normal((n_queries, DIM), dtype=np.float32) * scale
    queries = unit(docs[rng.integers(0, n, n_queries)] + 0.8 * noise).astype(np.float32)
    return docs, queries


class RandomEmbedder:
    """Stand-in model for load benchmarks: random unit vectors, registered under its own
    name so the indexes it builds load back (their questions are random vectors too)."""

    def __init__(self, dim: int = DIM) -> None:
        self.dim, self.name = dim, f"random-{dim}"
        self.rng = np.random.default_rng(0)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               progress: bool = False) -> np.ndarray:
        x = self.rng.standard_normal((len(texts), self.dim), dtype=np.float32)
        return x / np.linalg.norm(x, axis=1, keepdims=True)


register_embedder(RandomEmbedder().name, EmbedderKind(
    build=RandomEmbedder, query=lambda _directory, info: RandomEmbedder(int(info["dim"])),
    weights_sha256=lambda: hashlib.sha256(RandomEmbedder().name.encode()).hexdigest()))


def write_corpus(folder: Path, zipf: Zipf, n_docs: int, sentences: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        (folder / f"doc{i:06d}.txt").write_text(f"Document {i}\n\n{zipf.text(sentences)}\n")
    return folder
