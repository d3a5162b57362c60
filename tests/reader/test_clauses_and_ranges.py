"""The reader on documents written for this test (a guest house's rates, a gallery's season,
a broadband plan, a sports club's page, a nursery's shrub list, a bakery and a rose grower):
of two figures in parallel clauses the one whose own clause says what the question asks, the
first or last date of a range as "when does it open / close" asks, the name that does what
the question asks who did, a post with a rank ("head baker"), data rates and sizes, a
charge, a discount and opening hours asked for as figures, and a date column named without
its "time"."""

from __future__ import annotations

import re

import pytest

from qa.reader.agree import asked_post, role_words
from qa.reader.extract import amounts, dates
from qa.reader.names import KnownNames
from qa.reader.pick import _clause_text, _clauses, _nearness, _ranges
from qa.reader.question import Kind, analyse, named
from qa.reader.scope import lead
from qa.reader.spans import Span
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "rates.md": """# Kittiwake House: rates for 2026

A single room costs NZ$140 on a weeknight and NZ$185 on a Friday or Saturday night.
Breakfast is included in every rate.

Parking in the lane costs PLN 4 per hour; parking in the harbour garage costs PLN 7 per hour.
""",
    "gallery.md": """# The Ropewalk Gallery

The summer exhibition, Salt and Iron, will be open to the public from 2 June 2026 to
30 August 2026. Entry is free for children under 12.

The gallery's bakery is run by head baker Ines Marchetti, who trained in Lyon before
moving to the coast.
""",
    "broadband.txt": """FERNLEAF BROADBAND: PLAN SUMMARY

Plan:              Fernleaf Home 60
Monthly charge:    NZ$49.00
Set-up fee:        NZ$0.00

The plan includes 60 GB of data each month. Once the allowance is used, download speeds
are reduced to 2 Mbps until the next billing date.
""",
    "club.md": """# Harbourside Rowing Club: membership

Members receive a 15% discount on all coaching courses booked through the club.
The clubhouse is open from 07:30 to 21:00 on weekdays and from 08:00 to 14:00 at weekends.
""",
    "shrubs.md": """# Hollins Nursery: flowering shrubs

| Shrub | Origin | Flowering time | Height (m) |
|---|---|---|---|
| Snowdrift | Japan, 1921 | early May | 2.5 |
| Copper Veil | Chile, 1958 | late August | 1.8 |
""",
    "leaflet.txt": """PACKAGE LEAFLET: INFORMATION FOR THE PATIENT

Calverol 5 mg tablets
Calverol 10 mg tablets
calverine

Read all of this leaflet carefully before you start taking this medicine, because it
contains important information for you. Keep this leaflet.

Keep the tablets in the blister, below 25 degrees.
This leaflet was last revised in 03/2025.
""",
    "service.txt": """KOWHAI HEATING: BOILER SERVICE RECORD

Customer:           Mrs J. Rangi, 14 Totara Road
Service engineer:   Ana Kovac
Labour (2 hours):   NZ$180.00
Parts:              NZ$96.40
Total due:          NZ$276.40
""",
    "roastery.md": """# Tallmoss Roastery: wholesale

Tallmoss is a small roastery on the harbour front. We roast on Tuesdays and Thursdays, and
orders placed by noon on a roasting day leave the same afternoon.

Our card game for the café counter, Bean Barons, is for 2–5 players and takes half an hour.
""",
    "policy.txt": """LYNX PET COVER: POLICY SCHEDULE

Policy number:      LX-4471-22
Insured animal:     Pippa (cat)
Period of cover:    01.04.2025 - 31.03.2026
Annual premium:     R  2,310.00
""",
    "invoice.txt": """KAROO WATER LABORATORY: INVOICE KWL-3391

  Nitrate analysis (3 samples)              R  1,230.00
  Full chemical panel (2 samples)           R  3,000.00
  Subtotal                                  R  4,230.00
  VAT at 15%                                R    634.50
  TOTAL DUE                                 R  4,864.50

Payment is due within 30 days of the invoice date.
""",
    "roses.md": """# The roses of Brannock

The Brannock Gold rose was bred in 1972 by a retired schoolteacher, Walter Penhallow, from a
cross of two older garden roses, and is named after the village.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("clauses"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("How much is a single room on a Saturday?", "NZ$185"),
    ("How much does parking in the harbour garage cost?", "PLN 7 per hour"),
    ("When does the Salt and Iron exhibition open?", "2 June 2026"),
    ("When does the Salt and Iron exhibition close?", "30 August 2026"),
    ("Who is the head baker at the Ropewalk Gallery?", "Ines Marchetti"),
    ("Who bred the Brannock Gold rose?", "Walter Penhallow"),
    ("What speed are downloads reduced to once the allowance is used?", "2 Mbps"),
    ("How much data does the Fernleaf plan include each month?", "60 GB"),
    ("What is the monthly charge for the Fernleaf plan?", "NZ$49.00"),
    ("What discount do rowing club members get on coaching courses?", "15%"),
    ("What are the opening hours of the clubhouse on weekdays?", "07:30 to 21:00"),
    ("When does Snowdrift flower?", "early May"),
    ("When was the Calverol leaflet last revised?", "03/2025"),
    ("Until when is the Salt and Iron exhibition open?", "30 August 2026"),
    ("Which days of the week does Tallmoss roast?", "on Tuesdays and Thursdays"),
    ("How many people can play Bean Barons?", "2–5"),
    ("When does Pippa's pet cover end?", "31.03.2026"),
    ("What is the annual premium for Pippa's cover?", "R 2,310.00"),
    ("Which engineer serviced Mrs Rangi's boiler?", "Ana Kovac"),
    ("What is the total amount due for the boiler service?", "NZ$276.40"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize(("question", "kind", "prefer"), [
    ("What discount do members get?", Kind.AMOUNT, "%"),
    ("What is the monthly charge for the plan?", Kind.AMOUNT, "NZD"),
    ("What speed is the connection slowed to?", Kind.AMOUNT, "speed"),
    ("How much data does the plan include?", Kind.AMOUNT, "data"),
    ("What are the visiting hours on the wards?", Kind.DATE, "time"),
    ("What are the hours of the library?", Kind.DATE, "time"),
    ("During what hours can members use the pool?", Kind.DATE, "time"),
    ("What is the total amount due for the visit?", Kind.AMOUNT, "NZD"),
    ("Which engineer commissioned the heat pump?", Kind.PERSON, "person"),
    ("Which coach company provides the transport?", Kind.ORG, "org"),
    ("Which company director resigned?", Kind.PERSON, "person"),
])
def test_questions_asking_for_figures(question, kind, prefer):
    wanted = analyse(question)
    assert wanted.kind is kind and prefer in wanted.prefer


@pytest.mark.parametrize("question", [
    "What was the charge against him?",  # an accusation, not a sum
    "What is the charge of an electron?",
    "How many hours did volunteers give?",  # a count, not a timetable's hours
    "What is the amount of time it took?",
    "What is the charge on a proton?",  # physics, not a price
    "What were the charges in the fraud case?",
    "What is the electric charge carried by a proton?",
    "What are the average working hours in Germany?",  # a number of hours
    "What are the maximum working hours for junior doctors?",
    "What was the peak hours traffic volume on the bridge?",
])
def test_no_figure_of_that_kind(question):
    wanted = analyse(question)
    assert wanted.kind is not Kind.DATE and "NZD" not in wanted.prefer


def test_a_sums_terms_name_no_subject():
    known = KnownNames({("VAT",): "VAT", ("Karoo",): "Karoo"})
    question = "What is the total due to Karoo, including VAT?"
    assert named(question, known) == (frozenset({"Karoo"}), frozenset({"VAT"}))


def test_range_edges_asked():
    assert analyse("When does the exhibition open?").edge == "start"
    assert analyse("When did the works finish?").edge == "end"
    assert analyse("When was the bridge built?").edge == ""
    assert analyse("When does the open-air pool close?").edge == "end"  # not "open-air"
    assert analyse("Until when is the pool open?").edge == "end"
    assert analyse("When did the strike that started in March end?").edge == "end"
    assert analyse("How long is the exhibition open?").edge == ""  # a duration


def test_data_rates_and_sizes_are_measures():
    text = "Speeds drop to 1.5 Mbps after 40 GB; the phone has 256 GB and Team GB won 5 golds."
    found = [(text[s.start:s.end], s.unit) for s in amounts(text)]
    assert ("1.5 Mbps", "speed") in found and ("40 GB", "data") in found
    assert ("256 GB", "data") in found and not any("Team" in f for f, _ in found)
    counts = "There were 4,850 TB cases, and 65 GB athletes won medals."
    assert not any(s.unit == "data" for s in amounts(counts))
    assert analyse("How much storage does the warehouse have?").prefer != {"data"}


def test_ranges_weekdays_and_spaced_symbols():
    text = "For 2–5 players, 8 to 10 people, on Tuesdays, R  4,864.50; won 3-1 in the final."
    found = [(s.text, s.unit) for s in amounts(text)]
    assert ("2–5", "count") in found and ("8 to 10", "count") in found
    assert ("R  4,864.50", "ZAR") in found and not any("3-1" in t for t, _ in found)
    for other in ("The team grew from 8 to 12 volunteers.", "City won 2-1 as Moreno scored.",
                  "Prices in £  2024 rose sharply.", "voted 7-2 this week"):
        assert not any(s.unit in ("count", "GBP") and not s.text.isdigit()
                       for s in amounts(other)), other  # a change, a score, a year
    assert ("on Tuesdays", "relative") in [(d.text, d.unit) for d in dates(text)]


def test_a_month_of_a_year_in_figures():
    text = "Revised in 07/2024; next service 10/2025, on 12/10/2024, 1/2 cup, the 2024/25 season."
    found = [(d.text, d.unit) for d in dates(text)]
    assert ("07/2024", "month") in found and ("10/2025", "month") in found
    assert ("12/10/2024", "date") in found and not any(t in ("1/2", "2024/25") for t, _ in found)


def test_a_block_of_name_lines_under_the_title_is_the_lead():
    lines = lead(DOCUMENTS["leaflet.txt"]).splitlines()
    assert lines[:3] == ["Calverol 5 mg tablets", "Calverol 10 mg tablets", "calverine"]


def test_a_ranked_post_is_a_post():
    assert asked_post("Who is the head baker at the gallery?") == "baker"
    assert asked_post("Who is the senior partner at the firm?") == ""  # a relation, no post
    assert asked_post("Who is the senior figure at the club?") == ""  # no post at all
    assert role_words("Who is the head chef at the inn?") == ()  # "chef" not required


def _span(text: str, part: str) -> Span:
    at = text.index(part)
    return Span(Kind.AMOUNT, at, at + len(part), part, "USD", None)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"\w+", text)]


def test_parallel_clauses():
    text = "The Waterwheel costs $100 on a weekday and $150 on a Saturday."
    spans = [_span(text, "$100"), _span(text, "$150")]
    words = _words(text)
    clauses = _clauses(text, words, spans)
    assert [_clause_text(text, words, c) for c in clauses] == [
        "The Waterwheel costs 100 on a weekday and", "The Waterwheel costs 150 on a Saturday"]
    terms = {"waterwheel": 1.0, "saturday": 1.0}
    first, second = (_nearness(words, s, terms, set(), c)
                     for s, c in zip(spans, clauses, strict=True))
    assert second > first  # "The Waterwheel costs" is as near to each
    apposed = "It must pay damages of $100, being $150 for the propeller."
    spans = [_span(apposed, "$100"), _span(apposed, "$150")]
    assert _clauses(apposed, _words(apposed), spans) is None  # a comma alone: no clauses
    other = "Act Two is about $100 long and is followed by a shorter $150 interval."
    spans = [_span(other, "$100"), _span(other, "$150")]
    assert _clauses(other, _words(other), spans) is None  # the second clause is another's
    verbs = "Drayton Mills sold $100 of blankets and bought $150 of looms."
    spans = [_span(verbs, "$100"), _span(verbs, "$150")]
    assert _clauses(verbs, _words(verbs), spans) is None  # "bought": a clause of its own
    again = "Parking in the lane costs $100; parking in the garage costs $150."
    spans = [_span(again, "$100"), _span(again, "$150")]
    assert _clauses(again, _words(again), spans) is not None  # "parking" again


def test_a_passives_subject_is_required():
    known = KnownNames({("Norvale",): "Norvale", ("Kestrel",): "Kestrel"})
    assert named("When was Norvale excluded from the index?", known)[0] == {"Norvale"}


def test_which_days_of_the_week():
    assert analyse("Which days of the week does it open?").kind is Kind.DATE
    assert analyse("Which days is the resident permit valid?").kind is not Kind.DATE


def test_ranges():
    text = "It is open from $1 to $2, and between $3 and $4; $5 - $6."  # "A - B" alone too
    spans = [_span(text, f"${i}") for i in range(1, 7)]
    assert _ranges(text, spans) == {0: 1, 2: 3, 4: 5}
    timed = "The window closes on 30 June 2025 - 17:00."
    day, clock = (timed.index("30 June 2025"), timed.index("17:00"))
    spans = [Span(Kind.DATE, day, day + 12, "30 June 2025", "date"),
             Span(Kind.DATE, clock, clock + 5, "17:00", "time")]
    assert _ranges(timed, spans) == {}  # a day and its hour, no range
    lone = "It cost $1 and $2 more later."
    spans = [_span(lone, "$1"), _span(lone, "$2")]
    assert _ranges(lone, spans) == {}  # "and" without "between": no range
