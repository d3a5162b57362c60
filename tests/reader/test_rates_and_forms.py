"""The reader on documents written for this test (an equine clinic's discharge sheet, a
string quartet's programme, a garden centre's price list and FAQ page, a planning
decision): doses by weight ("2.2 mg/kg (1,126 mg)") that are no weight, a rate after an
abbreviation's full stop ("30 kr. per day"), spans of years ("(1811–1886)"), a decade asked
for, a form's fields under a letterhead, a field named by the agent of the question's verb
("Who is directing": "Director:"), a reference asked with its owner's possessive, a table's
currency in its header ("Total EUR"), the row a question names by its label, an FAQ's own
question that answers nothing, "approx." at the end of a wrapped line, and a floor area
that no height answers."""

from __future__ import annotations

import re

import pytest

from qa.answer import ask
from qa.ingest.chunking import split_sentences
from qa.ingest.cleaning import clean_text
from qa.reader.admit import _is_item, item_asked
from qa.reader.agree import doer_stem, field_label, field_owner
from qa.reader.extract import amounts, dates
from qa.reader.names import KnownNames
from qa.reader.question import analyse
from qa.reader.scope import lead
from qa.reader.typed import Asked, header_unit_words, typed_spans
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "discharge.txt": """BRACKENHOLT EQUINE HOSPITAL
4 Mill Lane, Brackenholt, Wexley WX3 9PL
VAT Reg. No. IE 772 0913 55

DISCHARGE SHEET

Patient:            Tamsin Gale
Species:            Equine, Connemara pony
Weight at arrival:  512 kg
Admitted:           Monday 3 March 2025
Vet in charge:      Dr Odile Ferraz

Tamsin Gale was sedated with detomidine at 0.02 mg/kg (10 mg) and had the
wound in her left fore cleaned under local anaesthetic. Phenylbutazone is
given at 2.2 mg/kg (1,126 mg) twice daily for five days, then once daily
for three days. Omeprazole paste is given at a dose of approx.
4 mg/kg once daily. She weighed 509 kg on the day she went home.

| Item | Qty | Total EUR |
| --- | --- | --- |
| Examination | 1 | 85.00 |
| Wound care | 1 | 240.00 |
| TOTAL (EUR) | | 325.00 |
""",
    "quartet.md": """# The Hallam Quartet: Autumn Recital

Programme notes by Ines Vardy

Director: Matthias Oyelaran
First violin: Sunniva Hale

## The composers

Clara Wieck-Strand (1811–1886) wrote her only quartet for a private evening in Leipzig.

In the 1920s the quartet was revived by a student ensemble, and its score was reprinted in
1934.

## The quartet's movements

The quartet is in four movements:

1. Allegro moderato
2. Scherzo
3. Adagio
4. Finale

The first edition sold 300 copies. In 1934 the reprint sold 1,200 copies, and the quartet now
sells about 80 copies a year.
""",
    "garden.html": """<html><head><title>Larkspur Garden Centre: prices and questions</title></head>
<body>
<h1>Larkspur Garden Centre: prices and questions</h1>
<table>
<tr><th>Service</th><th>What is done</th><th>Price</th></tr>
<tr><td>Lawn feed</td><td>One application of spring fertiliser</td><td>450 kr.</td></tr>
<tr><td>Hedge trimming</td><td>Lawn feed included, hedges up to two metres cut</td>
<td>900 kr.</td></tr>
</table>
<h3>Do you deliver compost?</h3>
<p>We deliver compost within 20 km of the centre for a flat fee of 150 kr.</p>
<h3>How long can I leave plants I have bought?</h3>
<p>Plants not collected within a week are kept for a storage fee of 30 kr. per day.</p>
</body></html>
""",
    "decision.txt": """WEXLEY BOROUGH COUNCIL
Planning Department

Reference number: WBC/25/00412/HH
Applicant: Mr Piotr Lindgren and Mrs Ada Lindgren
Application valid from: 2 June 2025

An appeal must be made within six months of the date of this notice, that is, on or before
1 December 2025.

The proposed extension would have a ridge height of 6.4 metres, against 5.9 metres for the
existing house, and would stand 3 metres from the boundary.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("rates"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    # the field under the letterhead, not the dose by weight
    ("How much did Tamsin Gale weigh when she arrived?", "512 kg"),
    ("Who is directing the autumn recital?", "Matthias Oyelaran"),
    ("When did Clara Wieck-Strand live?", "1811–1886"),
    ("In which decade was the quartet revived?", "the 1920s"),
    ("What's the council's reference for the application?", "WBC/25/00412/HH"),
    ("What was the total bill for Tamsin Gale?", "325.00"),
    ("How much does a lawn feed cost at Larkspur?", "450 kr."),
    ("What is the storage fee for plants left at Larkspur?", "30 kr. per day"),
    ("Who applied for the extension?", "Mr Piotr Lindgren and Mrs Ada Lindgren"),
    ("What's the deadline for an appeal against the decision?", "1 December 2025"),
    ("What is the third movement of the quartet?", "Adagio"),
    ("How many copies did the 1934 reprint sell?", "1,200"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_an_faq_question_settles_nothing(index):
    text = given_text(index, "Do they deliver compost?")
    assert text is not None and not text.endswith("?") and "150 kr" in text


def test_no_height_answers_a_floor_area(index):
    assert ask(index, "What is the total floor area of the proposed extension?").answer is None


@pytest.mark.parametrize(("text", "found"), [
    ("Clara Wieck-Strand (1811–1886) wrote", ["1811–1886"]),
    ("- Ann Roe, 1836-1851", ["1836-1851"]),
    ("the 2019–20 season", ["2019–20"]),
    ("during 1939–1945 the mill", ["1939–1945"]),
    ("between 1200-1500 people came", []),  # counts, not years
    ("see pp. 1201–1250", []),  # pages
    ("Lunch is served 1200–1330.", []),  # a clock's hours
    ("In 1914–18 many men died.", ["1914–18"]),
    ("the 1999–00 season", ["1999–00"]),
    ("scored 1886–1811 in", []),  # the second before the first
])
def test_spans_of_years(text, found):
    assert [text[s.start:s.end] for s in dates(text) if "–" in s.text or "-" in s.text] == found


@pytest.mark.parametrize(("text", "found"), [
    ("sedated at 0.02 mg/kg (10 mg) and", [("0.02 mg/kg", "mass"), ("10 mg", "mass")]),
    ("at 5 mcg/kg by injection", [("5 mcg/kg", "mass")]),
    ("a storage fee of 30 kr. per day, and", [("30 kr. per day", "SEK")]),
    ("costs 30 kr. Per day we open", [("30 kr", "SEK")]),  # a new sentence's "Per"
    ("about 14 °C (57 °F)", [("about 14 °C", "temperature")]),  # a conversion, still dropped
    ("limited to 50 km/h (31 mph) here", [("50 km/h", "speed")]),  # a rate unit's conversion
    ("back 10 km/and forth", [("10 km", "length")]),
])
def test_rates(text, found):
    assert [(text[s.start:s.end], s.unit) for s in amounts(text)] == found


def test_a_wrapped_line_ending_with_approx_goes_on():
    text = clean_text(DOCUMENTS["discharge.txt"])
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert "Omeprazole paste is given at a dose of approx. 4 mg/kg once daily." in sentences


@pytest.mark.parametrize(("text", "sentences"), [
    ("Requiem, Op. 48 (1893 version)", ["Requiem, Op. 48 (1893 version)"]),
    ("It rose by 3. Then it fell.", ["It rose by 3.", "Then it fell."]),
])
def test_numbers_that_end_no_sentence(text, sentences):
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


def test_a_letterhead_is_no_lead():
    found = lead(clean_text(DOCUMENTS["discharge.txt"]))
    assert "Patient: Tamsin Gale" in found and "VAT Reg." not in found.split("\n")


@pytest.mark.parametrize(("question", "prefer", "strict"), [
    ("In which decade was it built?", {"decade"}, False),
    ("What was the total floor area of the house?", {"area"}, True),
])
def test_what_is_asked(question, prefer, strict):
    wanted = analyse(question)
    assert set(wanted.prefer) == prefer and wanted.strict is strict


def test_a_bill_asks_for_a_sum():
    assert "EUR" in analyse("What was the total bill including VAT?").prefer
    assert analyse("What is the invoice number?").kind is None
    assert analyse("What is the floor space used for?").kind is None


def test_a_rate_unit_answers_a_strict_question():
    text = "The speed limit on the coast road is 50 km/h."
    question = "What is the speed limit on the coast road?"
    asked = Asked.of(question, analyse(question), KnownNames.of([]))
    assert [s.text for s in typed_spans(text, 0, len(text), asked)] == ["50 km/h"]


def test_the_first_president_is_no_numbered_item():
    text = "Agenda\n1. Welcome by the chair, Ann Roe\n2. Minutes"
    asked = item_asked("Who was the first president of the club?")
    assert not _is_item(text, text.find("1."), asked)
    text = "The quartet is in four movements:\n\n1. Allegro\n2. Scherzo\n3. Adagio"
    assert _is_item(text, text.find("3."), item_asked("What is the third movement?"))


def test_labels():
    assert doer_stem("Who is conducting the concert?") == "conduct"
    assert doer_stem("Who applied for it?") == "appl"
    assert field_owner("What is the dog's name?") == "dog"
    assert not re.fullmatch(field_label("What is the policy on refunds?"), "Policy no.",
                            re.IGNORECASE)
    pattern = field_label("What's the council's reference for the application?")
    assert re.fullmatch(pattern, "Reference number", re.IGNORECASE)
    assert not re.fullmatch(pattern, "Referee", re.IGNORECASE)


@pytest.mark.parametrize(("header", "unit"), [
    ("Total EUR", "EUR"), ("Price (GBP)", "GBP"), ("Total VAT", None), ("EUR", None),
    ("Price (incl. VAT", None)])
def test_a_header_ending_with_a_currency_code(header, unit):
    assert header_unit_words(header) == unit
