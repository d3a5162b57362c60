"""Replacing an index directory safely: one build at a time, written aside, swapped in.

A build writes `.NAME.building-PID` next to the index and renames it into place; a crash
between the two renames leaves `.NAME.old`, which the next reader puts back. Builds killed
with SIGKILL leave their temporary directory behind; the next build removes it once its pid
is gone. An flock on `.NAME.lock` keeps two builds (threads or processes) from interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["build_lock", "one_build_at_a_time", "recover", "remove_abandoned_builds",
           "swap_in"]

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
    with open(index_dir.with_name(f".{index_dir.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
