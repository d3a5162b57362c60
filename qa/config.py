"""One `Settings` object for every stage: defaults in code, measured search defaults shipped
in qa/defaults.json, a user's `qa.toml` in the working folder over both, and CLI flags over
that (`load_settings(overrides=...)`).

`qa.toml` has one table per section, each key optional:

    [chunker]  max_chars = 800, overlap = 1, title = true
    [bm25]     k1 = 0.9, b = 0.4, epsilon = 0.25, analyzer = "english"
    [search]   fusion = "weighted", alpha = 0.6, alpha_max = 0.8, rrf_k = 60
    [index]    vectors = "faiss", lexical = "bm25", entities = true,
               backend = "local" | "qdrant-edge:PATH" | "qdrant:URL", collection = "qa",
               shards = 1, replicas = 1

The sections an index is built with (chunker, bm25, index) are recorded in its manifest, so
`qa index --if-stale` rebuilds when they change. `qa tune --write` writes the `[search]`
table of a qa.toml it owns (never into the installed package) and refuses to replace a
qa.toml it did not write. This module imports nothing heavy and nothing else of qa's but
its shared types, so every layer can read it.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from qa.types import Analyzer, Fusion

__all__ = [
    "BACKEND_FORMS", "DEFAULTS_PATH", "LOCAL_SETTINGS", "QDRANT", "RRF_K", "BM25Params",
    "Backends", "ChunkerConfig", "FusionDefaults", "Settings", "load_defaults", "load_settings",
    "search_defaults",
    "write_defaults",
]

DEFAULTS_PATH = Path(__file__).with_name("defaults.json")
LOCAL_SETTINGS = Path("qa.toml")  # relative: the folder qa runs in
WRITTEN_BY_QA = "# Written by `qa tune --write`, which replaces this file; settings of your own"
# Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual
# Rank Learning Methods", SIGIR 2009: k = 60 works well across collections.
RRF_K = 60
_FUSIONS = tuple(f.value for f in Fusion)


@dataclass(frozen=True, slots=True)
class ChunkerConfig:
    """Chunk size in characters and overlap in sentences.

    The size was chosen on SQuAD 2.0 dev's fit half (3,046 questions; the seeds' 97 could
    not tell 300 to 800 apart): hybrid Hit@1 0.881 / 0.888 / 0.887 / 0.865 at 600 / 700 /
    800 / 1000 characters (README, "Chunk size"). Chunks must stay within the embedding
    model's 256-token window (~1,000 characters), which is why 1000 is worse.
    """

    max_chars: int = 800
    overlap: int = 1
    version: str = "qa-chunk-1"
    # Index each chunk with its document's title before it (qa.ingest.chunking.indexed_text).
    title: bool = True

    def __post_init__(self) -> None:
        if not _is_int(self.max_chars) or self.max_chars < 50:
            raise ValueError(f"max_chars must be an integer of at least 50, got {self.max_chars!r}")
        if not _is_int(self.overlap) or self.overlap < 0:
            raise ValueError(f"overlap must be 0 or more sentences, got {self.overlap!r}")
        if not isinstance(self.title, bool):
            raise ValueError(f"title must be true or false, got {self.title!r}")


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25Okapi's parameters and the analyzer that turns text into its terms
    (qa.backends.analyzers; chosen by evaluation, see README).

    k1 0.9 and b 0.4 are Anserini's defaults, the BM25 most IR papers report. On SQuAD 2.0
    dev's fit half (800-character chunks) they beat rank_bm25's 1.5 and 0.75: hybrid Hit@1
    0.886 -> 0.894 (README, "Fusion")."""

    k1: float = 0.9
    b: float = 0.4
    epsilon: float = 0.25
    analyzer: str = Analyzer.ENGLISH.value  # wins held out on seeds and SQuAD (README)

    def __post_init__(self) -> None:
        # Stored as the plain name, so the manifest and bm25_meta.json record a string.
        object.__setattr__(self, "analyzer", Analyzer.parse(self.analyzer).value)
        if not _is_number(self.k1) or self.k1 <= 0:
            raise ValueError(f"k1 must be a positive number, got {self.k1!r}")
        if not _is_number(self.b) or not 0.0 <= self.b <= 1.0:
            raise ValueError(f"b must be within [0, 1], got {self.b!r}")
        if not _is_number(self.epsilon) or self.epsilon < 0:
            raise ValueError(f"epsilon must be 0 or more, got {self.epsilon!r}")


@dataclass(frozen=True, slots=True)
class FusionDefaults:
    """How hybrid search fuses its two rankings unless a question says otherwise."""

    fusion: str = Fusion.RRF.value
    rrf_k: int = RRF_K
    alpha: float = 0.5  # weight of the dense side in weighted fusion
    # The dense weight for a question whose words no passage holds (qa.search.fusion.
    # adaptive_alpha); None, or not above `alpha`: `alpha` for every question.
    alpha_max: float | None = None

    def __post_init__(self) -> None:
        if self.fusion not in _FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}; valid: {', '.join(_FUSIONS)}")
        if not _is_int(self.rrf_k) or self.rrf_k <= 0:
            raise ValueError(f"rrf_k must be a positive integer, got {self.rrf_k!r}")
        if not _is_number(self.alpha) or not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"alpha must be within [0, 1], got {self.alpha!r}")
        if self.alpha_max is not None and (not _is_number(self.alpha_max)
                                           or not 0.0 <= self.alpha_max <= 1.0):
            raise ValueError(f"alpha_max must be within [0, 1], got {self.alpha_max!r}")


# Where an index's vectors and BM25 live (`[index] backend`, `qa index --backend`).
BACKEND_FORMS = ("local", "qdrant-edge:PATH", "qdrant:http(s)://HOST[:PORT]", "qdrant:local:PATH")
QDRANT = "qdrant"  # the registry name of the Qdrant indexes (qa.backends.qdrant)


@dataclass(frozen=True, slots=True)
class Backends:
    """Which registered implementations an index is built into (qa.backends.protocols), and
    whether named entities are found for the reader (a synthetic benchmark corpus skips it).

    `backend` says where it runs: "local" (the `vectors` and `lexical` backends, in the
    index folder), or a Qdrant collection holding both: "qdrant-edge:PATH" (Qdrant's engine
    in this process), "qdrant:URL" (a server or cluster; the API key comes from the
    QDRANT_API_KEY environment variable) or "qdrant:local:PATH" (qdrant-client's local mode:
    the server's API without a server, for tests). `collection`, `shards` and `replicas`
    name and lay out a server's collection."""

    vectors: str = "faiss"
    lexical: str = "bm25"
    entities: bool = True  # find named entities at build time (the reader needs them)
    backend: str = "local"
    collection: str = "qa"
    shards: int = 1
    replicas: int = 1

    def __post_init__(self) -> None:
        for name in ("vectors", "lexical", "collection"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"{name} must be a backend name, got {getattr(self, name)!r}")
        if not isinstance(self.entities, bool):
            raise ValueError(f"entities must be true or false, got {self.entities!r}")
        if not isinstance(self.backend, str) or not (
                self.backend == "local" or self.backend.startswith(("qdrant-edge:", "qdrant:"))):
            raise ValueError(f"unknown index backend {self.backend!r}; valid: "
                             f"{', '.join(BACKEND_FORMS)}")
        for name in ("shards", "replicas"):
            if not _is_int(getattr(self, name)) or getattr(self, name) < 1:
                raise ValueError(f"{name} must be a positive integer, got "
                                 f"{getattr(self, name)!r}")

    @property
    def local(self) -> bool:
        return self.backend == "local"

    def record(self) -> dict[str, Any]:
        """These settings as a build records them: a Qdrant build's vectors and BM25 are
        both the "qdrant" backend, whatever `vectors` and `lexical` say."""
        record = asdict(self)
        if self.local:  # where no collection is, its layout changes nothing
            for key in ("collection", "shards", "replicas"):
                del record[key]
        else:
            record.update(vectors=QDRANT, lexical=QDRANT)
        return record


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting qa has, by section (the section names are qa.toml's tables)."""

    chunker: ChunkerConfig = field(default_factory=ChunkerConfig)
    bm25: BM25Params = field(default_factory=BM25Params)
    search: FusionDefaults = field(default_factory=FusionDefaults)
    index: Backends = field(default_factory=Backends)

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> Settings:
        """These settings with `{section: {key: value}}` over them (None values are ignored,
        so CLI flags left unset change nothing). Unknown names list the valid ones."""
        changed = {}
        for section, values in overrides.items():
            current = _section(self, section)
            values = {k: v for k, v in values.items() if v is not None}
            _check_keys(section, values, current)
            changed[section] = replace(current, **values) if values else current
        return replace(self, **changed)

    def build_record(self) -> dict[str, Any]:
        """The sections an index is built with, as its manifest records them."""
        return {"chunker": asdict(self.chunker), "bm25": asdict(self.bm25),
                "index": self.index.record()}


_SECTIONS = tuple(f.name for f in fields(Settings))


def load_settings(local: Path = LOCAL_SETTINGS, *, shipped: Path = DEFAULTS_PATH,
                  overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
    """Code defaults, the shipped search defaults, `local` (qa.toml) and `overrides` (CLI
    flags), each over the one before. A bad value is a ValueError naming where it came from."""
    settings = Settings(search=load_defaults(shipped))
    try:
        text = Path(local).read_text("utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {local}: {exc}") from None
    if text:
        try:
            tables = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{local} is not valid TOML: {exc}") from None
        bad = [k for k, v in tables.items() if k not in _SECTIONS or not isinstance(v, dict)]
        if bad:
            raise ValueError(f"{local}: unknown table(s) {', '.join(sorted(bad))}; valid: "
                             f"{', '.join(f'[{s}]' for s in _SECTIONS)}")
        try:
            settings = settings.with_overrides(tables)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{local}: {exc}") from None
    try:
        return settings.with_overrides(overrides or {})
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def search_defaults(local: Path = LOCAL_SETTINGS) -> FusionDefaults:
    """The hybrid search defaults: shipped, with the `[search]` table of qa.toml over them."""
    return load_settings(local).search


def load_defaults(path: Path = DEFAULTS_PATH) -> FusionDefaults:
    """The shipped search defaults, or the built-in ones when there is no file."""
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        return FusionDefaults()
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read search defaults {path}: {exc}") from None
    try:
        return FusionDefaults(**{k: raw[k] for k in ("fusion", "rrf_k", "alpha", "alpha_max")
                                 if k in raw})
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def write_defaults(defaults: FusionDefaults, path: Path = LOCAL_SETTINGS, *,
                   evidence: dict[str, Any] | None = None) -> Path:
    """Store `defaults` as the `[search]` table of a qa.toml, with how they were chosen as
    comments. A file qa did not write is never replaced: the error says what to add."""
    path = Path(path)
    # TOML has no null: a fixed weight (alpha_max None) is written as alpha_max = alpha.
    fixed = {"alpha_max": defaults.alpha} if defaults.alpha_max is None else {}
    values = "\n".join(f"{k} = {json.dumps(v)}" for k, v in {**asdict(defaults), **fixed}.items())
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


def _section(settings: Settings, name: str) -> Any:
    if name not in _SECTIONS:
        raise ValueError(f"unknown settings section {name!r}; valid: {', '.join(_SECTIONS)}")
    return getattr(settings, name)


def _check_keys(section: str, values: dict[str, Any], current: Any) -> None:
    valid = [f.name for f in fields(current) if f.name != "version"]
    unknown = sorted(set(values) - set(valid))
    if unknown:
        raise ValueError(f"unknown [{section}] setting(s) {', '.join(unknown)}; valid: "
                         f"{', '.join(valid)}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and (
        value == value and abs(value) != float("inf"))
