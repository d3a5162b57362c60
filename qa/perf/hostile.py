"""`qa bench --only hostile`: crafted inputs that once made a text stage quadratic, each timed
at a size n and at 4n next to a linear baseline over the same text.

Linear work grows about 4 times from n to 4n, quadratic work about 16 times. The baseline is
the same for every row: `len(text.split())` over the same text (or the same file's text), a
pass that touches every character and allocates per word, so its growth shows what linear
costs on this machine at these sizes (caches included). A stage that raises `SourceError`
(a file a reader refuses, such as an HTML page over its element cap) is shown with the message
instead of a time.
"""

from __future__ import annotations

import gc
import random
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.config import ChunkerConfig
from qa.errors import SourceError
from qa.ingest.chunking import chunk_documents, split_sentences
from qa.ingest.cleaning import clean_text
from qa.ingest.sources import read_document
from qa.reader.extract import amounts, heading_context
from qa.reader.names import KnownNames, organizations

__all__ = ["BASELINE", "Case", "cases", "format_hostile", "run_hostile"]

BASELINE = "len(text.split()) over the same text"
GROWTH_LIMIT = 2.0  # a stage may grow at most this much faster than the baseline (16/4 = 4)
FACTOR = 4


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # the input, and in brackets the stage timed
    unit: str  # what n counts
    n: int  # full size; quick runs use `quick_n`
    quick_n: int
    make: Callable[[int, Path], Any]  # the input of size n (text, or a file written in a folder)
    stage: Callable[[Any], Any]  # the timed stage
    text_of: Callable[[Any], str]  # the text the baseline splits
    check: Callable[[Any, Any], str] | None = None  # a note on the stage's output


def _lowercase(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(n))


def _lowercase_lines(n: int, _: Path) -> str:
    return "\n".join(f"{_lowercase(8, seed=i)} word" for i in range(n))


def _csv(n: int, _: Path) -> str:
    return "id,name,value\n" + "\n".join(
        f"{_lowercase(6, seed=i)},{i},{'red' if i % 3 else 'blue'}" for i in range(n))


_WORDS = ("the", "company", "said", "it", "would", "spend", "more", "on", "data", "centers",
          "this", "year", "and", "Arvane", "Tellco", "Quarric", "Brixa", "invested", "billion",
          "in", "AI", "infrastructure", "according", "to", "analysts")


def _one_line_document(n: int, _: Path) -> str:
    """n characters of sentences on one line, cleaned as `qa add` would clean them."""
    rnd = random.Random(0)
    parts, size = [], 0
    while size < n:
        part = " ".join(rnd.choice(_WORDS) for _ in range(15)) + f" ${rnd.randint(1, 99)} billion."
        parts.append(part)
        size += len(part) + 1
    return clean_text(" ".join(parts))


_KNOWN = KnownNames.of([("Acme", "ORG"), ("Acme Holdings", "ORG"), ("Brazil", "GPE")])


def _organizations_around_each_sentence(text: str) -> int:
    """What the reader does for each candidate sentence, for every sentence: the known
    organizations of the sentence and of the heading and paragraph it is read with."""
    found = 0
    for a, b in split_sentences(text):
        heading, before = heading_context(text, a)
        found += (len(organizations(f"{heading}\n{before}", _KNOWN))
                  + len(organizations(text, _KNOWN, a, b)))
    return found


def _file(name: str, content: str) -> Callable[[int, Path], Path]:
    def make(n: int, folder: Path) -> Path:
        path = folder / f"{n}-{name}"
        path.write_bytes(content.format(n=n, spaces=" " * n).encode("utf-8"))
        return path
    return make


def _html_links(n: int, folder: Path) -> Path:
    """A page of n links, 20 to a paragraph like a list of links."""
    paragraphs = ("<p>" + " ".join(f'<a href="/p/{i + j}">link {i + j}</a>' for j in range(20))
                  + "</p>" for i in range(0, n, 20))
    path = folder / f"{n}-links.html"
    path.write_text(f"<html><head><title>Links</title></head><body><h1>Links</h1>"
                    f"{''.join(paragraphs)}</body></html>", encoding="utf-8")
    return path


def _read(path: Path) -> Any:
    return read_document(path, path.parent)


def _lines_kept(raw: str, cleaned: str) -> str:
    return f"{raw.count(chr(10)) + 1:,} lines in, {cleaned.count(chr(10)) + 1:,} out"


def _longest_line(raw: str, cleaned: str) -> str:
    return f"longest line {max(map(len, cleaned.split(chr(10)))):,} chars"


def cases() -> list[Case]:
    def text(value: Any) -> str:
        return value

    def file_text(path: Path) -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    return [
        Case("one lowercase line (cleaning)", "chars", 30_000, 8_000,
             lambda n, _: _lowercase(n), clean_text, text, _longest_line),
        Case("dots run: x...y (chunking)", "dots", 30_000, 8_000,
             lambda n, _: "x" + "." * n + "y",
             lambda t: chunk_documents([("d", t)], ChunkerConfig()), text),
        Case("lowercase lines, no punctuation (cleaning)", "lines", 10_000, 2_000,
             _lowercase_lines, clean_text, text, _longest_line),
        Case("CSV-like file (cleaning)", "rows", 10_000, 2_000, _csv, clean_text, text,
             _lines_kept),
        Case("digit run (amounts)", "digits", 2_000, 500, lambda n, _: "7" * n, amounts, text),
        Case("one-line document (answer stage: organizations around each sentence)", "chars",
             250_000, 50_000, _one_line_document, _organizations_around_each_sentence, text),
        Case("front matter 'title: a' + N spaces + 'b' (.md, read_document)", "spaces",
             200_000, 20_000, _file("front.md", "---\ntitle: a{spaces}b\n---\nBody text.\n"),
             _read, file_text),
        Case("CR-only front matter (.md, read_document)", "spaces", 200_000, 20_000,
             _file("cr.md", "---\rtitle: a{spaces}b\rauthor: x\r---\rBody text.\r"),
             _read, file_text),
        Case("HTML page of N links (read_document)", "links", 5_000, 1_000, _html_links,
             _read, file_text),
    ]


def _timed(fn: Callable[[], Any], repeat: int, min_seconds: float = 0.02) -> tuple[float, Any]:
    """Best seconds per call of `fn` over `repeat` timings after a first, untimed call (imports,
    caches); a fast `fn` is looped for `min_seconds` per timing. Also what it returned."""
    start = time.perf_counter()
    first = fn()
    number = max(1, int(min_seconds / max(time.perf_counter() - start, 1e-6)) + 1)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best, first


def _measure(case: Case, n: int, folder: Path, repeat: int) -> dict[str, Any]:
    value = case.make(n, folder)
    base = case.text_of(value)
    row: dict[str, Any] = {"size": n, "bytes": len(base.encode("utf-8"))}
    gc.collect()
    try:
        row["seconds"], out = _timed(lambda: case.stage(value), repeat)
    except SourceError as exc:  # the reader refuses it: its message, not a time
        return {**row, "seconds": None, "error": str(exc).rsplit(": ", 1)[0]}
    row["baseline_seconds"], _ = _timed(lambda: len(base.split()), max(repeat, 3))
    if case.check is not None:
        row["note"] = case.check(value, out)
    return row


def run_hostile(work: Path, quick: bool = False,
                log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Every case at n and 4n: times, growth ratios, the baseline's growth."""
    work.mkdir(parents=True, exist_ok=True)
    repeat = 2 if quick else 3
    results = []
    for case in cases():
        n = case.quick_n if quick else case.n
        small = _measure(case, n, work, repeat)
        big = _measure(case, FACTOR * n, work, repeat)
        row = {"input": case.name, "unit": case.unit, "n": small, "4n": big,
               "growth": _ratio(big.get("seconds"), small.get("seconds")),
               "baseline_growth": _ratio(big.get("baseline_seconds"),
                                         small.get("baseline_seconds"))}
        results.append(row)
        log(f"bench: hostile: {case.name}: growth {_num(row['growth'])}")
    return {"baseline": BASELINE, "factor": FACTOR, "growth_limit": GROWTH_LIMIT,
            "rows": results}


def _ratio(big: float | None, small: float | None) -> float | None:
    return big / small if big is not None and small else None


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _time(row: dict[str, Any]) -> str:
    if row.get("seconds") is None:
        return "refused (below)"
    seconds = row["seconds"]
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def format_hostile(detail: dict[str, Any]) -> str:
    """input | n | time n | 4n | time 4n | growth | baseline growth — then notes."""
    header = ("input", "n", "time n", "4n", "time 4n", "growth", "baseline growth")
    lines = []
    for row in detail["rows"]:
        small, big = row["n"], row["4n"]
        lines.append((row["input"], f"{small['size']:,} {row['unit']}", _time(small),
                      f"{big['size']:,}", _time(big), _num(row["growth"]),
                      _num(row["baseline_growth"])))
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=False)]

    def fmt(cells: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [fmt(header), "-+-".join("-" * w for w in widths), *map(fmt, lines), ""]
    out.append(f"growth = time at 4n / time at n: linear ≈ {detail['factor']}, quadratic ≈ "
               f"{detail['factor'] ** 2}. Baseline: {detail['baseline']}.")
    for row in detail["rows"]:
        notes = [f"{size}: {row[size].get('note') or 'refused: ' + row[size]['error']}"
                 for size in ("n", "4n") if row[size].get("note") or row[size].get("error")]
        if notes:
            out.append(f"{row['input']}: {'; '.join(notes)}")
    return "\n".join(out)
