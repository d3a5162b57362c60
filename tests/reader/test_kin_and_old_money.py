"""The reader on documents written for this test (a local historian's paper on an invented
eighteenth-century cooper, a timetable notice, a society's minutes): pounds, shillings and
pence ("£8 15s"), "premium" as a sum, agent nouns that ask for a person ("which
wheelwright"), a surname the entity finder took for a place, a name's start that is no kind
of figure ("Fellgate's"), "which of his sons" answered with every son the sentence names, a
table row the question names by a figure it writes ("the 07:20"), a list whose items carry
asides ("Ann Roe (plot 12), ..."), "Dip." that ends no sentence, and telephone numbers that
are no counts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.ingest.chunking import split_sentences
from qa.reader.admit import _written_row
from qa.reader.extract import amounts
from qa.reader.names import known_names
from qa.reader.owners import kinds_named
from qa.reader.question import analyse
from qa.reader.reader import _run_around
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "cooper.txt": """OBADIAH FELLGATE OF MARSTOW, COOPER (1728-1794)

A paper read to the Marstow Local History Group in March 2024

Early life

Obadiah Fellgate was born in 1728 at Upper Brindle, the son of a carter. In 1742, at the age
of fourteen, he was bound apprentice to Josiah Penk, wheelwright of Hallam, for a term of
seven years. The indenture shows that his father paid a premium of £8 15s, a large sum for a
carter.

Family

In 1756 he married Mercy Dunn at St Aldhelm's church. They had five children, of whom two
sons, Caleb and Amos, followed him into the trade. In his last years most of the work was done
by his son Caleb.

He died in 1794 and was buried at St Aldhelm's.
""",
    "timetable.md": """# Coastline timetable changes from 2 June

| Old departure | New departure | Platform |
| --- | --- | --- |
| 06:40 | 06:35 | 2 |
| 07:20 | 07:14 | 3 |
| 08:05 | 08:10 | 2 |

Saturday trains follow the weekday pattern, except that the 05:50 from Haddon Sands does not
run.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("kin"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("What premium was paid for Fellgate's apprenticeship?", "£8 15s"),
    ("Which of Fellgate's sons became coopers?", "Caleb and Amos"),
    ("What time does the train that used to leave at 07:20 depart now?", "07:14"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


@pytest.mark.parametrize(("text", "sum_", "value"), [
    ("his father paid a premium of £12 10s for it", "£12 10s", 12.5),
    ("sold for £3 4s 6d in 1790", "£3 4s 6d", 3.225),
    ("it cost £1 6d.", "£1 6d", 1.025),
    ("sold for £3 4s. 6d. in 1790", "£3 4s. 6d", 3.225),
    ("rent of £12 10s per annum", "£12 10s per annum", 12.5),  # the rate after it too
    ("£5 19d", "£5", 5.0),  # no 19 pence: twelve make a shilling
    ("£4 15sec later", "£4", 4.0),  # no shillings
])
def test_pounds_shillings_and_pence(text, sum_, value):
    found = [(s.text, s.value) for s in amounts(text) if s.unit == "GBP"]
    assert found == [(sum_, value)]


@pytest.mark.parametrize(("question", "label"), [
    ("Which wheelwright trained him?", "person"),
    ("Which of the blacksmiths shod the horse?", "person"),
    ("Which members sent their apologies?", "person"),
    ("Which geologist mapped the valley?", "person"),
    ("What premium was paid for the lease?", "amount"),
    ("Which wheel broke?", "sentence"),
    ("Which carmaker built it?", "sentence"),  # a company, not a craftsman
    ("Which chairs were replaced?", "sentence"),
])
def test_what_a_which_noun_asks_for(question, label):
    assert analyse(question).label == label


def test_a_persons_surname_alone_is_no_place():
    """The entity finder marked "Fellgate" alone as a place; the corpus names "Obadiah
    Fellgate" as a person, so the word is a name, not a place ("Hallam" stays one)."""
    text = "Obadiah Fellgate was born here. Fellgate worked at Hallam."
    spans = [(0, 16, "PERSON"), (32, 40, "GPE"), (51, 57, "GPE")]
    index = SimpleNamespace(entities={"a.txt": spans}, documents={"a.txt": SimpleNamespace(
        text=text)}, derived={})
    known = known_names(index)
    assert "Hallam" in known.places and "Fellgate" not in known.places
    assert "Fellgate" in known.names()


@pytest.mark.parametrize(("question", "written"), [
    ("What time does the 07:20 leave now?", True),
    ("What time does the 7:20 leave now?", False),
    ("Which platform does it use?", False),
])
def test_a_row_the_question_names_by_a_figure(question, written):
    text = "| Old | New | Platform |\n| --- | --- | --- |\n| 07:20 | 07:14 | 3 |\n"
    assert _written_row(text, text.index("| 07:20"), question) is written


def test_a_lists_items_may_carry_asides():
    text = "Apologies from Ann Roe (plot 12), Ben Lee (plot 3) and Cy Dow (plot 9)."
    items = [(text.index(n), text.index(n) + len(n)) for n in ("Ann Roe", "Ben Lee", "Cy Dow")]
    assert text[slice(*_run_around(text, items, items[1]))] == (
        "Ann Roe (plot 12), Ben Lee (plot 3) and Cy Dow")


def test_a_diploma_ends_no_sentence():
    text = ("Surveyor: Ann Roe\nMIIMS, Dip. Marine Surveying (Small Craft)\nShe signed it. "
            "Prices took a dip. Sales rose.")
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Surveyor: Ann Roe", "MIIMS, Dip. Marine Surveying (Small Craft)", "She signed it.",
        "Prices took a dip.", "Sales rose."]


@pytest.mark.parametrize(("question", "kinds"), [
    ("What premium was paid for Fellgate's apprenticeship?", {"purchase"}),  # no fall
    ("What was the Net Profit of Acme?", {"profit"}),
])
def test_a_names_start_is_no_kind_of_figure(question, kinds):
    assert kinds_named(question) == kinds


@pytest.mark.parametrize(("text", "counts"), [
    ("call Ann on 01632 960 418.", []),  # a telephone number's groups
    ("agent 007 said so", []),
    ("there were 0 cases and 12 deaths", ["0", "12"]),
    ("call 01632 960 418 now", []),  # not "960 418", a spaced count
])
def test_a_number_with_a_leading_zero_is_a_code(text, counts):
    assert [s.text for s in amounts(text) if s.unit == "count"] == counts
