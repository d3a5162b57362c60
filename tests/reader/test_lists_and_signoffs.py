"""The reader on documents written for this test (a cycling club's bulletin, a scout camp's
kit letter, a chimney sweep's certificate, a river survey): a list item's later sentences
read with its first ("- Moorside Sportive, 8 June. Entry £32."), a bulleted line without a
full stop that answers ("- spending money, up to £10, in a purse"), the heading over a list
read by every item, a sign-off that says who holds a role ("Hedda Lindqvist, Club Captain"),
a reading among several on one line ("NOx 52 ppm, CO2 8.7%") picked by the label before it,
a table row that does not say the measure asked, a change that is no range ("from 0.31 mg/l
in 2023 to 0.22 mg/l"), a sum that opens a wrapped line, and an insurance value asked as a
sum."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.ingest.chunking import is_heading
from qa.ingest.cleaning import clean_text
from qa.ingest.context import heading_context, lead_sentence
from qa.reader.agree import role_words, says_role
from qa.reader.extract import amounts
from qa.reader.question import Kind, analyse
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "bulletin.md": """# The Freewheeler

**Tarnside Wheelers club bulletin, summer 2025**

## From the captain

Welcome back to a busy summer. Sixteen of you rode the spring audax in rain, and
Brannock Cycles have agreed a ten per cent discount for members on parts and servicing. Our
new ride leader, Piet Adeyemi, takes the Wednesday social ride from July.

Hedda Lindqvist, Club Captain

## Coming events

- **Tarnside Hill Climb**, Saturday 14 June 2025. Entry £18 (juniors £9). Sign-on closes at 9:30am.
- **Moorside Sportive**, Sunday 6 July 2025. Entry £32, with a feed station at Hebble Gap.
- **Coastal Century**, Sunday 17 August 2025. Entry £45 including a finisher's medal.
""",
    "kit.txt": """Ravensholme Scout Group
Summer camp kit list

Please pack the following for camp:
- a sleeping mat and a warm sleeping bag
- two pairs of walking boots or stout trainers
- a waterproof jacket and over-trousers
- a head torch and spare batteries
- spending money, up to £10, in a purse with your name on it

Tents, cooking stoves and life jackets are provided by the group. Please do not send
phones or tablets.
""",
    "sweep.txt": """CHIMNEY AND FLUE INSPECTION CERTIFICATE

Inspected by: Oriel Sweeps
Date of visit: 2 September 2024
Appliance: Multi-fuel stove
Draw test: Pass
Flue gas test at full load: NOx 52 ppm, CO2 8.7%, ratio 0.0031
Flue gas test at idle: NOx 31 ppm, CO2 6.2%, ratio 0.0019
Smoke test: Pass
""",
    "survey.md": """# Orrin Beck survey 2024

The Orrin Beck Trust sampled four sites every month. Phosphate at Mossgate fell from
0.31 mg/l in 2023 to 0.22 mg/l in 2024 after the sewage works was upgraded.

| Site | Samples | Dissolved oxygen (mg/l) | Phosphate (mg/l) |
|---|---|---|---|
| Holm Bridge | 12 | 9.6 | 0.06 |
| Mossgate | 11 | 7.9 | 0.22 |

The trust's tapestry on loan to the visitor centre is insured for an agreed value of
$240,000 (two hundred and forty thousand dollars).
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("lists"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    # the item's first sentence names the event its fee belongs to
    ("How much does it cost to enter the Moorside Sportive?", "£32"),
    ("What is the entry fee for the Coastal Century?", "£45"),
    # a bulleted line without a full stop is an item, not a heading
    ("How much spending money can scouts bring?", "up to £10"),
    # a sign-off names who holds the role
    ("Who is the club captain?", "Hedda Lindqvist"),
    # the figure after the label the question writes, not the one before it
    ("What was the CO2 reading at full load?", "8.7%"),
    # the column the question names
    ("What was the phosphate level at Holm Bridge?", "0.06"),
    ("What is the insurance value of the tapestry?", "$240,000"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_no_row_answers_a_measure_its_table_does_not_have(index):
    result = ask(index, "What was the nitrate level at Holm Bridge?")
    given = result.answer or result.rejected
    assert given is None or "Holm Bridge" not in given.sentence


def test_a_sum_opening_a_line_goes_on_the_sentence_left_open():
    text = clean_text("It is insured for an agreed value of\n$240,000 (two hundred and forty "
                      "thousand dollars).\n")
    assert "value of $240,000" in text


def test_a_change_is_no_range():
    text = "Phosphate fell from 0.31 mg/l in 2023 to 0.22 mg/l in 2024."
    assert [s.text for s in amounts(text)] == ["0.31 mg/l", "0.22 mg/l"]
    for text, found in (("The hut stands at 1500 to 2000 m.", "1500 to 2000 m"),
                        ("a reducer of 150–100 mm", "150–100 mm"),
                        ("weights from 2 to 1.5 kg", "2 to 1.5 kg")):
        assert [s.text for s in amounts(text)] == [found]


def test_a_reading_asks_for_an_amount():
    assert analyse("What was the CO2 reading at idle?").kind is Kind.AMOUNT
    assert analyse("what is the water level at the weir").kind is Kind.AMOUNT
    assert analyse("What was the reading at the wedding?").kind is not Kind.AMOUNT
    assert analyse("what is the market value of the house").kind is Kind.AMOUNT
    assert analyse("What is the value of friendship?").kind is not Kind.AMOUNT


def test_a_bulleted_line_is_no_heading():
    text = "Bring:\n- a torch and batteries\n* a hat\nOpening hours\n"
    assert not is_heading(text, 7, 30)
    assert not is_heading(text, 31, 38)
    assert is_heading(text, 39, 52)


def test_every_item_of_a_list_reads_the_heading_over_it():
    text = ("## Deadlines\n\n- Letter of intent: 3 March\n- Proposals: 28 April\n"
            "- Decisions: June\n")
    at = text.index("- Decisions")
    assert heading_context(text, at)[0] == "## Deadlines"
    # a numbered heading over a bulleted list is the list's heading, not one of its items
    text = ("Hire terms\n2. Payment\n- Pay a deposit.\n3. Cancellation\n- Cancel early.\n"
            "- Later ones pay half.\n")
    assert heading_context(text, text.index("- Later"))[0] == "3. Cancellation"
    text = "2. Payment\n3. Deposits are refundable.\n"
    assert heading_context(text, text.index("3. Dep"))[0] == "2. Payment"


def test_an_items_later_sentence_is_read_with_its_first():
    text = "- Hill Climb, 14 June. Entry £18.\n7. No cleaning is allowed. Report damage.\n"
    at = text.index("Entry")
    assert lead_sentence(text, at, text[:at]) == "Hill Climb, 14 June."
    first = text.index("No cleaning")
    line = text.index("7.")
    assert lead_sentence(text, first, text[line:first]) == ""  # the item's first sentence
    later = text.index("Report")
    assert lead_sentence(text, later, text[line:later]) == "No cleaning is allowed."


@pytest.mark.parametrize(("question", "text", "says"), [
    ("Who is the headteacher at Hill Road?", "Mr Ray Kell remains deputy headteacher.", False),
    ("Who is the headteacher at Hill Road?",
     "Ms Ada Roe is headteacher; Mr Ray Kell is deputy headteacher.", True),
    ("Who is the president?", "Jo Ray, vice-president, and Al Ng, president.", True),
    ("Who is the vice president?", "Jo Ray was vice president until May.", True),
])
def test_a_rank_the_question_does_not_ask_is_another_role(question, text, says):
    assert says_role(text, role_words(question), question) is says
