"""The reader on documents written for this test (a boiler installer's quote in rand, a
cooking school's prospectus, a boatyard's notice, a choir competition's results, a
kennel's price page): sums whose thousands are set apart by spaces and whose cents follow a
comma, currencies written with their own signs (baht, pesos, shillings), a form's field with
a long label, a Markdown heading that opens with its number, the doer of a "which ..."
question, a post and its holder with a title's abbreviation between them, a rate's unit, the
last day asked for, "X, so Y" as a cause, a count not read from "day 3", and a heading that
gives a prize's sum."""

from __future__ import annotations

import pytest

from qa.ingest.chunking import is_field, split_sentences
from qa.reader.agree import acting_stem
from qa.reader.clauses import result_cause
from qa.reader.extract import CURRENCIES, amounts
from qa.reader.names import EMPTY, names
from qa.reader.question import Kind, analyse
from qa.reader.typed import _numbered_by
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "quote.txt": """KLIPRIVIER HEATING (PTY) LTD
QUOTATION - HEAT PUMP WATER HEATER

Quote date: 03/03/2026
Valid until: 02/04/2026
Prepared by: Ms Thandi Nkosi, Sales Consultant
Site visit by: Mr Johan Botha, Plumber

Existing geyser capacity: 200 litres
Estimated share of water heating saved by pump: 64%
Installation duration: 2 working days
Water off during installation: about 5 hours on day 2

Subtotal (excl. VAT): R 41 200,00
VAT at 15%: R 6 180,00
TOTAL (incl. VAT): R 47 380,00
Assumed municipal tariff: R3,42 per kWh

Site notes: The existing geyser has no spare element port, so a separate circulation pump
will be fitted beside it.

Finance note: This installation qualifies for the WarmHome loan offered by Vaalrand Bank.
""",
    "school.md": """# Mae Ping Cooking School: prospectus 2026

## 1. Day classes

A morning class costs ฿1,450 and a full-day class costs THB 2,600, market tour included.

## 2. Chef's course (evening)

The four-week evening course costs ฿18,500. The course is taught by Khun Somchai Rattanakul,
who cooked at a Bangkok hotel for twenty years.
""",
    "boatyard.md": """# Isla Verde Boatyard: notice to owners

The harbourmaster, Capt. Marisol Quintero Vega, assigns the moorings each season.
A haul-out costs ₱12,500 and hard standing costs ₱850 per day.
""",
    "choir.html": """<html><head><title>Lake Elmenteita Choir Festival: results</title></head>
<body>
<h1>Lake Elmenteita Choir Festival: results</h1>
<p>The festival was held in Gilgil from 4 to 6 April 2026, with eleven choirs taking part.</p>
<h3>Best Soloist — KSh 40,000</h3>
<p>Achieng Odhiambo of the Nakuru Youth Choir, for her solo in the closing hymn.</p>
<h3>Best Choir — KSh 150,000</h3>
<p>The Gilgil Community Choir, for a programme sung entirely from memory.</p>
<p>Patrons should book early, so they get a seat near the stage.</p>
</body></html>
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("signs"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the total price once VAT is included?", "R 47 380,00"),
    ("What municipal tariff per kWh does the quote assume?", "R3,42 per kWh"),
    ("What share of the water heating will the pump save?", "64%"),
    ("How many days will the installers need on site?", "2 working days"),
    ("Which bank offers the WarmHome loan?", "Vaalrand Bank"),
    ("How much does a morning cooking class cost?", "฿1,450"),
    ("Who teaches the evening chef's course?", "Khun Somchai Rattanakul"),
    ("Who is the harbourmaster at Isla Verde?", "Marisol Quintero Vega"),
    ("How much does a haul-out cost at Isla Verde?", "₱12,500"),
    ("How much prize money did the Best Soloist receive?", "KSh 40,000"),
    ("Until what date can the Kliprivier quote be accepted?", "02/04/2026"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_cause_before_so(index):
    answer = given_text(index, "Why is a separate circulation pump being fitted?")
    assert answer == "The existing geyser has no spare element port"


@pytest.mark.parametrize(("text", "sums"), [
    ("TOTAL (incl. VAT): R 182 614,25", [("R 182 614,25", "ZAR", 182614.25)]),
    ("Monthly bill: R3 410 on average.", [("R3 410", "ZAR", 3410.0)]),
    ("A coffee costs €3,50 here.", [("€3,50", "EUR", 3.5)]),
    ("The fee is € 1 250,00 a term.", [("€ 1 250,00", "EUR", 1250.0)]),
    ("We paid 12 500 kr for it.", [("12 500 kr", "SEK", 12500.0)]),
    ("Rent is €40,000 a year.", [("€40,000", "EUR", 40000.0)]),
    ("A room costs ₫950,000 a night.", [("₫950,000", "VND", 950000.0)]),
    ("Tickets cost ARS 15,000.", [("ARS 15,000", "ARS", 15000.0)]),
    ("A permit costs RM 1,200.", [("RM 1,200", "MYR", 1200.0)]),
    ("The grant was Ksh. 40,000.", [("Ksh. 40,000", "KES", 40000.0)]),
    ("The prize is KSH 40,000.", [("KSH 40,000", "KES", 40000.0)]),
    ("Revenue was €1 250 million.", [("€1 250 million", "EUR", 1.25e9)]),
    ("A sworn page costs 69,00 zł.", [("69,00 zł", "PLN", 69.0)]),
    ("The boiler cost CHF 186'400 to repair.", [("CHF 186'400", "CHF", 186400.0)]),
    ("The run costs 81 191 Kč with VAT.", [("81 191 Kč", "CZK", 81191.0)]),
    ("A ticket is 2 500 Ft.", [("2 500 Ft", "HUF", 2500.0)]),
    ("The ward spent ₹46,80,000 this year.", [("₹46,80,000", "INR", 4680000.0)]),
])
def test_sums_in_other_writings(text, sums):
    found = [(s.text, s.unit, s.value) for s in amounts(text, 0, len(text)) if s.unit != "count"]
    assert found == sums


@pytest.mark.parametrize("text", [
    "In 2019 500 people came.",      # two numbers, no currency
    "Apply the gel 2 times a day.",  # codes and signs in their own case only
    "At COP 28 the AMD 7950 was shown; GHS 07 marks a hazard.",
    "Her TSH was 4.5 in March.",
    "The mast is 6 ft tall.",        # a length, not forints
    "He paid 5 shillings for the book in 1890.",
    "The site runs on PHP 8.2.",     # a language's version, not pesos
    "The score was 3,18 at half time.",
    "Room RM 5 is on the left.",     # a letter sign reads money only before a large sum
])
def test_no_sum_without_a_currency(text):
    assert not [s for s in amounts(text, 0, len(text)) if s.unit in CURRENCIES]


def test_a_field_label_of_eight_words_is_a_field():
    text = ("Roof pitch: 22 degrees\n"
            "Estimated share of water heating saved by pump: 64%\n"
            "Tank: 200 litres\n")
    a = text.index("Estimated")
    assert is_field(text, a, text.index("64%") + 3)
    long = "A label of many more words than any form would ever write: 5\n"
    assert not is_field(long, 0, len(long) - 1)


def test_a_markdown_headings_number_ends_no_sentence():
    text = "## 2. Chef's course (evening)\n\n2. Bring a knife. Wear shoes.\n### 3.1. Fees\n"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "## 2. Chef's course (evening)", "2.", "Bring a knife.", "Wear shoes.", "### 3.1. Fees"]


@pytest.mark.parametrize(("question", "stem"), [
    ("Which bank offers the loan?", "offer"),
    ("Which football clubs reached the final?", "reach"),
    ("Who prepared the quote?", "prepar"),
    ("Which year was it?", ""),
])
def test_the_doer_of_which_questions(question, stem):
    assert acting_stem(question) == stem


def test_a_titles_abbreviation_is_no_name():
    text = "The harbourmaster, Capt. Marisol Quintero Vega, assigns the moorings."
    found = [(s.text, s.kind) for s in names(text, EMPTY)]
    assert ("Marisol Quintero Vega", Kind.PERSON) in found
    assert not [t for t, _ in found if t == "Capt"]


@pytest.mark.parametrize(("question", "kind"), [
    ("What is the last day on which I can accept the quote?", Kind.DATE),
    ("What is the last day I can apply?", Kind.DATE),
    ("What is the last day to pay the fee?", Kind.DATE),
    ("What is the first day of term?", Kind.DATE),
    ("What is the last thing you should do?", None),
    ("What is the first day of the course about?", None),
    ("What is the final day of the trek like?", None),
])
def test_the_last_day_asked_for(question, kind):
    assert analyse(question).kind is kind


def test_a_rates_unit_is_not_the_unit_asked():
    wanted = analyse("How much will the council pay per kWh exported?")
    assert "energy" not in wanted.prefer and "ZAR" in wanted.prefer
    assert "speed" in analyse("What is the top speed in miles per hour?").prefer


def test_so_gives_a_cause_and_its_result():
    text = "Site notes: The old board has no spare ways, so a second board will be fitted."
    (x, y), (p, q) = result_cause(text, 0, len(text))
    assert text[x:y] == "The old board has no spare ways"
    assert text[p:q] == ", so a second board will be fitted."


@pytest.mark.parametrize("text", [
    "The harvest has gone well, so far at least.",
    "We left early so that we could catch the ferry.",
    "Prices rose sharply in 2024, so did interest rates across the region.",
    "It was cold, so too was the sea.",
])
def test_so_without_a_cause(text):
    assert result_cause(text, 0, len(text)) is None


def test_so_answers_only_why_its_result(index):
    # the clause after "so" says a purpose here, not what the question asks why of
    assert given_text(index, "Why should patrons book early?") != "Patrons should book early"


@pytest.mark.parametrize(("text", "counted"), [
    ("The water is off for about 5 hours on day 2.", "days"),
    ("We rest on day 12 of the trek.", "days"),
])
def test_a_number_after_its_noun_counts_nothing(text, counted):
    span = next(s for s in amounts(text, 0, len(text)) if s.text.isdigit())
    assert _numbered_by(text, 0, span, counted)


@pytest.mark.parametrize(("text", "counted"), [
    ("The hall seats 400 and the annexe seats up to 120 guests.", "seats"),
    ("Staffing in 2024: full-time staff 45, volunteers 12.", "staff"),
    ("The flock: sheep 400, goats 35.", "sheep"),
])
def test_a_count_after_a_verb_or_an_invariant_noun_counts(text, counted):
    assert not any(_numbered_by(text, 0, s, counted) for s in amounts(text, 0, len(text)))
