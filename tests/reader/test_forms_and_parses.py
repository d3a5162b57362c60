"""The reader on documents written for this test (a floor sealant's data sheet, an incident
report, a walking club's notice, a town's history, two grants calls): a data sheet's numbered
fields and a field's value that runs on over lines, the product the title block names, a
field's value as the answer when its label is what the question asks for (and not when the
question asks about something else), the 24-hour clock of reports ("1432 hrs"), a list of
places the entity finder marked, "what kind of gloves", "what do I need to bring" and
"what are the main sights" read from the sentence's parse, and a deadline given under a
heading of deadlines."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.ingest.chunking import is_field
from qa.reader.admit import field_value
from qa.reader.agree import noun_label
from qa.reader.clauses import kind_asked, listed_after, object_list
from qa.reader.extract import dates
from qa.reader.question import question_terms
from qa.reader.scope import lead
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "sealant_sds.txt": """PRODUCT SAFETY SHEET
Brixon K-7 Floor Sealant

Version: 2.0          Revision date: 11/02/2025
Issued under the chemical safety rules as amended.

==============================================================
SECTION 1: Identification
==============================================================

1.1 Product identifier
    Trade name:        Brixon K-7 Floor Sealant
    Product code:      BX-K7-10 (10 L can)

1.2 Details of the supplier
    Supplier:          Harlow Surface Coatings Ltd
                       Unit 4, Millbeck Road
                       Tadcombe TC3 9PL
    Telephone:         +44 (0)1632 960 777

==============================================================
SECTION 7: Handling and storage
==============================================================

    Store below 25 °C. Keep away from copper and brass because the amine hardener
    attacks these metals.

==============================================================
SECTION 8: Exposure controls
==============================================================

    Hand protection: butyl rubber gloves, at least 0.5 mm thick, changed every shift.
    Eye protection: goggles.

==============================================================
SECTION 9: Physical and chemical properties
==============================================================

    Boiling point:       approx. 180 °C
    Flash point:         74 °C (closed cup)
    Relative density:    1.02 at 20 °C

==============================================================
SECTION 14: Transport information
==============================================================

14.1 UN number: UN 2924
14.2 Proper shipping name: FLAMMABLE LIQUID, CORROSIVE, N.O.S.
14.3 Transport hazard class: 3
""",
    "incident.txt": """Incident report: glider tow at Pennock Moor

The tug departed Pennock Moor at 1405 hrs with the glider in tow. The glider released at
2,000 ft and the tug landed back at 1421 hrs. The glider touched down in a field near
Oldgate at 1458 hrs after losing lift over the ridge.
""",
    "walks.md": """# Kestle Valley Walking Club: winter notice

Our winter walks start from the Kestle Arms car park at 9:30. Please remember to bring a
head torch, spare socks and a flask of something hot. Dogs are welcome on a short lead.
""",
    "kesslow.txt": """Kesslow

Kesslow is a market town on the river Tane. The main attractions of Kesslow are the abbey
ruins, the tide mill and the salt marsh nature trail. Its market has been held on Thursdays
since 1280.
""",
    "call.md": """# Orlen Fund: research call 2026

The Orlen Fund supports field research on upland rivers. Questions about the call may be
sent to the fund's office until 20 February 2026.

## Deadlines and timeline

- Letter of intent: 3 March 2026
- Full proposals: 28 April 2026, 14:00 CET
- Decisions: June 2026
""",
    "grants.md": """# Tanefield Trust: small grants 2025

Applicants must be based in Portugal, Spain or the Canary Islands. The Annual General
Meeting of the Trust approves the grants each March.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("forms"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the flash point of Brixon K-7?", "74 °C"),
    ("Which UN number is the sealant shipped under?", "UN 2924"),
    ("Why must Brixon K-7 be kept away from copper?",
     "because the amine hardener attacks these metals"),
    ("What time did the glider touch down in the field near Oldgate?", "1458 hrs"),
    ("In which countries must applicants be based?", "Portugal, Spain or the Canary Islands"),
    # the date under a heading of deadlines, not the one a sentence says "until" of
    ("When is the deadline for full proposals to the Orlen Fund?", "28 April 2026"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_fields_value_answers_when_its_label_is_asked(index):
    result = ask(index, "What is the flash point of Brixon K-7?")
    assert result.answer is not None and result.answer.text == "74 °C"


@pytest.mark.parametrize(("question", "answers"), [
    ("What is the flash point of Brixon K-7?", True),
    ("What is the flash point?", True),
    # the data sheet gives the sealant's flash point, not the one of a thinned mix
    ("What is the flash point of the sealant thinned with water?", False),
    ("What is the boiling point of Brixon K-7?", False),  # another field's label
])
def test_a_field_answers_for_its_label_and_its_documents_subject(index, question, answers):
    source = next(s for s in index.documents if s.endswith("sealant_sds.txt"))
    text = index.documents[source].text
    a = text.index("Flash point:")
    b = text.index("\n", a)
    assert field_value(index, source, a, b, text.index("74", a), question,
                       question_terms(index, question)) is answers


@pytest.mark.parametrize(("question", "expected"), [
    ("What kind of gloves should I wear?", "butyl rubber"),
    ("What do I need to bring on a winter walk?",
     "a head torch, spare socks and a flask of something hot"),
    ("What are the main attractions of Kesslow?",
     "the abbey ruins, the tide mill and the salt marsh nature trail"),
])
def test_the_parse_gives_the_answer(index, question, expected):
    assert given_text(index, question) == expected


def test_the_lead_holds_the_title_blocks_second_line():
    text = DOCUMENTS["sealant_sds.txt"]
    assert "Brixon K-7 Floor Sealant" in lead(text).split("\n")[0]
    assert "PRODUCT SAFETY SHEET" not in lead("Annual report\n\nThe year was a good one for "
                                              "the club, which grew by a third in members.")


@pytest.mark.parametrize(("text", "line", "field"), [
    ("14.1 UN number: UN 2924\n14.2 Proper shipping name: RESIN", "14.1 UN number: UN 2924",
     True),
    ("Supplier: Harlow Ltd\nUnit 4, Millbeck Road\nTadcombe\nTelephone: 01632 960777",
     "Supplier: Harlow Ltd", True),
    ("Supplier: Harlow Ltd\nUnit 4, Millbeck Road\nTadcombe\nTelephone: 01632 960777",
     "Telephone: 01632 960777", True),
    # a lone title with a colon, prose under it, is no field
    ("Report: a hard year\nThe club lost two members over the winter.\n", "Report: a hard year",
     False),
    # too many lines between: not the same form
    ("Supplier: Harlow Ltd\nUnit 4\nMill Road\nTadcombe\nTelephone: 01632 960777",
     "Supplier: Harlow Ltd", False),
    ("3 Large eggs: beaten\n4 Flour: sifted", "3 Large eggs: beaten", False),
])
def test_a_forms_field(text, line, field):
    a = text.index(line)
    assert is_field(text, a, a + len(line)) is field


@pytest.mark.parametrize(("question", "label"), [
    ("What is the flash point of Brixon K-7?", r"flash\ points?"),
    ("Which UN number is the sealant shipped under?", r"un\ numbers?"),
    ("What was the cause of the fire?", "causes?"),
    ("Why did the mill close?", ""),
])
def test_the_label_a_question_asks_for(question, label):
    assert noun_label(question) == label


@pytest.mark.parametrize(("text", "times"), [
    ("The tug landed at 1421 hrs.", ["1421 hrs"]),
    ("It left at 0915Z and landed at 2210 UTC.", ["0915Z", "2210 UTC"]),
    ("In 1421 the town burned.", []),
    ("She has flown 1421 hours in all.", []),
    ("from 1347 hrs to 1432 hrs", ["1347 hrs to 1432 hrs"]),
    ("a limit of 2400 hrs", []),
])
def test_the_24_hour_clock(text, times):
    assert [d.text for d in dates(text) if d.unit == "time"] == times


@pytest.mark.parametrize(("question", "noun"), [
    ("What kind of gloves do I need?", "gloves"), ("Which type of soil suits it?", "soil"),
    ("What kind is it?", ""), ("What gloves do I need?", ""),
])
def test_a_kind_asked(question, noun):
    assert kind_asked(question) == noun


def test_no_list_without_a_parse_or_a_list():
    text = "Please bring a flask."
    assert object_list(text, 0, len(text), None, "What do I bring?", {"bring"}, str) is None
    assert listed_after(text, 0, len(text), None, "What are the sights?") is None
