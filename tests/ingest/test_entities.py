"""Named entities come from the trained model, on text nobody wrote rules for."""

from __future__ import annotations

from qa.ingest.entities import ENTITY_TYPES, NOUN_PHRASE, find_entities, noun_phrases

TEXT = """Siemens will invest CHF 2 billion in Zug by 2027, its chief executive Roland Busch said.

The Norman conquest of 1066 changed England. In the 17th century the town grew.
Infosys paid ₹75,000 crore for the stake, about 12 percent of it."""


def test_entities_of_any_text_are_typed_spans_of_it():
    (found,) = find_entities([TEXT])
    assert found == tuple(sorted(found))
    for start, end, kind in found:
        assert kind in (*ENTITY_TYPES, NOUN_PHRASE)
        assert TEXT[start:end].strip() == TEXT[start:end]
    spans = {TEXT[a:b]: kind for a, b, kind in found if kind != NOUN_PHRASE}
    assert spans.get("Siemens") == "ORG" and spans.get("Roland Busch") == "PERSON"
    assert spans.get("1066") == "DATE" and spans.get("the 17th century") == "DATE"
    assert spans.get("England") == "GPE" and spans.get("about 12 percent") == "PERCENT"
    # Amounts in rarer currencies are not the small model's strength ("CHF 2 billion" comes
    # out as LAW): the reader's own figure finder reads them.


def test_offsets_hold_across_lines_and_blank_lines_and_repeats():
    texts = ["", "\n\n", TEXT, "Nothing here.", TEXT]
    found = find_entities(texts)
    assert found[0] == () and found[1] == () and found[2] == found[4]
    assert found[2] == find_entities([TEXT])[0]


def test_noun_phrases_are_runs_of_modifiers_ending_in_a_noun():
    (found,) = find_entities([TEXT])
    phrases = {TEXT[a:b] for a, b, kind in found if kind == NOUN_PHRASE}
    assert {"chief executive Roland Busch", "Norman conquest", "17th century", "stake"} <= phrases
    assert not any(p.startswith(("the ", "its ")) for p in phrases)  # no determiners
    assert noun_phrases([]) == []
