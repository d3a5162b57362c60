"""Which files are sources, and the names they are cited by: all the query side needs of
them (staleness checks list the files again), without the reading and cleaning
(`qa.ingest.sources`) that only building needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qa.errors import SourceError
from qa.ingest.extractors import SUFFIXES, one_line

__all__ = ["discover", "os_reason", "source_name"]


def source_name(path: Path, root: Path) -> str:
    """The stable name a source is cited by: relative to `root` when it lives inside it."""
    path = path.resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Sequence[Path]) -> list[Path]:
    """Every document file under `paths` (files or folders), sorted, without duplicates.

    Inside a folder, a symlink that leads outside that folder is refused: a source folder
    must not be a way to read the rest of the disk.
    """
    found: dict[Path, None] = {}
    for path in paths:
        try:
            found.update(dict.fromkeys(_discover_one(path)))
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            raise SourceError(f"cannot read ({os_reason(exc)}): {one_line(path)}") from None
    return sorted(found)


def _discover_one(path: Path) -> list[Path]:
    kinds = ", ".join(sorted(SUFFIXES))
    if not path.exists():
        raise SourceError(f"no such file or folder: {one_line(path)}")
    if not path.is_dir():
        if path.suffix.lower() not in SUFFIXES:
            suffix = one_line(path.suffix) or "(none)"
            raise SourceError(f"unsupported file type {suffix} ({kinds}): {one_line(path)}")
        return [path.resolve()]
    base = path.resolve()
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    files = [p for p in files if p.is_file() and not p.name.startswith(".")]
    for file in files:
        if not file.resolve().is_relative_to(base):
            raise SourceError(f"refusing a link that points outside {one_line(path)}: "
                              f"{one_line(file)}")
    if not files:
        raise SourceError(f"no documents ({kinds}) in folder: {one_line(path)}")
    return [p.resolve() for p in files]


def os_reason(exc: BaseException) -> str:
    """An OS error in a few words, without the path it repeats."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return " ".join(str(exc).split())[:120] or exc.__class__.__name__
