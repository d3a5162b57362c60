"""The reader on documents written for this test (a charger's specification sheet, a company's
results call, a merger announcement, a labour-market bulletin, a valley's visitor guide, a
mineral catalogue): electrical units are measures of their own (a voltage, a current, a
battery's charge), and a unit the entity finder marks is no organization; an abbreviation
("COO") names the words the documents spell out; "Q2" is "the second quarter", and "the
second quarter of fiscal 2027" is one date; "we expect it to ship in ..." tells the future;
percentage points answer how a rate changed, never what it was; a premium may be a
percentage; "which bank" is answered by the bank's name, and "which regulators" by the
sentence's list of them; a ticket for a thing the sentence never names is not another
ticket's price; a "Locality:" field says where a thing was found; "figures for June will be
published on 15 July" are published on 15 July; and "since the summer of 2021" gives no
reason."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.admit import priced_thing
from qa.reader.agree import role_words
from qa.reader.clauses import CAUSE
from qa.reader.extract import CURRENCIES, amounts, dates
from qa.reader.names import EMPTY, TITLES, _no_organization, names
from qa.reader.question import Kind, analyse
from qa.reader.scope import FUTURE, _initialisms, asked_codes, asked_years
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "charger.md": """# Brightwell PX-40 travel charger

## Specifications

- Output voltage: 5 V or 9 V, selected automatically
- Maximum output current: 2.4 A per port
- Standby current: 35 µA typical
- Battery capacity: 4,500 mAh

The charger draws only 35 µA in standby, and its switching frequency is 130 kHz.
""",
    "results.txt": """Olden Instruments second quarter results call

Speakers: Marta Quayle, our Chief Executive Officer, and Dana Pruitt, our Chief Operating
Officer.

For the second quarter, sales were $12.4 million, up 8%. An analyst asked whether sales in
Q2 would have been higher without the port strike. We expect the new analyser to ship in the
second quarter of fiscal 2027.
""",
    "merger.html": """<html><head><title>Harwick to buy Olden</title></head><body>
<h1>Harwick Group agrees to buy Olden Instruments</h1>
<p>Harwick Group will pay $18.20 per share in cash, a premium of 31% to Olden's closing
price on Friday.</p>
<p>Brennan Bank is serving as financial adviser to Harwick, with Pim &amp; Doyle LLP as legal
counsel. The deal needs approval by Olden shareholders and clearance from the Marlow
Competition Office, the Trade Review Board and the Kestrel Markets Authority.</p>
</body></html>
""",
    "jobs.txt": """Labour market bulletin, May 2026

The jobless rate was 4.6% in May 2026, an increase of 0.3 percentage points on April. The
manager of the survey, Ruth Oyelaran, has led the team since the summer of 2021. Figures for
June 2026 will be published on 15 July 2026.
""",
    "travels.md": """# Letters home

In 2019 she visited Peru with her brothers, who had already toured France, Spain and Italy.
She studied at Kelbrook University with a grant from the Arden Trust.
""",
    "minerals.md": """# Case 2: minerals of the western fells

### Specimen 14 - Baryte

- **Locality:** Holm Quarry, Fellside
- **Hardness (Mohs):** 3
- **Acquired:** 1974

White bladed crystals on a crust of quartz.
""",
    "valley.md": """# The Corrie valley

A day ticket for the valley museum costs £8. In summer a funicular climbs the first 300 m of
the ridge from the car park.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("specs"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the standby current?", "35 µA typical"),  # the field's value whole
    ("How much current does the charger draw in standby?", "35 µA"),
    ("What is the battery capacity of the PX-40?", "4,500 mAh"),
    ("Who is Olden's COO?", "Dana Pruitt"),
    ("Who is the boss of Olden?", "Marta Quayle"),  # a boss is a chief executive ("our ...")
    ("Q2 sales", "$12.4 million"),
    ("When will the new analyser ship?", "the second quarter of fiscal 2027"),
    ("What was the jobless rate in May 2026?", "4.6%"),
    # the day they come out, not the month they are for
    ("When will the next jobless figures come out?", "15 July 2026"),
    ("By how much did the jobless rate rise?", "0.3 percentage points"),
    ("What premium is Harwick offering over Olden's closing price?", "31%"),
    ("Which bank is advising Harwick?", "Brennan Bank"),
    # the sentence's list, not the name alone beside it; "the" may open each item
    ("Which regulators have to clear the deal?",
     "the Marlow Competition Office, the Trade Review Board and the Kestrel Markets Authority"),
    # a name that is the answer stays so, whatever list the sentence writes after it
    ("Which countries did she visit in 2019?", "Peru"),
    ("Which university did she attend?", "Kelbrook University"),
    # a catalogue's "Locality:" field says where, as an address does
    ("Where was the baryte found?", "Holm Quarry, Fellside"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize("question", [
    "How much is a ticket for the funicular?",  # the guide prices the museum only
    "What were Olden's sales in the third quarter of fiscal 2019?",  # no 2019 anywhere
    "Who is Olden's CTO?",  # no Chief Technology Officer is written
])
def test_refused(index, question):
    assert ask(index, question).answer is None


def test_an_abbreviation_spelled_out_is_no_unknown_name(index):
    assert "never mention" not in (ask(index, "Who is Olden's COO?").no_answer_reason or "")
    assert "CTO" in (ask(index, "Who is Olden's CTO?").no_answer_reason or "")


@pytest.mark.parametrize(("text", "unit"), [
    ("an output of 3.3 V", "voltage"),
    ("a dropout of 320 mV", "voltage"),
    ("up to 500 mA", "current"),
    ("only 42 µA", "current"),
    ("a 4,500 mAh battery", "charge"),
    ("at 130 kHz", "hertz"),
    ("a 10 kΩ resistor", "resistance"),
    ("a 2.2 µF capacitor", "capacitance"),
    ("the first 300 m of the ridge", "length"),
    ("780 m of ascent", "length"),
    ("5,500 Pa of suction", "pressure"),
])
def test_electrical_and_other_measures(text, unit):
    assert [s.unit for s in amounts(text, 0, len(text))] == [unit]


def test_a_grade_letter_is_no_current():
    text = "She took 3 A levels."
    assert all(s.unit != "current" for s in amounts(text, 0, len(text)))


@pytest.mark.parametrize(("question", "dimension"), [
    ("What is the quiescent current?", "current"),
    ("How much current does it draw?", "current"),
    ("dropout voltage at 500mA", "voltage"),
    ("What is the switching frequency in kilohertz?", "hertz"),
    ("robot vacuum suction power", "pressure"),  # in pascals
])
def test_electrical_questions(question, dimension):
    wanted = analyse(question)
    assert wanted.kind is Kind.AMOUNT and dimension in wanted.prefer


def test_the_current_price_is_no_electric_current():
    assert "current" not in analyse("What is the current price?").prefer


@pytest.mark.parametrize("word", ["mA", "µA", "kWh", "BC"])
def test_a_unit_is_no_organization(word):
    text = f"it gave 35 {word} here"
    assert _no_organization(text, [(11, 11 + len(word), word)])


def test_a_quarter_code_matches_its_words():
    (pattern,) = asked_codes_of("What were Q3 sales?")
    assert pattern.search("In the third quarter, sales rose.")
    assert pattern.search("third-quarter sales")
    assert pattern.search("Q3 sales")
    assert not pattern.search("the fourth quarter")


def asked_codes_of(question):
    class Empty:
        @staticmethod
        def tokenize(word):
            return [word.lower()]

        class bm25:
            @staticmethod
            def rarity(_):
                return None

    return asked_codes(Empty, question)


def test_a_fiscal_quarter_is_one_date_and_asks_its_year():
    text = "in the second quarter of fiscal 2026 and the first quarter of FY2027"
    assert [s.text for s in dates(text)] == ["the second quarter of fiscal 2026",
                                             "the first quarter of FY2027"]
    assert asked_years("What was revenue in the third quarter of fiscal 2023?") == {"2023"}


@pytest.mark.parametrize(("question", "thing"), [
    ("How much is a ticket for the chairlift?", ("chairlift",)),
    ("What does entry to the tower cost?", ("tower",)),
    ("How much are tickets for pensioners?", ()),  # who it is for, not what
    ("How much is a ticket for the whole family?", ("family",)),
    ("What does a pass for the week cost?", ()),
])
def test_what_a_ticket_is_for(question, thing):
    assert priced_thing(question) == thing


@pytest.mark.parametrize(("text", "cause"), [
    ("He has led the team since the summer of 2021.", False),
    ("Support costs fell since end users now fix faults themselves.", True),
    ("Grip improved since winter tyres were fitted.", True),
    ("The club has been in the league since the 1990s.", False),
    ("Prices rose since demand outstripped supply.", True),
])
def test_since_a_time_is_no_cause(text, cause):
    assert (CAUSE.search(text) is not None) is cause


@pytest.mark.parametrize("question", [
    "What was the main source of resistance to the reform?",  # no ohms
    "What is the minimum current wage?",  # the wage now, no amps
])
def test_no_electrical_quantity(question):
    wanted = analyse(question)
    assert not wanted.prefer & {"resistance", "current"}


def test_a_premium_may_be_money_or_a_percentage():
    prefer = analyse("How much is the annual insurance premium?").prefer
    assert "%" in prefer and "GBP" in prefer and prefer & CURRENCIES


def test_a_boss_is_asked_for_not_written_before_a_name():
    assert "boss" not in TITLES
    assert role_words("Who is the boss of Acme?") == role_words("Who is the CEO of Acme?")
    text = "Shares in Hugo Boss fell 4% on Monday."
    assert [s.text for s in names(text, EMPTY)] == ["Hugo Boss"]


@pytest.mark.parametrize(("text", "word"), [
    ("She moved to Kelowna in BC last year.", "BC"),  # a province
    ("The deal was signed by Harwick and MB on Friday.", "MB"),
])
def test_a_unit_word_not_after_a_figure_may_be_a_name(text, word):
    a = text.index(word)
    assert not _no_organization(text, [(a, a + len(word), word)])


def test_a_model_name_is_no_voltage():
    text = "It came with 2 V8 engines."
    assert all(s.unit != "voltage" for s in amounts(text, 0, len(text)))


@pytest.mark.parametrize(("text", "future"), [
    ("We expect the analyser to ship in May.", True),
    ("The company hopes to open in June.", True),
    ("The aim of the team was to win the cup.", False),
    ("Hopes of a deal faded to nothing.", False),
])
def test_what_is_expected_is_the_future(text, future):
    assert (FUTURE.search(text) is not None) is future


def test_initials_of_a_sentence_opener_spell_nothing():
    class Corpus:
        derived: dict = {}
        documents = {"a": type("D", (), {"text": "In March Frank Lee joined. Our Chief "
                                                 "Operating\nOfficer spoke to the Securities "
                                                 "and Exchange Commission."})}

    spelled = _initialisms(Corpus)
    assert {"COO", "SEC"} <= spelled and "IMF" not in spelled


@pytest.mark.parametrize(("question", "prefer"), [
    ("What is the dropout voltage?", {"voltage"}),  # no drop asked: not a percentage
    ("How big is the break-up fee if the deal falls through?", None),  # money only
])
def test_words_that_only_sound_like_a_fall(question, prefer):
    wanted = analyse(question)
    assert wanted.strict and "%" not in wanted.prefer
    assert prefer is None or wanted.prefer == prefer
