"""Build an index, add to it, refresh it: written to a sibling temporary directory and
swapped in with renames, so a build that dies half-way leaves the previous index untouched.
Vectors, entities and sentence vectors of unchanged text are taken from the index being
replaced.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from qa.backends.analyzers import AnalyzerSpec, analyzer_for
from qa.backends.protocols import LEXICAL_BACKENDS, VECTOR_BACKENDS, backend
from qa.config import ChunkerConfig, Settings, load_settings
from qa.embed import embedding
from qa.errors import IndexIncompatible, QAError, SourceError
from qa.ingest.chunking import Chunk, chunk_documents, indexed_texts
from qa.ingest.cleaning import CLEANER_VERSION
from qa.ingest.entities import NER_VERSION, read_texts
from qa.ingest.extractors import EXTRACTOR_VERSION
from qa.ingest.sources import Document, discover, load_documents, source_name
from qa.store.atomic import (
    build_lock,
    check_target,
    one_build_at_a_time,
    remove_abandoned_builds,
    swap_in,
)
from qa.store.files import (
    CHUNKS,
    DOCUMENTS,
    ENTITIES,
    chunk_row,
    gc_paused,
    index_files,
    manifest_inputs,
    read_chunks,
    read_documents,
    read_jsonl,
    read_manifest,
    text_sha,
    write_jsonl,
)
from qa.store.integrity import sha256_file
from qa.store.manifest import FORMAT_VERSION, write_manifest
from qa.store.scale import INGEST_BATCH, ingest, ray_embedder
from qa.store.sentences import load_sentences, meaning_texts, write_sentences
from qa.store.staleness import check_staleness

__all__ = [
    "BuildReport",
    "add_to_index",
    "build_index",
    "build_index_from_documents",
    "refresh_index",
]

BUILD_BATCH = 32


@dataclass(frozen=True, slots=True)
class BuildReport:
    index_dir: Path
    documents: int
    chunks: int
    embedded: int  # chunks encoded by the model in this build
    reused: int  # chunks whose vectors came from the previous index unchanged
    seconds: float
    left_out: tuple[str, ...] = ()  # recorded inputs that no longer exist, so were not read


@one_build_at_a_time
def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    root: Path,
    settings: Settings | None = None,
    embedder: embedding.Embedder | None = None,
    progress: bool = True,
    reuse: bool = True,
    ray: str | None = None,
) -> BuildReport:
    """Index every document under `paths` into `index_dir`, replacing it atomically, with
    `settings` (by default: code defaults with ./qa.toml over them).

    With `reuse`, vectors of chunks whose text is unchanged are taken from the existing
    index (same model only), so adding or editing one file re-embeds only that file.
    With `ray` (a Ray cluster's address), a Qdrant build embeds on that cluster.
    """
    files = discover(paths)
    previous = _previous_documents(index_dir) if reuse else {}
    return build_index_from_documents.__wrapped__(
        load_documents(files, root, previous), index_dir, root=root,
        inputs=[source_name(p, root) for p in paths], sources=_source_stats(files, root),
        settings=settings, embedder=embedder, progress=progress, reuse=reuse, ray=ray,
    )


def add_to_index(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    settings: Settings | None = None,
    embedder: embedding.Embedder | None = None,
    progress: bool = True,
) -> BuildReport:
    """Rebuild `index_dir` from its recorded inputs plus `paths` (only new text is embedded).

    The inputs are read from the manifest on disk inside the build lock, so a `qa add` and a
    web upload running at once both end up in the index instead of the later one winning.
    A recorded input that no longer exists is left out and named in the report.
    """
    with build_lock(index_dir):
        manifest = read_manifest(index_dir)
        inputs, gone = _existing_inputs(manifest)
        known = {p.resolve() for p in inputs}
        inputs += [p for p in paths if p.resolve() not in known]
        report = build_index.__wrapped__(inputs, index_dir, root=Path(manifest["root"]),
                                         settings=settings, embedder=embedder,
                                         progress=progress)
    return dataclasses.replace(report, left_out=gone)


def refresh_index(index_dir: Path, *, only_if_stale: bool = False,
                  settings: Settings | None = None, progress: bool = True,
                  ray: str | None = None) -> BuildReport | None:
    """Rebuild an index from the inputs its (verified) manifest records, the ones that
    still exist; None when `only_if_stale` and nothing changed. What an edited or missing
    manifest would say is never used: that fails here with one line."""
    with build_lock(index_dir):
        manifest = read_manifest(index_dir)
        if only_if_stale and not check_staleness(index_dir, manifest, settings).stale:
            return None
        inputs, gone = _existing_inputs(manifest)
        if not inputs:
            raise SourceError(f"none of the sources of {index_dir} exist any more "
                              f"({', '.join(manifest['inputs'])}); name new ones: "
                              "`qa index PATH ...`")
        model = _refresh_model(manifest["model"]["name"])
        report = build_index.__wrapped__(inputs, index_dir, root=Path(manifest["root"]),
                                         settings=settings, embedder=model, progress=progress,
                                         ray=ray)
    return dataclasses.replace(report, left_out=gone)


def _refresh_model(name: str) -> embedding.Embedder:
    """The model a refresh embeds with: the index's own, or this qa's when that one is not
    known here (an index of another version; its manifest is verified, so its inputs are)."""
    try:
        return embedding.embedder_kind(name).build()
    except IndexIncompatible:
        return embedding.embedder_kind(embedding.MODEL_NAME).build()


def _existing_inputs(manifest: dict[str, Any]) -> tuple[list[Path], tuple[str, ...]]:
    paths = manifest_inputs(manifest)
    gone = tuple(name for name, p in zip(manifest["inputs"], paths, strict=True)
                 if not p.exists())
    return [p for p in paths if p.exists()], gone


def _source_stats(files: Sequence[Path], root: Path) -> dict[str, dict[str, Any]]:
    stats = {}
    for path in files:
        st = path.stat()
        stats[source_name(path, root)] = {
            "sha256": sha256_file(path),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
        }
    return stats


@one_build_at_a_time
def build_index_from_documents(
    docs: Sequence[Document],
    index_dir: Path,
    *,
    root: Path,
    inputs: Sequence[str],
    sources: dict[str, dict[str, Any]],
    settings: Settings | None = None,
    embedder: embedding.Embedder | None = None,
    progress: bool = True,
    reuse: bool = True,
    ray: str | None = None,
) -> BuildReport:
    """Index documents already in memory (e.g. a BEIR corpus). `inputs` and `sources`
    (name -> sha256, size, mtime_ns, relative to `root`) go into the manifest as they are,
    for the staleness check. A Qdrant `[index] backend` is written by qa.store.scale."""
    started = time.perf_counter()
    check_target(index_dir, index_files())
    settings = settings or load_settings()
    if ray is not None and settings.index.local:
        raise ValueError("--ray embeds for a Qdrant build: set `[index] backend` or "
                         "--backend to qdrant-edge:PATH or qdrant:URL")
    names = settings.index.record()
    vector_backend = backend(VECTOR_BACKENDS, names["vectors"], "vector")
    lexical_backend = backend(LEXICAL_BACKENDS, names["lexical"], "lexical")
    analyzer = analyzer_for(settings.bm25.analyzer)
    chunks = chunk_documents([(d.source, d.text) for d in docs], settings.chunker)
    if not chunks:
        raise SourceError("the documents contain no text to index")

    model = embedder or embedding.embedder_kind(embedding.MODEL_NAME).build()
    model_info = {"name": model.name, "dim": model.dim, "sha256": _model_sha(model)}
    previous = _previous_vectors(index_dir, model_info) if reuse else {}
    indexed = indexed_texts(chunks, {d.source: d.title for d in docs}, settings.chunker)
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in indexed]
    # Qdrant embeds as it ingests
    embedded = _embed_new(model, keys, indexed, previous, progress) if settings.index.local else 0
    entities = (_entities(docs, index_dir if reuse else None, progress)
                if settings.index.entities else None)

    remove_abandoned_builds(index_dir)
    tmp = index_dir.with_name(f".{index_dir.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        written = _write_records(tmp, docs, chunks, entities)
        if settings.index.local:
            written += lexical_backend.write(
                tmp, [analyzer.tokenize(t, analyzer.stopwords) for t in indexed],
                settings.bm25)
            vectors = np.stack([previous[k] for k in keys]).astype(np.float32)
            vector_files, vector_info = vector_backend.write(tmp, vectors)
            vector_info = {**vector_info, "backend": names["vectors"]}
            written += vector_files
        else:
            ingested = _ingest(tmp, chunks, indexed, settings, model, model_info, previous,
                               ray)
            written += ingested.files
            vector_info, embedded = ingested.vectors, ingested.embedded
        sentence_files, sentence_info = _sentences(tmp, docs, chunks, model, model_info,
                                                   index_dir if reuse else None, progress)
        written += sentence_files
        encoder_files = [p.name for p in _export_encoder(model, tmp, index_dir, model_info)]
        written += encoder_files
        write_manifest(tmp, {
            **_manifest(root, inputs, model_info, settings, names, analyzer),
            "vectors": vector_info,
            "encoder_files": encoder_files,
            "ner": NER_VERSION if entities is not None else None,
            "sentences": sentence_info,
            "counts": {"documents": len(docs), "chunks": len(chunks), "files": len(sources)},
            "sources": sources,
            "files": {name: sha256_file(tmp / name) for name in sorted(set(written))},
        })
        swap_in(tmp, index_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildReport(index_dir, len(docs), len(chunks), embedded,
                       len(chunks) - embedded, time.perf_counter() - started)


def _write_records(tmp: Path, docs: Sequence[Document], chunks: Sequence[Chunk],
                   entities: Sequence[dict[str, Any]] | None) -> list[str]:
    """The documents, their chunks and (if found) entities as JSONL in `tmp`; the files'
    names."""
    write_jsonl(tmp / DOCUMENTS, [asdict(d) for d in docs])
    if entities is not None:
        write_jsonl(tmp / ENTITIES, [
            {"source": d.source, "text_sha256": text_sha(d.text), **found}
            for d, found in zip(docs, entities, strict=True)])
    write_jsonl(tmp / CHUNKS, [chunk_row(c) for c in chunks])
    return [DOCUMENTS, CHUNKS, *([ENTITIES] if entities is not None else [])]


def _embed_new(model: embedding.Embedder, keys: Sequence[str], indexed: Sequence[str],
               previous: dict[str, np.ndarray], progress: bool) -> int:
    """Embeds the indexed texts whose keys `previous` (the last build's vectors) lacks, into
    it; how many."""
    todo = {k: t for k, t in zip(keys, indexed, strict=True) if k not in previous}
    missing = sorted(todo.items())
    if missing:
        # A bar redrawn into a log or pipe is one line per update: only on a terminal.
        fresh = model.encode([text for _, text in missing], batch_size=BUILD_BATCH,
                             progress=progress and sys.stderr.isatty())
        previous.update(zip((k for k, _ in missing), fresh, strict=True))
    return len(missing)


def _manifest(root: Path, inputs: Sequence[str], model_info: dict[str, Any],
              settings: Settings, names: dict[str, Any],
              analyzer: AnalyzerSpec) -> dict[str, Any]:
    """The manifest's record of what was indexed and how: the settings and versions a
    staleness check compares."""
    return {
        "format": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "root": str(root.resolve()),
        "inputs": list(inputs),
        "model": model_info,
        "cleaner": CLEANER_VERSION,
        "extractor": EXTRACTOR_VERSION,
        "chunker": asdict(settings.chunker),
        "bm25": {"backend": names["lexical"], **asdict(settings.bm25),
                 "tokenizer": analyzer.version,
                 "stopwords": sorted(analyzer.stopwords)},
    }


def _ingest(tmp: Path, chunks: Sequence[Chunk], indexed: Sequence[str], settings: Settings,
            model: embedding.Embedder, model_info: dict[str, Any],
            previous: dict[str, np.ndarray], ray: str | None):
    """Chunks into the Qdrant collection the settings name, embedded here or on Ray."""
    if ray is None:
        def embed(texts: list[str]) -> np.ndarray:
            return model.encode(texts, batch_size=BUILD_BATCH, progress=False)
        batch = INGEST_BATCH
    else:
        embed, batch = ray_embedder(ray, embedding.embedder_kind(model.name).build)
    return ingest(tmp, chunks, indexed, settings.index, settings.bm25,
                  analyzer_for(settings.bm25.analyzer), model_info, embed, previous, batch=batch)


def _sentences(tmp: Path, docs: Sequence[Document], chunks: Sequence[Chunk],
               model: embedding.Embedder, model_info: dict[str, Any], previous: Path | None,
               progress: bool) -> tuple[list[str], dict[str, Any]]:
    """Every sentence's vector as the reader embeds it (qa.store.sentences); those the
    current index holds for the same text and model are reused."""
    old = None
    if previous is not None:
        try:
            manifest = read_manifest(previous)
            if manifest["model"] == model_info:
                old = load_sentences(previous, manifest.get("sentences"), model.dim,
                                     manifest["counts"]["chunks"])
        except QAError:
            old = None
    texts = meaning_texts({d.source: d.text for d in docs}, chunks,
                          {d.source: d.title for d in docs})

    def embed(batch: list[str]) -> np.ndarray:
        return model.encode(batch, batch_size=BUILD_BATCH,
                            progress=progress and sys.stderr.isatty())

    files, info, _ = write_sentences(tmp, texts, model.dim, embed, old)
    return files, info


def _model_sha(model: embedding.Embedder) -> str:
    return embedding.embedder_kind(model.name).weights_sha256()


def _export_encoder(model, tmp: Path, index_dir: Path, model_info: dict) -> list[Path]:
    """Put the query-time encoder into the index, copying it from the old index if equal."""
    export = embedding.embedder_kind(model.name).export
    if export is None:
        return []
    try:  # verified, so a tampered encoder is never copied into the new index
        old = read_manifest(index_dir)
    except QAError:
        old = None
    if old and old["model"] == model_info:
        names = old["encoder_files"]
        if names and all((index_dir / n).is_file() for n in names):
            for name in names:
                shutil.copy2(index_dir / name, tmp / name)
            return [tmp / n for n in names]
    return export(model, tmp)


def _previous_documents(index_dir: Path) -> dict[str, Document]:
    """The current index's documents by source, when they were extracted and cleaned by
    these rules: a rebuild then re-reads only files whose bytes changed."""
    try:
        manifest = read_manifest(index_dir)
    except QAError:
        return {}
    if (manifest["cleaner"], manifest["extractor"]) != (CLEANER_VERSION, EXTRACTOR_VERSION):
        return {}
    with gc_paused():
        docs = read_documents(index_dir)
    return {d.source: d for d in docs}


def _entities(docs: Sequence[Document], previous: Path | None,
              progress: bool) -> list[dict[str, Any]]:
    """Named entities and parse of each document, as ENTITIES rows hold them: those the
    current index found in the same text (by the same pipeline) are reused, the rest are
    found now."""
    known: dict[str, dict[str, Any]] = {}
    if previous is not None:
        try:
            if read_manifest(previous).get("ner") == NER_VERSION:
                known = {row["text_sha256"]: {"entities": row["entities"],
                                              "tokens": row["tokens"]}
                         for row in read_jsonl(previous / ENTITIES)}
        except (QAError, OSError, KeyError):
            known = {}
    shas = [text_sha(d.text) for d in docs]
    todo = {sha: d.text for sha, d in zip(shas, docs, strict=True) if sha not in known}
    if todo:
        with tqdm(total=sum(map(len, todo.values())), desc="Finding entities", unit="char",
                  unit_scale=True, leave=False, disable=not (progress and sys.stderr.isatty())
                  ) as bar:
            found = read_texts(list(todo.values()), progress=bar)
        known.update(zip(todo, ({"entities": [list(e) for e in f.entities],
                                 "tokens": f.parse.to_json()} for f in found), strict=True))
    return [known[sha] for sha in shas]


def _previous_vectors(index_dir: Path, model_info: dict) -> dict[str, np.ndarray]:
    """Vectors of the current index by the hash of the text each was embedded from (the
    chunk as indexed: qa.ingest.chunking.indexed_texts), if it was built with this model.

    Reads only the documents (for the chunks' texts and titles), the chunks and the vectors:
    loading the whole index would also open its question encoder, which a build does not
    need."""
    try:
        manifest = read_manifest(index_dir)
    except QAError:
        return {}
    if manifest["model"] != model_info:
        return {}
    info = manifest["vectors"]
    stored = backend(VECTOR_BACKENDS, info["backend"], "vector").load(index_dir, info)
    with gc_paused():
        docs = read_documents(index_dir)
        chunks = read_chunks(index_dir, {d.source: d.text for d in docs})
        titles = {d.source: d.title for d in docs}
    built = manifest["chunker"]  # an index from before titles were indexed has no "title"
    texts = indexed_texts(chunks, titles, ChunkerConfig(
        max_chars=built["max_chars"], overlap=built["overlap"], title=built.get("title", False)))
    vectors = stored.vectors()
    return {hashlib.sha256(t.encode()).hexdigest(): vectors[i] for i, t in enumerate(texts)}
