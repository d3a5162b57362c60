"""Sentence vectors, computed when the index is built so a question encodes only itself.

The reader compares a question with each candidate sentence read in its context
(`qa.ingest.context.meaning_text`: heading, the sentence it refers back to, itself). Those
texts depend on the document alone, so the build embeds every sentence of every chunk once
and stores the vectors keyed by the sha256 of the text embedded: a lookup is exact by
construction (the same text, the same vector), and a text the build did not foresee (a
definition's clause, a window around a figure) is simply not found and encoded at query time.

Search uses them too: a chunk's dense score mixes its own vector's cosine with its best
sentence's (`SentenceVectors.best`, qa.search.fusion.with_sentences), since a passage holding
one sentence that answers reads as a blur of everything else it says.

On disk (no pickle): `sentence_sha.npy`, the digests sorted (`S32`);
`sentence_vectors.npy`, row i the vector of digest i; and which rows are each chunk's
sentences, as compressed rows (`sentence_rows.npy`, `sentence_offsets.npy`: chunk c's rows
are rows[offsets[c]:offsets[c + 1]]). Loaded memory-mapped, so a cold `qa ask` reads only the
rows it looks up; a lookup by text is a binary search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexCorrupt
from qa.ingest.chunking import Chunk, split_sentences
from qa.ingest.context import MEANING_VERSION, meaning_text

__all__ = ["FILES", "SentenceVectors", "load_sentences", "meaning_texts", "write_sentences"]

SHAS, VECTORS = "sentence_sha.npy", "sentence_vectors.npy"
ROWS, OFFSETS = "sentence_rows.npy", "sentence_offsets.npy"
FILES = (SHAS, VECTORS, ROWS, OFFSETS)
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
    rows: np.ndarray  # each chunk's sentences' rows, chunk after chunk
    offsets: np.ndarray  # chunk c's rows are rows[offsets[c]:offsets[c + 1]]

    def __len__(self) -> int:
        return len(self.shas)

    def best(self, chunk_ids: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
        """Each chunk's best sentence cosine with the question; NaN for a chunk without
        sentences (a run of characters the splitter found no sentence in)."""
        ids = np.asarray(chunk_ids, dtype=np.int64)
        starts, ends = self.offsets[ids], self.offsets[ids + 1]
        out = np.full(len(ids), np.nan)
        full = ends > starts
        if not full.any():
            return out
        rows = np.concatenate([self.rows[a:b] for a, b in zip(starts[full].tolist(),
                                                               ends[full].tolist(), strict=True)])
        cos = self.vectors[rows] @ np.asarray(query_vector, np.float32)
        lengths = (ends - starts)[full]
        out[full] = np.maximum.reduceat(cos, np.cumsum(lengths) - lengths)
        return out

    def find(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """Each text's stored vector, or None for a text the build did not embed."""
        if not texts or not len(self.shas):
            return [None] * len(texts)
        keys = _keys(texts)
        at = np.minimum(np.searchsorted(self.shas, keys), len(self.shas) - 1)
        hit = self.shas[at] == keys
        return [np.asarray(self.vectors[i], np.float32) if h else None
                for i, h in zip(at.tolist(), hit.tolist(), strict=True)]


def meaning_texts(texts: Mapping[str, str], chunks: Sequence[Chunk],
                  titles: Mapping[str, str | None] | None = None) -> list[list[str]]:
    """The text embedded for each sentence of each chunk (`texts`: source -> document
    text; `titles`: source -> its title), chunk by chunk, split as the reader splits them."""
    out = []
    for chunk in chunks:
        text = texts[chunk.source]
        title = (titles or {}).get(chunk.source)
        out.append([meaning_text(text, a, b, title)
                    for a, b in split_sentences(text, chunk.start, chunk.end)])
    return out


def write_sentences(folder: Path, chunk_texts: Sequence[Sequence[str]], dim: int,
                    embed: Callable[[list[str]], np.ndarray],
                    previous: SentenceVectors | None = None,
                    ) -> tuple[list[str], dict[str, Any], int]:
    """Store the vectors of each chunk's sentence texts in `folder`, each distinct text
    once, embedding only those `previous` lacks. Returns the files written, the manifest
    record and how many texts were embedded."""
    flat = [t for texts in chunk_texts for t in texts]
    keys, first, rows = np.unique(_keys(flat), return_index=True, return_inverse=True)
    ordered = [flat[i] for i in first.tolist()]
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    known = previous.find(ordered) if previous is not None else [None] * len(ordered)
    todo = [i for i, v in enumerate(known) if v is None]
    for i, v in enumerate(known):
        if v is not None:
            vectors[i] = v
    if todo:
        vectors[todo] = np.asarray(embed([ordered[i] for i in todo]), np.float32)
    offsets = np.zeros(len(chunk_texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in chunk_texts], out=offsets[1:])
    folder = Path(folder)
    np.save(folder / SHAS, keys.astype(_KEY), allow_pickle=False)
    np.save(folder / VECTORS, vectors, allow_pickle=False)
    np.save(folder / ROWS, rows.reshape(-1).astype(np.int64), allow_pickle=False)
    np.save(folder / OFFSETS, offsets, allow_pickle=False)
    return list(FILES), {"meaning": MEANING_VERSION, "count": len(keys)}, len(todo)


def load_sentences(folder: Path, record: Mapping[str, Any] | None, dim: int,
                   chunks: int) -> SentenceVectors | None:
    """The stored vectors, or None when the index has none of this qa's meaning texts (an
    older index: its sentences are encoded at query time until it is rebuilt)."""
    if not record or record.get("meaning") != MEANING_VERSION:
        return None
    try:
        shas, vectors, rows, offsets = (np.load(Path(folder) / name, mmap_mode="r",
                                                allow_pickle=False) for name in FILES)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"the sentence vectors of {folder} cannot be read ({exc}): "
                           "rebuild with `qa index`") from None
    if (shas.dtype != _KEY or vectors.dtype != np.float32 or shas.ndim != 1
            or vectors.shape != (record.get("count"), dim) or len(shas) != len(vectors)
            or rows.dtype != np.int64 or offsets.dtype != np.int64 or offsets.ndim != 1
            or rows.ndim != 1 or len(offsets) != chunks + 1 or offsets[0] != 0
            or offsets[-1] != len(rows) or np.any(np.diff(offsets) < 0)
            or (len(rows) and not 0 <= rows.min() <= rows.max() < len(shas))):
        raise IndexCorrupt(f"the sentence vectors of {folder} do not match its manifest: "
                           "rebuild with `qa index`")
    return SentenceVectors(shas, vectors, rows, offsets)
