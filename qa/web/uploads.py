"""Documents uploaded through the web page: checked, saved under `<root>/uploads/`, indexed.

An upload is read with the same reader as `qa index` (type by extension, then the content:
binary, not UTF-8, unreadable PDF, nothing left after cleaning), so a file the command line
refuses is refused here too, before anything is written. The index is then rebuilt the way
`qa add` does it: vectors of unchanged chunks are reused, and the new directory is swapped
in atomically, so a failed build leaves the index as it was.

`LiveIndex` holds the index the page serves. Handlers read `current` once per request and
keep that object to the end, so a request that started before an upload finishes on the
old index while later ones see the new one; builds are serialized by a lock.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qa.embed.embedding import Embedder, embedder_kind
from qa.errors import SourceError
from qa.ingest.extractors import SUFFIXES
from qa.ingest.sources import read_document, source_name
from qa.store.build import add_to_index
from qa.store.index import Index, load_index

__all__ = ["MAX_UPLOAD_BYTES", "UPLOADS", "LiveIndex", "Uploaded", "safe_name"]

UPLOADS = "uploads"
MAX_UPLOAD_BYTES = 10 * 2**20  # an article or report is far smaller; bounds the build time
MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(name: str) -> str:
    """A plain file name for an upload: directories dropped, ASCII letters, digits, `_`
    and `-` only, a supported suffix. Raises SourceError when no such name can be made."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(SUFFIXES))
        raise SourceError(f"unsupported file type {suffix or '(none)'} ({kinds}): "
                          f"{base or '(no name)'}")
    # Accents become their base letters (é -> e) rather than vanishing.
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    clean = _UNSAFE.sub("_", ascii_stem).strip("_-")[:MAX_STEM]
    return f"{clean or 'upload'}{suffix}"


@dataclass(frozen=True, slots=True)
class Uploaded:
    source: str  # the new document's source name in the index
    index: Index  # the index that holds it, already swapped in
    added: bool  # False when the same content was already indexed (nothing changed)


class LiveIndex:
    """The index the page serves, replaced whole when an upload has been indexed."""

    def __init__(self, index: Index, *, uploads_dir: Path | None = None,
                 embedder: Embedder | None = None) -> None:
        self._index = index
        self.root = Path(index.manifest["root"])
        self.uploads_dir = uploads_dir or self.root / UPLOADS
        self._embedder = embedder
        self._build = threading.Lock()

    @property
    def current(self) -> Index:
        return self._index

    def add_upload(self, path: Path, name: str | None = None) -> Uploaded:
        """Check the file at `path` (sent as `name`), save it and index it.

        Every refusal is a one-line SourceError, raised before the index is touched."""
        path = Path(path)
        target = safe_name(name if name is not None else path.name)
        data = _read_bounded(path, target)
        with self._build:
            index = self._index
            _check_content(data, target, self.root)
            digest = hashlib.sha256(data).hexdigest()
            for doc in index.documents.values():
                if doc.sha256 == digest:
                    return Uploaded(doc.source, index, added=False)
            saved, created = _save(self.uploads_dir, target, data)
            try:
                add_to_index([self.uploads_dir], index.directory,
                             embedder=self._builder(index), progress=False)
                fresh = load_index(index.directory)
            except BaseException:
                if created:  # the index is unchanged; the next build must not pick it up
                    saved.unlink(missing_ok=True)
                raise
            self._index = fresh
            return Uploaded(source_name(saved, self.root), fresh, added=True)

    def _builder(self, index: Index) -> Embedder:
        """The model to embed new text with: the one the index was built with, made on the
        first upload and then kept (the reference model takes seconds to load)."""
        name = index.manifest["model"]["name"]
        if self._embedder is None or self._embedder.name != name:
            self._embedder = embedder_kind(name).build()
        return self._embedder


def _read_bounded(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise SourceError(f"file too large ({size / 2**20:.1f} MB, limit "
                              f"{MAX_UPLOAD_BYTES // 2**20} MB): {name}")
        if size == 0:
            raise SourceError(f"empty file: {name}")
        with path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError:
        raise SourceError(f"the upload could not be read; try again: {name}") from None
    if len(data) > MAX_UPLOAD_BYTES:  # grew after the stat
        raise SourceError(f"file too large (limit {MAX_UPLOAD_BYTES // 2**20} MB): {name}")
    return data


def _check_content(data: bytes, name: str, root: Path) -> None:
    """Run the indexer's own reader on a private copy, so its verdict is the index's."""
    with tempfile.TemporaryDirectory(prefix="qa-upload-") as folder:
        copy = Path(folder) / name
        copy.write_bytes(data)
        try:
            read_document(copy, root)
        except SourceError as exc:  # name the file as the reader sent it, not the copy
            raise SourceError(str(exc).replace(str(copy), name)) from None


def _save(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Write `data` as `folder/name`, or `name-2`, `name-3`… when a different file already
    has that name; (path, whether it was created). Exclusive creation never follows a link."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = name[: -len(Path(name).suffix)], Path(name).suffix
    for n in range(1, 1000):
        path = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            handle = path.open("xb")
        except FileExistsError:
            if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
                return path, False
            continue
        try:
            with handle:
                handle.write(data)
        except BaseException:  # a half-written file would be indexed by the next build
            path.unlink(missing_ok=True)
            raise
        return path, True
    raise SourceError(f"too many uploads named {name}; rename the file")
