"""`qa eval --squad`: SQuAD-format data in the open setting, scored the official way."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.cli import app
from qa.eval.squad import (
    SquadError,
    _auc,
    evaluate_squad,
    exact_match,
    f1,
    normalize,
    open_squad_index,
    read_squad,
)
from qa.search.base import SearchSettings
from tests.fakes import HashEmbedder

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "squad-v2.0-dev.json.gz"

TINY = {"version": "v2.0", "data": [
    {"title": "Morava", "paragraphs": [
        {"context": " The Morava rises on the Kralicky Sneznik massif. It flows south for 354 "
                    "kilometres to the Danube.",
         "qas": [{"id": "m1", "question": "How long is the Morava?", "is_impossible": False,
                  "answers": [{"text": "354 kilometres", "answer_start": 72},
                              {"text": "354 kilometres", "answer_start": 72}]},
                 {"id": "m2", "question": "How deep is the Morava?", "is_impossible": True,
                  "answers": []}]},
        {"context": "Floods in July 1997 killed 50 people in the basin.",
         "qas": [{"id": "m3", "question": "When were the floods?", "is_impossible": False,
                  "answers": [{"text": "July 1997", "answer_start": 0}]}]}]},
    {"title": "Tarn_(compiler)", "paragraphs": [
        {"context": "Tarn 4.2 compiles large projects 30 percent faster than Tarn 4.1.",
         "qas": [{"id": "t1", "question": "How much faster is Tarn 4.2?",
                  "is_impossible": False,
                  "answers": [{"text": "30 percent", "answer_start": 33}]}]}]},
]}


@pytest.fixture()
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.json.gz"
    path.write_bytes(gzip.compress(json.dumps(TINY).encode()))
    return path


def test_articles_become_documents_and_gold_answers_spans_in_them(tiny):
    data = read_squad(tiny)
    assert data.articles == ("Morava", "Tarn_(compiler)")
    docs = {d.source: d for d in data.documents}
    assert docs["squad/Morava"].title == "Morava" and "\n\n" in docs["squad/Morava"].text
    by_id = {q.id: q for q in data.questions}
    for q in by_id.values():
        text = docs[q.source].text
        assert [text[s:e] for s, e in q.golds] == list(q.answers)  # duplicates merged
    assert by_id["m1"].answers == ("354 kilometres",) and not by_id["m2"].answerable
    assert by_id["m3"].golds[0][0] > len("The Morava rises")  # in the second paragraph


def test_halves_and_named_articles(tiny):
    assert read_squad(tiny, ["odd"]).articles == ("Tarn_(compiler)",)
    assert read_squad(tiny, ["even"]).articles == ("Morava",)
    assert read_squad(tiny, ["Tarn_(compiler)"]).articles == ("Tarn_(compiler)",)
    with pytest.raises(SquadError, match="no article 'Rhine'"):
        read_squad(tiny, ["Rhine"])


@pytest.mark.parametrize("content", [b"{}", b"not json", b'{"data": [{"title": 3}]}'])
def test_a_file_that_is_not_squad_is_one_line_naming_it(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SquadError, match="bad.json") as caught:
        read_squad(path)
    assert "\n" not in str(caught.value)


def test_scoring_is_the_official_one():
    assert normalize("The  Cat, sat!") == "cat sat"
    assert exact_match("the Danube", ["Danube"]) == 1.0
    assert exact_match("Danube river", ["Danube"]) == 0.0
    assert f1("a big cat", ["big dog cat"]) == pytest.approx(0.8)
    assert f1("", ["x"]) == 0.0 and f1("cat", ["dog", "the cat"]) == 1.0


def test_auc_is_the_probability_a_positive_scores_higher():
    assert _auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert _auc([0.1], [0.9]) == 0.0
    assert _auc([0.5], [0.5]) == 0.5 and _auc([], [1.0]) is None


def test_a_run_scores_every_question_against_the_whole_index(tiny, tmp_path):
    data = read_squad(tiny)
    index = open_squad_index(data, tmp_path / "index", embedder=HashEmbedder(), progress=False)
    again = open_squad_index(data, tmp_path / "index", embedder=HashEmbedder(), progress=False)
    assert again.manifest["created"] == index.manifest["created"]  # reused, not rebuilt
    report = evaluate_squad(index, data, SearchSettings(k=3), progress=False)
    assert report.questions == 4 and report.answerable == 3 and report.k == 3
    figures = report.figures
    for key in ("em", "f1", "forced_em", "forced_f1", "sentence", "hit@1", "hit@3", "mrr"):
        assert 0.0 <= figures[key] <= 1.0, key
    assert figures["hit@3"] == 1.0  # every answer is in one of three short paragraphs
    assert sum(t["questions"] for t in report.by_type.values()) == 3
    assert json.loads(json.dumps(report.to_json()))["figures"] == figures


@pytest.mark.slow
def test_the_command_runs_the_open_setting(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["eval", "--squad", str(tiny), "--mode", "hybrid", "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)["hybrid"]
    assert report["questions"] == 4 and report["k"] == 5
    assert report["figures"]["sentence"] >= 2 / 3  # the real model finds these sentences
    run = CliRunner().invoke(app, ["eval", "--squad", str(tiny), "--mode", "hybrid"])
    assert run.exit_code == 0 and "SQuAD, open setting: 4 questions" in run.output


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared SQuAD file is not here")
def test_the_shared_file_reads_with_every_gold_answer_located():
    data = read_squad(SHARED, ["odd"])
    assert len(data.articles) == 17 and len(data.questions) == 5952
    located = sum(1 for q in data.questions if q.answerable and len(q.golds) > 0)
    assert located == sum(1 for q in data.questions if q.answerable)
