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
from qa.ingest.extractors import _author
from qa.reader.agree import field_label
from qa.reader.clauses import _balanced, kind_asked, listed_after, object_list
from qa.reader.extract import dates
from qa.reader.fields import field_answer, is_labelled
from qa.reader.question import analyse, question_terms, stem
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
    attacks these metals. Thinned with water (1:10), the sealant may be sprayed.

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
    "hearing.txt": """KESTLE COUNTY SMALL CLAIMS PANEL

Case number:       KC 2026/0311
Claimant:          Aled Pryce
Date of hearing:   4 March 2026
Date of decision:  19 March 2026

The claimant asked for NZ$2,400 for a fence the respondent's contractor damaged in 2025.
""",
    "release.md": """# Lanyard 3.2 release notes

Lanyard is a small job scheduler for teams that run nightly batches on a few servers.

| Item | Detail |
| --- | --- |
| Affected versions | 3.0.0 to 3.1.9 |
| Fixed in | 3.2.0 |

Three changes matter most for upgraders: the new lock file, a stricter cron parser, and the
removal of the legacy web console.
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
    # a date's field labelled with the question's verb
    ("When did the small claims panel hear Aled Pryce's case?", "4 March 2026"),
    ("Which changes matter most for upgraders to Lanyard 3.2?",
     "the new lock file, a stricter cron parser, and the removal of the legacy web console"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_fields_value_answers_when_its_label_is_asked(index):
    result = ask(index, "What is the flash point of Brixon K-7?")
    assert result.answer is not None and result.answer.text == "74 °C"


@pytest.mark.parametrize(("question", "value"), [
    ("What is the flash point of Brixon K-7?", "74 °C"),
    ("What is the flash point?", "74 °C"),
    # the data sheet gives the sealant's flash point, not the one of a thinned mix
    ("What is the flash point of the sealant thinned with water?", None),
    ("What is the boiling point of Brixon K-7?", None),  # another field's label
])
def test_a_field_answers_for_its_label_and_its_documents_subject(index, question, value):
    source = next(s for s in index.documents if s.endswith("sealant_sds.txt"))
    text = index.documents[source].text
    a = text.index("Flash point:")
    found = field_answer(index, source, a, text.index("\n", a), question,
                         question_terms(index, question))
    assert (found and text[found[0]:found[1]]) == value


def test_a_field_under_another_things_heading_does_not_answer(tmp_path):
    """The title names both sealants; the heading over the field names the other one. (The
    learned reader may still give the figure, weakly, as it did before this rule.)"""
    index = index_of(tmp_path, {"sheets.md": """# Brixon K-7 and Brixon K-9 sealants

Both sealants are sold in 10 L cans for floors that take heavy traffic.

## Brixon K-9

Flash point: 90 °C
Boiling point: 210 °C
"""})
    question = "What is the flash point of Brixon K-7?"
    source = next(iter(index.documents))
    text = index.documents[source].text
    a = text.index("Flash point:")
    assert field_answer(index, source, a, text.index("\n", a), question,
                        question_terms(index, question)) is None


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
    # a letterhead's address is not what a letter is about
    assert "Quay Row" not in lead("Acme Ltd\n12 Quay Row\nPenlow PN1 2AB\n\nDear Ms Lind, we "
                                  "write to tell you that the rent will rise in May this year.")


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
    # a byline is no line of a field's value
    ("Chapter 3: The storm\nBy Ann Lee\nDate: 3 May 2025", "Chapter 3: The storm", False),
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
    ("Which of these is cheapest?", ""),
    ("What the company does is unclear?", ""),
    ("What is the answer to the riddle?", ""),
])
def test_the_label_a_question_asks_for(question, label):
    assert field_label(question) == label


@pytest.mark.parametrize(("text", "times"), [
    ("The tug landed at 1421 hrs.", ["1421 hrs"]),
    ("It left at 0915Z and landed at 2210 UTC.", ["0915Z", "2210 UTC"]),
    ("In 1421 the town burned.", []),
    ("She has flown 1421 hours in all.", []),
    # how long, not when: "hrs" gives a time after a word that says when
    ("The engine has run 1200 hrs since its overhaul.", []),
    ("Reported at 0845 HRS.", ["0845 HRS"]),
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


@pytest.mark.parametrize(("text", "question", "expected"), [
    ("The main sights of Penlow are the harbour and the old church, which were built in 1200.",
     "What are the main sights of Penlow?", "the harbour and the old church"),
    ("The results of the season were disappointing, the coach said after the last match.",
     "What were the results of the season?", None),
    ("The sights of Penlow are many: the harbour, the church and the mill.",
     "What are the sights of Penlow?", "the harbour, the church and the mill"),
    ("Please bring a sleeping bag, a torch and slippers (for the hut).",
     "What do I need to bring?", "a sleeping bag, a torch and slippers"),
])
def test_a_list_read_from_the_parse_leaves_asides_out(tmp_path, text, question, expected):
    index = index_of(tmp_path, {"notes.txt": f"Notes\n\n{text}\n"})
    source = next(iter(index.documents))
    doc = index.documents[source].text
    a = doc.index(text[:12])
    found = (listed_after(doc, a, a + len(text), index.parses.get(source), question)
             or object_list(doc, a, a + len(text), index.parses.get(source), question,
                            question_terms(index, question), stem))
    assert (found and doc[found[0]:found[1]]) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("slippers (for the hut", "slippers"),
    ('a torch, socks and a flask"', "a torch, socks and a flask"),
    ("(the mill)", "(the mill)"), ("the mill (1800),", "the mill (1800)"), (" , ", None),
])
def test_a_span_is_balanced_to_what_it_opens_and_closes(text, expected):
    found = _balanced(text, 0, len(text))
    assert (found and text[found[0]:found[1]]) == expected


def test_a_table_row_of_two_cells_is_a_field(index):
    source = next(s for s in index.documents if s.endswith("release.md"))
    text = index.documents[source].text
    a = text.index("| Affected versions")
    question = "Which versions of Lanyard are affected?"
    found = field_answer(index, source, a, text.index("\n", a), question,
                         question_terms(index, question))
    assert found is not None and text[found[0]:found[1]] == "3.0.0 to 3.1.9"


@pytest.mark.parametrize(("extracted", "author"), [
    ("Rhian Mostyn-Hale; Director; Larkfield Hotel Group", "Rhian Mostyn-Hale"),
    ("Jo Lee; Head of Research", "Jo Lee"),
    ("Ana Ruiz | Tom Lee", "Ana Ruiz; Tom Lee"),
    ("Madonna", "Madonna"),  # a lone name is kept when nothing else is
])
def test_a_bylines_author_without_roles_or_organizations(extracted, author):
    assert _author(extracted) == author


def test_a_bold_label_is_a_label():
    text = "**Applicant:** Mr T. Wren\n**Date:** 3 May 2025"
    assert is_labelled(text, 0, text.index("\n"), "applicants?")


def test_no_list_without_a_parse_or_a_list():
    text = "Please bring a flask."
    assert object_list(text, 0, len(text), None, "What do I bring?", {"bring"}, str) is None
    assert listed_after(text, 0, len(text), None, "What are the sights?") is None


@pytest.mark.parametrize(("question", "label"), [
    ("Where is the spring concert taking place?", "place"),
    ("Where does the final take place?", "place"),
    ("Where did she place in the final?", "sentence"),  # a place in a ranking
])
def test_taking_place_asks_for_a_place(question, label):
    assert analyse(question).label == label
