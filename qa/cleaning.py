"""Turn a raw source file into the document text every offset refers to.

Cleaning is the only stage allowed to change text. Everything after it (chunks, answers,
citations, gold spans) points into its output with `start`/`end`, so it must be
deterministic and keep every sentence of real content. What it removes is site chrome:
lines a reader never reads as part of the article.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

__all__ = ["CLEANER_VERSION", "clean_text"]

# Recorded in the index manifest: changing any rule below changes offsets, so old
# indexes must be rebuilt rather than silently misread.
CLEANER_VERSION = "qa-clean-1"

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC")

# ftfy decides by a "badness" score and leaves short, unusual mojibake alone, such as an
# emoji read as windows-1250 ("đź«§" for 🫧). A run of characters that round-trips
# through one of ftfy's single-byte codecs into exactly one valid UTF-8 character is
# mojibake beyond reasonable doubt, so decode those runs too.
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f\s]{2,4}")
_SINGLE_BYTE_CODECS = ("sloppy-windows-1250", "sloppy-windows-1252", "sloppy-windows-1251")

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$%&<>|~])")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:#[^)\s]*|https?://[^)\s]+|/[^)\s]*)\)")
_MD_STRONG = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EMAIL_LINE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_REACTION_LINE = re.compile(
    r"^(?:\d+ likes?|leave a (?:comment|reply)|reply|share(?: this)?|read more)$", re.IGNORECASE
)
_DISCLAIMER_HEADING = re.compile(r"^(?:important |legal )?disclaimers?:?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# "February 2025Meta Platforms": a dateline glued to the sentence after it.
# "Amazon, March 2025 Amazon first invested": a "Name, Month Year" dateline starting a line
# and running straight into the story.
_GLUED_DATE = re.compile(rf"\b((?:{_MONTHS}) \d{{4}})(?=[A-Z])")
_DATELINE = re.compile(rf"^([^\n,]{{1,40}}, (?:{_MONTHS}) \d{{4}}) (?=[A-Z])", re.MULTILINE)
# "AnthropicThe", "Musk’s xAIAccording": a heading glued to the sentence after it. Headings
# start lines, so only the first words of a line are candidates, and only where both halves
# stand alone elsewhere in the document ("DeepSeek", "NobelPrize.org" survive).
_GLUED_WORD = re.compile(
    r"^((?:\S+ ){0,2})([A-Za-z]*[a-z][A-Za-z]*?)([A-Z][a-z]+)\b", re.MULTILINE
)

_BROKEN_PARAGRAPH_MIN = 300  # a paragraph this long that stops mid-sentence was cut in two


def clean_text(raw: str) -> str:
    """Return the cleaned document text for one raw source.

    >>> clean_text("Meta, February 2025Meta Platforms plans to spend \\\\$60 billion.")
    'Meta, February 2025\\nMeta Platforms plans to spend $60 billion.'
    """
    text = _fix_unicode(raw)
    text = _unescape_markdown(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = _drop_chrome(lines)
    lines = _join_broken_lines(lines)
    text = _assemble(lines)
    return _split_glued_headings(text)


def _fix_unicode(raw: str) -> str:
    text = ftfy.fix_text(raw.replace("\r\n", "\n").replace("\r", "\n"), config=_FTFY)
    return _MOJIBAKE_RUN.sub(_decode_run, text)


def _decode_run(match: re.Match[str]) -> str:
    run = match.group(0)
    for codec in _SINGLE_BYTE_CODECS:
        try:
            fixed = run.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if len(fixed) == 1 and unicodedata.category(fixed)[0] in "LSN":
            return fixed
    return run


def _unescape_markdown(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\1", text)


def _script_of(line: str) -> str | None:
    """The majority script of a line's letters: 'latin', 'other', or None if no letters."""
    latin = other = 0
    for ch in line:
        if ch.isalpha():
            if ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
                latin += 1
            else:
                other += 1
    if latin == other == 0:
        return None
    return "latin" if latin >= other else "other"


def _drop_chrome(lines: list[str]) -> list[str]:
    scripts = [_script_of(line) for line in lines]
    counts = {"latin": 0, "other": 0}
    for line, script in zip(lines, scripts, strict=True):
        if script:
            counts[script] += len(line)
    main_script = max(counts, key=lambda s: counts[s])

    chrome = [
        bool(line)
        and (
            (script is not None and script != main_script)
            or _URL_LINE.match(line) is not None
            or _EMAIL_LINE.match(line) is not None
            or _REACTION_LINE.match(line) is not None
        )
        for line, script in zip(lines, scripts, strict=True)
    ]
    # Site headers come in clusters (logo text, slogans, section names): a short
    # unpunctuated line between two chrome lines is part of the cluster.
    filled = [i for i, line in enumerate(lines) if line]
    for pos, i in enumerate(filled[1:-1], start=1):
        line = lines[i]
        if (
            not chrome[i]
            and chrome[filled[pos - 1]]
            and chrome[filled[pos + 1]]
            and len(line.split()) <= 4
            and not _SENTENCE_END.search(line)
        ):
            chrome[i] = True

    kept = [line if not is_chrome else "" for line, is_chrome in zip(lines, chrome, strict=True)]
    # A legal disclaimer in the second half of a document is boilerplate, not content.
    total = sum(len(line) for line in kept)
    seen = 0
    for i, line in enumerate(kept):
        if _DISCLAIMER_HEADING.match(line) and seen > total / 2:
            return kept[:i]
        seen += len(line)
    return kept


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin a sentence that a line break (or a blank line) cut in two."""
    out: list[str] = []
    blank_since_last = False
    for line in lines:
        if not line:
            blank_since_last = True
            out.append(line)
            continue
        prev = next((i for i in range(len(out) - 1, -1, -1) if out[i]), None)
        if (
            prev is not None
            and line[0].islower()
            and not _SENTENCE_END.search(out[prev])
            and (not blank_since_last or len(out[prev]) >= _BROKEN_PARAGRAPH_MIN)
        ):
            out[prev] = f"{out[prev]} {line}"
            del out[prev + 1 :]
        else:
            out.append(line)
        blank_since_last = False
    return out


def _assemble(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _split_glued_headings(text: str) -> str:
    text = _GLUED_DATE.sub("\\1\n", text)
    text = _DATELINE.sub("\\1\n", text)
    words = set(re.findall(r"[A-Za-z][\w’']*", text))

    def split(match: re.Match[str]) -> str:
        lead, left, right = match.groups()
        if left in words and right in words:
            return f"{lead}{left}\n{right}"
        return match.group(0)

    return _GLUED_WORD.sub(split, text)
