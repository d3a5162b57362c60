"""The files of an index directory: their names, how each is written and read back, and the
manifest that checksums them all (read verified, or as written for a check that verifies
later).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

# Imported for their registrations: the built-in backends the registries name.
import qa.backends.bm25
import qa.backends.faiss
import qa.backends.qdrant  # noqa: F401
from qa.backends.protocols import LEXICAL_BACKENDS, VECTOR_BACKENDS, backend
from qa.embed import embedding
from qa.errors import IndexCorrupt, IndexMissing, QAError
from qa.ingest.chunking import Chunk
from qa.ingest.document import Document
from qa.ingest.entities import Entity, Parse
from qa.store.atomic import recover
from qa.store.integrity import VERIFIED, verify_files
from qa.store.manifest import MANIFEST, parse_manifest
from qa.store.sentences import FILES as SENTENCE_FILES

__all__ = [
    "CHUNKS",
    "DOCUMENTS",
    "ENCODER_FILES",
    "ENTITIES",
    "chunk_row",
    "gc_paused",
    "index_files",
    "manifest_inputs",
    "read_chunks",
    "read_documents",
    "read_entities",
    "read_jsonl",
    "read_manifest",
    "text_sha",
    "unverified_manifest",
    "write_jsonl",
]

DOCUMENTS = "documents.jsonl"
ENTITIES = "entities.jsonl"  # per document: the named entities the reader uses
CHUNKS = "chunks.jsonl"
ENCODER_FILES = (embedding.ONNX_FILE, embedding.ONNX_DATA_FILE, embedding.TOKENIZER_FILE,
                 embedding.CONFIG_FILE)


def index_files() -> frozenset[str]:
    """Every name an index directory may hold, with the files of every registered backend:
    a build replaces a folder only if it holds nothing else (see atomic.check_target)."""
    backends = [*VECTOR_BACKENDS.values(), *LEXICAL_BACKENDS.values()]
    return frozenset({MANIFEST, DOCUMENTS, CHUNKS, ENTITIES, VERIFIED, *ENCODER_FILES,
                      *SENTENCE_FILES, *(name for b in backends for name in b.files)})


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    # orjson parses 2.3x faster than json: at 100k chunks that is 0.4 s of a ~1 s load.
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_documents(index_dir: Path) -> list[Document]:
    return [Document(**{**row, "pages": tuple(row.get("pages", ()))})
            for row in read_jsonl(index_dir / DOCUMENTS)]


def chunk_row(chunk: Chunk) -> dict[str, Any]:
    """A chunk as stored: its place in its document, not its text. The text is
    `document.text[start:end]` by construction, and storing it again made chunks.jsonl the
    largest file of an index (160 MB at 100k chunks of 800 characters) and its parse half of
    a load."""
    return {"id": chunk.id, "source": chunk.source, "start": chunk.start, "end": chunk.end}


def read_chunks(index_dir: Path, texts: dict[str, str]) -> list[Chunk]:
    """The chunks with their text cut from their documents (`texts`: text by source). Rows of
    an index written before chunks were stored by place alone still carry their text."""
    chunks = []
    for row in read_jsonl(index_dir / CHUNKS):
        text = texts.get(row["source"])
        start, end = row["start"], row["end"]
        if text is None or not 0 <= start <= end <= len(text):
            raise IndexCorrupt(f"{index_dir / CHUNKS}: chunk {row['id']} lies outside its "
                               "document: rebuild with `qa index`")
        chunks.append(Chunk(row["id"], row["source"], start, end,
                            row["text"] if "text" in row else text[start:end]))
    return chunks


def read_entities(index_dir: Path, manifest: dict[str, Any]
                   ) -> tuple[dict[str, tuple[Entity, ...]], dict[str, Parse]]:
    if manifest.get("ner") is None:
        return {}, {}
    rows = read_jsonl(index_dir / ENTITIES)
    try:
        return ({row["source"]: tuple((int(a), int(b), str(t)) for a, b, t in row["entities"])
                 for row in rows},
                # An index from before parses were stored (an older NER_VERSION) still
                # answers, without the tree's features, until it is rebuilt.
                {row["source"]: Parse.of_json(row["tokens"]) for row in rows if "tokens" in row})
    except (KeyError, TypeError, ValueError) as error:
        raise IndexCorrupt(f"{index_dir / ENTITIES}: {error}") from error


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
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


def unverified_manifest(index_dir: Path) -> dict[str, Any]:
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
    manifest = unverified_manifest(index_dir)
    verify_files(index_dir, manifest["files"])
    return manifest


def manifest_inputs(manifest: dict[str, Any]) -> list[Path]:
    """The files and folders an index was built from, as paths: what a rebuild must read
    again so that nothing added later (`qa add`, an upload) drops out."""
    root = Path(manifest["root"])
    return [root / p for p in manifest["inputs"]]
