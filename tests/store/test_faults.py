"""A build killed with SIGKILL half-way: the previous index stays usable, the next run
finishes the job and clears what the dead build left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qa.store.atomic import _lock_path
from qa.store.build import build_index
from qa.store.index import load_index
from qa.store.staleness import check_staleness
from tests.fakes import HashEmbedder

SLOW_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import qa.store.build
    from tests.fakes import HashEmbedder

    def stall(*args, **kwargs):
        print("stalled", flush=True)
        time.sleep(60)

    class SlowEmbedder(HashEmbedder):
        def encode(self, texts, **kwargs):
            if sys.argv[2] == "encode":
                stall()
            return super().encode(texts, **kwargs)

    if sys.argv[2] == "write":  # the temporary directory is half-written at this point
        import dataclasses
        from qa.backends.protocols import VECTOR_BACKENDS
        VECTOR_BACKENDS["faiss"] = dataclasses.replace(VECTOR_BACKENDS["faiss"], write=stall)
    root = Path(sys.argv[1])
    qa.store.build.build_index([root / "seeds"], root / "index", root=root, embedder=SlowEmbedder(),
                         progress=False, reuse=False)
""")


@pytest.mark.parametrize("stage", ["encode", "write"])
def test_kill_9_mid_build_keeps_previous_index(workspace, stage):
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    before = load_index(index_dir).manifest["files"]
    (workspace / "seeds" / "new.txt").write_text("Fresh news about Tesla's Dojo computer.")

    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(workspace), stage],
                            stdout=subprocess.PIPE, text=True, cwd=workspace,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout.readline().strip() == "stalled"
        if stage == "write":
            assert list(workspace.glob(".index.building-*"))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    # The old index is untouched and loads; it knows it is stale.
    assert load_index(index_dir).manifest["files"] == before
    assert check_staleness(index_dir).added == ("seeds/new.txt",)

    # Next run finishes the job; nothing of the dead build is left.
    time.sleep(0.1)
    report = build_index([workspace / "seeds"], index_dir, root=workspace,
                         embedder=HashEmbedder(), progress=False)
    assert report.documents == 6
    assert not check_staleness(index_dir).stale
    # Nothing of qa's is left beside the index (the lock lives in the temporary folder).
    assert [p.name for p in workspace.iterdir() if p.name.startswith(".index")] == []


def test_the_suite_keeps_its_build_locks_out_of_the_system_temp_folder(workspace, _own_temp_folder):
    """The suite builds hundreds of indexes; each path's lock file goes in pytest's temp tree."""
    index_dir = workspace / "index"
    build_index([workspace / "seeds"], index_dir, root=workspace, embedder=HashEmbedder(),
                progress=False)
    lock = _lock_path(index_dir)
    assert lock.parent == _own_temp_folder and lock.exists()
