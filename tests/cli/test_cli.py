"""The command line, as a user runs it: real processes, real index, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

META = "how much is Meta spending on AI infrastructure?"


def qa(*args, cwd, stdin=None):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_ask_json_ranks_meta_passage_first(seed_index_dir, root):
    run = qa("ask", META, "--json", "--index-dir", str(seed_index_dir), cwd=root)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert set(result) >= {"question", "mode", "answer", "passages", "took_ms"}
    first = result["passages"][0]
    assert "between $60 billion and $65 billion" in first["text"]
    assert first["source"] == "seeds/000_432a7676416fb9d4.txt"
    assert set(first) >= {"rank", "source", "title", "date", "start", "end", "text", "score",
                          "bm25", "vector"}
    assert first["rank"] == 1 and result["mode"] == "hybrid" and len(result["passages"]) == 5


@pytest.mark.slow
def test_ask_human_output_shows_rank_title_date_source(seed_index_dir, root):
    run = qa("ask", META, "--k", "2", "--index-dir", str(seed_index_dir), cwd=root)
    assert run.returncode == 0, run.stderr
    assert "[1] AI a Race to the Abyss? · 2025-03-12 · seeds/000_432a7676416fb9d4.txt" in run.stdout
    assert "[2]" in run.stdout and "[3]" not in run.stdout


@pytest.mark.slow
def test_ask_human_output_says_how_sure_and_what_it_turned_down(seed_index_dir, root):
    questions = f"{META}\nWhat is DeepSeek currently valued at?\n"
    run = qa("ask", "-", "--k", "1", "--index-dir", str(seed_index_dir), cwd=root,
             stdin=questions)
    assert run.returncode == 0, run.stderr
    answered, declined = run.stdout.split("Q: ")[1:]
    assert "A (strong match): between $60 billion and $65 billion" in answered
    assert "»between $60 billion and $65 billion«" in answered
    assert "A: (no answer) The sources do not answer this question." in declined
    turned_down = declined.split("Closest, not confident:", 1)[1].split("\n[1]")[0]
    assert "»" in turned_down and "— " in turned_down  # the span in its sentence, cited


@pytest.mark.slow
def test_ask_reads_questions_from_stdin_one_json_per_line(seed_index_dir, root):
    questions = "Who developed DeepSeek?\n\nWhat is Stargate?\n"
    run = qa("ask", "-", "--json", "--mode", "bm25", "--index-dir", str(seed_index_dir),
             cwd=root, stdin=questions)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["question"] for r in lines] == ["Who developed DeepSeek?", "What is Stargate?"]
    assert all(r["mode"] == "bm25" for r in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "x", "--mode", "fuzzy"], "valid modes: hybrid, bm25, vector"),
        (["ask", "x", "--k", "0"], "k must be between 1"),
        (["ask", "x", "--k", "-3"], "k must be between 1"),
        (["ask", "x", "--k", "1000000"], "k must be between 1 and 100"),
        (["ask", ""], "question is empty"),
        (["ask", "   "], "question is empty"),
        (["ask", "\x07\x1b\x7f\t"], "question is empty"),
        (["ask", "x" * 10_000], "too long"),
    ],
)
def test_bad_questions_and_options_fail_with_one_line(fake_index_dir, root, args, message):
    run = qa(*args, "--index-dir", str(fake_index_dir), cwd=root)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_control_characters_inside_a_question_are_ignored(fake_index_dir, root):
    run = qa("ask", "how much is Meta\x07 spending\x1b on AI\x7f infrastructure?", "--json",
             "--index-dir", str(fake_index_dir), cwd=root)
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["question"] == "how much is Meta  spending  on AI  infrastructure?"
    assert payload["passages"]


def test_missing_index_fails_with_one_line(tmp_path, root):
    run = qa("ask", "anything", "--index-dir", str(tmp_path / "none"), cwd=root)
    assert run.returncode == 2
    expected = f"qa: error: no index in {tmp_path / 'none'}: build it with `qa index`"
    assert run.stderr.strip() == expected


def test_index_bad_path_fails_with_one_line(tmp_path):
    run = qa("index", str(tmp_path / "missing"), "--index-dir", str(tmp_path / "i"), cwd=tmp_path)
    assert run.returncode == 2
    assert "no such file or folder" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_index_status_and_stale_rebuild(workspace):
    run = qa("index", "--index-dir", "idx", cwd=workspace)
    assert run.returncode == 0, run.stderr
    assert "indexed 5 documents" in run.stdout
    status = qa("index", "--status", "--index-dir", "idx", cwd=workspace)
    assert "5 documents" in status.stdout and "up to date" in status.stdout
    skip = qa("index", "--if-stale", "--index-dir", "idx", cwd=workspace)
    assert "up to date" in skip.stdout
    (workspace / "seeds" / "tesla.txt").write_text("Tesla plans to spend $5 billion on Dojo.")
    status = qa("index", "--status", "--index-dir", "idx", cwd=workspace)
    assert "added: seeds/tesla.txt" in status.stdout
    ask = qa("ask", "How much will Tesla spend on Dojo?", "--json", "--index-dir", "idx",
             cwd=workspace)
    assert ask.returncode == 0, ask.stderr
    # Asking never rebuilds: it answers from the index as built and says it is stale.
    assert "stale (1 added)" in ask.stderr and "`qa index` refreshes it" in ask.stderr
    assert "seeds/tesla.txt" not in ask.stdout
    refresh = qa("index", "--index-dir", "idx", cwd=workspace)
    assert "indexed 6 documents" in refresh.stdout, refresh.stderr
    ask = qa("ask", "How much will Tesla spend on Dojo?", "--json", "--index-dir", "idx",
             cwd=workspace)
    assert ask.stderr == ""
    assert json.loads(ask.stdout)["passages"][0]["source"] == "seeds/tesla.txt"


def _hash_builds(monkeypatch):
    """Make the CLI's builds use the fast hash embedder, in this process."""
    import qa.store.build
    from tests.fakes import HashEmbedder

    real = qa.store.build.build_index

    def build(paths, index_dir, *, root, **kwargs):
        return real(paths, index_dir, root=root, embedder=HashEmbedder(), progress=False)

    def unlocked(paths, index_dir, *, root, **kwargs):  # for callers holding the build lock
        return real.__wrapped__(paths, index_dir, root=root, embedder=HashEmbedder(),
                                progress=False)

    build.__wrapped__ = unlocked
    monkeypatch.setattr(qa.store.build, "build_index", build)
    return real


def test_if_stale_rebuilds_every_input_of_the_manifest(workspace, monkeypatch):
    from typer.testing import CliRunner

    from qa.cli import app
    from qa.store.index import load_index
    from tests.fakes import HashEmbedder

    real = _hash_builds(monkeypatch)
    uploads = workspace / "uploads"
    uploads.mkdir()
    (uploads / "mine.txt").write_text("Zorblax will spend $9 billion on a lunar factory.\n")
    real([workspace / "seeds", uploads], workspace / "idx", root=workspace,
         embedder=HashEmbedder(), progress=False)
    (workspace / "seeds" / "tesla.txt").write_text("Tesla plans to spend $5 billion on Dojo.\n")
    monkeypatch.chdir(workspace)
    run = CliRunner().invoke(app, ["index", "--if-stale", "--index-dir", "idx"])
    assert run.exit_code == 0, run.output
    index = load_index(workspace / "idx")
    assert {"uploads/mine.txt", "seeds/tesla.txt"} <= set(index.documents)
    assert index.manifest["inputs"] == ["seeds", "uploads"]
    # An input folder deleted since is left out instead of failing `make run`.
    (uploads / "mine.txt").unlink()
    uploads.rmdir()
    run = CliRunner().invoke(app, ["index", "--if-stale", "--index-dir", "idx"])
    assert run.exit_code == 0, run.output
    index = load_index(workspace / "idx")
    assert "uploads/mine.txt" not in index.documents and "seeds/tesla.txt" in index.documents
    run = CliRunner().invoke(app, ["index", "--if-stale", "--index-dir", "idx"])
    assert "up to date" in run.output
