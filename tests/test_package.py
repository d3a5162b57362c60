"""The public API: `import qa` is cheap, and every exported name resolves."""

from __future__ import annotations

import subprocess
import sys

import qa

HEAVY = ("torch", "sentence_transformers", "gradio", "faiss", "onnxruntime", "transformers")


def test_import_qa_loads_nothing_heavy():
    code = f"import sys, qa; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_exported_name_resolves_and_nothing_else_does():
    for name in qa.__all__:
        assert getattr(qa, name) is not None, name
    assert sorted(qa.__all__) == sorted(set(qa.__all__))
    try:
        qa.not_a_name  # noqa: B018
    except AttributeError as exc:
        assert "not_a_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("unknown attribute resolved")


def test_no_test_stand_in_decides_a_production_path():
    """Models are found by the name a manifest records (qa.embed.embedding.embedder_kind); the
    test fake lives in tests/ and registers itself like any plugin."""
    from pathlib import Path

    for path in Path(qa.__file__).parent.rglob("*.py"):
        text = path.read_text("utf-8")
        assert "HashEmbedder" not in text and '"hash-' not in text, path


def test_an_unknown_model_lists_the_known_ones():
    import pytest

    from qa.embed.embedding import MODEL_NAME, embedder_kind
    from qa.errors import IndexIncompatible

    with pytest.raises(IndexIncompatible, match=MODEL_NAME.replace("/", ".")):
        embedder_kind("someone/else")


def test_a_bad_plugin_is_a_one_line_error(tmp_path):
    import os

    env = {**os.environ, "QA_PLUGINS": "no_such_module_here"}
    run = subprocess.run([sys.executable, "-m", "qa.cli", "index", "--status"], cwd=tmp_path,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert run.stderr.startswith("qa: error: QA_PLUGINS:") and run.stderr.count("\n") == 1
