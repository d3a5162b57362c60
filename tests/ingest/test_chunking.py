"""Sentence splitting and chunking: offsets exact, boundaries where a reader puts them."""

from __future__ import annotations

import pytest

from qa.ingest.chunking import (
    ChunkerConfig,
    chunk_document,
    chunk_documents,
    is_field,
    is_heading,
    split_sentences,
)
from qa.ingest.cleaning import clean_text
from qa.reader.extract import heading_context
from qa.reader.extract import is_heading as reader_is_heading


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Data centers in the U.S. are growing. Next.",
        "John J. Hopfield (Physics) and Geoffrey Hinton won. Next.",
        "Amazon first invested $1.25 billion in Anthropic. Next.",
        "It ranks No. 3 in the world. Next.",
        "The rampart was raised c. 300 BC and held until ca. 50 AD. Next.",
        "Anna Berg (b. 1938, d. 2023) built it. Next.",
        "Prices rose 6.5 percent and 15.4 trillion. Next.",
        "He said “It works. It is hard to do.” Next.",
        'She said "We engage. We protect." Next.',
        "Dr. Smith met Mr. Jones on Jan. 5 at St. Paul. Next.",
        "It is built, e.g. in Houston. Next.",
        # titles before a name: minutes, judgments, parish notices
        "Present: Cllr. Ann Roe and Adv. Piet Smit, with Rev. Jo Hale. Next.",
    ],
)
def test_no_split_inside_abbreviations_numbers_and_quotes(text):
    assert sentences(text) == [text[: -len(" Next.")], "Next."]


def test_splits_ordinary_sentences_and_lines():
    text = "One ends here. Two ends here! Three? Four…\nA heading\nFive."
    assert sentences(text) == ["One ends here.", "Two ends here!", "Three?", "Four…",
                               "A heading", "Five."]


def test_seed_quotes_stay_whole(seed_documents):
    doc = next(d for d in seed_documents if d.source.endswith("002_292f70715769bd2d.txt"))
    quote = ("“It is (relatively) easy to copy something that you know works. It is extremely "
             "hard to do something new, risky, and difficult when you don’t know if it will work.”")
    assert any(quote in s for s in sentences(doc.text))


def test_every_chunk_is_an_exact_slice_of_its_document(seed_documents):
    config = ChunkerConfig()
    chunks = chunk_documents([(d.source, d.text) for d in seed_documents], config)
    texts = {d.source: d.text for d in seed_documents}
    assert len(chunks) > 50
    for chunk in chunks:
        assert texts[chunk.source][chunk.start:chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text
        assert chunk.id == f"{chunk.source}#{chunk.start}-{chunk.end}"
    assert len({c.id for c in chunks}) == len(chunks)


@pytest.mark.parametrize(("max_chars", "overlap"), [(200, 0), (600, 1), (1000, 2)])
def test_chunks_cover_every_sentence_respect_size_and_overlap(seed_documents, max_chars, overlap):
    config = ChunkerConfig(max_chars=max_chars, overlap=overlap)
    for doc in seed_documents:
        chunks = chunk_document(doc.source, doc.text, config)
        spans = split_sentences(doc.text)
        covered = [any(c.start <= a and b <= c.end for c in chunks) for a, b in spans
                   if b - a <= max_chars]
        assert all(covered)
        for chunk in chunks:
            assert chunk.end - chunk.start <= max_chars
        for prev, nxt in zip(chunks, chunks[1:], strict=False):
            assert nxt.start > prev.start  # always advances
            if overlap == 0:
                assert nxt.start >= prev.end


def test_chunks_never_cross_documents():
    docs = [("a.txt", "Alpha one. Alpha two."), ("b.txt", "Beta one. Beta two.")]
    chunks = chunk_documents(docs, ChunkerConfig(max_chars=1000))
    assert [(c.source, c.text) for c in chunks] == [
        ("a.txt", "Alpha one. Alpha two."), ("b.txt", "Beta one. Beta two.")]


def test_overlong_sentence_is_cut_at_word_boundaries():
    text = " ".join(["word"] * 100) + "."
    chunks = chunk_document("x", text, ChunkerConfig(max_chars=60, overlap=0))
    assert all(len(c.text) <= 60 for c in chunks)
    assert " ".join(c.text for c in chunks) == text


def test_chunk_ids_are_stable_across_runs(seed_documents):
    doc = seed_documents[0]
    first = chunk_document(doc.source, doc.text, ChunkerConfig())
    again = chunk_document(doc.source, doc.text, ChunkerConfig())
    assert [c.id for c in first] == [c.id for c in again]


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="max_chars"):
        ChunkerConfig(max_chars=10)
    with pytest.raises(ValueError, match="overlap"):
        ChunkerConfig(overlap=-1)


def test_headings_stay_with_the_sentence_they_introduce(seed_documents):
    doc = next(d for d in seed_documents if d.source.endswith("000_432a7676416fb9d4.txt"))
    for size in (300, 600, 1000):
        chunks = chunk_document(doc.source, doc.text, ChunkerConfig(max_chars=size))
        assert any("Meta, February 2025\nMeta Platforms plans" in c.text for c in chunks)
        assert not any(c.text.endswith("\nMeta, February 2025") for c in chunks)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Acme, March 2024", True),
        ("Markets", True),
        ("  Indented title  ", True),  # spaces around a line do not make it a sentence
        ("The plan was announced on Monday.", False),
        ("Three reasons stand out:", False),  # introduces what follows, like a sentence
        ("• Item (with a note)", False),
        ("x" * 81, False),
        ("## Can a short walk help you sleep?", True),  # Markdown says it is a heading
        ("# Jo Bloggs (1838–1911): " + "the rector's daughter who measured " * 3, True),  # long
        ("#1 in the charts, at last.", False),
    ],
)
def test_one_heading_rule_for_chunks_and_the_reader(line, heading):
    assert reader_is_heading is is_heading  # one copy: the reader asks the chunker's rule
    text = f"Before.\n{line}\nThe company said it grew."
    a = text.index(line.strip())
    assert is_heading(text, a, a + len(line.strip())) is heading
    after = text.index("The company")
    assert heading_context(text, after)[0] == (line.strip() if heading else "")


def test_a_sentence_inside_a_line_is_no_heading():
    text = "It grew. Acme, March 2024\nNext."
    a = text.index("Acme")
    assert not is_heading(text, a, a + len("Acme, March 2024"))


def test_a_line_of_a_forms_fields_is_data_not_a_heading():
    text = ("KESTON VALE BOROUGH COUNCIL\n\nApplicant: Marrow & Finch Hospitality Ltd\n"
            "Premises: The Old Granary, Wharf Street\n\nLicensing report: a busy year\n\n"
            "**Date issued:** 3 October 2024\n**Reference:** LIC/2024/0417\n")

    def field(line: str) -> bool:
        a = text.index(line)
        return is_field(text, a, a + len(line))

    assert field("Applicant: Marrow & Finch Hospitality Ltd")
    assert field("Premises: The Old Granary, Wharf Street")
    assert field("**Date issued:** 3 October 2024")
    assert not field("Licensing report: a busy year")  # alone: a title with a colon
    assert not field("KESTON VALE BOROUGH COUNCIL")
    a = text.index("Marrow")  # part of a line is not the line
    assert not is_field(text, a, a + 6)


def test_wraps_and_abbreviations_that_cut_sentences():
    # a day written "04" a wrap cut from its month; company forms, "incl.", "excl." and the
    # title "Cdr." end no sentence ("Bros." may: "Warner Bros. It grossed ...")
    cleaned = clean_text("closed from 03 March until 1700 hrs on 04\n"
                         "    April 2025, on weekdays.\n")
    assert "on 04 April 2025" in cleaned
    text = ("Contractor: Brackwater Civil Engineering Pvt. Ltd. and Sons.\n"
            "The keeper is Cdr. Imogen Varley. She retired.\n"
            "Subtotal excl. VAT: 420.00 (incl. parts)\n"
            "Distributed by Warner Bros. It grossed $100 million.")
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert "Contractor: Brackwater Civil Engineering Pvt. Ltd. and Sons." in sentences
    assert "The keeper is Cdr. Imogen Varley." in sentences
    assert "Subtotal excl. VAT: 420.00 (incl. parts)" in sentences
    assert "It grossed $100 million." in sentences


def test_a_leaders_dots_end_no_sentence_and_make_no_heading():
    text = ("Fees\n    Day permit (adult) ........ €25\n    Weekly permit (adult) ..... €80\n"
            "It ended... Then it rained. It was late.... The train had gone.\n")
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert "Weekly permit (adult) ..... €80" in sentences
    assert "Weekly permit (adult) ....." not in sentences
    # an ellipsis still may end one, of three dots or of four after a word
    assert {"It ended...", "It was late....", "The train had gone."} <= set(sentences)
    at = text.index("Weekly")
    assert not is_heading(text, at, text.index("\n", at))
    assert is_heading(text, 0, 4)


def test_tel_ends_no_sentence_before_its_number_only():
    text = ("Head bailiff: Colm Rafferty, tel. 087 441 2093. Call him.\n"
            "They dug a trench across the tel. The lowest layer is older.")
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert "Head bailiff: Colm Rafferty, tel. 087 441 2093." in sentences
    assert "They dug a trench across the tel." in sentences


@pytest.mark.parametrize(("line", "heading"), [
    ("TOTAL DUE R 4,864.50", False),  # an account's line: a label and its sum
    ("Subtotal € 95.50", False),
    ("Budget 2024", True),
    ("Section 4.2", True),
    ("## AGM 2024", True),  # a Markdown heading whatever it ends with
    ("## Sale: all under £19.99", True),
    ("Gifts under £50", True),  # a price with no cents, a heading's
    ("ISO 27001", True),
])
def test_a_label_and_its_sum_is_no_heading(line, heading):
    text = f"Intro.\n\n{line}\n\nMore text follows here."
    start = text.index(line)
    assert is_heading(text, start, start + len(line)) is heading

