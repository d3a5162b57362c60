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
says so; shops are organizations; a model's number ("Brewmaster 2200") or an age band
("under-11") is not another's ("Brewmaster 2000", "under-16"); and a price of a thing the
sentence and its context never name ("the guidebook price") is not a ticket's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.answer import ask
from qa.reader.admit import priced_thing
from qa.reader.comparative import Comparison
from qa.reader.compare import stated
from qa.reader.extract import amounts, phone_numbers
from qa.reader.pick import _gives_whole, _groups
from qa.reader.question import Kind, analyse, keyword_query
from qa.reader.scope import _writes_year, asked_models, other_model
from qa.reader.typed import abbreviates
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "accounts.md": """# Tollbridge Rowing Club: treasurer's report

We recorded a surplus of £3,412 for the year ended 31 March 2024, compared with £2,980 the
year before. The boathouse bar did well: takings rose by 9% to £14,730.

The regatta made a deficit of £640, as the marquee cost more than we budgeted.

Of the float of £500, £320 was spent on the regatta and £180 was returned to the bank. We had
31 members and 4 guests at the annual dinner.

Subscriptions for next season:

- Senior rowing member: £180
- Junior (under-16) member: £40
""",
    "tickets.md": """# Harbour museum tickets

| Ticket | Price |
|---|---|
| Adult | £12.00 |
| Concession | £9.00 |
""",
    "ferry.txt": """SUMMER FERRY NOTE

The Skerry Express takes about 40 minutes, so it is quicker than the island shuttle if you
are going straight to Holm Quay. The island shuttle calls at every jetty. The Skerry Express
has run since 2019. The hovercraft crosses at 60 km/h.

The old chain ferry crosses at 12 km/h.

Of the 412 runners who started the island marathon, 377 finished, a completion rate of
91.5%.
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
    # "quicker" by speeds: the higher one
    ("Which is quicker, the hovercraft or the old chain ferry?", "hovercraft"),
    ("Which shops sold Brewmaster kettles?", "Harwick Stores, Crane Home and Tidy Electrics"),
    ("harbour museum adult ticket price", "£12.00"),
    # a rate of completion is a percentage, never the count beside it; the noun phrase of a
    # keyword query may be long
    ("island marathon runners completion rate", "91.5%"),
    ("under-16 member subscription", "£40"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize("question", [
    "How much were the bar takings in 2019?",  # the accounts write no 2019 (the ferry's do)
    "What is the retail price of the Brewmaster 2200?",  # the table prices the 2000s only
    "harbour museum guidebook price",  # the museum prices tickets, not a guidebook
    "What is the under-11 member subscription?",  # the list has an under-16 rate only
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
    ("rent due date", False),  # a date's name, not a sum
    ("deposit scheme name", False),
])
def test_a_keyword_query(question, keyword):
    assert keyword_query(question) is keyword


@pytest.mark.parametrize(("question", "strict"), [
    ("bar takings 2023", True), ("carpet quote amount", True), ("monthly rent flat 3", True),
    # a surplus may be of seats, a deficit of calories: money preferred, not required
    ("What was the surplus for 2024?", False), ("what was the deficit", False),
    ("What was the shortfall?", False),
])
def test_sums_asked(question, strict):
    wanted = analyse(question)
    assert wanted.kind is Kind.AMOUNT and wanted.strict is strict and "GBP" in wanted.prefer


@pytest.mark.parametrize(("question", "asked"), [
    ("What was the meter reading?", True),
    ("What was the gas meter reading in May?", True),
    ("What was the first reading of the bill?", False),
    ("What is the bible reading on Sunday?", False),
    ("What is the Old Testament reading?", False),
    ("What was the rainfall amount?", True),
])
def test_readings_and_amounts(question, asked):
    assert (analyse(question).kind is Kind.AMOUNT) is asked


@pytest.mark.parametrize(("question", "thing"), [
    ("exhibition catalogue price", ("catalogue",)),
    ("What is the price of a catalogue?", ("catalogue",)),
    ("What is the full price?", ()),  # a kind of price
    ("Which cost more, the roller or the mower?", ()),
    ("how much did it cost", ()),
])
def test_what_a_price_is_of(question, thing):
    assert priced_thing(question) == thing


def test_a_magnitude_is_a_bare_number():
    wanted = analyse("What was the magnitude of the earthquake?")
    assert wanted.kind is Kind.AMOUNT and wanted.prefer == {"count", "times"}


def test_a_total_time_is_a_duration():
    wanted = analyse("What was the total cooking time?")
    assert wanted.kind is Kind.DATE and wanted.prefer == {"duration"}
    assert analyse("What is the total one time payment?").kind is not Kind.DATE


@pytest.mark.parametrize(("text", "found"), [
    ("Ireland: 1800 555 014.", ["1800 555 014"]),
    ("Australia 1300-652-874 or", ["1300-652-874"]),
    ("between 1850 and 1900 some 100 died", []),
    ("In 1851 312 450 people lived there.", []),
    ("1885\t120\t340", []),
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


def test_a_cut_window_never_finds_half_a_word():
    """The comparative's clause window may open inside a word ("Bally|rowan"): no option is
    found there, and nothing fails."""
    text = ("Pupils at Ballyrowan school children find that the canal walk is much    "
            "quicker than the bus.")
    asked = Comparison(options=("Rowan school", "bus"), span=(0, 0), larger_wins=False,
                       word="quicker")
    index = SimpleNamespace(chunks=[SimpleNamespace(source="d", start=0, end=len(text))],
                            documents={"d": SimpleNamespace(text=text)})
    assert stated(index, asked, [0]) is None


@pytest.mark.parametrize(("text", "whole"), [
    ("Of the deposit of £1,450, £385 goes to the landlord.", True),
    ("He kept £250 and returned the remaining deposit of £1,200.", False),
    ("She paid the £900 deposit in May.", True),
])
def test_the_whole_a_part_is_of(text, whole):
    span = amounts(text, 0, len(text))[0 if whole or "£250" not in text else 1]
    assert _gives_whole(text, span, "deposit") is whole


@pytest.mark.parametrize(("text", "joined"), [
    ("We had 31 members and 4 guests there.", "31 members and 4 guests"),
    ("The boat took 5 people and 3 dogs off the island.", None),
])
def test_two_groups_of_people(text, joined):
    span = amounts(text, 0, len(text))[0]
    groups = _groups(text, span, 0, len(text))
    assert (text[groups[0]:groups[1]] if groups else None) == joined


@pytest.mark.parametrize(("question", "models"), [
    ("What is the price of the SteamPress 3100?", (("SteamPress", "3100"),)),
    ("About 300 people came. Which band played?", ()),
    ("How much is the under-11 fee?", (("under-", "11"),)),
    ("Is it done in under 5 minutes?", ()),
])
def test_models_asked(question, models):
    assert asked_models(question) == models


@pytest.mark.parametrize(("text", "other"), [
    ("| Price | £49.99 | under SteamPress 3000", True),
    ("It grounded its Boeing 747s and 737s at a cost of $4 million.", False),
    ("about 20 stayed late", False),
])
def test_another_model(text, other):
    models = asked_models("the SteamPress 3100 and the Boeing 737 and about 20")
    assert other_model(text, models) is other


@pytest.mark.parametrize(("text", "year", "written"), [
    ("The meeting held on 14.05.2021 approved it.", 2021, True),
    ("The surplus for FY21 was £2,310.", 2021, True),
    ("Figures for 2022-23 are below.", 2023, True),
    ("From 2019 to 2022 the club grew.", 2021, True),
    ("The report covers 2022 and 2023.", 2021, False),
])
def test_a_year_written(text, year, written):
    assert _writes_year(text, year) is written


@pytest.mark.parametrize(("header", "terms", "cut"), [
    ("Mag.", {"magni"}, True),
    ("Temp.", {"tempe"}, True),
    ("Phos. (mg/l)", {"ph"}, False),  # "pH" is no phosphate
    ("Max.", {"m"}, False),
])
def test_a_header_cut_short(header, terms, cut):
    assert abbreviates(header, dict.fromkeys(terms, 1.0)) is cut
