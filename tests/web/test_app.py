"""The web page's handlers and HTML, without a server: escaping, the viewer, bad input."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from qa.answer import ask, citation_for
from qa.search.base import SearchSettings
from qa.types import Mode
from qa.web.app import (
    document_choices,
    example_questions,
    figures_html,
    handle_ask,
    handle_open,
)
from qa.web.render import date_key, highlight, render_figures, render_result
from qa.web.uploads import MAX_UPLOAD_BYTES, LiveIndex
from tests.web_support import HOSTILE_NAME, HOSTILE_QUESTION, hostile_corpus

META = "how much is Meta spending on AI infrastructure?"
META_SOURCE = "seeds/000_432a7676416fb9d4.txt"
META_SPAN = "between $60 billion and $65 billion"
SAFE_TAGS = {"div", "section", "p", "h2", "h3", "span", "mark", "b", "article", "header",
             "footer", "figure", "figcaption", "blockquote", "button", "details", "summary",
             "table", "thead", "tbody", "tr", "th", "td"}


class _Tags(HTMLParser):
    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def live_markup(fragment: str) -> list[str]:
    """Every tag or attribute in `fragment` that the page itself does not write."""
    found = []
    for tag, attrs in _Tags(fragment).tags:
        if tag not in SAFE_TAGS:
            found.append(tag)
        found += [f"{tag}[{name}]" for name, _ in attrs
                  if name.startswith("on") or name in {"href", "src", "style"}]
    return found


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    """The seeds plus a hostile document, with the fast hash embedder."""
    from qa.store.build import build_index
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    folder = tmp_path_factory.mktemp("hostile")
    corpus = hostile_corpus(folder)
    build_index([corpus], folder / "index", root=folder, embedder=HashEmbedder(), progress=False)
    return load_index(folder / "index")


def _hostile_source(index) -> str:
    return next(s for s in index.documents if s.endswith(HOSTILE_NAME))


def _text(fragment: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_page_and_api_agree_with_ask(fake_index):
    page, payload = handle_ask(fake_index, META, 4, "bm25")
    expected = ask(fake_index, META, SearchSettings(mode=Mode.BM25, k=4)).to_json()
    payload.pop("took_ms"), expected.pop("took_ms")
    assert payload == expected
    assert len(re.findall(r'<article class="qa-passage"', page)) == len(payload["passages"]) == 4
    first = payload["passages"][0]
    assert f'data-source="{first["source"]}" data-start="{first["start"]}"' in page
    assert html.escape(first["title"]) in page


def test_passages_show_metadata_range_and_score_breakdown(fake_index):
    page, payload = handle_ask(fake_index, META, 3, "hybrid", "rrf")
    for passage in payload["passages"]:
        assert f'{passage["source"]} · chars {passage["start"]}–{passage["end"]}' in page
    assert page.count('<details class="qa-scores">') == 3
    assert "Ranked by reciprocal rank fusion" in page and "1/(60 + " in page
    assert "<th scope=row>Vector</th>" in page and "<th scope=row>BM25</th>" in page
    page, _ = handle_ask(fake_index, META, 3, "vector")
    assert "vector score" in page and "its best sentence" in page  # what the number is


def test_question_words_are_highlighted(fake_index):
    page, _ = handle_ask(fake_index, META, 3, "bm25")
    terms = {m.lower() for m in re.findall(r'<span class="qa-term">([^<]*)</span>', page)}
    assert {"meta", "infrastructure"} <= terms
    stopwords = {w for w in ("how", "is", "on") if not fake_index.tokenize(w)}  # the analyzer's
    assert {"is", "on"} <= stopwords and not terms & stopwords  # stopwords are not what matched


def test_weighted_fusion_and_source_filter(fake_index):
    sources = [META_SOURCE]
    page, payload = handle_ask(fake_index, META, 5, "hybrid", "weighted", 0.3, sources)
    assert {p["source"] for p in payload["passages"]} == {META_SOURCE}
    alpha = payload["alpha"]  # 0.3 when the question's words are found, more when not
    assert 0.3 <= alpha <= max(0.3, SearchSettings().alpha_max or 0.3)
    assert "Ranked by weighted fusion" in page
    assert f"{alpha:.2f} × vector + {1 - alpha:.2f} × BM25" in page


@pytest.mark.parametrize(
    ("question", "k", "mode", "fusion", "alpha", "sources", "says"),
    [
        ("", 5, "hybrid", "rrf", 0.5, None, "The question is empty"),
        ("   \n\t ", 5, "hybrid", "rrf", 0.5, None, "The question is empty"),
        ("why " * 400, 5, "hybrid", "rrf", 0.5, None, "too long"),
        (META, 5, "fuzzy", "rrf", 0.5, None, "valid modes: hybrid, bm25, vector"),
        (META, 5, "hybrid", "borda", 0.5, None, "valid fusions: rrf, weighted"),
        (META, 0, "hybrid", "rrf", 0.5, None, "k must be a whole number from 1 to 100"),
        (META, 5, "hybrid", "weighted", 1.5, None, "alpha must be a number from 0 to 1"),
        (META, 5, "hybrid", "rrf", 0.5, ["/etc/passwd"], "not in the index"),
        # What a hostile API caller sent, each once a server traceback and {"error": null}.
        (META, "1e999", "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, float("inf"), "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, float("nan"), "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, [1], "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, {}, "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, True, "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, 2.5, "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, 10**400, "hybrid", "rrf", 0.5, None, "k must be a whole number"),
        (META, 5, "hybrid", "weighted", [0.5], None, "alpha must be a number"),
        (META, 5, "hybrid", "weighted", "inf", None, "alpha must be a number"),
        (META, 5, ["hybrid"], "rrf", 0.5, None, "mode must be text"),
        (META, 5, "hybrid", "rrf", 0.5, [1, None, {}], "sources must be a list"),
        (META, 5, "hybrid", "rrf", 0.5, "seeds", "sources must be a list"),
        (12345, 5, "hybrid", "rrf", 0.5, None, "question must be text"),
        (None, 5, "hybrid", "rrf", 0.5, None, "question must be text"),
    ],
)
def test_bad_input_gives_a_friendly_notice(fake_index, question, k, mode, fusion, alpha,
                                           sources, says):
    page, payload = handle_ask(fake_index, question, k, mode, fusion, alpha, sources)
    assert page.startswith('<div class="qa-notice qa-notice-error"')
    assert says.lower() in page.lower() and "Traceback" not in page
    assert list(payload) == ["error"]


def test_examples_come_from_the_catalog_and_answer_from_their_document(root, fake_index):
    import json

    seeds = {json.loads(line)["question"]: json.loads(line)
             for line in (root / "seeds" / "questions.jsonl").read_text().splitlines()
             if line.strip()}
    examples = example_questions(fake_index)
    assert len(examples) == 6 and examples[0].lower() == META.lower()
    for source, doc in fake_index.documents.items():
        for question in doc.examples:
            gold = {a["source"] for a in seeds[question]["answers"]}
            assert source in gold or not seeds[question]["answerable"]


def test_no_examples_for_documents_without_any(tmp_path):
    from qa.store.build import build_index
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.txt").write_text("Quux Corp will invest $2 billion in 2026.")
    build_index([tmp_path / "docs"], tmp_path / "index", root=tmp_path, embedder=HashEmbedder(),
                progress=False)
    assert example_questions(load_index(tmp_path / "index")) == []


def test_document_choices_list_every_document_by_title(fake_index):
    choices = document_choices(fake_index)
    assert sorted(s for _, s in choices) == sorted(fake_index.documents)
    assert ("AI a Race to the Abyss?", META_SOURCE) in choices


def test_viewer_shows_the_whole_document_with_the_range_marked(fake_index):
    doc = fake_index.documents[META_SOURCE]
    start = doc.text.index(META_SPAN)
    page = handle_open(fake_index, META_SOURCE, start - 40, start + 60, start,
                       start + len(META_SPAN))
    assert _text(page).count(doc.text) == 1  # nothing lost, nothing added inside the text
    target = re.search(r'<span class="qa-target" id="qa-target">(.*?)</span>', page, re.S)
    assert _text(target.group(1)) == doc.text[start - 40:start + 60]
    assert re.search(r"<mark>(.*?)</mark>", target.group(1)).group(1) == html.escape(META_SPAN)


@pytest.mark.parametrize("source", [
    "../../etc/passwd", "/etc/passwd", "seeds/../seeds/000_432a7676416fb9d4.txt",
    "seeds/catalog.toml", "", None, 42, ["seeds/000_432a7676416fb9d4.txt"],
    {"source": META_SOURCE},
])
def test_viewer_only_shows_indexed_documents(fake_index, source):
    page = handle_open(fake_index, source, 0, 100)
    assert "not in the index" in page
    assert "qa-doc-text" not in page


@pytest.mark.parametrize(("start", "end"), [
    (-50, 10**9), ("12", "x"), (None, None), (9, 3), ("1e999", "inf"), ("-inf", "nan"),
    (10**400, [1]), ({}, 1e308)])
def test_viewer_survives_odd_ranges(fake_index, start, end):
    page = handle_open(fake_index, META_SOURCE, start, end, -1, 10**12)
    assert "qa-doc-text" in page


def test_hostile_document_is_escaped_everywhere(hostile_index):
    source = _hostile_source(hostile_index)
    doc = hostile_index.documents[source]
    page, payload = handle_ask(hostile_index, HOSTILE_QUESTION, 5, "bm25")
    assert payload["passages"][0]["source"] == source
    viewer = handle_open(hostile_index, source, 0, len(doc.text) // 2)
    choices = str(document_choices(hostile_index))
    for fragment in (page, viewer):
        assert live_markup(fragment) == []
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
        assert "&lt;img src=x onerror=alert(1)&gt;" in fragment
    assert "<script>alert(1)</script>" in choices  # Gradio shows choices as text, not HTML
    assert "<img src=x onerror=alert(1)>" in _text(viewer)  # shown as the characters


def test_hostile_question_is_escaped(fake_index):
    page, _ = handle_ask(fake_index, "<img src=x onerror=alert(1)> Meta <script>", 3, "bm25")
    assert live_markup(page) == []


def _answer(index, source, span, occurrence=0):
    """An Answer-shaped value for `span` in `source`, its sentence found by hand."""
    from qa.ingest.chunking import split_sentences

    text = index.documents[source].text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(span, start + 1)
    s_start, s_end = next((s, e) for s, e in split_sentences(text) if s <= start < e)
    return SimpleNamespace(
        text=span, sentence=text[s_start:s_end], source=source, start=start,
        end=start + len(span), sentence_start=s_start, sentence_end=s_end, score=1.0,
        citation=citation_for(index, source, s_start, s_end),
    )


def _result(index, question, answer, alternatives=(), no_answer=False):
    base = ask(index, question, SearchSettings(mode=Mode.BM25, k=3))
    return SimpleNamespace(question=base.question, mode=base.mode, hits=base.hits,
                           citations=base.citations, took_ms=base.took_ms, answer=answer,
                           alternatives=alternatives, no_answer=no_answer)


def test_answer_card_marks_the_span_inside_its_sentence(fake_index):
    answer = _answer(fake_index, META_SOURCE, META_SPAN)
    page = render_result(_result(fake_index, META, answer))
    card = page[:page.index("Cited passages")]
    assert re.search(r"<mark>(.*?)</mark>", card).group(1) == html.escape(META_SPAN)
    assert "Meta Platforms plans to spend" in _text(card)
    assert html.escape(answer.citation.render()) in card
    assert f'data-astart="{answer.start}" data-aend="{answer.end}"' in card
    # the passage holding the answer marks the sentence and the span too
    assert page.count('<span class="qa-answer-sentence">') >= 1


def test_disagreeing_figures_are_shown_side_by_side(fake_index):
    source = "seeds/002_292f70715769bd2d.txt"
    first = _answer(fake_index, source, "15%")
    other = _answer(fake_index, "seeds/003_b6c8a39852cc0843.txt", "almost 17 percent")
    page = render_result(_result(fake_index, "How much did Nvidia's stock fall?", first,
                                 alternatives=(other,)))
    compare = re.search(r'<div class="qa-compare">(.*?)</section>', page, re.S).group(1)
    assert compare.count('<figure class="qa-figure">') == 2
    assert re.findall(r"<mark>(.*?)</mark>", compare) == ["15%", "almost 17 percent"]
    assert "The sources disagree" in page


def test_no_answer_is_said_plainly(fake_index):
    result = _result(fake_index, "Who won the 2022 World Cup?", None, no_answer=True)
    result.no_answer_reason = ("The sources do not answer this question. The closest "
                               "sentences are only loosely related.")
    page = render_result(result)
    card = page[:page.index("Cited passages")]
    assert _text(card).count("The sources do not answer this") == 1
    assert "The closest sentences are only loosely related." in card
    assert "The closest passages are below" in card and "<mark>" not in card


def test_a_turned_down_answer_is_shown_as_closest_not_confident(fake_index):
    result = _result(fake_index, "How much will Meta spend?", None, no_answer=True)
    result.no_answer_reason = "The sources do not answer this question."
    result.rejected = _answer(fake_index, META_SOURCE, META_SPAN)
    card = render_result(result)
    card = card[:card.index("Cited passages")]
    assert "Closest, not confident" in card and "The sources do not answer this" in card
    assert re.search(r"<mark>(.*?)</mark>", card).group(1) == html.escape(META_SPAN)
    assert html.escape(result.rejected.citation.render()) in card
    hostile = SimpleNamespace(**{**vars(result.rejected), "sentence": "<img src=x onerror=1>",
                                 "sentence_start": 0, "start": 0, "end": 4, "text": "<img"})
    result.rejected = hostile
    card = render_result(result)
    assert "<img" not in card and "&lt;img" in card


def test_highlight_nests_and_clips_layers():
    text = "Alpha beta. Gamma <delta> epsilon."
    out = highlight(text, 100, [(112, 200, "<s>", "</s>"), (118, 125, "<m>", "</m>")])
    assert out == "Alpha beta. <s>Gamma <m>&lt;delta&gt;</m> epsilon.</s>"
    assert highlight(text, 0, [(50, 60, "<x>", "</x>")]) == html.escape(text)


def _figure(**fields):
    base = dict(organization="Meta", what="spend", text="$7 billion", value=7e9, unit="USD",
                date="2025", target=None, source="a.txt", start=10, end=20, sentence_start=0,
                sentence_end=30, sentence="Meta will spend $7 billion.")
    return SimpleNamespace(**{**base, **fields})


def test_figures_table_escapes_and_links_rows():
    rows = [_figure(organization="<b>Evil</b>", what="<img src=x>", target="<svg onload=1>",
                    source='a"b.txt', sentence="<script>x</script>")]
    page = render_figures(rows, {'a"b.txt': "<i>title</i>"})
    assert live_markup(page) == []
    assert "&lt;b&gt;Evil" in page and "&lt;i&gt;title" in page
    assert 'data-source="a&quot;b.txt" data-start="0" data-end="30"' in page
    assert 'data-astart="10" data-aend="20"' in page
    assert 'data-group="USD" data-value="7000000000.0"' in page
    assert "No figures" in render_figures([], {})


def test_figures_tab_lists_the_corpus_figures(fake_index, hostile_index):
    page = figures_html(fake_index)
    doc = fake_index.documents[META_SOURCE]
    start = doc.text.index(META_SPAN)
    row = re.search(rf"<tr>(?:(?!</tr>).)*data-astart=\"{start}\"(?:(?!</tr>).)*</tr>", page, re.S)
    assert row and html.escape(META_SPAN) in row.group(0) and ">Meta<" in row.group(0)
    assert "AI a Race to the Abyss?" in row.group(0)
    hostile = figures_html(hostile_index)
    assert "Zorblax" in hostile and live_markup(hostile) == []


@pytest.mark.parametrize(("written", "key"), [
    ("2025-01-29", "2025-01-29"), ("March 7, 2025", "2025-03-07"), ("FY 2025", "2025-00-00"),
    ("September 2023", "2023-09-00"), ("last September (2025-03-12)", "2025-03-12"),
    ("Sept 3, 2021", "2021-09-03"), ("Mar 2024", "2024-03-00"),  # abbreviated months
    ("this decade", "9999"), (None, "9999"),
])
def test_date_keys_sort_dates_as_dates(written, key):
    assert date_key(written) == key


@pytest.mark.slow
def test_meta_question_on_the_real_index(seed_index):
    page, payload = handle_ask(seed_index, META, 5, "hybrid")
    assert payload["passages"][0]["source"] == META_SOURCE
    assert "$60 billion" in payload["passages"][0]["text"]
    if payload["answer"] is not None:  # answer extraction fills this in
        assert payload["answer"]["text"] == META_SPAN
        assert f"<mark>{META_SPAN}</mark>" in page


def test_serve_binds_loopback_without_a_share_link(fake_index, monkeypatch):
    import gradio as gr

    from qa.web.app import serve

    seen = {}
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kw: seen.update(kw, blocks=self))
    serve(fake_index)
    assert seen["server_name"] == "127.0.0.1" and seen["share"] is False
    assert seen["blocks"]._queue.default_concurrency_limit > 1
    serve(fake_index, host="0.0.0.0", port=8123)  # exposing is a deliberate choice
    assert (seen["server_name"], seen["server_port"]) == ("0.0.0.0", 8123)
    assert seen["max_file_size"] == MAX_UPLOAD_BYTES  # Gradio refuses bigger uploads itself


def test_the_page_takes_uploads_only_into_a_live_index(fake_index, monkeypatch):
    import gradio as gr

    from qa.web.app import build_app, serve

    def ids(demo):
        return {getattr(block, "elem_id", None) for block in demo.blocks.values()}

    assert "qa-upload" not in ids(build_app(fake_index))
    assert {"qa-upload", "qa-upload-notice"} <= ids(build_app(LiveIndex(fake_index)))
    seen = {}
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kw: seen.update(blocks=self))
    serve(fake_index)
    assert "qa-upload" in ids(seen["blocks"])
    serve(fake_index, uploads=False)
    assert "qa-upload" not in ids(seen["blocks"])


def test_question_words_are_highlighted_whole_even_with_an_ampersand():
    page = highlight("the S&P 500 fell; AT&T rose", 0, [], frozenset({"p", "500", "t"}))
    assert '<span class="qa-term">S&amp;P</span>' in page
    assert '<span class="qa-term">500</span>' in page
    assert '<span class="qa-term">AT&amp;T</span>' in page
    assert page.count("qa-term") == 3


def test_highlighting_follows_the_analyzer_so_a_stemmed_match_is_marked():
    from qa.backends.analyzers import english

    page = highlight("Meta is spending more on GPT-4 chips", 0, [],
                     frozenset(english("spend on gpt-4 chip")))
    assert '<span class="qa-term">spending</span>' in page
    assert '<span class="qa-term">GPT-4</span>' in page
    assert '<span class="qa-term">chips</span>' in page
    assert page.count("qa-term") == 3  # "on" is a stopword: not a term


def test_a_superlative_across_three_sources_says_which_is_largest(fake_index):
    answer = _answer(fake_index, META_SOURCE, META_SPAN)
    figures = [SimpleNamespace(**{**vars(answer), "value": v, "high": None})
               for v in (9.0, 4.0, 1.0)]
    result = _result(fake_index, META, figures[0])
    result.compared = tuple(figures)
    card = render_result(result)
    card = card[:card.index("Cited passages")]
    assert "is the largest of 3" in _text(card)
    assert _text(card).count(answer.citation.render()) == 3  # each figure with its citation


def test_a_comparison_answered_by_its_option_names_it_and_marks_its_figure_best(fake_index):
    # "Who spends more, Meta or ...?": the answer is "Meta" where its figure's sentence says it.
    figure = _answer(fake_index, META_SOURCE, META_SPAN)
    figure = SimpleNamespace(**{**vars(figure), "value": 60e9, "high": 65e9})
    at = figure.sentence.index("Meta")
    option = SimpleNamespace(**{**vars(figure), "text": "Meta", "kind": "option",
                                "start": figure.sentence_start + at,
                                "end": figure.sentence_start + at + 4})
    other = _answer(fake_index, "seeds/003_b6c8a39852cc0843.txt", "almost 17 percent")
    other = SimpleNamespace(**{**vars(other), "value": 1.0, "high": None})
    result = _result(fake_index, META, option)
    result.compared = (other, figure)
    card = render_result(result)
    card = card[:card.index("Cited passages")]
    assert f"Compared: Meta ({META_SPAN}) is the larger" in _text(card)
    best = re.findall(r'<figure class="qa-figure">(.*?)</figure>', card, re.S)
    assert ["best match" in f for f in best] == [False, True]  # the winner's figure, not order
