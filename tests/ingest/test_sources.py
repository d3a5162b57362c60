"""Your own documents: every format, metadata from the file, and bad or hostile input."""

from __future__ import annotations

import os

import pytest

from qa.errors import SourceError
from qa.ingest.sources import discover, load_documents, read_document


def minimal_pdf(pages: list[str], title: str = "Chip Report", author: str = "Ana Diaz") -> bytes:
    """A valid PDF with one Helvetica text line per page, written by hand (no PDF library)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    objects.append(f"<< /Title ({title}) /Author ({author}) /CreationDate (D:20250214120000) >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


HTML = """<!doctype html><html><head><title>Big AI spend</title>
<meta name="author" content="Jane Roe"><meta name="date" content="2025-02-03">
<script>document.title = "owned"</script><style>p { color: red }</style></head>
<body><nav>Home | About | Login | Subscribe</nav>
<article><h1>Big AI spend</h1>
<p>Meta will spend $65 billion on AI in 2025, the company said on Friday in a statement.</p>
<p>Analysts expect the figure to rise again next year as competition intensifies.</p>
</article><footer>Copyright 2025 Example News</footer></body></html>"""


def test_html_keeps_main_text_and_metadata_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML)
    doc = read_document(path, tmp_path)
    assert "Meta will spend $65 billion on AI in 2025" in doc.text
    assert "Analysts expect the figure" in doc.text
    for junk in ("document.title", "color: red", "Home | About", "Subscribe"):
        assert junk not in doc.text
    assert (doc.title, doc.author, doc.date) == ("Big AI spend", "Jane Roe", "2025-02-03")


def test_pdf_text_layer_with_page_numbers_and_metadata(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf(["Nvidia sold many chips in 2024.", "Demand grew 40 percent."]))
    doc = read_document(path, tmp_path)
    assert "Nvidia sold many chips in 2024." in doc.text and "Demand grew 40 percent." in doc.text
    assert (doc.title, doc.author, doc.date) == ("Chip Report", "Ana Diaz", "2025-02-14")
    second = doc.text.index("Demand grew")
    assert doc.page_of(0) == 1 and doc.page_of(second) == 2
    assert doc.text[doc.pages[1]:].startswith("Demand grew")


def test_markdown_front_matter_gives_metadata(tmp_path):
    path = tmp_path / "note.md"
    path.write_text('---\ntitle: "Chip wars"\nauthor: Li Wei\ndate: 2025-03-01\n---\n'
                    "# Chip wars\n\nExport controls *tightened* in March.\n")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.author, doc.date) == ("Chip wars", "Li Wei", "2025-03-01")
    assert "title:" not in doc.text and "Export controls tightened in March." in doc.text


def test_documents_outside_the_catalog_get_inferred_metadata(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Cloud capex climbs\n\nBy Sam Lee\n\nMarch 3, 2025\n\nSpending rose again.\n")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.author, doc.date) == ("Cloud capex climbs", "Sam Lee", "2025-03-03")


@pytest.mark.parametrize(("first", "title"), [
    ("# Harbour dues rise", "Harbour dues rise"),
    ("## Harbour dues rise ##", "Harbour dues rise"),
    ("#1 in the charts", "#1 in the charts"),  # no space: not a heading's marks
])
def test_a_markdown_heading_is_a_title_without_its_marks(tmp_path, first, title):
    path = tmp_path / "note.md"
    path.write_text(f"{first}\nBy Ana Ruiz\nPublished: 2024-05-02\n\nThe dues rose by 4%.\n")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.author, doc.date) == (title, "Ana Ruiz", "2024-05-02")


@pytest.mark.parametrize(("byline", "author"), [
    ("By Ana Ruiz, Harbour History Society", "Ana Ruiz"),
    ("By Ana Ruiz, who kept the harbour log, and others", None),  # a sentence, not a byline
    # a blog's line of fields
    ("By Ana Ruiz · Published 3 June 2024 · Tested in Portbury", "Ana Ruiz"),
    ("By Ana Ruiz | 5 min read", "Ana Ruiz"),
])
def test_a_byline_may_say_who_the_author_writes_for(tmp_path, byline, author):
    path = tmp_path / "note.md"
    path.write_text(f"# Harbour dues rise\n\n{byline}\n\nThe dues rose by 4%.\n")
    assert read_document(path, tmp_path).author == author


def test_seed_catalog_metadata(seed_documents):
    by_name = {d.source: d for d in seed_documents}
    beams = by_name["seeds/003_b6c8a39852cc0843.txt"]
    assert (beams.author, beams.date) == ("Nick Beams", "2025-01-31")
    assert beams.title == "DeepSeek has shattered basis of US AI stock market surge"
    assert by_name["seeds/004_f577ec4ace4f0d8b.txt"].author == "Inga Fechner"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"   \n\n  \t\n", "no text left"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin.txt", "café crème".encode("latin-1"), "not UTF-8"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
        ("empty.html", b"<html><head><script>var x = 1;</script></head><body></body></html>",
         "no article text"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type .csv"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load_documents([path], tmp_path)


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)
    with pytest.raises(SourceError, match="too large"):
        read_document(path, tmp_path)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(SourceError, match="no such file or folder"):
        discover([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no documents"):
        discover([tmp_path / "empty"])


def test_symlink_out_of_the_source_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2")
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "ok.txt").write_text("Fine text.")
    os.symlink(secret, folder / "leak.txt")
    with pytest.raises(SourceError, match="outside"):
        discover([folder])
    (folder / "leak.txt").unlink()
    os.symlink(folder / "ok.txt", folder / "alias.txt")  # inside the folder: allowed
    assert len(load_documents([folder], tmp_path)) == 1  # and the duplicate is kept once


def test_pdf_answers_cite_the_page_they_come_from(tmp_path):
    from qa.answer import ask
    from qa.store.build import build_index
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.pdf").write_bytes(minimal_pdf([
        "Nvidia sold many chips in 2024.", "Acme Robotics raised $40 million in March 2025.",
    ]))
    build_index([docs], tmp_path / "index", root=tmp_path, embedder=HashEmbedder(),
                progress=False)
    result = ask(load_index(tmp_path / "index"), "How much did Acme Robotics raise?")
    assert result.answer is not None and result.answer.text == "$40 million"
    assert result.answer.citation.page == 2
    assert "p. 2, " in result.answer.citation.render()
    assert result.to_json()["answer"]["page"] == 2
