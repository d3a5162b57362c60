"""Errors a user can act on. Each message is one line that says what to do next."""

from __future__ import annotations

__all__ = ["IndexCorrupt", "IndexIncompatible", "IndexMissing", "QAError", "SourceError"]


class QAError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""


class SourceError(QAError, ValueError):
    """A source path or file that cannot be used."""


class IndexMissing(QAError):
    """No index where one was expected."""


class IndexIncompatible(QAError):
    """An index built by another model or format version: rebuild it."""


class IndexCorrupt(QAError):
    """An index file that does not match its manifest checksum (truncated or edited)."""
