"""The reader on documents written for this test (a water company's price letter, a farm's
season report, an assembly's debate, a school trial, a ship's log, a planning notice, a
wreck's history, a hotel's letter): pence and rates, figures written out with their unit, a
table row the question names, a run-in heading, the figure of now, the hours of the day
asked, a change stated after its levels, the post a "who chairs" question asks for and the
person written with it, a form's field the question's verb names, places and titled
surnames, and the pronoun "I" that names no one."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.ingest.chunking import split_sentences
from qa.ingest.cleaning import clean_text
from qa.reader.agree import asked_post, doer_labels, doer_stem, role_words
from qa.reader.extract import amounts, written_unit
from qa.reader.fields import is_labelled, run_in
from qa.reader.names import KnownNames, names
from qa.reader.question import Kind, analyse
from qa.reader.scope import FUTURE
from qa.reader.typed import _holds, stated_as_change
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "letter.txt": """From: Brookvale Water <billing@brookvale.example>
To: Ms Ada Penrose
Date: 3 March 2025
Subject: Your charges from 1 May 2025

Dear Ms Penrose,

We are writing to tell you that the charges for your water supply will
change on 1 May 2025. Your volume charge will rise from 152.40p to
158.90p per cubic metre, and your daily service charge will rise from
21.10p to 22.35p per day.

Over the last year your home used 96 cubic metres of water. We estimate
that your yearly bill will go from £412 to £431. That is an increase of
£19 a year, or about £1.60 a month.

1. Stay on your current plan. You do not need to do anything.

2. Move to the Steady plan. If you move to the Steady plan before 20
   April 2025, the new charges will not apply to you. Leaving the Steady
   plan early costs a fee of £25.

Our team can be reached on 0800 555 0199. The lines are open 8am to 6pm
Monday to Friday and 10am to 2pm on Saturday.
""",
    "farm.md": """---
title: "Season Report 2024: Hollin Farm"
author: Tam Ridley, farm manager
date: 2024-10-20
---

# Season Report 2024: Hollin Farm

## Crop by crop

**Winter barley.** Winter barley averaged 6.8 tonnes per hectare, below our average of 7.2.
The early fields did better.

**Linseed.** Linseed was the poorest crop of the year at 1.4 tonnes per hectare.

## Areas

| Crop | Area (ha) | Yield (t/ha) |
|---|---|---|
| Winter barley | 120 | 6.8 |
| Field peas | 45 | 3.9 |
| Linseed | 30 | 1.4 |

Next year we will try field peas on 14 hectares of the light land, in place of some barley.
""",
    "debate.txt": """ASSEMBLY OF VELMORE
OFFICIAL REPORT

Thursday 6 March 2025

THE PRESIDING OFFICER: I call the Minister for Transport, Deputy Orla Fenwick.

DEPUTY FENWICK (Minister for Transport): Thank you, Madam Presiding Officer. When we first
counted e-scooters in 2020, there were 340 of them for hire in the town. Today there are 910.

DEPUTY FENWICK (Minister for Transport): We intend the scheme to start on 1 September 2025.

THE PRESIDING OFFICER: The Bill will be sent to the Roads Committee.
""",
    "trial.txt": """Results

Thirty-six primary schools agreed to take part and were randomised in 2023, 18 to the
reading programme and 18 to usual teaching.
""",
    "notice.txt": """HALLOWAY BOROUGH COUNCIL
NOTICE OF DECISION ON AN APPLICATION FOR PLANNING PERMISSION, ISSUED UNDER
THE PLANNING ACTS AND THE REGULATIONS MADE UNDER THEM, WITH THE REASONS

Application No.: HB/2025/0311
Applicant: Ms Petra Lindgren, Lindgren Homes Ltd, Unit 9, Tanner's
Yard, Halloway
Agent: Orme & Vale Chartered Architects, 3 Cooper's Row, Halloway
Site address: The Old Tannery, Mill Lane, Lower Halloway

The Council grants permission for the conversion of the Old Tannery to
six dwellings, subject to the conditions below, and for the demolition
of the lean-to store on the eastern side of the yard, which is of no
architectural interest and was added to the building in the last few
decades of its working life as a store for hides and bark from the mill.
""",
    "wreck.md": """# The loss of the Kittiwake

In 1902 the Kittiwake was under the command of Captain Jonas Arkell. Nine were lost,
including Captain Arkell and the chief engineer, Robert Feeny.
""",
    "hotel.html": """<html><body><p>Dear Ms Varga, thank you for choosing the Hotel Nyír on
the shore of Lake Ormsvatn.</p><p>Check-in is from 15:00.</p></body></html>
""",
    "log.md": """# The log of the Tern

The Tern is a small steamer, and her master tells me she will make eleven knots in fair
weather.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("rates"), DOCUMENTS)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # pence, with the unit of the rate
    ("What will I pay per cubic metre of water after the May change?", "158.90p per cubic metre"),
    # "by how much": the change the next sentence states, not the new level
    ("By how much is my yearly water bill expected to go up?", "£19"),
    # the hours beside the day asked for
    ("What time are the phone lines open on Saturdays?", "10am to 2pm"),
    # a date the wrap cut in two ("before 20" / "April 2025, ...")
    ("By what date do I need to move to the Steady plan?", "20 April 2025"),
    # "What's": "what is"
    ("What's the fee for leaving the Steady plan early?", "£25"),
    # a yield is a quantity, with its rate
    ("What was the average winter barley yield at Hollin Farm?", "6.8 tonnes per hectare"),
    # the table's row the question names, under "Area (ha)"
    ("How many hectares of field peas were grown?", "45"),
    # "now": not the figure of 2020
    ("How many e-scooters are for hire in the town now?", "910"),
    # the count of the noun asked for, the parse joining "Thirty-six" to "schools"
    ("How many schools took part in the reading trial?", "Thirty-six"),
    # a speed written out
    ("What speed can the Tern make?", "eleven knots"),
    # a wrapped block of fields keeps a line each; "who applied": the "Applicant:" field
    ("Who applied for permission to convert the Old Tannery?", "Ms Petra Lindgren"),
    # the person written with the post asked for, not another one in the sentence
    ("Who was the captain of the Kittiwake when she was lost?", "Jonas Arkell"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.slow
def test_intentions_answer_when_a_thing_is_supposed_to_happen(index):
    reading = ask(index, "When is the e-scooter scheme supposed to start?")
    chosen = reading.answer or reading.rejected
    assert chosen is not None and chosen.text == "1 September 2025"


@pytest.mark.slow
def test_a_run_in_heading_is_no_answer(index):
    reading = ask(index, "Which crop did worst this season?")
    for given in (reading.answer, reading.rejected):
        assert given is None or given.sentence not in ("Winter barley.", "Linseed.")


@pytest.mark.slow
def test_a_form_of_address_is_no_person(index):
    given = given_text(index, "Who is the Minister for Transport?")
    assert given == "Orla Fenwick"


@pytest.mark.slow
def test_the_pronoun_i_names_no_organization(index):
    # a debate writes "I" where the letter does not: "I" must not confine the answer to it
    reading = ask(index, "How much will I pay to leave the Steady plan early?")
    assert reading.answer is not None and reading.answer.text == "£25"


def test_pence_rates_and_written_out_measures():
    text = ("The rate rises from 24.86p to 27.03p per kWh; 720p or 1080p; p = 0.08. Wheat "
            "averaged 7.4 tonnes per hectare, protein 12.6 per cent. She makes nine knots "
            "and is on call one week in six.")
    found = {text[s.start:s.end]: (s.unit, s.value) for s in amounts(text)}
    assert found["24.86p"] == ("GBP", pytest.approx(0.2486))
    assert found["27.03p per kWh"] == ("GBP", pytest.approx(0.2703))
    assert not any("1080" in t or "720" in t for t in found)
    assert found["7.4 tonnes per hectare"] == ("mass", 7.4)
    assert found["12.6 per cent"] == ("%", 12.6)
    assert found["nine knots"] == ("speed", 9.0)
    assert found["one week in six"][0] == "frequency"


@pytest.mark.parametrize(("question", "kind", "money"), [
    ("What's the deadline for applying for the post?", Kind.DATE, False),
    ("Roughly what did the bridge end up costing?", Kind.AMOUNT, True),
    ("How much is the penalty for leaving early?", Kind.AMOUNT, True),
    ("What night limit does she propose instead of 90?", Kind.AMOUNT, False),
    ("What was the average wheat yield this year?", Kind.AMOUNT, False),
])
def test_question_kinds(question, kind, money):
    wanted = analyse(question)
    assert wanted.kind is kind
    # money only: no measure's dimension preferred with it
    assert ("GBP" in wanted.prefer and "length" not in wanted.prefer) is money


@pytest.mark.parametrize(("question", "counted"), [
    ("How many vertebrate species did the zoo hold?", "species"),
    ("How many bus routes are there?", "routes"),
    ("How many glass bottles were sold?", "bottles"),
    ("How many schools took part?", "schools"),
    ("How many people live there?", "people"),
])
def test_what_how_many_counts(question, counted):
    assert analyse(question).counted == counted


def test_posts_asked_by_a_verb_or_a_rank():
    assert role_words("Who chairs the Roads Committee?") == ("chair",)
    assert role_words("Who chaired the meeting?") == ("chair",)
    # "chief executive" is stated as "CEO" too
    assert role_words("Who is the chief executive of the Partnership?") == (
        "ceo|chief\\ executive",)
    assert role_words("Who uses the roads?") == ()
    assert role_words("Who criticised the ministers?") == ()  # the object is no post asked


def test_an_intention_is_the_future():
    assert FUTURE.search("When is the law supposed to come into force?")
    assert FUTURE.search("We intend the scheme to start on 1 September.")
    assert not FUTURE.search("The scheme was intended for families.")


def test_forms_of_address_and_the_pronoun_i_are_no_names():
    assert KnownNames.of([("I", "ORG")]).forms == {}
    text = "Thank you, Madam Presiding Officer. I call Deputy Orla Fenwick."
    found = [text[s.start:s.end] for s in names(text, KnownNames.of([]))]
    assert "Madam Presiding Officer" not in found and "Presiding Officer" not in found
    assert "Orla Fenwick" in found


def test_places_and_titled_surnames():
    found = {s.text: s.kind for s in names(
        "The Hotel Nyír on Lake Ormsvatn, 4 Fenwick Street, where Mrs Pellow met Dr Holt of "
        "General Motors at the Premier Inn.", KnownNames.of([]))}
    assert found["Lake Ormsvatn"] is Kind.ORG and found["Fenwick Street"] is Kind.ORG
    assert found["Pellow"] is Kind.PERSON and found["Holt"] is Kind.PERSON
    # only a form of address makes one word a person: not "General", nor "Premier"
    assert found.get("Motors") is not Kind.PERSON and found.get("Inn") is not Kind.PERSON


def test_how_much_is_a_thing_asks_a_price():
    assert "GBP" in analyse("How much is an annual pass?").prefer
    assert "%" not in analyse("How much is an annual pass?").prefer  # money, not anything
    assert "%" in analyse("How much does a blue whale eat a day?").prefer  # no price asked
    assert analyse("How much does a litre of milk weigh?").prefer == {"mass"}


def test_a_block_of_fields_keeps_its_lines():
    # wrapped at 74: the next field's line would fit on the one before, and is not joined
    lines = clean_text(DOCUMENTS["notice.txt"]).split("\n")
    assert "Agent: Orme & Vale Chartered Architects, 3 Cooper's Row, Halloway" in lines
    assert "Site address: The Old Tannery, Mill Lane, Lower Halloway" in lines


def test_the_person_written_with_the_post():
    text = "Nine were lost, including Captain Arkell and the chief engineer, Robert Feeny."
    people = names(text, KnownNames.of([]))
    assert [(s.text, _holds(text, s, "captain")) for s in people] == [
        ("Arkell", True), ("Robert Feeny", False)]
    assert [_holds(text, s, "engine") for s in people] == [False, True]
    # a sentence's end, another name's post, a possessive: none is this person's post
    for text, name in (("They met the captain. Robert Feeny spoke.", "Robert Feeny"),
                       ("Robert Feeny, and the captain, spoke.", "Robert Feeny"),
                       ("Mary Arkell, the captain's widow, spoke.", "Mary Arkell")):
        span = next(s for s in names(text, KnownNames.of([])) if s.text == name)
        assert not _holds(text, span, "captain")


def test_the_post_asked_for_is_not_a_post_the_question_names():
    assert asked_post("Who was the captain of the ship when she sank?") == "captain"
    assert asked_post("Who chairs the panel?") == "chair"
    assert asked_post("Who did the mayor appoint as treasurer?") == ""
    # the CEO is named, not asked for: the one asked for is who replaced them
    assert asked_post("Who replaced the CEO of Acme?") == r"replac\w*(?:er|or|ant|(?<!m)ent|ist)"


def test_a_field_labelled_by_the_doer():
    text = ("Applicant: Ms P. Lind\nReport date: 3 June\nReceived: 12 May 2025\n"
            "Prepared by: T. Reid\n")
    lines = {line: text.index(line) for line in text.split("\n") if line}
    labelled = {question: [line for line, at in lines.items()
                           if any(is_labelled(text, at, at + len(line), pattern)
                                  for pattern in doer_labels(question))]
                for question in ("Who applied?", "Who reported it?", "Who received it?",
                                 "Who prepared it?")}
    assert doer_stem("Who applied?") == "appl"
    assert labelled == {"Who applied?": ["Applicant: Ms P. Lind"], "Who reported it?": [],
                        "Who received it?": [], "Who prepared it?": ["Prepared by: T. Reid"]}


def test_a_label_inside_wrapped_prose_is_joined():
    text = ("MR SMITH: I told the house that the timetable had slipped again last week,\n"
            "The Minister said: the timetable is fine and will stay as it is for now.\n")
    assert "\n" not in clean_text(text)


def test_a_date_cut_by_a_wrap_is_joined():
    text = ("If you move before 20\n   April 2025, the charges will not apply.\n\n"
            "Room 12\nMay be booked.")
    cleaned = clean_text(text)
    assert "before 20 April 2025, the charges" in cleaned
    assert "Room 12\nMay be booked." in cleaned  # "May" the verb: no date cut


def test_a_decimal_ends_a_sentence():
    text = "It averaged 6.8, below our average of 7.2. The early fields did better."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It averaged 6.8, below our average of 7.2.", "The early fields did better."]
    assert len(split_sentences("3.1. Results of the trial were good.")) == 1


def test_what_the_rules_leave_alone():
    # the review's cases: no pence, rate, frequency or measure where none is written
    assert amounts("Tumours showed a loss of 17p and a 1p/19q codeletion.") == []
    assert [s.text for s in amounts("It costs £500 per the contract.")] == ["£500"]
    text = "She spent six months in 2020 there; she holds two degrees and put one foot down."
    found = {text[s.start:s.end]: s.unit for s in amounts(text)}
    assert "frequency" not in found.values() and "temperature" not in found.values()
    assert "length" not in found.values()
    # a rate is written in its first unit: tonnes, not hectares
    rate = next(s for s in amounts("It averaged 6.8 tonnes per hectare.") if s.unit == "mass")
    assert written_unit(rate) == "tonne"


def test_questions_the_rules_leave_alone():
    assert analyse("What are the limits of the study?").kind is None
    assert "GBP" not in analyse("How many charges were filed against him?").prefer
    assert analyse("How many people this year visited?").counted == "people"
    assert not FUTURE.search("The bridge was meant to open in 2019.")
    assert clean_text("Chapter 3\nMarch 2021 saw the first lockdown.") == (
        "Chapter 3\nMarch 2021 saw the first lockdown.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Linseed. Linseed was the poorest crop.", True),
    ("Capacity 40,000. The stadium opened in 1990.", False),
    ("Winner: Jane Smith. She beat six rivals.", False),
    ("Thank you. I will be brief.", False),
])
def test_run_in_headings(text, expected):
    assert run_in(text, 0, text.index(".") + 1) is expected


def test_a_change_is_stated_by_its_verb_or_noun():
    text = "The plan was supported by 40 members; that is an increase of £19."
    spans = amounts(text)
    assert [stated_as_change(text, 0, s) for s in spans] == [False, True]
