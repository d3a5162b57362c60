"""qa: cited answers from your own sources, found by retrieval and extraction, no LLM.

The public API is re-exported here lazily, so `import qa` stays cheap: nothing heavy
(faiss, onnxruntime, torch, gradio) is imported until a name that needs it is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Answer": "answer",
    "Citation": "answer",
    "Result": "answer",
    "ask": "answer",
    "Chunk": "ingest.chunking",
    "ChunkerConfig": "config",
    "split_sentences": "ingest.chunking",
    "clean_text": "ingest.cleaning",
    "QAError": "errors",
    "Figure": "figures",
    "figures_table": "figures",
    "Fusion": "types",
    "BuildReport": "store.build",
    "Index": "store.index",
    "build_index": "store.build",
    "check_staleness": "store.staleness",
    "load_index": "store.index",
    "Hit": "search.base",
    "Mode": "types",
    "SearchSettings": "search.base",
    "search": "search.hybrid",
    "Document": "ingest.sources",
    "load_documents": "ingest.sources",
}

__all__ = [
    "Answer",
    "BuildReport",
    "Chunk",
    "ChunkerConfig",
    "Citation",
    "Document",
    "Figure",
    "Fusion",
    "Hit",
    "Index",
    "Mode",
    "QAError",
    "Result",
    "SearchSettings",
    "ask",
    "build_index",
    "check_staleness",
    "clean_text",
    "figures_table",
    "load_documents",
    "load_index",
    "search",
    "split_sentences",
]

if TYPE_CHECKING:  # pragma: no cover
    from qa.answer import Answer, Citation, Result, ask
    from qa.config import ChunkerConfig
    from qa.errors import QAError
    from qa.figures import Figure, figures_table
    from qa.ingest.chunking import Chunk, split_sentences
    from qa.ingest.cleaning import clean_text
    from qa.ingest.sources import Document, load_documents
    from qa.search.base import Hit, SearchSettings
    from qa.search.hybrid import search
    from qa.store.build import BuildReport, build_index
    from qa.store.index import Index, load_index
    from qa.store.staleness import check_staleness
    from qa.types import Fusion, Mode


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qa' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
