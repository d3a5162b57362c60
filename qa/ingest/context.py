"""Where a sentence stands in its cleaned document, and the text that stands for it in meaning.

A sentence is read with what a reader of the page sees around it: the heading lines above its
paragraph (list-like articles name the subject there and not in the sentence), and, when it
refers back ("It ...", "He ...", "First, ..."), the sentence before it. `meaning_text` joins
them into the text whose embedding is compared with a question; the index stores that vector
for every sentence at build time (qa.store.build), so a question encodes only itself.

Pure functions of the text and an offset: no question, no model. `MEANING_VERSION` changes
whenever a rule here does, so indexes with vectors of older texts are rebuilt.
"""

from __future__ import annotations

import re

from qa.ingest.chunking import is_heading, split_sentences, table_row
from qa.ingest.document import MAX_LINE_CHARS

__all__ = ["MEANING_VERSION", "context_of", "heading_context", "lead_sentence", "meaning_text",
           "read_with",
           "refers_back", "sentence_before", "table_cells", "table_header"]

MEANING_VERSION = "qa-meaning-17"  # 2: "c. 300 BC" ends no sentence; 3: nor "Cllr."; 4: tables;
# 5: a Markdown heading opens its section; 6: "of 8.1. The" ends one, "That ..." refers back;
# 7: nor "Pvt. Ltd.", "excl." or "Cdr."; 8: nor "tel. 087" or a leader's dots; 9: a label and
# its sum ("TOTAL DUE R 4,864.50") is no heading; 10: only a sum in cents, and a Markdown
# heading stays one; 11: nor a Markdown heading's number ("## 2. Fees"); 12: nor a degree's
# abbreviation before a name ("dr hab. Anna Nowak"); 13: a sentence opening "She" with the
# document's title; 14: nor "Dip." or "Cert."; 15: nor "Op. 31"; 16: a list item's later
# sentences are read with its first, every item with the heading over its list, and a
# bulleted line is no heading; 17: only items of one kind are the list's ("3. Fees" over
# "- £5 a day" is its heading)

# How far back a line's start is looked for. A cleaned line is never longer, so on a
# document nothing changes; on other text a lookup costs at most this much instead of the
# whole line (in a one-line dump, every sentence rescanned all the text before it).
_REACH = MAX_LINE_CHARS + 1
# A list item's marker: "- ", "* ", "• ", "3. ", "b) "
_BULLET = re.compile(r"[ \t]*(?:[-*•+–][ \t]|\d{1,3}[.)][ \t]|[a-z][.)][ \t])")
# How far up a list item the heading over its list is looked for: a bounded walk per item
_LIST_REACH = 4_000


def _line_start(text: str, pos: int) -> int:
    lo = max(0, pos - _REACH)
    newline = text.rfind("\n", lo, pos)
    return newline + 1 if newline >= 0 else lo


def _starts_line(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] == "\n"


def _marker_kind(text: str, line_start: int) -> str | None:
    """What kind of list item the line is: its bullet ("-", "*"), "1" if numbered, "a" if
    lettered; None if it is none. A list's items share a kind; "3. Fees" above "- £5 a day"
    is the section's heading, not an item of its list."""
    marker = _BULLET.match(text, line_start)
    if marker is None:
        return None
    mark = marker.group().lstrip()[0]
    return "1" if mark.isdigit() else "a" if mark.isalpha() else mark


def heading_context(text: str, start: int) -> tuple[str, str]:
    """The heading lines just above a sentence's paragraph, and the paragraph before it.

    A heading is what `is_heading` says ("Arvane, February 2025", "Tellco"): list-like articles
    name the company there and not in the sentence. At most two lines. A table's row is read
    with the table's header row ("| Component | Weight | Due |") as its nearest heading."""
    line_start = _line_start(text, start)
    headings: list[str] = []
    above = line_start
    table = _table_header(text, line_start) if start == line_start else None
    if table is not None:
        above, header = table
        headings.append(header)
    pos = above - 1
    item = _marker_kind(text, line_start)
    while pos > 0 and len(headings) < 2 and _starts_line(text, above):
        prev_start = _line_start(text, pos)
        raw = text[prev_start:pos]
        line = raw.strip()
        pos = prev_start - 1
        if not line:
            if above - pos > _REACH:
                break  # a run of blank lines: a heading this far up is no longer this one's
            continue
        first = prev_start + len(raw) - len(raw.lstrip())
        heading = is_heading(text, first, first + len(line))
        if item and not headings and not heading and _marker_kind(text, prev_start) == item:
            if line_start - prev_start > _LIST_REACH:
                break
            continue  # a list's items are read with the heading over the list
        if not heading:
            break
        if headings and headings[-1].startswith("#") and not line.startswith("#"):
            break  # a Markdown heading opens its section: the line above it is the last one's
        headings.append(line)
    return " ".join(reversed(headings)), text[line_start:start]


# A Markdown section is about what its heading names ("### The Harbour Bridge"), though only
# its first paragraph sits under the heading. How far up the heading is looked for:
_SECTION_REACH = 6_000
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+\S[^\n]*")


def section_heading(text: str, start: int) -> str:
    """The Markdown heading of the section that holds `start` ("" if none within reach)."""
    lo = max(0, start - _SECTION_REACH)
    end = start
    while (pos := text.rfind("\n#", lo, end)) >= 0:  # a line that opens with "#hashtag" is none
        if m := _MARKDOWN_HEADING.match(text, pos + 1):
            return m.group().strip()
        end = pos
    m = _MARKDOWN_HEADING.match(text) if lo == 0 and start > 0 else None
    return m.group().strip() if m else ""


# How far up a table its header row is looked for: a bounded walk per row, so a long table
# costs each row at most this much.
_TABLE_REACH = 4_000


def _table_header(text: str, line_start: int) -> tuple[int, str] | None:
    """For a table's row below its header: where the table starts, and its header row."""
    end = text.find("\n", line_start)
    if table_row(text, line_start, len(text) if end < 0 else end) != "row":
        return None
    top = None
    pos = line_start
    while True:
        if pos <= 1:
            break  # the table opens the text
        if line_start - pos >= _TABLE_REACH:
            return None  # too far up to know which row is the header
        lo = max(0, pos - 1 - _REACH)
        newline = text.rfind("\n", lo, pos - 1)
        if newline < 0 and lo > 0:
            break  # a line longer than any table row
        prev = newline + 1
        if table_row(text, prev, pos - 1) is None:
            break
        top = pos = prev
    if top is None:
        return None  # the header row itself
    header_end = text.find("\n", top)
    header = text[top:header_end].strip()
    return None if table_row(text, top, header_end) == "rule" else (top, header)


def table_header(text: str, start: int) -> tuple[int, str] | None:
    """The header row of the table row at `start`, with where it starts; None unless the row
    is under one."""
    return _table_header(text, _line_start(text, start))


def table_cells(text: str, start: int) -> list[tuple[str, int, int]] | None:
    """The cells of the table row at `start`, each with the header cell above it: (header,
    cell start, cell end), the cell without its spaces; None unless the row is under a
    header row with as many cells."""
    line_start = _line_start(text, start)
    found = _table_header(text, line_start)
    if found is None:
        return None
    header = [cell.strip() for cell in found[1].strip().strip("|").split("|")]
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    cells = []
    pos = text.find("|", line_start, line_end) + 1
    while (bar := text.find("|", pos, line_end)) >= 0:
        raw = text[pos:bar]
        cells.append((pos + len(raw) - len(raw.lstrip()), pos + len(raw.rstrip())))
        pos = bar + 1
    if len(cells) != len(header):
        return None
    return [(h, a, b) for h, (a, b) in zip(header, cells, strict=True)]


# Words that stand for something named before them. The first ones can stand for an
# organization (or a deal, a project, an index the organization table holds); "this" stands for
# a statement and "he", "his" for a person, so a figure's owner is not looked for through them.
_FOR_A_PARTY = (r"it|its|they|their|these|the (?:company|firm|venture|deal|start-up|group|"
                r"agreement|project|index)")
_FOR_ANYTHING = rf"{_FOR_A_PARTY}|this|that|those|he|she|his|her"  # "That is a rise of £133"


def refers_back(within: int = 0, *, parties_only: bool = False) -> re.Pattern[str]:
    """What `sentence_before` is given as `across`: a pattern that matches at the start of a
    sentence that refers back to the one before it ("It ...", "These ...", "The company ...").

    within: how many characters into the sentence the referring word may come (0: it opens the
    sentence); parties_only: only words that can stand for an organization. The letters' case
    is ignored inside the pattern's own group, so its text can be joined to another pattern's."""
    words = _FOR_A_PARTY if parties_only else _FOR_ANYTHING
    reach = rf".{{0,{within}}}?\b" if within else ""
    return re.compile(rf"(?is:{reach}(?:{words})\b)")


def sentence_before(text: str, a: int, across: re.Pattern[str]) -> tuple[int, int] | None:
    """The sentence the one starting at `a` follows: the one before it in its paragraph, or,
    when it opens its paragraph and `across` matches at `a` (it refers back: "It ...",
    "These ...", "First, ..."), the last one of the paragraph above. None if there is none."""
    line_start = _line_start(text, a)
    spans = split_sentences(text, line_start, a)
    if not spans and across.match(text, a) and _starts_line(text, line_start):
        end = line_start - 1
        while end > max(0, line_start - _REACH) and text[end - 1] == "\n":
            end -= 1
        if end > 0 and text[end - 1] != "\n":
            spans = split_sentences(text, _line_start(text, end), end)
    return spans[-1] if spans else None


_ANAPHOR = refers_back()
# Items of a list announced before ("it proved three things. // First, ..."): the paragraph
# goes on from the one before it, whose subject is theirs.
_ITEM = re.compile(r"(?:First|Second|Third|Fourth|Fifth|Finally|Lastly)(?:ly)?\b,?")
_ITEM_OR_ANAPHOR = re.compile(f"{_ITEM.pattern}|{_ANAPHOR.pattern}")


def lead_sentence(text: str, a: int, before: str) -> str:
    """The sentence a sentence that refers back is read with: the one before it in its
    paragraph, or for a list item opening its paragraph, the last one of the paragraph above.
    A bulleted item's later sentences are read with its first, which names what the item is
    about ("- Hill Race, 4 May. Entry fee £12."): they never name it again.
    `before` is the paragraph's text before `a` (`heading_context`'s second part)."""
    if before.strip() and not _ANAPHOR.match(text, a):
        marker = _BULLET.match(text, a - len(before))
        if marker is None or marker.end() >= a:
            return ""  # not an item, or the item's first sentence
        spans = split_sentences(text, marker.end(), a)
        return text[spans[0][0]:spans[0][1]] if spans else ""
    span = sentence_before(text, a, _ITEM_OR_ANAPHOR)
    return text[span[0]:span[1]] if span else ""


def read_with(context: str, sentence: str) -> str:
    """A sentence as it is embedded: after its context (heading and lead), if any."""
    return f"{context}. " * bool(context) + sentence


def meaning_text(text: str, a: int, b: int, title: str | None = None) -> str:
    """What the sentence text[a:b] is embedded as: its heading and lead (and the document's
    `title`, when it opens with a person's pronoun), then itself. The reader builds the same
    text from the same parts (qa.reader.admit)."""
    heading, before = heading_context(text, a)
    return read_with(context_of(f"{heading} {lead_sentence(text, a, before)}".strip(),
                                text[a:b], title), text[a:b])


def context_of(context: str, sentence: str, title: str | None) -> str:
    """The context a sentence is read with, the document's title first when the sentence
    opens with "She", "He", "They" ...: a life's or a people's story names its subject in the
    title, and its sentences after the first say only "she" ("She died there in 1902")."""
    if (title and _PERSONAL.match(sentence) and title not in context  # not twice: a heading
            and _names_someone(title)):
        return f"{title} {context}".strip()
    return context


def _names_someone(title: str) -> bool:
    """The title is a name ("Normans") or writes one past its first word ("Ottilie Brandauer,
    glass painter"; not "Harbour pilot dies", whose "She" is someone it does not name)."""
    words = title.split()
    return len(words) == 1 or any(w[:1].isupper() for w in words[1:])


_PERSONAL = re.compile(r"\s*(?:he|she|his|her|they|their)\b", re.IGNORECASE)
