"""Sentence vectors, computed when the index is built so a question encodes only itself.

The reader compares a question with each candidate sentence read in its context
(`qa.ingest.context.meaning_text`: heading, the sentence it refers back to, itself). Those
texts depend on the document alone, so the build embeds every sentence of every chunk once
and stores the vectors keyed by the sha256 of the text embedded: a lookup is exact by
construction (the same text, the same vector), and a text the build did not foresee (a
definition's clause, a window around a figure) is simply not found and encoded at query time.

On disk (no pickle): `sentence_sha.npy`, the digests sorted (`S32`), and
`sentence_vectors.npy`, row i the vector of digest i. Loaded memory-mapped, so a cold
`qa ask` reads only the rows it looks up; a lookup is a binary search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexCorrupt
from qa.ingest.chunking import Chunk
from qa.ingest.context import MEANING_VERSION, meaning_text, sentences_of

__all__ = ["FILES", "SentenceVectors", "load_sentences", "meaning_texts", "write_sentences"]

SHAS, VECTORS = "sentence_sha.npy", "sentence_vectors.npy"
FILES = (SHAS, VECTORS)
# Raw digests, fixed width. numpy drops trailing NUL bytes of `S` items on both sides of
# every comparison alike, so sorting and equality stay consistent.
_KEY = np.dtype("S32")


def _keys(texts: Iterable[str]) -> np.ndarray:
    return np.array([hashlib.sha256(t.encode("utf-8")).digest() for t in texts], dtype=_KEY)


@dataclass(frozen=True, slots=True)
class SentenceVectors:
    """The stored vectors of an index, looked up by the text that was embedded."""

    shas: np.ndarray  # sorted digests
    vectors: np.ndarray  # float32, one row per digest

    def __len__(self) -> int:
        return len(self.shas)

    def find(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """Each text's stored vector, or None for a text the build did not embed."""
        if not texts or not len(self.shas):
            return [None] * len(texts)
        keys = _keys(texts)
        at = np.minimum(np.searchsorted(self.shas, keys), len(self.shas) - 1)
        hit = self.shas[at] == keys
        return [np.asarray(self.vectors[i], np.float32) if h else None
                for i, h in zip(at.tolist(), hit.tolist(), strict=True)]


def meaning_texts(texts: Mapping[str, str], chunks: Sequence[Chunk]) -> list[str]:
    """The text embedded for every sentence of every chunk (`texts`: source -> document
    text), each once, in document order."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    for chunk in chunks:
        ranges.setdefault(chunk.source, []).append((chunk.start, chunk.end))
    seen: dict[str, None] = {}
    for source, spans in ranges.items():
        text = texts[source]
        seen.update(dict.fromkeys(meaning_text(text, a, b) for a, b in sentences_of(text, spans)))
    return list(seen)


def write_sentences(folder: Path, texts: Sequence[str], dim: int,
                    embed: Callable[[list[str]], np.ndarray],
                    previous: SentenceVectors | None = None,
                    ) -> tuple[list[str], dict[str, Any], int]:
    """Store the vectors of `texts` in `folder`, embedding only those `previous` lacks.
    Returns the files written, the manifest record and how many texts were embedded."""
    keys = _keys(texts)
    order = np.argsort(keys, kind="stable")
    keys, ordered = keys[order], [texts[i] for i in order.tolist()]
    # equal texts give equal digests, side by side once sorted: keep the first of each
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys, ordered = keys[first], [t for t, f in zip(ordered, first.tolist(), strict=True) if f]
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    known = previous.find(ordered) if previous is not None else [None] * len(ordered)
    todo = [i for i, v in enumerate(known) if v is None]
    for i, v in enumerate(known):
        if v is not None:
            vectors[i] = v
    if todo:
        vectors[todo] = np.asarray(embed([ordered[i] for i in todo]), np.float32)
    folder = Path(folder)
    np.save(folder / SHAS, keys, allow_pickle=False)
    np.save(folder / VECTORS, vectors, allow_pickle=False)
    return list(FILES), {"meaning": MEANING_VERSION, "count": len(keys)}, len(todo)


def load_sentences(folder: Path, record: Mapping[str, Any] | None,
                   dim: int) -> SentenceVectors | None:
    """The stored vectors, or None when the index has none of this qa's meaning texts (an
    older index: its sentences are encoded at query time until it is rebuilt)."""
    if not record or record.get("meaning") != MEANING_VERSION:
        return None
    try:
        shas = np.load(Path(folder) / SHAS, mmap_mode="r", allow_pickle=False)
        vectors = np.load(Path(folder) / VECTORS, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"the sentence vectors of {folder} cannot be read ({exc}): "
                           "rebuild with `qa index`") from None
    if (shas.dtype != _KEY or vectors.dtype != np.float32 or shas.ndim != 1
            or vectors.shape != (record.get("count"), dim) or len(shas) != len(vectors)):
        raise IndexCorrupt(f"the sentence vectors of {folder} do not match its manifest: "
                           "rebuild with `qa index`")
    return SentenceVectors(shas, vectors)
