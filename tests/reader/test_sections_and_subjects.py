"""The reader on documents written for this test (a monthly weather summary, an engineer's
life, a school's rules page): a Markdown section is about its heading's name, a sentence
whose subject is another name gives none of the asked name's figures, a "who is the X of"
question needs a sentence that names the post, and questions of time, units and ranges."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.agree import asked_names, other_subject, role_words
from qa.reader.question import Kind, analyse
from qa.reader.scope import asked_years, other_event, other_years
from qa.reader.typed import counts_things
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "weather.txt": """Moorland Weather Service
Monthly summary, March 2025

Storm Ilse crossed the moor on the 11th. Crane Point recorded a gust of 131 km/h at 03:10,
and the pressure there fell to 958.4 hPa. Pellow Reservoir received 64.2 mm of rain in the
24 hours to 09:00, its wettest March day on record.

About 9,000 homes lost power during the storm. Queries about this summary should be sent to
Ruth Halloran, data officer, at the service's office.

STATION DATA, MARCH 2025

Station          Elev.   Rainfall   Rain as   Max gust
                  (m)      (mm)     % normal   (km/h)
---------------  -----  ---------  --------  --------
Crane Point         9       141        122       131
Brackwater         77        98        110        88
Fallow Moss       355       203        164       104
Pellow Reservoir       540       236        171       117
---------------  -----  ---------  --------  --------
Region (mean)       -       170        142         -

The sowing of spring barley was delayed; only between 30 and 45 per cent of the planned area
had been drilled by the end of the month.
""",
    "engineer.md": """# Hedda Lorne (1848-1919)

## Her early work

Lorne trained as a surveyor and joined the Eastern Railway in 1870.

## The Skarn Bridge

The work that made her name was the Skarn Bridge, which carries the line over the Skarn
river near Ovre.

Lorne proposed an iron arch with a span of 140 metres, with the track 52 metres above the
water. Her design was chosen in 1879 over three rival entries.

The bridge was opened on 4 May 1882 by the Minister of Works. It carried trains until 1971,
when a new bridge was built upstream.

## Her own firm

In 1885 she set up a consulting practice in Ovre with two partners.
""",
    "rules.html": """<html><body><nav>Home | Study | Exams</nav>
<h1>Examination rules</h1>
<p>Candidates must be in the room at least 15 minutes before the start. A student who
misses an examination through illness must hand in a medical certificate within five
working days. The Appeals Board of the faculty is chaired by the Vice-Dean, Dr Maren
Oslund. A re-mark costs EUR 60.</p>
<p>Results are published on the faculty's notice board. Students must fill in the course
survey by 14 June.</p>
<footer>Faculty office, Room 12</footer>
</body></html>
""",
    "campaign.txt": """Update for backers

The campaign closed with 2,140 backers. The red lamp, unlocked at CA$80,000, is already
built, and every backer at the Ranger tier will get a carry strap at no cost.
We are moving the shipping window from November to between 3 and 17 February.
""",
    "airports.md": """# Airports

| Airport | Passengers (m) | Rank |
|---|---|---|
| Harwick | 79.2 | 1 |
| Marlow Field | 31.5 | 2 |
""",
    "results.txt": """Quarterly notes

Lumen Systems posted revenue of $4.2 billion in 2023.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("sections"), DOCUMENTS)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # the section "## The Skarn Bridge" is about the bridge, though the sentence says "The
    # bridge" or names none
    ("When was the Skarn Bridge opened?", "4 May 1882"),
    ("How high above the water does the Skarn Bridge carry the track?", "52 metres"),
    # a unit named at the end of a "how" question asks for a measure
    ("How strong was the strongest gust during Storm Ilse, in kilometres per hour?",
     "131 km/h"),
    # a plain-text table's second header line of units; a rule line above the total
    ("How much rain fell at Fallow Moss in March, in millimetres?", "203"),
    # ranges whose first number has no unit
    ("What share of the planned barley area had been drilled by the end of March?",
     "between 30 and 45 per cent"),
    ("When will the lamps now ship?", "between 3 and 17 February"),
    # how soon: a duration, "five working days"
    ("How soon after missing an exam through illness must a certificate be handed in?",
     "five working days"),
    # a deadline is a day
    ("What is the deadline for filling in the course survey?", "14 June"),
    # the review's cases: "(m)" is millions as often as metres; a possessive name of four
    # letters
    ("How many passengers used Harwick?", "79.2"),
    ("What was Lumen's revenue in 2023?", "$4.2 billion"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.slow
def test_a_figure_of_the_asked_name_not_of_the_sentences_subject(index):
    # the day's rain figure is another station's (its sentence's subject); the table's row for
    # the station asked about gives its rainfall, under "(mm)", not its gust under "(km/h)"
    assert given_text(index, "How much rain fell at Crane Point in the 24 hours to 09:00?") == "141"


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    # a post no sentence names: not the chair of another body, nor a data officer
    "Who is the head of the Examinations Office?",
    "Who is the chief meteorologist of the Moorland Weather Service?",
])
def test_refusals(index, question):
    assert ask(index, question).answer is None


@pytest.mark.slow
def test_how_many_people_is_never_a_sum(index):
    given = ask(index, "How many backers pledged at the Ranger tier?")
    assert "CA$" not in (given.answer.text if given.answer else "")


def test_question_kinds():
    assert analyse("How late can a candidate arrive?").kind is Kind.DATE
    assert analyse("What is the deadline for the form?").kind is Kind.DATE
    assert analyse("How high above the river is the deck?").prefer == {"length"}
    assert analyse("How strong was the gust, in kilometres per hour?").prefer == {"speed"}
    assert analyse("How much rain fell at the airport?").prefer == {"length"}
    # "pressure" that is no measure leaves a sum asked for
    assert "USD" in analyse("By how much did it cut its holdings in response to pressure?").prefer


@pytest.mark.parametrize(("question", "kind", "strict"), [
    ("How much faster is the new chip?", Kind.AMOUNT, False),  # "40% faster" answers too
    ("How much hail damage did the storm cause?", Kind.AMOUNT, False),  # no rain measured
    ("How high was his blood pressure?", Kind.AMOUNT, False),
    ("What does the contract say about how late payments are handled?", None, False),
    ("What is the deadline penalty?", None, False),
])
def test_cues_that_do_not_apply(question, kind, strict):
    wanted = analyse(question)
    assert (wanted.kind, wanted.strict) == (kind, strict)
    assert "length" not in wanted.prefer or len(wanted.prefer) > 3


def test_a_counted_sum_is_money():
    assert not counts_things("million dollars")
    assert not counts_things("billions of dollars")
    assert counts_things("backers")


def test_the_post_asked_for():
    assert role_words("Who is the head keeper of the aviary?") == ("head", "keep")
    assert role_words("Who is the chief engineer of the project?") == ("engine",)
    assert role_words("Who was the father of the bride?") == ()
    assert role_words("Who was the winner of the race?") == ("w(?:inn|on)",)
    assert role_words("Who is the CEO of Acme?") != ()
    assert role_words("Who is the author of the book?") == ()
    assert role_words("Who won the race?") == ()


def test_names_asked_are_keyed_by_their_first_letters():
    assert asked_names("How many Victorians live in Crane Point in March during Storm Ilse?") == {
        "victo", "crane", "point"}


def test_a_year_compared_with_is_not_the_years_figure():
    assert asked_years("When was inequality lower than it had been in 1986?") == frozenset()
    assert asked_years("How much did the zoo spend on feed in 2022?") == {"2022"}
    # the sentence's own year is 2023; 2022 is only what it is compared with
    assert other_years("Feed cost €1.1 million in 2023, 9% more than in 2022.",
                       frozenset({"2022"}))


def test_other_subject_without_a_parse_is_false():
    assert not other_subject(None, "Pellow Reservoir received 64.2 mm.", 0, 29,
                             frozenset({"crane"}))


def test_a_first_record_is_the_start_of_a_body_not_its_end():
    text = "The Dyers' Guild, first recorded in 1290, ran the cloth trade."
    assert other_event(text, 0, len(text), "ending")
