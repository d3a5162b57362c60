"""The `qa` command: parse, call one library function, render (see `main`)."""

from qa.cli.main import app, main

__all__ = ["app", "main"]
