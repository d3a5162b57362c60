"""End-to-end: the page in real headless Chromium (Debian's), against a live app.

The app serves the seeds plus a hostile document, indexed with the real model. Every page
records dialogs, script errors and requests leaving 127.0.0.1; any of them fails the test.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from tests.web_support import (
    CHROMIUM,
    HOSTILE_NAME,
    HOSTILE_QUESTION,
    SEEDS,
    chromium,
    hostile_corpus,
    running_app,
    shapes_corpus,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # Gradio's queue calls pandas in ways pandas 3 deprecates; nothing of ours.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting'"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

META = "how much is Meta spending on AI infrastructure?"
META_SPAN = "between $60 billion and $65 billion"
META_SOURCE = "seeds/000_432a7676416fb9d4.txt"
META_TITLE = "AI a Race to the Abyss?"
SLOW = "Which question takes a long time?"
TIMEOUT = 30_000  # ms; generous for a loaded 2-core machine, never a measurement


@pytest.fixture(scope="module")
def web_index(seed_index_dir, tmp_path_factory):
    """Seeds + hostile document + the answer-shape documents; the seed vectors are reused,
    so only the new text is embedded."""
    from qa.store.build import build_index
    from qa.store.index import load_index

    folder = tmp_path_factory.mktemp("browser")
    corpus = hostile_corpus(folder)
    shutil.copytree(seed_index_dir, folder / "index")
    build_index([corpus, shapes_corpus(folder)], folder / "index", root=folder,
                progress=False)
    return load_index(folder / "index")


@pytest.fixture(scope="module")
def server(web_index):
    with running_app(web_index) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    with chromium() as b:
        yield b


class Watch:
    """What a page did that it never should: dialogs, uncaught errors, outside requests."""

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                else self.outside.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert (self.dialogs, self.errors, self.outside) == ([], [], [])


def _open(browser, url, *, width=1280, height=900, dark=False):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme="dark" if dark else "light")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    watch = Watch(page, url.rstrip("/"))
    page.goto(url + ("?__theme=dark" if dark else ""))
    page.locator("#qa-question textarea").wait_for()
    return context, page, watch


@pytest.fixture()
def page(browser, server):
    context, page, watch = _open(browser, server)
    page.watch = watch
    yield page
    context.close()
    watch.check()


def ask(page, question: str, *, enter: bool = False, mode: str | None = None):
    """Type `question`, press Ask (or Enter), and wait for this question's result."""
    box = page.locator("#qa-question textarea")
    box.fill(question)
    if enter:
        box.press("Enter")
    else:
        page.locator("#qa-ask").click()
    selector = f'#qa-result .qa-result[data-question="{_attr(question.strip())}"]'
    if mode:
        selector += f'[data-mode="{mode}"]'
    page.locator(selector).or_(page.locator("#qa-result .qa-notice-error")).first.wait_for()
    return page.locator("#qa-result")


def _attr(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def passage_keys(page) -> list[str]:
    return page.locator("#qa-result .qa-passage .qa-src").all_inner_texts()


def test_meta_question_shows_the_marked_answer_and_its_citation(page):
    result = ask(page, META)
    card = result.locator(".qa-answer")
    assert card.locator("mark").inner_text() == META_SPAN
    assert "Meta Platforms plans to spend" in card.locator(".qa-sentence").inner_text()
    cite = card.locator(".qa-cite").inner_text()
    assert META_TITLE in cite and META_SOURCE in cite
    first = result.locator(".qa-passage").first
    assert first.locator(".qa-title").inner_text() == META_TITLE
    assert first.locator("mark").inner_text() == META_SPAN  # answer in its passage too
    terms = {t.lower() for t in first.locator(".qa-term").all_inner_texts()}
    assert {"meta", "infrastructure"} <= terms


def test_enter_asks_too(page):
    result = ask(page, META, enter=True)
    assert result.locator(".qa-answer mark").inner_text() == META_SPAN


def test_an_example_question_asks_at_once(page):
    page.locator("#qa-examples").get_by_text("Where is DeepSeek based?").click()
    page.locator('#qa-result [data-question="Where is DeepSeek based?"]').wait_for()
    assert page.locator("#qa-question textarea").input_value() == "Where is DeepSeek based?"
    assert page.locator("#qa-result .qa-passage").count() == 5


def test_disagreeing_sources_are_shown_side_by_side(page):
    # Nvidia's one-day fall (15% / almost 17 percent) was the example until 800-character
    # chunks put the 15% passage eighth (tests/test_answer.py keeps it, as an expected failure).
    result = ask(page, "How much did it cost to train DeepSeek's model?")
    card = result.locator(".qa-answer.qa-disagree")
    kicker = card.locator(".qa-kicker").first.inner_text()
    assert kicker.lower().startswith("the sources disagree: 2 figures")
    figures = card.locator(".qa-compare .qa-figure")
    assert figures.count() == 2
    assert {figures.nth(i).locator("mark").inner_text() for i in range(2)} == {
        "under $6 million", "$1.3 billion"}
    cites = {figures.nth(i).locator(".qa-cite").inner_text() for i in range(2)}
    assert len(cites) == 2  # each figure carries its own source


def test_an_unanswerable_question_says_so_plainly(page):
    result = ask(page, "Who won the 2022 World Cup?")
    card = result.locator(".qa-answer")
    assert card.locator(".qa-none-text").inner_text() == "The sources do not answer this."
    assert "never mention World Cup" in card.locator(".qa-sub").inner_text()
    # The sentence closest to the rest of the question is shown as such, not as an answer.
    closest = card.locator(".qa-figure")
    assert closest.count() == 1
    assert closest.locator(".qa-kicker").inner_text().lower() == "closest, not confident"
    assert card.locator("mark").count() == closest.locator("mark").count() == 1
    assert result.locator(".qa-passage").count() == 5  # the closest, for the reader to judge


def test_the_citation_opens_the_source_scrolled_to_the_answer(page):
    ask(page, META)
    page.locator("#qa-result .qa-answer .qa-cite").click()
    viewer = page.locator("#qa-viewer")
    viewer.locator(".qa-doc-title").filter(has_text=META_TITLE).wait_for()
    assert page.get_by_role("tab", name="Source").get_attribute("aria-selected") == "true"
    assert viewer.locator(".qa-target mark").inner_text() == META_SPAN
    assert "Meta Platforms plans to spend" in viewer.locator(".qa-target").inner_text()
    page.wait_for_function("() => document.querySelector('#qa-viewer .qa-doc-text').scrollTop > 0")
    box = viewer.locator(".qa-doc-text").bounding_box()
    mark = viewer.locator(".qa-target mark").bounding_box()
    assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"]
    assert page.locator("#qa-doc-picker input").input_value() == META_TITLE


def test_a_passage_link_and_the_document_picker_open_sources(page):
    ask(page, META)
    second = page.locator("#qa-result .qa-passage").nth(1)
    title = second.locator(".qa-title").inner_text()
    where = second.locator(".qa-src").inner_text()
    second.locator(".qa-src").click()
    page.locator("#qa-viewer .qa-doc-title").filter(has_text=title).wait_for()
    chars = re.search(r"chars (\d+)–(\d+)", where).group(0)
    assert chars in page.locator("#qa-viewer .qa-where").inner_text()
    # Any indexed document can be read whole from the picker, with nothing highlighted.
    other = next(t for t in ("AI Bubble", "DeepSeek has shattered") if t not in title)
    page.locator("#qa-doc-picker input").click()
    page.get_by_role("option", name=other).click()
    page.locator("#qa-viewer .qa-doc-title").filter(has_text=other).wait_for()
    assert page.locator("#qa-viewer .qa-target").count() == 0


def test_bm25_mode_changes_the_ranking(page):
    ask(page, META, mode="hybrid")
    hybrid = passage_keys(page)
    page.get_by_text("Search settings").click()
    page.locator("#qa-mode").get_by_text("BM25 (words)").click()
    page.locator("#qa-fusion").wait_for(state="hidden")  # fusion only matters in hybrid
    ask(page, META, mode="bm25")
    bm25 = passage_keys(page)
    assert bm25 != hybrid and len(bm25) == len(hybrid) == 5
    details = page.locator("#qa-result .qa-passage").first.locator("details.qa-scores")
    details.locator("summary").click()
    assert "Ranked by BM25 score" in details.inner_text()


def test_weighted_fusion_fewer_passages_and_a_source_filter(page):
    page.get_by_text("Search settings").click()
    page.locator("#qa-fusion").get_by_text("Reciprocal rank (RRF)").click()
    page.locator("#qa-alpha").wait_for(state="hidden")  # the weight only matters when weighted
    page.locator("#qa-fusion").get_by_text("Weighted scores").click()
    page.locator("#qa-alpha").wait_for()
    page.locator("#qa-k input[type=number]").fill("3")
    page.locator("#qa-k input[type=number]").press("Enter")
    page.locator("#qa-sources input").click()
    page.get_by_role("option", name="AI Bubble").click()
    page.keyboard.press("Escape")
    result = ask(page, META)
    sources = result.locator(".qa-passage .qa-src").all_inner_texts()
    assert len(sources) == 3 and all(s.startswith("seeds/001_") for s in sources)
    summary = result.locator(".qa-passage").first.locator("details.qa-scores")
    summary.locator("summary").click()
    table = summary.inner_text()
    assert "Ranked by weighted fusion" in table and "BM25" in table and "Vector" in table


def test_hostile_document_is_shown_as_text_and_runs_nothing(page):
    result = ask(page, HOSTILE_QUESTION)
    first = result.locator(".qa-passage").filter(has_text=HOSTILE_NAME)
    assert first.locator(".qa-title").inner_text() == "Hostile <script>alert(1)</script> page"
    text = first.locator(".qa-text").inner_text()
    for shown in ("<img src=x onerror=alert(1)>", "<svg onload=alert(2)></svg>",
                  '<a href="javascript:alert(3)">click</a>', "${alert(4)}",
                  "{{constructor.constructor('alert(5)')()}}", "&lt;b&gt;"):
        assert shown in text
    live = "#qa-result :is(script, img, svg, iframe, a[href])"
    assert page.locator(live).count() == 0
    first.locator(".qa-src").click()
    viewer = page.locator("#qa-viewer")
    viewer.locator(".qa-doc-title").filter(has_text="<script>alert(1)</script>").wait_for()
    assert "<img src=x onerror=alert(1)>" in viewer.locator(".qa-doc-text").inner_text()
    assert page.locator("#qa-viewer :is(script, img, svg, iframe, a[href])").count() == 0
    page.locator("#qa-doc-picker input").click()  # titles are listed as text too
    page.get_by_role("option", name="Hostile <script>alert(1)</script> page").wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Figures").click()
    page.locator("#qa-figures").wait_for()
    assert page.locator("#qa-figures :is(script, img, iframe, a[href])").count() == 0
    page.wait_for_timeout(300)  # let any injected handler fire before looking for dialogs
    assert page.watch.dialogs == []


def test_hostile_question_runs_nothing(page):
    ask(page, "<img src=x onerror=alert(1)> <script>alert(2)</script> Meta?")
    assert page.locator("#qa-result :is(script, img)").count() == 0
    assert page.watch.dialogs == []


@pytest.mark.parametrize(("question", "says"), [
    ("   ", "The question is empty"),
    ("why " * 400, "too long"),
])
def test_empty_or_overlong_question_gets_a_friendly_notice(page, question, says):
    ask(page, question)
    notice = page.locator("#qa-result .qa-notice-error").inner_text()
    assert says in notice and "Traceback" not in notice


def test_a_tampered_citation_cannot_open_other_files(page):
    ask(page, META)
    page.evaluate("""() => {
        const link = document.querySelector('#qa-result .qa-src');
        link.dataset.source = '../../../../etc/passwd';
    }""")
    page.locator("#qa-result .qa-src").first.click()
    page.locator("#qa-viewer .qa-notice-error").wait_for()
    assert "not in the index" in page.locator("#qa-viewer").inner_text()
    assert "root:" not in page.locator("#qa-viewer").inner_text()


def test_figures_table_sorts_and_opens_sources(page):
    page.get_by_role("tab", name="Figures").click()
    table = page.locator("#qa-figures table")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() > 3
    header = table.locator("th button[data-sort='1']")

    def values():  # (unit, value) down the figure column
        return [(g, float(v)) for g, v in table.locator("tbody td.qa-num").evaluate_all(
            "cells => cells.map(c => [c.dataset.group, c.dataset.value])") if v]

    header.click()
    assert values() == sorted(values()) and len({g for g, _ in values()}) > 1
    header.click()
    assert values() == sorted(values(), reverse=True)
    dates = table.locator("th button[data-sort='3']")
    dates.click()
    keys = table.locator("tbody td.qa-date").evaluate_all("cells => cells.map(c => c.dataset.key)")
    assert keys == sorted(keys)
    first = rows.first.locator(".qa-src")
    title = first.inner_text()
    first.click()
    page.locator("#qa-viewer .qa-doc-title").filter(has_text=title).wait_for()
    assert page.locator("#qa-viewer .qa-target").count() == 1


def test_phone_width(browser, server):
    context, page, watch = _open(browser, server, width=390, height=844)
    try:
        result = ask(page, META)
        assert result.locator(".qa-answer mark").inner_text() == META_SPAN
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 390
        for selector in ("#qa-ask", "#qa-result .qa-answer", "#qa-result .qa-passage"):
            box = page.locator(selector).first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        # The answer is brought into view even though the examples push it down.
        page.wait_for_function("""() => {
            const r = document.querySelector('#qa-result .qa-answer').getBoundingClientRect();
            return r.top >= 0 && r.top < window.innerHeight; }""")
    finally:
        context.close()
    watch.check()


def _luminance(css_color: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_mode(browser, server):
    context, page, watch = _open(browser, server, dark=True)
    try:
        assert page.evaluate("() => document.body.classList.contains('dark')")
        result = ask(page, META)
        passage = result.locator(".qa-passage").first

        def style(locator, prop):
            return locator.evaluate(f"e => getComputedStyle(e).{prop}")

        assert _luminance(style(passage.locator(".qa-text"), "color")) > 0.7
        assert _luminance(style(passage, "backgroundColor")) < 0.3
        mark = result.locator(".qa-answer mark")
        assert _luminance(style(mark, "backgroundColor")) > 0.6
        assert _luminance(style(mark, "color")) < 0.3  # dark text on the yellow mark
    finally:
        context.close()
    watch.check()


def test_a_slow_question_shows_progress_and_others_are_still_answered(browser, web_index):
    from qa.answer import ask as real_ask

    release, started = threading.Event(), threading.Event()

    def slow_ask(index, question, settings=None, **kwargs):
        if question == SLOW:
            started.set()
            assert release.wait(120), "the test never released the slow question"
        return real_ask(index, question, settings, **kwargs)

    with running_app(web_index, ask_fn=slow_ask) as url:
        first, slow_page, slow_watch = _open(browser, url)
        second, fast_page, fast_watch = _open(browser, url)
        try:
            slow_page.locator("#qa-question textarea").fill(SLOW)
            slow_page.locator("#qa-ask").click()
            assert started.wait(TIMEOUT / 1000)
            tracker = slow_page.locator("#qa-result [data-testid=status-tracker]")
            tracker.filter(has_text="processing").wait_for()
            # Another reader's question is answered while the slow one is still running.
            result = ask(fast_page, META)
            assert result.locator(".qa-answer mark").inner_text() == META_SPAN
            assert slow_page.locator(f'#qa-result [data-question="{SLOW}"]').count() == 0
        finally:
            release.set()
        slow_page.locator(f'#qa-result [data-question="{SLOW}"]').wait_for()
        first.close(), second.close()
    slow_watch.check(), fast_watch.check()


UPLOAD_TEXT = """Zorblax opens a lunar factory
By Ada Quill

The Zorblax Corporation will spend $9 billion on a lunar chip factory, it said in 2025.
"""
UPLOAD_QUESTION = "How much will Zorblax spend on the lunar chip factory?"


def upload(page, path: Path) -> None:
    """Pick `path` in the file chooser the "Add a document" button opens, as a reader does."""
    with page.expect_file_chooser() as chooser:
        page.locator("#qa-upload").click()
    chooser.value.set_files(str(path))


def test_an_uploaded_document_answers_the_next_question(browser, tmp_path):
    """Upload into a live app (hash embedder: fast), then ask what only the upload says."""
    from qa.store.build import build_index
    from qa.store.index import load_index
    from qa.web.uploads import LiveIndex
    from tests.fakes import HashEmbedder

    corpus = shutil.copytree(SEEDS, tmp_path / "root" / "seeds")
    build_index([corpus], tmp_path / "root" / "index", root=tmp_path / "root",
                embedder=HashEmbedder(), progress=False)
    live = LiveIndex(load_index(tmp_path / "root" / "index"))
    files = tmp_path / "files"
    files.mkdir()
    (files / "lunar plans.txt").write_text(UPLOAD_TEXT)
    (files / "blob.txt").write_bytes(b"\x00\x01binary" * 100)
    with running_app(live) as url:
        context, page, watch = _open(browser, url)
        try:
            before = ask(page, UPLOAD_QUESTION)
            assert "uploads/" not in before.inner_text()
            page.get_by_role("tab", name="Source").click()
            upload(page, files / "blob.txt")
            notice = page.locator("#qa-upload-notice .qa-notice-error")
            notice.wait_for()
            assert notice.inner_text() == "Binary file, not text: blob.txt."
            upload(page, files / "lunar plans.txt")
            done = page.locator("#qa-upload-notice .qa-notice-done")
            done.wait_for()
            assert "uploads/lunar_plans.txt" in done.inner_text()
            viewer = page.locator("#qa-viewer .qa-doc-title")
            assert viewer.inner_text() == "Zorblax opens a lunar factory"
            page.get_by_role("tab", name="Ask").click()
            result = ask(page, "And " + UPLOAD_QUESTION)  # another question: a new result
            assert "uploads/lunar_plans.txt" in result.locator(".qa-answer .qa-cite").inner_text()
            assert result.locator(".qa-answer mark").inner_text() == "$9 billion"
            assert any(s.startswith("uploads/lunar_plans.txt") for s in passage_keys(page))
            page.get_by_text("Search settings").click()
            page.locator("#qa-sources input").click()  # the filter offers the new document
            page.get_by_role("option", name="Zorblax opens a lunar factory").wait_for()
            page.keyboard.press("Escape")
            assert "6 indexed sources" in page.locator("#qa-header").inner_text()
        finally:
            context.close()
    watch.check()
    assert [p.name for p in live.uploads_dir.iterdir()] == ["lunar_plans.txt"]


# --- answer shapes: a list, a cause clause, a comparison, how sure ---------------------------

def test_a_list_answer_marks_every_item(page):
    result = ask(page, "Who were the original investors in the clean-energy fund?")
    assert result.locator(".qa-answer mark").first.inner_text() == "Allianz, Temasek and Nestlé"


def test_a_why_answer_marks_its_clause_inside_the_sentence(page):
    result = ask(page, "Why did the harbour close?")
    quote = result.locator(".qa-answer .qa-sentence")
    assert quote.locator("mark").inner_text() == "because the river mouth silted up"
    assert quote.inner_text().startswith("The harbour closed in 1850")


def test_a_comparison_shows_both_figures_each_with_its_citation(page):
    result = ask(page, "Who spends more on chip plants, Samsung Electronics or Bosch?")
    answer = result.locator(".qa-answer.qa-comparison")
    kicker = answer.locator(".qa-kicker").first.inner_text().lower()
    assert "samsung electronics ($230 billion) is the larger" in kicker
    figures = answer.locator(".qa-figure")
    assert figures.count() == 2
    assert figures.locator("mark").all_inner_texts() == ["$230 billion", "$3 billion"]
    cites = figures.locator(".qa-cite").all_inner_texts()
    assert "Chip plants" in cites[0] and "Bosch" in cites[1]


def test_a_superlative_shows_each_source_figure_with_its_citation(page):
    result = ask(page, "Which company will spend the most on chip plants?")
    answer = result.locator(".qa-answer.qa-comparison")
    assert "$230 billion is the larger" in answer.locator(".qa-kicker").first.inner_text().lower()
    figures = answer.locator(".qa-figure")
    assert figures.locator("mark").all_inner_texts() == ["$230 billion", "$3 billion"]
    cites = figures.locator(".qa-cite").all_inner_texts()
    assert "Chip plants" in cites[0] and "Bosch" in cites[1]


def test_a_yes_no_question_gets_the_whole_sentence(page):
    result = ask(page, "Did the harbour close because the river mouth silted up?")
    marked = result.locator(".qa-answer .qa-sentence mark").inner_text()
    assert marked.startswith("The harbour closed in 1850") and marked.endswith("silted up.")


def test_the_answer_says_how_sure_it_is(page):
    result = ask(page, META)
    badge = result.locator(".qa-answer .qa-sure")
    assert badge.inner_text().lower() in ("strong match", "weak match")
    assert badge.get_attribute("title")
    # Only the question's content words are underlined: "much" frames the question.
    underlined = {w.lower() for w in result.locator(".qa-passage .qa-term").all_inner_texts()}
    assert "meta" in underlined and "much" not in underlined
