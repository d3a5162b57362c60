"""Find source files, read them safely, and attach what is known about each one.

A `Document` is the cleaned text plus its citation metadata. Metadata comes from a
`catalog.toml` beside the files when there is one (written by a person who read the
article), else from the file itself (front matter, HTML meta tags, PDF info), else is
inferred from the text, so any folder of `.txt`, `.md`, `.html` or `.pdf` files works.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cleaning import clean_text
from .errors import SourceError
from .extractors import SUFFIXES, extract

__all__ = [
    "Document",
    "SourceError",
    "discover",
    "load_documents",
    "read_document",
    "source_name",
]

CATALOG = "catalog.toml"
MAX_BYTES = 20 * 1024 * 1024  # far above any article or report; stops a stray dump


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # path relative to the project root (or absolute when outside it)
    text: str  # cleaned text: every offset in the system points into this
    sha256: str  # of the raw bytes, for staleness checks
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    pages: tuple[int, ...] = ()  # offsets where each PDF page starts; empty for other files

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in the cleaned text."""
        return self.text.count("\n", 0, offset) + 1

    def page_of(self, offset: int) -> int | None:
        """1-based PDF page of a character offset, or None for documents without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None


def source_name(path: Path, root: Path) -> str:
    """The stable name a source is cited by: relative to `root` when it lives inside it."""
    path = path.resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Sequence[Path]) -> list[Path]:
    """Every document file under `paths` (files or folders), sorted, without duplicates.

    Inside a folder, a symlink that leads outside that folder is refused: a source folder
    must not be a way to read the rest of the disk.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise SourceError(f"no such file or folder: {path}")
        if path.is_dir():
            base = path.resolve()
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            files = [p for p in files if p.is_file() and not p.name.startswith(".")]
            for file in files:
                if not file.resolve().is_relative_to(base):
                    raise SourceError(f"refusing a link that points outside {path}: {file}")
            if not files:
                kinds = ", ".join(sorted(SUFFIXES))
                raise SourceError(f"no documents ({kinds}) in folder: {path}")
            found.update(dict.fromkeys(p.resolve() for p in files))
        elif path.suffix.lower() in SUFFIXES:
            found[path.resolve()] = None
        else:
            kinds = ", ".join(sorted(SUFFIXES))
            raise SourceError(f"unsupported file type {path.suffix or '(none)'} ({kinds}): {path}")
    return sorted(found)


def read_document(path: Path, root: Path, catalog: dict[str, dict] | None = None) -> Document:
    """Read, extract, clean and describe one file."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        limit = MAX_BYTES // 2**20
        raise SourceError(f"file too large ({size / 2**20:.0f} MB, limit {limit} MB): {path}")
    if size == 0:
        raise SourceError(f"empty file: {path}")
    raw = path.read_bytes()
    extracted = extract(raw, path.suffix, str(path))
    texts = [clean_text(page) for page in extracted.pages]
    starts, offset = [], 0
    for page_text in texts:
        starts.append(offset)
        offset += len(page_text) + 2
    text = "\n\n".join(texts)
    if not text.strip():
        raise SourceError(f"no text left after cleaning: {path}")
    meta = dict(_infer_metadata(text))
    meta.update(extracted.meta)
    meta.update((catalog or {}).get(path.name, {}))
    return Document(
        source=source_name(path, root),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=meta.get("title"),
        author=meta.get("author"),
        publisher=meta.get("publisher"),
        date=meta.get("date"),
        pages=tuple(starts) if len(extracted.pages) > 1 else (),
    )


def load_documents(paths: Sequence[Path], root: Path) -> list[Document]:
    """Load every document under `paths`; identical files are kept once."""
    catalogs: dict[Path, dict[str, dict]] = {}
    docs: list[Document] = []
    seen: set[str] = set()
    for path in discover(paths):
        catalog = catalogs.get(path.parent)
        if catalog is None:
            catalog = catalogs[path.parent] = _read_catalog(path.parent)
        doc = read_document(path, root, catalog)
        if doc.sha256 not in seen:
            seen.add(doc.sha256)
            docs.append(doc)
    return docs


def _read_catalog(folder: Path) -> dict[str, dict]:
    path = folder / CATALOG
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"bad catalog {path}: {exc}") from None
    keep = ("title", "author", "publisher", "date")
    return {
        name: {k: str(v) for k, v in entry.items() if k in keep}
        for name, entry in data.items()
        if isinstance(entry, dict)
    }


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_PATTERNS: Iterable[re.Pattern[str]] = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(rf"\b(?P<month>{_MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) (?P<year>\d{{4}})\b"),
)
_BYLINE = re.compile(r"^By ([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){1,3})$", re.MULTILINE)


def _infer_metadata(text: str) -> Iterable[tuple[str, str]]:
    """Title, author and date where the text itself says them near the top."""
    head = text[:1500]
    first = head.split("\n", 1)[0].strip()
    if first and len(first) <= 200:
        yield "title", first
    if match := _BYLINE.search(head):
        yield "author", match.group(1)
    for pattern in _DATE_PATTERNS:
        if match := pattern.search(head):
            yield "date", _iso(match)
            return


def _iso(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if not groups:
        return match.group(0)
    month = _MONTHS.split("|").index(groups["month"]) + 1
    return f"{int(groups['year']):04d}-{month:02d}-{int(groups['day']):02d}"
