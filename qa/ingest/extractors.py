"""Text and metadata out of each supported file type, before cleaning.

Plain text and Markdown are read as UTF-8 with optional `key: value` front matter. HTML
goes through trafilatura, a maintained main-content extractor, so navigation, scripts and
styles never reach the index. PDF uses pypdf's text layer page by page; the page texts are
kept apart so citations can name the page.

Files come from users, so every reader is bounded: each cap below refuses a file with a
one-line `SourceError` instead of letting one upload take minutes or gigabytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import struct
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from qa.errors import SourceError

__all__ = ["EXTRACTOR_VERSION", "Extracted", "extract", "one_line"]

# Recorded in the index manifest: a rebuild reuses a document's extracted and cleaned text
# only when it was made by these rules (bump on any change to what is extracted, or to the
# title, author and date read from its text).
EXTRACTOR_VERSION = "qa-extract-10"  # 4: a byline with an affiliation; 5: or with fields;
# 6: a description list's term read with its description; 7: an HTML author without roles;
# 8: nor a lone word or an organization after the name; 9: a quotation's attribution kept,
# a table's caption a line above it; 10: a site's name from the page's <title>

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PDF_SUFFIXES = frozenset({".pdf"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

# Text of one document. A PDF's streams inflate, so its text can dwarf the file; this is the
# most a 20 MB plain-text file (sources.MAX_BYTES) can hold, so no format gets more.
MAX_CHARS = 20 * 2**20

# PDF. pypdf parses content streams in Python: 15-21 ms per real page (two manuals: 36 pages
# in 0.57-0.75 s, 17 in 0.21-0.26 s), ~13 us per drawing operation, ~30-60 us per text one.
MAX_PAGES = 1_000  # a long report or a book; ~20 s of extraction at the real-page rate
MAX_PDF_CONTENT = 32 * 2**20  # decoded page content; real pages carry 3-8 KB
MAX_PDF_OPERATIONS = 500_000  # real pages: 170-360 operations; 7-15 s of the worst kinds
PDF_SECONDS = 60.0  # backstop for what the counts miss, e.g. pypdf re-parsing a font per page

# pypdf's own per-stream limits, tightened from its defaults (75 MB per decoded stream,
# 2M tokens per content stream = ~7 s, 100k page-tree entries = a 4 KB file of 99k pages).
_PYPDF_LIMITS = {
    "zlib_maximum_output_length": MAX_PDF_CONTENT,
    "lzw_maximum_output_length": MAX_PDF_CONTENT,
    "run_length_maximum_output_length": MAX_PDF_CONTENT,
    "brotli_maximum_output_length": MAX_PDF_CONTENT,
    "array_based_stream_maximum_output_length": MAX_PDF_CONTENT,
    "stream_parsing_work_maximum_count": 1_000_000,  # tokens in one stream: ~3.5 s
    "page_tree_maximum_entries": 4 * MAX_PAGES,  # pages plus the nodes above them
}

# What pypdf raises on broken or hostile files besides its own errors (its docs: "broken
# PDF files might cause other Exceptions"). MemoryError and KeyboardInterrupt stay out.
_PDF_ERRORS = (ArithmeticError, AssertionError, AttributeError, LookupError,
               NotImplementedError, OSError, RecursionError, TypeError, ValueError,
               struct.error, zlib.error)

# A content stream can only show text through these operators (pypdf skips the rest too).
_TEXT_OPERATOR = re.compile(rb"T[jJ]|Do|['\"]")

# HTML. trafilatura takes ~0.1 ms per element and ~0.6 s per MB (text, scripts or data URIs
# alike); the elements inside one <p> cost cubically (4,000: 0.8 s, 8,000: 6 s, 16,000: 50 s).
# The slowest page found within these caps (20 paragraphs of 990 links and 4.3 MB of script)
# takes 5.7 s; the 7 MB page of 100k links took 605 s and 1.19 GB.
MAX_HTML_BYTES = 5 * 2**20
MAX_HTML_ELEMENTS = 20_000
MAX_PARAGRAPH_ELEMENTS = 1_000  # a real paragraph has a few dozen links at most

# Only a date the page states (meta tags, JSON-LD, <time>, its canonical URL): htmldate's
# extensive search guesses from any year in the text (a copyright line gives 1995-01-01).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

FRONT_MATTER_CHARS = 8_192  # front matter is a few lines; never scan a whole file for it
_FIELDS = frozenset({"title", "author", "date", "publisher"})
# Other names blogs and static-site generators give the same fields; the field's own name wins
_ALIASES = {"published": "date", "pubdate": "date", "date_published": "date",
            "published_at": "date", "publish_date": "date", "posted": "date", "by": "author"}


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: list[str]  # one entry for text and HTML, one per page for PDF
    meta: dict[str, str] = field(default_factory=dict)


def one_line(name: object) -> str:
    """A file name fit for a one-line message: control characters (a newline is legal in
    a Linux file name) are escaped."""
    text = str(name)
    return text if text.isprintable() else repr(text)[1:-1]


def extract(data: bytes, suffix: str, name: str) -> Extracted:
    """Dispatch on the file suffix; every failure is a one-line SourceError."""
    suffix, name = suffix.lower(), one_line(name)
    if suffix in TEXT_SUFFIXES:
        return _text(data, name)
    if suffix in HTML_SUFFIXES:
        return _html(data, name)
    if suffix in PDF_SUFFIXES:
        return _pdf(data, name)
    valid = ", ".join(sorted(SUFFIXES))
    raise SourceError(f"unsupported file type {one_line(suffix) or '(none)'} ({valid}): {name}")


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise SourceError(f"binary file, not text: {name}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (bad byte at {exc.start}); re-save as UTF-8: {name}") \
            from None


def _text(data: bytes, name: str) -> Extracted:
    # Old Mac (CR) and Windows (CRLF) files would otherwise hide their front matter.
    text = _decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    meta, body_start = _front_matter(text)
    return Extracted([text[body_start:]], meta)


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    """`key: value` lines between a first line `---` and the next `---` line, read with str
    methods (a regex here backtracked quadratically on long runs of spaces), and where the
    body starts. Only the first FRONT_MATTER_CHARS are searched."""
    lines = text[:FRONT_MATTER_CHARS].split("\n")
    if len(lines) < 2 or lines[0].strip() != "---":
        return {}, 0
    if len(text) > FRONT_MATTER_CHARS:
        lines.pop()  # cut at the limit: it is no closing line
    meta: dict[str, str] = {}
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        offset += len(line) + 1
        if line.strip() == "---":
            return meta, min(offset, len(text))
        key, colon, value = line.partition(":")
        key, value = key.rstrip().lower(), value.strip().strip("\"'")  # indented: nested
        field = _ALIASES.get(key, key)
        if colon and field in _FIELDS and value and (field == key or field not in meta):
            meta[field] = value
    return {}, 0


def _html(data: bytes, name: str) -> Extracted:
    from lxml.etree import LxmlError

    if len(data) > MAX_HTML_BYTES:
        raise SourceError(f"HTML page too large ({len(data) / 2**20:.1f} MB, limit "
                          f"{MAX_HTML_BYTES // 2**20} MB): {name}")
    html = _decode(data, name)
    try:
        doc, page_title = _bare_extraction(html, name)
    except SourceError:
        raise
    # htmldate and lxml assert on some malformed trees (an <svg> root holding a <title>)
    except (AssertionError, LookupError, RecursionError, TypeError, ValueError,
            LxmlError) as exc:
        raise SourceError(f"unreadable HTML ({exc.__class__.__name__}): {name}") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise SourceError(f"no article text found in HTML: {name}")
    meta = {k: str(v) for k in ("title", "author", "date")
            if (v := getattr(doc, k, None))}
    if author := _author(meta.pop("author", "")):
        meta["author"] = author
    if site := getattr(doc, "sitename", None) or _site_of(page_title, meta.get("title")):
        meta["publisher"] = str(site)
    return Extracted([text], meta)


# What parts a page's <title> with the site's name: "Menu | The Quay Kitchen, Dunmore"
_TITLE_PARTS = re.compile(r"\s+[|–—·-]\s+")
# A name: capitalized words, up to eight, and a place after a comma ("Lyle Car Hire, Dunmore");
# not a subtitle ("Knife crime - the facts") nor a page's own name ("News - Home")
_SITE = re.compile(r"(?:[A-Z0-9][\w'’&.-]*|&|of|and|the|de|du|la|le|von|van)"
                   r"(?:[ \t]+(?:[A-Z0-9][\w'’&.-]*|&|of|and|the|de|du|la|le|von|van)){0,7}"
                   r"(?:,[ \t]+[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})?")
_PAGE_NAME = re.compile(r"(?i:home|index|welcome|main page|homepage|contact|about|about us|"
                        r"news|blog|search|(?:part|page|chapter) \d+)")


def _site_of(page_title: str | None, title: str | None) -> str | None:
    """The site's name a page's <title> gives after its own ("Opening hours – Lyle Car Hire"),
    when the page names no site otherwise: the name a reader knows the page by. A last part
    that is no name (a subtitle, "Home", "Part 2") gives none."""
    parts = _TITLE_PARTS.split(page_title or "")
    site = parts[-1].strip()
    if (len(parts) < 2 or site == (title or "").strip() or _PAGE_NAME.fullmatch(site)
            or not _SITE.fullmatch(site)):
        return None
    return site


# What a byline gives after its names: "Ana Ruiz · Updated 4 May · 6 min read", and roles the
# extractor lists as if they were more authors ("Ana Ruiz; Senior Reviewer", "Ana Ruiz |
# Editor-in-Chief", "6 min read")
_AFTER_NAMES = re.compile(r"\s+[·•]\s.*", re.DOTALL)
_ROLES = frozenset({"reviewer", "editor", "writer", "reporter", "correspondent", "contributor",
                    "columnist", "staff", "team", "desk", "editors", "writers", "critic",
                    "producer", "analyst", "photographer", "director", "manager", "officer",
                    "head", "chair", "secretary", "coordinator", "adviser", "advisor"})
# "By Ana Ruiz, Director of Finance, Acme Hotel Group": the extractor gives each part as an
# author; an organization's word says which part is no one's name
_ORGANIZATIONS = frozenset({"group", "ltd", "limited", "inc", "plc", "gmbh", "company", "society",
                            "association", "council", "university", "institute", "agency",
                            "foundation", "department", "ministry", "office", "trust", "press"})


def _author(value: str) -> str:
    """The names of an extracted author, without what the byline says after them: roles,
    organizations and a lone word ("Director")."""
    names = [part.strip() for part in re.split(r"[;|]", _AFTER_NAMES.sub("", value))]
    kept = [n for n in names if n and not any(c.isdigit() for c in n)
            and not {w.lower() for w in re.split(r"[\s,-]+", n)} & (_ROLES | _ORGANIZATIONS)]
    # a lone word is a role or a place when a name with more words stands with it
    if any(len(n.split()) > 1 for n in kept):
        kept = [n for n in kept if len(n.split()) > 1]
    return "; ".join(kept)


def _bare_extraction(html: str, name: str) -> tuple[Any, str | None]:
    """The extractor's document, and the page's <title> as written."""
    import trafilatura

    tree = trafilatura.load_html(html)  # parsed once: measured here, then extracted
    if tree is None:
        return None, None
    _check_html_shape(tree, name)
    head = tree.find(".//head/title")
    page_title = " ".join("".join(head.itertext()).split()) if head is not None else None
    _pair_descriptions(tree)
    _keep_attributions(tree)
    _captions_above(tree)
    return trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                       include_tables=True, favor_recall=True,
                                       date_extraction_params=dict(_DATE_PARAMS)), page_title


def _pair_descriptions(tree: Any) -> None:
    """Each term of a description list written as the label of its description ("<dt>Late
    checkout</dt><dd>200 MAD</dd>" -> "Late checkout: 200 MAD"): the extractor gives them as
    two list items, and a price without its item says nothing of what it is the price of."""
    for term in list(tree.iter("dt")):
        description = term.getnext()
        label = " ".join(f"{''.join(term.itertext())} {term.tail or ''}".split())
        if description is None or description.tag != "dd" or not label:
            continue
        sep = " " if label.endswith((":", "?")) else ": "  # "Can I pay by card? Yes."
        description.text = f"{label}{sep}{(description.text or '').lstrip()}"
        term.getparent().remove(term)


def _keep_attributions(tree: Any) -> None:
    """A quotation's `<footer>` as a paragraph: it says who is quoted ("<blockquote>...
    <footer>— Head coach Ana Ruiz</footer>"), where the extractor drops every footer as the
    page's boilerplate."""
    for footer in list(tree.iter("footer")):
        if any(parent.tag == "blockquote" for parent in footer.iterancestors()):
            # a footer of paragraphs is a block of them, not a paragraph holding paragraphs
            footer.tag = "div" if footer.find(".//p") is not None else "p"


def _captions_above(tree: Any) -> None:
    """A table's `<caption>` as a paragraph above it: the extractor writes it as the table's
    first row, where a row's cells are read under the header row, so "Depth (m)" would
    not head its column."""
    for caption in list(tree.iter("caption")):
        table = caption.getparent()
        if table is None or table.tag != "table":
            continue
        words = " ".join("".join(caption.itertext()).split())
        if words:
            line = table.makeelement("p")
            line.text = words
            table.addprevious(line)
        table.remove(caption)  # with its tail, the space before the first row


def _check_html_shape(tree: Any, name: str) -> None:
    """Refuse the shapes that make trafilatura slow, counted on lxml's tree (C speed)."""
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_HTML_ELEMENTS:
        raise SourceError(f"HTML page too complex ({elements:,} elements, limit "
                          f"{MAX_HTML_ELEMENTS:,}): {name}")
    outermost = (p for p in tree.iter("p") if next(p.iterancestors("p"), None) is None)
    widest = max((sum(1 for _ in p.iterdescendants()) for p in outermost), default=0)
    if widest > MAX_PARAGRAPH_ELEMENTS:
        raise SourceError(f"HTML page too complex (a paragraph of {widest:,} elements, limit "
                          f"{MAX_PARAGRAPH_ELEMENTS:,}): {name}")


def _pdf(data: bytes, name: str) -> Extracted:
    # DependencyError and DeprecationError (a removed filter name) are no PyPdfError
    from pypdf.errors import DependencyError, DeprecationError, LimitReachedError, PyPdfError

    try:
        with _pypdf_limits():
            pages, meta = _read_pdf(data, name)
    except SourceError:  # a ValueError too: must not become "unreadable PDF"
        raise
    except LimitReachedError as exc:
        raise SourceError(f"PDF too large or too convoluted to read safely ({_reason(exc)}): "
                          f"{name}") from None
    except (PyPdfError, DependencyError, DeprecationError, *_PDF_ERRORS) as exc:
        raise SourceError(f"unreadable PDF ({exc.__class__.__name__}): {name}") from None
    if not any(p.strip() for p in pages):
        raise SourceError(f"PDF has no text layer (scanned image?): {name}")
    return Extracted(pages, meta)


def _pypdf_limits() -> contextlib.AbstractContextManager[Any]:
    """pypdf's limits for this read only (a context variable, so other threads keep theirs)."""
    try:
        from pypdf import Configuration, apply_configuration
    except ImportError:  # pypdf < 6.18: only its fixed defaults; our own caps still apply
        return contextlib.nullcontext()
    known = {f.name for f in dataclasses.fields(Configuration)}
    return apply_configuration(**{k: v for k, v in _PYPDF_LIMITS.items() if k in known})


def _read_pdf(data: bytes, name: str) -> tuple[list[str], dict[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not _decrypt(reader):
        raise SourceError(f"encrypted PDF, cannot read its text: {name}")
    declared = reader.root_object["/Pages"].get_object().get("/Count")
    declared = declared.get_object() if declared is not None else None
    if isinstance(declared, int) and declared > MAX_PAGES:  # before walking the page tree
        raise SourceError(_too_many_pages(f"says it has {declared:,}", name))
    if (count := len(reader.pages)) > MAX_PAGES:  # /Count can lie
        raise SourceError(_too_many_pages(f"has {count:,}", name))
    budget = _PdfBudget(name)
    pages = [budget.page_text(page) for page in reader.pages]
    return pages, _pdf_meta(reader.metadata or {})


def _decrypt(reader: Any) -> bool:
    """Many PDFs are encrypted only to restrict printing, with an empty open password."""
    from pypdf.errors import DependencyError, PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (DependencyError, PyPdfError, NotImplementedError):  # e.g. AES without a crypto lib
        return False


def _too_many_pages(count: str, name: str) -> str:
    return f"PDF {count} pages, more than the {MAX_PAGES:,} qa reads: {name}"


class _PdfBudget:
    """The work spent on one PDF so far; each cap ends the read with a one-line error."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.content = self.operations = self.chars = 0
        self.deadline = time.monotonic() + PDF_SECONDS

    def page_text(self, page: Any) -> str:
        data = _page_content(page)
        self.content += len(data)
        if self.content > MAX_PDF_CONTENT:
            raise SourceError(f"PDF too large to read safely (more than "
                              f"{MAX_PDF_CONTENT // 2**20} MB of page content): {self.name}")
        self.check_clock()
        if not _TEXT_OPERATOR.search(data):  # figures only: no need to parse
            return ""
        # The visitor sees every operation, also those of forms drawn by the page. Raised
        # inside a form, pypdf logs and swallows it, but the page's next operation re-raises.
        text = page.extract_text(visitor_operand_before=self.count) or ""
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise SourceError(f"document text too large (more than {MAX_CHARS:,} characters): "
                              f"{self.name}")
        return text

    def count(self, *_: Any) -> None:
        self.operations += 1
        if self.operations > MAX_PDF_OPERATIONS:
            raise SourceError(f"PDF too large to read safely (more than "
                              f"{MAX_PDF_OPERATIONS:,} drawing operations): {self.name}")
        self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise SourceError(f"PDF too slow to read (over {PDF_SECONDS:.0f} s): {self.name}")


def _page_content(page: Any) -> bytes:
    """The page's decoded content streams, as pypdf will parse them."""
    from pypdf.generic import ArrayObject, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    streams = (p.get_object() for p in parts if p is not None)
    return b"\n".join(s.get_data() for s in streams if isinstance(s, StreamObject))


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()).rstrip(".!")
    text = re.sub(r"IndirectObject\((\d+), (\d+), \d+\)", r"object \1 \2", text)  # no id()
    return (text[:100] + "…" if len(text) > 100 else text) or exc.__class__.__name__


def _pdf_meta(info: Any) -> dict[str, str]:
    meta = {}
    for key, field_name in (("/Title", "title"), ("/Author", "author")):
        if value := " ".join(str(info.get(key) or "").split()):
            meta[field_name] = value
    created = str(info.get("/CreationDate") or "")
    if match := re.match(r"D:(\d{4})(\d{2})(\d{2})", created):
        meta["date"] = "-".join(match.groups())
    return meta
