"""Helpers for the web tests and the screenshot: a hostile source, a live server, Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

HOSTILE_NAME = "hostile.txt"
# Markup, template syntax and entities that would run or render if anything on the page
# interpolated document text as HTML or as a template instead of escaping it.
HOSTILE_TEXT = """Hostile <script>alert(1)</script> page
By Mallory Evil

The Zorblax Corporation will spend $7 billion on <img src=x onerror=alert(1)> data centres \
in 2025, it said on Tuesday.
Its rival Quuxcorp pledged <svg onload=alert(2)></svg> and <a href="javascript:alert(3)">click</a> \
with ${alert(4)} and {{constructor.constructor('alert(5)')()}} plus &lt;b&gt; entities.
"""
HOSTILE_QUESTION = "How much will the Zorblax Corporation spend on data centres?"


def hostile_corpus(folder: Path) -> Path:
    """`folder`/seeds: a copy of the seeds plus one hostile document, so the seeds keep
    their usual source names when `folder` is the index root."""
    corpus = folder / "seeds"
    shutil.copytree(SEEDS, corpus)
    (corpus / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    return corpus


# Written for the browser tests of answer shapes: a list, a cause, a comparison across two
# documents. Names the seeds never mention.
SHAPES = {
    "fund.md": "# A clean-energy fund\n\nThe clean-energy fund's original investors were "
               "Allianz, Temasek and Nestlé, the statement said.\n",
    "harbour.md": "# A port town\n\nThe harbour closed in 1850 because the river mouth "
                  "silted up.\n",
    "chips.md": "# Chip plants\n\nSamsung Electronics will spend $230 billion on new chip "
                "plants in South Korea over 20 years, its chairman said in March 2024.\n",
    "bosch.md": "# Bosch\n\nBosch will spend $3 billion on chip plants in Germany by 2026, "
                "the company said.\n",
}


def shapes_corpus(folder: Path) -> Path:
    corpus = folder / "shapes"
    corpus.mkdir()
    for name, text in SHAPES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(index, *, ask_fn=None, concurrency: int = 4) -> Iterator[str]:
    """Serve `index` on a free port of 127.0.0.1 in this process; yield its URL."""
    from qa.answer import ask
    from qa.web.app import build_app, launch

    demo = build_app(index, ask_fn=ask_fn or ask)
    launch(demo, host="127.0.0.1", port=free_port(), concurrency=concurrency, block=False)
    try:
        yield demo.local_url
    finally:
        demo.close(verbose=False)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium driven by playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
