"""Hostile and broken files: each is refused with one line naming the file, in bounded work.

The PDFs are written byte by byte (no PDF library), so a 99,000-page file costs 4 KB and
a stream that inflates to 400 MB costs 400 KB to build. Caps that would take seconds to
reach for real are lowered with monkeypatch; the code paths are the same.
"""

from __future__ import annotations

import io
import json
import os
import zlib
from dataclasses import asdict
from pathlib import Path

import pypdf
import pytest

from qa.errors import SourceError
from qa.ingest import extractors, sources
from qa.ingest.sources import Document, load_documents, read_document

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Hello from a hostile page) Tj ET"


def assemble(objects: list[bytes]) -> bytes:
    """A PDF file from object bodies; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, deflated: bytes | None = None) -> bytes:
    if deflated is not None:
        extra, data = extra + b" /Filter /FlateDecode", deflated
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


PAGE = b"<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << /F1 2 0 R >>%s >> " \
       b"/Contents 3 0 R >>"


def one_page_pdf(content: bytes = TEXT, *, kids: int = 1, count: int | None = None,
                 resources: bytes = b"", extra: list[bytes] = (), **stream_args) -> bytes:
    """Catalog, font, one content stream, one page object listed `kids` times in the tree."""
    tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join([b"4 0 R"] * kids), kids if count is None else count)
    return assemble([b"<< /Type /Catalog /Pages 5 0 R >>", FONT, stream(content, **stream_args),
                     PAGE % resources, tree, *extra])


def shared_page_tree(fanout: int, depth: int) -> bytes:
    """fanout**depth pages in a few KB: every node lists the same child `fanout` times."""
    objects = [b"", FONT, stream(TEXT), PAGE % b""]
    child = 4
    for _ in range(depth):
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join([b"%d 0 R" % child] * fanout), fanout ** (len(objects) - 3)))
        child = len(objects)
    objects[0] = b"<< /Type /Catalog /Pages %d 0 R >>" % child
    return assemble(objects)


def inflating(megabytes: int) -> bytes:
    """A valid zlib stream of `megabytes` MB of spaces in ~1 KB per MB: after a full flush
    zlib starts afresh, so every further MB compresses to the same bytes."""
    chunk, packer = b" " * 2**20, zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    check = 1
    for _ in range(megabytes):
        check = zlib.adler32(chunk, check)
    final = b"\x03\x00" + check.to_bytes(4, "big")  # empty last block, then the checksum
    return first + again * (megabytes - 1) + final


def refused(path: Path, match: str, root: Path | None = None) -> str:
    """Reading `path` fails with one line that names the file; returns the message."""
    with pytest.raises(SourceError, match=match) as info:
        read_document(path, root or path.parent)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.endswith(str(path)) or path.name in message
    return message


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# 1. pypdf's limits and exceptions -------------------------------------------------------

def test_the_inflating_stream_helper_is_valid_zlib():
    assert zlib.decompress(inflating(3)) == b" " * 3 * 2**20


def test_a_stream_inflating_to_400_mb_is_refused(tmp_path):
    data = one_page_pdf(deflated=inflating(400))
    assert len(data) < 500_000
    refused(write(tmp_path, "bomb.pdf", data), r"^PDF too large .*to read safely \(.+\): ")


def test_a_page_tree_of_300k_entries_is_refused(tmp_path):
    refused(write(tmp_path, "tree.pdf", one_page_pdf(kids=300_000)),  # pypdf 7: array limit
            r"^PDF (too large .*to read safely \(|says it has 300,000 pages)")


PYPDF_7 = int(pypdf.__version__.split(".")[0]) >= 7


@pytest.mark.parametrize(("old", "new", "error"), [
    (TEXT, b"BT /F1 12 Tf " + b"[" * 2000 + b"]" * 2000 + b" TJ ET", "RecursionError"),
    (b"<< /Length", b"<< /Filter /NoSuchDecode /Length", "NotImplementedError"),
    pytest.param(b"<< /Length", b"<< /Filter /Fl /Length", "DeprecationError",
                 marks=pytest.mark.skipif(not PYPDF_7, reason="pypdf 7 removed /Fl")),
], ids=["deep nesting", "unknown filter", "removed filter name"])
def test_other_pypdf_failures_are_one_line_errors(tmp_path, old, new, error):
    data = one_page_pdf(new) if old == TEXT else one_page_pdf().replace(old, new, 1)
    refused(write(tmp_path, "odd.pdf", data), rf"^unreadable PDF \({error}\): ")


# 2. encryption ---------------------------------------------------------------------------

def encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_page_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_says_so(tmp_path):
    refused(write(tmp_path, "locked.pdf", encrypted("pw")),
            r"^encrypted PDF, cannot read its text: ")


def test_a_pdf_encrypted_only_against_printing_is_read(tmp_path):
    doc = read_document(write(tmp_path, "owner.pdf", encrypted("")), tmp_path)
    assert "Hello from a hostile page" in doc.text


# 3. page count and text size -------------------------------------------------------------

@pytest.fixture
def no_text_extraction(monkeypatch):
    """Any text extraction fails the test: the refusal must come before it."""
    from pypdf import PageObject

    def forbidden(*args, **kwargs):
        raise AssertionError("text extracted before the page count was checked")
    monkeypatch.setattr(PageObject, "extract_text", forbidden)


def test_a_4_kb_pdf_of_99k_pages_is_refused_before_any_text_is_read(tmp_path,
                                                                       no_text_extraction):
    data = shared_page_tree(315, 2)  # 99,225 pages (took 49 s and gave 7,072 chunks)
    assert len(data) < 5_000
    message = refused(write(tmp_path, "many.pdf", data), r"^PDF says it has 99,225 pages")
    assert f"{extractors.MAX_PAGES:,}" in message


def test_a_page_count_that_lies_is_checked_too(tmp_path, no_text_extraction):
    data = one_page_pdf(kids=extractors.MAX_PAGES + 1, count=1)
    refused(write(tmp_path, "liar.pdf", data), rf"^PDF has {extractors.MAX_PAGES + 1:,} pages")


def test_pdf_text_beyond_the_character_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(extractors, "MAX_CHARS", 50)  # 20 MiB for real: 8 s of pypdf
    refused(write(tmp_path, "wordy.pdf", one_page_pdf(kids=3)),
            r"^document text too large \(more than 50 characters\): ")


def test_pdf_page_content_beyond_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(extractors, "MAX_PDF_CONTENT", 100_000)
    data = one_page_pdf(b" " * 30_000 + TEXT, kids=5)  # one stream, parsed once per page
    refused(write(tmp_path, "padded.pdf", data), r"^PDF too large to read safely \(more than")


def form_bomb(invocations: int, operations: int) -> bytes:
    """One page that draws the same form `invocations` times; pypdf parses it every time
    (1,000 x 10,000 operations: a 1 KB file, 102 s)."""
    form = stream(b"BT /F1 12 Tf (x) Tj ET\n" + b"1 2 m\n" * operations,
                  b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                  b" /Resources << /Font << /F1 2 0 R >> >>")
    return one_page_pdf(b"/X0 Do\n" * invocations, resources=b" /XObject << /X0 6 0 R >>",
                        extra=[form])


def test_drawing_operations_beyond_the_cap_end_the_read_even_inside_forms(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(extractors, "MAX_PDF_OPERATIONS", 5_000)
    refused(write(tmp_path, "forms.pdf", form_bomb(200, 1_000)),
            r"^PDF too large to read safely \(more than 5,000 drawing operations\): ")


def test_a_pdf_past_its_time_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(extractors, "PDF_SECONDS", -1.0)
    refused(write(tmp_path, "slow.pdf", one_page_pdf()), r"^PDF too slow to read \(over ")


def test_pages_that_cannot_show_text_are_not_parsed(tmp_path, monkeypatch):
    from pypdf import PageObject

    calls = []
    real = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text",
                        lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    figure = stream(b"1 2 m 3 4 l S\n" * 1000)
    data = assemble([b"<< /Type /Catalog /Pages 5 0 R >>", FONT, stream(TEXT), PAGE % b"",
                     b"<< /Type /Pages /Kids [4 0 R 7 0 R] /Count 2 >>", figure,
                     b"<< /Type /Page /MediaBox [0 0 612 792] /Contents 6 0 R >>"])
    doc = read_document(write(tmp_path, "figure.pdf", data), tmp_path)
    assert "Hello from a hostile page" in doc.text and len(calls) == 1


# 4. HTML size and shape ------------------------------------------------------------------

def html_page(body: str) -> str:
    lead = "<p>Meta will spend $65 billion on AI in 2025, the company said on Friday.</p>"
    return f"<!doctype html><html><head><title>T</title></head><body><article>{lead}{body}" \
           "</article></body></html>"


def test_the_7_mb_page_of_100k_links_is_refused_at_once(tmp_path):
    links = "".join(f'<a href="https://example.com/articles/2025/{i:06d}">Link {i:06d}</a> '
                    for i in range(100_000))  # took 605 s and 1.19 GB in trafilatura
    refused(write(tmp_path, "links.html", html_page(f"<p>{links}</p>")),
            r"^HTML page too large \(\d+\.\d MB, limit 5 MB\): ")


def test_an_html_page_of_too_many_elements_is_refused(tmp_path):
    cells = "".join(f"<div>cell {i}</div>" for i in range(extractors.MAX_HTML_ELEMENTS))
    refused(write(tmp_path, "cells.html", html_page(cells)),
            r"^HTML page too complex \([\d,]+ elements, limit [\d,]+\): ")


def test_a_paragraph_of_too_many_elements_is_refused(tmp_path):
    # trafilatura's cost grows with the cube of this: 8,000 links in one <p> took 6 s
    links = "".join(f'<a href="/{i}">link {i}</a>, ' for i in range(1_500))
    refused(write(tmp_path, "para.html", html_page(f"<p>{links}</p>")),
            r"^HTML page too complex \(a paragraph of 1,500 elements, limit ")


def test_html_that_trips_the_parsers_is_a_one_line_error(tmp_path):
    # htmldate asserts on an <svg> root holding a <title>
    page = "<svg><p>hello there this is text</p><title>x</title></svg>"
    refused(write(tmp_path, "svg.html", page),
            r"^unreadable HTML \(AssertionError\): ")


# 5. no invented dates --------------------------------------------------------------------

@pytest.mark.parametrize(("head", "body", "date"), [
    ("", "<p>In 2025 spending rose across the industry.</p>", None),  # was 2025-01-01
    ("", "<footer>Copyright 1995 Example News</footer>", None),  # was 1995-01-01
    ('<meta property="article:published_time" content="2024-05-06T10:00:00Z">', "",
     "2024-05-06"),
    ("", '<p>Published <time datetime="2024-07-08">July 8</time></p>', "2024-07-08"),
    ('<meta property="article:published_time" content="2023-01-02">'
     '<meta property="article:modified_time" content="2025-06-07">', "", "2023-01-02"),
])
def test_html_keeps_only_a_date_the_page_states(tmp_path, head, body, date):
    page = html_page(body).replace("<title>T</title>", f"<title>Big AI spend</title>{head}")
    doc = read_document(write(tmp_path, "page.html", page), tmp_path)
    assert "Meta will spend $65 billion" in doc.text
    assert doc.date == date


# 6-7. front matter -----------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_front_matter_with_cr_or_crlf_line_endings(tmp_path, newline):
    text = newline.join(["---", "title: CR only doc", "author: Li Wei", "---",
                         "Export controls tightened in March.", ""])
    doc = read_document(write(tmp_path, "cr.md", text), tmp_path)
    assert (doc.title, doc.author) == ("CR only doc", "Li Wei")
    assert doc.text.startswith("Export controls tightened in March.")


def test_a_front_matter_value_with_a_long_run_of_spaces(tmp_path):
    # the old `\s*(.+?)\s*$` backtracked quadratically: 51 s for 60,000 spaces
    wide = "---\ntitle: a" + " " * 60_000 + "b\n---\nBody text here.\n"
    doc = read_document(write(tmp_path, "wide.md", wide), tmp_path)
    assert "Body text here." in doc.text  # closes past the front-matter bound: all text
    fits = "---\ntitle: a" + " " * 7_000 + "b\n---\nBody text here.\n"
    doc = read_document(write(tmp_path, "fits.md", fits), tmp_path)
    assert doc.title == "a" + " " * 7_000 + "b" and doc.text.startswith("Body text here.")


def test_front_matter_is_only_looked_for_near_the_top(tmp_path):
    late = "---\n" + "note: x\n" * 2_000 + "title: Too late\n---\nBody.\n"  # closes past 8 KB
    doc = read_document(write(tmp_path, "late.md", late), tmp_path)
    assert doc.title != "Too late" and "title: Too late" in doc.text
    unclosed = "---\ntitle: Open\n" + "Body line.\n" * 20_000
    doc = read_document(write(tmp_path, "open.md", unclosed), tmp_path)
    assert doc.title != "Open" and doc.text.count("Body line.") == 20_000


def test_front_matter_closed_on_the_last_line_and_nested_keys():
    assert extractors.extract(b"---\ntitle: End\n---", ".md", "end.md").meta == {"title": "End"}
    nested = b"---\nseo:\n  title: Nested\ntitle: 'Top'\n---\nBody."
    assert extractors.extract(nested, ".md", "nested.md") == extractors.Extracted(
        ["Body."], {"title": "Top"})


# 8. reusing unchanged documents ----------------------------------------------------------

@pytest.fixture
def counted(monkeypatch):
    """How often files are extracted and pages cleaned."""
    calls = {"extract": 0, "clean": 0}

    def count(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(sources, "extract", count("extract", sources.extract))
    monkeypatch.setattr(sources, "clean_text", count("clean", sources.clean_text))
    return calls


def test_unchanged_files_are_not_extracted_again(tmp_path, counted):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: From the file\nauthor: Li Wei\n---\nChips.\n")
    (folder / "b.txt").write_text("Plain title\n\nCloud capex climbs.\n")
    first = load_documents([folder], tmp_path)
    assert counted == {"extract": 2, "clean": 2}

    previous = {d.source: d for d in first}
    again = load_documents([folder], tmp_path, previous=previous)
    assert again == first and counted == {"extract": 2, "clean": 2}

    (folder / "catalog.toml").write_text('["a.md"]\ntitle = "From the catalog"\n')
    (folder / "b.txt").write_text("Plain title\n\nCloud capex climbs again.\n")
    third = {d.source: d for d in load_documents([folder], tmp_path, previous=previous)}
    assert counted == {"extract": 3, "clean": 3}  # only the changed b.txt
    assert third["docs/a.md"].title == "From the catalog"
    assert third["docs/a.md"].author == "Li Wei"  # from the file, kept on reuse
    assert "again" in third["docs/b.txt"].text

    (folder / "catalog.toml").unlink()
    fourth = {d.source: d for d in load_documents([folder], tmp_path, previous=third)}
    assert fourth["docs/a.md"].title == "From the file" and counted["extract"] == 3


def test_reuse_survives_the_index_round_trip_and_old_rows_are_read_again(tmp_path, counted):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: From the file\n---\nChips.\n")
    doc = read_document(path, tmp_path)
    row = json.loads(json.dumps(asdict(doc)))
    loaded = Document(**{**row, "pages": tuple(row.get("pages", ()))})  # as index.load_index
    assert loaded == doc and hash(loaded) == hash(doc)
    assert read_document(path, tmp_path, previous=loaded) == doc and counted["extract"] == 1

    old_row = {k: v for k, v in row.items() if k != "file_meta"}  # an index from before
    old = Document(**old_row)
    assert old.file_meta is None
    assert read_document(path, tmp_path, previous=old) == doc and counted["extract"] == 2


# 9. files that change or vanish between discover and read ---------------------------------

def test_a_file_that_vanished_is_a_one_line_error(tmp_path, monkeypatch):
    gone = tmp_path / "gone.txt"
    monkeypatch.setattr(sources, "discover", lambda paths: [gone])
    with pytest.raises(SourceError, match=r"^cannot read file \(no such file or directory\): "):
        load_documents([tmp_path], tmp_path)


def test_a_folder_or_a_pipe_where_a_file_was_is_a_one_line_error(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    refused(tmp_path / "dir.txt", r"^not a regular file \(a folder, pipe or device\): ")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would wait for a writer forever
    refused(tmp_path / "pipe.txt", r"^not a regular file ")


def test_a_file_without_permission_is_a_one_line_error(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", "text")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)
    monkeypatch.setattr(Path, "open", deny)
    refused(path, r"^cannot read file \(permission denied\): ")


def test_an_unreadable_catalog_is_a_one_line_error(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", "text")
    write(tmp_path, "catalog.toml", '["a.txt"]\ntitle = "T"\n')

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(Path, "read_text", deny)
    with pytest.raises(SourceError, match=r"^cannot read catalog \(permission denied\): "):
        load_documents([tmp_path], tmp_path)


def test_an_unreadable_folder_is_a_one_line_error(tmp_path, monkeypatch):
    def deny(self, pattern):
        raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(Path, "rglob", deny)
    with pytest.raises(SourceError, match=r"^cannot read \(permission denied\): "):
        load_documents([tmp_path], tmp_path)


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path):
    path = write(tmp_path, "two\nlines.txt", b"")
    with pytest.raises(SourceError) as info:
        read_document(path, tmp_path)
    assert str(info.value) == f"empty file: {tmp_path}/two\\nlines.txt"
