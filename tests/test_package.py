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
