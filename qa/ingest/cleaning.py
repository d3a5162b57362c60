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

from qa.ingest.document import CLEANER_VERSION, MAX_LINE_CHARS
from qa.language import CONTINUING, LEADER, MONTHS_PATTERN, OPEN_ABBREVIATIONS

__all__ = ["CLEANER_VERSION", "MAX_LINE_CHARS", "clean_text"]


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

# An email's quoted reply ("> Room hire is £1,450 for the evening,"), or a Markdown quote: the
# marks go, so a quoted sentence that was wrapped over two lines is one sentence again.
_QUOTE_MARKS = re.compile(r"^[ \t]*+(?:>(?![\d=])[ \t]?+)++")  # not ">5 years", ">= 3"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EMAIL_LINE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_REACTION_LINE = re.compile(
    r"^(?:\d+ likes?|leave a (?:comment|reply)|reply|share(?: this)?|read more)$", re.IGNORECASE
)
_DISCLAIMER_HEADING = re.compile(r"^(?:important |legal )?disclaimers?:?$", re.IGNORECASE)
_SENTENCE_END_CHARS = frozenset(".!?:;…\"”’)]")  # what a finished sentence ends with

_MONTHS = MONTHS_PATTERN
# "February 2025Meta Platforms": a dateline glued to the sentence after it.
# "Orvanta, March 2025 Orvanta first invested": a "Name, Month Year" dateline starting a line
# and running straight into the story.
_GLUED_DATE = re.compile(rf"\b((?:{_MONTHS}) \d{{4}})(?=[A-Z])")
_DATELINE = re.compile(rf"^([^\n,]{{1,40}}, (?:{_MONTHS}) \d{{4}}) (?=[A-Z])", re.MULTILINE)
# "LumenfoldThe", "Orlov’s eSolveAccording": a heading glued to the sentence after it. Headings
# start lines, so only the first words of a line are candidates, and only where both halves
# stand alone elsewhere in the document ("VoltaLink", "NobelPrize.org" survive).
# The word is read as blocks of capitals-then-lowercase, each taken whole (possessive), and
# cut before the last capital of its last block: written as "letters, a lowercase, letters
# (lazy), a capitalized word" the engine tried every cut of a long lowercase line against
# every other, 34 s for one 30,000-letter line. This form matches the same words, cut at the
# same place, in time linear in the line.
_GLUED_WORD = re.compile(
    r"^((?:\S++ ){0,2})((?:[A-Z]*+[a-z]++)+(?:[A-Z](?=[A-Z]))*+)([A-Z][a-z]++)\b", re.MULTILINE
)

_BROKEN_PARAGRAPH_MIN = 300  # a paragraph this long that stops mid-sentence was cut in two

# Joining stops at this length. A sentence cut by a line break, a hard-wrapped paragraph or a
# paragraph cut in two is far shorter (the seeds' longest joined line has 930 characters); a
# longer run of lines that start in lower case and do not end a sentence is a list, a table or
# a dump, and joining it made one line of a whole CSV file, so every citation said "line 1".
_JOIN_MAX_CHARS = 4_000
# A record: a field separator right before a letter, a digit or another separator
# ("id,name", "a;;b", "x,12"), not the comma inside a number ("44,150") nor prose's ',”'. Two
# records in a row are rows of a table, never one sentence: they keep a line each, so a
# citation names the row.
_LEADER = re.compile(LEADER)
_RECORD = re.compile(r"[,;](?:[^\W\d_]|[,;])|(?<!\d)[,;]\d")
_BREAK_AFTER = re.compile(r"[.!?…][\"”’')\]]*+ ")

# Hard-wrapped text (e-mail, plain-text newsletters) breaks a line wherever the next word would
# not fit in a fixed width, whatever that word is: "made up\n23% of the field", "the Amateur\n
# Open". Such a text's lines nearly all fit in this many characters (72 to 80 as a rule; a
# PDF page's text layer, set in a proportional font, 90 to 110), and many come close to its
# width; a text of one paragraph per line has far longer ones.
_WRAP_MAX = 120
_WRAP_NEAR = 15  # a full line ends within this many characters of the width
# A word a line break split with a hyphen ("regu-\nlated"), as typesetting does: the hyphen
# goes unless the document writes the word with it elsewhere ("ground-water").
_SPLIT_WORD = re.compile(r"[^\W\d_]-$")
# Possessive and anchored at a word's start: a long run of letters without a hyphen is
# passed over once, not retried from each of its letters.
_HYPHENATED = re.compile(r"(?<![^\W\d_])[^\W\d_]++(?:-[^\W\d_]++)+")
_LIST_ITEM = re.compile(r"^(?:[-*•–+>|#]|\d{1,3}[.)](?:\s|$)|[A-Za-z][.)]\s)")


def clean_text(raw: str) -> str:
    """Return the cleaned document text for one raw source.

    >>> clean_text("Arvane, February 2025Arvane Systems plans to spend \\\\$40 billion.")
    'Arvane, February 2025\\nArvane Systems plans to spend $40 billion.'
    """
    text = _fix_unicode(raw)
    text = _unescape_markdown(text)
    lines = _columns_as_cells([_QUOTE_MARKS.sub("", line) for line in text.split("\n")])
    indents = _indents(lines)
    lines = [_SPACES.sub(" ", line).strip() for line in lines]
    lines = _drop_chrome(lines)
    hyphenated = {word.lower() for line in lines for word in _HYPHENATED.findall(line)}
    lines = _join_broken_lines(lines, _wrap_width(lines, indents), hyphenated, indents)
    text = _assemble([piece for line in lines for piece in _cap_line(line)])
    return _split_glued_headings(text)


# A plain-text table sets its columns apart with runs of spaces (or tabs):
#   Party                  Seats   Change
#   Harbour and Country       19       -4
# Collapsing the runs would leave "Harbour and Country 19 -4", whose figures no column names;
# written as a Markdown row ("| Harbour and Country | 19 | -4 |") each keeps its header, as a
# pipe table's cells do. A block is such a table when its first line (or the one under a
# caption) has three or more such cells and letters but no figure, at least two more lines
# have as many cells, and most of those hold a figure (prose with two spaces after its full
# stops does not). A second header line in lower case or of units, with fewer cells ("depart
# arrive", "(m)  (°C)  % normal"), is joined to the first as the columns line up, and a line
# of dashes under the header ("----- -----") is its rule; either becomes the Markdown rule, as
# does a line of dashes further down (above a total), so the lines keep their numbers. A
# row with fewer cells (a total, a grouped row) is set in its columns by where its cells end.
_CELL = re.compile(r"[^ \t]+(?: [^ \t]+)*")
_FIGURE_CELL = re.compile(r"[-+−]?[$€£]?\d[\d,.]*%?|\d{1,2}:\d\d(?::\d\d)?")
_RULE_LINE = re.compile(r"[-=:+ \t]+")
_TABLE_MIN_CELLS = 3


def _columns_as_cells(lines: list[str]) -> list[str]:
    """`lines` with each plain-text table's header and rows written as Markdown rows."""
    out = list(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        if end - start >= 3 and not _table_block(out, start, end):
            _table_block(out, start + 1, end)  # under a caption, or an RST "=====" line
        start = end + 1
    return out


def _cells(line: str) -> list[tuple[int, int, str]]:
    """The cells of a line whose columns runs of two or more spaces or a tab set apart, with
    where each starts and ends."""
    return [(m.start(), m.end(), m.group()) for m in _CELL.finditer(line)]


def _table_block(lines: list[str], start: int, end: int) -> bool:
    """Rewrite lines[start:end] in place when they are a plain-text table (see above); say
    whether they were."""
    if end - start < 3 or "|" in lines[start] or _RULE_LINE.fullmatch(lines[start].strip()):
        return False  # too short, a Markdown table already, or a rule
    cells = [_cells(line) for line in lines[start:end]]
    header, width = [text for _, _, text in cells[0]], len(cells[0])
    figures = [any(_FIGURE_CELL.fullmatch(text) for _, _, text in row) for row in cells]
    second = lines[start + 1].strip()
    rule = bool(_RULE_LINE.fullmatch(second))
    sub = rule or (not figures[1] and 0 < len(cells[1]) < width
                   and all(text[0].islower() or text[0] in "(%°$€£" for _, _, text in cells[1]))
    starts = [at for at, _, _ in cells[0]]
    body = [i for i in range(1 + sub, len(cells)) if not _RULE_LINE.fullmatch(lines[start + i])]
    rows = [i for i in body if len(cells[i]) == width]
    placed = {i: _placed(cells[i], starts) for i in body if len(cells[i]) < width}
    kept = len(rows) + sum(row is not None for row in placed.values())
    if (width < _TABLE_MIN_CELLS or len(rows) < 2 or figures[0]
            or not any(c.isalpha() for c in lines[start])
            or 3 * kept < 2 * len(body)
            or 2 * sum(figures[i] for i in rows) < len(rows)):
        return False
    if sub and not rule:  # "depart  arrive  arrive" under "Castlebridge  Marl Street ..."
        for at, _, text in cells[1]:
            column = max((i for i, s in enumerate(starts) if s <= at + 2), default=0)
            header[column] = f"{header[column]} {text}"
    if sub:
        lines[start + 1] = "|" + " --- |" * width
    for i in range(2, len(cells)):  # a rule under a two-line header, or above a total row
        if _RULE_LINE.fullmatch(lines[start + i]):
            lines[start + i] = "|" + " --- |" * width
    lines[start] = "| " + " | ".join(header) + " |"
    for i in body:
        row = [text for _, _, text in cells[i]] if i in rows else placed.get(i)
        if row is not None:
            lines[start + i] = "| " + " | ".join(row) + " |"
    return True


def _placed(cells: list[tuple[int, int, str]], starts: list[int]) -> list[str] | None:
    """A short row's cells in the header's columns, each in the column where it ends ("  York
    200" under "Region  Town  Sales" fills the last two); None if two fall in one column."""
    row = [""] * len(starts)
    for _, end, text in cells:
        column = max((i for i, s in enumerate(starts) if s < end), default=0)
        if row[column]:
            return None
        row[column] = text
    return row


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
            and not _ends_sentence(line)
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


def _ends_sentence(line: str) -> bool:
    return line[-1:] in _SENTENCE_END_CHARS and not _open_abbreviation(line)


def _open_abbreviation(line: str) -> bool:
    """`line` ends with an abbreviation no sentence ends with: "... (500 mg, approx." """
    return line.endswith(".") and _last_word(line)[:-1].lstrip("(").lower() in OPEN_ABBREVIATIONS


# A wrapped paragraph's indentation counts towards its width: its full lines hold fewer
# letters than the text's width, and measured without it they never look full. Only a block
# indented alike counts: a centred title's lines, a hanging indent's second line and a
# right-set page number are no such block, nor is a line set out in columns ("Monday
# Northgate ..."), whose gaps the width holds too.
_INDENT_MAX = 12
_COLUMN_GAP = re.compile(r"\S {3,}\S")


def _indents(lines: list[str]) -> list[int]:
    """Each line's indentation where it counts towards a wrapped text's width, else 0."""
    spaces = [len(wide) - len(wide.lstrip()) if wide.strip() else -1
              for wide in (line.expandtabs() for line in lines)]
    return [
        n if (0 < n <= _INDENT_MAX and n in spaces[max(i - 1, 0):i] + spaces[i + 1:i + 2]
              and _COLUMN_GAP.search(line) is None) else 0
        for i, (line, n) in enumerate(zip(lines, spaces, strict=True))
    ]


def _wrap_width(lines: list[str], indents: list[int] | None = None) -> int:
    """The width a hard-wrapped text was wrapped at, or 0 if it does not look wrapped: nearly
    all of its lines fit in _WRAP_MAX characters, a third of them are full, and a third of
    those stop mid-sentence (a file of one sentence per line has full lines too, each ending
    with its full stop). A list's items and a table's rows are left out: Markdown often keeps
    each on one long line while its paragraphs are wrapped. `indents` are the lines' leading
    spaces, which take up the width too."""
    indents = indents or [0] * len(lines)
    prose = [(line, indent + len(line)) for line, indent in zip(lines, indents, strict=False)
             if line and not _LIST_ITEM.match(line)]
    fitting = [(line, size) for line, size in prose if size <= _WRAP_MAX]
    if len(prose) < 5 or len(fitting) < 0.95 * len(prose):
        return 0
    width = max(size for _, size in fitting)
    full = [line for line, size in fitting if size >= width - _WRAP_NEAR]
    open_ended = sum(not _ends_sentence(line) for line in full)
    return width if len(full) >= len(fitting) / 3 and open_ended >= len(full) / 3 else 0


def _wrapped(before: str, line: str, width: int, indent: int = 0) -> bool:
    """`line` goes on with `before` (indented by `indent`) in a text wrapped at `width`,
    unless it opens like a list item: its first word would not have fit on `before`, or
    `before` is a full line that stops
    mid-sentence (a proportional font fits more narrow letters on a line than wide ones, so
    "... on 2 May" / "2023 after ..." is a break of the width's even where "2023" might fit)."""
    if not width or _LIST_ITEM.match(line):
        return False
    first = _first_word(line)
    last = _last_word(before).rstrip(",")
    size = indent + len(before)
    return (size + 1 + len(first) > width
            or size >= width - _WRAP_NEAR and last.isalpha())  # not an address


def _join_broken_lines(lines: list[str], width: int = 0,
                       hyphenated: frozenset[str] | set[str] = frozenset(),
                       indents: list[int] | None = None) -> list[str]:
    """Rejoin a sentence that a line break (or a blank line) cut in two; in a text wrapped at
    `width` (0: not wrapped), also a line its first word did not fit on. A word split over
    the break by a hyphen is one word again (with its hyphen if `hyphenated`, the document's
    hyphenated words in lower case, holds it).

    The line being joined onto is kept as a list of its lines and the spaces between them,
    joined once, so a long run of joins costs its length, not its length squared."""
    out: list[str] = []
    pieces: list[str] = []  # the last non-blank line's lines and separators, not yet joined
    size = 0  # its length once joined
    blanks = 0  # blank lines since it
    indent = 0  # the last non-blank line's indentation
    for line, line_indent in zip(lines, indents or [0] * len(lines), strict=False):
        if not line:
            blanks += 1
            continue
        if pieces and _joins(pieces, size, blanks, line, width, indent):
            if (not blanks and line[0].islower() and _SPLIT_WORD.search(pieces[-1][-2:])
                    and _first_word(line) not in _NOT_A_WORDS_END):
                if not _keeps_hyphen(pieces[-1], line, hyphenated):
                    pieces[-1] = pieces[-1][:-1]  # a copy of one line, once at most
                    size -= 1
                pieces.append(line)
                size += len(line)
            else:
                pieces += [" ", line]
                size += 1 + len(line)
        else:
            if pieces:
                out.append("".join(pieces))
            out.extend([""] * blanks)
            pieces, size = [line], len(line)
        blanks, indent = 0, line_indent
    if pieces:
        out.append("".join(pieces))
    return out + [""] * blanks


# "English- or French-speaking", "pre- and post-war": the hyphen ends a word of its own
_NOT_A_WORDS_END = frozenset({"and", "or", "nor", "to", "but"})


def _keeps_hyphen(before: str, line: str, hyphenated: frozenset[str] | set[str]) -> bool:
    """The word split between `before` (ending in a hyphen) and `line` is written with its
    hyphen elsewhere in the document."""
    word = f"{_last_word(before)[:-1]}-{_first_word(line)}"
    return word.lower().strip(".,;:!?()[]\"'“”‘’") in hyphenated


def _last_word(line: str) -> str:
    return line[line.rfind(" ") + 1:]


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _joins(pieces: list[str], size: int, blanks: int, line: str, width: int,
           indent: int = 0) -> bool:
    # A wrapped line goes on with its paragraph even after a full stop: the break was the
    # width's, not the writer's.
    return (
        not pieces[-1].endswith("|")  # a table's row keeps its line
        and (not blanks and (_wrapped(pieces[-1], line, width, indent)
                             or _DAY_AT_END.search(pieces[-1][-12:]) is not None
                             and _MONTH_AT_START.match(line) is not None)
         or (line[0].islower() or line[0].isalpha() and _goes_on(pieces[-1], line)
             or _opens_figure(line) and _goes_on(pieces[-1], line) and not _LIST_ITEM.match(line))
         and not _ends_sentence(pieces[-1]))
        and (not blanks or size >= _BROKEN_PARAGRAPH_MIN)
        and size + 1 + len(line) <= _JOIN_MAX_CHARS
        and not (_RECORD.search(line) and _RECORD.search(pieces[-1]))
        and not (_FIELD.match(line) and _FIELD.match(pieces[0]) and not _left_open(pieces[-1]))
        and not _LEADER.search(pieces[-1])  # "Item ........ $40": a row of a list, whole
    )


# "Applicant: ..." / "Site address: ...": a block of fields keeps a line each, however the
# text was wrapped (a field's own wrapped value, "Yard, Kestlebury", still joins its line);
# a label may hold a comma ("Doors, Friday: 19:00")
_FIELD = re.compile(r"[A-Z][\w'’()/-]*(?:,? [\w'’()/-]+){0,4}:[ \t]+\S")
# "before 25" / "March 2025, the new prices ...": a date the wrap cut in two (an indented
# list item's line is shorter than the width it was wrapped at, so the width may not show it)
_DAY_AT_END = re.compile(r"\b(?:before|after|on|by|until|till|from|since|of|to|and|or|than)"
                         r" (?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$")  # not "Chapter 3"
# the month and its year, then more: not "May be", nor a line "March 2025" of its own
_MONTH_AT_START = re.compile(rf"(?:{MONTHS_PATTERN}) \d{{4}}[,;:]? +\S")


def _opens_figure(line: str) -> bool:
    """`line` opens with a number or a sum ("$240,000 ..."), which goes on a sentence left
    open ("... an agreed value of")."""
    return line[0].isdigit() or line[0] in "$€£¥₹"


def _goes_on(before: str, line: str) -> bool:
    """`before` leaves its sentence open for `line`: `_left_open`, or it ends with an
    abbreviation no sentence ends with ("... (250 mg, approx." / "12 mg/kg) ..."), unless
    `line` is a form's field of its own."""
    return _left_open(before) or _open_abbreviation(before) and not _FIELD.match(line)


def _left_open(line: str) -> bool:
    """`line` stops where no sentence or heading stops: after a comma or a word such as
    "and", "of", "the" (language.CONTINUING), so the next line goes on with it even when it
    opens with a capital (a name), unless it opens like a list item ("- ", "1.", "#")."""
    return line.endswith(",") or _last_word(line) in CONTINUING


def _cap_line(line: str) -> list[str]:
    """`line` in pieces of at most MAX_LINE_CHARS; the space a piece is cut at becomes the
    line break, so no character but that space is lost."""
    pieces = []
    while len(line) > MAX_LINE_CHARS:
        cut = _cut_at(line)
        pieces.append(line[:cut])
        line = line[cut + 1:] if line[cut:cut + 1] == " " else line[cut:]
    return [*pieces, line]


def _cut_at(line: str) -> int:
    window = line[: MAX_LINE_CHARS + 1]  # a space right at the limit may still be cut at
    ends = [m.end() - 1 for m in _BREAK_AFTER.finditer(window, MAX_LINE_CHARS // 2)]
    if ends:
        return ends[-1]
    space = window.rfind(" ", 1)
    return space if space > 0 else MAX_LINE_CHARS


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
