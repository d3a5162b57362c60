"""Whether an index is stale: its sources changed on disk, or its build settings now differ.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa.backends.analyzers import analyzer_for
from qa.config import Settings, load_settings
from qa.errors import SourceError
from qa.ingest.context import MEANING_VERSION
from qa.ingest.discovery import discover, source_name
from qa.ingest.document import CLEANER_VERSION
from qa.ingest.entities import NER_VERSION
from qa.ingest.extractors import EXTRACTOR_VERSION
from qa.store.files import manifest_inputs, unverified_manifest
from qa.store.integrity import sha256_file
from qa.types import Analyzer

__all__ = [
    "Staleness",
    "check_staleness",
    "settings_changed",
]

@dataclass(frozen=True, slots=True)
class Staleness:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()  # build settings now set otherwise ("chunker.max_chars")

    @property
    def stale(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.settings)

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in asdict(self).items() if v]
        return ", ".join(parts) or "up to date"


def check_staleness(index_dir: Path, manifest: dict[str, Any] | None = None,
                    settings: Settings | None = None) -> Staleness:
    """Compare the sources and build settings the index was built with with what is on disk
    and in the settings (by default: code defaults with ./qa.toml over them) now."""
    manifest = manifest or unverified_manifest(index_dir)
    differ = settings_changed(manifest, settings or load_settings())
    root = Path(manifest["root"])
    recorded: dict[str, dict] = manifest["sources"]
    try:
        files = discover(manifest_inputs(manifest))
    except SourceError:
        files = [p for p in (root / name for name in recorded) if p.is_file()]
    current = {source_name(p, root): p for p in files}
    changed = []
    for name, path in current.items():
        old = recorded.get(name)
        if old is None:
            continue
        st = path.stat()
        if (st.st_size, st.st_mtime_ns) != (old["size"], old["mtime_ns"]) and (
            st.st_size != old["size"] or sha256_file(path) != old["sha256"]
        ):
            changed.append(name)
    return Staleness(
        added=tuple(sorted(set(current) - set(recorded))),
        changed=tuple(sorted(changed)),
        removed=tuple(sorted(set(recorded) - set(current))),
        settings=differ,
    )


def settings_changed(manifest: dict[str, Any], settings: Settings) -> tuple[str, ...]:
    vectors = manifest["vectors"]
    built = {"chunker": manifest["chunker"],
             "bm25": manifest["bm25"],
             "index": {"vectors": vectors["backend"],
                       "lexical": manifest["bm25"]["backend"],
                       "entities": manifest.get("ner") == NER_VERSION,
                       "backend": vectors.get("where", "local"),
                       **{k: vectors[k] for k in ("collection", "shards", "replicas")
                          if k in vectors}}}
    # An index from before analyzers were a setting was built by the simple one.
    built["bm25"] = {"analyzer": Analyzer.SIMPLE.value, **built["bm25"]}
    now = settings.build_record()
    changed = tuple(f"{section}.{key}" for section, values in now.items()
                    for key, value in values.items() if built[section].get(key) != value)
    if (manifest.get("sentences") or {}).get("meaning") != MEANING_VERSION:
        changed += ("sentences.meaning",)  # built before sentence vectors, or other texts
    if (manifest.get("cleaner"), manifest.get("extractor")) != (CLEANER_VERSION,
                                                                EXTRACTOR_VERSION):
        changed += ("text",)  # the sources read by other rules than qa reads them by now
    if "bm25.analyzer" not in changed and (
            built["bm25"].get("tokenizer") != analyzer_for(settings.bm25.analyzer).version):
        changed += ("bm25.tokenizer",)  # same analyzer, rules changed since the build
    return changed
