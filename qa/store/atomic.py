"""Replacing an index directory safely: one build at a time, written aside, swapped in.

A build writes `.NAME.building-PID` next to the index and renames it into place; a crash
between the two renames leaves `.NAME.old`, which the next reader puts back. Builds killed
with SIGKILL leave their temporary directory behind; the next build removes it once its pid
is gone. An flock keeps two builds (threads or processes) from interleaving; its file lives
in the system's temporary folder, not beside the index, so no user folder collects it.

The swap replaces a whole directory, so it must only ever replace an index: `check_target`
refuses any folder holding a file that an index does not have.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, TypeVar

from qa.errors import SourceError

__all__ = ["build_lock", "check_target", "one_build_at_a_time", "recover",
           "remove_abandoned_builds", "swap_in"]

R = TypeVar("R")


def one_build_at_a_time(build: Callable[..., R]) -> Callable[..., R]:
    """`build(x, index_dir, ...)` run holding the index's build lock. The unlocked original
    stays reachable as `__wrapped__` for callers that already hold it."""
    @functools.wraps(build)
    def locked(first: Any, index_dir: Path, *args: Any, **kwargs: Any) -> R:
        with build_lock(index_dir):
            return build(first, index_dir, *args, **kwargs)

    return locked


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Exclusive across processes and threads (each call opens its own file description),
    so two builds of one index never interleave. Not re-entrant: hold it once and call the
    builders' `__wrapped__` inside."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(index_dir), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path(index_dir: Path) -> Path:
    """One lock file per index path, named by its hash. Resolving the parent (not the index,
    which may not exist yet) makes `index` and `./index` the same lock."""
    where = str(index_dir.parent.resolve() / index_dir.name)
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"qa-index-{digest}.lock"


def check_target(index_dir: Path, index_files: Collection[str]) -> None:
    """Refuse to build into `index_dir` unless it is absent, empty or an index.

    A folder is taken for an index when every entry in it is a file an index has
    (`index_files`): a damaged index still qualifies, a folder of anything else never does,
    so a mistyped `--index-dir` cannot swap a user's folder away."""
    if index_dir.is_symlink():
        raise SourceError(f"{index_dir} is a symbolic link; give the index folder itself")
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise SourceError(f"{index_dir} exists and is not a folder; choose another --index-dir")
    foreign = sorted(p.name for p in index_dir.iterdir()
                     if p.name not in index_files or p.is_symlink() or not p.is_file())
    if foreign:
        shown = ", ".join(repr(name)[1:-1] for name in foreign[:3])
        if len(foreign) > 3:
            shown += f" and {len(foreign) - 3} more"
        raise SourceError(f"{index_dir} is not a qa index (it holds {shown}); qa replaces "
                          "only its own indexes: choose a new or empty --index-dir")


def remove_abandoned_builds(index_dir: Path) -> None:
    """Delete half-written builds left by a process that was killed (its pid is gone)."""
    for path in index_dir.parent.glob(f".{index_dir.name}.building-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(tmp: Path, index_dir: Path) -> None:
    """Replace `index_dir` by `tmp`. Between the two renames a crash leaves `.old`, which
    `recover` puts back, so some complete index is always on disk."""
    old = index_dir.with_name(f".{index_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(tmp, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def recover(index_dir: Path, marker: str) -> None:
    """Put back `.old` when a crash came between the two renames of `swap_in`."""
    old = index_dir.with_name(f".{index_dir.name}.old")
    if not index_dir.exists() and (old / marker).is_file():
        os.replace(old, index_dir)
