"""The index manifest: a schema for what is read back, and a checksum over what was written.

Everything that decides how an index is used (which model encodes a question, which files
are checked, what a rebuild reads) comes from `manifest.json`, so it is never trusted as
found: it must parse, match the schema below (types, ranges, finite numbers, plain file
names) and match its own `checksum`, the sha256 of its canonical JSON without that field.
An edited manifest is refused with one line; qa never rebuilds from what an edited one says.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    ValidationError,
    field_validator,
)

from qa.errors import IndexCorrupt, IndexIncompatible

__all__ = ["FORMAT_VERSION", "MANIFEST", "parse_manifest", "seal", "write_manifest"]

FORMAT_VERSION = 2  # 2: schema-checked and checksummed
MANIFEST = "manifest.json"

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# A file of the index itself: no folders, so a manifest cannot point a check or a read
# at anything outside the index directory.
FileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Open(BaseModel):
    """Parts written by a component that owns their keys (vectors, chunker)."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class ModelInfo(_Record):
    name: Text
    dim: PositiveInt
    sha256: Sha256


class BM25Info(_Record):
    # the LexicalIndex that reads it (qa.backends.protocols.LEXICAL_BACKENDS)
    backend: Text = "bm25"
    k1: Finite = Field(gt=0)
    b: Finite = Field(ge=0, le=1)
    epsilon: Finite = Field(ge=0)
    analyzer: Text = "simple"  # qa.backends.analyzers; absent before analyzers were a setting
    tokenizer: Text
    stopwords: list[Annotated[str, StringConstraints(max_length=100)]]


class ChunkerInfo(_Open):
    max_chars: PositiveInt
    overlap: NonNegativeInt
    version: Text


class VectorsInfo(_Open):
    """What every vector backend records; the rest of the record is the backend's own (FAISS
    adds its kind and search parameters), read back only by that backend."""

    backend: Text = "faiss"  # the VectorIndex that reads it (qa.backends.protocols.VECTOR_BACKENDS)
    dim: PositiveInt
    count: NonNegativeInt
    metric: Literal["inner_product"] = "inner_product"  # cosine of unit vectors


class SentencesInfo(_Record):
    """Sentence vectors stored at build time (qa.store.sentences)."""

    meaning: Text  # qa.ingest.context.MEANING_VERSION of the texts embedded
    count: NonNegativeInt


class Counts(_Record):
    documents: NonNegativeInt
    chunks: PositiveInt
    files: NonNegativeInt


class SourceStat(_Record):
    sha256: Sha256
    size: NonNegativeInt
    mtime_ns: int


class Manifest(_Record):
    format: Literal[2]
    created: Text
    root: Text
    inputs: list[Text] = Field(min_length=1)
    model: ModelInfo
    cleaner: Text
    extractor: Text
    chunker: ChunkerInfo
    bm25: BM25Info
    vectors: VectorsInfo
    encoder_files: list[FileName]
    ner: Text | None = None  # the entity finder's version; None: built without entities
    sentences: SentencesInfo | None = None  # None: sentences are encoded at query time
    counts: Counts
    sources: dict[Text, SourceStat]
    files: dict[FileName, Sha256] = Field(min_length=1)
    checksum: Sha256

    @field_validator("root")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not Path(value).is_absolute():
            raise ValueError("root must be an absolute path")
        return value


def _canonical(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def seal(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its checksum added; validated, so qa never writes what it would refuse."""
    sealed = {**data, "checksum": hashlib.sha256(_canonical(data)).hexdigest()}
    Manifest.model_validate(sealed)
    return sealed


def write_manifest(directory: Path, data: dict[str, Any]) -> None:
    sealed = seal(data)
    (directory / MANIFEST).write_text(json.dumps(sealed, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses to inf
        raise ValueError(f"{text} is out of range")
    return value


def _sources_hint(data: dict[str, Any]) -> str:
    """What an old manifest says it was built from, for the user to check and type (qa
    never rebuilds from a manifest it cannot verify)."""
    inputs = data.get("inputs")
    if isinstance(inputs, list) and inputs and all(
            isinstance(p, str) and 0 < len(p) <= 200 and p.isprintable() for p in inputs[:20]):
        return " ".join(inputs[:20])
    return "PATH ..."


def parse_manifest(raw: bytes, where: Path) -> dict[str, Any]:
    """The manifest as a plain dict (every field the schema knows, defaults filled in), or a
    one-line IndexCorrupt / IndexIncompatible."""
    rebuild = "rebuild it with `qa index`"
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant,
                          parse_float=_finite)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise IndexCorrupt(f"{where} is not valid JSON: {rebuild}") from None
    if not isinstance(data, dict):
        raise IndexCorrupt(f"{where} is not a qa manifest (not a JSON object): {rebuild}")
    if data.get("format") != FORMAT_VERSION:
        found = data.get("format")
        shown = repr(found) if isinstance(found, int | str | None) else "unknown"
        raise IndexIncompatible(f"{where} is index format {shown}; this qa reads format "
                                f"{FORMAT_VERSION}: rebuild it by naming its sources, "
                                f"`qa index {_sources_hint(data)} --index-dir {where.parent}`")
    try:
        valid = Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise IndexCorrupt(f"{where} is damaged ({at}: {first['msg'].lower()}): "
                           f"{rebuild}") from None
    if hashlib.sha256(_canonical(data)).hexdigest() != data["checksum"]:
        raise IndexCorrupt(f"{where} was edited after qa wrote it (checksum mismatch): "
                           f"{rebuild}")
    return valid.model_dump()  # with the defaults of fields added since it was written
