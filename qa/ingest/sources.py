"""Find source files, read them safely, and attach what is known about each one.

A `Document` is the cleaned text plus its citation metadata. Metadata comes from a
`catalog.toml` beside the files when there is one (written by a person who read the
article), else from the file itself (front matter, HTML meta tags, PDF info), else is
inferred from the text, so any folder of `.txt`, `.md`, `.html` or `.pdf` files works.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import stat
import tomllib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.errors import SourceError
from qa.ingest.cleaning import clean_text
from qa.ingest.extractors import SUFFIXES, extract, one_line
from qa.language import MONTHS_PATTERN, month_number

__all__ = [
    "Document",
    "SourceError",
    "discover",
    "load_documents",
    "read_document",
    "source_name",
]

CATALOG = "catalog.toml"
CATALOG_FIELDS = ("title", "author", "publisher", "date")
MAX_EXAMPLES, MAX_EXAMPLE = 5, 300  # example questions per document shown on the page
MAX_BYTES = 20 * 1024 * 1024  # far above any article or report; stops a stray dump


@dataclass(frozen=True)  # no slots: line_of caches its line starts on the instance
class Document:
    source: str  # path relative to the project root (or absolute when outside it)
    text: str  # cleaned text: every offset in the system points into this
    sha256: str  # of the raw bytes, for staleness checks
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    pages: tuple[int, ...] = ()  # offsets where each PDF page starts; empty for other files
    # What the file itself said (front matter, HTML meta, PDF info) as sorted (key, value)
    # pairs, kept so a reused document can be re-merged with a changed catalog; None in
    # documents saved before it was recorded (they are read again, not reused).
    file_meta: tuple[tuple[str, str], ...] | None = None
    examples: tuple[str, ...] = ()  # questions this document answers (catalog.toml), for the page

    def __post_init__(self) -> None:
        if self.file_meta is not None:  # JSON gives back lists: keep it hashable and equal
            object.__setattr__(self, "file_meta", tuple(tuple(p) for p in self.file_meta))
        object.__setattr__(self, "examples", tuple(self.examples))

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in the cleaned text: one binary search,
        so citing every figure of a long document is not a count from the top each time."""
        return bisect.bisect_left(self._line_breaks, offset) + 1

    @functools.cached_property
    def _line_breaks(self) -> array:
        return array("q", (m.start() for m in re.finditer("\n", self.text)))

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
        try:
            found.update(dict.fromkeys(_discover_one(path)))
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            raise SourceError(f"cannot read ({_why(exc)}): {one_line(path)}") from None
    return sorted(found)


def _discover_one(path: Path) -> list[Path]:
    kinds = ", ".join(sorted(SUFFIXES))
    if not path.exists():
        raise SourceError(f"no such file or folder: {one_line(path)}")
    if not path.is_dir():
        if path.suffix.lower() not in SUFFIXES:
            suffix = one_line(path.suffix) or "(none)"
            raise SourceError(f"unsupported file type {suffix} ({kinds}): {one_line(path)}")
        return [path.resolve()]
    base = path.resolve()
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    files = [p for p in files if p.is_file() and not p.name.startswith(".")]
    for file in files:
        if not file.resolve().is_relative_to(base):
            raise SourceError(f"refusing a link that points outside {one_line(path)}: "
                              f"{one_line(file)}")
    if not files:
        raise SourceError(f"no documents ({kinds}) in folder: {one_line(path)}")
    return [p.resolve() for p in files]


def read_document(path: Path, root: Path, catalog: dict[str, dict] | None = None,
                  previous: Document | None = None) -> Document:
    """Read, extract, clean and describe one file.

    With `previous` (this file's document from the current index), unchanged bytes reuse
    its cleaned text and pages: only the metadata is merged again.
    """
    raw = _read_bytes(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    if previous is not None and previous.sha256 == sha256 and previous.file_meta is not None:
        text, pages, file_meta = previous.text, previous.pages, dict(previous.file_meta)
    else:
        text, pages, file_meta = _extract_and_clean(raw, path)
    meta = dict(_infer_metadata(text))  # weakest: what the text seems to say
    meta.update(file_meta)
    entry = dict((catalog or {}).get(path.name, {}))
    examples = entry.pop("examples", ())
    meta.update(entry)  # a person's word wins
    return Document(
        source=source_name(path, root),
        text=text,
        sha256=sha256,
        title=meta.get("title"),
        author=meta.get("author"),
        publisher=meta.get("publisher"),
        date=meta.get("date"),
        pages=pages,
        file_meta=tuple(sorted(file_meta.items())),
        examples=examples,
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_BYTES of them, whatever happens to it meanwhile."""
    name = one_line(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # opening a pipe would wait for a writer
            raise SourceError(f"not a regular file (a folder, pipe or device): {name}")
        if info.st_size > MAX_BYTES:
            raise SourceError(f"file too large ({info.st_size / 2**20:.0f} MB, limit "
                              f"{MAX_BYTES // 2**20} MB): {name}")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # it may have grown since
    except OSError as exc:  # gone, no permission, an I/O error
        raise SourceError(f"cannot read file ({_why(exc)}): {name}") from None
    if len(raw) > MAX_BYTES:
        raise SourceError(f"file too large (over {MAX_BYTES // 2**20} MB): {name}")
    if not raw:
        raise SourceError(f"empty file: {name}")
    return raw


def _extract_and_clean(raw: bytes, path: Path) -> tuple[str, tuple[int, ...], dict[str, str]]:
    extracted = extract(raw, path.suffix, str(path))
    texts = [clean_text(page) for page in extracted.pages]
    starts, offset = [], 0
    for page_text in texts:
        starts.append(offset)
        offset += len(page_text) + 2
    text = "\n\n".join(texts)
    if not text.strip():
        raise SourceError(f"no text left after cleaning: {one_line(path)}")
    return text, tuple(starts) if len(texts) > 1 else (), extracted.meta


def _why(exc: BaseException) -> str:
    """An OS error in a few words, without the path it repeats."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return " ".join(str(exc).split())[:120] or exc.__class__.__name__


def load_documents(paths: Sequence[Path], root: Path,
                   previous: Mapping[str, Document] | None = None) -> list[Document]:
    """Load every document under `paths`; identical files are kept once.

    `previous` maps source names to the documents of the current index: a file whose bytes
    did not change is not extracted and cleaned again (one slow file then costs once).
    """
    catalogs: dict[Path, dict[str, dict]] = {}
    docs: list[Document] = []
    seen: set[str] = set()
    for path in discover(paths):
        catalog = catalogs.get(path.parent)
        if catalog is None:
            catalog = catalogs[path.parent] = _read_catalog(path.parent)
        before = (previous or {}).get(source_name(path, root))
        doc = read_document(path, root, catalog, before)
        if doc.sha256 not in seen:
            seen.add(doc.sha256)
            docs.append(doc)
    return docs


def _read_catalog(folder: Path) -> dict[str, dict]:
    path = folder / CATALOG
    try:
        if not path.is_file():
            return {}
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise SourceError(f"cannot read catalog ({_why(exc)}): {one_line(path)}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"bad catalog {one_line(path)}: {_why(exc)}") from None
    return {name: _catalog_entry(entry) for name, entry in data.items()
            if isinstance(entry, dict)}


def _catalog_entry(entry: dict) -> dict:
    """The fields qa uses from one file's catalog entry; `examples` is a list of questions."""
    kept: dict = {k: str(v) for k, v in entry.items() if k in CATALOG_FIELDS}
    examples = entry.get("examples", [])
    if isinstance(examples, list):
        kept["examples"] = tuple(str(q)[:MAX_EXAMPLE] for q in examples[:MAX_EXAMPLES])
    return kept


_MONTHS = MONTHS_PATTERN
_DATE_PATTERNS: Iterable[re.Pattern[str]] = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(rf"\b(?P<month>{_MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) (?P<year>\d{{4}})\b"),
)
_HEADING = re.compile(r"#{1,6} ")  # "# Title", "## Title #"
# "By Ana Ruiz", and with what she writes for: "By Ana Ruiz, Harbour History Society", or a
# blog's line of fields after a separator: "By Ana Ruiz · Published 3 June 2024 · 5 min read"
_BYLINE = re.compile(r"^By ([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){1,3})"
                     r"(?:, [^\n,]{1,80}| [·|•] [^\n]{1,160})?$", re.MULTILINE)


_WORDED = re.compile(r"[^\W\d_]")


def _infer_metadata(text: str) -> Iterable[tuple[str, str]]:
    """Title, author and date where the text itself says them near the top."""
    head = text[:1500]
    # the first line with a word: not a rule of "=====" drawn above a plain-text letterhead
    first = next((line.strip() for line in head.split("\n") if _WORDED.search(line)), "")
    if _HEADING.match(first):  # a Markdown heading's marks are not part of its title
        first = first.strip("#").strip()
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
    month = month_number(groups["month"])
    return f"{int(groups['year']):04d}-{month:02d}-{int(groups['day']):02d}"
