"""Text and metadata out of each supported file type, before cleaning.

Plain text and Markdown are read as UTF-8 with optional `key: value` front matter. HTML
goes through trafilatura, a maintained main-content extractor, so navigation, scripts and
styles never reach the index. PDF uses pypdf's text layer page by page; the page texts are
kept apart so citations can name the page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .errors import SourceError

__all__ = ["Extracted", "extract"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PDF_SUFFIXES = frozenset({".pdf"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_FIELD = re.compile(r"^(title|author|date|publisher)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: list[str]  # one entry for text and HTML, one per page for PDF
    meta: dict[str, str] = field(default_factory=dict)


def extract(data: bytes, suffix: str, name: str) -> Extracted:
    """Dispatch on the file suffix; every failure is a one-line SourceError."""
    suffix = suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _text(data, name)
    if suffix in HTML_SUFFIXES:
        return _html(data, name)
    if suffix in PDF_SUFFIXES:
        return _pdf(data, name)
    valid = ", ".join(sorted(SUFFIXES))
    raise SourceError(f"unsupported file type {suffix or '(none)'} ({valid}): {name}")


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise SourceError(f"binary file, not text: {name}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (bad byte at {exc.start}); re-save as UTF-8: {name}") \
            from None


def _text(data: bytes, name: str) -> Extracted:
    text = _decode(data, name)
    meta: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        meta = {k.lower(): v.strip("\"'") for k, v in _FIELD.findall(match.group(1))}
        text = text[match.end():]
    return Extracted([text], meta)


def _html(data: bytes, name: str) -> Extracted:
    import trafilatura

    html = _decode(data, name)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise SourceError(f"no article text found in HTML: {name}")
    meta = {k: str(v) for k in ("title", "author", "date")
            if (v := getattr(doc, k, None))}
    if site := getattr(doc, "sitename", None):
        meta["publisher"] = str(site)
    return Extracted([text], meta)


def _pdf(data: bytes, name: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError(f"encrypted PDF, cannot read its text: {name}")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise SourceError(f"unreadable PDF ({exc.__class__.__name__}): {name}") from None
    if not any(p.strip() for p in pages):
        raise SourceError(f"PDF has no text layer (scanned image?): {name}")
    meta = {}
    for key, field_name in (("/Title", "title"), ("/Author", "author")):
        if value := info.get(key):
            meta[field_name] = str(value).strip()
    created = str(info.get("/CreationDate") or "")
    if match := re.match(r"D:(\d{4})(\d{2})(\d{2})", created):
        meta["date"] = "-".join(match.groups())
    return Extracted(pages, meta)
