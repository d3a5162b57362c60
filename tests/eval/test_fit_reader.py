"""The reader's fit: the context table is counted on data and scored out of sample."""

from __future__ import annotations

import gzip
import json
import math

import pytest

from qa.eval.fit_reader import Asked, Example, _cross_fitted, _span_threshold, fit_contexts
from qa.eval.squad import evaluate_squad
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



def test_squad_held_out_reads_each_article_with_a_model_fitted_without_it(tmp_path,
                                                                          monkeypatch):
    import qa.eval.fit_reader as fitting
    from qa.eval.squad import open_squad_index, read_squad
    from qa.reader.learned import load_model
    from tests.eval.test_squad import TINY
    from tests.fakes import HashEmbedder

    path = tmp_path / "tiny.json.gz"
    path.write_bytes(gzip.compress(json.dumps(TINY).encode()))
    data = read_squad(path)
    index = open_squad_index(data, tmp_path / "index", embedder=HashEmbedder(), progress=False)
    article = {q.id: q.source for q in data.questions}
    fitted_on: list[set[str]] = []
    read: list[set[str]] = []

    def recording_fit(asked, types, *args, **kwargs):  # two articles are too few to fit on
        fitted_on.append({a.example.id for a in asked})
        return load_model()

    def recording_evaluate(index, held, **kwargs):
        read.append({q.id for q in held.questions})
        return evaluate_squad(index, held, **kwargs)

    monkeypatch.setattr(fitting, "fit", recording_fit)
    monkeypatch.setattr(fitting, "evaluate_squad", recording_evaluate)
    reports = fitting.squad_held_out(data, index, folds=2)
    assert len(reports) == len(fitted_on) == len(read) == 2
    assert read[0] | read[1] == set(article) and not read[0] & read[1]  # each read once
    for trained, asked in zip(fitted_on, read, strict=True):
        assert trained  # every answerable question of the other article, none of its own
        assert {article[i] for i in trained}.isdisjoint({article[i] for i in asked})
    assert [r.questions for r in reports] == [len(ids) for ids in read]
    figures = fitting.pooled(reports)
    assert set(figures) == {"forced_em", "forced_f1", "sentence"}
    assert all(0.0 <= v <= 1.0 for v in figures.values())
    with pytest.raises(ValueError, match="3 folds need at least 3 articles"):
        fitting.squad_held_out(data, index, folds=3)
