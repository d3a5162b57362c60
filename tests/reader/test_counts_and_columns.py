"""The reader on documents written for this test (a bird club's monthly report as HTML with a
captioned table and a quotation, a tenancy letter with a table of charges by year, a
volunteer rota): the count of what a "how many" question counts ("14 hides", not "ten
sightings"), "percentage points" written out, the cell under the column a "how deep" question
measures, a table's row numbered by the question ("in the second year"), a house number that
is no sum, a "what year" question no sentence dates, a quotation's attribution and a table's
caption kept from HTML, and the nouns that ask for a person."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.admit import _numbered_row, counts_asked
from qa.reader.extract import amounts
from qa.reader.question import analyse
from qa.reader.reader import _asks_date
from qa.reader.typed import _NAME_AFTER
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "marsh_report.html": """<html><head><title>Tarnholm Bird Club: May report</title></head>
<body><article><h1>Tarnholm Bird Club: May report</h1>
<p>The club logged ten rare sightings on the Tarnholm levels during May, against six in
April and a monthly average of 7.2 over the past four years.</p>
<p>The club ran 14 hides during the month, nine of them on the north shore.</p>
<p>Members who missed a count lose five percentage points from their yearly attendance
score.</p>
<table><caption>Table 1. Pools surveyed in May. Depths are at low water.</caption>
<thead><tr><th>Date</th><th>Count</th><th>Depth (m)</th><th>Location</th></tr></thead>
<tbody>
<tr><td>2025-05-03</td><td>41</td><td>1.2</td><td>Reed pool, 3 km E of Skelby</td></tr>
<tr><td>2025-05-17</td><td>66</td><td>2.7</td><td>Salt pool, 8 km N of Orrin Ness</td></tr>
</tbody></table>
<h2>What the warden said</h2>
<blockquote><p>"We lost the spring tide counts to the gales, and the volunteers kept going
anyway."</p><footer>&mdash; Reserve warden Ilse Varga</footer></blockquote>
<p>The next survey is planned for the first week of June.</p>
</article><footer>Site map · Privacy · Cookies</footer></body></html>
""",
    "tenancy_letter.txt": """GRAYBROOK LETTINGS
Property: 22 Quarry Steps, Annerley

Dear Mr Okafor,

Your tenancy starts on 1 March 2025. Please send the deposit to our agents, Pell & Moss of
8 Kiln Yard, Annerley, who hold it in a protected scheme. The agreement was arranged by
Tomasz Reyes, Lettings Adviser at our Annerley office.

If you end the tenancy early, a break fee is payable, worked out as a share of the rent
still due:

| Year | Period | Break fee |
| --- | --- | --- |
| 1 | March 2025 to February 2026 | 6% |
| 2 | March 2026 to February 2027 | 4% |
| 3 | March 2027 to February 2028 | 2% |

The landlord, Wren Holdings, bought the building from the council many years ago.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("counts"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    # the count of what is counted, not the sightings the sentence with the month gives
    ("How many hides did the club run in May?", "14"),
    ("How deep was the pool near Orrin Ness?", "2.7"),
    ("If I leave during the second year, what break fee applies?", "4%"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_house_number_is_no_sum(index):
    """The agents' address is the only figure near them: no fee of theirs is written."""
    assert given_text(index, "How much will Pell & Moss charge for holding the deposit?") != "8"


def test_a_year_asked_of_a_sentence_without_one_is_declined(index):
    assert ask(index, "In what year did Wren Holdings buy the building?").answer is None


def test_the_html_keeps_the_attribution_and_the_caption(index):
    text = next(d.text for s, d in index.documents.items() if s.endswith(".html"))
    assert "— Reserve warden Ilse Varga" in text
    assert "Table 1. Pools surveyed in May. Depths are at low water.\n| Date |" in text
    assert "Privacy" not in text


@pytest.mark.parametrize(("text", "count", "counted", "counts"), [
    ("287 reports through our", "287", "reports", True),
    ("a 5-cylinder engine", "5", "cylinders", True),
    ("23 broadband stations", "23", "stations", True),
    ("1,147 (94 away)", "94", "cards", False),
    ("12 of them", "12", "of", False),  # "how many of the students": no noun read
])
def test_a_count_of_what_is_counted(text, count, counted, counts):
    assert counts_asked(text, text.index(count) + len(count), counted) is counts


def test_percentage_points_written_out_are_a_percentage():
    assert [(s.text, s.unit) for s in amounts("marks may move by up to ten percentage points")] \
        == [("up to ten percentage points", "%")]


@pytest.mark.parametrize(("question", "row", "numbered"), [
    ("What is due in the third year?", "| 3 | 2027 | 2% |", True),
    ("What is due in year 3?", "| 3 | 2027 | 2% |", True),
    ("What is due in the 2nd year?", "| 3 | 2027 | 2% |", False),
    ("What is due in the third week?", "| 3 | 2027 | 2% |", False),  # the column is years
    ("What is the third-year fee?", "| 3 | 2027 | 2% |", True),
    ("What is due in the third year?", "| 3rd | 2027 | 2% |", True),
    ("What is due in the third year?", "| Year 3 | 2027 | 2% |", True),
    ("What is due in the 13th year?", "| 13th | 2037 | 0% |", True),
    ("What is due in the third year?", "| 13 | 2037 | 0% |", False),
])
@pytest.mark.parametrize("header", ["Year", "Years", "Year of tenancy"])
def test_a_row_numbered_by_the_question(question, row, numbered, header):
    text = f"| {header} | Period | Fee |\n| --- | --- | --- |\n{row}\n"
    assert _numbered_row(text, text.index(row), question) is numbered


@pytest.mark.parametrize("noun", ["adviser", "officer", "goalkeeper", "applicant"])
def test_nouns_that_ask_for_a_person(noun):
    assert analyse(f"Which {noun} signed the form?").label == "person"


@pytest.mark.parametrize(("text", "address"), [
    ("of 8 Kiln Yard, Annerley", True),
    ("costs 200 US dollars", False),  # a sum whose currency is capitalized
    ("room 8 North", False),
])
def test_a_number_before_a_name_is_an_address(text, address):
    end = text.index("8" if "8" in text else "200") + (1 if "8" in text else 3)
    assert (_NAME_AFTER.match(text, end) is not None) is address


@pytest.mark.parametrize(("question", "asks"), [
    ("In what year did the firm buy the mill?", True),
    ("How long did the survey take?", True),
    ("When is the deadline this year?", False),  # a "when" a clause may answer
    ("When did the firm buy the mill?", False),
])
def test_a_date_of_a_kind_the_question_names(question, asks):
    assert _asks_date(question, analyse(question)) is asks
