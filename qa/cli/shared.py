"""What the `qa` commands share: default paths, one-line failures, opening an index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["DEFAULT_INDEX", "DEFAULT_SOURCES", "IndexDir", "built", "fail", "note", "one_line",
           "open_index"]

DEFAULT_SOURCES = Path("seeds")
DEFAULT_INDEX = Path("index")

IndexDir = Annotated[Path, typer.Option("--index-dir", help="Index directory.")]


def fail(message: str) -> None:
    typer.echo(f"qa: error: {one_line(message)}", err=True)
    raise typer.Exit(2)


def note(message: str) -> None:
    typer.echo(f"qa: {one_line(message)}", err=True)


def one_line(message: str) -> str:
    """Messages quote file names and questions, which may hold line breaks."""
    return " ".join(str(message).split())


def built(report) -> str:
    for name in report.left_out:
        note(f"left out {name}: it no longer exists, so its documents were dropped")
    return (f"indexed {report.documents} documents into {report.chunks} chunks in "
            f"{report.seconds:.1f} s ({report.embedded} embedded, {report.reused} reused) "
            f"→ {report.index_dir}")


def open_index(index_dir: Path, *, refresh: bool = True):
    """Load the index; if its sources changed since the build, say so once (on stderr).

    Asking never rebuilds: a rebuild reads files named in the manifest, and only
    `qa index` (or `make run`) should ever do that."""
    from qa.store.index import load_index
    from qa.store.staleness import check_staleness

    index = load_index(index_dir)
    if refresh:
        staleness = check_staleness(index_dir, index.manifest)
        if staleness.stale:
            note(f"note: the index is stale ({staleness.summary()}); answers come from the "
                  "index as built. `qa index` refreshes it.")
    return index
