"""The reader on documents written for this test (an alpine hut's page, a rowing club's
rules, a shipyard's notice): currency codes after the number, decimal commas, a description
list's terms with their descriptions, degrees before a name, "until" read from a range's end,
the last of a list called "final", a group's numeral, a field that says where, a "Reason:"
field, "the main cause ... was", a post whose holder is never a town nor the name the
question says, a figure the question gives, a sum a quote "comes to", and a deposit given as
a share of the total."""

from __future__ import annotations

import re

import pytest

from qa.answer import ask
from qa.ingest.chunking import split_sentences
from qa.ingest.extractors import extract
from qa.reader.admit import _UNTIL_STATED, PLACE_LABEL
from qa.reader.extract import CURRENCIES, amounts, dates
from qa.reader.fields import field_value
from qa.reader.names import EMPTY, names
from qa.reader.question import analyse
from qa.reader.scope import asked_codes
from qa.reader.spans import Kind
from qa.reader.typed import _OF_A_SUM, initials_of
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "hut.html": """<html><head><title>Talheim Hut: prices and opening</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/book">Book</a></nav>
<div class="cookie">We use cookies. Accept all?</div>
<script>var season = {"price": 99, "opens": "2019-01-01"};</script>
<article>
<h1>Talheim Hut: prices and opening</h1>
<p>Talheim Alpine Club in Sölden (TAC)</p>
<p>The Talheim Hut stands at 2,340 metres above the Ötz valley and sleeps 64 guests.</p>
<p>The hut is open from 20 June 2026 up to and including 21 September 2026.</p>
<p>Breakfast is served from 06:30 until 08:30.</p>
<p>The drying room may be used between 07:00 and 21:00 hours.</p>
<p>Buses leave the valley station at 08:10, 10:40, 13:10 and 15:40, and a final bus leaves
at 18:40.</p>
<h2>Prices</h2>
<dl>
<dt>Half board for members</dt><dd>62 EUR per person and night</dd>
<dt>Half board for non-members</dt><dd>78 EUR per person and night</dd>
<dt>Shower token</dt><dd>4 EUR</dd>
</dl>
<p>The Talheim Alpine Club (TAC) runs the hut with two paid staff.</p>
</article>
</body></html>
""",
    "club.md": """# Vltava Rowing Club: membership rules 2026

Boathouse address: Na Výtoni 12, Praha 2
Phone: +420 224 000 111

## Fees

| Group | Members | Annual fee |
|---|---|---|
| Group I | juniors | 3 600 CZK |
| Group II | adults | 7 200 CZK |
| Group III | veterans | 5 400 CZK |

The combined annual fee of one family may not exceed 12 000 CZK.
A deposit of 20% of the annual fee is due on joining.
Attendance at training fell by 7,5% last season.
The main cause of the fall was the closure of the river for repairs, which lasted six weeks.

## Rules

5. Boats must be rinsed with fresh water after every outing.
Reason: Silt from the river wears the sliding seats.

6. Oars are stored in the upper rack.
Reason: The lower rack floods in spring.
""",
    "yard.txt": """Notice from the Kotva shipyard

The estimate for the new pontoon came to 450 000 CZK, the board was told on Monday.
The yard's chief engineer is Ing. Pavel Dvořák, who signs every launch certificate.
The yard's treasurer is Jana Veselá, who keeps the books.
The canteen serves lunch from 11.30 to 14.00 on weekdays.
A guided visit of the slipway costs S/ 40 for students from the partner school in Cusco.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("codes"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("How much is half board for non-members?", "78 EUR per person"),
    ("How much does a shower token cost?", "4 EUR"),
    ("Until what date is the Talheim Hut open?", "21 September 2026"),
    ("Until what time can the drying room be used?", "21:00"),
    ("What time does the last bus leave the valley station?", "18:40"),
    ("What is the annual fee for Group II?", "7 200 CZK"),
    ("What is the annual fee for Group III?", "5 400 CZK"),
    ("By what percentage did attendance at training fall?", "7,5%"),
    ("Where is the boathouse?", "Na Výtoni 12, Praha 2"),
    ("What deposit is due on joining the club?", "20%"),
    ("Why must boats be rinsed after every outing?",
     "Silt from the river wears the sliding seats"),
    ("Who signs the launch certificates?", "Pavel Dvořák"),
    ("What did the estimate for the new pontoon come to?", "450 000 CZK"),
    ("Between what hours does the canteen serve lunch?", "11.30 to 14.00"),
    ("How much does a guided visit of the slipway cost for students?", "S/ 40"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_the_main_cause_is_what_the_copula_says(index):
    answer = given_text(index, "What was the main reason attendance fell?")
    assert answer is not None and answer.startswith("the closure of the river for repairs")


def test_a_post_is_held_by_no_town_and_no_acronym_of_the_name_asked(index):
    result = ask(index, "Who is the president of the Talheim Alpine Club?")
    assert result.answer is None
    assert result.rejected is None or result.rejected.text not in ("Talheim", "TAC")


@pytest.mark.parametrize(("text", "sums"), [
    ("Half board: 78 EUR per person.", [("78 EUR per person", "EUR", 78.0)]),
    ("A room is 1 200 MAD a night.", [("1 200 MAD", "MAD", 1200.0)]),
    ("The fee is 1 350,00 PLN.", [("1 350,00 PLN", "PLN", 1350.0)]),
    ("Tickets: 450 EGP.", [("450 EGP", "EGP", 450.0)]),
    ("A sleeping bag is S/ 70 a day.", [("S/ 70", "PEN", 70.0)]),
])
def test_codes_after_the_number(text, sums):
    found = [(s.text, s.unit, s.value) for s in amounts(text) if s.unit in CURRENCIES]
    assert found == sums


@pytest.mark.parametrize(("text", "sums"), [
    ("In 2024 USD 3 million was raised.", [("USD 3 million", "USD", 3e6)]),  # not "2024 USD"
    ("Room 12 EUR 80 per night", [("EUR 80 per night", "EUR", 80.0)]),
    ("It costs 3,5 EUR.", [("3,5 EUR", "EUR", 3.5)]),
    ("The plan costs 2,5 million EUR.", [("2,5 million EUR", "EUR", 2.5e6)]),
])
def test_a_code_after_a_number_is_the_sums_own(text, sums):
    found = [(s.text, s.unit, s.value) for s in amounts(text) if s.unit in CURRENCIES]
    assert found == sums


@pytest.mark.parametrize("text", [
    "The 28 cop cars were parked.",  # codes in their own case only
    "COP 28 met in Dubai.",          # a code that names another thing, before the number
    "He wrote PHP 8 code.",
    "The S/N 12345 is on the label.",
    "They bought 3 AMD GPUs.",       # before a noun it names
    "Only the 7 COP members voted.",
    "The agency rewrote 450 PHP scripts.",
    "Prices fell in 2023 USD terms.",
])
def test_no_code_after_a_number_where_none_is_written(text):
    assert not [s for s in amounts(text) if s.unit in CURRENCIES]


@pytest.mark.parametrize(("text", "found"), [
    ("a rate of 7,8% of the total", [("7,8%", "%", 7.8)]),
    ("Yield was 3,04 tonnes a hectare.", [("3,04 tonnes", "mass", 3.04)]),
    ("It is 1,234 km away.", [("1,234 km", "length", 1234.0)]),  # a thousands group
])
def test_a_decimal_comma_before_a_unit(text, found):
    assert [(s.text, s.unit, s.value) for s in amounts(text)] == found


def test_a_comma_between_numbers_alone_is_no_decimal():
    assert [s.text for s in amounts("See pages 4,5 and 6.")] == ["6"]


@pytest.mark.parametrize(("text", "found"), [
    ("open every day from 07.00 to 22.00.", ["07.00 to 22.00"]),
    ("The mixed shift is 17.00–21.30.", ["17.00–21.30"]),
    ("Tickets cost 17.00 to 22.50 euros.", []),  # a price's range
    ("Install version 10.10-12.30.1 first.", []),
])
def test_hours_written_with_a_dot(text, found):
    assert [s.text for s in dates(text) if s.unit == "time"] == found


def test_a_clocks_minutes_are_no_duration():
    text = "Works may run between 08:00 and 19:00 hours, and took 3 hours and 20 minutes."
    assert [(s.text, s.unit) for s in dates(text)] == [
        ("08:00", "time"), ("19:00", "time"), ("3 hours and 20 minutes", "duration")]


def test_a_description_lists_terms_label_their_descriptions():
    page = (b"<html><body><article><h1>Extras</h1><p>Guests may book the extras below at "
            b"the desk.</p><dl><dt>Guided <b>walk</b></dt><dd>25 EUR per person</dd>"
            b"<dt>Packed lunch:</dt><dd>9 EUR</dd><dt>Bike hire</dt> per day <dd>30 EUR</dd>"
            b"<dt>Can I pay by card?</dt><dd>Yes, at the desk.</dd><dt>Alone</dt></dl>"
            b"<p>The desk is open every day of the season.</p></article></body></html>")
    text = extract(page, ".html", "extras.html").pages[0]
    assert "Guided walk: 25 EUR per person" in text
    assert "Packed lunch: 9 EUR" in text
    assert "Bike hire per day: 30 EUR" in text
    assert "Can I pay by card? Yes, at the desk." in text


def test_a_quotations_attribution_is_kept_and_the_pages_footer_is_not():
    page = (b"<html><body><article><h1>Cup tie</h1><p>The hosts won a close game on a cold "
            b"evening in front of a full stand.</p><blockquote><p>We kept going to the end."
            b"</p><footer>&mdash; Head coach Ana Ruiz</footer></blockquote><p>The replay is "
            b"set for the following week at the same ground.</p></article>"
            b"<footer>Copyright Riverside FC</footer></body></html>")
    text = extract(page, ".html", "cup.html").pages[0]
    assert "We kept going to the end.\n— Head coach Ana Ruiz" in text
    assert "Copyright" not in text


def test_a_tables_caption_is_a_line_above_its_header_row():
    page = (b"<html><body><article><h1>Readings</h1><p>The gauges were read at dawn on each "
            b"day of the survey week by the field team.</p><table><caption>Table 2. River "
            b"levels, <b>May</b>.</caption><thead><tr><th>Day</th><th>Level (m)</th></tr>"
            b"</thead><tbody><tr><td>Monday</td><td>2.4</td></tr><tr><td>Tuesday</td>"
            b"<td>2.9</td></tr></tbody></table><p>Levels fell again by the weekend.</p>"
            b"</article></body></html>")
    text = extract(page, ".html", "levels.html").pages[0]
    assert "Table 2. River levels, May.\n| Day | Level (m) |" in text
    assert "| Tuesday | 2.9 |" in text


def test_a_degree_before_a_name_ends_no_sentence():
    text = ("It is chaired by dr hab. Anna Nowak, prof. UW. The engineer is Ing. Petr Lom. "
            "The loan was arranged by ING. Rates rose.")
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It is chaired by dr hab. Anna Nowak, prof. UW.", "The engineer is Ing. Petr Lom.",
        "The loan was arranged by ING.", "Rates rose."]


@pytest.mark.parametrize(("text", "says"), [
    ("open up to and including Sunday 17 August", True),
    ("works may run between 08:00 and 14:00 hours", True),
    ("shipping between 3 and 17 February", True),
    ("open through 30 June", True),
    ("the survey must be filled in by 14 June", True),
    ("we walked through the new showroom", False),
    ("trains between Paris and Lyon", False),
    ("between 30 and 45 per cent of the area", False),
])
def test_a_sentence_says_until_when(text, says):
    assert (_UNTIL_STATED.search(text) is not None) is says


@pytest.mark.parametrize(("text", "share"), [
    ("a deposit of 30% of the total stay", True),
    ("a deposit of 20% of the annual fee is due", True),
    ("the balance, 70% of the total, is paid on arrival", True),
    ("the park covers 40% of the total area of the district", False),
    ("40% of the members came", False),
])
def test_a_percentage_of_a_sum(text, share):
    end = text.index("%") + 1
    assert (_OF_A_SUM.match(text, end) is not None) is share


def test_a_web_or_mail_address_is_no_place():
    text = "Web address: www.example.org\nE-mail address: desk@example.org\nPhone: 5\n"
    assert not re.fullmatch(PLACE_LABEL, "Web address", re.IGNORECASE)
    assert not re.fullmatch(PLACE_LABEL, "E-mail address", re.IGNORECASE)
    assert re.fullmatch(PLACE_LABEL, "Site address", re.IGNORECASE)
    assert field_value(text, 0, text.index("\n")) is None


def test_a_figure_the_question_gives_names_no_unit_asked():
    wanted = analyse("What price per kilo did the mill pay for its 520 tonnes?")
    assert wanted.strict and "mass" not in wanted.prefer
    assert "mass" in analyse("How many tonnes did the mill buy?").prefer


def test_a_groups_numeral_is_an_identifier_the_answer_writes(index):
    (code,) = asked_codes(index, "What is the annual fee for Group II?")
    assert code.search("| Group II | adults |") and not code.search("| Group III | veterans |")
    assert len(asked_codes(index, "What is Group II's annual fee?")) == 1
    assert not asked_codes(index, "What did Richard G. Wilkinson write?")  # an initial
    assert not asked_codes(index, "Can I bring a friend?")  # "I" and "A" are words


def test_the_initials_of_the_names_a_question_writes():
    found = initials_of("Who is the president of the Talheim Alpine Club?")
    assert {"TAC", "AC", "TA"} <= found
    assert "TAC" not in initials_of("Who is the president of the club in Talheim?")


@pytest.mark.parametrize(("text", "people"), [
    ("Closed: Seollal (Lunar New Year) and Chuseok holidays.", []),
    ("We close on Independence Day and on the Harvest Festival weekend.", []),
    ("The branch manager, Jana Novak, closes on Easter Monday.", ["Jana Novak"]),
])
def test_a_holiday_is_no_person(text, people):
    assert [s.text for s in names(text, EMPTY) if s.kind is Kind.PERSON] == people
