"""The reader on documents written for this test (a kettle review's table, a cooper's life, a
nature reserve's byelaw, a bakery's notice, a water board's minutes): a comparison read from
the columns of a table, place names joined by a lowercase particle, the period a range of
dates gives, a table's figure that is its column's name's, a bound written "not less than",
days and a vote's names listed without "and", who voted against, what a bid or a pay rise is
worth, "where does it come from", an HTML author without its roles, and a title below a rule
of "=====" in a plain-text letterhead."""

from __future__ import annotations

import pytest

from qa.ingest.extractors import _author
from qa.ingest.sources import _infer_metadata
from qa.reader.admit import _SCHEDULED
from qa.reader.comparative import comparison
from qa.reader.extract import amounts
from qa.reader.names import _PLACE_CONTEXT
from qa.reader.question import analyse
from tests.conftest import index_of
from tests.reader.test_general import given_text

DOCUMENTS = {
    "kettles.html": """<html><head><title>Three kettles tested</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/reviews">Reviews</a></nav>
<div class="cookie">We use cookies. Accept all?</div>
<article>
<h1>Three kettles tested: Vantor X2, Brisa 5 and Kolm Duo</h1>
<p>We boiled a litre of water a hundred times in each of three new kettles. We left out
the Zefir 3, which is not sold in New Zealand yet.</p>
<table>
<tr><th>Spec</th><th>Vantor X2</th><th>Brisa 5</th><th>Kolm Duo</th></tr>
<tr><td>Price</td><td>NZ$129</td><td>NZ$89</td><td>NZ$149</td></tr>
<tr><td>Capacity</td><td>1.7 litres</td><td>1.5 litres</td><td>1.2 litres</td></tr>
<tr><td>Boil time</td><td>3 minutes</td><td>4 minutes</td><td>2 minutes</td></tr>
</table>
<p>The Vantor X2 is the quietest of the three, and its lid opens with one finger.</p>
<p>The Kolm Duo boils fastest but its handle gets hot.</p>
</article>
</body></html>
""",
    "cooper.md": """---
title: Tomé Arruda, cooper
author: Inês Falcão
---

# Tomé Arruda, cooper

Tomé Arruda was born in 1712 in Ribeira do Salgueiral, a village of thirty households above
the river. He learned the trade from his uncle and made casks for the wine merchants of the
coast for forty years.
""",
    "reserve.md": """# Byelaw of the Hallorsvik nature reserve

1. The shore path is closed to walkers from 1 March to 30 June each year, while the terns nest.
2. A person who enters the closed area shall be liable to a fine of not less than 5 000 NOK and
not more than 20 000 NOK.
3. Dogs must be kept on a lead at all times.
""",
    "bakery.txt": """KORNHAUS BAKERY
Opening hours

Tuesday to Saturday    07:00-18:00
Sunday, Monday         closed

Our rye loaves are baked with flour from the Vellberg mill. The trout in our Friday
sandwiches comes from Lake Orvanne.
""",
    "board.txt": """Minutes of the Dunmere Water Board, 4 March 2025

The board received five bids for relining the Eastfield main, and the lowest was £412,300.
The contract was awarded to Carrow Civil Ltd.
The debate on the pool was opened by Councillor Adeyemi and closed by Councillor Halloway.
The motion to close the Eastfield pool carried 4-2 (Ayes: Adeyemi, Brandt, Silva,
Moreau; Noes: Halloway, Ruiz).
The new agreement with the staff union gives a 4.2% increase to all salary bands from
1 April 2025, and a one-off payment of £350 per employee.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("tables"), DOCUMENTS)


@pytest.mark.parametrize(("question", "expected"), [
    ("Which is cheaper, the Vantor X2 or the Brisa 5?", "Brisa 5"),
    ("Which is more expensive, the Brisa 5 or the Kolm Duo?", "Kolm Duo"),
    ("Where was Tomé Arruda born?", "Ribeira do Salgueiral"),
    ("During what period each year is the shore path closed?", "1 March to 30 June"),
    ("Which days of the week is the Kornhaus bakery closed?", "Sunday, Monday"),
    ("How much was the winning bid for relining the water main?", "£412,300"),
    ("What pay rise does the agreement with the staff union give?", "4.2%"),
    ("Which board members voted against closing the Eastfield pool?", "Halloway, Ruiz"),
    ("Which board members voted for closing the Eastfield pool?",
     "Adeyemi, Brandt, Silva, Moreau"),
])
def test_answers(index, question, expected):
    assert given_text(index, question) == expected


def test_a_comparison_from_a_table_cites_both_columns(index):
    from qa.answer import ask

    result = ask(index, "Which is cheaper, the Vantor X2 or the Brisa 5?")
    assert sorted(c.text for c in result.compared) == ["NZ$129", "NZ$89"]
    assert "| Spec |" in result.answer.sentence or "Spec" in result.answer.sentence


def test_a_tables_column_gives_its_own_names_figure(index):
    assert given_text(index, "What does the Brisa 5 cost?") == "NZ$89"
    from qa.answer import ask

    result = ask(index, "How much does the Zefir 3 cost?")  # in the text, not in the table
    given = result.answer or result.rejected
    assert result.answer is None or given.text not in ("NZ$129", "NZ$89", "NZ$149")


def test_the_lowest_fine_keeps_its_not(index):
    answer = given_text(index, "What is the lowest fine for entering the closed area?")
    assert answer is not None and "5 000 NOK" in answer and not answer.startswith("less")


@pytest.mark.parametrize(("text", "found"), [
    ("a fine of not less than €250 and not more than €1,000",
     ["not less than €250", "not more than €1,000"]),
    ("no more than 40 people and no fewer than 12", ["no more than 40", "no fewer than 12"]),
    ("less than €250", ["less than €250"]),
])
def test_a_bound_keeps_its_negation(text, found):
    assert [a.text for a in amounts(text)] == found


@pytest.mark.parametrize(("text", "place"), [
    ("born in Vale de Cambra, a hamlet", "Vale de Cambra"),
    ("moved to Bergen op Zoom in 1990", "Bergen op Zoom"),
    ("a farm near Castel di Sangro", "Castel di Sangro"),
    ("in Lyon de facto", "Lyon"),
    ("in Paris and London", "Paris"),
    ("It was in Paris van Gogh met Pissarro.", "Paris"),
])
def test_a_place_joined_by_a_particle(text, place):
    m = _PLACE_CONTEXT.search(text)
    assert m is not None and (m.group(1) or m.group(2)) == place


@pytest.mark.parametrize(("question", "label"), [
    ("Where does the trout come from?", "place"),
    ("Where did she come in the final?", "sentence"),
    ("What is the fine for parking on the verge?", "amount"),
    ("What fine does a landlord face?", "amount"),
    ("What penalty did the referee award?", "sentence"),
    ("What is the fine print about?", "sentence"),
    ("What is the fine structure constant?", "sentence"),
    ("What was the fine weather like?", "sentence"),
    ("What is a fine?", "sentence"),
    ("What was the penalty for the foul?", "sentence"),
    ("Where does the name Kornhaus come from?", "sentence"),
    ("How much was the winning bid?", "amount"),
    ("During what period each year is the path closed?", "date"),
    ("What period opened the ocean?", "sentence"),
])
def test_what_a_question_asks_for(question, label):
    assert analyse(question).label == label


@pytest.mark.parametrize(("question", "options", "larger"), [
    ("Which is cheaper, the Brisa 5 or the Brisa 5 Pro?", ("Brisa 5", "Brisa 5 Pro"), False),
    ("Which sold more, Windows 95 or Windows 98 in 1999?", ("Windows 95", "Windows 98"), True),
    ("Is the Brisa 5 or the Vantor X2 cheaper?", ("Brisa 5", "Vantor X2"), False),
    ("Which is pricier, Acme or Brill?", ("Acme", "Brill"), True),
    ("Which is more affordable, the Corner Shop or the Farm Shop?", ("Corner Shop", "Farm Shop"),
     False),
    ("Who spent more, Acme or Bolt 3 years ago?", ("Acme", "Bolt"), True),
])
def test_options_with_a_models_number(question, options, larger):
    asked = comparison(question)
    assert asked is not None and asked.options == options and asked.larger_wins is larger


def test_a_column_is_the_option_it_is_named_for_whole(tmp_path):
    from qa.answer import ask

    index = index_of(tmp_path, {"pens.md": """# Two fountain pens

| Spec | Aria | Aria Max |
|---|---|---|
| Price | NZ$70 | NZ$40 |

The Aria and the Aria Max are sold in New Zealand.
"""})
    result = ask(index, "Which is cheaper, the Aria or the Aria Max?")
    assert result.answer is not None and result.answer.text == "Aria Max"


@pytest.mark.parametrize(("line", "answers"), [
    ("Sunday, Monday closed", True), ("Tue-Sat 9-17", True), ("Sunday Times Rich List", False),
    ("Sun Safety Tips", False),
])
def test_a_timetables_line(line, answers):
    assert (_SCHEDULED.match(line) is not None) is answers


def test_a_bid_asked_how_much_is_money_and_asked_how_many_a_count():
    assert analyse("How much were bids up on last year?").strict is False
    assert "GBP" in analyse("How much was the lowest bid?").prefer
    assert analyse("How many bids did the board receive?").prefer == frozenset({"count"})


def test_each_year_asks_no_year():
    assert "year" not in analyse("During what period each year is the path closed?").prefer \
        or analyse("During what period each year is the path closed?").prefer != {"year"}


@pytest.mark.parametrize(("extracted", "author"), [
    ("Ana Ruiz; Senior Reviewer · Updated 4 May", "Ana Ruiz"),
    ("Ana Ruiz; Tom Lee", "Ana Ruiz; Tom Lee"),
    ("Ana Ruiz | 6 min read", "Ana Ruiz"),
    ("Ana Ruiz | Tom Lee", "Ana Ruiz; Tom Lee"),
    ("Ana Ruiz | Editor-in-Chief", "Ana Ruiz"),
    ("Staff", ""),
])
def test_an_html_author_without_its_roles(extracted, author):
    assert _author(extracted) == author


def test_a_title_below_a_rule_of_equals_signs():
    text = "=" * 60 + "\n        KORNHAUS BAKERY\n" + "=" * 60 + "\n\nDear customers,\n"
    assert dict(_infer_metadata(text))["title"] == "KORNHAUS BAKERY"


@pytest.mark.parametrize(("text", "found"), [
    ("The network welcomed 112 480 visitors in 2024.", [("112 480", 112480.0)]),
    ("| Maritime Museum | 38 511 | 41 207 |", [("38 511", 38511.0), ("41 207", 41207.0)]),
    ("Maritime Museum     38 511     41 207", [("38 511", 38511.0), ("41 207", 41207.0)]),
    ("In 2024 207 visitors came.", [("207", 207.0)]),
    ("It cost ISK 250 000 in all.", [("ISK 250 000", 250000.0)]),
])
def test_thousands_set_apart_by_spaces_in_a_count(text, found):
    assert [(a.text, a.value) for a in amounts(text)] == found


def test_a_measure_is_no_spaced_count():
    assert "2 500" not in [a.text for a in amounts("the 2 500 m race")]


def test_a_sentence_opening_she_is_read_with_the_title():
    from qa.ingest.context import meaning_text

    text = "Ottilie Brandauer was a glass painter.\n\nShe died on 3 May 1901 in Linz."
    a = text.index("She")
    assert meaning_text(text, a, len(text), "Ottilie Brandauer").startswith("Ottilie Brandauer")
    assert meaning_text(text, 0, a - 2, "Ottilie Brandauer") == text[:a - 2]  # no pronoun


def test_a_life_told_with_she_answers_when_she_died(tmp_path):
    from qa.answer import ask

    index = index_of(tmp_path, {"life.md": """---
title: Ottilie Brandauer (1840-1901), glass painter
---

# Ottilie Brandauer (1840-1901), glass painter

Ottilie Brandauer was a glass painter from a village in Bohemia whose windows still light three
churches in Upper Austria.

She trained in Vienna under a painter of altarpieces and opened her own workshop in Linz in
1868. Her windows for the parish church of Pöstlingberg were finished in 1874. She never
married. She died on 3 May 1901 in Linz and was buried beside her workshop's first apprentice.
"""})
    result = ask(index, "When did Ottilie Brandauer die?")
    assert result.answer is not None and result.answer.text == "3 May 1901"
