"""The learned reader's pieces: question keys, the answer-type table, span features, the model
file, and the shapes of answer it gives (a list, a cause clause, a comparison)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from qa.ingest.entities import Parse
from qa.reader.clauses import answering_clause, defining_clause
from qa.reader.comparative import comparison, superlative
from qa.reader.learned import (
    ANSWERABLE_FEATURES,
    CONTEXT_FEATURES,
    MODEL_FILE,
    SENTENCE_FEATURES,
    SPAN_FEATURES,
    Asking,
    ContextTable,
    Linear,
    ReaderModel,
    SpanChoice,
    TypeTable,
    context_keys,
    head_key,
    load_model,
    question_keys,
    save_model,
    span_choices,
    spans_in,
    wording,
)
from qa.reader.question import analyse, asks_for_many, content_terms
from qa.reader.reader import list_around


@pytest.mark.parametrize(("question", "keys"), [
    ("How many people live in the town?", ("how many", "how many people")),
    ("What year did the war end?", ("what", "what year")),
    ("What is the name of the river?", ("what", "what name")),
    ("When was it built?", ("when", "when built")),
    ("Is the bridge open?", ("none", "none")),
    # A name is no type cue: it is passed over
    ("How much did Acme Corp spend?", ("how much", "how much spend")),
    ("Which Acme plant closed?", ("which", "which plant")),
    ("What were Acme's total sales?", ("what", "what total")),
    ("What did Acme?", ("what", "what")),
    ("How many 2nd-year students?", ("how many", "how many 2nd")),
    ("HOW MANY PEOPLE LIVE THERE?", ("how many", "how many people")),
])
def test_question_keys(question, keys):
    assert question_keys(question) == keys


def test_what_and_which_share_a_head_in_singular_and_plural():
    heads = {head_key(question_keys(q)) for q in
             ("Which cities did it visit?", "What city is the capital?", "Which Acme city?")}
    assert len(heads) == 1 and None not in heads
    assert head_key(question_keys("How many cities are there?")) is None  # a count, not a city
    assert head_key(question_keys("What is it?")) is None


def test_a_head_seen_with_one_wh_word_informs_the_other():
    table = TypeTable({"GPE": 10.0, "PERSON": 10.0}, {"which": {"GPE": 1.0, "PERSON": 1.0}}, {},
                      heads={head_key(("what", "what city")): {"GPE": 20.0}})
    p = table.probabilities(*question_keys("Which cities did the tour visit?"))
    assert p["GPE"] > 0.8 > p["PERSON"]
    unseen = table.probabilities(*question_keys("Which volunteers came?"))
    assert unseen["GPE"] == pytest.approx(0.5)


TABLE = TypeTable(prior={"DATE": 10.0, "PERSON": 10.0, "NP": 20.0, "NONE": 10.0},
                  coarse={"when": {"DATE": 30.0, "NP": 5.0}},
                  fine={"when built": {"DATE": 8.0}})


def test_type_table_backs_off_to_the_coarser_key_and_sums_to_one():
    seen = TABLE.probabilities("when", "when built")
    unseen = TABLE.probabilities("when", "when elected")
    nothing = TABLE.probabilities("none", "none")
    for p in (seen, unseen, nothing):
        assert math.isclose(sum(p.values()), 1.0)
    assert seen["DATE"] > unseen["DATE"] > nothing["DATE"]
    assert unseen["DATE"] > unseen["PERSON"]


def test_spans_in_merges_identical_ranges_and_keeps_only_inside_ones():
    found = [(0, 4, "DATE"), (0, 4, "NP"), (6, 10, "PERSON"), (8, 30, "NP")]
    got = spans_in(found, [s for s, _, _ in found], 0, 12)
    assert got == [(0, 4, frozenset({"DATE", "NP"})), (6, 10, frozenset({"PERSON"}))]


def test_span_features_see_what_the_question_says_and_how_near_it_is():
    text = "The old mill was built in 1820 by Ada Lowe near the river ford."
    spans = [(text.index(w), text.index(w) + len(w), frozenset({k}))
             for w, k in (("1820", "DATE"), ("Ada Lowe", "PERSON"), ("old mill", "NP"),
                          ("river ford", "NP"))]
    asking = Asking.of("When was the old mill built?", {"mill": 1.0, "built": 1.0}, TABLE)
    choices = {text[c.start:c.end]: dict(zip(SPAN_FEATURES, c.features, strict=True))
               for c in span_choices(text, 0, len(text), spans, asking)}
    assert choices["old mill"]["inside_question"] == 1.0
    assert choices["1820"]["inside_question"] == 0.0
    assert choices["1820"]["log_type"] > choices["Ada Lowe"]["log_type"]
    assert choices["1820"]["distance"] < choices["river ford"]["distance"]
    assert choices["1820"]["nearness"] > choices["river ford"]["nearness"]


def test_a_span_that_holds_the_noun_the_question_asks_for_is_marked():
    text = "Families picnic in Roeding Park, beside the zoo and the lake."
    spans = [(text.index(w), text.index(w) + len(w), frozenset({k}))
             for w, k in (("Roeding Park", "FAC"), ("zoo", "NP"), ("Families", "NP"))]
    features = {}
    for question in ("Which park has a zoo?", "What parks have a zoo?", "Where is the zoo?"):
        asking = Asking.of(question, {"park": 1.0, "zoo": 1.0}, TABLE)
        features[question] = {text[c.start:c.end]: dict(zip(SPAN_FEATURES, c.features,
                                                            strict=True))["names_head"]
                              for c in span_choices(text, 0, len(text), spans, asking)}
    assert features["Which park has a zoo?"] == {"Roeding Park": 1.0, "zoo": 0.0,
                                                 "Families": 0.0}
    assert features["What parks have a zoo?"]["Roeding Park"] == 1.0  # stems: park, parks
    assert set(features["Where is the zoo?"].values()) == {0.0}  # no head noun asked for


def test_span_features_see_nesting_and_the_words_around_each_span():
    text = "Bread was sold in the Corn Exchange of Leeds, a market hall."
    spans = [(text.index(w), text.index(w) + len(w), frozenset({k}))
             for w, k in (("Corn Exchange of Leeds", "FAC"), ("Corn Exchange", "NP"),
                          ("Leeds", "GPE"), ("market hall", "NP"), ("Bread", "NP"))]
    contexts = ContextTable({"before": {"where|in": 0.7}, "after": {"where|,": 0.2},
                             "before_type": {"where|FAC|the": 0.4}})
    table = TypeTable(prior={"FAC": 1.0, "GPE": 1.0, "NP": 1.0}, coarse={}, fine={})
    asking = Asking.of("Where was bread sold?", {"bread": 1.0, "sold": 1.0}, table, (),
                       contexts)
    got = {text[c.start:c.end]: c for c in span_choices(text, 0, len(text), spans, asking)}
    features = {k: dict(zip(SPAN_FEATURES, c.features, strict=True)) for k, c in got.items()}
    # Without a parse the tree's places read "-".
    assert got["Corn Exchange of Leeds"].around == ("in", "the", ",", "a", "-", "-")
    assert got["Bread"].around == ("<s>", "<s>", "was", "sold", "-", "-")
    assert got["market hall"].around == (",", "a", ".", "</s>", "-", "-")
    assert got["Leeds"].around == ("<name>", "of", ",", "a", "-", "-")  # names by their shape
    assert [(features[k]["nested"], features[k]["holds"]) for k in (
        "Corn Exchange of Leeds", "Corn Exchange", "Leeds", "market hall")] == [
        (0.0, 1.0), (1.0, 0.0), (1.0, 0.0), (0.0, 0.0)]
    whole = features["Corn Exchange of Leeds"]
    # "the" is the word before; "in" only two before: the table's "before" key does not match.
    assert (whole["before"], whole["after"], whole["before_type"]) == (0.0, 0.2, 0.4)
    assert features["market hall"]["after"] == 0.0  # a key the table lacks reads as 0


def test_context_keys_pair_the_question_key_with_the_words_around():
    keys = context_keys(("who", "who founded"), "PERSON",
                        ("written", "by", ",", "who", "pobj", "IN"))
    assert dict(zip(CONTEXT_FEATURES, keys, strict=True)) == {
        "before": "who|by", "after": "who|,", "two_before": "who|written by",
        "two_after": "who|, who", "before_type": "who|PERSON|by", "after_type": "who|PERSON|,",
        "dep": "who|pobj", "dep_head": "who|pobj|IN", "fine_before": "who founded|by",
        "fine_after": "who founded|,", "fine_dep_head": "who founded|pobj|IN"}


# "The bridge at Arnhem was built in 1944 by engineers." as a dependency parser reads it:
# "was built" is the root; "bridge" its subject, "in" and "by" hang from "built".
TREE_TEXT = "The bridge at Arnhem was built in 1944 by engineers."
TREE = [("The", 1, "det", "DT"), ("bridge", 5, "nsubjpass", "NN"), ("at", 1, "prep", "IN"),
        ("Arnhem", 2, "pobj", "NNP"), ("was", 5, "auxpass", "VBD"), ("built", 5, "ROOT", "VBN"),
        ("in", 5, "prep", "IN"), ("1944", 6, "pobj", "CD"), ("by", 5, "agent", "IN"),
        ("engineers", 8, "pobj", "NNS"), (".", 5, "punct", ".")]


def _tree_parse() -> Parse:
    starts, at = [], 0
    for word, *_ in TREE:
        at = TREE_TEXT.index(word, at)
        starts.append(at)
        at += len(word)
    return Parse(tuple(starts), tuple(s + len(w) for s, (w, *_) in zip(starts, TREE, strict=True)),
                 tuple(h for _, h, _, _ in TREE), tuple(d for _, _, d, _ in TREE),
                 tuple(t for _, _, _, t in TREE))


def test_span_features_see_where_a_span_hangs_in_the_tree_and_how_far_the_question_is():
    text = TREE_TEXT
    spans = [(text.index(w), text.index(w) + len(w), frozenset({k}))
             for w, k in (("1944", "DATE"), ("Arnhem", "GPE"), ("engineers", "NP"))]
    table = TypeTable(prior={"DATE": 1.0, "GPE": 1.0, "NP": 1.0}, coarse={}, fine={})
    contexts = ContextTable({"dep": {"when|pobj": 0.5}, "dep_head": {"when|pobj|IN": 0.3}})
    asking = Asking.of("When was the bridge built?", {"bridg": 1.0, "built": 1.0}, table, (),
                       contexts)
    got = {text[c.start:c.end]: c
           for c in span_choices(text, 0, len(text), spans, asking, _tree_parse())}
    features = {k: dict(zip(SPAN_FEATURES, c.features, strict=True)) for k, c in got.items()}
    assert got["1944"].around[4:] == ("pobj", "IN")
    # 1944 -> in -> built: two steps to a question word, which its head's head is.
    assert (features["1944"]["tree_near"], features["1944"]["head_said"],
            features["1944"]["grand_said"]) == (1 / 3, 0.0, 1.0)
    # Arnhem -> at -> bridge: the question's other word, as near.
    assert (features["Arnhem"]["tree_near"], features["Arnhem"]["grand_said"]) == (1 / 3, 1.0)
    assert (features["1944"]["dep"], features["1944"]["dep_head"]) == (0.5, 0.3)
    unparsed = span_choices(text, 0, len(text), spans, asking)
    assert all(dict(zip(SPAN_FEATURES, c.features, strict=True))["tree_near"] == 0.0
               for c in unparsed)


def test_a_question_word_inside_the_span_is_not_near_it():
    text = TREE_TEXT
    whole = (text.index("The bridge"), text.index(" was"), frozenset({"NP"}))
    table = TypeTable(prior={"NP": 1.0}, coarse={}, fine={})
    asking = Asking.of("What was built?", {"bridg": 1.0}, table)
    (choice,) = span_choices(text, 0, len(text), [whole], asking, _tree_parse())
    features = dict(zip(SPAN_FEATURES, choice.features, strict=True))
    assert choice.around[4:] == ("nsubjpass", "VB")
    assert (features["tree_near"], features["head_said"]) == (0.0, 0.0)


def _model(**changes) -> ReaderModel:
    def zero(names):
        return Linear(names, (0.5,) * len(names), -1.0)
    return ReaderModel(TABLE, zero(SPAN_FEATURES), zero(SENTENCE_FEATURES),
                       zero(ANSWERABLE_FEATURES), 0.1, -2.0, "test", 1.5,
                       {"strong": 0.9, "weak": 0.4}, **changes)


def test_model_json_round_trips_and_names_its_features(tmp_path):
    model = _model(contexts=ContextTable({"before": {"when|in": 1.2}, "after": {"who|,": -0.3}}))
    path = save_model(model, tmp_path / "model.json")
    again = ReaderModel.of_json(json.loads(path.read_text("utf-8")))
    assert again == model
    assert again.sureness(2.0) == "strong" and again.sureness(1.0) == "weak"
    raw = model.to_json()
    raw["span"]["names"] = ["other"] + raw["span"]["names"][1:]
    with pytest.raises(ValueError, match="features"):
        ReaderModel.of_json(raw)


def test_save_model_never_replaces_a_file_qa_did_not_write(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"mine": true}', "utf-8")
    with pytest.raises(ValueError, match="not a reader model"):
        save_model(_model(), path)
    assert path.read_text("utf-8") == '{"mine": true}'


def test_the_shipped_model_loads_and_was_fitted_on_the_fit_half():
    assert MODEL_FILE.is_file()
    model = load_model()
    assert model is not None
    assert "SQuAD" in model.fitted_on and "Computational_complexity_theory" not in (
        model.fitted_on)  # the report half's first article: never fitted on
    assert model.span.logits(np.zeros((1, len(SPAN_FEATURES)))).shape == (1,)
    assert 0.0 < model.right["weak"] < model.right["strong"] <= 1.0


@pytest.mark.parametrize(("question", "many"), [
    ("Who were the original investors in the fund?", True),
    ("Which companies have invested in the port?", True),
    ("Which investors backed it?", True),
    ("Who is the chief executive?", False),
    ("What did the analysts say?", False),
    ("What was the process?", False),
])
def test_asks_for_many(question, many):
    assert asks_for_many(question) is many


def test_a_list_is_the_items_of_one_type_joined_by_list_punctuation():
    text = "The fund was backed by Acme, Borel and Cato, while Dunmore stayed out."
    def choice(word, kind="ORG"):
        at = text.index(word)
        return SpanChoice(at, at + len(word), kind, (0.0,) * len(SPAN_FEATURES))
    choices = [choice("Acme"), choice("Borel"), choice("Cato"), choice("Dunmore"),
               choice("fund", "NP")]
    start, end = list_around(text, choices, 1)
    assert text[start:end] == "Acme, Borel and Cato"  # not Dunmore: "while" is no list gap
    assert list_around(text, choices, 4) == (choices[4].start, choices[4].end)


@pytest.mark.parametrize(("question", "sentence", "clause"), [
    ("Why did the bridge close?",
     "The bridge closed in May because engineers found cracks in two piers, the council said.",
     "because engineers found cracks in two piers"),
    ("Why did prices rise?", "Due to the drought, prices rose by a third.", "Due to the drought"),
    ("Why did the mill close?",
     "Hale & Sons closed the mill in 1931, blaming cheap imported cloth and high costs.",
     "blaming cheap imported cloth and high costs"),
    ("How did the town pay for the school?",
     "The town paid for the school by selling its old harbour.",
     "by selling its old harbour"),
    # a time's colon ends no clause; the colon before a list does
    ("How do I report an absence?", "Call by telephone before 09:30: a text will not do.",
     "by telephone before 09:30"),
])
def test_why_and_how_answers_are_the_clause_that_gives_the_cause_or_means(question, sentence,
                                                                         clause):
    span = answering_clause(sentence, 0, len(sentence), analyse(question))
    assert span is not None and sentence[span[0]:span[1]] == clause


@pytest.mark.parametrize(("term", "sentence", "clause"), [
    ("Kestrel", "The Kestrel, a narrow-gauge steam engine built in 1902, still runs on Sundays.",
     "a narrow-gauge steam engine built in 1902"),
    ("ceilidh", "A ceilidh is a social gathering with Gaelic folk music and dancing.",
     "a social gathering with Gaelic folk music and dancing"),
    ("underbid", "An underbid is when builders ask for too little money; disputes follow.",
     "when builders ask for too little money"),
    ("Fintry", "Fintry means \"white land\" in Gaelic.", "\"white land\" in Gaelic"),
])
def test_a_what_is_answer_is_the_words_that_define_it(term, sentence, clause):
    span = defining_clause(sentence, 0, len(sentence), term)
    assert span is not None and sentence[span[0]:span[1]] == clause


@pytest.mark.parametrize(("term", "sentence"), [
    ("Granary", "The barge was moored beside a warehouse called Granary."),  # named after it
    ("Kestrel", "Engines such as the Kestrel were common then."),  # a mention
    ("Kestrel", "Last week Kestrel the engine broke down."),  # no comma: no apposition
])
def test_a_sentence_that_does_not_define_after_the_term_gives_no_clause(term, sentence):
    assert defining_clause(sentence, 0, len(sentence), term) is None


def test_a_why_question_without_a_cause_in_the_sentence_gets_no_clause():
    sentence = "The bridge closed in May."
    assert answering_clause(sentence, 0, len(sentence), analyse("Why did it close?")) is None


@pytest.mark.parametrize(("question", "options", "larger"), [
    ("Who spends more on rail, Norland or Ostmark?", ("Norland", "Ostmark"), True),
    ("Is Acme Corp or Beta Ltd bigger?", ("Acme Corp", "Beta Ltd"), True),
    ("Which has fewer staff: Acme or Borel?", ("Acme", "Borel"), False),
    ("Between Ada Marsh and Tom Pell, who held more patents?", ("Ada Marsh", "Tom Pell"), True),
    ("Which peak is taller, the Kell or the Brann?", ("Kell", "Brann"), True),
    ("Which route is shorter, Norland or Ostmark?", ("Norland", "Ostmark"), False),
])
def test_comparison_questions(question, options, larger):
    asked = comparison(question)
    assert asked is not None and asked.options == options and asked.larger_wins is larger
    assert asked.asking_about(options[1], question).count(options[1]) == 1
    assert options[0] not in asked.asking_about(options[1], question)


@pytest.mark.parametrize(("question", "without", "larger"), [
    ("Which company spends the most on chip plants?", "Which company spends on chip plants?",
     True),
    ("Who raised the least?", "Who raised ?", False),
    ("What was the largest investment in the port?", "What was investment in the port?", True),
    ("What is the most popular dish?", None, None),  # "most" qualifies a word, no amount
    ("Which is the largest city?", None, None),
])
def test_superlatives_across_sources(question, without, larger):
    found = superlative(question)
    if without is None:
        assert found is None
    else:
        assert found is not None and found.without(question) == without
        assert found.larger_wins is larger


def test_a_question_with_or_but_nothing_to_compare_is_no_comparison():
    assert comparison("Did Acme or Borel build the bridge?") is None


def test_passages_underline_only_the_words_a_question_is_about(fake_index):
    terms = content_terms(fake_index, "How much did the company ever spend on data centres?")
    def token(word):
        return fake_index.tokenize(word)[0]
    assert {token("spend"), token("data"), token("centres"), token("company")} <= terms
    assert not {token("much"), token("ever")} & terms


def test_wording_sees_the_questions_phrases_and_how_tight_they_sit(fake_index):
    from qa.reader.question import content_sequence

    question = content_sequence(fake_index, "Which river did the old stone bridge cross?")
    terms = {w: 1.0 for w in question}
    kept = content_sequence(fake_index, "The old stone bridge crossed a river near the mill.")
    scattered = content_sequence(
        fake_index, "Stone was old news; a river ran by the town, and a bridge came later.")
    (pairs_kept, spread_kept, _, held_kept) = wording(question, terms, kept)
    (pairs_scattered, spread_scattered, _, _) = wording(question, terms, scattered)
    assert pairs_kept > pairs_scattered == 0.0
    assert spread_kept < spread_scattered
    assert held_kept > 0.0
    assert wording(question, terms, []) == (0.0, 1.0, 0.0, 0.0)
    assert len(SENTENCE_FEATURES) == len(
        (0,) * 8 + wording(question, terms, kept))  # every feature the model is fitted on


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("They moved to Lyon, France in May.", "Lyon", "Lyon"),  # apposition
    ("On the other hand, higher rents push families out.", "higher rents", "higher rents"),
    ("Visitors came from Oslo, Bergen or Bodø, Norway.", "Bergen", "Oslo, Bergen or Bodø"),
    ("Visitors came from Oslo, Bergen or Bodø, Norway.", "Norway", "Norway"),
])
def test_a_list_ends_in_a_conjunction(text, word, expected):
    words = ["Lyon", "France", "May", "other hand", "higher rents", "families", "Oslo",
             "Bergen", "Bodø", "Norway", "Visitors"]
    choices = [SpanChoice(text.index(w), text.index(w) + len(w), "X", (0.0,) * len(SPAN_FEATURES))
               for w in words if w in text]
    i = next(k for k, c in enumerate(choices) if text[c.start:c.end] == word)
    start, end = list_around(text, choices, i)
    assert text[start:end] == expected


def test_a_list_of_names_joins_names_the_entity_finder_marked_or_missed():
    text = "It runs stores in Oslo, Bergen and Tromsø, and a web shop and an outlet."
    def choice(word, kind):
        at = text.index(word)
        return SpanChoice(at, at + len(word), kind, (0.0,) * len(SPAN_FEATURES))
    choices = [choice("stores", "NP"), choice("Oslo", "GPE"), choice("Bergen", "NP"),
               choice("Tromsø", "NP"), choice("web shop", "NP"), choice("outlet", "NP")]
    start, end = list_around(text, choices, 1)
    assert text[start:end] == "Oslo, Bergen and Tromsø"  # not "web shop": no name
    start, end = list_around(text, choices, 4)
    assert text[start:end] == "web shop"  # "and an" is no list gap between the two
