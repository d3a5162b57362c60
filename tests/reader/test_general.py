"""The reader on documents written for this test, about names, places and currencies the
seeds never mention: right answers, right refusals, no figure given to the wrong name."""

from __future__ import annotations

import pytest

from qa.answer import ask
from qa.reader.admit import named_here
from qa.reader.candidates import candidates
from qa.reader.extract import dates
from qa.reader.names import KnownNames, known_names
from qa.reader.scope import asked_years, dated_before, lead, title_names, unknown_names
from tests.conftest import index_of


def given_text(index, question: str) -> str | None:
    """The answer's text, or the closest candidate's when qa declines; None without either."""
    result = ask(index, question)
    given = result.answer or result.rejected
    return None if given is None else given.text

DOCUMENTS = {
    "chips.md": """# Chip plants

Samsung Electronics will spend $230 billion on new chip plants in South Korea over 20 years,
its chairman Lee Jae-yong said in March 2024. The plants will make memory chips.
""",
    "industry.md": """# Swiss factories

Siemens plans to invest CHF 2 billion in Swiss factories by 2027, chief executive Roland
Busch said on Tuesday.
""",
    "mining.md": """# Copper

BHP raised A$5 billion for its copper mines in Western Australia in 2023.
""",
    "energy.md": """# Green energy

Reliance Industries will invest ₹75,000 crore in green energy, its chairman Mukesh Ambani
said.
""",
    "history.md": """# A port town

The Norman conquest of England began in 1066, when William of Normandy won the Battle of
Hastings. In the 17th century the port grew into a busy trading town.

The harbour closed in 1850 because the river mouth silted up.
""",
    "fund.md": """# A clean-energy fund

The fund's original investors were BlackRock, Allianz and Temasek, the statement said.
""",
    "budget.md": """# Kessingen approves its budget

The town council of Kessingen in Germany approved the budget for 2025 on Wednesday.

Mayor Annelie Vossberg called the vote a decision for the next generation. The town will
borrow €7.5 million next year.

The neighbouring town of Brackwede, near Hamburg, will borrow €2 million for its harbour.
""",
    "colonies.md": """# Seabird colonies

The survey counted the burrows of every colony in 2023: Inishcarra held 860 burrows and
Ilhéu Vermelho held 315. Inishcarra had held 410 burrows before its rats were removed.
""",
    "hospitals.md": """# Two hospitals

Kessingham General is the larger of the two. Opened in 1968, it has 412 beds and a busy
maternity unit. St Aldhelm's is older and smaller. It began as a cottage hospital in 1894 and
today has 268 beds.

The stroke unit is moving from Kessingham General to St Aldhelm's, where a new 24-bed ward
opened in March.
""",
    "council.txt": """Harbour council elects a new chair
By Petra Lindqvist
March 3, 2025

The harbour council met on Monday to elect its chair. Markus Terhalle of the Free Voters
leads the opposition on the harbour council, and he called the vote a mistake.
""",
    "bosch.md": """# Bosch

Bosch will spend $3 billion on chip plants in Germany by 2026, the company said.
""",
    "dam.md": """# A dam in the hills

The Orlen Valley dam was finished in 1931 after six years of work. Its wall is 84 metres
high and 410 metres long.

The engineer who designed it, Tomasz Wierzbicki, died in 1958 at the age of eighty-two.
""",
    "ferry.md": """# Haldsvik

It cost 40 million kroner to build the new ferry terminal at Haldsvik.
""",
    "water.md": """# Water for four towns

On 1 July 2024 the Brenner Valley Water Board took over the supply of four towns.

## Who runs it

The new board is led by Ilse Kranebitter, an engineer who ran a waterworks for a decade.
""",
    "lighthouse.md": """# The lighthouse museum

In 2019 the lighthouse museum at Kerrow Point welcomed 41,200 visitors. In 2021, after a
year of repairs, it counted 52,800.
""",
    "choir.md": """# Annual letter: Société Chorale de Vallorbe

The Société Chorale de Vallorbe sang eleven concerts this year, four of them in Lausanne.
The committee of the Société Chorale de Vallorbe thanks every member who sold tickets.

The choir was founded in 1952 by Henriette Mauron, a teacher from Orbe who gathered twelve
singers in her kitchen. Today it has 64 members.
""",
    "regatta.md": """# The lake regatta

The regatta on Lake Orsen was first sailed in 1954 by nine dinghies from the village club.
This summer 140 boats took part. The next regatta will take place from 4 to 9 August 2026.
""",
    "pool.md": """# Strand pool to be restored

Kessby, 3 March 2025 — The town council has agreed to restore the Strand pool.

The Strand open-air pool first opened on 1 June 1931 and closed in 2019.
""",
    "sculls.txt": """Autumn head race

The autumn head race on the fjord ended on Sunday after six hours of racing.
Ayanda Mokoena of South Africa won the single sculls in 19 minutes 40 seconds.
""",
    "passes.md": """# Two passes

The road climbs to the Col du Vautre at 1,980 metres. Further east, the Pointe de la Sarre
stands at 2,315 metres.
""",
    "ferries.md": """# Ferry results

Fjordline Ferries said its revenue rose 12 per cent to NOK 82 million in 2023, up from
NOK 73.2 million in 2022.
""",
    "spawn.md": """# Pond survey

Volunteers at Marsh End counted 1,380 clumps of frog spawn this spring, compared with 1,910
in 2021, a decline of 27.7%.
""",
    "review.md": """# Annual review 2024

By Ana Ruiz
Published: 2025-01-10

Harbourlight Relief is a registered charity based in Portmere. It runs food banks in three
coastal towns and a winter shelter.

## A record year for giving

Thanks to our supporters, donations reached A$3.2 million in 2024, up from A$2.9 million in
2023.
""",
    "bowls.md": """# Bowls club notes

Annual subscriptions will rise from £60 to £75 next season, the committee agreed. The
clubhouse is open on Saturdays.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("general"), DOCUMENTS)


def answered(index, question: str):
    """`ask`'s result for a question the documents answer; fails with the refusal's reason."""
    result = ask(index, question)
    assert result.answer is not None, result.no_answer_reason
    return result


@pytest.mark.slow
def test_the_organizations_are_the_ones_these_documents_name(index):
    names = known_names(index).names()
    assert {"Samsung Electronics", "Siemens", "BHP", "Reliance Industries"} <= names
    assert not {"Meta", "Google", "OpenAI"} & names  # nothing carried over from other corpora


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("How much will Samsung Electronics spend on chip plants?", "$230 billion"),
    ("When did the Norman conquest of England begin?", "1066"),
    ("Who is the chairman of Reliance Industries?", "Mukesh Ambani"),
    # The capital of a word before "how" is sentence case, not a name the sources lack.
    ("Roughly how much will Samsung Electronics spend on chip plants?", "$230 billion"),
])
def test_right_answers(index, question, expected):
    result = answered(index, question)
    assert expected in result.answer.text


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "How much will Toyota spend on chip plants?",  # another name's figure would be wrong
    "How much did Intel invest in Swiss factories?",
    "Roughly how much will Toyota spend on chip plants?",
])
def test_a_name_the_sources_never_mention_is_refused_with_the_name(index, question):
    result = ask(index, question)
    assert result.answer is None
    name = "Toyota" if "Toyota" in question else "Intel"
    assert f"never mention {name}" in result.no_answer_reason


@pytest.mark.slow
@pytest.mark.parametrize(("question", "unknown"), [
    ("I'm new here: how much will Siemens invest, and can't Toyota?", ["Toyota"]),
    ("How much have I’ve got to pay Intel, I’d ask?", ["Intel"]),
    ("My Siemens plan says 2027. Our Toyota one?", ["Toyota"]),
])
def test_pronouns_and_their_contractions_are_no_names(index, question, unknown):
    assert unknown_names(index, question) == unknown


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("How much does Siemens plan to invest in Swiss factories?", "CHF 2 billion"),
    ("How much did BHP raise for its copper mines?", "A$5 billion"),
    ("How much will Reliance Industries invest in green energy?", "₹75,000 crore"),
])
def test_amounts_in_other_currencies_are_read_whole_with_their_currency(index, question,
                                                                        expected):
    result = answered(index, question)
    assert result.answer.text == expected
    assert result.answer.unit == {"C": "CHF", "A": "AUD", "₹": "INR"}[expected[0]]


@pytest.mark.slow
def test_no_figure_is_given_to_the_wrong_name(index):
    result = ask(index, "How much will Siemens spend on chip plants?")
    assert result.answer is None or "$230 billion" not in result.answer.text


@pytest.mark.slow
def test_a_list_question_gets_every_item(index):
    result = answered(index, "Who were the original investors in the fund?")
    assert result.answer.text == "BlackRock, Allianz and Temasek"


@pytest.mark.slow
def test_a_why_question_gets_the_cause_inside_its_sentence(index):
    result = answered(index, "Why did the harbour close?")
    assert result.answer.text == "because the river mouth silted up"
    assert result.answer.sentence.startswith("The harbour closed in 1850")


@pytest.mark.slow
def test_a_comparison_gives_both_figures_each_cited_and_the_larger_first(index):
    result = answered(index, "Who spends more on chip plants, Samsung Electronics or Bosch?")
    assert [a.text for a in result.compared] == ["$230 billion", "$3 billion"]
    assert [a.source.rsplit("/", 1)[-1] for a in result.compared] == ["chips.md", "bosch.md"]
    # "Who spends more, A or B?" asks which of the two: A, where its figure's sentence writes it
    assert result.answer.text == "Samsung Electronics" and result.answer.kind == "option"
    assert result.answer.sentence == result.compared[0].sentence
    fewer = ask(index, "Who spends less on chip plants, Samsung Electronics or Bosch?")
    assert fewer.answer is not None and fewer.answer.text == "Bosch"


@pytest.mark.slow
def test_an_answer_says_how_sure_it_is(index):
    result = ask(index, "How much will Samsung Electronics spend on chip plants?")
    assert result.sureness in ("strong", "weak")
    assert result.to_json()["sureness"] == result.sureness


@pytest.mark.slow
def test_a_yes_no_question_gets_the_sentence_that_settles_it(index):
    result = answered(index, "Did the harbour close because the river mouth silted up?")
    assert result.answer.text == result.answer.sentence  # the whole sentence, not a phrase
    assert result.answer.text.startswith("The harbour closed in 1850")


@pytest.mark.slow
def test_a_superlative_compares_every_source_that_gives_the_figure(index):
    result = answered(index, "Which company will spend the most on chip plants?")
    assert result.answer.text == "$230 billion"
    assert [a.text for a in result.compared] == ["$230 billion", "$3 billion"]  # each cited
    assert [a.source.rsplit("/", 1)[-1] for a in result.compared] == ["chips.md", "bosch.md"]
    least = ask(index, "Who spends the least on chip plants?")
    assert least.answer is not None and least.answer.text == "$3 billion"
    # One source gives the figure: nothing to compare, the question is read as it stands.
    assert ask(index, "Which fund raised the most?").compared == ()


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("Who is the mayor of Kessingen?", "Annelie Vossberg"),
    ("How much will Kessingen borrow next year?", "€7.5 million"),
])
def test_a_sentence_is_about_the_name_its_document_is_titled_with(index, question, expected):
    # "The mayor ..." does not repeat the town's name; the document's title says it.
    result = answered(index, question)
    assert result.answer.text == expected


@pytest.mark.slow
def test_a_sentence_naming_another_place_is_not_read_as_about_the_title(index):
    result = ask(index, "How much will Kessingen borrow for its harbour?")
    assert result.answer is None or result.answer.text != "€2 million"


@pytest.mark.slow
def test_a_comparison_within_one_sentence_gives_each_option_its_own_figure(index):
    result = answered(index, "Which colony is larger, Inishcarra or Ilhéu Vermelho?")
    assert [a.text for a in result.compared] == ["860", "315"]
    assert result.answer.text == "Inishcarra"


@pytest.mark.slow
def test_a_sentence_writing_both_options_but_one_figure_is_no_comparison_of_them(index):
    # "from A to B, where a new 24-bed ward opened": B's 24 is no count of B's beds.
    result = answered(index, "Which hospital has more beds, Kessingham General or St Aldhelm's?")
    assert [a.text for a in result.compared] == ["412", "268"]
    # Its figure's sentence says "it": the option is quoted from the sentence before, with it.
    assert result.answer.text == "Kessingham General"
    assert result.answer.sentence.endswith(result.compared[0].sentence)


@pytest.mark.slow
def test_a_byline_answers_who_wrote_the_document_and_nothing_else(index):
    question = "Who chaired the harbour council's meeting?"  # the text never says
    vector = index.embedder.encode([question])[0]
    _, _, cands, _ = candidates(index, question, None, vector)
    sentences = [index.documents[c.source].text[c.start:c.end] for c in cands]
    assert any("Markus Terhalle" in s for s in sentences)
    assert "By Petra Lindqvist" not in sentences  # the byline is no sentence about the council
    wrote = ask(index, "Who wrote the article about the harbour council?")
    assert wrote.answer is not None and wrote.answer.text == "Petra Lindqvist"


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("How long is the wall of the Orlen Valley dam?", "410 metres"),  # a length, not a time
    ("How high is the wall of the Orlen Valley dam?", "84 metres"),
    ("How long did the work on the Orlen Valley dam take?", "six years"),
    # "when" later in the question does not make it a date question: an age, not 1958
    ("How old was Tomasz Wierzbicki when he died?", "eighty-two"),
])
def test_a_measure_is_the_one_the_question_asks_for(index, question, expected):
    result = answered(index, question)
    assert result.answer.text == expected


@pytest.mark.slow
def test_a_cost_is_not_answered_with_a_measure_or_another_documents_price(index):
    # The dam's document gives lengths, the ferry's a price: neither is the dam's cost.
    result = ask(index, "How much did it cost to build the Orlen Valley dam?")
    assert result.answer is None, result.answer.text
    assert ask(index, "How much did it cost to build the ferry terminal at Haldsvik?"
               ).answer.text == "40 million kroner"


@pytest.mark.slow
def test_a_sentence_referring_back_by_the_names_last_word_is_about_it(index):
    # "The new board is led by ..." under a heading, a paragraph after the board's name.
    result = answered(index, "Who leads the Brenner Valley Water Board?")
    assert result.answer.text == "Ilse Kranebitter"


@pytest.mark.slow
def test_a_comparison_of_names_with_lower_case_particles(index):
    result = answered(index, "Which is higher, the Col du Vautre or the Pointe de la Sarre?")
    assert [a.text for a in result.compared] == ["1,980 metres", "2,315 metres"]
    assert result.answer.text == "Pointe de la Sarre"


@pytest.mark.slow
@pytest.mark.parametrize(("year", "expected"), [("2019", "41,200"), ("2021", "52,800"),
                                                ("2020", None)])
def test_a_figure_of_another_year_does_not_answer(index, year, expected):
    # The museum was shut in 2020: neither year's figure is that year's.
    result = ask(index, f"How many visitors did the lighthouse museum at Kerrow Point have "
                        f"in {year}?")
    assert (result.answer and result.answer.text) == expected


@pytest.mark.parametrize(("question", "years"), [
    ("How many passengers did the trains carry in 2022?", {"2022"}),
    ("Who ruled the town in 1066?", {"1066"}),
    ("What share of the hives died over the 2022–23 winter?", {"2022"}),
    ("What did the harbour cost in March 2021?", {"2021"}),
    # A year that bounds the answer is not its year.
    ("Who led the club after 1990?", set()),
    ("Who invented the pump around 1800?", set()),
    ("How many boats were built between 1850 and 1870?", set()),
    ("How many engines of 1700 horsepower were built?", set()),  # a count, no year
])
def test_the_years_a_question_asks_about(question, years):
    assert asked_years(question) == years


@pytest.mark.slow
def test_the_answer_sentence_need_not_repeat_the_name(index):
    # It says "The choir", names another place (Orbe) and shares few of the question's words.
    question = "Who founded the Société Chorale de Vallorbe?"
    result = answered(index, question)
    assert result.answer.text == "Henriette Mauron"


@pytest.mark.slow
def test_when_will_is_answered_by_what_will_happen_not_by_a_past_date(index):
    result = ask(index, "When will the next regatta on Lake Orsen be sailed?")
    best = result.answer or result.rejected
    assert best is not None and "2026" in best.text
    assert result.answer is None or "1954" not in result.answer.text


@pytest.mark.slow
def test_when_will_is_not_answered_by_dates_before_the_document_was_written(index):
    # Written on 3 March 2025: 1931 and 2019 are past, and no sentence says when.
    result = ask(index, "When will the Strand open-air pool open?")
    assert result.answer is None or not {"1931", "2019"} & set(result.answer.text.split())


def test_dates_before_the_day_a_document_was_written():
    def before(text, written):
        return dated_before(text, dates(text), written)
    assert before("It opened on 1 June 1931 and closed in 2019.", "2025-03-03")
    assert before("It closed in 2019.", "2025")  # a year alone: its first day
    assert not before("It closed on 3 March 2025.", "2025-03-03")  # the day itself
    # ... unless it is written as the day the text was: a dateline or a field
    assert before("Kessby, 3 March 2025 — The council met.", "2025-03-03")
    assert before("Published: 2025-03-03", "2025-03-03")
    assert not before("It opened in 1931 and reopens in May 2026.", "2025-03-03")
    assert not before("It opened in 1931.", None)  # undated: nothing is known to be past
    assert not before("It reopens next spring.", "2025-03-03")  # no year



def test_a_title_in_capitals_names_its_town():
    known = KnownNames.of([("Keldby", "GPE"), ("NHS", "ORG")])
    assert title_names("HARBOUR ROWING CLUB OF KELDBY -- BULLETIN No. 12", known) == {"Keldby"}
    assert title_names("NHS trusts merge", known) == {"NHS"}


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # "who": the person, not the country nearer the verb
    ("Who won the single sculls at the autumn head race?", "Ayanda Mokoena"),
    # a fee is a sum of money, and the new one is the figure it rises to
    ("What will the annual subscription be next season?", "£75"),
])
def test_the_span_of_the_kind_asked_for(index, question, expected):
    assert answered(index, question).answer.text == expected


def test_a_surname_marked_as_an_organization_is_none_inside_a_persons_name():
    known = KnownNames.of([("Varga", "ORG"), ("Calder Vale", "ORG")])
    text = "When Elena Varga took charge, Calder Vale was 17th. Varga Holdings paid."
    person = (text.index("Elena"), text.index(" took"))
    assert named_here(text, known, 0, len(text), [person]) == {"Calder Vale", "Varga"}
    first = text.index(".") + 1
    assert named_here(text, known, 0, first, [person]) == {"Calder Vale"}
    # a name the finder marked a person where it stands is still the organization it names
    varga = (text.index("Varga"), text.index("Varga") + 5)
    assert named_here(text, known, 0, first, [varga]) == {"Calder Vale", "Varga"}


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("What was the revenue of Fjordline Ferries in 2023?", "NOK 82 million"),
    ("What were Fjordline Ferries' sales?", "NOK 82 million"),
    ("What was the revenue of Fjordline Ferries in 2022?", "NOK 73.2 million"),
    ("By how much did the revenue of Fjordline Ferries rise?", "12 per cent"),
    # the question's own baseline year asks for the change, not the baseline's figure
    ("By how much did frog spawn numbers at Marsh End drop compared with the 2021 survey?",
     "27.7%"),
])
def test_the_figure_a_sentence_compares_with_answers_only_for_its_own_year(index, question,
                                                                            expected):
    # "rose 12% to X, up from Y in 2022": X is the revenue, not a rise; Y is last year's, the
    # answer only when 2022 is asked.
    # (The span is what is tested, given or, when not sure enough, shown as the closest.)
    result = ask(index, question)
    assert (result.answer or result.rejected).text == expected


def test_the_lead_is_the_first_paragraph_of_prose():
    text = ("# Annual review\n\nBy Ana Ruiz\nPublished: 2025-01-10\n\n## Who we are\n\n"
            "Harbourlight Relief is a registered charity based in Portmere, with 40 staff "
            "and a shop.\n\nMore.")
    assert lead(text).startswith("Harbourlight Relief is")
    assert lead("Short.\n\nAlso short.") == ""


@pytest.mark.slow
def test_a_sentence_is_about_the_name_its_documents_lead_writes(index):
    # An annual review names its charity in its first paragraph, not in every sentence
    result = answered(index, "How much did Harbourlight Relief receive in donations in 2024?")
    assert result.answer.text == "A$3.2 million"


# Documents of other shapes: a form's fields, a report titled in capitals, a biography whose
# Markdown title runs long.
SHAPES = {
    "licence.txt": """KESTON VALE BOROUGH COUNCIL
Licensing Section

NOTICE OF DECISION: PREMISES LICENCE

Application reference: LIC/2024/0417
Date of decision: 3 October 2024

Applicant: Marrow & Finch Hospitality Ltd
Premises: The Old Granary, Wharf Street, Keston

The Licensing Sub-Committee granted the licence subject to the conditions below. Music may
be played indoors until 23:00 on Fridays and Saturdays.
""",
    "harriers.txt": """ASHVALE HARRIERS RUNNING CLUB
Annual report 2024

Membership grew to 212 runners this year, the most since the club was founded. A new
two-year sponsorship with the Harlow Building Society is worth £1,500 a year. The club bought a
new gazebo for race days.
""",
    # a Markdown title longer than a heading line may be
    "crane.md": "# Edith Marlowe Crane (1841–1919): the keeper's daughter who charted the "
                """Wren's tides

Edith Marlowe Crane was born on 2 March 1841 at Gullhaven, the eldest of three children of
a lighthouse keeper. She kept the light's tide book from the age of twelve.

In 1879 she finished her tables of the estuary's tides, and on 9 June she presented them to
the Harbour Board, which printed them the next spring.
""",
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("shapes"), SHAPES)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # a form's field line is an answer, not a heading to pass over
    ("On what date was the licence decision made?", "3 October 2024"),
    # the one firm a sentence of the club's own report names is the answer, not another
    # subject (the title, in capitals, names the club)
    ("Which firm sponsors Ashvale Harriers?", "Harlow Building Society"),
    # dates of the 19th century, and a day whose year the paragraph gives
    ("When was Edith Crane born?", "2 March 1841"),
    ("On what date did Edith Crane present her tables to the Harbour Board?", "9 June"),
])
def test_answers_from_forms_capital_titles_and_old_dates(shapes, question, expected):
    result = ask(shapes, question)
    assert (result.answer or result.rejected).text == expected


@pytest.mark.slow
def test_a_long_markdown_title_is_never_the_answer(shapes):
    result = ask(shapes, "Whose daughter charted the Wren's tides?")
    best = result.answer or result.rejected
    assert best is not None and not best.sentence.startswith("#")


# Documents of an eleventh users' set's kinds (written for this test, not that set's): a
# judgment in rand, minutes with councillors' titles, release notes, a trial, an inventory.
ELEVENTH = {
    "ruling.txt": """Ruling on the silo collapse

The Eastern Cape High Court on 4 June 2024 ordered Mbeki Grain Storage (Pty) Ltd to pay """
                  """Karoo Seed Traders R 3.1 million in damages, plus interest, for maize that """
                  """rotted after a silo roof gave way. Karoo Seed Traders had claimed R 5.4 """
                  """million.
""",
    "minutes.md": """# Ashcombe Parish Council: minutes of the September meeting

Present: Cllr. Mara Quenby (Chair), Cllr. Idris ap Gwilym and Cllr. Tomos Pryce.

Residents raised complaints about litter near the playground, potholes on Orchard Road, and
noisy deliveries before dawn. The next meeting will be held on Thursday 12th October 2023 in
the Reading Room.

Cllr. Quenby proposed buying a new noticeboard. It was carried by two votes to one, with Cllr.
Pryce voting against.
""",
    "release.md": """# Ledgerline 3.0 release notes

The sync engine was rebuilt by Dr. Pieter van der Linde, who joined the team in 2022. He also
wrote the new merge algorithm, which keeps both edits when two people change one row.

## Removed

- The `ledger dump` command has been removed. Use `ledger export --all` instead.
""",
    "painter.md": """# Ines Valdora

Ines Valdora was born in Trieste in 1871, the daughter of a ship's chandler. She trained in
Vienna and exhibited in Munich from 1898.

She died in Lisbon on the 2nd of March 1939, and her studio passed to her nephew.
""",
    "trial.txt": """Trial results

The LUMEN-3 study enrolled 286 patients at 19 clinics in Chile and Peru. Participants took a
20 mg capsule twice daily for eight weeks.
""",
}


@pytest.fixture(scope="module")
def eleventh(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("eleventh"), ELEVENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # the rand, and the party ordered to pay behind a one-word aside in its name
    ("How much must Mbeki Grain Storage pay Karoo Seed Traders?", "R 3.1 million"),
    # "He also wrote it": the person the sentence before names
    ("Who wrote the new merge algorithm?", "Pieter van der Linde"),
    # a day with its weekday and an ordinal
    ("When is the next parish council meeting?", "Thursday 12th October 2023"),
    # how often: a frequency; how many people: the count of patients, not of clinics
    ("How often did participants take the capsule?", "twice daily"),
    ("How many people took part in the LUMEN-3 study?", "286"),
    # one name after a title's abbreviation is a person's; places listed are given together
    ("Which councillor voted against the noticeboard?", "Pryce"),
    ("In which countries were the LUMEN-3 clinics?", "Chile and Peru"),
    # what a technical text writes as code, not the code the question names
    ("Which command replaces ledger dump?", "ledger export --all"),
    # one end of a life is not the other's answer
    ("When did Ines Valdora die?", "2nd of March 1939"),
    ("Where did Ines Valdora die?", "Lisbon"),
    ("Where was Ines Valdora born?", "Trieste"),
    # a list of things of no entity type, whole
    ("What complaints did residents raise?", "litter near the playground, potholes on Orchard "
     "Road, and noisy deliveries before dawn"),
])
def test_answers_to_an_eleventh_sets_kinds_of_question(eleventh, question, expected):
    result = ask(eleventh, question)
    assert (result.answer or result.rejected).text == expected


# Documents of a twelfth users' set's kinds (written for this test, not that set's): a core log
# with a table, an email thread with a quoted reply, a course page with a list of fields and a
# table, an interview that writes its figures out.
TWELFTH = {
    "cores.md": """# Borehole survey at Fenwick Moor

Three cores were drilled in May. A point count of core FM-2 gave a porosity of 18%, which
will be checked in thin section.

| Core | Depth (m) | Rock |
|------|-----------|------|
| FM-1 | 12.5 | Grey clay |
| FM-2 | 30.0 | Sandstone |
| FM-3 | 41.2 | Chalk |
""",
    "thread.txt": """From: Sam Okoro
To: Hall committee
Subject: Re: venue for the reunion

Hi all,

I rang the Granary again and the quote below still stands.

> The Granary charges £980 for the hall for the evening,
> including chairs, tables and a projector.
> Their caterer asks £31 per head.

Sam
""",
    "course.md": """# GEOG 2210: Coastal Processes

## Staff

- Lecturer: Dr. Ilona Varga-Stein
- Office: Room 2.04, Tidemill Building

Seminars meet every Thursday in Room 4.

## Assessment

| Part | Weight |
|------|--------|
| Field notebook | 40% |
| Exam | 60% |
""",
    "interview.txt": """Interview with a cheesemaker

HOST: How did you keep going after the shop closed?

BRANWEN: A grant of twelve thousand pounds from the county saved us. Our blue cheese is
about seventy percent of what we sell now.
""",
}


@pytest.fixture(scope="module")
def twelfth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("twelfth"), TWELFTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # the sentence writes the identifier asked about
    ("What porosity was estimated for core FM-2?", "18%"),
    # a table's row answers, read with its header
    ("How much is the field notebook worth in GEOG 2210?", "40%"),
    # an email's quoted reply is one sentence again; what a venue charges is money
    ("What does the Granary charge for the hall?", "£980"),
    # a name after "Dr." in a list of fields is a person
    ("Who is the lecturer for GEOG 2210?", "Dr. Ilona Varga-Stein"),
    # frequencies by weekday, amounts written out
    ("How often do the seminars meet?", "every Thursday"),
    ("How much was the county grant?", "twelve thousand pounds"),
    ("What share of sales is the blue cheese?", "about seventy percent"),
])
def test_answers_to_a_twelfth_sets_kinds_of_question(twelfth, question, expected):
    result = ask(twelfth, question)
    assert (result.answer or result.rejected).text == expected


@pytest.mark.slow
def test_a_speakers_label_is_never_the_answer(twelfth):
    result = ask(twelfth, "Who cancelled the cheese shop's supermarket order?")
    assert all((r and r.text) not in ("HOST", "BRANWEN") for r in (result.answer, result.rejected))


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "What porosity was estimated for core FM-3?",  # only FM-2's is given
    "How much is the exam worth in GEOG 2310?",  # a course no document writes
])
def test_no_figure_for_another_identifier(twelfth, question):
    result = ask(twelfth, question)
    assert result.answer is None or "%" not in result.answer.text


# Documents of a thirteenth users' set's kinds (written for this test, not that set's): a
# travel page in yen, an insurer's answers in kronor, a brewery's note, a typeset report.
THIRTEENTH = {
    "travel.md": """# Lindqvik: a harbour town

## Getting there

From Brask Station, the Coastal Express runs twice a day to Lindqvik. A return ticket costs
¥5,200, including the ¥900 express supplement, and seats can be booked a week ahead.
""",
    "cover.txt": """Questions about cover

Cover applies throughout the Nordic countries for trips of up to 60 days. Outside Europe,
you are only covered with the Roam add-on, which costs 45 kr per month.
""",
    "brewery.txt": """Halden Brewing in 2023

Halden Brewing sold almost half of its beer abroad in 2023, and opened a taproom in Oslo.
""",
    "match.txt": """Kestrels edge Ospreys in the rain

By Ola Brenner

DUNHOLM, Sunday 6 April 2025 - Dunholm Kestrels beat Ardley Ospreys 24-21 at Mill Lane, with
full-back Ravi Okonjo scoring the winning try in the 76th minute. The Ospreys led 13-10 at
half-time. The Kestrels travel to Carnbrook next Saturday.
""",
    "boats.md": """# Three harbour boats compared

| Boat | Length (m) | Engine power (kW) | Price (€) |
|---|---:|---:|---:|
| Seal 12 | 12.5 | 220 | 310,000 |
| Tern 9 | 9.1 | 110 | 145,000 |

Both boats were tested on the same calm morning in May.
""",
    "plans.txt": """Cover plans

The Gold plan raises the yearly limit to 90,000 kr and adds eye tests, physiotherapy and dental
care after an injury.
""",
    "shelter.md": """# Animal shelter visiting

Puppies can be adopted from 10 weeks old. The shelter's dog walks start from the main gate.
""",
    "report.txt": """Annual report of the Skerry Water Board
The Board supplied 12,400 homes in 2023. Well 2 was taken out of service on 9 March
2023 after its pump failed, and the wellfield's water receives chlorination and filtra-
tion before it reaches the mains, which are 210 kilometres long in all and were last
surveyed in a full inspection of every valve, hydrant and junction chamber in 2019.
""",
}


@pytest.fixture(scope="module")
def thirteenth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("thirteenth"), THIRTEENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # the whole fare, not the part it includes; the train the question names in lower case
    ("What does a return ticket to Lindqvik on the coastal express cost?", "¥5,200"),
    ("How much is the express supplement to Lindqvik?", "¥900"),
    # "kr" after the number; a region after a sentence's first word ("Outside Europe")
    ("How much is the Roam add-on for trips outside Europe?", "45 kr per month"),
    # a typeset page: a line opening with a year goes on with its sentence
    ("When was Well 2 taken out of service?", "9 March 2023"),
    # a match: its score, and the minute as its time
    ("What was the final score between the Kestrels and the Ospreys?", "24-21"),
    ("What was the score at half-time?", "13-10"),
    ("When did Ravi Okonjo score the winning try?", "the 76th minute"),
    # a table's cell under the column the question names
    ("What is the engine power of the Tern 9?", "110"),
    ("How young can a puppy be adopted from the shelter?", "10 weeks old"),
    # "which three": the sentence's list of three, wherever the picked phrase was
    ("Which three extra things does the Gold plan cover?",
     "eye tests, physiotherapy and dental care"),
])
def test_answers_to_a_thirteenth_sets_kinds_of_question(thirteenth, question, expected):
    result = ask(thirteenth, question)
    assert result.answer is not None and result.answer.text == expected


@pytest.mark.slow
def test_a_timetable_question_is_not_answered_without_a_clock(thirteenth):
    result = ask(thirteenth, "What time does the Kestrels' game at Carnbrook kick off?")
    assert result.answer is None  # not "next Saturday"


@pytest.mark.slow
def test_revenue_is_not_answered_by_a_share(thirteenth):
    result = ask(thirteenth, "What was Halden Brewing's revenue in 2023?")
    assert result.answer is None or "half" not in result.answer.text


@pytest.mark.slow
def test_a_typeset_words_hyphen_goes(thirteenth):
    assert "chlorination and filtration before" in thirteenth.documents["docs/report.txt"].text


# A fourteenth users' set: a recipe, a town's history, a lease, an obituary, an appliance's
# manual and a statistics bulletin. Written for this test; none of their names is the set's.
FOURTEENTH = {
    "scones.md": """# Treacle scones

From the kitchen of Osk Brandvik

Serves: 8 scones | Prep: 15 minutes | Bake: 12 minutes

Heat the oven to 220°C (425°F). The scones keep for two days in a tin.
""",
    "town.md": """# Brennmoor

Brennmoor grew up around a river ford. In 1203 Count Ivo of Marrach granted the town a
market. Count Berthold IV, who ruled from 1511 to 1530, built the town hall. The Tanners'
Company, first recorded in 1288, controlled the leather trade. Since 1880 the Leather Fair has
been held every second year.
""",
    "heater.txt": """Calora 9 fan heater: specifications

Rated power: 2,000 W
Noise level: 41 dB (low) / 49 dB (high)
Heated area: up to 20 square metres
""",
    "lease.txt": """TENANCY AGREEMENT

1. RENT

1.1 The rent is £940 per calendar month. If the rent is paid more than 14 days late, the
Tenant must pay interest at 4 per cent a year above the bank's base rate.

2. BILLS

2.1 The Tenant must pay the electricity, gas and water bills and the council tax.
""",
    "obituary.txt": """Harbour pilot dies

Ruth Calloway, the first woman to pilot ships into Skellport, has died. She was 91.
She is survived by her two sons, Aled and Gethin, and by her sister, Mair.
""",
    "bulletin.md": """# Quarterly jobs bulletin: April to June 2024

Vellmark Statistics Office

Release date: 14 August 2024

## Main points

- The national unemployment rate was 4.8% in April to June 2024.
- Unemployment rose in five of the seven regions on the quarter.
- The next bulletin, covering July to September 2024, will be published on 13 November 2024.

| Region | Unemployment rate (%) | Change on year (pp) |
|---|---:|---:|
| Ostvale | 5.2 | -0.4 |
| Nordhaven | 6.1 | +0.3 |
""",
}


@pytest.fixture(scope="module")
def fourteenth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("fourteenth"), FOURTEENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # fields side by side on one line are data, not a heading
    ("How many portions does the recipe make?", "8"),
    # a noble's title asks for a person, and the century rules out another century's count
    ("Which count ruled Brennmoor in the early sixteenth century?", "Count Berthold IV"),
    ("How frequently is the Leather Fair held?", "every second year"),
    # a unit the question names, and how loud
    ("What is the heater's power consumption in watts?", "2,000 W"),
    ("How loud is the heater on its high setting?", "49 dB"),
    # a rate of interest is a percentage, not the rent beside it
    ("What rate of interest is charged when the rent is paid late?", "4 per cent"),
    # an age with nothing after it, read with the sentence before
    ("How old was Ruth Calloway when she died?", "91"),
    ("In how many regions did unemployment rise on the quarter?", "five"),
    # the relatives the question names, as the sentence introduces them
    ("What are the names of Ruth Calloway's sons?", "Aled and Gethin"),
    ("Who is Ruth Calloway's sister?", "Mair"),
    # "when will": the date the verb of what will happen governs, not the quarter covered
    ("When will the next jobs bulletin be published?", "13 November 2024"),
])
def test_answers_to_a_fourteenth_sets_kinds_of_question(fourteenth, question, expected):
    result = ask(fourteenth, question)
    assert result.answer is not None and result.answer.text == expected


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "How many people lived in Brennmoor in 1900?",  # a year no document writes
    "What was Vellmark's unemployment rate in April to June 2021?",
    "How many kilowatt-hours does the Calora 9 use a year?",  # a unit none writes
    "In what year was the Tanners' Company dissolved?",  # not the year it was first recorded
])
def test_a_fourteenth_sets_traps_are_refused(fourteenth, question):
    result = ask(fourteenth, question)
    assert result.answer is None, result.answer.text


@pytest.mark.slow
def test_a_year_no_document_writes_is_named_in_the_refusal(fourteenth):
    result = ask(fourteenth, "How many people lived in Brennmoor in 1900?")
    assert "1900" in result.no_answer_reason


@pytest.mark.slow
def test_a_publishers_line_above_the_lead_says_whose_figures_they_are(fourteenth):
    result = ask(fourteenth, "What was Vellmark's overall jobless rate in April to June 2024?")
    assert result.answer is not None and result.answer.text == "4.8%"


@pytest.mark.slow
def test_a_clause_number_is_no_answer(fourteenth):
    result = ask(fourteenth, "Which bills does the tenant have to pay?")
    assert result.answer is not None and "electricity" in result.answer.text
    assert "2.1" not in result.answer.text


@pytest.mark.slow
def test_a_comparison_of_two_table_rows_whose_second_option_has_its_own_preposition(fourteenth):
    result = ask(fourteenth, "Was unemployment higher in Ostvale or in Nordhaven?")
    assert [a.text for a in result.compared] == ["5.2", "6.1"]  # each option's row, in order
    assert result.answer is not None and result.answer.text == "6.1"  # the higher


@pytest.mark.slow
def test_a_year_inside_a_written_range_is_not_said_to_be_unmentioned(fourteenth):
    result = ask(fourteenth, "Who ruled Brennmoor in 1520?")  # "ruled from 1511 to 1530"
    assert "1520" not in (result.no_answer_reason or "")


FIFTEENTH = {
    "abbey.md": """# Harrowby Abbey

The abbey church was consecrated in 1190 by Bishop Odo Vance, forty-three years after the
first stone had been laid. On the night of 2 June 1302, a fire broke out in a brewhouse on
Mill Lane and spread through the thatched roofs of the lower town.
""",
    "tournament.txt": """The 9th Saltmere Open

The 9th Saltmere Open was played from 4 to 10 August 2024 in the hall of the Saltmere Grand
Hotel. It attracted 86 players from 12 clubs. The time control was 100 minutes for 40 moves,
followed by 15 minutes for the rest of the game. First prize was EUR 2,500.
""",
    "bees.html": """<html><head><title>Bees in winter</title></head><body>
<h1>Bees in winter</h1>
<p>When the air around the hive cools to about 13 °C (55 °F), the bees draw together into a
cluster. A treatment with oxalic acid is recommended in January, when colonies are broodless.
Our apiary is open on the second Sunday of each month.</p>
</body></html>
""",
    "boreholes.md": """# Boreholes at Fennick Moss

| Hole | Easting | Total depth (m) |
|------|---------|-----------------|
| FM-1 | 412 300 | 96.5 |
| FM-2 | 412 450 | 131.0 |

FM-2 was the deeper of the two holes, reaching 131.0 m. The old mine adit lies about 70 m
east of FM-1, where the miners once worked the same seam.
""",
    "council.txt": """Council minutes

THAT Contract C-2024-11 for the Quay Road resurfacing be awarded to Dunmore & Daughters
Paving Ltd. in the amount of $412,000. One officer will be hired on a three-year contract.
""",
}


@pytest.fixture(scope="module")
def fifteenth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("fifteenth"), FIFTEENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # a duration written out with a hyphen, whole, and one used as an adjective
    ("How long after the first stone was laid was the abbey church consecrated?",
     "forty-three years"),
    ("For how long will the new officer be hired?", "three-year"),
    # the days of a month are no count
    ("How many players took part in the Saltmere Open?", "86"),
    ("How much thinking time did each player have for the first 40 moves?", "100 minutes"),
    # a month named alone, and a measure without its conversion
    ("In which month is the oxalic acid treatment recommended?", "January"),
    ("At what air temperature do the bees form a cluster?", "about 13 °C"),
    # a comparison the text states itself, not the first column of a table
    ("Which hole went deeper, FM-1 or FM-2?", "FM-2"),
    # an organization's name, not a contract's number
    ("Which firm won the contract to resurface Quay Road?", "Dunmore & Daughters"),
])
def test_answers_to_a_fifteenth_sets_kinds_of_question(fifteenth, question, expected):
    result = ask(fifteenth, question)
    assert result.answer is not None and result.answer.text == expected


@pytest.mark.slow
def test_where_is_not_answered_by_a_date(fifteenth):
    result = ask(fifteenth, "Where did the fire of 1302 break out?")
    given = result.answer or result.rejected
    assert given is not None and "1302" not in given.text and "June" not in given.text


@pytest.mark.slow
def test_a_count_of_people_is_not_a_distance(fifteenth):
    result = ask(fifteenth, "How many miners worked the seam at Fennick Moss?")
    given = result.answer or result.rejected
    assert given is None or "70" not in given.text  # "about 70 m east of FM-1"


@pytest.mark.slow
def test_an_edition_the_documents_never_write_is_refused(fifteenth):
    result = ask(fifteenth, "What was the first prize at the 8th Saltmere Open?")
    assert result.answer is None
    assert "8th Saltmere Open" in result.no_answer_reason
    # the edition they write is answered
    assert ask(fifteenth, "What was the first prize at the 9th Saltmere Open?").answer is not None


@pytest.mark.slow
def test_a_negated_comparison_is_not_read_as_stated(tmp_path):
    index = index_of(tmp_path, {"wells.md": """# Wells at Orrin Moor

| Well | Total depth (m) |
|------|-----------------|
| OW-1 | 88.0 |
| OW-2 | 61.5 |

OW-2 is not deeper than OW-1, although it was drilled later.
"""})
    result = ask(index, "Which well is deeper, OW-1 or OW-2?")
    assert result.answer is None or result.answer.text != "OW-2"


@pytest.mark.slow
def test_a_count_of_kilometres_is_a_measure(tmp_path):
    index = index_of(tmp_path, {"trail.md": """# The coastal trail

The coastal trail is 12 km long and has 3 huts along the way.
"""})
    result = ask(index, "How many km is the coastal trail?")
    assert result.answer is not None and result.answer.text == "12 km"


SIXTEENTH = {
    "judgment.txt": """Judgment summary: Harbour Marine v Kessel Freight

[12] The cost of a new rudder was recoverable, less the scrap value of the damaged rudder,
which the parties agreed at £19,800.
""",
    "incident.txt": """Incident report

The aircraft levelled off at FL100 at 09:48:41; the emergency descent took 4 minutes 10 seconds.
""",
    "CHANGELOG.md": """# Changelog

## [4.0.0] - 2024-05-13

Version 4.0.0 drops support for Python 3.9. Release 3.9.2 fixed a crash on start-up.
""",
    "programme.md": """# The Lighthouse Keeper's Son: running time

Act One runs for about 55 minutes, followed by a 20-minute interval. Act Two is around 40
minutes long and is followed by a shorter 10-minute interval. Act Three lasts about 30 minutes.
""",
    "libraries.html": """<html><body><h1>Our year in numbers</h1>
<p>Central Library remains our busiest site, with 231,400 visits in 2023. Hillside welcomed
98,760 visitors, while Northgate, despite its nine-week closure, recorded 52,120.</p>
</body></html>
""",
}


@pytest.fixture(scope="module")
def sixteenth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("sixteenth"), SIXTEENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # a sum with its currency, though the entity finder marked the number alone
    ("What scrap value was agreed for the damaged rudder?", "£19,800"),
    # how long: not the clock time the sentence also gives
    ("How long did the emergency descent last?", "4 minutes 10 seconds"),
    # two options' figures set side by side in one sentence
    ("Which branch had more visitors in 2023, Hillside or Northgate?", "Hillside"),
    ("Which branch had fewer visitors in 2023, Hillside or Northgate?", "Northgate"),
    # durations compared, and a third act's sentence is neither option's
    ("Which act runs longer, Act Two or Act Three?", "Act Two"),
    ("Which act is shorter, Act One or Act Three?", "Act Three"),
])
def test_answers_to_a_sixteenth_sets_kinds_of_question(sixteenth, question, expected):
    assert given_text(sixteenth, question) == expected


@pytest.mark.slow
def test_a_release_no_document_writes_is_refused(sixteenth):
    result = ask(sixteenth, "When was release 3.7.0 published?")
    assert result.answer is None and "3.7.0" in result.no_answer_reason


SEVENTEENTH = {
    "listing.html": """<html><body><nav>Home | Buy | Rent</nav>
<h1>Bryn Celyn: a slate cottage above the estuary</h1>
<p class="price">Asking price: €412,000</p>
<h2>Overview</h2>
<p>The cottage has a floor area of 96 m² (1,033 sq ft) over one floor, with two bedrooms.
The garden slopes down to a stream and holds a small orchard of apple trees.</p>
<footer>Contact our office to arrange a viewing.</footer>
</body></html>
""",
    "camps.md": """# Route report: the north spur

The team placed three camps on the spur in October.

| Camp | Height (m) | Height (ft) | Reached |
|---|---|---|---|
| Camp 1 | 5,210 | 17,093 | 4 Oct |
| Camp 2 | 5,880 | 19,291 | 9 Oct |
| Camp 3 | 6,240 | 20,472 | 14 Oct |
""",
    "hearing.txt": """Harbour committee: evidence session

Q3 (Chair): Which firm is refitting the dredger, and when will it return?
Mr Olsen: The dredger Marram is being refitted by Harwick Marine at its Leith yard.
Mr Olsen: She should be back in service in the spring.
""",
    "results.txt": """Count report for the Tarrow by-election

The seat changed hands when the Liberal candidate, Mr Aled Price, won by 412 votes.
Across the council the Farmers' Party now holds 12 seats, three short of the 15 needed for a
majority.
""",
    "dairy.txt": """Dairy news

The new solar array of 140 panels should cover about 45 per cent of the dairy's electricity.
The observatory club timed the occultation at 21:47:12.4 UT from the dairy's roof.
The club's radio dish has a diameter of 12 metres and sits on a concrete plinth.
The sculpture by the gate will be offered in the autumn sale of the county auction house.

Harvest Gold Cheddar 2023.
The cheese was aged for fourteen months in the dairy's stone cellar.
""",
    "ferries.txt": """Fleet renewal

Two new ferries have been ordered for the island routes. The first is due to be delivered
in May 2026 and the second in February 2027.

The club ran a public evening at Marsh Lane Primary School on 9 November, attended by about
140 pupils.
""",
    "totals.txt": """Observing season: totals

  Section              Reports   Observers
  Variable stars           186           7
  Comets                    41           6
  Planets                   52           5

Members who observed in more than one section are counted in each.
""",
    "timetable.txt": """Weekday departures from Castlebridge

Castlebridge  Marl Street  Fenwick Haven  Notes
depart        arrive       arrive
06:12         06:31        07:03          Was 06:20
17:45         18:04        18:36          New, three cars
22:40         22:59        23:31          Fri and Sat only
""",
    "grants.md": """# Young investigator awards

| Project | Lead researcher | Duration (months) | Award (KRW million) |
|---|---|---|---|
| Tidal flat sediments | Dr Min Seo-yeon | 24 | 420 |
| Low-light photodetectors | Dr Jung Min-jae | 36 | 500 |

| Species | Peak count | Change (%) |
|---|---|---|
| Wigeon | 4,105 | +31 |
| Dunlin | 2,240 | -22 |
""",
    "club.md": """# Rowing club fees

| Membership | Junior membership age | Price |
|---|---|---|
| Junior | under 18 | £45 |
| Adult | 18 and over | £120 |
""",
    "garden.txt": """Museum news

Did you know that the museum's walled garden covers 4 hectares? Volunteers tend it weekly.
""",
    "stores.md": """# Store results

| Store | Revenue (£m) | Average basket |
|---|---|---|
| Leeds | 12.4 | £23.10 |
| Hull | 8.9 | £19.80 |

| Town | Population | Town population growth (%) |
|---|---|---|
| Hullford | 120,000 | 1.2 |
| Yarrow | 80,000 | 3.5 |
""",
    "byelection.txt": """The Fenwick count

Dr Ann Tull took Fenwick for the Greens, beating the Labour candidate, Mr Owen Smith, by
412 votes.
""",
    "cheeses.md": """# Cheeses of the season

| Cheese | Weight (kg) | Aged (months) | Price (NZD) |
|---|---|---|---|
| Harbour Blue | 4.5 | 6 | 38 |
| Moorland Red | 2.0 | 18 | 52 |
""",
}


@pytest.fixture(scope="module")
def seventeenth(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("seventeenth"), SEVENTEENTH)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # a lone "Label: figure" line is a field, and "asking" asks for money
    ("How much is the seller asking for the cottage?", "€412,000"),
    # the unit asked in: the conversion in brackets, or the table's "(ft)" column
    ("What is the cottage's floor area in square feet?", "1,033 sq ft"),
    ("How high is Camp 2 in feet?", "19,291"),
    # the name set beside the noun the question asks "which" of
    ("Which candidate won the Tarrow seat?", "Mr Aled Price"),
    ("How many seats short of a majority is the Farmers' Party?", "three"),
    # a share: the percentage, not the count of panels before it
    ("What share of the dairy's electricity will the new solar panels supply?",
     "about 45 per cent"),
    ("At what time did the club time the occultation?", "21:47:12.4 UT"),
    ("What is the diameter of the club's radio dish?", "12 metres"),
    # the question's ordinal picks the date after the same ordinal
    ("When is the second of the new ferries due to be delivered?", "February 2027"),
    ("When is the first of the new ferries due to be delivered?", "May 2026"),
    # a place's whole name of four words, though it ends in "School"
    ("Where was the club's public evening held?", "Marsh Lane Primary School"),
])
def test_answers_to_a_seventeenth_sets_kinds_of_question(seventeenth, question, expected):
    assert given_text(seventeenth, question) == expected


@pytest.mark.slow
def test_a_question_the_text_asks_answers_nothing(seventeenth):
    result = ask(seventeenth, "Which firm is refitting the dredger?")
    given = result.answer or result.rejected
    assert given is not None and "?" not in given.sentence
    assert "Harwick Marine" in given.sentence


@pytest.mark.slow
def test_what_a_thing_will_sell_for_is_refused_where_no_sum_is_written(seventeenth):
    assert ask(seventeenth, "What will the sculpture by the gate sell for?").answer is None


@pytest.mark.slow
def test_a_label_of_the_questions_own_words_is_no_answer(seventeenth):
    result = ask(seventeenth, "What prize did the judges give the 2023 Harvest Gold Cheddar?")
    given = result.answer or result.rejected
    assert given is None or given.sentence.strip() != "Harvest Gold Cheddar 2023."
    assert result.answer is None or result.answer.sentence.strip() != "Harvest Gold Cheddar 2023."


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("Which has a higher price, the Harbour Blue or the Moorland Red?", "Moorland Red"),
    ("Which is heavier, the Harbour Blue or the Moorland Red?", "Harbour Blue"),
    ("Which has a lower price, the Harbour Blue or the Moorland Red?", "Harbour Blue"),
])
def test_table_rows_are_compared_by_the_column_the_question_names(seventeenth, question,
                                                                  expected):
    result = ask(seventeenth, question)
    assert result.answer is not None and result.answer.text == expected


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    # a statement that ends in a question mark still states it
    ("How large is the museum's walled garden?", "4 hectares"),
    # a column the header's words name is not overridden by a sum's
    ("What was the Leeds store's revenue?", "12.4"),
    # the column whose header is most the question's words
    ("Which town has a larger population, Hullford or Yarrow?", "Hullford"),
])
def test_review_mends_of_the_seventeenth_sets_rules(seventeenth, question, expected):
    assert given_text(seventeenth, question) == expected


@pytest.mark.slow
def test_a_name_beside_the_asked_noun_answers_only_as_the_subject(seventeenth):
    assert "Owen Smith" not in (given_text(seventeenth, "Which candidate won Fenwick?") or "")


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), [
    ("How many observers reported comets?", "6"),  # the column of what "how many" counts
    ("How many reports were there of comets?", "41"),
    ("Which section had more reports, Comets or Planets?", "Planets"),
    # a two-line header; the column most of whose header words the question says
    ("If I catch the 17:45 from Castlebridge, what time do I get to Fenwick Haven?", "18:36"),
    # a column of names the question names is no figure; the header's unit says which is
    ("How much money goes to Dr Jung Min-jae's photodetectors project?", "500"),
    ("By how much did the wigeon peak change, in percent?", "+31"),
    # a sum asked for: the column that holds one, not the header most of whose words it says
    ("How much does junior membership cost?", "£45"),
])
def test_a_plain_text_tables_columns_are_cells_under_their_headers(seventeenth, question,
                                                                    expected):
    assert given_text(seventeenth, question) == expected
