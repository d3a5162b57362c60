"""Find source files, read them safely, and attach what is known about each one.

A `Document` is the cleaned text plus its citation metadata. Metadata comes from a
`catalog.toml` beside the files when there is one (written by a person who read the
article), else from the file itself (front matter, HTML meta tags, PDF info), else is
inferred from the text, so any folder of `.txt`, `.md`, `.html` or `.pdf` files works.
"""

from __future__ import annotations

import hashlib
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from qa.errors import SourceError
from qa.ingest.cleaning import clean_text
from qa.ingest.discovery import discover, os_reason, source_name
from qa.ingest.document import Document
from qa.ingest.extractors import extract, one_line
from qa.language import MONTHS_PATTERN, month_number

__all__ = [
    "BYLINE_TAIL",
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
        raise SourceError(f"cannot read file ({os_reason(exc)}): {name}") from None
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
        raise SourceError(f"cannot read catalog ({os_reason(exc)}): {one_line(path)}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"bad catalog {one_line(path)}: {os_reason(exc)}") from None
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
# what a byline may say after its name and before the day it was posted: a role, an employer
BYLINE_TAIL = 120
_DATE_PATTERNS: Iterable[re.Pattern[str]] = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(rf"\b(?P<month>{_MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) (?P<year>\d{{4}})\b"),
)
_HEADING = re.compile(r"#{1,6} ")  # "# Title", "## Title #"
_WRITTEN_ON = (rf"(?:{_MONTHS}) \d{{1,2}}, \d{{4}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}}|"
               r"\d{4}-\d\d-\d\d")
# "By Ana Ruiz", and with what she writes for: "By Ana Ruiz, Harbour History Society", or a
# blog's line of fields after a separator: "By Ana Ruiz · Published 3 June 2024 · 5 min read",
# or a notice's: "Posted by Ana Ruiz, Parish Clerk, Elmley Parish Council — 9 July 2024"
# (the day it was posted; without it, a line that goes on after commas is a sentence)
_BYLINE = re.compile(r"^(?:(?:Posted|Written|Words|Reported|Story) by|By) "
                     r"([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){1,3})"
                     rf"(?:, [^\n]{{1,{BYLINE_TAIL}}}? [—–-] (?P<on>{_WRITTEN_ON})"
                     r"|, [^\n,]{1,80}| [·|•] [^\n]{1,160})?$", re.MULTILINE)
# A date that says when the text was written: "Published: 3 June 2024", "Report date: ...";
# the day it was first published before the day it was updated
_DATED = re.compile(r"^(?P<label>Published|Posted|Issued|Date|Report date|Updated|Last updated)"
                    rf"(?: on)?:? (?P<on>{_WRITTEN_ON})\s*$", re.MULTILINE | re.IGNORECASE)


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
    byline = _BYLINE.search(head)
    if byline:
        yield "author", byline.group(1)
    # the day a byline or a label gives before any other day near the top (a heading's)
    labelled = sorted(_DATED.finditer(head), key=lambda m: "updated" in m["label"].lower())
    stated = byline if byline and byline.group("on") else next(iter(labelled), None)
    dated = stated.group("on") if stated else head
    for pattern in _DATE_PATTERNS:
        if match := pattern.search(dated):
            yield "date", _iso(match)
            return


def _iso(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if not groups:
        return match.group(0)
    month = month_number(groups["month"])
    return f"{int(groups['year']):04d}-{month:02d}-{int(groups['day']):02d}"
