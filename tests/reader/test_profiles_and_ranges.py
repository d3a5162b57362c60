"""The reader on documents written for this test (a lido's notices, a ferry operator's fleet
note, a hospital's waiting times, a concert season, an alumni profile, a volcano bulletin, a
library's notice): "when will it be closed?" asks for the whole of "from ... to ...", and
"Q4 2031" is one date; "aged 18 or over" is the age whole; a quarter written "Quarter 2" is
the "Q2" a question names; a document that never writes the name a question asks about
gives no date of it; a figure "compared with" another is that other place's when the
question names it; a run of capitalized words that holds an organization the corpus names
is no person; a profile's "the foundation awarded her" is about the person its title names;
a byline may give the author's role after a comma; "a team of 14: six ..." counts the
people; and "which shipyard" asks for an organization."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.admit import admit, read_question
from qa.reader.extract import amounts, dates
from qa.reader.names import KnownNames, names
from qa.reader.question import Kind, analyse
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "lido.md": """# Harlow Fields lido: notices

The lido will close from Monday 9 June to Sunday 22 June 2025 for the relining of the main
pool. Swimmers under 10 must be accompanied by an adult aged 18 or over.
""",
    "fleet.md": """# Kessel Line fleet note

The Kessel Aurora was built in 2019 by Brandt Werft & Marine, the yard's third ferry for
the line. Her sister ship, the Kessel Boreal, is scheduled for delivery in Q4 2031.
""",
    "waits.txt": """Ardley and Quayside Hospitals: waiting times, Quarter 2 2025/26

In Quarter 2, 71.4% of patients were seen within four hours. Patients at Ardley General
waited a median of 212 minutes, compared with 174 minutes at Quayside Infirmary.
""",
    "season.html": """<html><head><title>Kellbrook Sinfonia: 2025 season</title></head><body>
<h3>3. Spring Serenade</h3>
<p>Saturday 12 April 2025, 7.30pm · Kell Hall</p>
<p>Conductor: Anja Feldmoor</p>
<p>Tickets: £18–£40</p>
<h3>4. Autumn Gala</h3>
<p>Saturday 8 November 2025, 7.30pm · Kell Hall</p>
<p>Conductor: Ruben Oakhaven</p>
<p>Soloist: Mira Castelnuovo, violin</p>
<p>Tickets: £25–£65</p>
</body></html>
""",
    "profile.md": """---
title: "A life in ice: Helen Marsh-Okoye"
author: Tomas Verhoek
---

# A life in ice

Helen Marsh-Okoye grew up on the coast and studied chemistry at Brenning before turning to
glaciers.

## Recognition

She received the Orwin Medal in 2019 for her work on meltwater chemistry. Since 2023 the
Harrowgate Foundation has given her £2.1 million over five years for DEEPCORE, a study of
the oldest ice of the northern ice cap. The Harrowgate Foundation holds an endowment of £40
million. Marsh-Okoye says the grant pays for the fieldwork.

Profile by Tomas Verhoek, features editor of the Brenning Alumni Review.
""",
    "lab.md": """# The Orrin Lake laboratory

The Orrin Lake Ecology Group she leads has grown to a team of 14: five doctoral students,
four postdoctoral researchers, three technicians, a data scientist and a field assistant.
""",
    "kelvar.txt": """Volcano activity update, 4 March

By Ines Harrow, Duty Volcanologist

Seismicity beneath Mount Kelvar increased in May. The exclusion zone is a 5 km radius around
the crater, and it will be reviewed after the next overflight.
""",
    "library.md": """# Branch library notice

Ashdown branch library is closed for new shelving. A new study room at Ashdown, with 40
desks, will open on 3 March 2025.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("profiles"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("When will the lido be closed?", "Monday 9 June to Sunday 22 June 2025"),
    ("How old must the adult with a young swimmer be?", "18 or over"),
    ("When is the Kessel Boreal due to be delivered?", "Q4 2031"),
    ("Which shipyard built the Kessel Aurora?", "Brandt Werft & Marine"),
    ("What share of patients were seen within four hours in Q2?", "71.4%"),
    ("How long was the median wait at Quayside Infirmary?", "174 minutes"),
    ("How long was the median wait at Ardley General?", "212 minutes"),
    ("Who is the author of the profile of Helen Marsh-Okoye?", "Tomas Verhoek"),
    # a byline with the author's role after a comma is the byline still
    ("Who wrote the volcano activity update?", "Ines Harrow"),
    # the whole that a colon breaks down, unless a part is asked
    ("How many people are in the Orrin Lake group now?", "14"),
    ("How many technicians are in the Orrin Lake group?", "three"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_document_that_never_writes_the_asked_name_gives_no_date_of_it(index):
    # the library's opening date is no date of the volcano's exclusion zone
    source = next(s for s in index.documents if s.endswith("library.md"))
    text = index.documents[source].text
    a = text.index("A new study room")
    b = text.index("2025.", a) + len("2025.")

    def admitted(question):
        reading = read_question(index, question, analyse(question), None, False, strict=False)
        return admit(index, reading, source, a, b, 1, 0.5) is not None

    assert admitted("When will the new study room at Ashdown open?")
    assert not admitted("When will the Mount Kelvar exclusion zone be lifted?")


def test_a_profile_is_about_its_person_where_an_organization_gives_her_a_sum(index):
    # "the foundation has given her ...": about the person the title names
    result = ask(index, "How much money did Marsh-Okoye get for DEEPCORE?")
    assert "£2.1 million" in (result.answer or result.rejected).sentence


def test_an_organization_of_a_profile_is_not_its_person(index):
    # the foundation's own endowment is no sum of the person the profile is about
    assert ask(index, "How big is Marsh-Okoye's endowment?").answer is None


def test_a_quarter_written_in_words_is_the_quarter_asked(index):
    result = ask(index, "What share of patients were seen within four hours in Q2?")
    assert "never mention" not in (result.no_answer_reason or "")


@pytest.mark.parametrize(("text", "expected"), [
    ("delivery in Q2 2030", "Q2 2030"),
    ("figures for Quarter 3 2029/30", "Quarter 3 2029/30"),
])
def test_a_quarter_of_a_year_is_one_date(text, expected):
    assert [s.text for s in dates(text)] == [expected]


@pytest.mark.parametrize(("question", "edge"), [
    ("When will the lido be shut?", "range"),  # the whole time it is shut
    ("When will the lido be closed for repairs?", "range"),
    ("When does the lido shut?", "end"),
    ("When does the lido close?", "end"),
])
def test_a_state_that_lasts_asks_for_the_whole_range(question, edge):
    assert analyse(question).edge == edge


@pytest.mark.parametrize(("text", "expected"), [
    ("an adult aged 18 or over", "18 or over"),
    ("orders of £50 or more ship free", "£50 or more"),
    ("children 12 and under", "12 and under"),
    ("16 or more than 20 people", "16"),  # the bound goes on to a figure of its own
    ("aged 16 or over 18 months", "16"),
    ("up 5% and over the year", "5%"),
])
def test_an_open_bound_is_part_of_the_figure(text, expected):
    assert amounts(text, 0, len(text))[0].text == expected


def test_a_run_holding_a_known_organization_is_no_person():
    known = KnownNames.of([("Brenning Alumni", "ORG")])
    text = "Ilse Marrow is a staff writer for Brenning Alumni Review."
    kinds = {s.text: s.kind for s in names(text, known)}
    assert kinds == {"Ilse Marrow": Kind.PERSON, "Brenning Alumni Review": Kind.ORG}


@pytest.mark.parametrize(("question", "kind"), [
    ("Which shipyard built the ferry?", Kind.ORG),
    ("Which brewery makes it?", Kind.ORG),
    ("Which venue hosts the gala?", Kind.PLACE),
])
def test_nouns_of_places_and_makers(question, kind):
    assert analyse(question).kind is kind
