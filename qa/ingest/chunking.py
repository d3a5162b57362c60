"""Split cleaned documents into sentences, and sentences into overlapping chunks.

Every sentence and chunk is a `(start, end)` range into the cleaned document, never a
copy that could drift: `document.text[chunk.start:chunk.end] == chunk.text` always holds.
Sentence boundaries are rule-based (fast, offset-exact, no model download) and tuned for
news prose: abbreviations, initials, decimals, "No. 3" and quotations do not end sentences.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qa.config import ChunkerConfig
from qa.language import DEGREE_ABBREVIATIONS, LEADER, NAME_TITLE, TITLE_ABBREVIATIONS

__all__ = [
    "FIELD_MARK", "Chunk", "chunk_document", "chunk_documents", "indexed_text", "indexed_texts",
    "is_field", "is_heading", "split_sentences", "table_row",
]


@dataclass(frozen=True, slots=True)
class Chunk:
    id: str
    source: str
    start: int
    end: int
    text: str


_ABBREVIATIONS = TITLE_ABBREVIATIONS | {
    "vs", "inc", "ltd", "co", "corp", "pvt", "pty", "dept", "est", "approx", "incl",
    "excl", "fig", "vol",
    "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "al"}
# Abbreviations only in title case: a diploma, a certificate
_TITLED_ABBREVIATIONS = frozenset({"dip", "cert"})
# Before a number only: "No. 3", "p. 12", "tel. 087 ...", and a date's "c. 300 BC", "ca. 1500",
# "b. 1938" (not "a trench across the tel. The lowest layer ...")
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "nr", "art", "p", "pp", "c", "ca", "b", "d",
                                   "fl", "tel", "op"})  # "Sonata, Op. 31"
# A candidate starts a run of end marks and takes all of it: a shorter part of a run is
# followed by another mark, never by a space, so it cannot end a sentence. Retried from every
# dot of "x" + 30,000 dots + "y", the old form took 51 s.
_CANDIDATE = re.compile(r"(?<![.!?…])[.!?…]++[\"”’')\]]*+(?=\s++(\S))")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*[\"”’')\]]*$")
_QUOTES = re.compile(r"[“”\"]")
_DECIMAL = re.compile(r"\d+\.\d+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence ranges inside `text[start:end]`; line breaks always end a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text, start, end):
        spans.extend(_split_line(text, line_start, line_end))
    return spans


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in re.finditer(r"[^\n]+", text[start:end]):
        a, b = start + match.start(), start + match.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            yield a, b


def _quoted_ranges(line: str) -> list[tuple[int, int]]:
    """Ranges inside balanced quotation marks; an unclosed quote is ignored, not trusted."""
    ranges, opened = [], None
    for match in _QUOTES.finditer(line):
        mark, pos = match.group(), match.start()
        if opened is None and mark in "“\"":
            opened = pos
        elif opened is not None and mark in "”\"":
            ranges.append((opened, pos))
            opened = None
    return ranges


def _split_line(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    line = text[a:b]
    quoted = _quoted_ranges(line)
    opens = [q0 for q0, _ in quoted]
    begin = 0
    for match in _CANDIDATE.finditer(line):
        stop, following = match.end(), match.group(1)
        if not _is_boundary(line, match.start(), following):
            continue
        if _inside(quoted, opens, match.start(), stop):
            continue  # a full stop inside a quotation; its closing mark may end the sentence
        yield a + begin, a + stop
        begin = match.start(1)  # the next sentence starts at the first non-space after it
    if begin < len(line):
        yield a + begin, b


def _inside(quoted: list[tuple[int, int]], opens: list[int], start: int, stop: int) -> bool:
    """Whether a quotation holds `start` and `stop`. Quotations do not overlap, so only the last
    one opened before `start` can: a binary search, not a scan of every quotation per stop."""
    i = bisect.bisect_left(opens, start) - 1
    return i >= 0 and stop <= quoted[i][1]


# The number a Markdown heading opens with: "## 2.", "### 3.1.", "# IV.", "## B."
_HEADING_NUMBER = re.compile(r"#{1,6}[ \t]{1,4}(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVXLC]{1,6}|[A-Z])\.")


def _is_boundary(line: str, punct: int, following: str) -> bool:
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in "“\"‘'([$€£•–-"):
        return False  # "e.g. the", "distillation... when": the sentence goes on
    if line[punct] != ".":
        return True
    if _LEADER.match(line, punct):
        return False  # a leader: "Weekly permit (adult) ........ €80" is one line of a list
    if line[0] == "#" and (number := _HEADING_NUMBER.match(line)) and number.end() == punct + 1:
        return False  # "## 2. Business courses": a Markdown heading's number, not a sentence
    # Bounded look-back: searching the whole line prefix made long lines quadratic.
    word_match = _WORD_BEFORE.search(line, max(0, punct - 64), punct + 1)
    written = word_match.group(1).rstrip(".") if word_match else ""
    word = written.lower()
    if word in _ABBREVIATIONS and not (word in DEGREE_ABBREVIATIONS and written.isupper()):
        return False
    if word in _TITLED_ABBREVIATIONS and written[:1].isupper() and not written.isupper():
        return False  # "Dip. Estate Management", not "a sharp dip. Sales rose"
    if word in _NUMBER_ABBREVIATIONS and first.isdigit():
        return False
    if len(word) == 1 and word.isalpha() and line[punct - 1].isupper():
        return False  # an initial: "John J. Hopfield"
    if _DECIMAL.fullmatch(word) and word_match.start():
        return True  # "an average of 8.1. The early fields ...", not a line's "3.1. Results"
    return "." not in word  # "U.S.", "A.I." mid-line: far more often inside a sentence


def chunk_document(source: str, text: str, config: ChunkerConfig) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_chars`, overlapping by sentences."""
    units = _attach_headings(text, split_sentences(text), config.max_chars)
    sentences = [piece for s in units for piece in _fit(text, s, config.max_chars)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j][1] - sentences[i][0] <= config.max_chars:
            j += 1
        start, end = sentences[i][0], sentences[j - 1][1]
        chunks.append(Chunk(f"{source}#{start}-{end}", source, start, end, text[start:end]))
        if j >= len(sentences):
            break
        i = max(i + 1, j - config.overlap)
    return chunks


def chunk_documents(docs: Sequence[tuple[str, str]], config: ChunkerConfig) -> list[Chunk]:
    """Chunks of several `(source, text)` documents; no chunk crosses a document."""
    return [chunk for source, text in docs for chunk in chunk_document(source, text, config)]


def indexed_text(text: str, title: str | None) -> str:
    """What a chunk is indexed as (its BM25 terms and its vector): its document's title, then
    the chunk.

    A passage in the middle of a document seldom names what the document is about ("It was
    founded in 1890"), while a question about it does. Dense retrievers are trained and
    measured on "title + passage" for this reason (DPR, Karpukhin et al., EMNLP 2020). Only
    what is indexed changes: the chunk's text, offsets, answers and highlights do not. A chunk
    that already opens with the title (a document's first) is indexed as it is."""
    title = (title or "").strip()
    if not title or text.startswith(title):
        return text
    return f"{title}\n\n{text}"


def indexed_texts(chunks: Sequence[Chunk], titles: dict[str, str | None],
                  config: ChunkerConfig) -> list[str]:
    """`indexed_text` of every chunk, `titles` by source; the chunks' own texts when the
    chunker is set to `title = false`."""
    if not config.title:
        return [c.text for c in chunks]
    return [indexed_text(c.text, titles.get(c.source)) for c in chunks]


_HEADING_MAX = 80
# How a sentence or a clause ends; a heading or dateline ends without it. Fixed by the chunks
# of every index built so far: a character added here moves chunk boundaries.
_SENTENCE_END = frozenset(".!?…:;\"”’)")
_MARKDOWN_HEADING = re.compile(r"#{1,6} ")
_BULLETED = re.compile(r"[-*•+–][ \t]+\S")
_MARKED_HEADING_MAX = 300


def is_heading(text: str, start: int, end: int) -> bool:
    """`text[start:end]` is a heading or a dateline ("Markets", "Acme, March 2024"): a short
    line of its own, spaces around it aside, that does not end like a sentence.

    The one rule for every stage: chunks keep a heading with the sentence after it, the reader
    reads a sentence with the headings above it and does not take a heading for an answer."""
    row = table_row(text, start, end)
    if row is not None:  # a table's row is data; the rule under its header is no answer
        return row == "rule"
    if _BULLETED.match(text, start):
        return False  # "- a spare pair of socks": a list's item, however short
    # A Markdown heading says it is one, whatever it ends with ("# Can a walk help you sleep?")
    # and up to a paragraph's length ("# Jo Bloggs (1838-1911): the rector's daughter who ...")
    marked = end > start and _MARKDOWN_HEADING.match(text, start) is not None
    if not 0 < end - start <= (_MARKED_HEADING_MAX if marked else _HEADING_MAX):
        return False
    if text[end - 1] in _SENTENCE_END and not marked:
        return False
    if _LEADER.search(text, start, end):
        return False  # "Weekly permit (adult) ........ €80": a list's line, label and value
    if not marked and _SUM_END.search(text, start, end) and " " in text[start:end].strip():
        return False  # "TOTAL DUE R 4,864.50": a label and its sum, an account's line
    before, after = start, end
    while before > 0 and text[before - 1] != "\n" and text[before - 1].isspace():
        before -= 1
    while after < len(text) and text[after] != "\n" and text[after].isspace():
        after += 1
    return (before == 0 or text[before - 1] == "\n") and (after == len(text) or text[after] == "\n")


# A sum in cents that ends a line, its currency before it: "Subtotal R 4,230.00", "Total €
# 95.50"; not "Gifts under £50", "AGM 2024" or "ISO 27001"
_SUM_END = re.compile(r"(?:[$€£¥₹]|\b(?:R|Rs|kr)\b)[ \t]*\d[\d,]*\.\d\d[ \t]*$")
_LEADER = re.compile(LEADER)


def table_row(text: str, start: int, end: int) -> str | None:
    """ "row" when `text[start:end]` is a Markdown table's row ("| Midterm exam | 15% |"),
    "rule" when it is the line under the table's header ("|---|:--:|"), else None."""
    line = text[start:end].strip()
    if len(line) < 3 or line[0] != "|" or line[-1] != "|":
        return None
    return "rule" if "-" in line and not line.strip("|-: \t") else "row"


# What may stand before a field's label: a list's marker, or a numbered clause's number
# ("4.2 VAT number: GB 204 1188 31", as data sheets and contracts number their fields)
FIELD_MARK = r"(?:[-*•+][ \t]+|\d{1,2}(?:\.\d{1,2}){1,3}[ \t]+)?"
# "Applicant: Acme Ltd", "**Date issued:** 9 May 2025", "- Instructor: Dr. Ada Lind": a
# label of up to eight words ("Estimated share of water heating saved by pump: 64%"), a
# colon, a value; in a list or not.
_FIELD = re.compile(rf"{FIELD_MARK}[*_]*[^\W\d_a-z][^\s:]*(?: [^\s:]+){{0,7}}:[*_]*[ \t]+\S")


_NEXT_FIELD = re.compile(
    r"[ \t][|·•][ \t]+[*_]*[^\W\d_a-z][^\s:|]*(?: [^\s:|]+){0,4}:[*_]*[ \t]+\S")


# A field's value that is a figure alone: "€685,000", "ZAR 260", "12,400 visitors", "1912"
_FIGURE_VALUE = re.compile(rf"{FIELD_MARK}[*_]*"
                           r"(?P<label>[^\W\d_a-z][^\s:]*(?: [^\s:]+){0,7}):[*_]*[ \t]+"
                           r"(?:[^\w\s]{1,3}|[A-Z]{2,3}\$?[ \t]?)?\d[\d,.]*"
                           r"(?:[ \t]+[^\W\d]+)?[ \t]*$")


# A field whose label names someone's role and whose value is a titled name: "Practice
# manager: Dr Ana Ruiz", "Supervisor: Prof. A. de la Cruz"; not a title's "Film: Mrs Doubtfire"
_TITLED_VALUE = re.compile(
    rf"{FIELD_MARK}[*_]*(?P<label>[^\W\d_a-z][^\s:]*(?: [^\s:]+){{0,7}}):[*_]*[ \t]+"
    rf"{NAME_TITLE}\.?[ \t]+"
    r"(?:[A-Z][\w'’-]*\.?|de|da|del|der|di|du|la|le|van|von)"
    r"(?:[ \t]+(?:[A-Z][\w'’-]*\.?|de|da|del|der|di|du|la|le|van|von)){0,4}[ \t]*$")
# A label's last word that names a person's role: "manager", "Investigator", "Tenant"
_ROLE_LABEL = re.compile(r"(?:er|or|ist|ian|ant|ent|ee|contact|lead|head|chair|host|captain|"
                         r"coach|vet|landlord|principal|clerk)\)?$", re.IGNORECASE)


# "Chapter 3: 1914", "Part One: 1942", "Figure IV: 2019": a numbered part's title, no field
_NUMBERED = re.compile(r"(?:\d+|\b[IVXLC]+|\b(?i:one|two|three|four|five|six|seven|eight|nine|"
                       r"ten|eleven|twelve))$")


def is_field(text: str, start: int, end: int) -> bool:
    """`text[start:end]` is a line of a form's fields: "Label: value", with a line right
    above or below it of the same shape. Such a line is data, not a heading: "Applicant:
    Acme Ltd" answers "who applied?", and so do fields side by side on one line ("Serves: 12 |
    Prep: 25 minutes") and a lone field whose value is a figure ("Asking price: €685,000").
    A lone "Report: a hard year" is a title."""
    line_start, line_end = text.rfind("\n", 0, start) + 1, _line_end(text, end)
    if text[start:end].strip() != text[line_start:line_end].strip():
        return False
    if not _FIELD.match(text, line_start, line_end):
        return False
    if _NEXT_FIELD.search(text, line_start, line_end):
        return True  # "Serves: 12 | Prep: 25 minutes": fields side by side
    if (figure := _FIGURE_VALUE.match(text, line_start, line_end)) and not _NUMBERED.search(
            figure.group("label")):
        return True  # "Asking price: €685,000": a figure is a value, never a title's words
    if (titled := _TITLED_VALUE.match(text, line_start, line_end)) and _ROLE_LABEL.search(
            titled.group("label")):
        return True  # "Practice manager: Dr Ana Ruiz": someone's name, never a title's words
    return _field_near(text, line_start, -1) or _field_near(text, line_end, 1)


CONTINUED = 2  # lines of a field's value under it: "Landlord: Acme Ltd / 12 Quay Row / Penlow"


def _field_near(text: str, at: int, step: int) -> bool:
    """A field on a line next to the one that starts (step -1) or ends (step 1) at `at`,
    past at most CONTINUED lines that go on a field's value (short, no colon, no sentence's
    end); a blank line ends the search."""
    for _ in range(CONTINUED + 1):
        if step < 0:
            if at == 0:
                return False
            start, end = text.rfind("\n", 0, at - 1) + 1, at - 1
        else:
            if at >= len(text):
                return False
            start, end = at + 1, _line_end(text, at + 1)
        if _FIELD.match(text, start, end):
            return True
        if not _continues(text[start:end]):
            return False
        at = start if step < 0 else end
    return False


def _continues(line: str) -> bool:
    """A line that may go on a field's value: short, no colon, no sentence's end, no heading
    nor byline ("## Storage", "By Ann Lee")."""
    line = line.strip()
    return (0 < len(line) <= 60 and ":" not in line and line[-1] not in ".!?"
            and not line.startswith(("#", "By ", "by ")))


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _attach_headings(text: str, spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Glue each heading to the sentence after it, so no chunk ends on "Arvane, February 2025"
    while the sentence it introduces starts the next chunk."""
    units: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None  # headings waiting for their sentence
    for a, b in spans:
        if pending is not None and b - pending[0] > limit:
            units.append(pending)  # too long together: the heading stands alone
            pending = None
        if is_heading(text, a, b):
            pending = (a, b) if pending is None else (pending[0], b)
            continue
        units.append((a, b) if pending is None else (pending[0], b))
        pending = None
    if pending is not None:
        units.append(pending)
    return units


def _fit(text: str, span: tuple[int, int], limit: int) -> Iterator[tuple[int, int]]:
    """Cut a sentence longer than `limit` at word boundaries (lists, tables, run-ons)."""
    a, b = span
    while b - a > limit:
        cut = text.rfind(" ", a, a + limit)
        if cut <= a:
            cut = a + limit
        yield a, cut
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        yield a, b
