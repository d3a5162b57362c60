"""Load an index: its manifest verified (format, model, every file's checksum) before any
file is read.

An index is a directory with a `manifest.json` that records everything needed to use it
again: format version, model (name, weights hash, dimension), cleaner/chunker/BM25 settings,
the stopwords, the sha256 of every source and of every index file. The query side rebuilds
tokenizer and encoder from the manifest alone (`qa.store.build` writes it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.backends.analyzers import ANALYZERS
from qa.backends.bm25 import DEFAULT_STOPWORDS
from qa.backends.protocols import (
    LEXICAL_BACKENDS,
    VECTOR_BACKENDS,
    LexicalIndex,
    VectorIndex,
    backend,
)
from qa.config import Settings
from qa.embed import embedding
from qa.errors import IndexCorrupt, IndexIncompatible, IndexMissing
from qa.ingest.chunking import Chunk
from qa.ingest.document import CLEANER_VERSION, Document
from qa.ingest.entities import Entity, Parse
from qa.store.files import (
    gc_paused,
    read_chunks,
    read_documents,
    read_entities,
    unverified_manifest,
)
from qa.store.integrity import verify_files
from qa.store.sentences import SentenceVectors, load_sentences
from qa.store.staleness import settings_changed
from qa.types import Analyzer

__all__ = [
    "Index",
    "load_index",
    "reusable_index",
]

@dataclass(frozen=True)
class Index:
    """A loaded, read-only index: safe to share between threads."""

    directory: Path
    manifest: dict[str, Any]
    documents: dict[str, Document]
    chunks: list[Chunk]
    bm25: LexicalIndex
    vectors: VectorIndex
    embedder: embedding.Embedder
    stopwords: frozenset[str] = field(default=DEFAULT_STOPWORDS)
    # The analyzer the BM25 terms were made with: questions must be tokenized the same way.
    analyzer: Analyzer = Analyzer.SIMPLE
    # Named entities of each document (start, end, OntoNotes type), found at build time;
    # empty for an index built without them.
    entities: dict[str, tuple[Entity, ...]] = field(default_factory=dict, repr=False)
    # Each document's dependency parse, found with its entities (empty without them).
    parses: dict[str, Parse] = field(default_factory=dict, repr=False)
    # What the reader derives from this index once (`qa.reader.names.known_names`), owned
    # here so it goes with the index when an upload swaps in a new one.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Vectors of texts the reader embedded at query time (sentences), by text: owned here so
    # they go with the index when an upload swaps in a new one.
    text_vectors: dict[str, np.ndarray] = field(default_factory=dict, compare=False,
                                                repr=False)
    # Vectors of every sentence as the reader embeds it, computed at build time (None for
    # an index built before they were).
    sentences: SentenceVectors | None = field(default=None, compare=False, repr=False)

    def tokenize(self, text: str) -> list[str]:
        return ANALYZERS[self.analyzer].tokenize(text, self.stopwords)


def load_index(index_dir: str | os.PathLike[str]) -> Index:
    """Load an index after verifying its format, model and every file's checksum."""
    index_dir = Path(index_dir)
    manifest = unverified_manifest(index_dir)
    verify_files(index_dir, manifest["files"])
    encoder = _embedder_for(manifest["model"], index_dir)
    info = manifest["vectors"]
    vectors = backend(VECTOR_BACKENDS, info["backend"], "vector").load(index_dir, info)
    lexical = backend(LEXICAL_BACKENDS, manifest["bm25"]["backend"], "lexical").load(index_dir)
    with gc_paused():
        docs = read_documents(index_dir)
        chunks = read_chunks(index_dir, {d.source: d.text for d in docs})
        entities, parses = read_entities(index_dir, manifest)
    sentences = load_sentences(index_dir, manifest.get("sentences"), manifest["model"]["dim"],
                               len(chunks))
    return Index(
        directory=index_dir,
        manifest=manifest,
        documents={d.source: d for d in docs},
        chunks=chunks,
        bm25=lexical,
        vectors=vectors,
        embedder=encoder,
        stopwords=frozenset(manifest["bm25"]["stopwords"]),
        analyzer=_analyzer(manifest),
        entities=entities,
        parses=parses,
        sentences=sentences,
    )


def _embedder_for(model_info: dict[str, Any], index_dir: Path) -> embedding.Embedder:
    """The query encoder an index was built for, from its manifest alone."""
    return embedding.embedder_kind(model_info["name"]).query(index_dir, model_info)


def _analyzer(manifest: dict[str, Any]) -> Analyzer:
    """The analyzer an index was built with; one this qa does not have cannot be queried."""
    name = manifest["bm25"].get("analyzer", Analyzer.SIMPLE.value)
    try:
        return Analyzer.parse(name)
    except ValueError as exc:
        raise IndexIncompatible(f"the index was built with BM25 {exc}; rebuild it with "
                                "`qa index`") from None


def reusable_index(index_dir: Path, source: str, sha256: str, settings: Settings,
                   model_name: str | None = None) -> Index | None:
    """The index in `index_dir` if it was built from a source named `source` with this
    sha256, by this cleaner, with these build settings (and model, when named); else None.
    For corpora indexed from memory (BEIR, SQuAD), whose files staleness cannot check."""
    try:
        index = load_index(index_dir)
    except (IndexMissing, IndexIncompatible, IndexCorrupt):
        return None
    m = index.manifest
    same = (m["sources"].get(source, {}).get("sha256") == sha256
            and m["cleaner"] == CLEANER_VERSION and not settings_changed(m, settings)
            and model_name in (None, m["model"]["name"]))
    return index if same else None
