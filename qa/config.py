"""Hybrid-search defaults: in code, measured ones shipped in qa/defaults.json, and a user's
`qa.toml` in the working folder over both (its `[search]` table: fusion, alpha, rrf_k).

`qa tune --write` writes its choice to `qa.toml` (never into the installed package), and
refuses to replace a `qa.toml` it did not write. This module imports nothing heavy.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa.types import Fusion

__all__ = ["DEFAULTS_PATH", "LOCAL_SETTINGS", "FusionDefaults", "load_defaults", "search_defaults",
           "write_defaults"]

DEFAULTS_PATH = Path(__file__).with_name("defaults.json")
LOCAL_SETTINGS = Path("qa.toml")  # relative: the folder qa runs in
WRITTEN_BY_QA = "# Written by `qa tune --write`, which replaces this file; settings of your own"
# Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual
# Rank Learning Methods", SIGIR 2009: k = 60 works well across collections.
RRF_K = 60
_FUSIONS = tuple(f.value for f in Fusion)


@dataclass(frozen=True, slots=True)
class FusionDefaults:
    fusion: str = Fusion.RRF.value
    rrf_k: int = RRF_K
    alpha: float = 0.5  # weight of the dense side in weighted fusion

    def __post_init__(self) -> None:
        if self.fusion not in _FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}; valid: {', '.join(_FUSIONS)}")
        if not isinstance(self.rrf_k, int) or self.rrf_k <= 0:
            raise ValueError(f"rrf_k must be a positive integer, got {self.rrf_k!r}")
        if not isinstance(self.alpha, int | float) or not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"alpha must be within [0, 1], got {self.alpha!r}")


def load_defaults(path: Path = DEFAULTS_PATH) -> FusionDefaults:
    """The stored defaults, or the built-in ones when there is no file."""
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        return FusionDefaults()
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read search defaults {path}: {exc}") from None
    try:
        return FusionDefaults(**{k: raw[k] for k in ("fusion", "rrf_k", "alpha") if k in raw})
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def search_defaults(local: Path = LOCAL_SETTINGS) -> FusionDefaults:
    """The shipped defaults with the `[search]` table of `local` (qa.toml) over them."""
    shipped = load_defaults()
    try:
        text = Path(local).read_text("utf-8")
    except FileNotFoundError:
        return shipped
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {local}: {exc}") from None
    try:
        table = tomllib.loads(text).get("search", {})
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{local} is not valid TOML: {exc}") from None
    unknown = set(table) - set(asdict(shipped)) if isinstance(table, dict) else {"search"}
    if unknown:
        raise ValueError(f"{local}: unknown [search] setting(s) {', '.join(sorted(unknown))}; "
                         f"valid: {', '.join(asdict(shipped))}")
    try:
        return FusionDefaults(**{**asdict(shipped), **table})
    except ValueError as exc:
        raise ValueError(f"{local}: {exc}") from None


def write_defaults(defaults: FusionDefaults, path: Path = LOCAL_SETTINGS, *,
                   evidence: dict[str, Any] | None = None) -> Path:
    """Store `defaults` as the `[search]` table of a qa.toml, with how they were chosen as
    comments. A file qa did not write is never replaced: the error says what to add."""
    path = Path(path)
    values = "\n".join(f"{k} = {json.dumps(v)}" for k, v in asdict(defaults).items())
    if path.exists() and not path.read_text("utf-8", errors="replace").startswith(
            WRITTEN_BY_QA):
        raise ValueError(f"{path} exists and was not written by qa; add to its [search] "
                         f"table: {'; '.join(values.splitlines())}")
    notes = [f"# {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in (evidence or {}).items()]
    text = "\n".join([WRITTEN_BY_QA, "# belong in another file.", *notes, "", "[search]",
                      values, ""])
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)
    return path
