"""A small corpus written for these suites (not the seeds), indexed with the stand-in model."""

from __future__ import annotations

import pytest

from qa.store.index import load_index
from tests.conftest import index_of
from tests.fakes import HashEmbedder
from tests.qdrant_support import rebuilt_in

DOCUMENTS = {
    "river.md": """# The Morava basin

The Morava rises on the Králický Sněžník massif at 1,380 metres. It flows south for 354
kilometres before it joins the Danube near Devín. Floods in July 1997 killed 50 people in
the basin, and the regional water authority spent CZK 12 billion on new levees by 2012.
""",
    "library.md": """# Annual report of the Lindqvist Library

The Lindqvist Library lent 412,000 books in 2023, up 8% from the year before. Its director,
Astrid Holm, opened a second reading room in Uppsala in March 2024. The library was founded
in 1761 by the merchant Johan Lindqvist, who left it 3,000 volumes.
""",
    "compiler.txt": """Release notes for the Tarn compiler, version 4.2.

Tarn 4.2 compiles large projects 30 percent faster than Tarn 4.1, because the type checker
now caches module signatures. The release drops support for 32-bit Windows. Maintainer
Priya Raman said the next release, due in the autumn, will add incremental linking.
""",
}


@pytest.fixture(scope="session")
def other_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("other"), DOCUMENTS, HashEmbedder())


@pytest.fixture(scope="session")
def fake_qdrant_index(fake_index_dir, tmp_path_factory):
    """The fake seed index rebuilt into a Qdrant Edge collection."""
    folder = tmp_path_factory.mktemp("qdrant")
    return load_index(rebuilt_in("qdrant-edge", fake_index_dir, folder, HashEmbedder()))
