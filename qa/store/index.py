"""Build, save, check and load the on-disk index.

An index is a directory with a `manifest.json` that records everything needed to use it
again: format version, model (name, weights hash, dimension), cleaner/chunker/BM25 settings,
the stopwords, the sha256 of every source and of every index file. The query side rebuilds
tokenizer and encoder from the manifest alone and verifies every checksum before it reads a
file. A build is written to a sibling temporary directory and swapped in with renames, so a
build that dies half-way leaves the previous index untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from tqdm import tqdm

# Imported for their registrations: the built-in backends the registries name.
import qa.backends.bm25
import qa.backends.faiss
import qa.backends.qdrant  # noqa: F401
from qa.backends.analyzers import ANALYZERS, analyzer_for
from qa.backends.bm25 import DEFAULT_STOPWORDS
from qa.backends.protocols import (
    LEXICAL_BACKENDS,
    VECTOR_BACKENDS,
    LexicalIndex,
    VectorIndex,
    backend,
)
from qa.config import ChunkerConfig, Settings, load_settings
from qa.embed import embedding
from qa.errors import IndexCorrupt, IndexIncompatible, IndexMissing, QAError, SourceError
from qa.ingest.chunking import Chunk, chunk_documents, indexed_texts
from qa.ingest.cleaning import CLEANER_VERSION
from qa.ingest.context import MEANING_VERSION
from qa.ingest.entities import NER_VERSION, Entity, Parse, read_texts
from qa.ingest.extractors import EXTRACTOR_VERSION
from qa.ingest.sources import Document, discover, load_documents, source_name
from qa.store.atomic import (
    build_lock,
    check_target,
    one_build_at_a_time,
    recover,
    remove_abandoned_builds,
    swap_in,
)
from qa.store.integrity import VERIFIED, sha256_file, verify_files
from qa.store.manifest import FORMAT_VERSION, MANIFEST, parse_manifest, write_manifest
from qa.store.scale import INGEST_BATCH, ingest, ray_embedder
from qa.store.sentences import FILES as SENTENCE_FILES
from qa.store.sentences import SentenceVectors, load_sentences, meaning_texts, write_sentences
from qa.types import Analyzer

__all__ = [
    "FORMAT_VERSION",
    "BuildReport",
    "Index",
    "Staleness",
    "add_to_index",
    "build_index",
    "build_index_from_documents",
    "build_lock",
    "check_staleness",
    "index_files",
    "load_index",
    "manifest_inputs",
    "read_manifest",
    "refresh_index",
    "reusable_index",
]

DOCUMENTS = "documents.jsonl"
ENTITIES = "entities.jsonl"  # per document: the named entities the reader uses
CHUNKS = "chunks.jsonl"
ENCODER_FILES = (embedding.ONNX_FILE, embedding.ONNX_DATA_FILE, embedding.TOKENIZER_FILE,
                 embedding.CONFIG_FILE)
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


@dataclass(frozen=True, slots=True)
class Staleness:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()  # build settings now set otherwise ("chunker.max_chars")

    @property
    def stale(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.settings)

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in asdict(self).items() if v]
        return ", ".join(parts) or "up to date"


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


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    # orjson parses 2.3x faster than json: at 100k chunks that is 0.4 s of a ~1 s load.
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


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
    todo = {k: t for k, t in zip(keys, indexed, strict=True) if k not in previous}
    missing = sorted(todo.items()) if settings.index.local else []  # Qdrant: as it ingests
    if missing:
        # A bar redrawn into a log or pipe is one line per update: only on a terminal.
        fresh = model.encode([text for _, text in missing], batch_size=BUILD_BATCH,
                             progress=progress and sys.stderr.isatty())
        previous.update(zip((k for k, _ in missing), fresh, strict=True))
    embedded = len(missing)
    entities = (_entities(docs, index_dir if reuse else None, progress)
                if settings.index.entities else None)

    remove_abandoned_builds(index_dir)
    tmp = index_dir.with_name(f".{index_dir.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write_jsonl(tmp / DOCUMENTS, [asdict(d) for d in docs])
        if entities is not None:
            _write_jsonl(tmp / ENTITIES, [
                {"source": d.source, "text_sha256": _text_sha(d.text), **found}
                for d, found in zip(docs, entities, strict=True)])
        _write_jsonl(tmp / CHUNKS, [_chunk_row(c) for c in chunks])
        written = [DOCUMENTS, CHUNKS, *([ENTITIES] if entities is not None else [])]
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
    texts = meaning_texts({d.source: d.text for d in docs}, chunks)

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


def _embedder_for(model_info: dict[str, Any], index_dir: Path) -> embedding.Embedder:
    """The query encoder an index was built for, from its manifest alone."""
    return embedding.embedder_kind(model_info["name"]).query(index_dir, model_info)


def _previous_documents(index_dir: Path) -> dict[str, Document]:
    """The current index's documents by source, when they were extracted and cleaned by
    these rules: a rebuild then re-reads only files whose bytes changed."""
    try:
        manifest = read_manifest(index_dir)
    except QAError:
        return {}
    if (manifest["cleaner"], manifest["extractor"]) != (CLEANER_VERSION, EXTRACTOR_VERSION):
        return {}
    with _gc_paused():
        docs = _read_documents(index_dir)
    return {d.source: d for d in docs}


def index_files() -> frozenset[str]:
    """Every name an index directory may hold, with the files of every registered backend:
    a build replaces a folder only if it holds nothing else (see atomic.check_target)."""
    backends = [*VECTOR_BACKENDS.values(), *LEXICAL_BACKENDS.values()]
    return frozenset({MANIFEST, DOCUMENTS, CHUNKS, ENTITIES, VERIFIED, *ENCODER_FILES,
                      *SENTENCE_FILES, *(name for b in backends for name in b.files)})


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
                         for row in _read_jsonl(previous / ENTITIES)}
        except (QAError, OSError, KeyError):
            known = {}
    shas = [_text_sha(d.text) for d in docs]
    todo = {sha: d.text for sha, d in zip(shas, docs, strict=True) if sha not in known}
    if todo:
        with tqdm(total=sum(map(len, todo.values())), desc="Finding entities", unit="char",
                  unit_scale=True, leave=False, disable=not (progress and sys.stderr.isatty())
                  ) as bar:
            found = read_texts(list(todo.values()), progress=bar)
        known.update(zip(todo, ({"entities": [list(e) for e in f.entities],
                                 "tokens": f.parse.to_json()} for f in found), strict=True))
    return [known[sha] for sha in shas]


def _read_entities(index_dir: Path, manifest: dict[str, Any]
                   ) -> tuple[dict[str, tuple[Entity, ...]], dict[str, Parse]]:
    if manifest.get("ner") is None:
        return {}, {}
    rows = _read_jsonl(index_dir / ENTITIES)
    try:
        return ({row["source"]: tuple((int(a), int(b), str(t)) for a, b, t in row["entities"])
                 for row in rows},
                # An index from before parses were stored (an older NER_VERSION) still
                # answers, without the tree's features, until it is rebuilt.
                {row["source"]: Parse.of_json(row["tokens"]) for row in rows if "tokens" in row})
    except (KeyError, TypeError, ValueError) as error:
        raise IndexCorrupt(f"{index_dir / ENTITIES}: {error}") from error


def _read_documents(index_dir: Path) -> list[Document]:
    return [Document(**{**row, "pages": tuple(row.get("pages", ()))})
            for row in _read_jsonl(index_dir / DOCUMENTS)]


def _chunk_row(chunk: Chunk) -> dict[str, Any]:
    """A chunk as stored: its place in its document, not its text. The text is
    `document.text[start:end]` by construction, and storing it again made chunks.jsonl the
    largest file of an index (160 MB at 100k chunks of 800 characters) and its parse half of
    a load."""
    return {"id": chunk.id, "source": chunk.source, "start": chunk.start, "end": chunk.end}


def _read_chunks(index_dir: Path, texts: dict[str, str]) -> list[Chunk]:
    """The chunks with their text cut from their documents (`texts`: text by source). Rows of
    an index written before chunks were stored by place alone still carry their text."""
    chunks = []
    for row in _read_jsonl(index_dir / CHUNKS):
        text = texts.get(row["source"])
        start, end = row["start"], row["end"]
        if text is None or not 0 <= start <= end <= len(text):
            raise IndexCorrupt(f"{index_dir / CHUNKS}: chunk {row['id']} lies outside its "
                               "document: rebuild with `qa index`")
        chunks.append(Chunk(row["id"], row["source"], start, end,
                            row["text"] if "text" in row else text[start:end]))
    return chunks


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
    with _gc_paused():
        docs = _read_documents(index_dir)
        chunks = _read_chunks(index_dir, {d.source: d.text for d in docs})
        titles = {d.source: d.title for d in docs}
    built = manifest["chunker"]  # an index from before titles were indexed has no "title"
    texts = indexed_texts(chunks, titles, ChunkerConfig(
        max_chars=built["max_chars"], overlap=built["overlap"], title=built.get("title", False)))
    vectors = stored.vectors()
    return {hashlib.sha256(t.encode()).hexdigest(): vectors[i] for i, t in enumerate(texts)}


def _read_manifest(index_dir: Path) -> dict[str, Any]:
    recover(index_dir, MANIFEST)
    path = index_dir / MANIFEST
    if not path.is_file():
        raise _no_manifest(index_dir)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IndexCorrupt(f"{path} cannot be read ({exc.strerror}): rebuild with "
                           "`qa index`") from None
    manifest = parse_manifest(raw, path)
    missing = _core_files(manifest) - set(manifest["files"])
    if missing:
        raise IndexCorrupt(f"{path} does not list {', '.join(sorted(missing))}: rebuild with "
                           "`qa index`")
    return manifest


def _core_files(manifest: dict[str, Any]) -> set[str]:
    """The files every index has, plus the encoder its manifest names: each must be
    checksummed, so none can be swapped unseen."""
    vectors = backend(VECTOR_BACKENDS, manifest["vectors"]["backend"], "vector")
    lexical = backend(LEXICAL_BACKENDS, manifest["bm25"]["backend"], "lexical")
    entities = [ENTITIES] if manifest.get("ner") is not None else []
    sentences = SENTENCE_FILES if manifest.get("sentences") is not None else ()
    return {DOCUMENTS, CHUNKS, *entities, *sentences, *vectors.files, *lexical.files,
            *manifest["encoder_files"]}


def _no_manifest(index_dir: Path) -> QAError:
    """Why there is no manifest: no index yet, a folder that is not an index, or an index
    whose manifest was lost (then its sources cannot be known, so nothing is rebuilt)."""
    if not index_dir.is_dir() or not any(index_dir.iterdir()):
        return IndexMissing(f"no index in {index_dir}: build it with `qa index`")
    names = {p.name for p in index_dir.iterdir()}
    if not names <= index_files():
        return IndexMissing(f"{index_dir} is not a qa index: choose another --index-dir")
    return IndexCorrupt(
        f"{index_dir} has lost its manifest.json, so what it was built from is unknown; "
        f"rebuild it by naming every source: `qa index PATH ... --index-dir {index_dir}`"
    )


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest of a whole, undamaged index, without loading it: for commands that only
    report on it or rebuild it (a missing, foreign or edited index fails here, in one line)."""
    manifest = _read_manifest(index_dir)
    verify_files(index_dir, manifest["files"])
    return manifest


def manifest_inputs(manifest: dict[str, Any]) -> list[Path]:
    """The files and folders an index was built from, as paths: what a rebuild must read
    again so that nothing added later (`qa add`, an upload) drops out."""
    root = Path(manifest["root"])
    return [root / p for p in manifest["inputs"]]


def check_staleness(index_dir: Path, manifest: dict[str, Any] | None = None,
                    settings: Settings | None = None) -> Staleness:
    """Compare the sources and build settings the index was built with with what is on disk
    and in the settings (by default: code defaults with ./qa.toml over them) now."""
    manifest = manifest or _read_manifest(index_dir)
    differ = _settings_changed(manifest, settings or load_settings())
    root = Path(manifest["root"])
    recorded: dict[str, dict] = manifest["sources"]
    try:
        files = discover(manifest_inputs(manifest))
    except SourceError:
        files = [p for p in (root / name for name in recorded) if p.is_file()]
    current = {source_name(p, root): p for p in files}
    changed = []
    for name, path in current.items():
        old = recorded.get(name)
        if old is None:
            continue
        st = path.stat()
        if (st.st_size, st.st_mtime_ns) != (old["size"], old["mtime_ns"]) and (
            st.st_size != old["size"] or sha256_file(path) != old["sha256"]
        ):
            changed.append(name)
    return Staleness(
        added=tuple(sorted(set(current) - set(recorded))),
        changed=tuple(sorted(changed)),
        removed=tuple(sorted(set(recorded) - set(current))),
        settings=differ,
    )


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
            and m["cleaner"] == CLEANER_VERSION and not _settings_changed(m, settings)
            and model_name in (None, m["model"]["name"]))
    return index if same else None


def _settings_changed(manifest: dict[str, Any], settings: Settings) -> tuple[str, ...]:
    vectors = manifest["vectors"]
    built = {"chunker": manifest["chunker"],
             "bm25": manifest["bm25"],
             "index": {"vectors": vectors["backend"],
                       "lexical": manifest["bm25"]["backend"],
                       "entities": manifest.get("ner") == NER_VERSION,
                       "backend": vectors.get("where", "local"),
                       **{k: vectors[k] for k in ("collection", "shards", "replicas")
                          if k in vectors}}}
    # An index from before analyzers were a setting was built by the simple one.
    built["bm25"] = {"analyzer": Analyzer.SIMPLE.value, **built["bm25"]}
    now = settings.build_record()
    changed = tuple(f"{section}.{key}" for section, values in now.items()
                    for key, value in values.items() if built[section].get(key) != value)
    if (manifest.get("sentences") or {}).get("meaning") != MEANING_VERSION:
        changed += ("sentences.meaning",)  # built before sentence vectors, or other texts
    if "bm25.analyzer" not in changed and (
            built["bm25"].get("tokenizer") != analyzer_for(settings.bm25.analyzer).version):
        changed += ("bm25.tokenizer",)  # same analyzer, rules changed since the build
    return changed


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing 100k chunks allocates ~1M objects, none of them garbage, yet each batch of
    allocations triggers a collection, some scanning the whole heap (`qa bench`: 10-25% of
    the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyzer(manifest: dict[str, Any]) -> Analyzer:
    """The analyzer an index was built with; one this qa does not have cannot be queried."""
    name = manifest["bm25"].get("analyzer", Analyzer.SIMPLE.value)
    try:
        return Analyzer.parse(name)
    except ValueError as exc:
        raise IndexIncompatible(f"the index was built with BM25 {exc}; rebuild it with "
                                "`qa index`") from None


def load_index(index_dir: Path) -> Index:
    """Load an index after verifying its format, model and every file's checksum."""
    manifest = _read_manifest(index_dir)
    verify_files(index_dir, manifest["files"])
    encoder = _embedder_for(manifest["model"], index_dir)
    info = manifest["vectors"]
    vectors = backend(VECTOR_BACKENDS, info["backend"], "vector").load(index_dir, info)
    lexical = backend(LEXICAL_BACKENDS, manifest["bm25"]["backend"], "lexical").load(index_dir)
    with _gc_paused():
        docs = _read_documents(index_dir)
        chunks = _read_chunks(index_dir, {d.source: d.text for d in docs})
        entities, parses = _read_entities(index_dir, manifest)
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
