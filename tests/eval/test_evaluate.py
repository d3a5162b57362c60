"""Evaluation: question sets, gold-span relevance, ir-measures metrics, `qa eval`, `qa tune`."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.answer import Answer, Citation
from qa.cli import app
from qa.config import (
    DEFAULTS_PATH,
    BM25Params,
    ChunkerConfig,
    FusionDefaults,
    Settings,
    load_defaults,
    search_defaults,
)
from qa.eval.evaluate import answer_correct, evaluate, run_of, score_runs, variants_for
from qa.eval.question_sets import (
    GoldAnswer,
    GoldSpan,
    Question,
    QuestionsError,
    load_questions,
    resolve_gold,
)
from qa.eval.tune import (
    Fold,
    cross_validate,
    fusion_grid,
    make_folds,
    repeated_folds,
    tune_questions,
)
from qa.ingest.chunking import Chunk
from qa.search.base import Hit

META_SRC = "seeds/000_432a7676416fb9d4.txt"
NVIDIA_SRC = "seeds/003_b6c8a39852cc0843.txt"
QUESTIONS = [
    {"id": "t1", "question": "How much is Meta spending on AI infrastructure?",
     "answerable": True, "answers": [{"source": META_SRC,
                                      "text": "between $60 billion and $65 billion"}]},
    {"id": "t2", "question": "Where is DeepSeek based?", "answerable": True,
     "answers": [{"source": "seeds/002_292f70715769bd2d.txt", "text": "Hangzhou"}]},
    {"id": "t3", "question": "Who won the 2022 World Cup?", "answerable": False, "answers": []},
    # Shares no word with any source: BM25 finds nothing, so this one must fail.
    {"id": "t4", "question": "Zqxv wyrtk plomb?", "answerable": True,
     "answers": [{"source": META_SRC, "text": "Mark Zuckerberg"}]},
]
METRICS = {"Success@1", "Success@5", "RR@10", "nDCG@10", "R@10", "answer_accuracy",
           "no_answer_precision", "no_answer_recall"}


def write_questions(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def chunk(source: str, start: int, end: int) -> Chunk:
    return Chunk(f"{source}#{start}-{end}", source, start, end, "x" * (end - start))


def hit(c: Chunk, rank: int, score: float = 1.0) -> Hit:
    return Hit(c, rank, score, score, rank, None, None)


# -- question sets and gold spans ------------------------------------------------------------


def test_load_questions_reads_answerable_and_unanswerable(tmp_path):
    questions = load_questions(write_questions(tmp_path / "q.jsonl", QUESTIONS))
    assert [q.id for q in questions] == ["t1", "t2", "t3", "t4"]
    assert questions[0].answers[0].text == "between $60 billion and $65 billion"
    assert questions[2].answerable is False and questions[2].answers == ()


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "a", "question": "Q?", "answerable": True, "answers": []}, "no answers"),
    ({"id": "a", "question": "Q?", "answerable": False,
      "answers": [{"source": "s", "text": "x"}]}, "lists answers"),
    ({"id": "a", "question": "Q?", "answers": [{"source": "s"}]}, "start"),
    ({"question": "Q?"}, "id"),
])
def test_load_questions_refuses_ambiguous_rows(tmp_path, row, message):
    with pytest.raises(QuestionsError, match=message):
        load_questions(write_questions(tmp_path / "q.jsonl", [row]))


def test_load_questions_names_the_bad_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(QUESTIONS[0]) + "\n{not json\n", "utf-8")
    with pytest.raises(QuestionsError, match=r"q\.jsonl:2: not valid JSON"):
        load_questions(path)


def test_every_seed_gold_answer_resolves(root, seed_documents):
    documents = {d.source: d for d in seed_documents}
    questions = load_questions(root / "seeds" / "questions.jsonl")
    for q in questions:
        spans = resolve_gold(q, documents)
        assert bool(spans) == q.answerable, q.id
        for span in spans:
            text = documents[span.source].text[span.start:span.end]
            assert any(g.text is None or g.text in text for g in q.answers), q.id


def test_gold_text_resolves_to_every_occurrence(fake_index):
    q = Question("n", "Nvidia?", True, (load_answer(NVIDIA_SRC, "Nvidia"),))
    spans = resolve_gold(q, fake_index.documents)
    text = fake_index.documents[NVIDIA_SRC].text
    assert len(spans) == text.count("Nvidia") > 1
    assert all(text[s.start:s.end] == "Nvidia" for s in spans)


def test_overlapping_gold_occurrences_merge_into_one_span(fake_index):
    text = fake_index.documents[META_SRC].text
    at = text.index("between $60 billion and $65 billion")
    q = Question("m", "Meta?", True, (load_answer(META_SRC, "between $60 billion"),
                                      load_answer(META_SRC, "$60 billion and $65 billion")))
    assert resolve_gold(q, fake_index.documents) == (GoldSpan(META_SRC, at, at + 35),)


def test_gold_given_as_offsets(fake_index):
    q = Question("o", "Q?", True, (GoldAnswer(META_SRC, start=10, end=20),))
    assert resolve_gold(q, fake_index.documents) == (GoldSpan(META_SRC, 10, 20),)
    past = Question("p", "Q?", True, (GoldAnswer(META_SRC, start=10, end=10**7),))
    with pytest.raises(QuestionsError, match="question p: offsets"):
        resolve_gold(past, fake_index.documents)


def test_gold_text_not_found_is_an_error_naming_the_question(fake_index):
    q = Question("q042", "Q?", True, (load_answer(META_SRC, "a sentence nobody wrote"),))
    with pytest.raises(QuestionsError, match="question q042: gold text 'a sentence nobody"):
        resolve_gold(q, fake_index.documents)
    q = Question("q043", "Q?", True, (load_answer("seeds/missing.txt", "x"),))
    with pytest.raises(QuestionsError, match="question q043: source 'seeds/missing.txt'"):
        resolve_gold(q, fake_index.documents)


def load_answer(source: str, text: str):
    return GoldAnswer(source, text=text)


def test_gold_survives_rechunking(tmp_path, root):
    """The same labels are judged against chunks of 300 and of 1000 characters."""
    from qa.store.build import build_index
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    questions = load_questions(write_questions(tmp_path / "q.jsonl", QUESTIONS[:2]))
    reports = []
    for size, overlap in ((300, 0), (1000, 1)):
        index_dir = tmp_path / f"index-{size}"
        # The simple analyzer drops "where" as a stopword; Lucene's list keeps it, and then a
        # 1000-character passage that says "where" outranks "Hangzhou" for BM25 alone.
        # rank_bm25's k1 and b, without titles: with Anserini's (qa's defaults) length
        # matters less, and with its title ("...after DeepSeek's launch") every chunk of
        # the article says "DeepSeek"; either way BM25 alone can rank "Hangzhou" below 5.
        build_index([root / "seeds"], index_dir, root=root, embedder=HashEmbedder(),
                    settings=Settings(chunker=ChunkerConfig(max_chars=size, overlap=overlap,
                                                            title=False),
                                      bm25=BM25Params(k1=1.5, b=0.75, analyzer="simple")),
                    progress=False)
        index = load_index(index_dir)
        spans = [resolve_gold(q, index.documents) for q in questions]
        for q_spans in spans:
            assert all(any(s.overlaps(c.source, c.start, c.end) for c in index.chunks)
                       for s in q_spans)
        reports.append((spans, evaluate(index, questions, variants_for("bm25"), answers=False,
                                        progress=False)))
    (spans_small, small), (spans_large, large) = reports
    assert spans_small == spans_large
    assert small.modes["bm25"]["Success@5"] == large.modes["bm25"]["Success@5"] == 1.0


# -- runs and metrics ------------------------------------------------------------------------


def test_metrics_match_a_hand_computed_case():
    """Two gold spans; our ranking puts an irrelevant passage first, all raw scores tied."""
    c1, c2 = chunk("A", 0, 100), chunk("A", 100, 200)
    c3, c4 = chunk("B", 0, 100), chunk("B", 100, 200)
    spans = (GoldSpan("A", 150, 160), GoldSpan("B", 120, 130))
    hits = [hit(c, rank, score=7.0) for rank, c in enumerate([c1, c2, c3, c4], start=1)]
    run = run_of(hits, spans)
    assert list(run) == [c1.id, spans[0].id, c3.id, spans[1].id]
    assert list(run.values()) == [4.0, 3.0, 2.0, 1.0]  # strictly falling: our order, no ties

    from ir_measures import RR, R, Success, nDCG

    qrels = {"q": {s.id: 1 for s in spans}}
    got = score_runs(qrels, {"q": run}, [RR @ 10, nDCG @ 10, R @ 2, R @ 10, Success @ 1])
    dcg = 1 / math.log2(3) + 1 / math.log2(5)  # relevant at ranks 2 and 4
    ideal = 1 + 1 / math.log2(3)
    assert got["RR@10"] == pytest.approx(0.5)
    assert got["nDCG@10"] == pytest.approx(dcg / ideal)
    assert got["R@2"] == pytest.approx(0.5)
    assert got["R@10"] == pytest.approx(1.0)
    assert got["Success@1"] == 0.0
    # Why scores come from our ranks: given the tied raw scores, trec_eval orders by document
    # id, not by our ranking, and reports another RR (1/3 here).
    tied = {"q": dict.fromkeys(run, 7.0)}
    assert score_runs(qrels, tied, [RR @ 10])["RR@10"] != pytest.approx(0.5)


def test_a_gold_span_in_two_overlapping_chunks_counts_once():
    first, second = chunk("A", 0, 200), chunk("A", 150, 300)
    span = GoldSpan("A", 160, 170)
    run = run_of([hit(first, 1), hit(second, 2)], (span,))
    assert list(run) == [span.id, second.id]
    from ir_measures import R, nDCG

    got = score_runs({"q": {span.id: 1}}, {"q": run}, [R @ 1, nDCG @ 10])
    assert got == {"R@1": 1.0, "nDCG@10": 1.0}


def make_answer(source: str, start: int, end: int) -> Answer:
    cite = Citation(source, None, None, None, None, start, end, 1, 1)
    return Answer("x", "x", source, start, end, start, end, 1.0, "sentence", citation=cite)


def test_answer_correct_needs_overlap_in_the_same_source():
    q = Question("a", "Q?", True, (load_answer("A", "x"),))
    spans = (GoldSpan("A", 100, 110),)
    assert answer_correct(make_answer("A", 105, 120), q, spans)
    assert not answer_correct(make_answer("A", 110, 120), q, spans)
    assert not answer_correct(make_answer("B", 105, 120), q, spans)
    assert not answer_correct(None, q, spans)
    unanswerable = Question("u", "Q?", False)
    assert answer_correct(None, unanswerable, ())
    assert not answer_correct(make_answer("A", 105, 120), unanswerable, ())


# -- evaluate and `qa eval` ------------------------------------------------------------------


def test_evaluate_fake_index_reports_every_mode_and_the_failures(fake_index, tmp_path):
    questions = load_questions(write_questions(tmp_path / "q.jsonl", QUESTIONS))
    report = evaluate(fake_index, questions, variants_for("all"), progress=False)
    data = report.to_json()
    assert set(data) >= {"questions", "modes", "failures"}
    assert data["questions"] == 4
    assert list(data["modes"]) == ["bm25", "vector", "hybrid"]
    for mode, metrics in data["modes"].items():
        assert set(metrics) >= METRICS
        t3 = [f for f in data["failures"] if f["id"] == "t3" and f["mode"] == mode]
        # t3 is the one unanswerable question: listed as failed exactly when it got an answer.
        assert metrics["no_answer_recall"] == (0.0 if t3 else 1.0)
        assert all(f["answer"] is not None and f["answer_correct"] is False for f in t3)
    assert data["modes"]["bm25"]["Success@5"] == pytest.approx(2 / 3, abs=1e-4)  # not t4
    t4 = [f for f in data["failures"] if f["id"] == "t4" and f["mode"] == "bm25"]
    assert len(t4) == 1
    assert t4[0]["retrieved"] is False and t4[0]["first_relevant_rank"] is None
    assert t4[0]["expected_text"] == ["Mark Zuckerberg"]
    assert t4[0]["passages"] == []  # BM25 has nothing for words no source contains


def test_qa_eval_json_is_one_object(fake_index_dir, tmp_path):
    path = write_questions(tmp_path / "q.jsonl", QUESTIONS)
    plot = tmp_path / "recall.png"
    result = CliRunner().invoke(app, ["eval", str(path), "--index-dir", str(fake_index_dir),
                                      "--json", "--k", "5", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["modes"]) == {"bm25", "vector", "hybrid"}
    assert "R@5" in data["modes"]["hybrid"]
    assert data["settings"]["hybrid"]["mode"] == "hybrid"
    assert len(data["recall_curve"]["bm25"]) == 20
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_qa_eval_table_and_one_line_errors(fake_index_dir, tmp_path):
    path = write_questions(tmp_path / "q.jsonl", QUESTIONS)
    result = CliRunner().invoke(app, ["eval", str(path), "--index-dir", str(fake_index_dir),
                                      "--mode", "bm25"])
    assert result.exit_code == 0, result.output
    assert "Hit@1" in result.stdout and "nDCG@10" in result.stdout
    assert "t4  Zqxv wyrtk plomb?" in result.stdout
    bad = write_questions(tmp_path / "bad.jsonl", [
        {"id": "b1", "question": "Q?", "answers": [{"source": META_SRC, "text": "no such text"}]}
    ])
    result = CliRunner().invoke(app, ["eval", str(bad), "--index-dir", str(fake_index_dir)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "question b1" in result.stderr
    result = CliRunner().invoke(app, ["eval", str(path), "--index-dir", str(fake_index_dir),
                                      "--mode", "fuzzy"])
    assert result.exit_code == 2 and "valid modes: hybrid, bm25, vector, all" in result.stderr


@pytest.mark.slow
def test_seed_questions_on_the_real_index(seed_index, root):
    questions = load_questions(root / "seeds" / "questions.jsonl")
    report = evaluate(seed_index, questions, variants_for("all"), answers=False, progress=False)
    modes = report.modes
    for mode in ("bm25", "vector", "hybrid"):
        assert modes[mode]["Success@5"] >= 0.7, mode
        assert modes[mode]["nDCG@10"] >= 0.65, mode
    # The paraphrased questions avoid the sources' words: only dense retrieval finds them.
    paraphrases = [q for q in questions if q.paraphrase]
    para = evaluate(seed_index, paraphrases, variants_for("all"), answers=False, progress=False)
    assert para.modes["vector"]["Success@5"] >= para.modes["bm25"]["Success@5"] + 0.4


@pytest.mark.slow
def test_qa_eval_cli_on_the_real_index(seed_index_dir, root):
    result = CliRunner().invoke(app, ["eval", str(root / "seeds" / "questions.jsonl"),
                                      "--index-dir", str(seed_index_dir), "--json",
                                      "--mode", "hybrid"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    hybrid = data["modes"]["hybrid"]
    assert data["questions"] >= 100
    assert hybrid["answerable"] < data["questions"]  # some are unanswerable
    assert hybrid["answer_accuracy"] >= 0.5
    wrong = [f for f in data["failures"] if f["answer_correct"] is False and f["answer"]]
    assert all(f["answer"]["text"] and f["passages"] for f in wrong)


# -- tuning ----------------------------------------------------------------------------------


def test_folds_are_disjoint_and_cover_every_question():
    ids = [f"q{i}" for i in range(23)]
    for folds in repeated_folds(ids, 5, 3):
        tests = [set(f.test) for f in folds]
        assert sorted(q for t in tests for q in t) == sorted(ids)
        assert all(not (a & b) for i, a in enumerate(tests) for b in tests[i + 1:])
        for f in folds:
            assert not set(f.train) & set(f.test)
            assert set(f.train) | set(f.test) == set(ids)
    assert make_folds(ids, 5, seed=1) == make_folds(ids, 5, seed=1)
    assert make_folds(ids, 5, seed=1) != make_folds(ids, 5, seed=2)
    with pytest.raises(ValueError, match="folds must be between 2"):
        make_folds(ids, 1)


def test_cross_validation_never_reports_on_its_training_fold():
    """'memo' is perfect on fold 1's training questions and useless elsewhere: chosen there,
    it must be scored on fold 1's test questions, where it gets 0."""
    ids = [f"q{i}" for i in range(10)]
    folds = make_folds(ids, 2)
    memo = {q: 1.0 if q in folds[0].train else 0.0 for q in ids}
    table = {"hybrid": {"m": dict.fromkeys(ids, 0.5)}, "memo": {"m": memo}}
    settings = {"hybrid": {}, "memo": {}}
    report = cross_validate(table, metric="m", fold_sets=[folds], settings=settings)
    first, second = report.folds
    assert first["chosen"] == "memo" and first["train"] == 1.0 and first["test"] == 0.0
    assert second["chosen"] == "hybrid" and second["test"] == 0.5
    assert report.after["m"] == pytest.approx(0.25)  # not the 0.75 a leak would give
    assert report.before["m"] == 0.5
    with pytest.raises(ValueError, match="tests on questions it trains on"):
        cross_validate(table, metric="m", fold_sets=[[Fold(("q1",), ("q1",))]],
                       settings=settings)


def test_cross_validation_reports_each_question_sets_own_held_out_figures():
    """Two sets pooled: 'big' prefers "a", 'small' prefers "b"; pooled folds choose "a", so
    the small set's held-out figure is what "a" gives it, not its own best."""
    big, small = [f"b{i}" for i in range(20)], [f"s{i}" for i in range(4)]
    table = {"hybrid": {"m": dict.fromkeys(big + small, 0.5)},
             "a": {"m": {**dict.fromkeys(big, 1.0), **dict.fromkeys(small, 0.0)}},
             "b": {"m": {**dict.fromkeys(big, 0.0), **dict.fromkeys(small, 1.0)}}}
    report = cross_validate(table, metric="m", fold_sets=repeated_folds(big + small, 4, 2),
                            settings=dict.fromkeys(table, {}), sets={"big": big, "small": small})
    assert report.chosen == "a" and {f["chosen"] for f in report.folds} == {"a"}
    assert report.by_set["big"] == {"questions": 20, "before": {"m": 0.5}, "after": {"m": 1.0}}
    assert report.by_set["small"]["after"] == {"m": 0.0}
    assert report.to_json()["by_set"] == report.by_set


def test_tune_on_fake_index_and_write_defaults(fake_index, fake_index_dir, tmp_path,
                                                monkeypatch):
    questions = load_questions(write_questions(tmp_path / "q.jsonl", QUESTIONS))
    report = tune_questions(fake_index, questions, folds=2, repeats=2, progress=False)
    assert report.chosen in {v.name for v in fusion_grid()}
    assert report.before == report.grid["hybrid"]
    assert len(report.folds) == 4
    monkeypatch.chdir(tmp_path)  # qa.toml goes to the working folder, never the package
    package_defaults = DEFAULTS_PATH.read_bytes()
    result = CliRunner().invoke(app, ["tune", str(tmp_path / "q.jsonl"), "--folds", "2",
                                      "--repeats", "2", "--write",
                                      "--index-dir", str(fake_index_dir)])
    assert result.exit_code == 0, result.output
    assert "before (hybrid)" in result.stdout and f"wrote {report.chosen}" in result.stdout
    target = tmp_path / "qa.toml"
    assert search_defaults(target) == report.defaults()
    assert f'# chosen: "{report.chosen}"' in target.read_text()
    assert DEFAULTS_PATH.read_bytes() == package_defaults
    # Written again over its own file; a qa.toml of the user's is never replaced.
    again = CliRunner().invoke(app, ["tune", str(tmp_path / "q.jsonl"), "--folds", "2",
                                     "--repeats", "2", "--write",
                                     "--index-dir", str(fake_index_dir)])
    assert again.exit_code == 0, again.output
    target.write_text("[search]\nalpha = 0.4\n# mine\n")
    refused = CliRunner().invoke(app, ["tune", str(tmp_path / "q.jsonl"), "--folds", "2",
                                       "--repeats", "2", "--write",
                                       "--index-dir", str(fake_index_dir)])
    assert refused.exit_code == 2 and "was not written by qa" in refused.stderr
    assert target.read_text() == "[search]\nalpha = 0.4\n# mine\n"


def test_qa_toml_overrides_the_search_defaults(tmp_path):
    path = tmp_path / "qa.toml"
    path.write_text('[search]\nfusion = "rrf"\nrrf_k = 10\n')
    chosen = search_defaults(path)
    assert (chosen.fusion, chosen.rrf_k) == ("rrf", 10)
    assert chosen.alpha == load_defaults().alpha  # the rest as shipped
    for text, says in (('[search]\nalpha = 7\n', "alpha must be within"),
                       ('[search]\nbeta = 1\n', "unknown [search] setting"),
                       ("[search\n", "not valid TOML")):
        path.write_text(text)
        with pytest.raises(ValueError, match=re.escape(says)):
            search_defaults(path)


def test_a_bad_qa_toml_is_a_one_line_error(tmp_path, fake_index_dir):
    import os
    import subprocess
    import sys

    (tmp_path / "qa.toml").write_text('[search]\nfusion = "borda"\n')
    run = subprocess.run([sys.executable, "-m", "qa.cli", "ask", "who?", "--index-dir",
                          str(fake_index_dir)], cwd=tmp_path, capture_output=True, text=True,
                         env=os.environ)
    assert run.returncode == 2 and run.stderr.startswith("qa: error: qa.toml:")
    assert run.stderr.count("\n") == 1


def test_qa_tune_cli_json(fake_index_dir, tmp_path):
    path = write_questions(tmp_path / "q.jsonl", QUESTIONS)
    result = CliRunner().invoke(app, ["tune", str(path), "--index-dir", str(fake_index_dir),
                                      "--folds", "2", "--repeats", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"before", "after", "chosen", "folds", "grid"}
    assert {"hybrid-rrf-10", "hybrid-weighted-0.3"} <= set(data["grid"])
    result = CliRunner().invoke(app, ["tune", str(path), "--index-dir", str(fake_index_dir),
                                      "--metric", "P@3"])
    assert result.exit_code == 2 and "unknown metric 'P@3'" in result.stderr


def test_chunk_grid_builds_in_a_removed_temporary_directory(tmp_path, root, monkeypatch):
    from qa.eval.report import render_chunks
    from qa.eval.tune import chunk_grid
    from tests.fakes import HashEmbedder

    questions = load_questions(write_questions(tmp_path / "q.jsonl", QUESTIONS[:2]))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))  # where the builds go, to look
    rows = chunk_grid([root / "seeds"], questions, root=root, sizes=(300,), overlaps=(0,),
                      embedder=HashEmbedder(), variants=variants_for("bm25"), progress=False)
    assert [(r.max_chars, r.overlap, list(r.modes)) for r in rows] == [(300, 0, ["bm25"])]
    assert rows[0].chunks > 0 and rows[0].modes["bm25"]["Success@5"] >= 0.5  # Meta's, at least
    assert not list(scratch.glob("qa-chunks-*"))
    header, line = render_chunks(rows).splitlines()
    assert header.startswith("max_chars overlap chunks build_s  mode")
    assert line.startswith(f"      300       0 {rows[0].chunks:>6}")


def test_defaults_file_is_optional_and_validated(tmp_path):
    assert load_defaults(tmp_path / "absent.json") == FusionDefaults()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"fusion": "borda"}))
    with pytest.raises(ValueError, match="unknown fusion 'borda'"):
        load_defaults(bad)
