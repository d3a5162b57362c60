"""Retrieval figures per mode on SQuAD questions (`qa eval --squad` prints them too)."""

from __future__ import annotations

from qa.eval.metrics import variants_for
from qa.eval.report import render_squad_retrieval
from qa.eval.squad import open_squad_index, read_squad
from qa.eval.squad_retrieval import squad_questions, squad_retrieval
from tests.eval.test_squad import tiny  # noqa: F401  (the fixture)
from tests.fakes import HashEmbedder


def test_squad_questions_carry_their_located_gold_spans(tiny):  # noqa: F811
    data = read_squad(tiny)
    questions = {q.id: q for q in squad_questions(data)}
    docs = {d.source: d.text for d in data.documents}
    m1 = questions["m1"].answers[0]
    assert docs[m1.source][m1.start:m1.end] == "354 kilometres"
    assert not questions["m2"].answerable and not questions["m2"].answers
    assert [q.id for q in squad_questions(data, limit=2)] == ["m1", "m2"]


def test_every_mode_is_measured_on_the_answerable_questions(tiny, tmp_path):  # noqa: F811
    data = read_squad(tiny)
    index = open_squad_index(data, tmp_path / "index", embedder=HashEmbedder(), progress=False)
    report = squad_retrieval(index, data, variants_for("all"), progress=False)
    assert list(report.modes) == ["bm25", "vector", "hybrid"]
    for figures in report.modes.values():
        assert figures["answerable"] == 3  # m2 cannot be answered: not judged
        for name in ("Success@1", "Success@5", "RR@10", "nDCG@10", "R@10"):
            assert 0.0 <= figures[name] <= 1.0, name
    assert report.questions == 4 and report.k == 10
    table = render_squad_retrieval(report)
    assert "3 answerable judged" in table and "Hit@1" in table and "nDCG@10" in table
    assert "Answer" not in table  # answers are not read here
