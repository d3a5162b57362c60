"""The reader on documents written for this test (a water company's tariff notice, a
hospital's clinic re-audit, a sailing club's race schedule, a theatre's get-in sheet, a
library's fines notice): a byline's "Posted by ..., Role — date" is the byline and its date
the day the notice was posted, not when the change it tells of happens; "during which
hours" asks for times, "what reduction" for a figure, "when will it take place" for the
whole of "from April to June"; a bound is part of a duration ("up to 10 working days");
"driven mainly by" gives a cause; "how big" asks for a size whole ("30 ft wide by 20 ft
deep"); a statistic ("the median wait") is a figure; an ordinal says whose a figure is
("(first cycle: 162)", "74 minutes in the first cycle"); of a table's "Current", "New" and
"Change" columns, the one of the question's time; an address after a place's name is part
of where; "which platform" asks for "Platform 4"; "0730-0900" is a time."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.ingest.cleaning import clean_text
from qa.ingest.extractors import _front_matter
from qa.ingest.sources import _infer_metadata
from qa.reader.agree import field_label
from qa.reader.extract import amounts, dates
from qa.reader.names import address_after
from qa.reader.pick import _REPLACED, _ordinal_fit
from qa.reader.question import Kind, analyse, stem
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "rents.md": """# Allotment rents for the 2026 season

Posted by Ewan Talbot, Lettings Officer, Brindle Vale Allotment Trust — 9 July 2025

From **1 October 2025** the trust's plot rents will go up. Water has cost the trust 14%
more since last year, driven largely by the new metered supply and repairs to the troughs.
Tenants who hold a concession card get a 30% discount on any plot.
The site office is staffed Tuesday to Thursday, 10:00 to 15:00.
A request to swap plots is answered within up to five working days.

| Plot | Rent now | Rent from 1 October | Difference |
|---|---|---|---|
| Full plot (250 m²) | £96.00 | £104.00 | +£8.00 |
| Half plot (125 m²) | £52.00 | £57.50 | +£5.50 |

Keys for the new gates are handed out at the Pavilion, 7 Orchard Road, every Saturday
morning. The trust's tool store is on Pitch 3.
""",
    "survey.md": """# Bat survey of the river meadows, year two

## Results

The volunteers logged 88 passes in the second year of the survey (first year: 61), across
eleven transect walks. Each walk now lasts 40 minutes, against 65 minutes in the first year.
The next count will be held from June to August 2026, weather allowing. Detectors must be
charged for at least 48 hours before each walk.
""",
    "hall.txt": """ST ALDHELM'S HALL: NOTES FOR HIRERS

The hall floor is 6 m wide by 9 m long, with a stage 2 m deep at the north end. Hirers may
use two-way radios on UHF channel 12 only, as the other channels serve the school next door.
Parcels for hirers can be picked up from the caretaker: Saturday 09:00-11:00 only.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("notices"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    # the day the notice was posted is no day the change happens
    ("When do the new Brindle Vale rents start?", "1 October 2025"),
    ("During which hours is the site office open?", "Tuesday to Thursday, 10:00 to 15:00"),
    ("What reduction do concession card holders get?", "30%"),
    ("How long can a request to swap plots take?", "up to five working days"),
    ("How long must detectors be charged before a walk?", "at least 48 hours"),
    ("When will the next bat count take place?", "June to August 2026"),
    ("How big is the hall floor?", "6 m wide by 9 m long"),
    ("How many bat passes were logged in the first year?", "61"),
    ("How long did each walk last in the first year?", "65 minutes"),
    ("What will a full plot cost after the change?", "£104.00"),
    ("How much is a half plot now?", "£52.00"),
    ("How much will the half plot rent go up by?", "+£5.50"),
    ("Where are keys for the new gates handed out?", "Pavilion, 7 Orchard Road"),
    ("Which pitch is the tool store on?", "Pitch 3"),
    ("Which radio channel may hirers use?", "channel 12"),
    ("When can parcels be picked up on a Saturday?", "Saturday 09:00-11:00"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize(("text", "fit"), [
    ("203 were included in the re-audit (first cycle: 171).", -1.2),  # the first's own label
    ("203 were included in the re-audit (second cycle: 171).", 0.8),
    ("171 were included in the first cycle.", -1.2),  # the first's, said after it
    ("171 were included in the first hour.", 0.0),  # an ordinal of another noun
])
def test_an_ordinal_label_says_whose_a_figure_is(text, fit):
    spans = [s for s in amounts(text, 0, len(text))]
    terms = {stem(w): 1.0 for w in ("second", "audit", "cycle")}
    assert _ordinal_fit(text, 0, spans[-1], spans, terms) == fit


def test_a_cause_driven_largely_by(index):
    result = ask(index, "Why has water cost the allotment trust more?")
    assert result.answer is not None
    assert "the new metered supply" in result.answer.text


def test_a_notice_posted_by_its_author():
    text = ("# New water tariffs\n\nPosted by Orla Brennick, Head of Billing, Fenmarsh Water "
            "Services — April 14, 2025\n\nStarting June 2, 2025, charges change.\n")
    meta = dict(_infer_metadata(text))
    assert (meta["author"], meta["date"]) == ("Orla Brennick", "2025-04-14")


@pytest.mark.parametrize(("text", "date"), [
    # the labelled day, not the heading's
    ("# Fares from June 2, 2025\n\nPublished: 3 May 2025\n\nFares rise.\n", "2025-05-03"),
    ("# Fares from June 2, 2025\n\nFares rise on June 2, 2025.\n", "2025-06-02"),
])
def test_the_day_a_text_says_it_was_published(text, date):
    assert dict(_infer_metadata(text))["date"] == date


def test_front_matter_names_a_date_published():
    meta, _ = _front_matter("---\ntitle: Fares\npublished: 2025-03-03\n---\nBody\n")
    assert meta == {"title": "Fares", "date": "2025-03-03"}
    meta, _ = _front_matter("---\ndate: 2025-03-01\npublished: 2025-03-03\n---\nBody\n")
    assert meta["date"] == "2025-03-01"  # the field's own name wins


@pytest.mark.parametrize(("question", "kind", "prefer"), [
    ("What was the median wait for a first appointment?", Kind.DATE, {"duration"}),
    ("What is the shortest stay the kennels charge for?", Kind.DATE, {"duration"}),
    ("What was the typical delay on the line?", Kind.DATE, {"duration"}),
    ("What is the longest river in the county?", None, None),  # a name, not how long
])
def test_a_statistic_of_what_lasts_is_how_long(question, kind, prefer):
    wanted = analyse(question)
    assert wanted.kind is kind
    assert prefer is None or wanted.prefer == prefer


@pytest.mark.parametrize(("question", "counted"), [
    ("How many bottles of wine does the band ask for?", "bottles of wine"),
    ("How many reports of units overheating were there?", "reports of units overheating"),
])
def test_what_a_count_counts_stops_at_the_verb(question, counted):
    assert analyse(question).counted == counted


@pytest.mark.parametrize(("question", "when"), [
    ("What will the charge cost after the change?", "new"),
    ("How much is the charge now?", "old"),
    ("How much is the charge?", ""),
])
def test_the_time_a_figure_is_asked_at(question, when):
    assert analyse(question).when == when


@pytest.mark.parametrize(("text", "expected"), [
    ("Registration: 15 March, 0730-0900, clubhouse", ["0730-0900"]),
    ("Briefing at 0915, on the lawn", ["0915"]),
    ("Call 0800 123 456 to book", []),  # a phone number's first digits
])
def test_a_morning_time_written_with_its_zero(text, expected):
    assert [s.text for s in dates(text) if s.unit == "time"] == expected


def test_a_block_of_fields_keeps_its_lines_when_a_label_holds_a_comma():
    prose = ("The club will run the regatta over two days on the northern basin of the lake,\n"
             "with races for dinghies and keelboats of every size that the club can launch.\n")
    block = ("      Briefing: 0915, on the lawn beside the boat ramp at the north end of it\n"
             "      First warning signal, Saturday: 1025\n"
             "      Last possible warning signal, Sunday: 1430\n")
    text = clean_text(prose * 4 + "\n" + block)
    assert "First warning signal, Saturday: 1025\n" in text
    assert "north end of it\nFirst warning" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("Invoice 0042 is due", []),  # a number with its zero is no time alone
    ("Ring 020 7946 0958 today", []),
    ("from 0645 to 0830", ["0645 to 0830"]),
])
def test_times_with_a_zero_only_where_a_time_is_meant(text, expected):
    assert [s.text for s in dates(text) if s.unit == "time"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The fair was spread over two days.", "two days"),  # "over" as a preposition
    ("We talked about three days later.", "three days"),
    ("Repairs take up to five working days.", "up to five working days"),
    ("Allow at least 48 hours.", "at least 48 hours"),
])
def test_a_bound_of_a_duration(text, expected):
    assert [s.text for s in dates(text) if s.unit == "duration"] == [expected]


@pytest.mark.parametrize(("text", "address"), [
    ("the Pavilion, 7 Orchard Road, on Saturdays", "the Pavilion, 7 Orchard Road"),
    ("the Forge, Unit 4, 12 Mill Road, from May", "the Forge, Unit 4, 12 Mill Road"),
    ("the Royal Court, 1998 Royal Court Street", None),  # a year, not a street number
    ("the Pavilion, 7 members came", None),
])
def test_an_address_after_a_place(text, address):
    end = address_after(text, text.index(","))
    assert (text[:end] if end else None) == address


@pytest.mark.parametrize(("question", "edge"), [
    ("When will the next count take place?", "range"),
    ("When was the first fair held?", "range"),
    ("When does the fair open?", "start"),
])
def test_when_a_thing_happens_asks_for_all_of_its_time(question, edge):
    assert analyse(question).edge == edge


def test_lux_is_a_measure():
    assert [(s.text, s.unit) for s in amounts("kept below 50 lux at all times")] == [
        ("50 lux", "illuminance")]


def test_a_field_named_with_from_after_its_noun():
    assert field_label("What is the average claim from the January storm?") == (
        r"average\ claims?")


@pytest.mark.parametrize(("before", "replaced"), [
    ("valid for 120 minutes instead of the present ", True),
    ("up from ", True),
    ("valid for the present ", False),
])
def test_a_figure_set_against_the_sentences_own(before, replaced):
    assert (_REPLACED.search(before) is not None) is replaced


def test_a_numbered_thing_with_the_name_it_is_part_of(tmp_path):
    index = index_of(tmp_path, {"roads.md": "# Getting here\n\nFrom the north, follow "
                                "State Route 12 to the old mill, then turn left.\n"})
    assert given_text(index, "Which route leads to the old mill from the north?") == (
        "State Route 12")


def test_a_list_with_leaders_keeps_a_line_a_row():
    # wrapped at 73: the next row's first word would not have fit on the line before it
    prose = ("The centre runs courses for beginners and improvers through the summer,\n"
             "on weekday evenings and at weekends, with all of the kit in the price.\n")
    rows = ("  Taster session (one hour, any craft) ................ $35.00\n"
            "  Two-day beginners course, kayak or canoe ................ $210.00\n"
            "  Equipment hire, per half day ........................ $18.00 per person\n")
    text = clean_text(prose * 4 + "\n" + rows)
    assert "$210.00\nEquipment hire, per half day" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("a late fee of € 4,50, unless you call", ("€ 4,50", 4.5)),  # cents before a comma
    ("raised ₹12,40,000, a record", ("₹12,40,000", 1240000.0)),  # lakhs before a comma
    ("a grant of €5,000, paid in May", ("€5,000", 5000.0)),  # thousands still
])
def test_a_sum_before_a_clauses_comma(text, expected):
    span = amounts(text)[0]
    assert (span.text, span.value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Rent is collected on the 1st of each month by standing order.", ["the 1st of each month"]),
    ("Invoices go out on the 15th day of every month.", ["the 15th day of every month"]),
    ("The fair opens on the 25th of May.", ["25th of May"]),  # a date of its own
])
def test_a_day_of_every_month(text, expected):
    assert [s.text for s in dates(text)] == expected


def test_which_day_of_the_month(tmp_path):
    index = index_of(tmp_path, {"club.md": "# Membership\n\nThe yearly fee can be paid in "
                                "instalments, which are collected on the 8th of each month.\n"})
    assert given_text(index, "On which day of the month are the instalments collected?") == (
        "the 8th of each month")
