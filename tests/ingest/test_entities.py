"""Named entities come from the trained model, on text nobody wrote rules for."""

from __future__ import annotations

import pytest

from qa.ingest.entities import (
    ENTITY_TYPES,
    NOUN_PHRASE,
    Parse,
    find_entities,
    noun_phrases,
    read_texts,
)

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


def test_a_participle_starts_a_noun_phrase_only_when_it_modifies_the_noun():
    text = ("The prototype was assembled using Kestrel's T9 boards, and the growing workshop "
            "kept its trained apprentices, citing rising costs.")
    (found,) = find_entities([text])
    phrases = {text[a:b] for a, b, kind in found if kind == NOUN_PHRASE}
    assert "Kestrel's T9 boards" in phrases
    assert not any(p.startswith(("assembled", "using", "citing")) for p in phrases)
    assert {"growing workshop", "rising costs"} <= phrases


def test_the_parse_is_kept_token_by_token_with_every_head_on_its_tokens_line():
    (found,) = read_texts([TEXT])
    parse = found.parse
    assert found.entities == find_entities([TEXT])[0]
    assert len(parse.starts) > 30 and list(parse.starts) == sorted(parse.starts)
    for i, (start, end, head) in enumerate(zip(parse.starts, parse.ends, parse.heads,
                                               strict=True)):
        assert TEXT[start:end] and TEXT[start:end].strip() == TEXT[start:end]
        a, b = min(start, parse.starts[head]), max(end, parse.ends[head])
        assert "\n" not in TEXT[a:b], i
    at = {TEXT[s:e]: i for i, (s, e) in enumerate(zip(parse.starts, parse.ends, strict=True))}
    subject = at["Siemens"]
    head = parse.heads[subject]
    assert parse.deps[subject] == "nsubj" and TEXT[parse.starts[head]:parse.ends[head]] == "invest"
    assert parse.tags[at["invest"]].startswith("VB")
    assert Parse.of_json(parse.to_json()) == parse


def test_a_stored_parse_whose_heads_point_nowhere_is_refused():
    raw = {"start": [0, 4], "end": [3, 8], "head": [1, 7], "dep": ["det", "ROOT"],
           "tag": ["DT", "NN"]}
    with pytest.raises(ValueError, match="inconsistent"):
        Parse.of_json(raw)
    assert read_texts(["", "\n"])[0].parse == Parse()
