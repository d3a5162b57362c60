"""The reader's fit: the context table is counted on data and scored out of sample."""

from __future__ import annotations

import math

import pytest

from qa.eval.fit_reader import Asked, Example, _cross_fitted, _span_threshold, fit_contexts
from qa.reader.learned import CONTEXT_FEATURES, SPAN_FEATURES, SpanChoice
from qa.reader.pick import Candidate

BEFORE = SPAN_FEATURES.index("before")


def _asked(number: int, question: str, choices: list[tuple[tuple[str, ...], bool]]) -> Asked:
    spans = tuple(SpanChoice(i, i + 1, "DATE", (0.5,) * len(SPAN_FEATURES), around)
                  for i, (around, _) in enumerate(choices))
    cand = Candidate("doc", 0, 10, 1, 0.5, 0.5, 0.5, 1.0, False, 0.5, (), spans)
    return Asked(Example(f"q{number}", question, ("x",), (), "squad"), (cand,), (True,),
                 (tuple(gold for _, gold in choices),), ("", ()))


IN = ("built", "in", ",", "when", "pobj", "IN")  # a span after "in"
BY = ("built", "by", ".", "</s>", "pobj", "IN")  # a span after "by"


def _questions(n: int) -> list[Asked]:
    # For "when" questions the span after "in" is the answer, three times in four.
    return [_asked(i, "When was it built?", [(IN, i % 4 != 0), (BY, i % 4 == 0)])
            for i in range(n)]


def test_context_odds_are_smoothed_log_odds_against_the_average_span():
    table = fit_contexts(_questions(40))
    # 40 questions, 80 spans, 40 gold: base 0.5; "in" was gold 30 times in 40.
    expected = math.log((30 + 5 * 0.5) / (40 + 5) / 0.5)
    assert table.odds["before"]["when|in"] == pytest.approx(expected, abs=1e-3)
    assert table.odds["before"]["when|by"] == pytest.approx(
        math.log((10 + 2.5) / 45 / 0.5), abs=1e-3)
    when = ("when", "when built")  # the fine key: "when" has no noun after it here
    assert table.features(when, "DATE", IN)[0] > 0 > table.features(when, "DATE", BY)[0]
    assert table.odds["fine_before"]["when built|in"] == table.odds["before"]["when|in"]
    assert table.features(("who", "who"), "DATE", IN) == (0.0,) * len(CONTEXT_FEATURES)


def test_a_key_seen_once_is_left_out():
    one = [_asked(0, "When was it built?", [(("a", "b", "c", "d", "-", "-"), True), (BY, False)])]
    table = fit_contexts(one + _questions(8))
    assert "when|b" not in table.odds["before"]


def test_each_question_is_scored_by_a_table_counted_without_it():
    # Two questions (both of the even half) share a context no other question has.
    rare = ("only", "once", ";", "so", "-", "-")
    odd = [_asked(40 + i, "When was it built?", [(rare, True), (IN, False)]) for i in range(3)]
    asked = [*_questions(40), *odd]
    asked[41] = _questions(42)[41]  # the middle one is ordinary and of the odd half
    assert "when|once" in fit_contexts(asked).odds["before"]  # counted in sample
    crossed = _cross_fitted(asked)
    assert len(crossed) == len(asked)
    for i in (40, 42):
        choice = crossed[i].cands[0].choices[0]
        assert choice.features[BEFORE] == 0.0  # the table that scores it never saw it
        assert choice.features[:BEFORE] == (0.5,) * BEFORE  # the other features are kept
    assert crossed[0].cands[0].choices[0].features[BEFORE] > 0.0


def _one_span(answer: str, sentence: str, span: str, logit: float) -> tuple[Asked, list]:
    choice = SpanChoice(0, 1, "NP", (0.0,) * len(SPAN_FEATURES))
    cand = Candidate("doc", 0, 10, 1, 0.5, 0.5, 0.5, 1.0, False, 0.5, (), (choice,), (logit,))
    asked = Asked(Example("q", "What is it?", (answer,), (), "squad"), (cand,), (True,),
                  ((False,),), ((sentence, (span,)),))
    return asked, [(cand, True, 0)]


def test_the_span_threshold_is_chosen_for_exact_answers_not_only_word_overlap():
    # A span that is the answer exactly, and a surer one that is wrong. Taking both spans or
    # neither are the choices (a threshold between them keeps only the wrong one). The whole
    # sentences share more words with the answers (F1 0.67 + 0.86 against 1 + 0), but an
    # answer a reader can use is the exact span: EM + F1 takes the spans, F1 alone would not.
    ranked = [_one_span("Paris", "Paris France", "Paris", -2.0),
              _one_span("old stone bridge", "the old stone bridge fell", "tower", -1.0)]
    assert _span_threshold(ranked, None) <= -2.0
