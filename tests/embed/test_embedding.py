"""Tests for qa.embed.embedding: the ONNX query path must reproduce sentence-transformers exactly,
without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from qa.embed.embedding import (
    CONFIG_FILE,
    MODEL_NAME,
    Embedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    export_onnx,
    model_dir,
    model_sha256,
)
from tests.fakes import HashEmbedder

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

QUESTIONS = [
    "What are the three possible economic catastrophes from President Trump's policies?",
    "Which factors could contribute to a crash in the AI sector?",
    "What did Daron Acemoglu write about in the Financial Times?",
    "What is the Stargate joint venture?",
    "How much computing infrastructure will Stargate build?",
    "How much did SoftBank pay for Ampere Computing?",
    "How much will Microsoft invest in AI datacenters in fiscal 2025?",
    "How much has Amazon invested in Anthropic?",
    "At what valuation did Anthropic raise money in March 2025?",
    "How much did Google agree to pay for Wiz?",
    "Who are the Magnificent Seven?",
    "Why is China taking an open-source approach to AI?",
    "Who wrote about a potential AI bubble in The American Prospect?",
    "Why is DeepSeek a threat to the tech industry's bull run?",
    "How much money will OpenAI burn per year by 2028?",
    "How much is SoftBank CEO Masayoshi Son planning to borrow?",
    "What did Cory Doctorow say about freedom?",
    "Why did investors retreat from AI stocks on Monday?",
    "How far did SoftBank shares fall in the sell-off?",
    "How many parameters does DeepSeek V3 have?",
    "How much market value did Nvidia lose in a single day?",
    "What did Sam Altman say about copying something that works?",
    "Who founded DeepSeek and why?",
    "What did Ray Dalio compare the situation to?",
    "What share of the S&P 500 does Nvidia account for?",
    "How did Trump respond to the release of DeepSeek?",
    "How much did DeepSeek's training really cost?",
    "How large is the EU's AI investment plan?",
    "Which country leads the Global AI Vibrancy ranking?",
    "Was the money spent on AI investment well spent?",
    "x",
    "",
]


def _paragraphs() -> list[str]:
    """~30 paragraphs: the first three and the three longest of each seed file."""
    picked: list[str] = []
    for path in SEEDS:
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for p in paras[:3] + sorted(paras, key=len, reverse=True)[:3]:
            if p not in picked:
                picked.append(p)
    return picked


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="module")
def st_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory, st_embedder) -> Path:
    dest = tmp_path_factory.mktemp("onnx")
    written = export_onnx(dest, embedder=st_embedder)
    assert all(p.is_file() and p.parent == dest for p in written)
    return dest


@pytest.fixture(scope="module")
def onnx_embedder(onnx_dir: Path) -> OnnxEmbedder:
    return OnnxEmbedder(onnx_dir)


# ---------------------------------------------------------------- fast, no model


def test_hash_embedder_is_deterministic_and_normalized():
    texts = ["DeepSeek shattered the AI boom", "deepseek SHATTERED the ai boom!", "", "Nvidia"]
    emb = HashEmbedder()
    a = emb.encode(texts)
    assert isinstance(emb, Embedder)
    assert emb.name == "hash-64" and emb.dim == 64
    assert a.dtype == np.float32 and a.shape == (4, 64)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(a, HashEmbedder().encode(texts))
    np.testing.assert_array_equal(a[0], a[1])  # lowercased words; punctuation ignored
    assert a[0] @ a[3] < a[0] @ a[1]
    assert emb.encode([]).shape == (0, 64)


def _python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet) and return its stdout."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env}
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_hash_embedder_is_stable_across_processes():
    """crc32, not hash(): interpreters with different hash seeds give the same bytes."""
    code = "from tests.fakes import HashEmbedder as H; print(H().encode(['a b']).tobytes().hex())"
    outs = {_python(code, PYTHONHASHSEED=seed).strip() for seed in ("1", "2")}
    assert len(outs) == 1
    assert bytes.fromhex(outs.pop()) == HashEmbedder().encode(["a b"]).tobytes()


def test_import_is_light():
    """`import qa.embed.embedding` loads only the standard library and numpy."""
    out = _python(
        """
        import sys
        before = set(sys.modules)
        import qa.embed.embedding
        new = {m.split(".")[0] for m in set(sys.modules) - before}
        print(sorted(new - set(sys.stdlib_module_names) - {"numpy", "qa"}))
        """
    )
    assert out.strip() == "[]"


def test_model_sha256_is_cached_hex():
    digest = model_sha256()
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert model_sha256() is digest
    assert (model_dir() / "model.safetensors").is_file()


# ---------------------------------------------------------------- real model


@pytest.mark.slow
def test_export_writes_a_self_contained_directory(onnx_dir: Path, st_embedder):
    config = json.loads((onnx_dir / CONFIG_FILE).read_text())
    assert config["model"] == MODEL_NAME
    assert config["model_sha256"] == model_sha256()
    assert config["max_seq_length"] == st_embedder.max_seq_length == 256
    assert config["dim"] == st_embedder.dim == 384
    names = ["embedder.json", "model.onnx", "model.onnx.data", "tokenizer.json"]
    assert sorted(p.name for p in onnx_dir.iterdir()) == names


@pytest.mark.slow
def test_onnx_matches_sentence_transformers(onnx_embedder: OnnxEmbedder, st_embedder):
    paragraphs = _paragraphs()
    assert len(paragraphs) >= 25
    lengths = [len(onnx_embedder.tokenizer.encode(p).ids) for p in paragraphs]
    assert max(lengths) == 256, "no paragraph exceeds max_seq_length: truncation untested"
    texts = QUESTIONS + paragraphs
    ref = st_embedder.encode(texts, batch_size=16)
    got = onnx_embedder.encode(texts, batch_size=16)
    assert got.dtype == np.float32 and got.shape == ref.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = _cosines(got, ref)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.9999, (cosines.min(), texts[worst][:80])


@pytest.mark.slow
def test_long_text_is_truncated_like_sentence_transformers(onnx_embedder, st_embedder):
    long = " ".join(_paragraphs())
    cut = onnx_embedder.tokenizer.decode(onnx_embedder.tokenizer.encode(long).ids)
    vectors = onnx_embedder.encode([long, cut + " and then much more text afterwards"])
    assert float(vectors[0] @ vectors[1]) > 0.9999  # tokens past 256 are ignored
    assert _cosines(vectors[:1], st_embedder.encode([long]))[0] >= 0.9999


@pytest.mark.slow
def test_batch_encode_equals_one_by_one(onnx_embedder: OnnxEmbedder):
    texts = QUESTIONS[:10] + _paragraphs()[:10]
    batched = onnx_embedder.encode(texts, batch_size=64)
    single = np.vstack([onnx_embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-5)
    small = onnx_embedder.encode(texts, batch_size=3)
    np.testing.assert_allclose(small, single, atol=1e-5)
    assert onnx_embedder.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_concurrent_encodes_agree(onnx_embedder: OnnxEmbedder):
    texts = QUESTIONS[:16]
    expected = onnx_embedder.encode(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: onnx_embedder.encode([texts[i % 16]]), range(48)))
    for i, vector in enumerate(results):
        np.testing.assert_allclose(vector[0], expected[i % 16], atol=1e-5)


@pytest.mark.slow
def test_query_path_never_imports_torch(onnx_dir: Path, onnx_embedder: OnnxEmbedder):
    out = _python(
        f"""
        import sys
        from pathlib import Path
        import qa.embed.embedding as e
        emb = e.OnnxEmbedder(Path({str(onnx_dir)!r}))
        vector = emb.encode(["How much market value did Nvidia lose in a single day?"])
        heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
        assert not heavy, heavy
        sys.stdout.write(vector.tobytes().hex())
        """
    )
    vector = np.frombuffer(bytes.fromhex(out), dtype=np.float32)
    expected = onnx_embedder.encode(["How much market value did Nvidia lose in a single day?"])
    np.testing.assert_allclose(vector, expected[0], atol=1e-6)


@pytest.mark.slow
def test_embedders_satisfy_protocol(onnx_embedder, st_embedder):
    for emb in (onnx_embedder, st_embedder):
        assert isinstance(emb, Embedder)
        assert emb.name == MODEL_NAME and emb.dim == 384
    assert onnx_embedder.model_sha256 == model_sha256()


@pytest.mark.slow
def test_loading_the_model_leaves_the_environment_alone():
    """Only the CLI's entry point sets process-wide variables, not a library class."""
    import os

    from qa.embed.embedding import SentenceTransformerEmbedder

    def hub() -> dict[str, str]:  # torch sets a few of its own on import; ours are HF_*
        return {k: v for k, v in os.environ.items() if k.startswith("HF_")}

    before = hub()
    SentenceTransformerEmbedder()
    assert hub() == before
