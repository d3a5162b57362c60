"""Qdrant collections for the tests: an Edge shard or qdrant-client's local mode in a
scratch folder (a Qdrant server cannot run here; local mode has the server's API)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import qa.backends.qdrant as qdrant
from qa.backends.qdrant_engine import Target

__all__ = ["configured", "target_in"]


def target_in(kind: str, folder: Path) -> Target:
    """A fresh collection of `kind` ("edge" or "client-local") under `folder`."""
    return Target(kind, str(folder / f"qdrant-{kind}"))


def configured(kind: str, make: Callable[[Any, Path], Any]) -> Callable[[Any, Path], Any]:
    """`make` (a registry factory) writing into a fresh collection of `kind`."""
    def build(data: Any, folder: Path) -> Any:
        qdrant.configure(folder, target_in(kind, folder), build="conformance")
        return make(data, folder)
    return build
