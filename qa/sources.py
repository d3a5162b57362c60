"""Find source files, read them safely, and attach what is known about each one.

A `Document` is the cleaned text plus its citation metadata. Metadata comes from a
`catalog.toml` beside the files when there is one (written by a person who read the
article) and is otherwise inferred from the text, so any folder of `.txt`/`.md` works.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cleaning import clean_text
from .errors import SourceError

__all__ = [
    "SUFFIXES",
    "Document",
    "SourceError",
    "discover",
    "load_documents",
    "read_document",
    "source_name",
]

SUFFIXES = frozenset({".txt", ".md"})
CATALOG = "catalog.toml"
MAX_BYTES = 20 * 1024 * 1024  # far above any article; stops a stray dump from eating RAM


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # path relative to the project root (or absolute when outside it)
    text: str  # cleaned text: every offset in the system points into this
    sha256: str  # of the raw bytes, for staleness checks
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in the cleaned text."""
        return self.text.count("\n", 0, offset) + 1


def source_name(path: Path, root: Path) -> str:
    """The stable name a source is cited by: relative to `root` when it lives inside it."""
    path = path.resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Sequence[Path]) -> list[Path]:
    """Every document file under `paths` (files or folders), sorted, without duplicates."""
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise SourceError(f"no such file or folder: {path}")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            files = [p for p in files if p.is_file() and not p.name.startswith(".")]
            if not files:
                kinds = ", ".join(sorted(SUFFIXES))
                raise SourceError(f"no documents ({kinds}) in folder: {path}")
            found.update(dict.fromkeys(p.resolve() for p in files))
        elif path.suffix.lower() in SUFFIXES:
            found[path.resolve()] = None
        else:
            raise SourceError(f"unsupported file type {path.suffix or '(none)'}: {path}")
    return sorted(found)


def read_document(path: Path, root: Path, catalog: dict[str, dict] | None = None) -> Document:
    """Read, decode, clean and describe one file."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(f"file too large ({size // 2**20} MB > {MAX_BYTES // 2**20} MB): {path}")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise SourceError(f"binary file, not text: {path}")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start}): {path}") from None
    text = clean_text(decoded)
    if not text:
        raise SourceError(f"no text left after cleaning: {path}")
    meta = dict(_infer_metadata(text))
    meta.update((catalog or {}).get(path.name, {}))
    return Document(
        source=source_name(path, root),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=meta.get("title"),
        author=meta.get("author"),
        publisher=meta.get("publisher"),
        date=meta.get("date"),
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
