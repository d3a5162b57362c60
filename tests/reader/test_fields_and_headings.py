"""The reader on documents written for this test (a canal trust's notice to boaters, a
choir's treasurer's reports for two years, a garden trust's officers, a launch and a car for
sale, a boatyard's invoice, a float, a house's condition survey): a heading in capitals is no
organization, a form's field named by the noun the question asks which of or by the agent
of its last word, the person in apposition to the agent of the question's verb, a year that
names a thing done later, levels and readings as figures, concentrations, a metre before
"on the" or "radius", a rate per gross tonne, a figure above a reference level, options of a
comparison written as compounds."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.backends.analyzers import porter2
from qa.reader.agree import asked_post, doer_labels, noun_label
from qa.reader.clauses import CAUSE
from qa.reader.compare import _found
from qa.reader.extract import amounts
from qa.reader.fields import is_labelled
from qa.reader.names import KnownNames, _lower_stems, _shouted_heading
from qa.reader.question import Kind, analyse
from qa.reader.scope import dated_after, naming_years
from qa.reader.spans import Span
from qa.reader.typed import Asked, _holds, typed_spans
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "notice.txt": """HOLLOWAY CANAL TRUST
NOTICE TO BOATERS No. 12 of 2025

Date of issue:   20 February 2025
Waterway:        Holloway Canal, Fenwick Flight

1. WORKS

1.1 Boaters are advised that Lock 4 of the Fenwick Flight will be closed
    for the replacement of its top gates from 0700 hrs on 03 March 2025
    until 1700 hrs on 04
    April 2025, working on weekdays only.

1.2 Boats waiting above the flight may moor at the visitor moorings by
    the Old Wharf for up to 48 hours free of charge, and should contact
    the lock keeper before setting off.

3. MOORING FEES

    Overnight mooring (per boat) ................ £12
    Weekly mooring (per boat) ................... £60

4. CONTACTS

Lock Keeper:     Cdr. Imogen Varley (retd)
Contractor:      Brackwater Civil Engineering Pvt. Ltd.
Tug:             "Marigold Bess", a steel work boat of 1938
Duty phone:      0300 555 0142 (24 hours)

Issued by the Holloway Canal Trust, Navigation Office, Fenwick.
""",
    "choir.md": """---
title: "Larkspur Community Choir: Treasurer's Report for 2023"
author: Owen Tregear, treasurer
date: 2024-03-02
---

# Larkspur Community Choir: Treasurer's Report for 2023

The choir ended 2023 with a surplus of £1,240, thanks to two sold-out concerts. During the
year 38 members gave 1,150 hours of their time to the choir's outreach work.

## Independent examination

The accounts were examined by our honorary examiner, Ruth Okafor of Penhale Accountancy,
on 14 February 2024, and she raised no matters of concern.

The annual general meeting was held in the Chapel Room, Penhale, on 2 March 2024.
""",
    "survey.md": """# Condition survey: 7 Orchard Row, Ashby Dene

Surveyor: Nadia Lindqvist MRICS. Inspected on 9 April 2025.

## Defects

The most serious defect is the damp in the cellar, which will cost £8,400 to treat, ahead of
the roof leak at £5,900.

The highest moisture reading in the kitchen wall was 24% at 1 m above the floor, compared
with 11% in the hall.

A three-month radon test found an average of 180 Bq/m³, which is above the 100 Bq/m³
reference level.

In the storm of January 2024 the water in the stream behind the garden rose 2.3 m on the
gauge at the footbridge.
""",
    "choir2024.md": """---
title: "Larkspur Community Choir: Treasurer's Report for 2024"
author: Owen Tregear, treasurer
date: 2025-03-01
---

# Larkspur Community Choir: Treasurer's Report for 2024

The choir ended 2024 with a deficit of £310, after the hall's rent rose.

## Independent examination

The accounts were examined by our new examiner, Samuel Hale, on 10 February 2025.
""",
    "trust.txt": """MERROW GARDENS TRUST
Officers for 2025

Chair:        Mary Bellingham
Trustee:      John Okonkwo
Treasurer:    Priya Sethi

The trust looks after the walled garden at Merrow and opens it on summer Sundays.
""",
    "boat.md": """# For sale: "Kittiwake", a 1968 wooden launch

Kittiwake is a 24 ft clinker-built launch, restored in 2019 and kept at Ashby Dene.

- Engine: Lister diesel, 18 hp, rebuilt 2019
- Hull: larch on oak, varnished
- Asking price: £14,500
""",
    "car.md": """# Used car listing: 2016 hatchback

A one-owner hatchback with a full service history.

- Engine: 1.2 litre petrol
- Colour: silver
- Asking price: £6,200
""",
    "float.md": """# Tarnwick Mills floats

Tarnwick Mills shares closed at 412p on their first day, above the 380p offer price.
""",
    "invoice.txt": """Fenwick Marine Services
Invoice 2291 for the launch Kittiwake

Labour:              300.00
Parts:               120.00
Subtotal excl. VAT:  420.00
VAT @ 20%:            84.00
Total due:           504.00
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("fields"), DOCUMENTS)


def answered(index, question: str) -> str | None:
    """The answer's text; None when qa declines."""
    answer = ask(index, question).answer
    return None if answer is None else answer.text


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # "4. CONTACTS" (a word the notice writes in lower case too) is no organization the field
    # line would be about instead of the Trust
    ("Who is the lock keeper of the Holloway Canal Trust?", "Imogen Varley"),
    ("Which company has the repair contract?", "Brackwater Civil Engineering"),
    ("What is the name of the tug?", "Marigold Bess"),
    ("Who examined the choir's 2023 accounts?", "Ruth Okafor"),
    ("What radon level did the test find?", "180 Bq/m³"),  # not the reference level
    ("How much is a weekly mooring on the canal?", "£60"),  # a leader's dots end no sentence
    ("How many hours did the choir's members give to outreach?", "1,150 hours"),
    ("What was the Tarnwick Mills offer price?", "380p"),  # the threshold the question names
    ("How high did the stream rise on the gauge?", "2.3 m"),
    ("Which will cost more to fix, the damp in the cellar or the leak in the roof?",
     "damp in the cellar"),
])
def test_answers(index, question, expected):
    assert expected in (answered(index, question) or "")


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected", "not_expected"), [
    # the post the question names, not a "Trustee:" field for its last word
    ("Who is the chair of the Merrow Gardens Trust?", "Mary Bellingham", "John Okonkwo"),
    # the field of the document the question is about, not another listing's
    ("What engine does the launch Kittiwake have?", "Lister diesel", "petrol"),
    # the other year's report examined later is not the 2023 accounts'
    ("Who examined the choir's 2023 accounts?", "Ruth Okafor", "Samuel Hale"),
    ("What is the VAT rate on invoice 2291?", "20%", "84.00"),
])
def test_the_field_or_year_asked_for_not_another(index, question, expected, not_expected):
    given = given_text(index, question) or ""
    assert expected in given and not_expected not in given


@pytest.mark.parametrize(("question", "expected"), [
    ("How much VAT was charged?", ["84.00"]),  # the field's value, not its label's rate
    ("What is the VAT rate?", ["20%"]),  # the label's: only it is a rate
])
def test_a_field_figure_is_its_value(question, expected):
    text = "Labour: 300.00\nVAT @ 20%: 84.00\n"
    a = text.index("VAT")
    spans = typed_spans(text, a, len(text) - 1, Asked.of(question, analyse(question),
                                                          KnownNames.of([])))
    assert [s.text for s in spans] == expected


def test_a_heading_in_capitals_is_no_organization():
    text = ("7. CONTACTS\nVELMORE PORT TRUST\nSee www.nasa.gov or press@fifa.com; contact us.\n"
            "NASA\nFIFA\nGENERAL MOTORS lent the money.\n")

    def heading(words: str) -> bool:
        at = text.index(words)
        return _shouted_heading(text, at, at + len(words))

    assert heading("CONTACTS") and heading("VELMORE PORT TRUST") and heading("NASA")
    assert not heading("GENERAL MOTORS")  # a name inside a sentence, not a heading
    lower = _lower_stems([text])
    assert porter2("contacts") in lower  # "contact us"
    assert not {"nasa", "fifa", "gov"} & lower  # an address is no word in lower case


def test_fields_named_by_the_question():
    text = ("Contractor: Brackwater Ltd\nDredger: TSHD Sea Lark\nTechnician: Sipho Dube\n"
            "Lead technician: Ana Roe\nTrustee: John Okonkwo\nManagement: Arden Partners\n"
            "Manager: Ida Roe\n")
    lines = {line: text.index(line) for line in text.split("\n") if line}

    def fields(patterns: tuple[str, ...]) -> list[str]:
        return [line for line, at in lines.items()
                if any(is_labelled(text, at, at + len(line), p) for p in patterns)]

    assert fields(doer_labels("Which company has the dredging contract?")) == [
        "Contractor: Brackwater Ltd"]
    assert fields((noun_label("What is the name of the dredger?"),)) == ["Dredger: TSHD Sea Lark"]
    assert fields((noun_label("Which technician worked on the car?"),)) == [
        "Technician: Sipho Dube", "Lead technician: Ana Roe"]
    assert fields(doer_labels("Who managed the fund?")) == ["Manager: Ida Roe"]
    assert doer_labels("Who is the chair of the trust?") == ()  # it names the post it asks
    assert fields((noun_label("Who is the lead technician for the workshop?"),)) == [
        "Lead technician: Ana Roe"]
    # the post as the question names it: not "Vice president:" for "the president"
    assert noun_label("Who is the president of the society?") == "presidents?"
    assert noun_label("Who were the founders of the firm?") == "founders?"
    assert fields(doer_labels("Who applied?")) == []
    assert noun_label("How much is it?") == ""


def test_the_agent_of_the_verb_is_a_post():
    post = asked_post("Who examined the club's accounts?")
    assert post == r"examin\w*(?:er|or|ant|(?<!m)ent|ist)"
    text = "The accounts were examined by our examiner, Tomasz Lind of Lind & Co."
    person = Span(Kind.ORG, text.index("Tomasz"), text.index(" of Lind"), "Tomasz Lind")
    firm = Span(Kind.ORG, text.index("Lind &"), len(text) - 1, "Lind & Co")
    assert _holds(text, person, post) and not _holds(text, firm, post)
    # the verb's object is no holder of the post, nor a firm "under new management"
    assert not _holds("Dr Lund examined Mrs Ida Berg.", Span(Kind.PERSON, 21, 29, "Ida Berg"),
                      post)
    managed = "The fund is under new management, Arden Capital Partners."
    assert not _holds(managed, Span(Kind.ORG, 35, 57, "Arden Capital Partners"),
                      asked_post("Who managed the fund?"))
    assert asked_post("Who chaired the meeting?") == "chair"  # a post word still wins
    assert asked_post("Who replaced the CEO of Acme?") == r"replac\w*(?:er|or|ant|(?<!m)ent|ist)"


def test_a_full_name_taken_for_an_organization_holds_the_post():
    question = "Who examined the accounts?"
    text = "The accounts were examined by our examiner, Tomasz Lind, and by Lind & Co."
    known = KnownNames.of([("Tomasz Lind", "ORG"), ("Lind & Co", "ORG")])
    spans = typed_spans(text, 0, len(text), Asked.of(question, analyse(question), known))
    assert [(s.text, s.kind) for s in spans] == [("Tomasz Lind", Kind.PERSON)]


def test_a_count_of_hours_is_a_duration_in_hours():
    question = "How many hours did volunteers give?"
    text = "In 2023, 146 volunteers gave 21,300 hours over 52 weeks."
    spans = typed_spans(text, 0, len(text), Asked.of(question, analyse(question),
                                                     KnownNames.of([])))
    assert [s.text for s in spans] == ["21,300 hours"]
    question = "How many volunteers were there?"  # not a unit of time: the counts as before
    spans = typed_spans(text, 0, len(text), Asked.of(question, analyse(question),
                                                     KnownNames.of([])))
    assert "146" in [s.text for s in spans]
    # not a date ("22,000 years ago", "three years earlier"), an age, nor "a day"
    text = ("Ice melted 22,000 years ago, three years earlier than the flood, after 30 years "
            "of cold; a day's pay. She died at 87 years old.")
    question = "How many years did the cold last?"
    spans = typed_spans(text, 0, len(text), Asked.of(question, analyse(question),
                                                     KnownNames.of([])))
    assert [s.text for s in spans] == ["30 years"]
    question = "How many years old was she when she died?"
    spans = typed_spans(text, 0, len(text), Asked.of(question, analyse(question),
                                                     KnownNames.of([])))
    assert "30 years" not in [s.text for s in spans]


def test_a_year_that_names_a_thing():
    assert naming_years("Who examined the club's 2024 accounts?") == {"2024"}
    assert naming_years("Who won the 2019 election?") == {"2019"}
    assert naming_years("How many passengers in 2022?") == frozenset()
    years = frozenset({"2024"})
    assert dated_after("The accounts were examined on 28 January 2025.", years)
    assert not dated_after("The race was won by Ada Roe in 2025.", years)  # a year, no date
    assert not dated_after("Ada Roe won the 2023 race on 4 May 2023.", years)
    assert not dated_after("Ada Roe won the race.", years)  # no date of its own


def test_levels_readings_causes_and_concentrations():
    assert analyse("What radon level did the test find?").kind is Kind.AMOUNT
    assert analyse("What was the highest damp reading in the cellar?").kind is Kind.AMOUNT
    assert analyse("What is the meter reading?").kind is Kind.AMOUNT
    assert analyse("What skill level did she reach?").kind is not Kind.AMOUNT
    minimum = analyse("What is the minimum length for a trout you keep?")
    assert minimum.kind is Kind.AMOUNT and minimum.prefer == {"length"}
    assert analyse("What is the maximum length of stay for visitors?").prefer != {"length"}
    assert analyse("What was the first reading at the wedding?").kind is not Kind.AMOUNT
    for question in ("What caused the fire?", "What is thought to be causing the crack?",
                     "What was the main cause of the delay?"):
        assert "reason" in analyse(question).prefer, question
    assert "reason" not in analyse("What did the storm cause?").prefer
    assert CAUSE.search("The crack was the result of shrinkage of the clay.")
    assert not CAUSE.search("The result of the vote was a narrow win for the Greens.")
    found = [(s.text, s.unit) for s in amounts(
        "an average of 210 Bq/m³, nitrate at 12 mg/l, 40 ppm of CO2, and a 1.5 mg/ml dose")]
    assert found == [("210 Bq/m³", "concentration"), ("12 mg/l", "concentration"),
                     ("40 ppm", "concentration"), ("1.5 mg/ml", "mass")]


@pytest.mark.parametrize(("text", "first"), [
    ("the river reached 4.6 m on the town gauge", ("4.6 m", "length")),
    ("a zone of 500 m radius around the dredger", ("500 m", "length")),
    ("a span of 30 m across.", ("30 m", "length")),
    ("a surcharge of INR 2.40 per gross tonne is levied", ("INR 2.40 per gross tonne", "INR")),
    # a million, not metres
    ("spending rose by 3 m on the year", ("3", "count")),
    ("Acme raised 5 m across the two funds", ("5", "count")),
    ("profits of 20 m in the year", ("20", "count")),
])
def test_metres_after_a_space_and_rates_per_gross_tonne(text, first):
    span = amounts(text)[0]
    assert (span.text, span.unit) == first


def test_options_written_as_compounds():
    text = "After the roof, the cellar damp is dearest, ahead of the extension crack."
    at = text.index("extension crack")
    assert _found(text, "crack in the extension", 0, len(text)) == (at, at + 15)
    assert _found(text, "cellar damp", 0, len(text)) == (text.index("cellar damp"),
                                                        text.index(" is dearest"))
    assert _found(text, "leak in the roof", 0, len(text)) == (-1, -1)
