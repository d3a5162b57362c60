"""Shared fixtures: a real index of the seeds (built once per session) and fake-model ones."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import tests.fakes  # noqa: E402,F401  (registers the stand-in embedder in this process)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Every `qa` process a test starts, from any folder, registers the stand-ins too.
os.environ["QA_PLUGINS"] = "tests.fakes"
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)


@pytest.fixture(scope="session", autouse=True)
def _own_temp_folder(tmp_path_factory):
    """qa keeps one lock file per index path in the temp folder; the suite builds hundreds of
    indexes, so their locks go in pytest's own temp tree (pruned by pytest), not /tmp. The
    `qa` processes a test starts inherit TMPDIR, so they share the same locks."""
    folder = tmp_path_factory.mktemp("tmp")
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    yield folder
    tempfile.tempdir = saved[1]
    if saved[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved[0]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_documents():
    from qa.ingest.sources import load_documents

    return load_documents([SEEDS], ROOT)


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """The seeds indexed with the real model (slow: ~15 s), shared by the whole session."""
    from qa.store.build import build_index

    index_dir = tmp_path_factory.mktemp("real") / "index"
    build_index([SEEDS], index_dir, root=ROOT, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir):
    from qa.store.index import load_index

    return load_index(seed_index_dir)


@pytest.fixture(scope="session")
def fake_index_dir(tmp_path_factory) -> Path:
    """The seeds indexed with the deterministic hash embedder: fast, no model."""
    from qa.store.build import build_index
    from tests.fakes import HashEmbedder

    index_dir = tmp_path_factory.mktemp("fake") / "index"
    build_index([SEEDS], index_dir, root=ROOT, embedder=HashEmbedder(), progress=False)
    return index_dir


@pytest.fixture(scope="session")
def fake_index(fake_index_dir):
    from qa.store.index import load_index

    return load_index(fake_index_dir)


@pytest.fixture()
def workspace(tmp_path) -> Path:
    """A writable project root with a copy of the seeds, for tests that change sources."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.fixture(scope="session")
def known(fake_index):
    """The organizations the seeds name, as the entity finder found them at build time."""
    from qa.reader.names import known_names

    return known_names(fake_index)


def index_of(root: Path, documents: dict[str, str], embedder=None):
    """`documents` (file name -> text) written under `root`/docs and indexed there."""
    from qa.store.build import build_index
    from qa.store.index import load_index

    docs = root / "docs"
    docs.mkdir()
    for name, text in documents.items():
        (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], root / "index", root=root, embedder=embedder, progress=False)
    return load_index(root / "index")
