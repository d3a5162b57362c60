"""The reader on documents written for this test (a dental practice's web page whose name is
only in its <title>, a medicine trial's leaflet, a choir's accounts): a telephone number
asked for ("what number do I ring"), a site's name a question gives that only the page's
title writes, a dose with how often it is taken ("20 mg once daily"), a field's name with
its title ("Practice manager: Dr Imogen Vale"), a table with a column per year, and a
learned span without the table's bar after it."""

from __future__ import annotations

import pytest

from qa.ingest.extractors import _site_of
from qa.reader.extract import phone_numbers
from qa.reader.question import Kind, analyse
from qa.reader.reader import _as_written
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "dental.html": """<!DOCTYPE html>
<html><head><title>Appointments &ndash; Millbrook Dental Practice, Ashby</title></head>
<body>
<nav><a href="/">Home</a> <a href="/fees">Fees</a></nav>
<main>
<h1>Appointments</h1>
<p>We are open Monday to Friday from 8:30 to 17:30. New patients are always welcome, and
check-ups for children under 18 are free of charge.</p>
<p>To make an appointment, please ring reception on 0161 496 0712. For emergencies outside
our opening hours, call the out-of-hours line on 0161 496 0999.</p>
<p>Practice manager: Dr Imogen Vale</p>
<p>Check-ups cost £27.50 and a scale and polish costs £45.00 for adults.</p>
</main>
<footer><p>Cookies help us run this site.</p></footer>
</body></html>
""",
    "leaflet.txt": """ORVASTIN TRIAL: A SUMMARY FOR THE PEOPLE WHO TOOK PART

Thank you for taking part. In all, 180 adults with high blood pressure joined the trial.
Half of them, 90 people, took orvastin at a dose of 20 mg once daily for twelve weeks. The
other 90 people took a dummy tablet once daily.
""",
    "accounts.md": """# Ashby Community Choir accounts

| Source | 2024 | 2023 |
|---|---|---|
| Legacies | £4,200 | £3,100 |
| Concert tickets | £6,850 | £5,940 |
| Total income | £11,050 | £9,040 |

| Town | Pop. | Area (km²) |
|---|---|---|
| Hale | 12,400 | 31 |
| Ashby | 8,900 | 24 |
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("phones"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    # the practice's name is in the page's <title> only
    ("What number do I ring to make an appointment at Millbrook Dental Practice?",
     "0161 496 0712"),
    ("what is the phone number for emergencies outside opening hours", "0161 496 0999"),
    ("What dose of orvastin did people take?", "20 mg once daily"),
    ("Who is the practice manager?", "Dr Imogen Vale"),
    # a column per year: the row the question names still answers
    ("How much did the choir get from legacies in 2024?", "£4,200"),
    ("total income in 2024", "£11,050"),
    # a header that is no word of the question: the row still answers a count
    ("How many people live in Hale?", "12,400"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_page_titles_site_is_its_publisher(index):
    (doc,) = [d for d in index.documents.values() if d.source.endswith("dental.html")]
    assert (doc.title, doc.publisher) == ("Appointments", "Millbrook Dental Practice, Ashby")


@pytest.mark.parametrize(("question", "phone"), [
    ("What number do I ring to book?", True),
    ("what's the contact number for the office", True),
    ("What is the telephone number of the club?", True),
    ("What number of guests can the hall seat?", False),
    ("What number is the bus to the station?", False),
])
def test_a_telephone_number_asked(question, phone):
    assert ("phone" in analyse(question).prefer) is phone


def test_a_dose_asks_for_a_mass_or_volume():
    wanted = analyse("What dose did the patients take?")
    assert wanted.kind is Kind.AMOUNT and wanted.prefer == {"mass", "volume"}


@pytest.mark.parametrize(("text", "found"), [
    ("ring 01632 960 418 or", ["01632 960 418"]),
    ("call +44 20 7946 0958 today", ["+44 20 7946 0958"]),
    ("dial (555) 123-4567.", ["(555) 123-4567"]),
    ("or +1 (555) 123-4567", ["+1 (555) 123-4567"]),
    ("call 555-123-4567 or 1-800-555-0199", ["555-123-4567", "1-800-555-0199"]),
    ("Tel. 020.7946.0958, mobile 07700 900123", ["020.7946.0958", "07700 900123"]),
    ("In 2024 we had 74 members and 1,250 visitors on 12 May 2025.", []),
    ("company number 11395082, postcode 01000, ref 00123456", []),
    ("Since the survey (2021) 450 families have called; see Nature (2020) 580, 203.", []),
    ("version 0.12.3, room 012 34", []),
])
def test_telephone_numbers(text, found):
    assert [text[a:b] for a, b in phone_numbers(text, 0, len(text))] == found


@pytest.mark.parametrize(("question", "phone"), [
    ("How many phone numbers does the council list?", False),
    ("When did the emergency number change to 112?", False),
    ("Which year was the helpline number launched?", False),
    ("Who answers the helpline number?", False),
    ("phone number for bookings", True),
])
def test_a_telephone_number_is_what_is_asked(question, phone):
    assert ("phone" in analyse(question).prefer) is phone


@pytest.mark.parametrize(("page_title", "site"), [
    ("Appointments – Millbrook Dental Practice, Ashby", "Millbrook Dental Practice, Ashby"),
    ("Water results 2024 | Orrin Beck Trust", "Orrin Beck Trust"),
    ("Knife crime - the facts", None),  # a subtitle
    ("Local News - Home", None),
    ("Q&A - Part 2", None),
    ("Just a title", None),
])
def test_a_site_from_a_page_title(page_title, site):
    assert _site_of(page_title, "Appointments") == site


@pytest.mark.parametrize(("text", "choice", "written"), [
    ("| Total income | £95,657 | £87,670 |", "95,657 |", "£95,657"),
    ("| Fuel economy (combined) | 60.1 mpg |", "| Fuel economy", "Fuel economy"),
    ("| CO2 emissions | 108 g/km |", "km", "108 g/km"),  # a part of a measure: the measure
    ("It cost about £19,800 in all.", "19,800", "£19,800"),
    ("The town tried three times to leave the county.", "three", "three"),  # the count asked
])
def test_a_learned_span_as_written(text, choice, written):
    start = text.index(choice)
    a, b = _as_written(text, 0, len(text), start, start + len(choice))
    assert text[a:b] == written
