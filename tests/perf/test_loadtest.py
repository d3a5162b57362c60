"""The load test, small: a few clients for a few seconds against the fake index."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys

import pytest

from qa.answer import ask
from qa.perf.loadtest import check_loopback, load_questions, run_load
from qa.search.base import SearchSettings
from tests.web_support import running_app

# Gradio's queue calls pandas in ways pandas 3 deprecates; nothing of ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting'"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def questions(root):
    return load_questions(root / "seeds" / "questions.jsonl")[:12]


def test_clients_at_once_get_the_single_client_answers(fake_index, questions):
    with running_app(fake_index) as url:
        report = run_load(url, questions, clients=4, seconds=3)
    assert report.errors == 0 and report.samples == []
    assert report.identical and report.ok
    assert report.requests >= len(report.latencies_ms) > 0
    summary = report.summary()
    assert "errors     0" in summary and "identical  yes" in summary and "p95" in summary
    figures = report.to_json()
    assert figures["p50_ms"] <= figures["p95_ms"] and figures["single_p50_ms"] > 0


def test_errors_and_changed_answers_are_caught(fake_index, questions):
    calls = itertools.count()

    def unsteady(index, question, settings=None, **kwargs):
        n = next(calls)
        if n < len(questions):  # the single-client pass
            return ask(index, question, settings, **kwargs)
        if n % 3 == 0:
            raise ValueError("flaky")
        return ask(index, question, SearchSettings(k=1), **kwargs)  # fewer passages

    with running_app(fake_index, ask_fn=unsteady) as url:
        report = run_load(url, questions, clients=2, seconds=1.5, max_requests=30)
    assert report.errors > 0 and report.mismatches > 0 and not report.ok
    assert report.requests <= 30
    assert any("flaky" in s for s in report.samples)
    assert any("answer differs" in s for s in report.samples)


@pytest.mark.parametrize("url", ["http://example.com:7860/", "http://10.0.0.1:7860/",
                                 "http://0.0.0.0:7860/", "http://127.0.0.1.nip.io/",
                                 "file:///etc/passwd", "127.0.0.1:7860"])
def test_only_loopback_urls_are_accepted(url):
    with pytest.raises(ValueError):
        check_loopback(url)
    with pytest.raises(ValueError):
        run_load(url, ["q"], clients=1, seconds=1)


@pytest.mark.parametrize("url", ["http://127.0.0.1:7860/", "http://localhost:1/",
                                 "http://[::1]:7860/", "http://127.0.0.2/"])
def test_loopback_urls_pass(url):
    assert check_loopback(url) == url


def _qa(*args, cwd):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_refuses_a_remote_url(root):
    run = _qa("loadtest", "--url", "http://example.com/", "--seconds", "1", cwd=root)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == ("qa: error: the load test only runs against 127.0.0.1 "
                                  "(or localhost), not example.com")


def test_cli_refuses_a_question_set_row_without_a_question(root, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "q1", "question": "Who runs OpenAI?"}) + "\n"
                   + json.dumps({"id": "q2", "answerable": False}) + "\n")
    # No index there: had a server been started, the error would be another one.
    run = _qa("loadtest", "--questions", str(bad), "--index-dir", str(tmp_path / "none"),
              "--seconds", "1", cwd=root)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f'qa: error: {bad}:2: question q2 has no "question" text'


@pytest.mark.slow
def test_cli_starts_and_stops_its_own_server(fake_index_dir, root):
    run = _qa("loadtest", "--clients", "2", "--seconds", "2", "--index-dir",
              str(fake_index_dir), "--json", cwd=root)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == 0 and report["identical"] and report["requests"] > 0
    assert report["url"].startswith("http://127.0.0.1:")
    port = int(report["url"].rsplit(":", 1)[1].strip("/"))
    with pytest.raises(ConnectionRefusedError):  # the server was stopped
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
