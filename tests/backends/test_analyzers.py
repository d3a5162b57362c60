"""BM25 analyzers: the English rules, the registry, and BM25Okapi's scores on their tokens."""

from __future__ import annotations

import pytest

from qa.backends.analyzers import ANALYZERS, LUCENE_STOPWORDS, analyzer_for, english, fold
from qa.backends.bm25 import BM25Params
from qa.types import Analyzer
from tests.backends.test_bm25 import QUERIES, SEEDS, _assert_same_as_okapi


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much is Meta spending?", ["how", "much", "meta", "spend"]),
        ("spends spent spend", ["spend", "spent", "spend"]),  # Porter2 leaves "spent"
        ("Meta's investors' money", ["meta", "investor", "money"]),
        ("Meta\u2019s capex", ["meta", "capex"]),
        ("S&P 500 and AT&T", ["s&p", "500", "at&t"]),
        ("$60 and 3.5% and 44,150", ["60", "3.5", "44150"]),
        ("GPT-4 and COVID\u201119 beat F-35s", ["gpt-4", "covid-19", "beat", "f-35s"]),
        ("state-of-the-art AI-driven", ["state", "art", "ai", "driven"]),
        ("1990\u20132000 and AI\u2014mostly", ["1990", "2000", "ai", "most"]),
        ("Z\u00fcrich caf\u00e9 NA\u00cfVE cafe\u0301", ["zurich", "cafe", "naiv", "cafe"]),
        ("\uff11\uff12\uff13 full-width", ["123", "full", "width"]),
        ("the U.S. economy, the U.K.", ["usa", "economi", "uk"]),
        ("who was it? when and how", ["who", "when", "how"]),  # Lucene's list keeps these
        ("", []),
    ],
)
def test_english_analyzer(text: str, expected: list[str]) -> None:
    assert english(text) == expected


def test_fold_removes_accents_and_straightens_quotes() -> None:
    assert fold("\u201cS\u00e3o Paulo\u2019s\u201d") == "\"Sao Paulo's\""
    assert fold("plain ascii") == "plain ascii"


def test_the_stemmed_forms_meet() -> None:
    assert english("spending")[0] == english("spend")[0]
    assert english("companies")[0] == english("company")[0]


def test_lucene_stopwords_are_lucenes_33() -> None:
    assert len(LUCENE_STOPWORDS) == 33 and {"the", "with", "such"} <= LUCENE_STOPWORDS
    assert not {"who", "what", "how", "has"} & LUCENE_STOPWORDS


def test_registry_has_every_analyzer_and_lists_valid_names() -> None:
    assert set(ANALYZERS) == set(Analyzer)
    assert analyzer_for("english").tokenize is english
    assert analyzer_for(Analyzer.SIMPLE).tokenize("Spending", frozenset()) == ["spending"]
    versions = [spec.version for spec in ANALYZERS.values()]
    assert len(set(versions)) == len(versions)  # each analyzer's tokens are told apart
    with pytest.raises(ValueError, match="valid analyzers: simple, english"):
        analyzer_for("porter")


def test_bm25_params_refuse_an_unknown_analyzer() -> None:
    assert BM25Params(analyzer=Analyzer.ENGLISH).analyzer == "english"
    assert type(BM25Params(analyzer=Analyzer.ENGLISH).analyzer) is str  # JSON as a plain name
    with pytest.raises(ValueError, match="unknown analyzer 'stem'; valid analyzers"):
        BM25Params(analyzer="stem")


@pytest.mark.parametrize("name", list(Analyzer))
def test_scores_equal_bm25okapi_on_each_analyzers_tokens(name: Analyzer) -> None:
    spec = ANALYZERS[name]
    paragraphs = [p for path in sorted(SEEDS.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    docs = [spec.tokenize(p, spec.stopwords) for p in paragraphs]
    queries = [spec.tokenize(q, spec.stopwords) for q in QUERIES]
    index = _assert_same_as_okapi(docs, queries, BM25Params(analyzer=name))
    if name is Analyzer.ENGLISH:  # the stem of a question word finds the passage's form
        assert index.scores(english("spend")).max() > 0


@pytest.mark.parametrize("make", [
    lambda n: "a-" * n,  # one long hyphenated "word", split again
    lambda n: "1.2." * n,  # dotted digits joined into one token
    lambda n: "A&B&" * n,
    lambda n: "U.S. caf\u00e9s\u2019 " * n,  # every rule and the folding at once
    lambda n: "spending " * n,  # many stems
], ids=["hyphens", "dotted digits", "ampersands", "rules", "stems"])
def test_the_english_analyzer_grows_linearly(make):
    from tests.test_linear import assert_linear

    assert_linear(english, make, 500)
