"""Span extraction on real sentences of the seed articles: amounts, dates, names, places,
and what a question asks for."""

from __future__ import annotations

import re

import pytest

from qa.ingest.chunking import is_field, is_heading, split_sentences
from qa.ingest.cleaning import clean_text
from qa.ingest.context import table_cells
from qa.ingest.extractors import extract as extract_file
from qa.reader.agree import authored, relation_agrees, relations, role_words, says_role, subjects
from qa.reader.clauses import CAUSE, answering_clause, new_code
from qa.reader.comparative import comparison
from qa.reader.compare import names_option
from qa.reader.extract import (
    MEASURES,
    SAME_UNIT,
    Kind,
    amounts,
    dates,
    duration_seconds,
    extract,
    header_unit,
    heading_context,
    is_label,
    refers_back,
    same_unit,
    scores,
    sentence_before,
    written_unit,
)
from qa.reader.names import (
    EMPTY,
    TITLES,
    KnownNames,
    is_code,
    is_currency,
    names,
    organizations,
    places,
)
from qa.reader.owners import owner_of
from qa.reader.pick import Pick, comparable
from qa.reader.question import (
    analyse,
    counted_phrase,
    defines,
    is_yes_no,
    items_asked,
    list_item,
    named,
    names_asked,
)
from qa.reader.reader import _as_written
from qa.reader.scope import (
    _VERSION,
    asked_codes,
    asked_eras,
    asked_years,
    lead,
    life_event,
    other_era,
    other_event,
    other_years,
    writes_codes,
)
from qa.reader.typed import Asked, lone_names, typed_spans

SEED = {"000": "seeds/000_432a7676416fb9d4.txt", "001": "seeds/001_23c6df641d8efd7b.txt",
        "002": "seeds/002_292f70715769bd2d.txt", "003": "seeds/003_b6c8a39852cc0843.txt",
        "004": "seeds/004_f577ec4ace4f0d8b.txt"}


@pytest.fixture(scope="module")
def docs(seed_documents):
    return {d.source: d.text for d in seed_documents}


def sentence_with(docs, seed: str, needle: str) -> tuple[str, int, int]:
    """The cleaned document and the range of the sentence holding `needle`."""
    text = docs[SEED[seed]]
    at = text.index(needle)
    a, b = next((a, b) for a, b in split_sentences(text) if a <= at < b)
    return text, a, b


def texts(spans) -> list[str]:
    return [s.text for s in spans]


@pytest.mark.parametrize(("seed", "needle", "expected", "unit", "value"), [
    ("000", "Meta Platforms plans", "between $60 billion and $65 billion", "USD", 60e9),
    ("000", "on track to invest", "approximately $80 billion", "USD", 80e9),
    ("000", "launched InvestAI", "€200 billion", "EUR", 200e9),
    ("000", "combined market capitalization", "$15.4 trillion", "USD", 15.4e12),
    ("004", "registering 44,150", "44,150", "count", 44150),
    ("002", "SoftBank Group plummeted", "8.3%", "%", 8.3),
    ("003", "share price tumbled", "almost 17 percent", "%", 17),
    ("002", "estimated training cost", "under $6 million", "USD", 6e6),
    ("004", "200 billion euro", "200 billion euro", "EUR", 200e9),
    ("004", "The EU's €200bn", "€200bn", "EUR", 200e9),
    ("001", "part of $25 billion", "$25 billion to $40 billion", "USD", 25e9),
    ("000", "They now account", "nearly one-third", "fraction", 100 / 3),
    ("001", "at least ten times", "at least ten times", "times", None),
    ("000", "(~$300 billion valuation)", "~$300 billion", "USD", 300e9),
])
def test_amounts_keep_unit_scale_range_and_qualifier(docs, seed, needle, expected, unit, value):
    text, a, b = sentence_with(docs, seed, needle)
    span = next(s for s in amounts(text, a, b) if s.text == expected)
    assert text[span.start:span.end] == expected
    assert span.kind is Kind.AMOUNT and span.unit == unit
    assert span.value == pytest.approx(value) if value is not None else span.value is None


@pytest.mark.parametrize(("seed", "needle", "not_amounts"), [
    ("003", "Nvidia alone accounted", ["500", "2022"]),  # "S&P 500", a year
    ("002", "Meta’s Llama 3.1", ["3.1", "3"]),  # a model's name
    ("000", "Alibaba Cloud introduced QwQ-32B", ["6", "2025", "32"]),  # a date, a name
    ("000", "Geoffrey Hinton expressed", ["10", "2024"]),  # "10 December 2024"
])
def test_years_dates_and_names_are_not_counts(docs, seed, needle, not_amounts):
    text, a, b = sentence_with(docs, seed, needle)
    found = texts(amounts(text, a, b))
    assert not set(found) & set(not_amounts), found


@pytest.mark.parametrize(("seed", "needle", "expected", "unit"), [
    ("000", "entered into force", "1 August 2024", "date"),
    ("000", "Update March 19, 2025", "March 19, 2025", "date"),
    ("000", "Amazon first invested", "September 2023", "month"),
    ("000", "Amazon first invested", "the first quarter of 2024", "relative"),
    ("000", "first reactor this decade", "this decade", "relative"),
    ("001", "delays of six months", "six months to a year", "duration"),
    ("001", "turn a profit", "by the end of the decade", "relative"),
    ("000", "As of mid-2024", "mid-2024", "year"),
    ("000", "Big Tech Crash of 2030", "2030", "year"),
])
def test_dates_from_full_dates_to_relative_ones(docs, seed, needle, expected, unit):
    text, a, b = sentence_with(docs, seed, needle)
    span = next(s for s in dates(text, a, b) if s.text == expected)
    assert span.unit == unit and text[span.start:span.end] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # with a day or a month beside it, a year of any century is a date
    ("Edith Crane was born on 2 March 1841 at Gullhaven.", [("2 March 1841", "date")]),
    ("She sailed on March 2, 1841, for Leith.", [("March 2, 1841", "date")]),
    ("The mill burned in June 1790.", [("June 1790", "month")]),
    ("In May 1500 people came to the fair.", []),  # "May" is a verb too
    # a day of a month whose year the text gives elsewhere
    ("The frost came on 9 June, after the fair.", [("9 June", "date")]),
    ("They met again on June 9th.", [("June 9th", "date")]),
    # a duration read whole, never from inside a number
    ("The ice retreated about 11,700 years ago.", [("11,700 years ago", "duration")]),
    ("The repairs took 1.5 years.", [("1.5 years", "duration")]),
    # a number past 2099 is no year, whatever word comes before it
    ("Units with a serial number of 2517 or later are safe.", []),
    # ISO 8601 days, as changelogs and forms write them; no month 13
    ("## 4.2.0 (2023-09-14)", [("2023-09-14", "date")]),
    ("Filed 1998-02-28 and rejected on 2024-13-02.", [("1998-02-28", "date"), ("2024", "year")]),
    # a year its era marks, whatever word comes before it
    ("The ford was settled c. 300 BC and walled about AD 870.",
     [("c. 300 BC", "year"), ("AD 870", "year")]),
    ("The hall was built c. 1350 for c. 300 men.", [("c. 1350", "year")]),
])
def test_dates_of_any_century_days_without_a_year_and_long_durations(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


@pytest.mark.parametrize(("text", "years", "counts"), [
    ("The town bought the right in 1346 for 4,000 silver marks.", ["1346"], ["4,000"]),
    ("A total of 860 burrows were counted, and by 1200 people lived there.", [], ["860", "1200"]),
    ("The council has met since 800, and in 1066, when the king came, in 500 homes.",
     ["800", "1066"], ["500"]),
])
def test_a_year_of_another_era_is_told_from_a_count_by_the_word_after_it(text, years, counts):
    # "in 1346 for ...": a year; "of 860 burrows": what the number counts follows it.
    assert [s.text for s in dates(text) if s.unit == "year"] == years
    assert texts(amounts(text, 0, len(text))) == counts


@pytest.mark.parametrize(("text", "counts"), [
    ("3.1 The tenant receives 3 keys.", ["3"]),  # a clause's number
    ("## 12 Rules for guests\n15 guests came.", ["15"]),  # a section's number
    ("Landlord: Gerber AG, 9 Seestrasse, 8712 Staefa\nTenant: P. Moser", ["9"]),  # postcode
    ("Office: 4 Quay Lane, 2000 Aarhus, Denmark", ["4"]),
    ("We ringed 8754 birds, Ms Thal said.", ["8754"]),  # a count before a common noun
    ("15 people came.", ["15"]),
])
def test_clause_numbers_and_postcodes_are_not_counts(text, counts):
    assert [s.text for s in amounts(text) if s.unit == "count"] == counts


def test_a_currency_is_no_organization():
    known = KnownNames.of([("CHF", "ORG"), ("NZ", "GPE"), ("Tidewater Ltd", "ORG")])
    text = "Tidewater Ltd bid NZ$312,000; the deposit is CHF 5,550; NZ is small."
    assert [s.text for s in organizations(text, known)] == ["Tidewater Ltd", "NZ"]
    assert is_currency(text, text.index("NZ$"), text.index("NZ$") + 2)
    assert not is_currency(text, text.rindex("NZ"), text.rindex("NZ") + 2)
    assert "CHF" not in [s.text for s in names(text, known)]


def test_a_code_or_a_sum_is_no_organization():
    # The entity finder marked each as an organization in a manual and a results release.
    known = KnownNames.of([("NV-F20", "ORG"), ("E1", "ORG"), ("EUR 6.4 million", "ORG"),
                           ("Nordvik Ltd", "ORG"), ("Acme", "ORG")])
    text = "Nordvik Ltd sells part NV-F20; code E1 means a fault. Acme made EUR 6.4 million."
    assert [s.text for s in organizations(text, known)] == ["Nordvik Ltd", "Acme"]
    assert not is_code("3M")  # a name that opens with its digit


def test_the_header_fields_of_a_form_say_what_it_is_about():
    # The header has full stops and is longer than a line, but it is fields, not the lead.
    header = "Property: Flat 2.1, Quay House, 14 Harbour Street, Kelso\nLandlord: Tweed Homes Ltd"
    text = (f"LEASE\n\n{header}\n\n"
            "The rent is set at £900 a month, payable in advance on the first working day of each "
            "month.\n")
    first = "The rent is set at £900 a month, payable in advance on the first working day"
    assert lead(text) == f"{header}\n{first} of each month."
    for question in ("How much is the deposit?", "What is the rent?", "How much rent is due?"):
        wanted = analyse(question)
        assert wanted.kind is Kind.AMOUNT and wanted.strict, question  # money, not a count


@pytest.mark.parametrize(("text", "expected"), [
    ("Replanting has been done in eleven villages since 2019.", [("eleven", 11)]),
    ("It enlarged the council from twelve to eighteen seats.", [("eighteen", 18)]),
    ("Some thirty-five ships and about two hundred men sailed.",
     [("Some thirty-five", 35), ("about two hundred", 200)]),
    ("Nine men drowned; two of them were brothers.", [("Nine", 9)]),  # "two of": no count
    ("It took three years and one day.", []),  # a duration; "one" is too often no number
    ("It was the twenty-first season of the Seven Years War.", []),
])
def test_a_count_written_out_is_read_before_what_it_counts(text, expected):
    found = [s for s in amounts(text) if s.unit == "count"]
    assert [(s.text, s.value) for s in found] == expected
    assert all(text[s.start:s.end] == s.text for s in found)


@pytest.mark.parametrize(("seed", "needle", "expected", "kind"), [
    ("003", "initially developed by Liang", "Liang Wenfeng", Kind.PERSON),
    ("003", "appointed as Trump's AI", "David Sacks", Kind.PERSON),
    ("000", "agreement with Kairos Power", "Kairos Power", Kind.ORG),
    ("000", "has launched InvestAI", "Ursula von der Leyen", Kind.PERSON),  # title cut off
    ("000", "Meta Platforms plans", "Mark Zuckerberg", Kind.PERSON),
    ("000", "Led by the venture capital firm", "Lightspeed Venture Partners", Kind.ORG),
    ("000", "President Trump on Tuesday", "OpenAI, SoftBank and Oracle", Kind.ORG),  # a list
    ("002", "Sam Altman, CEO of OpenAI", "Sam Altman", Kind.PERSON),
    ("000", "John J. Hopfield", "John J. Hopfield", Kind.PERSON),
])
def test_people_and_organizations(docs, seed, needle, expected, kind, known):
    text, a, b = sentence_with(docs, seed, needle)
    span = next((s for s in names(text, known, a, b) if s.text == expected), None)
    assert span is not None, texts(names(text, known, a, b))
    assert span.kind is kind


@pytest.mark.parametrize(("seed", "needle", "word"), [
    ("000", "Led by the venture capital firm", "Led"),
    ("001", "Paraphrasing Cory Doctorow", "Paraphrasing"),
    ("000", "Leaving aside the Armageddon", "Leaving"),
])
def test_a_capitalized_sentence_opener_is_not_a_name(docs, seed, needle, word, known):
    text, a, b = sentence_with(docs, seed, needle)
    assert not any(s.text.startswith(word) for s in names(text, known, a, b))


@pytest.mark.parametrize(("seed", "needle", "expected", "unit"), [
    ("000", "facility in Houston", "Houston", "city"),
    ("002", "Hangzhou-based startup", "Hangzhou", "city"),
    ("000", "Action Summit in Paris", "Paris", "city"),
    ("000", "More than half of this total", "United States", "country"),
])
def test_places(docs, seed, needle, expected, unit, known):
    text, a, b = sentence_with(docs, seed, needle)
    span = next((s for s in places(text, known, a, b) if s.text == expected), None)
    assert span is not None and span.unit == unit, texts(places(text, known, a, b))


@pytest.mark.parametrize(("sentence", "expected"), [
    # every country of the general list, not only the large ones; a continent is a region
    ("The barons held Wales and then Ireland.", [("Wales", "country"), ("Ireland", "country")]),
    ("Traders from Asia landed in Sicily in 1347.", [("Asia", "region"), ("Sicily", "city")]),
    ("Mongolia lies between Russia and China.",
     [("Mongolia", "country"), ("Russia", "country"), ("China", "country")]),
    # a place's name of common words and one of its own; common words alone name none
    ("The hoard was ploughed up at Lower Netherby Farm, near the lower mill on the farm.",
     [("Lower Netherby Farm", "city")]),
    ("The vote was taken at Board Meeting time by the board at the meeting.", []),
])
def test_countries_and_regions_are_told_apart(sentence, expected):
    found = places(sentence, EMPTY)
    assert [(s.text, s.unit) for s in found] == expected


def test_the_corpus_entities_are_the_organizations_and_their_forms_one_name():
    known = KnownNames.of([("Kestrel Robotics", "ORG"), ("Kestrel", "ORG"), ("Oslo", "GPE"),
                           ("the United States", "GPE"), ("Ada Byron", "PERSON")])
    found = organizations("Kestrel's parent, the U.S., Oslo and Kestrel Robotics; Ada Byron",
                          known)
    assert [s.text for s in found] == ["Kestrel", "US", "Oslo", "Kestrel"]
    assert "Oslo" in known.places and "Kestrel" not in known.places
    assert organizations("Samsung and Siemens", known) == []  # not in this corpus
    assert organizations("Kestrel Robotics", EMPTY) == []


def test_two_names_a_particle_joins_are_the_one_name_they_make():
    # The entity finder marked "Coopérative Laitière" and "Haut-Doubs" apart.
    known = KnownNames.of([("Coopérative Laitière", "ORG"), ("Haut-Doubs", "GPE"),
                           ("Siemens", "ORG"), ("Germany", "GPE")])
    text = "The Coopérative Laitière du Haut-Doubs sells to Siemens of Germany in Haut-Doubs."
    assert [s.text for s in organizations(text, known)] == [
        "Coopérative Laitière du Haut-Doubs", "Siemens", "Germany", "Haut-Doubs"]


def test_a_name_after_a_title_is_a_person_even_if_the_model_marked_it_otherwise():
    # spaCy's small model marks many names of other languages as organizations.
    known = KnownNames.of([("Agnieszka Wróblewska-Hart", "ORG"), ("Museum", "ORG")])
    text = "The work was led by Dr Agnieszka Wróblewska-Hart and Jonas Berg-Olsen."
    assert [(s.text, s.kind) for s in names(text, known)] == [
        ("Agnieszka Wróblewska-Hart", Kind.PERSON), ("Jonas Berg-Olsen", Kind.PERSON)]


def test_extract_returns_only_the_kinds_asked_in_text_order(docs, known):
    text, a, b = sentence_with(docs, "000", "Amazon first invested")
    spans = extract(text, a, b, [Kind.AMOUNT, Kind.DATE], known)
    assert {s.kind for s in spans} == {Kind.AMOUNT, Kind.DATE}
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def test_heading_context_finds_the_company_line_above_a_list_entry(docs):
    text, a, _ = sentence_with(docs, "000", "The company says the agreement with Kairos")
    heading, before = heading_context(text, a)
    assert heading == "Google, October 2024"
    assert before.startswith("Google has signed a deal")


@pytest.mark.parametrize(("question", "label", "prefer"), [
    ("How much is Meta spending on AI infrastructure?", "amount", "USD"),
    ("How much did Nvidia's stock fall in one day?", "amount", "%"),
    ("How many AI patents did China register?", "amount", "count"),
    ("What is China's science and technology budget for 2025?", "amount", "USD"),
    ("When did the European AI Act enter into force?", "date", "date"),
    ("How long have customers had to wait for GPUs?", "date", "duration"),
    ("Who launched the InvestAI initiative?", "person", "person"),
    ("Which AI venture capitalist said it is problematic?", "person", "person"),
    ("Which companies are behind the Stargate joint venture?", "org", "list"),
    ("Which city will host Apple's new factory?", "place", "city"),
    ("Which club finished top of the league?", "org", "org"),
    ("What share of the colonies died over the winter?", "amount", "%"),
    ("What portion of the surplus is paid back to farmers?", "amount", "%"),
    ("What will the adult fare be next year?", "amount", "USD"),
    ("What was the annual subscription in 1990?", "amount", "USD"),
    ("Which charities shared the grant?", "org", "list"),
    ("Which team member scored twice?", "person", "person"),
    ("Why did investors retreat from AI stocks?", "sentence", "reason"),
    ("What happens if demand fails to materialize?", "sentence", None),
    ("Where does France rank in the ranking?", "sentence", None),
    ("Did the bridge survive the flood?", "sentence", "whole"),  # yes or no: the sentence
    ("Has anyone been charged with it?", "sentence", "whole"),
    ("Am I allowed to keep a cat in the flat?", "sentence", "whole"),
    ("Isn't the ferry free on Sundays?", "sentence", "whole"),
    ("Do you know who built the bridge?", "person", "person"),  # a name, asked indirectly
    # "who" after a noun starts a relative clause: still a yes or no
    ("Can neighbours who objected appeal against the decision?", "sentence", "whole"),
    ("Is it known where she was born?", "place", None),
    # kinds of people are no person's name
    ("What sorts of people ran the rain gauges?", "sentence", None),
    ("On what date did the club win the title?", "date", "date"),
    ("By what date must leave from last year be used?", "date", "date"),
    ("Which laboratory tested the samples?", "org", "org"),
    # the first wh-word says what is asked, not a "how much" inside the question
    ("Which firm estimated how much the panels would save?", "org", "org"),
    ("Who knows how many people came?", "person", "person"),
    ("By how much did sales rise?", "amount", "%"),
])
def test_what_a_question_asks_for(question, label, prefer):
    wanted = analyse(question)
    assert wanted.label == label
    assert prefer is None or prefer in wanted.prefer


def test_a_change_and_the_years_a_question_compares_with():
    wanted = analyse("By how much did visits fall compared with the 2021 season?")
    assert wanted.change and wanted.compared == {"2021"}
    wanted = analyse("How many visits were there in 2023, against 41,000 in 2021?")
    assert not wanted.change and wanted.compared == set()  # "against 41,000", not a year
    assert analyse("How much did visits fall since 2019?").compared == {"2019"}


def test_organizations_named_only_as_circumstance_are_optional(known):
    assert named("How much did Nvidia's stock fall after DeepSeek's launch?", known) == (
        frozenset({"Nvidia"}), frozenset({"DeepSeek"}))
    assert named("How far did the stock sink in the DeepSeek rout?", known) == (
        frozenset(), frozenset({"DeepSeek"}))
    assert named("How much did Amazon invest in OpenAI?", known)[0] == {"Amazon", "OpenAI"}


def test_how_far_asks_for_a_percentage_whatever_the_subject_sounds_like():
    wanted = analyse("How far did the tech investment group's stock sink?")
    assert wanted.prefer == {"%", "fraction", "length"}  # no money; a distance is far too


@pytest.mark.parametrize(("question", "prefer"), [
    ("How heavy is an adult bird?", {"mass"}),  # not the distance it flies
    ("What temperature should the oven be?", {"temperature"}),
    # "how many" a unit counts the unit: a length answers, not a count of things
    ("How many kilometres can it fly in a day?", {"length"}),
    ("How many square metres is the new hall?", {"area"}),  # "metres" of an area: no length
    ("How many burrows were counted?", {"count"}),
])
def test_a_measured_quantity_is_asked_for_as_what_it_measures(question, prefer):
    wanted = analyse(question)
    assert wanted.kind is Kind.AMOUNT and wanted.prefer == prefer
    # No cue at all: any amount, measures of every kind too.
    assert {"mass", "length", "count", "USD"} <= analyse("How much salt goes in?").prefer


@pytest.mark.parametrize(("text", "expected", "unit"), [
    ("It has a wingspan of 76 to 82 centimetres.", "76 to 82 centimetres", "length"),
    ("Add 12 g fine sea salt.", "12 g", "mass"),
    ("Heat the oven to 230 °C.", "230 °C", "temperature"),
    ("It flies up to 950 kilometres a day.", "up to 950 kilometres", "length"),
    # as an adjective, with hyphens: a measure, not a bare count of 600
    ("The fair was held in a 600-square-metre marquee.", "600-square-metre", "area"),
    ("They walked the 12-kilometre ridge.", "12-kilometre", "length"),
    ("The barn covers 2,300 square\nmetres.", "2,300 square\nmetres", "area"),
])
def test_a_measure_is_read_whole_with_what_it_measures(text, expected, unit):
    assert [(s.text, s.unit) for s in amounts(text, 0, len(text))] == [(expected, unit)]


def test_a_symbol_keeps_its_case_and_a_qualifier_starts_a_word():
    text = "5G networks cover 40% of homes."
    assert [(s.text, s.unit) for s in amounts(text, 0, len(text))] == [("40%", "%")]


def test_a_definition_is_not_a_mere_mention(docs):
    text, a, b = sentence_with(docs, "000", "UAE-based MGX were already")
    assert defines(text[a:b], "MGX") is None
    text, a, b = sentence_with(docs, "001", "MGX, a $100 billion")
    sentence = text[a:b]
    assert sentence[defines(sentence, "MGX"):].startswith("MGX, a $100 billion investment fund")
    assert list_item("What was the second thing it proved?").match("Second, DeepSeek showed")
    assert list_item("Who was the first person on the moon?") is None


def figure(text: str, a: int, b: int, needle: str):
    return next(s for s in amounts(text, a, b) if s.text == needle)


def test_a_figure_must_be_the_quantity_and_the_actor_asked_about(docs, known):
    text, a, b = sentence_with(docs, "003", "went from a mid-sized company")
    value = figure(text, a, b, "more than $3 trillion")
    assert not relation_agrees(text, a, b, value, relations("What is Nvidia's revenue?"),
                               frozenset({"Nvidia"}), known)
    assert relation_agrees(text, a, b, value, relations("What is Nvidia valued at?"),
                           frozenset({"Nvidia"}), known)
    # the change is asked for, not the value it changed
    assert relations("How much was wiped off the company's valuation?") == {"loss"}
    # "lower" before its noun names a part, not a fall: the cost is asked for
    assert relations("What would reopening the lower section cost?") == {"cost"}
    assert relations("How much lower did the shares close?") == {"fall"}
    question = "How much money did Oracle put into Stargate?"
    named_ = named(question, known)[0]
    assert subjects(question, named_, known) == {"Oracle"}
    text, a, b = sentence_with(docs, "001", "MGX, a $100 billion")
    fund = figure(text, a, b, "$100 billion")  # MGX's, in a sentence naming Oracle
    assert not relation_agrees(text, a, b, fund, relations(question), named_, known,
                               subjects(question, named_, known))


def test_roles_and_bylines(docs):
    roles = role_words("Who is the CEO of Anthropic?")
    text, a, b = sentence_with(docs, "002", "Sam Altman, CEO of OpenAI")
    assert says_role(text[a:b], roles)
    text, a, b = sentence_with(docs, "003", "As AI venture capitalist Mike Volpi")
    assert not says_role(text[a:b], roles)
    assert authored("Who wrote ING's AI Monthly?", "Inga Fechner") == "Inga Fechner"
    assert authored("Who wrote about it?", "forum thread started by @mike") is None
    assert authored("Who founded DeepSeek?", "Inga Fechner") is None


def test_a_number_too_large_for_a_float_has_no_value():
    """`qa figures --json` must stay valid JSON: inf would print as Infinity."""
    from qa.reader.extract import amounts

    spans = amounts("They raised $" + "9" * 400 + " billion.")
    assert spans and all(s.value is None for s in spans)


@pytest.mark.parametrize(
    ("sentence", "opens", "party_early"),
    [
        ("It rose 5%.", True, True),
        ("These firms spent more.", True, True),
        ("The company said so.", True, True),
        ("In 2024 its revenue doubled.", False, True),
        ("He said so.", True, False),  # a person, not whose figure it is
        ("This is new.", True, False),  # a statement
        ("Acme said so.", False, False),
        ("Itself a rival, Acme grew.", False, False),
    ],
)
def test_one_rule_for_a_sentence_that_refers_back(sentence, opens, party_early):
    assert bool(refers_back().match(sentence)) is opens
    assert bool(refers_back(80, parties_only=True).match(sentence)) is party_early


def test_refers_back_keeps_its_case_rule_when_joined_to_another_pattern():
    joined = re.compile(f"(?:First|Second),|{refers_back().pattern}")
    assert joined.match("Second, it grew.") and joined.match("it grew.")
    assert not joined.match("second, it grew.")


def test_a_paragraph_that_refers_back_is_read_with_the_one_above():
    text = "Acme makes chips.\n\nIt sold more.\n\nPrices fell."
    it, prices = text.index("It sold"), text.index("Prices")
    assert sentence_before(text, it, refers_back()) == (0, len("Acme makes chips."))
    assert sentence_before(text, prices, refers_back()) is None


def test_one_list_of_titles_for_names_questions_and_roles():
    assert TITLES and all(word.isalpha() and word.islower() for word in TITLES)  # words only
    assert [s.text for s in names("Chairwoman Jane Doe spoke.", EMPTY)] == ["Jane Doe"]
    assert analyse("Which chairwoman said it?").kind is Kind.PERSON
    assert analyse("Which chairman said it?").kind is Kind.PERSON
    assert analyse("What general trend did it see?").kind is not Kind.PERSON
    roles = role_words("Who is the chairwoman of Acme?")
    assert says_role("Jane Doe, who chairs Acme, spoke.", roles)
    assert not says_role("Jane Doe, who founded Acme, spoke.", roles)


def test_measures_are_compared_only_in_the_same_unit():
    def figure(text: str) -> Pick:
        span = amounts(text, 0, len(text))[0]
        return Pick(span.text, text, "doc", span.start, span.end, 0, len(text), 1.0,
                    span.kind.value, span.unit, span.value)

    assert comparable(figure("12 g of salt"), figure("40 g of flour"))
    assert not comparable(figure("12 g of salt"), figure("1 kg of flour"))  # 12 is not more
    assert not comparable(figure("12 g of salt"), figure("12 km away"))
    assert comparable(figure("$5 billion"), figure("$3 million"))  # money is scaled already


@pytest.mark.parametrize(("text", "name"), [
    ("Treasurer Jörg Hallberg, who prepared the draft, defended the borrowing.", "Jörg Hallberg"),
    ("The leading figure was Burgomaster Konrad Wessel, a salt merchant.", "Konrad Wessel"),
    ("Captain Anders Holt ordered the boats out.", "Anders Holt"),
])
def test_an_office_in_front_of_a_name_is_no_part_of_it(text, name):
    # "Who is the treasurer?" is answered with the person, not the office it asked about.
    assert texts(names(text, EMPTY)) == [name]


@pytest.mark.parametrize(("question", "label"), [
    # The first wh-word says what is asked: a later "when" ("where", "who") is a clause.
    ("How old was the engineer when he died?", "amount"),
    ("Who led the crews when the dam was built?", "person"),
    ("What does water turn into when heated?", "sentence"),
    ("Where did the river flow when the dam broke?", "place"),
    ("When was the dam finished?", "date"),
])
def test_the_first_wh_word_says_what_is_asked(question, label):
    assert analyse(question).label == label


@pytest.mark.parametrize(("question", "prefer"), [
    ("How long is the wall?", {"duration", "length"}),  # a copula: either, as the text says
    ("How long did the work take?", {"duration"}),
    ("How old was she when she left?", {"age"}),
])
def test_how_long_and_how_old(question, prefer):
    assert analyse(question).prefer == prefer


def test_a_price_or_a_measure_asked_for_is_strict_and_any_amount_is_not():
    assert analyse("How much did it cost to build the dam?").strict
    assert analyse("How heavy is an adult bird?").strict
    assert not analyse("How much salt goes in?").strict
    assert analyse("How much prize money did the winner take home?").strict
    assert analyse("How many hectares does the farm cover?").strict
    assert not analyse("How much land did the town lose?").strict  # "lose": not only money
    # What a business takes in is money, unless the question asks how it changed.
    assert analyse("What is the brewery's revenue for 2023?").strict
    assert analyse("What was the ferry operator's annual profit?").strict
    assert not analyse("How much did the brewery's revenue grow?").strict
    # A part of a whole: only a percentage or a fraction, and one of them.
    part = analyse("What proportion of members voted for the merger?")
    assert part.strict and part.prefer == {"%", "fraction"} and not part.many


@pytest.mark.parametrize(("text", "expected", "value"), [
    ("He died in 1689, at the age of seventy-one, and was buried.", "seventy-one", 71),
    ("It was recaptured in 2022 at the age of at least 33 years.", "at least 33 years", 33),
    ("A 71-year-old walker was rescued.", "71", 71),
    ("Aged nineteen, she left for Paris.", "nineteen", 19),
])
def test_an_age_is_read_with_its_value(text, expected, value):
    ages = [s for s in amounts(text) if s.unit == "age"]
    assert [(s.text, s.value) for s in ages] == [(expected, value)]
    assert text[ages[0].start:ages[0].end] == expected


def test_durations_in_hours_and_minutes():
    found = [s.text for s in dates("We took six and a half hours, then 40 minutes more.")]
    assert found == ["six and a half hours", "40 minutes"]
    assert not [s for s in amounts("a walk of 40 minutes") if s.unit == "count"]


@pytest.mark.parametrize(("question", "options"), [
    ("Which is higher, the Col du Vautre or the Pointe de la Sarre?",
     ("Col du Vautre", "Pointe de la Sarre")),
    ("Which is larger, the red barn or the old mill?", ("red barn", "old mill")),
    ("Who spends more on chips, Acme or Bolt?", ("Acme", "Bolt")),
])
def test_comparison_options_with_particles_or_in_lower_case(question, options):
    asked = comparison(question)
    assert asked is not None and asked.options == options


@pytest.mark.parametrize(("text", "spans"), [
    ("Fees will rise from £90 to £110 next year.", ["£90", "£110"]),
    ("The share fell from 12% to 9% in a decade.", ["12%", "9%"]),
    ("Tickets range from £60 to £75.", ["£60 to £75"]),
    ("It will cost anywhere from $2 million to $3 million.", ["$2 million to $3 million"]),
    ("It will cost $2 million to $3 million.", ["$2 million to $3 million"]),
])
def test_from_one_figure_to_another_is_a_change_not_a_range(text, spans):
    assert [s.text for s in amounts(text)] == spans


@pytest.mark.parametrize(("question", "names"), [
    ("Who will take over the yard after Inês and Rui?", {"inês", "rui"}),
    ("Who was Rui's successor at Acme Holdings?", {"rui"}),  # a run of two is no lone name
    ("Who succeeded John Smith?", set()),
    ("Hannah founded what?", set()),  # the first word may be capitalized for the sentence only
])
def test_the_lone_names_a_question_calls_people_by(question, names):
    assert lone_names(question) == names


def test_a_person_the_question_calls_by_one_name_is_not_its_answer():
    text = ("Since 2011 the yard has been run by Inês Prado together with her cousin Rui "
            "Vasconcelos Lopes. Their successor will be Marta Lopes, who joined the yard in 2019.")

    def people(question: str) -> list[str]:
        asked = Asked.of(question, analyse(question), KnownNames.of([]))
        return [s.text for s in typed_spans(text, 0, len(text), asked)]

    assert people("Who will take over the yard after Inês and Rui?") == ["Marta Lopes"]
    assert people("Who runs the yard with Rui?") == ["Inês Prado", "Marta Lopes"]
    # Nothing named: every person is a candidate, the surname shared or not.
    assert people("Who runs the yard?") == ["Inês Prado", "Rui Vasconcelos Lopes", "Marta Lopes"]


@pytest.mark.parametrize(("question", "expected"), [
    ("Who spends more on chip plants, Acme or Bosch?", True),
    ("Which colony is larger, Inishcarra or Ilhéu Vermelho?", True),
    ("How much more does Acme spend, Acme or Bosch?", False),  # a figure is asked for
    ("Between Acme and Bosch, who spends more on chip plants?", True),
    ("Between Acme and Bosch, how much more is spent?", False),
])
def test_a_comparison_asks_for_the_option_or_for_its_figure(question, expected):
    assert names_option(question) is expected


@pytest.mark.parametrize(("text", "title", "asked", "other"), [
    ("In 2019 the trains carried 38,500 passengers.", "", "2022", True),
    ("In 2022 the trains carried 41,000 passengers.", "", "2022", False),
    # A year that bounds, or is a compared figure's, is not the sentence's own.
    ("We recorded 48,310 visits, up from 41,775 in 2022.", "", "2023", False),
    ("She has led it since April 2019 and saw 48,310 visits.", "", "2023", False),
    ("By 1968 the line carried only 96,000 passengers.", "", "2022", True),  # dates its figure
    # No year of its own: the sentence is about its document's year.
    ("We recorded 48,310 visits, up from 41,775 in 2022.", "Annual Report 2023", "2023", False),
    ("We recorded 48,310 visits, up from 41,775 in 2022.", "Annual Report 2023", "2021", True),
    ("In 2019 the trains carried 38,500 passengers.", "Annual Report 2019", "2022", True),
])
def test_a_sentence_about_other_years_than_asked(text, title, asked, other):
    assert other_years(text, frozenset({asked}), title) is other


def test_a_sum_is_a_figure_in_digits_never_a_number_written_out():
    # An unknown currency's sum reads as a bare count ("1,400 scudi"); "two" of "two partners"
    # is no price.
    text = "The two partners paid 1,400 scudi for the mill and almost two years of work."
    question = "How much did the partners pay for the mill?"
    asked = Asked.of(question, analyse(question), KnownNames.of([]))
    assert [s.text for s in typed_spans(text, 0, len(text), asked)] == ["1,400"]


def test_a_profit_is_not_answered_with_a_debt():
    known = KnownNames.of([("Brenholt Works", "ORG")])
    asked = relations("What was Brenholt Works' net profit for the year?")
    assert asked == {"profit"}
    owner = frozenset({"Brenholt Works"})
    for sentence, agrees in [("Net debt at Brenholt Works stood at NOK 188 million.", False),
                             ("Net profit at Brenholt Works fell to NOK 27.9 million.", True)]:
        value = next(s for s in amounts(sentence) if s.text.startswith("NOK"))
        assert relation_agrees(sentence, 0, len(sentence), value, asked, owner, known) is agrees


# --- an eleventh users' set (2026-12-03): rules found on text written for it ------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The next meeting will be held on Tuesday 10th October 2023 at 7.30pm.",
     [("Tuesday 10th October 2023", "date"), ("7.30pm", "time")]),
    ("She died in Buenos Aires on the 9th of August 1946.", [("9th of August 1946", "date")]),
    ("It was last serviced on the 3rd of May, before the heatwave.", [("3rd of May", "date")]),
])
def test_a_day_written_with_an_ordinal_and_of_is_one_date(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ordered it to pay R 4.2\nmillion in damages", [("R 4.2\nmillion", "ZAR", 4.2e6)]),
    ("a fee of R12,500 a month", [("R12,500", "ZAR", 12500.0)]),
    # a letter alone before a small number is no rand: a statistic, a road
    ("The model's R2 was 0.8 on route R 45.", [("0.8", "count", 0.8)]),
    ("paid r 4 million", [("4 million", "count", 4e6)]),
])
def test_the_rand_is_read_only_before_a_scaled_or_grouped_number(text, expected):
    assert [(s.text, s.unit, s.value) for s in amounts(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Patients took a 40 mg tablet once daily for 12 weeks.", "once daily"),
    ("The board meets three times a year.", "three times a year"),
    ("The unit must be serviced every six months.", "every six months"),
    ("Trains will run hourly.", "hourly"),
    ("Buses leave every 15 minutes from the square.", "every 15 minutes"),
])
def test_how_often_is_read_as_a_frequency(text, expected):
    assert (expected, "frequency") in [(s.text, s.unit) for s in amounts(text)]
    assert "frequency" not in {s.unit for s in amounts("Read the daily newspaper once the "
                                                       "line reopens.")}


def test_questions_of_frequency_counts_and_reasons():
    wanted = analyse("How often did participants take the tablet?")
    assert wanted.kind is Kind.AMOUNT and wanted.prefer == {"frequency"} and wanted.strict
    # the drivers are counted: the speed limit is no measure asked for
    wanted = analyse("How many drivers broke the speed limit outside the school?")
    assert wanted.prefer == {"count"} and wanted.counted == "drivers"
    assert analyse("How many hectares does the farm cover?").counted == ""
    for question in ("For what reason did the court prefer his evidence?",
                     "What is the reason older releases are no longer supported?"):
        assert analyse(question).prefer == {"reason"}


def test_since_gives_a_cause_but_not_before_a_time():
    assert CAUSE.search("It was cheap, since nobody wanted it.")
    for text in ("the first release since version 4.0", "since 2019", "since then",
                 "since March", "since the 1990s"):
        assert not CAUSE.search(text), text


@pytest.mark.parametrize(("text", "name"), [
    ("The engine was designed by Dr. Henrik ter Haar, who joined in 2023.", "Henrik ter Haar"),
    ("The motion was seconded by Gwen ap Rhys.", "Gwen ap Rhys"),
])
def test_lower_case_particles_inside_a_persons_name(text, name):
    found = [s.text for s in names(text, EMPTY) if s.kind is Kind.PERSON]
    assert found == [name]


def test_a_one_word_aside_inside_a_name_ends_no_clause():
    text = ("The High Court on 9 March 2023 ordered Kestrel Cold Storage (Pty) Ltd to pay "
            "Harbourline Freight Ltd R 4.2 million in damages.")
    known = KnownNames.of([(name, "ORG") for name in (
        "High Court", "Kestrel Cold Storage", "Harbourline Freight Ltd")])
    span = next(s for s in amounts(text) if s.unit == "ZAR")
    assert owner_of(text, 0, len(text), span, known)[0] == "Kestrel Cold Storage"


@pytest.mark.parametrize(("text", "name"), [
    ("It was carried by five votes to one, with Cllr. O'Leary voting against.", "O'Leary"),
    ("Kestrel's expert, Dr. Essop, disagreed.", "Essop"),
])
def test_one_name_after_a_titles_abbreviation_is_a_person(text, name):
    assert [(s.text, s.kind) for s in names(text, EMPTY)] == [(name, Kind.PERSON)]
    assert names("General Motors sold cars.", EMPTY)[0].kind is not Kind.PERSON


def test_which_countries_asks_for_places():
    wanted = analyse("In which countries were the study hospitals?")
    assert wanted.kind is Kind.PLACE and wanted.prefer == {"country"} and wanted.many


def test_a_name_owning_what_follows_it_is_no_place():
    text = "It stored the hake in Kestrel's Bay 7 facility, then sold it in Vigo, Spain."
    assert [(s.text, s.unit) for s in places(text, EMPTY)] == [("Vigo", "city"),
                                                               ("Spain", "country")]


def test_which_command_asks_for_code_and_prose_nouns_do_not():
    assert analyse("Which command should administrators use now?").prefer == {"code"}
    assert "code" not in analyse("What method was used to date the wood?").prefer


def test_a_life_has_two_ends_and_a_name_asks_about_neither():
    assert life_event("When did she die?") == "death"
    assert life_event("Where was Ines Valdora born?") == "birth"
    assert life_event("When did the Black Death reach Europe?") is None  # a name
    assert life_event("Where did the black death originate?") is None
    assert life_event("When was he born and when did he die?") is None  # both
    text = "Born in Trieste in 1871, she died in Lisbon. She was born in Trieste."
    assert not other_event(text, 0, 46, "death")  # says both
    assert other_event(text, 47, len(text), "death")


class _Corpus:
    """The two things `asked_codes` reads of an index: its analyzer and which terms it holds."""

    def __init__(self, words: set[str]) -> None:
        self.bm25 = self
        self._words = words

    def tokenize(self, text: str) -> list[str]:
        return text.lower().split()

    def rarity(self, token: str) -> float | None:
        return 1.0 if token in self._words else None


@pytest.mark.parametrize(("question", "about", "other"), [
    ("What porosity was estimated for sample CH-24-04?",
     "Sample CH-24-04 has a porosity of 9%.", "Sample CH-24-03 has a porosity of 14%."),
    ("How many KAF-550 units were sold?", "41,700 KAF-550 units were sold.",
     "12,000 KAF-550D units were sold."),
    ("How much is the lab worth in ENVS 3140?", "In ENVS 3140 the lab is worth 25%.",
     "In ENVS 3150 the lab is worth 20%."),
    ("How many AirCrisp 3.2L fryers were sold?", "About 9,000 AirCrisp 3.2L fryers were sold.",
     "About 41,700 AirCrisp 5.5L fryers were sold."),
])
def test_a_sentence_must_write_the_identifier_a_question_names(question, about, other):
    codes = asked_codes(_Corpus({"3.2l"}), question)
    assert codes and writes_codes(about, codes) and not writes_codes(other, codes)


def test_ordinals_decades_units_and_currencies_are_no_identifiers():
    corpus = _Corpus(set())
    for question in ("Who won in the 1990s?", "What happened in the 17th century?",
                     "How long is the 10km route?", "How much is USD 500 in euros?",
                     "What changed in the mid-1990s?", "Who hosted the NATO 2024 summit?"):
        assert asked_codes(corpus, question) == (), question


def test_a_table_row_is_data_read_with_its_header():
    text = ("## Assessment\n\n| Component | Weight |\n|---|:--:|\n| Midterm exam | 15% |\n"
            "| Final report | 30% |\n")
    row = text.index("| Final")
    assert not is_heading(text, row, text.index("\n", row))
    rule = text.index("|---")
    assert is_heading(text, rule, text.index("\n", rule))
    assert heading_context(text, row) == ("## Assessment | Component | Weight |", "")
    header = text.index("| Component")
    assert heading_context(text, header) == ("## Assessment", "")
    empty = "| | |"
    assert not is_heading(empty, 0, len(empty))  # an empty row is no rule


def test_a_row_too_far_below_its_header_gets_no_other_row_for_one():
    rows = "".join(f"| CH-{i:03d} | porosity {i} percent, measured in thin section |\n"
                   for i in range(200))
    text = "| Sample | Note |\n|---|---|\n" + rows
    assert heading_context(text, text.index("| CH-005"))[0] == "| Sample | Note |"
    assert heading_context(text, text.index("| CH-190"))[0] == ""


def test_a_title_word_ending_a_sentence_makes_no_person():
    text = "He thanked the new Mayor. Acme Holdings Ltd objected to the plan."
    assert [s.kind for s in names(text, EMPTY) if s.text == "Acme Holdings Ltd"] == [Kind.ORG]


def test_a_list_of_fields_is_data_and_a_title_before_a_name_makes_a_person():
    text = "## Course\n\n- Instructor: Dr. Tomasz Wierzbicki\n- Office: Room 3.12\n"
    a = text.index("- Instructor")
    assert is_field(text, a, text.index("\n", a))
    known = KnownNames.of([("Tomasz Wierzbicki", "ORG")])  # as the entity model marked it
    assert [(s.text, s.kind) for s in names(text, known, a)] == [("Tomasz Wierzbicki",
                                                                   Kind.PERSON)]


@pytest.mark.parametrize(("text", "expected"), [
    ("We got a grant of eighteen thousand pounds.", [("eighteen thousand pounds", "GBP", 18000)]),
    ("It is about sixty percent of what we sell.", [("about sixty percent", "%", 60)]),
    ("They raised two billion euros.", [("two billion euros", "EUR", 2e9)]),
    ("It sold for two hundred thousand dollars.", [("two hundred thousand dollars", "USD", 2e5)]),
    ("It takes between 5 and 10 minutes.", [("5", "count", 5)]),  # no count range
    ("I still do the market every Saturday, rain or shine.", [("every Saturday", "frequency",
                                                               None)]),
    ("Lectures run from 09:00 to 10:30 in room B2.", []),  # a clock's numbers are no counts
])
def test_amounts_written_out_and_frequencies_by_weekday(text, expected):
    assert [(s.text, s.unit, s.value) for s in amounts(text)] == expected


def test_times_of_day_and_opening_hours():
    text = ("Office hours: Tuesdays 14:00–16:00. The line is open from 8am to 8pm, and the "
            "shop opens at 2.30 p.m. on Fridays.")
    times = [s.text for s in dates(text) if s.unit == "time"]
    assert times == ["Tuesdays 14:00–16:00", "8am to 8pm", "2.30 p.m."]
    assert analyse("What time does the shop open?").prefer == {"time"}


def test_what_a_venue_charges_asks_for_money_and_charges_brought_do_not():
    assert analyse("What does the Corn Exchange charge for room hire?").kind is Kind.AMOUNT
    assert analyse("What was the charity's total income last year?").kind is Kind.AMOUNT
    assert analyse("What charges were brought against him?").kind is not Kind.AMOUNT
    assert analyse("What did police charge him with?").kind is not Kind.AMOUNT
    assert analyse("What is income inequality attributed to?").kind is not Kind.AMOUNT


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("Which model numbers are being recalled?",
     "The recall covers AirCrisp 5.5L fryers with model numbers KAF-550 and KAF-550D.",
     "KAF-550 and KAF-550D"),
    ("Which batch codes are affected?",
     "Affected units carry a batch code beginning with 23B, 23C or 23D, then four digits.",
     "23B, 23C or 23D"),
    ("What part number replaces the NV-F20 filter?", "Order the NV-F20 replacement, NV-F22.",
     "NV-F22"),  # not the one the question names
])
def test_which_model_numbers_asks_for_the_identifiers_a_sentence_lists(question, text, expected):
    assert analyse(question).prefer == {"code", "identifier"}
    found = new_code(text, 0, len(text), question, identifiers=True)
    assert found is not None and text[found[0]:found[1]] == expected


def test_identifiers_answer_only_a_question_for_identifiers():
    text = "Upgrade to Python 3.11 first; see PEP8 and RFC-9110."
    assert new_code(text, 0, len(text), "Which command should I use to export?") is None
    text = "Models KAF-550, KAF-550D and KAF-320 are affected."
    found = new_code(text, 0, len(text), "Which model numbers besides KAF-320?", identifiers=True)
    assert found is not None and text[found[0]:found[1]] == "KAF-550, KAF-550D"


def test_ranges_of_counts_and_of_days_are_one_answer():
    text = "We expect between 120 and 130 guests; the fund ran between 2019 and 2021."
    assert [(s.text, s.unit) for s in amounts(text)] == [("between 120 and 130", "count")]
    text = "They were made between 6 February 2023 and 28 July 2023, and sold from May."
    assert dates(text)[0].text == "between 6 February 2023 and 28 July 2023"
    assert analyse("Between which dates were the fryers made?").kind is Kind.DATE


def test_how_far_ahead_asks_for_a_time_and_how_far_for_a_distance():
    assert analyse("How far ahead of the event does the venue need numbers?").prefer == {
        "duration"}
    assert analyse("How far is the station from the hotel?").kind is Kind.AMOUNT


def test_a_count_counts_its_noun_and_what_of_adds():
    text = "We had 23 reports of units overheating, including 4 reports of minor burns and 2 fires."
    counted = [counted_phrase(text, text.index(n) + len(n)) for n in ("23", "4 ", "2 ")]
    assert counted == ["reports of units overheating", "reports of minor burns", "fires"]
    assert analyse("How many reports of minor burns were there?").counted == (
        "reports of minor burns")


def test_an_html_tables_rows_come_out_as_rows_a_reader_answers_from():
    html = (b"<html><body><article><h1>Fees</h1><p>The parts of the course and what each is "
            b"worth are listed below for every student.</p><table><tr><th>Part</th><th>Weight"
            b"</th></tr><tr><td>Essay</td><td>40%</td></tr></table></article></body></html>")
    text = clean_text(extract_file(html, ".html", "fees.html").pages[0])
    row = text.index("| Essay")
    assert not is_heading(text, row, text.index("|", text.index("40%")) + 1)
    assert heading_context(text, row)[0].endswith("| Part | Weight |")


# --- a thirteenth users' set's kinds (written for these tests) ---------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The train takes 1 hour 52 minutes.", [("1 hour 52 minutes", "duration")]),
    ("It took 3 hours and 20 minutes in all.", [("3 hours and 20 minutes", "duration")]),
    # how often, and an age: neither lasts that long
    ("Boats sail four times a day.", []),
    ("Patients aged 65 years or older took part.", []),
    ("Open Tue–Sun 9:00–17:00.", [("Tue–Sun 9:00–17:00", "time")]),
    ("Open Mondays to Fridays 8:00–18:00.", [("Mondays to Fridays 8:00–18:00", "time")]),
    ("The hall opens at noon.", [("noon", "time")]),
    # hours and minutes together only: a year and then minutes are two durations
    ("After 5 years, 10 minutes of rest helps.",
     [("5 years", "duration"), ("10 minutes", "duration")]),
    ("She scored in the 58th minute.", [("the 58th minute", "time")]),
])
def test_durations_hours_and_a_matchs_minutes(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The club meets on the second Tuesday of each month.",
     [("the second Tuesday of each month", "frequency")]),
    ("Kittens are insured from 8 weeks old.", [("8 weeks old", "age")]),
    ("A small dog costs 289 kr per month.", [("289 kr per month", "SEK")]),  # the rate
])
def test_frequencies_ages_and_kronor(text, expected):
    assert [(s.text, s.unit) for s in amounts(text)] == expected


def test_a_score_is_read_for_a_question_that_asks_for_one():
    text = "The home side won 27-19, and drew 2–2 a week later; 1-2.5 cm of rain fell."
    assert [s.text for s in scores(text)] == ["27-19", "2–2"]
    assert ("1-2.5 cm", "length") in [(s.text, s.unit) for s in amounts(text)]


@pytest.mark.parametrize(("question", "kind", "prefer", "strict"), [
    ("How young can a kitten be when it is insured?", Kind.AMOUNT, {"age"}, True),
    ("What was the final score?", Kind.AMOUNT, {"score"}, False),
    ("What was the score at half-time?", Kind.AMOUNT, {"score"}, False),
    # a test's score is no match's
    ("What was the Gleason score?", None, set(), False),
    ("What time does the last ferry leave?", Kind.DATE, {"time"}, True),
    ("At what time is the rivalry set aside?", Kind.DATE, {"time"}, False),
    # "at what time did ..." asks for an era as often as a clock
    ("At what time did the glaciers retreat?", Kind.DATE, {"time"}, False),
])
def test_ages_scores_and_clocks_asked_for(question, kind, prefer, strict):
    wanted = analyse(question)
    assert (wanted.kind, set(wanted.prefer), wanted.strict) == (kind, prefer, strict)


def test_a_quantity_noun_asks_for_a_number_and_a_museum_visit_for_its_hours():
    assert analyse("What hazard ratio did the trial report?").kind is Kind.AMOUNT
    assert analyse("What rate of interest did the bank charge?").kind is Kind.AMOUNT
    assert analyse("At what rate did the town grow?").kind is None  # "rapidly"
    assert analyse("What birth rate policy did the state adopt?").kind is None  # a policy
    assert "time" in analyse("When can I visit the lighthouse?").prefer
    assert "time" not in analyse("When was the lighthouse built?").prefer


def test_has_since_gives_no_cause():
    assert not CAUSE.search("The pump has since been replaced.")
    assert CAUSE.search("The mill closed since nobody bought its flour.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Outside Europe, you are only covered with the add-on.", ["Europe"]),
    ("In France, sales fell.", ["France"]),
    ("It opened offices in North Carolina and New Mexico.", []),  # no "Mexico" alone
])
def test_a_country_after_a_sentences_first_word(text, expected):
    assert [p.text for p in places(text, EMPTY) if p.unit in ("country", "region")] == expected


def test_a_table_rows_cells_come_with_the_header_above_each():
    text = ("# Boats\n\n| Boat | Length (m) | Crew |\n|---|---:|---:|\n"
            "| Seal | 12.5 | 4 |\n| Tern | 9 | |\n\nA sentence after the table.")
    cells = table_cells(text, text.index("| Seal"))
    assert [(h, text[a:b]) for h, a, b in cells] == [
        ("Boat", "Seal"), ("Length (m)", "12.5"), ("Crew", "4")]
    assert [text[a:b] for _, a, b in table_cells(text, text.index("| Tern"))] == ["Tern", "9", ""]
    assert table_cells(text, text.index("| Boat")) is None  # the header itself
    assert table_cells(text, text.index("A sentence")) is None


def test_going_to_a_place_names_it_but_not_an_adjective_of_one():
    text = "The team travels to Harrow Quay on Saturday; they were moved to Central Asian towns."
    assert [p.text for p in places(text, EMPTY)] == ["Harrow Quay"]


def test_how_many_things_a_question_asks_for():
    assert items_asked("Which three benefits does the plan add?") == 3
    assert items_asked("Name the 4 founders.") == 4
    assert items_asked("Which two clubs met?") is None  # a pair is no written list
    assert items_asked("Which benefit does the plan add?") is None


def test_a_yes_no_question_may_open_with_a_condition():
    assert is_yes_no("If I cancel a week after buying, can I get my money back?")
    assert not is_yes_no("If it rains, where do we meet?")
    assert not is_yes_no("Before the flood of which year, did the mill close?")


def test_a_lines_label_is_a_label():
    text = "HOST: How big is it?\nMARA QUINN: There are eleven of us.\nThe ratio: 3 to 1."
    assert is_label(text, 0, 4) and is_label(text, text.index("MARA"), text.index(":", 30))
    assert not is_label(text, text.index("ratio"), text.index("ratio") + 5)  # not at a line start
    quoting = "Paraphrasing Ada Lind:\n\nFreedom can mean ..."
    assert not is_label(quoting, 0, quoting.index(":"))  # names the quotation's author


def test_a_clause_or_step_number_at_a_line_start_is_a_label():
    text = "6.1 The Tenants must pay.\n2. Melt the butter.\n12 squares\n1.5 litres of milk"
    assert is_label(text, 0, 3)  # "6.1"
    lines = "3 Large eggs\n10 Downing Street\n"
    assert not is_label(lines, 0, 1) and not is_label(lines, 13, 15)  # counts and addresses
    step = text.index("2.")
    assert is_label(text, step, step + 2) and is_label(text, step, step + 1)
    for figure in ("12", "1.5"):  # a count or a measure that opens a line answers
        at = text.index(figure)
        assert not is_label(text, at, at + len(figure))


def test_fields_side_by_side_on_one_line_are_data_not_a_heading():
    text = "# Scones\n\nServes: 8 scones | Prep: 15 minutes\n\nHeat the oven."
    a = text.index("Serves")
    b = text.index("\n", a)
    assert is_field(text, a, b)
    lone = "# Scones\n\nReport: a hard year\n\nHeat the oven."
    a = lone.index("Report")
    assert not is_field(lone, a, lone.index("\n", a))


@pytest.mark.parametrize(("text", "expected"), [
    ("| Ostvale | 5.2 | -0.4 | +0.3 |", ["5.2", "-0.4", "+0.3"]),  # a table's signed changes
    ("The index moved −0.5 points.", ["−0.5"]),
    ("Ages 40-45 and GPT-4.", []),  # a range's second end and a name's number carry no sign
    ("Ranges 10 -15 apply and the vote was 12 -3.", ["12"]),  # prose: no sign read
    # no sign read; "0958", written with a leading zero, is a code's group, no count
    ("Call +44 20 7946 0958.", ["44", "20", "7946"]),
    ("Unemployment rose in six of the eight regions.", ["six", "eight"]),
    ("Two of them were brothers.", []),
])
def test_signed_changes_and_parts_of_a_counted_whole(text, expected):
    assert [s.text for s in amounts(text) if s.unit == "count"] == expected


def test_signed_values_keep_their_sign():
    assert [s.value for s in amounts("| -0.4 | +0.3 |")] == [-0.4, 0.3]


@pytest.mark.parametrize(("text", "expected"), [
    ("Ruth Calloway has died. She was 91.", ("91", "age")),
    ("The man, who died at 78, left a farm.", ("78", "age")),
    ("She was forty-two when she sailed.", ("forty-two", "age")),
    ("The rate rose 0.4 pp on the quarter.", ("0.4 pp", "%")),
    ("The rate rose by 0.4 pp.", ("0.4 pp", "%")),
    ("The book runs to 320 pp, with an index.", ("320", "count")),  # pages
    ("The fair is held every second year.", ("every second year", "frequency")),
    ("Rated power: 2,000 W", ("2,000 W", "power")),
    ("Noise level: 41 dB", ("41 dB", "sound")),
    ("The shop is at 12 W Main Street.", ("12", "count")),  # west, not watts
])
def test_ages_said_alone_points_frequencies_and_units(text, expected):
    assert [(s.text, s.unit) for s in amounts(text)][-1:] == [expected]


def test_a_number_after_she_was_is_an_age_only_when_nothing_follows_it():
    assert [(s.text, s.unit) for s in amounts("She was 87 when she died.")] == [("87", "age")]
    assert not any(s.unit == "age" for s in amounts("He was 5 minutes late for the 10 trains."))


@pytest.mark.parametrize(("question", "kind", "prefer", "strict"), [
    # a unit the question ends with is preferred, not required
    ("What is the heater's power consumption in watts?", Kind.AMOUNT, {"power"}, False),
    ("How loud is the fan?", Kind.AMOUNT, {"sound"}, True),
    ("How many kilowatt-hours does it use a year?", Kind.AMOUNT, {"energy"}, True),
    ("What rate of interest is charged when the rent is late?", Kind.AMOUNT,
     {"%", "fraction"}, False),
    # "what was the ... rate": only a percentage answers
    ("What was Vellmark's overall jobless rate for 2024?", Kind.AMOUNT, {"%", "fraction"}, True),
    ("How frequently is the fair held?", Kind.AMOUNT, {"frequency"}, True),
    ("In which village was she born?", Kind.PLACE, {"city"}, False),
    ("What are the names of her children?", Kind.PERSON, {"person"}, False),
    ("Which count ruled the town?", Kind.PERSON, {"person"}, False),
    ("Which duke led the army?", Kind.PERSON, {"person"}, False),
])
def test_units_rates_villages_and_relatives_asked_for(question, kind, prefer, strict):
    wanted = analyse(question)
    assert (wanted.kind, set(wanted.prefer), wanted.strict) == (kind, prefer, strict)


@pytest.mark.parametrize("question", [
    "What riots happened in Watts?",  # a place: units are written in lower case
    "What is the angle in degrees?",  # degrees measure angles as well as heat
    "What is a ratio?",  # a definition
    "What was the birth rate policy?",  # the rate is no head noun
    "Which count is higher?",  # a count of things, not a nobleman
    "What skill levels does the club offer?",  # no measured level
])
def test_no_unit_or_rate_is_asked_for(question):
    wanted = analyse(question)
    assert wanted.kind is not Kind.PERSON and not (wanted.strict and wanted.prefer & {
        "power", "temperature"})
    assert wanted.kind is None or "count" in question


@pytest.mark.parametrize("question", [
    "What is the exchange rate?", "What is his resting heart rate?", "What is the frame rate?",
])
def test_a_rate_that_is_no_percentage(question):
    assert analyse(question).prefer != {"%", "fraction"}


@pytest.mark.parametrize("question", [
    "What rate of interest is charged?", "What was Acme's jobless rate for 2024?",
    "What was the inflation rate?",
])
def test_a_rate_that_is_a_percentage(question):
    assert analyse(question).prefer == {"%", "fraction"}


def test_a_month_range_dates_its_year_and_centuries_and_decades_are_eras():
    assert asked_years("What was the rate in July to September 2022?") == {"2022"}
    assert asked_years("What happened between 1990 and 1995?") == frozenset()
    assert asked_eras("Who ruled in the early fifteenth century?") == ((1400, 1499),)
    assert asked_eras("What happened in the 1530s?") == ((1530, 1539),)
    assert asked_eras("What came before the 12th century?") == ()
    assert asked_eras("Who ruled in the 3rd century BC?") == ()
    assert asked_eras("What changed in the twenty-first century?") == ((2000, 2099),)  # not 1st
    assert asked_eras("What opened in the 1800s?") == ((1800, 1899),)  # a century
    eras = asked_eras("Who ruled in the 15th century?")
    assert other_era("In 1147 Count Ivo granted a market.", eras)
    assert not other_era("Count Osric, who ruled from 1402 to 1419, built a hall.", eras)
    assert not other_era("The castle was built in the 15th century, in 1388 or later.", eras)
    assert not other_era("The count built a hall.", eras)  # no year: not ruled out


def test_a_bodys_founding_and_ending_are_other_ends():
    assert life_event("In what year was the guild dissolved?") == "ending"
    assert life_event("When was the club founded?") == "founding"
    assert life_event("When did the company close down?") == "ending"
    # a person's end comes first: the founding only says who
    assert life_event("When did the man who founded the firm die?") == "death"
    assert life_event("Where was the woman who set up the charity born?") == "birth"
    founded = "The guild was founded in 1231."
    assert other_event(founded, 0, len(founded), "ending")
    assert not other_event(founded, 0, len(founded), "founding")


def test_a_relatives_names_a_village_of_and_a_regnal_number():
    text = ("Born Ruth Evans in the fishing village of Coldbay Point, she is survived by her two "
            "sons, Aled and Gethin, and by her sister, Mair. Count Osric III built the hall.")
    found = {s.text: s.kind for s in names(text, EMPTY)}
    assert found.get("Aled and Gethin") is Kind.PERSON and found.get("Mair") is Kind.PERSON
    assert found.get("Count Osric III") is Kind.PERSON and found.get("Ruth Evans") is Kind.PERSON
    assert "Coldbay Point" not in found
    assert [s.text for s in places(text, EMPTY)] == ["Coldbay Point"]
    assert {s.text: s.kind for s in names("He married his wife Mary in 1950.", EMPTY)} == {
        "Mary": Kind.PERSON}
    # a list after a family noun is of people only when its items are given names
    mixed = names("She is survived by her son, Tom, and Barclays Bank paid.", EMPTY)
    assert all(s.kind is not Kind.PERSON or " " not in s.text for s in mixed)


@pytest.mark.parametrize(("text", "person"), [
    ("Patty Duke won an Oscar.", "Patty Duke"),  # ranks that are surnames stay in the name
    ("The film starred Julie Bishop.", "Julie Bishop"),
    ("Sacha Baron Cohen hosted it.", "Sacha Baron Cohen"),
    ("Count Osric III built the hall.", "Count Osric III"),
])
def test_ranks_that_are_surnames_too_are_kept_in_a_name(text, person):
    assert person in {s.text for s in names(text, EMPTY) if s.kind is Kind.PERSON}


def test_a_place_whose_name_opens_with_a_rank():
    text = "They moved to Prince Edward Island."
    assert [s.text for s in places(text, EMPTY)] == ["Prince Edward Island"]


def test_a_markdown_heading_opens_its_section():
    text = "Contact: Labour Division, 0300 555\n\n## Main points\n\nThe rate was 4.8%."
    heading, _ = heading_context(text, text.index("The rate"))
    assert heading == "## Main points"


def test_a_publishers_line_above_the_lead_is_part_of_the_header():
    text = ("# Jobs bulletin\n\nVellmark Statistics Office\n\nRelease date: 14 August 2024\n\n"
            "## Main points\n\nThe national unemployment rate was 4.8% in April to June 2024, "
            "the office said today.")
    assert lead(text).startswith("Vellmark Statistics Office\n")
    contents = ("# Report\n\nContents\nIntroduction\nFindings\n\nThe council met on Monday and "
                "agreed the budget for the next year after a long debate.")
    assert lead(contents).startswith("The council met")  # a list of sections is no header


@pytest.mark.parametrize(("text", "expected"), [
    ("consecrated fifty-one years after the stone was laid", [("fifty-one years", "duration")]),
    ("hired on a two-year contract", [("two-year", "duration")]),
    ("a five-year-old mare", []),  # an age, not how long
    ("played from 3 to 9 July 2023 in the hall", [("3 to 9 July 2023", "date")]),
    ("held on July 3–9, 2023 again", [("July 3–9, 2023", "date")]),
    ("is recommended in December, when", [("December", "month")]),
    ("May Pearce said in May 1500 people came", []),  # "May" is a name and a verb too
])
def test_durations_day_ranges_and_months(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("the adit lies about 90 m east of the portal", [("about 90 m", "length")]),
    ("the vein lies between 141.6 and 147.9 m down-hole",
     [("between 141.6 and 147.9 m", "length")]),
    ("a 5m grant for 40 people", [("40", "count")]),  # a million written onto the number
    ("It attracted 112 players, from 3 to 9 July", [("112", "count")]),  # days are no count
    ("when the air cools to about 14 °C (57 °F), the bees", [("about 14 °C", "temperature")]),
])
def test_metres_ranges_and_conversions(text, expected):
    assert [(s.text, s.unit) for s in amounts(text)] == expected


def test_a_nationality_is_no_place_and_a_numbered_thing_no_organization():
    known = KnownNames.of([("Swiss", "NORP"), ("Geneva", "GPE")])
    assert [s.text for s in places("costs are incurred in Swiss francs in Geneva", known)] == [
        "Geneva"]
    found = names("THAT Tender T-2024-03 be awarded to Corrigan & Sons Civil Ltd. today", EMPTY)
    assert "Tender T-2024-03" not in [s.text for s in found]


@pytest.mark.parametrize(("text", "expected"), [
    ("a play by August Wilson", []),  # a name, not a month
    ("The court ruled 6-3 June 24 that", [("3 June", "date")]),  # a vote, not days of June
    ("a class of 5-year-olds", []),  # an age
])
def test_what_is_not_a_month_or_a_duration(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("sold 3 m copies", [("3", "count")]),  # millions, not metres
    ("raised 4.5 m from investors", [("4.5", "count")]),
    ("a wall 3 m high", [("3 m", "length")]),
])
def test_an_m_after_a_space_is_a_metre_only_as_a_measure_is_written(text, expected):
    assert [(s.text, s.unit) for s in amounts(text)] == expected


def test_a_code_is_cut_from_a_name_and_a_region_before_a_preposition_stays_a_place():
    found = names("The air force ordered 40 Lockheed Martin F-35 jets.", EMPTY)
    assert [s.text for s in found] == ["Lockheed Martin"]
    known = KnownNames.of([("Punjab", "NORP"), ("Lahore", "GPE")])
    assert [s.text for s in places("Wheat is grown in Punjab near Lahore.", known)] == [
        "Punjab", "Lahore"]


@pytest.mark.parametrize(("question", "noun"), [
    ("What were the names of Vellmark's town gates?", "gates"),
    ("What are the names of the people who founded it?", "people"),
    ("Who won the cup?", None),
])
def test_the_noun_whose_names_a_question_asks_for(question, noun):
    assert names_asked(question) == noun


@pytest.mark.parametrize(("text", "expected"), [
    ("won the race in 2:07:31, holding off", [("2:07:31", "duration")]),  # elapsed
    ("the warning sounded at 09:44:05 UTC", [("09:44:05 UTC", "time")]),  # a clock, its zone kept
    ("the descent took 4 minutes 10 seconds.", [("4 minutes 10 seconds", "duration")]),
])
def test_times_with_seconds(text, expected):
    assert [(s.text, s.unit) for s in dates(text)] == expected


def test_a_numbered_paragraphs_number_is_no_count():
    assert [s.text for s in amounts("[12] The Claimant sought 40 crates.")] == ["40"]


@pytest.mark.parametrize(("question", "kind", "unit"), [
    ("What was Yego's winning time in the marathon?", Kind.DATE, "duration"),
    ("What damages was the forwarder ordered to pay?", Kind.AMOUNT, "GBP"),
])
def test_what_a_result_time_and_damages_ask_for(question, kind, unit):
    wanted = analyse(question)
    assert wanted.kind is kind and unit in wanted.prefer


@pytest.mark.parametrize(("question", "kind"), [
    ("Who holds the record time for the 100 m?", Kind.PERSON),  # a person, not a time
    ("What is the best time to visit the gardens?", None),
    ("What award did the low-budget film win at the festival?", None),  # not a sum
])
def test_what_a_time_or_a_money_word_inside_a_question_does_not_make_it(question, kind):
    assert analyse(question).kind is kind


def test_a_clock_with_seconds_and_am_is_a_time():
    assert [(s.text, s.unit) for s in dates("The meeting opened at 9:30:00 am sharp.")] == [
        ("9:30:00 am", "time")]


@pytest.mark.parametrize(("question", "noun"), [
    ("What were the names of the ships Cook sailed?", "ships"),
    ("What were the names of the gates, and who built them?", "gates"),
])
def test_the_noun_whose_names_are_asked_is_no_name_verb_or_conjunction(question, noun):
    assert names_asked(question) == noun


def test_versions_are_not_days_or_grouped_numbers():
    assert _VERSION.findall("What changed in v3.7.0 on 3.7.2023 for €1.250.000?") == ["v3.7.0"]


def test_a_stored_number_is_read_with_its_currency_not_its_qualifier():
    text = "Grants of US$5 to US$12,500,000 were paid. It cost about £19,800 in all."
    five, sum_ = text.index("5 to"), text.index("19,800")
    assert text[slice(*_as_written(text, 0, len(text), five, five + 1))] == (
        "US$5 to US$12,500,000")
    assert text[slice(*_as_written(text, 0, len(text), sum_, sum_ + 6))] == "£19,800"


@pytest.mark.parametrize(("text", "seconds"), [
    ("around 45 minutes", 2700), ("1 hour 52 minutes", 6720), ("2:07:31", 7651),
    ("fifty-one years", 51 * 31557600), ("a 20-minute", 1200), ("soon", None),
])
def test_how_long_a_duration_lasts(text, seconds):
    assert duration_seconds(text) == seconds


def test_a_hyphenated_period_is_no_count():
    assert [s.text for s in amounts("a 20-minute interval and 12 bands")] == ["12"]


def test_a_clock_with_tenths_of_a_second_and_its_zone_is_a_time():
    text = "The star vanished at 21:47:12.4 UT; the relay failed at 04:10 UTC, after 1:29:44.6."
    assert [(s.text, s.unit) for s in dates(text)] == [
        ("21:47:12.4 UT", "time"), ("04:10 UTC", "time"), ("1:29:44.6", "duration")]


def test_a_conversion_in_brackets_is_kept_on_request_with_the_unit_it_is_written_in():
    text = "The barn has a floor area of 96 m² (1,033 sq ft); its ridge is 7.5 m (24.6 ft) high."
    assert [s.text for s in amounts(text)] == ["96 m²", "7.5 m"]
    assert [(s.text, written_unit(s)) for s in amounts(text, conversions=True)] == [
        ("96 m²", "square metre"), ("1,033 sq ft", "square foot"), ("7.5 m", "metre"),
        ("24.6 ft", "foot")]
    assert same_unit("Square-Feet") == "square foot" and same_unit("furlongs") == ""
    # every unit's first spelling measures something, so a table's "(ft)" column can say what
    assert all(unit in MEASURES for unit in SAME_UNIT.values())


@pytest.mark.parametrize(("question", "unit"), [
    ("What is the floor area of the barn in square feet?", "square foot"),
    ("How high is the ridge in feet?", "foot"),
    ("How many sq ft is the barn?", "square foot"),
    ("How far is the depot in km?", "kilometre"),
    ("How much water is each sachet mixed with, in pints?", "pint"),
    ("How many people live in Leeds?", ""),
    ("How high is the ridge?", ""),
])
def test_the_unit_a_question_asks_in(question, unit):
    assert analyse(question).unit == unit


@pytest.mark.parametrize(("question", "strict_money"), [
    ("What will the sculpture sell for?", True),
    ("How much did the house sell for?", True),
    ("How much did the house sell for in 2020?", True),
    ("What did the sellers ask about the fence?", False),
    ("What did the dog fetch?", False),
    ("What did the council sell for housing?", False),
    ("How much are the unions asking for?", False),  # "a 9 per cent rise" answers it
])
def test_what_a_thing_sells_for_is_money(question, strict_money):
    wanted = analyse(question)
    assert (wanted.kind is Kind.AMOUNT and wanted.strict and "EUR" in wanted.prefer) is (
        strict_money)


def test_what_sellers_ask_is_money_first_but_not_only():
    wanted = analyse("How much are the sellers asking for the cottage?")
    assert wanted.kind is Kind.AMOUNT and "EUR" in wanted.prefer and "%" not in wanted.prefer
    assert not wanted.strict


def test_how_many_short_asks_for_the_count_followed_by_short():
    wanted = analyse("How many seats short of a majority was the Farmers' Party?")
    assert wanted.measured == "short" and wanted.counted == ""


@pytest.mark.parametrize(("line", "field"), [
    ("Asking price: €412,000", True), ("Price: NZD 38", True),
    ("Visitors: 12,400 people", True), ("Report: a hard year", False),
    ("Chapter 3: The storm", False), ("Chapter 3: 1914", False), ("Part One: 1942", False),
    ("Figure IV: 2019", False), ("Founded: 1912", True),
])
def test_a_lone_label_with_a_figure_for_its_value_is_a_field(line, field):
    text = f"Overview of the year\n{line}\nThe next line is prose."
    a = text.index(line)
    assert is_field(text, a, a + len(line)) is field


def test_a_bare_number_answers_a_strict_question_only_where_no_figure_of_its_units_does():
    question = "What share of the dairy's power will the solar panels supply?"
    asked = Asked.of(question, analyse(question), KnownNames.of([]))
    text = "The 220 solar panels on the roof should supply about 60 per cent of its power."
    assert [s.text for s in typed_spans(text, 0, len(text), asked)] == ["about 60 per cent"]


def test_a_question_in_feet_is_answered_by_the_conversion_or_the_feet_column():
    question = "How high is Camp 2 in feet?"
    asked = Asked.of(question, analyse(question), KnownNames.of([]))
    text = "Camp 2 stood at 6,080 m (19,948 ft) on the ridge."
    assert [s.text for s in typed_spans(text, 0, len(text), asked)] == ["19,948 ft"]
    table = "| Camp | Height (m) | Height (ft) |\n|---|---|---|\n| Camp 2 | 6,080 | 19,948 |\n"
    row = table.index("| Camp 2")
    assert [s.text for s in typed_spans(table, row, len(table) - 1, asked)] == ["19,948"]


def test_what_a_sentence_says_the_reason_is_runs_to_the_statements_end():
    wanted = analyse("What was the main reason the closures went up?")
    text = ("The principal reason for the rise is that our two oldest ferries, the Skua and the "
            "Tern, were out of service at the same time; repairs took months.")
    found = answering_clause(text, 0, len(text), wanted)
    assert found is not None and text[slice(*found)] == (
        "our two oldest ferries, the Skua and the Tern, were out of service at the same time")


def test_a_reason_stated_with_that_runs_past_the_verbs_before_it_to_who_says_so():
    wanted = analyse("Why was the bridge closed?")
    text = "One reason the bridge was closed is that the cables had corroded, engineers found."
    found = answering_clause(text, 0, len(text), wanted)
    assert found is not None and text[slice(*found)] == "the cables had corroded"


def test_a_figure_in_the_asked_unit_that_converts_nothing_is_not_taken_for_another():
    question = "How tall is the harbour tower in feet?"
    asked = Asked.of(question, analyse(question), KnownNames.of([]))
    text = "The 300-metre tower stands on a 50 ft plinth."
    assert "300-metre" in [s.text for s in typed_spans(text, 0, len(text), asked)]


@pytest.mark.parametrize(("text", "reason"), [
    ("One reason the bridge was closed is the cost of its repairs.", "the cost of its repairs"),
    # an adjective after the copula says nothing of the reason itself
    ("The reason for the closure is unclear, officials said.", "reason for the closure is unclear"),
])
def test_a_reason_the_copula_names_is_a_noun_phrase_not_an_adjective(text, reason):
    found = answering_clause(text, 0, len(text), analyse("Why was the bridge closed?"))
    assert found is not None and text[slice(*found)] == reason


@pytest.mark.parametrize(("words", "unit"), [
    ("KRW million", "KRW"), ("%", "%"), ("£m", "GBP"), ("g", "mass"), ("months", None),
])
def test_the_unit_a_table_header_writes_in_brackets(words, unit):
    assert header_unit(words) == unit


@pytest.mark.parametrize(("text", "expected"), [
    # a range whose first number has no unit of its own
    ("only between 30 and 45 per cent of it was sown", ("between 30 and 45 per cent", "%")),
    ("shipping moves to between 3 and 17 February.", ("between 3 and 17 February", "date")),
    ("within five working days of the exam", ("five working days", "duration")),
    ("the pressure fell to 958.4 hPa overnight", ("958.4 hPa", "pressure")),
])
def test_ranges_durations_and_pressures(text, expected):
    found = [(s.text, s.unit) for s in amounts(text) + dates(text)]
    assert expected in found
    assert not any(unit == "count" for _, unit in found)  # "30", "3" are no counts


def test_a_month_ending_a_span_keeps_only_an_abbreviations_stop():
    assert [s.text for s in dates("It ran from 3 to 9 July.")] == ["3 to 9 July"]
    assert [s.text for s in dates("It ran from 3 to 9 Sept. 2024.")] == ["3 to 9 Sept. 2024"]
