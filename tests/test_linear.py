"""Bounded work on any input: every text stage grows linearly with what it is given.

Each case is a crafted input that made a stage quadratic (one 30,000-letter line took 34 s to
clean). No test asserts a time: growth tests time the stage at size n and at 8n and require
the ratio to stay near 8 (quadratic work grows 64 times); the rest check a deterministic
bound, such as how long a cleaned line can be or how much of a document is scanned per
candidate sentence.
"""

from __future__ import annotations

import gc
import itertools
import math
import random
import string
import time
from collections.abc import Callable

import pytest

from qa import figures
from qa.config import ChunkerConfig
from qa.ingest.chunking import chunk_documents, split_sentences
from qa.ingest.cleaning import _JOIN_MAX_CHARS, MAX_LINE_CHARS, clean_text
from qa.reader import owners
from qa.reader.extract import amounts, dates, heading_context, is_heading, sentence_before
from qa.reader.names import KnownNames, lexicon, names, places

FACTOR = 8  # the large input is this many times the small one
LIMIT = 20  # linear work grows ~8 times (up to ~14 measured); quadratic ~64 (old code: 44-147)


def _seconds(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return time.perf_counter() - start


def growth(fn: Callable[[str], object], make: Callable[[int], str], n: int) -> float:
    """Best time of `fn(make(FACTOR * n))` over best time of `fn(make(n))`, each repeated to
    take ~40 ms. Small and large runs alternate, so a machine getting busier or quieter slows
    both. It stops once the ratio is within `LIMIT`, or plainly quadratic (old code)."""
    small, big = make(n), make(FACTOR * n)
    gc.collect()
    gc.disable()
    try:
        number = max(1, math.ceil(0.04 / max(_seconds(lambda: fn(small), 1), 1e-6)))
        best_small = best_big = math.inf
        for round_ in range(8):
            best_small = min(best_small, _seconds(lambda: fn(small), number))
            best_big = min(best_big, _seconds(lambda: fn(big), number))
            ratio = best_big / best_small
            if round_ and (ratio < LIMIT or ratio > 3 * LIMIT):
                break
        return ratio
    finally:
        gc.enable()


def assert_linear(fn: Callable[[str], object], make: Callable[[int], str], n: int) -> None:
    ratio = growth(fn, make, n)
    assert ratio < LIMIT, f"{FACTOR}x the input took {ratio:.1f}x the time"


def lowercase(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(n))


def unpunctuated_lines(n: int) -> str:
    return "\n".join(f"{lowercase(8, seed=i)} word" for i in range(n))


def chunk(text: str) -> object:
    return chunk_documents([("d", text)], ChunkerConfig())


KNOWN = KnownNames.of([("Acme", "ORG"), ("Kestrel", "ORG"), ("China", "GPE")])

# (what, stage, input of size n, n); old code grew 44-147 times from n to 8n
GROWTH = [
    # 30,000 letters took 34 s in `qa add`: `_GLUED_WORD` tried every cut of the line.
    ("one long lowercase line", clean_text, lowercase, 2_000),
    # Each line was joined onto one growing line, searched again from its start (286 s at 40k).
    ("unpunctuated lowercase lines", clean_text, unpunctuated_lines, 1_000),
    # "x" + 30,000 dots + "y" took 51 s: the candidate regex was retried from every dot.
    ("a run of dots", chunk, lambda n: "x" + "." * n + "y", 1_000),
    # Every full stop was tested against every quotation of its line.
    ("quotations", split_sentences, lambda n: 'He said "Yes." Then "No." ' * n, 150),
    # 8,000 digits took 21 s in `qa figures`: a number was tried from every digit.
    ("a long digit run", amounts, lambda n: "7" * n, 500),
    # Every match was tested against every figure found before it.
    ("many numbers", amounts, lambda n: "1 " * n, 1_000),
    ("many years", dates, lambda n: "2024 " * n, 250),
    ("a long word", lexicon.__wrapped__, lambda n: "a" * n, 2_500),  # not its cache
    ("many places", lambda t: places(t, KNOWN), lambda n: "in Paris and China " * n, 1_000),
    ("many names", lambda t: names(t, KNOWN), lambda n: "Acme and Xyz " * n, 1_000),
]


@pytest.mark.parametrize(("what", "stage", "make", "n"), GROWTH, ids=[case[0] for case in GROWTH])
def test_growth_is_linear(what, stage, make, n):
    assert_linear(stage, make, n)


# --- cleaning: lines ----------------------------------------------------------------------------

def test_a_csv_keeps_a_line_per_row():
    rows = [f"{lowercase(5, seed=i)},{i},{'red' if i % 2 else 'blue'}" for i in range(2_000)]
    cleaned = clean_text("\n".join(rows))
    assert cleaned.split("\n") == rows  # old: one line, so every citation said "line 1"


def test_a_long_run_of_joinable_lines_is_joined_in_bounded_lines():
    words = [lowercase(7, seed=i) for i in range(3_000)]
    cleaned = clean_text("\n".join(words))
    lines = cleaned.split("\n")
    assert len(lines) > 1 and max(map(len, lines)) <= _JOIN_MAX_CHARS
    assert cleaned.split() == words  # nothing lost, nothing reordered


def test_a_hard_wrapped_paragraph_is_still_rejoined():
    raw = ("The company said it would spend more on data\ncenters this year than it did in\n"
           "the last three years together.\nNext paragraph.")
    assert clean_text(raw) == (
        "The company said it would spend more on data centers this year than it did in "
        "the last three years together.\nNext paragraph.")


@pytest.mark.parametrize("line", [
    "word " * 10_000,  # spaces to break at
    "a1" * 22_500,  # none: broken anywhere
    "Meta spends more. " * 3_000,  # sentence ends to break at
])
def test_no_cleaned_line_is_longer_than_the_cap_and_no_text_is_lost(line):
    cleaned = clean_text(line)
    assert max(map(len, cleaned.split("\n"))) <= MAX_LINE_CHARS
    assert cleaned.split() == line.split() or cleaned.replace("\n", "") == line.strip()


# --- figures ----------------------------------------------------------------------------------

_fresh = itertools.count()


@pytest.mark.parametrize("sentence", [
    "Acme spent $1 billion, Kestrel $2 billion ",  # names and a clause per figure
    "it spent $1 billion and $2 billion ",  # no name: the paragraph and heading are asked
])
def test_figures_of_a_long_sentence_are_linear(sentence):
    def table(text: str) -> None:
        text = f"{text}{next(_fresh)}."  # a new text each time: no cached answer is reused
        for span in amounts(text):
            figures.owner_of(text, 0, len(text), span, KNOWN)
            figures.what_of(text, 0, len(text), span)
            figures.date_of(text, 0, len(text), span, None)

    assert_linear(table, lambda n: sentence * n, 15)


# --- reading a sentence of a long one-line document --------------------------------------------

def test_the_paragraph_a_sentence_is_read_with_is_bounded():
    text = "Meta said it would spend more. " * 40_000  # 1.2 MB, one line
    at = len(text) - 31
    heading, before = heading_context(text, at)
    assert heading == "" and len(before) <= MAX_LINE_CHARS + 1  # old: the whole 1.2 MB
    assert sentence_before(text, at, owners._ANAPHOR) == (at - 31, at - 1)
    assert not is_heading(text, at, at + 30)


def test_answering_in_a_long_one_line_document_scans_a_bounded_window(tmp_path, monkeypatch):
    """The organizations around each candidate sentence are looked for in a window of at most
    a cleaned line, not in the whole line before it (89% of a question's time, 2-4 s at 5 MB)."""
    import qa.reader.admit as reader
    from qa.answer import ask
    from qa.store.build import build_index
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    rnd = random.Random(0)
    words = ["the", "company", "said", "it", "would", "spend", "more", "on", "data", "centers",
             "this", "year", "and", "Meta", "Google", "Nvidia", "Microsoft", "invested", "billion",
             "in", "AI", "infrastructure", "according", "to", "analysts"]
    parts = [" ".join(rnd.choice(words) for _ in range(15)) + f" ${rnd.randint(1, 99)} billion."
             for _ in range(6_000)]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "dump.txt").write_text("A dump\n\n" + " ".join(parts), encoding="utf-8")
    build_index([docs], tmp_path / "index", root=tmp_path, embedder=HashEmbedder(),
                progress=False)
    index = load_index(tmp_path / "index")

    scanned: list[int] = []

    def counting(text: str, known, start: int = 0, end: int | None = None):
        scanned.append((len(text) if end is None else end) - start)
        return organizations(text, known, start, end)

    organizations = reader.organizations
    monkeypatch.setattr(reader, "organizations", counting)
    for question in ("How much is Meta spending on AI infrastructure?",
                     "How much did Microsoft invest in data centers?"):
        ask(index, question)
    assert scanned and max(scanned) <= 2 * MAX_LINE_CHARS + 1_000  # old: up to 570,000


def test_citing_every_line_of_a_document_is_linear():
    """`qa figures` cites each figure with its line: counting newlines from the top for
    each one made a long document quadratic."""
    from qa.ingest.sources import Document

    def cite_all(text: str) -> None:
        doc = Document(source="d", text=text, sha256="0" * 64)
        for offset in range(0, len(text), 50):
            doc.line_of(offset)

    assert_linear(cite_all, lambda n: "A short line of text.\n" * n, 2_000)
    doc = Document(source="d", text="a\nbb\n\nc\n", sha256="0" * 64)
    assert [doc.line_of(i) for i in range(9)] == [1, 1, 2, 2, 2, 3, 4, 4, 5]
