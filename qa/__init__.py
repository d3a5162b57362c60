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
    "Chunk": "chunking",
    "ChunkerConfig": "chunking",
    "split_sentences": "chunking",
    "clean_text": "cleaning",
    "QAError": "errors",
    "Figure": "figures",
    "figures_table": "figures",
    "Fusion": "fusion",
    "BuildReport": "index",
    "Index": "index",
    "build_index": "index",
    "check_staleness": "index",
    "load_index": "index",
    "Hit": "retrieval",
    "Mode": "retrieval",
    "SearchSettings": "retrieval",
    "search": "retrieval",
    "Document": "sources",
    "load_documents": "sources",
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
    from .answer import Answer, Citation, Result, ask
    from .chunking import Chunk, ChunkerConfig, split_sentences
    from .cleaning import clean_text
    from .errors import QAError
    from .figures import Figure, figures_table
    from .fusion import Fusion
    from .index import BuildReport, Index, build_index, check_staleness, load_index
    from .retrieval import Hit, Mode, SearchSettings, search
    from .sources import Document, load_documents


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qa' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
