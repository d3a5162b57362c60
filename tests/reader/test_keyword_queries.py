"""The reader on documents written for this test (a rowing club's accounts, a letting
agent's notice, a pond survey with an abbreviated column, a charity's contact page, a
ferry's timetable note, a kettle maker's recall): a query written as a noun phrase
("monthly rent flat 3") asks for the value of what it names; a year's surplus, deficit or
takings is money; "X amount", a meter's reading and a magnitude ask for figures; a column
whose header is cut short ("Temp.") is the one a question names, unless a cell writes the
question's word before its own figure; a freephone number with no trunk 0 ("1800 555 014")
is a telephone number; a year the answer's document never writes is not answered from it;
"how much of the deposit" is not the deposit itself; "how many people" counts both groups
("31 members and 4 guests"); "which is quicker, A or B" is answered by the sentence that
says so; shops are organizations; a model's number ("Brewmaster 2200") is a code."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.extract import amounts, phone_numbers
from qa.reader.question import Kind, analyse, keyword_query
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "accounts.md": """# Tollbridge Rowing Club: treasurer's report

We recorded a surplus of £3,412 for the year ended 31 March 2024, compared with £2,980 the
year before. The boathouse bar did well: takings rose by 9% to £14,730.

The regatta made a deficit of £640, as the marquee cost more than we budgeted.

Of the float of £500, £320 was spent on the regatta and £180 was returned to the bank. We had
31 members and 4 guests at the annual dinner.
""",
    "ferry.txt": """SUMMER FERRY NOTE

The Skerry Express takes about 40 minutes, so it is quicker than the island shuttle if you
are going straight to Holm Quay. The island shuttle calls at every jetty. The Skerry Express
has run since 2019.
""",
    "recall.md": """# Recall of the Brewmaster 2000 kettle

| Detail | Brewmaster 2000 | Brewmaster 2000S |
|---|---|---|
| Retail price | £39.99 | £44.99 |

Customers can choose a refund or a free Brewmaster 2200, which has a new lid. Brewmaster
kettles were sold through shops including Harwick Stores, Crane Home and Tidy Electrics.
""",
    "notice.txt": """NOTICE OF RENT REVIEW: FLAT 3, 18 QUARRY LANE

From 1 June 2025 the rent for Flat 3 will be £975 per calendar month, payable on the first
day of each month.

The agent obtained a quote from Brandt Decorators for repainting the hallway, who quoted
€420.00 for the work.
""",
    "survey.md": """# Pond survey, 12 July 2025

| Pond | Depth (m) | Temp. | Notes |
|---|---|---|---|
| Mill pond | 2.4 | 14.2 | Clear water; newts seen |
| Orchard pond | 1.1 | 18.6 | Algae; pH reading 8.3 |
""",
    "contact.html": """<!DOCTYPE html>
<html><head><title>Contact us | Hollin Vale Carers</title></head>
<body><main>
<h1>Contact us</h1>
<p>Our advice line is open from 9am to 5pm on weekdays.</p>
<ul>
<li>England advice line: 0800 118 2277</li>
<li>Ireland advice line: 1800 555 014</li>
</ul>
</main></body></html>
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("keywords"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("What was the club's surplus for the year ended March 2024?", "£3,412"),
    ("bar takings", "£14,730"),
    ("regatta deficit", "£640"),
    ("monthly rent flat 3", "£975 per calendar month"),
    ("hallway repainting quote amount", "€420.00"),
    # "Temp." heads the temperatures: not the depth nor the row's first figure
    ("What temperature was the Orchard pond?", "18.6"),
    # a cell that writes the question's word before its figure says more than a header
    ("What was the pH reading at the Orchard pond?", "8.3"),
    ("advice line number Ireland", "1800 555 014"),
    ("How much of the float was returned to the bank?", "£180"),
    ("How many people came to the annual dinner?", "31 members and 4 guests"),
    ("Which is quicker to Holm Quay, the Skerry Express or the island shuttle?",
     "Skerry Express"),
    ("Which shops sold Brewmaster kettles?", "Harwick Stores, Crane Home and Tidy Electrics"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize("question", [
    "How much were the bar takings in 2019?",  # the accounts write no 2019 (the ferry's do)
    "What is the retail price of the Brewmaster 2200?",  # the table prices the 2000s only
])
def test_refused(index, question):
    assert ask(index, question).answer is None


@pytest.mark.parametrize(("question", "keyword"), [
    ("monthly rent flat 3", True),
    ("boiler service cost", True),
    ("list the trustees", False),  # a command
    ("Do I need a permit?", False),  # yes or no
    ("what is the rent", False),
    ("rent, when is it due", False),  # a wh-word
])
def test_a_keyword_query(question, keyword):
    assert keyword_query(question) is keyword


@pytest.mark.parametrize("question", [
    "What was the surplus for 2024?", "what was the deficit", "bar takings 2023",
    "What was the shortfall?", "carpet quote amount", "monthly rent flat 3",
])
def test_sums_asked(question):
    wanted = analyse(question)
    assert wanted.kind is Kind.AMOUNT and wanted.strict and "GBP" in wanted.prefer


@pytest.mark.parametrize(("question", "asked"), [
    ("What was the meter reading?", True),
    ("What was the gas meter reading in May?", True),
    ("What was the first reading of the bill?", False),
    ("What is the bible reading on Sunday?", False),
    ("What was the rainfall amount?", True),
])
def test_readings_and_amounts(question, asked):
    assert (analyse(question).kind is Kind.AMOUNT) is asked


def test_a_magnitude_is_a_bare_number():
    wanted = analyse("What was the magnitude of the earthquake?")
    assert wanted.kind is Kind.AMOUNT and wanted.prefer == {"count", "times"}


def test_a_total_time_is_a_duration():
    wanted = analyse("What was the total cooking time?")
    assert wanted.kind is Kind.DATE and wanted.prefer == {"duration"}


@pytest.mark.parametrize(("text", "found"), [
    ("Ireland: 1800 555 014.", ["1800 555 014"]),
    ("Australia 1300-652-874 or", ["1300-652-874"]),
    ("between 1850 and 1900 some 100 died", []),
    ("In 1800 the town had 812 houses.", []),
])
def test_freephone_numbers(text, found):
    assert [text[a:b] for a, b in phone_numbers(text, 0, len(text))] == found


@pytest.mark.parametrize(("text", "span"), [
    ("The rent is £975 per calendar month.", "£975 per calendar month"),
    ("It costs £40 per working day.", "£40 per working day"),
    ("It costs £12 per person.", "£12 per person"),
])
def test_a_rate_per_kind_of_period(text, span):
    assert [text[s.start:s.end] for s in amounts(text, 0, len(text))] == [span]
