"""Uploads from the web page: checked like `qa index`, saved safely, searchable at once."""

from __future__ import annotations

import re

import pytest

from qa.answer import ask
from qa.errors import SourceError
from qa.search.base import SearchSettings
from qa.store.build import build_index
from qa.store.index import load_index
from qa.types import Mode
from qa.web.app import handle_upload
from qa.web.uploads import MAX_UPLOAD_BYTES, LiveIndex, safe_name
from tests.fakes import HashEmbedder
from tests.ingest.test_sources import minimal_pdf

NEW_TEXT = """Zorblax opens a lunar factory
By Ada Quill

The Zorblax Corporation will spend $9 billion on a lunar chip factory, it said in 2025.
"""
NEW_QUESTION = "How much will Zorblax spend on the lunar chip factory?"
BM25 = SearchSettings(mode=Mode.BM25, k=3)


@pytest.fixture()
def live(workspace) -> LiveIndex:
    """The seeds indexed with the hash embedder, rooted in a scratch workspace."""
    build_index([workspace / "seeds"], workspace / "index", root=workspace,
                embedder=HashEmbedder(), progress=False)
    return LiveIndex(load_index(workspace / "index"))


def _file(tmp_path, name: str, data: bytes | str):
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _snapshot(live: LiveIndex):
    """What must not change when an upload is refused."""
    return (live.current, (live.current.directory / "manifest.json").read_bytes(),
            sorted(p.name for p in live.uploads_dir.glob("*")) if live.uploads_dir.exists()
            else [])


def test_an_uploaded_file_is_searchable_at_once(live, tmp_path):
    before = live.current
    done = live.add_upload(_file(tmp_path, "Zorblax report.txt", NEW_TEXT))
    assert done.added and done.source == "uploads/Zorblax_report.txt"
    assert live.current is done.index is not before
    assert (live.root / "uploads" / "Zorblax_report.txt").read_text() == NEW_TEXT
    result = ask(live.current, NEW_QUESTION, BM25)
    assert result.hits[0].chunk.source == done.source
    assert live.current.documents[done.source].title == "Zorblax opens a lunar factory"
    assert set(before.documents) < set(live.current.documents)
    assert "uploads" in live.current.manifest["inputs"]
    # A request that began before the swap finishes on the old index, which still works
    # although its directory has been replaced on disk.
    assert done.source not in before.documents
    assert ask(before, NEW_QUESTION, BM25).hits[0].chunk.source != done.source
    # The rebuild re-embedded only the new text; a fresh load sees the same index.
    assert set(load_index(live.root / "index").documents) == set(live.current.documents)


def test_html_and_pdf_uploads_go_through_the_same_reader(live, tmp_path):
    page = ("<html><head><title>Quux news</title><script>alert(1)</script></head><body>"
            "<nav>Home | About</nav><article><h1>Quux news</h1><p>Quuxcorp will hire 4,000 "
            "engineers in Lisbon next year, the company said on Monday in a statement that "
            "also covered its plans for new offices.</p></article></body></html>")
    html_done = live.add_upload(_file(tmp_path, "quux.html", page))
    text = live.current.documents[html_done.source].text
    assert "4,000 engineers" in text and "alert(1)" not in text and "Home | About" not in text
    pdf = minimal_pdf(["Blorpco shipped 12 million robots.", "Sales rose 30 percent."])
    pdf_done = live.add_upload(_file(tmp_path, "blorp.pdf", pdf))
    assert live.current.documents[pdf_done.source].pages  # page offsets kept for citations
    assert {html_done.source, pdf_done.source} <= set(live.current.documents)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"   \n\t\n  ", "no text left after cleaning"),
    ("binary.txt", b"\x00\x01\x02ELF" * 50, "binary file"),
    ("latin1.txt", "Café à la crème, über alles".encode("latin-1"), "not UTF-8"),
    ("big.txt", b"word " * (MAX_UPLOAD_BYTES // 5 + 1), "too large"),
    ("program.exe", b"MZ\x90\x00", "unsupported file type .exe"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type .docx"),
    ("README", b"some text", "unsupported file type (none)"),
    ("fake.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
    ("script.html", b"<html><body><script>alert(1)</script></body></html>", "no article text"),
])
def test_a_bad_file_is_refused_and_the_index_is_unchanged(live, tmp_path, name, data, says):
    before = _snapshot(live)
    with pytest.raises(SourceError, match=re.escape(says)) as caught:
        live.add_upload(_file(tmp_path, name, data))
    assert _snapshot(live) == before
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path) not in message  # one line, no server paths
    page, source = handle_upload(live, _file(tmp_path, name, data))
    assert source is None and page.startswith('<div class="qa-notice qa-notice-error"')
    assert says.lower() in page.lower() and "Traceback" not in page
    assert _snapshot(live) == before


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/cron.d/job.md", "job.md"),
    ("C:\\Users\\me\\..\\report.HTML", "report.html"),
    ("a b<img src=x onerror=alert(1)>.txt", "a_b_img_src_x_onerror_alert_1.txt"),
    ("a<script>x</script>.txt", "script.txt"),  # the slash is a directory separator
    (".hidden.txt", "hidden.txt"),
    ("...txt", "upload.txt"),
    ("Ünïcødé résumé.md", "Unicde_resume.md"),
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_file_names_are_made_safe(name, safe):
    assert safe_name(name) == safe


@pytest.mark.parametrize("name", ["..", "../", "/", "", "uploads/..", "evil.txt/.."])
def test_names_without_a_document_are_refused(name):
    with pytest.raises(SourceError, match="unsupported file type"):
        safe_name(name)


def test_a_traversal_name_lands_inside_the_uploads_folder(live, tmp_path):
    done = live.add_upload(_file(tmp_path, "x.txt", NEW_TEXT), "../../../outside.txt")
    assert done.source == "uploads/outside.txt"
    assert not (live.root.parent / "outside.txt").exists()
    assert [p.name for p in live.uploads_dir.iterdir()] == ["outside.txt"]


def test_a_different_file_with_the_same_name_is_kept_beside_it(live, tmp_path):
    first = live.add_upload(_file(tmp_path, "notes.txt", NEW_TEXT))
    other = "Blorpco will build 3 robot plants in Ohio by 2027, its chief executive said.\n"
    second = live.add_upload(_file(tmp_path, "notes.txt", other))
    assert (first.source, second.source) == ("uploads/notes.txt", "uploads/notes-2.txt")
    assert (live.uploads_dir / "notes.txt").read_text() == NEW_TEXT  # not overwritten
    assert {first.source, second.source} <= set(live.current.documents)


def test_the_same_content_twice_changes_nothing(live, tmp_path):
    first = live.add_upload(_file(tmp_path, "a.txt", NEW_TEXT))
    index = live.current
    again = live.add_upload(_file(tmp_path, "b.txt", NEW_TEXT))
    assert not again.added and again.source == first.source and live.current is index
    seed = live.root / "seeds" / "000_432a7676416fb9d4.txt"
    copy = live.add_upload(seed, "meta.txt")
    assert not copy.added and copy.source == "seeds/000_432a7676416fb9d4.txt"
    assert [p.name for p in live.uploads_dir.iterdir()] == ["a.txt"]


def _upload_failing_in(stage: str, error: BaseException, live, tmp_path, monkeypatch):
    """Upload NEW_TEXT with `qa.web.uploads.<stage>` raising `error`: (page, source, before)."""
    import qa.web.uploads

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(qa.web.uploads, stage, broken)
    before = _snapshot(live)
    return (*handle_upload(live, _file(tmp_path, "a.txt", NEW_TEXT)), before)


def test_a_failed_build_leaves_no_file_and_the_old_index(live, tmp_path, monkeypatch):
    page, source, before = _upload_failing_in("add_to_index", OSError("disk full"), live,
                                              tmp_path, monkeypatch)
    assert source is None and "Disk full" in page
    assert _snapshot(live)[:2] == before[:2] and list(live.uploads_dir.iterdir()) == []


def test_the_page_notice_names_the_new_document(live, tmp_path):
    page, source = handle_upload(live, _file(tmp_path, "zorblax.txt", NEW_TEXT))
    assert source == "uploads/zorblax.txt"
    assert "Added “Zorblax opens a lunar factory” (uploads/zorblax.txt)" in page
    assert "searchable now" in page and "qa-notice-done" in page
    hostile = "Evil <script>alert(1)</script> title\n\nQuuxcorp pledged $1 billion in 2024.\n"
    page, _ = handle_upload(live, _file(tmp_path, "evil.txt", hostile))
    assert "<script>" not in page and "&lt;script&gt;" in page
    missing, source = handle_upload(live, None)
    assert source is None and "No file was received" in missing


def test_an_unforeseen_failure_is_a_notice_and_changes_nothing(live, tmp_path, monkeypatch):
    """Whatever a file makes a library raise, the page says so and the index stays."""
    page, source, before = _upload_failing_in(
        "read_document", RecursionError("a parser went too deep"), live, tmp_path, monkeypatch)
    assert source is None and "could not be indexed" in page and "Traceback" not in page
    assert _snapshot(live) == before
