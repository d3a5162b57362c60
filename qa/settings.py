"""Hybrid-search defaults measured by `qa tune` and stored in qa/defaults.json.

Read at import by the search settings, so this module imports nothing heavy (qa.fusion, for
the fusion names and RRF's k, needs only numpy) and never fails on a missing file: the
built-in values below are then used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .fusion import RRF_K, Fusion

__all__ = ["DEFAULTS_PATH", "FusionDefaults", "load_defaults", "write_defaults"]

DEFAULTS_PATH = Path(__file__).with_name("defaults.json")
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


def write_defaults(defaults: FusionDefaults, path: Path = DEFAULTS_PATH, *,
                   evidence: dict[str, Any] | None = None) -> Path:
    """Store `defaults`, with how they were chosen under "tuned" (ignored when read)."""
    row: dict[str, Any] = asdict(defaults)
    if evidence:
        row["tuned"] = evidence
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(row, indent=2, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(path)
    return path
