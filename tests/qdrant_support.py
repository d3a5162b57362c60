"""Qdrant collections for the tests: an Edge shard or qdrant-client's local mode in a
scratch folder (a Qdrant server cannot run here; local mode has the server's API)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import qa.backends.qdrant as qdrant
from qa.backends.qdrant_engine import MEMORY, Target
from qa.config import Backends, Settings
from qa.store.build import build_index
from qa.store.files import read_manifest

__all__ = ["KINDS", "configured", "rebuilt_in", "target_in"]

# The two code paths: the engine in-process, and qdrant-client (here in its local mode,
# in memory).
KINDS = {"qdrant-edge": "qdrant-edge:{}", "qdrant-client": "qdrant:local::memory:"}


def target_in(kind: str, folder: Path) -> Target:
    """A fresh collection of `kind`: an Edge shard under `folder`, or a client local-mode
    collection in memory named after `folder` (a folder would cost ~10 ms a point)."""
    if kind == "edge":
        return Target(kind, str(folder / "qdrant-edge"))
    return Target(kind, MEMORY, collection=_name(folder))


def _name(folder: Path) -> str:
    return "c" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]


def configured(kind: str, make: Callable[[Any, Path], Any]) -> Callable[[Any, Path], Any]:
    """`make` (a registry factory) writing into a fresh collection of `kind`."""
    def build(data: Any, folder: Path) -> Any:
        qdrant.configure(folder, target_in(kind, folder), build="conformance")
        return make(data, folder)
    return build


def rebuilt_in(kind: str, index_dir: Path, folder: Path, embedder=None) -> Path:
    """A copy of `index_dir` rebuilt into a fresh Qdrant collection of `kind`: the vectors,
    entities and encoder of the copy are reused, so the model does not run again."""
    copy = folder / f"index-{kind}"
    shutil.copytree(index_dir, copy)
    manifest = read_manifest(copy)
    backend = KINDS[kind].format(folder / f"collection-{kind}")
    settings = Settings(index=Backends(backend=backend, collection=_name(folder),
                                       entities=manifest["ner"] is not None))
    report = build_index([Path(manifest["root"]) / p for p in manifest["inputs"]], copy,
                         root=Path(manifest["root"]), embedder=embedder, settings=settings,
                         progress=False)
    assert report.embedded == 0 and report.reused == report.chunks
    return copy
