"""Lines that answer though they stand apart from the prose: a form's fields ("Flash point:
74 °C"), a table's row of a label and its value, a heading that gives a sum after a dash, a
sign-off with its role, the byline; and the stored entity spans of a sentence, which these
and `qa.reader.admit` read."""

from __future__ import annotations

import re
from collections.abc import Collection

from qa.ingest.chunking import FIELD_MARK, is_field
from qa.ingest.context import section_heading
from qa.ingest.entities import Parse
from qa.ingest.sources import BYLINE_TAIL
from qa.reader.agree import field_label, field_owner
from qa.reader.extract import Kind, Span, amounts, dates, heading_context, is_label
from qa.reader.learned import spans_in
from qa.reader.names import TITLES
from qa.reader.question import stem, words_of
from qa.reader.scope import document_lead, names_other
from qa.store.index import Index

__all__ = ["byline", "dated_label", "document_words", "field_answer", "field_parts",
           "field_value", "has_verb", "is_labelled", "label_of", "people_in", "run_in", "signed",
           "stored_spans", "valued"]


_NO_PLACE = re.compile(r"@|://|\bwww\.")


def field_value(text: str, a: int, b: int) -> Span | None:
    """The value of the field text[a:b] ("Site address: 4 Mill Lane, Ennis") as a place."""
    colon = text.find(":", a, b)
    start = colon + 1 + len(text[colon + 1:b]) - len(text[colon + 1:b].lstrip())
    end = start + len(text[start:b].rstrip(" \t."))
    if end <= start or _NO_PLACE.search(text, start, end):
        return None  # "E-mail address: ...", "Web address: www...": no place
    return Span(Kind.PLACE, start, end, text[start:end], "address")


def is_labelled(text: str, a: int, b: int, label: str) -> bool:
    """text[a:b] is a form's field whose label is written as `label` (a pattern of
    `qa.reader.agree.doer_labels` or `noun_label`):
    "Applicant: Mr T. Wren" for "who applied"; not "Report date:" nor "Received: 12 May"."""
    colon = text.find(":", a, b)
    return (colon > a and is_field(text, a, b)
            and re.fullmatch(label, label_of(text, a, colon), re.IGNORECASE) is not None)


# a list item's marker or a clause's number, and bold or italic marks, are no part of a label
_LABEL_MARKS = re.compile(rf"\s*{FIELD_MARK}[*_]*")


def label_of(text: str, a: int, colon: int) -> str:
    m = _LABEL_MARKS.match(text, a, colon)
    return text[m.end():colon].rstrip("*_ \t")


def field_answer(index: Index, source: str, a: int, b: int, question: str,
                 terms: Collection[str], dated: bool = False) -> tuple[int, int] | None:
    """The value of the field text[a:b] of `source` ("Label: value", or a table's row of two
    cells, "| Label | value |") when its label is the thing the question asks for ("What is
    the flash point of Brixon K-7?": "Flash point: 74 °C (closed cup)" -> "74 °C", up to a
    comma, bracket or the next field), or, for a question that asks when (`dated`), a date's
    label with the question's verb ("When was it inspected?": "Date of inspection: 3 May");
    in a part of the document about the rest of the question: its title, lead, heading or
    the block of lines the field is in say the question's other words `terms` that the
    document writes
    ("Brixon K-7"; not "of the sealant thinned with water" where the document tells of that
    too), and the heading over it names nothing the question does not ("## Brixon K-9"). A
    form says so as plainly as a table's cell where the row and column the question names
    cross."""
    text = index.documents[source].text
    field = field_parts(text, a, b)
    if field is None:
        return None
    label, start, end = field
    pattern = field_label(question)
    if not ((pattern and re.fullmatch(pattern, label, re.IGNORECASE))
            or dated and dated_label(label, terms)):
        return None
    title, section = index.documents[source].title or "", section_heading(text, a)
    block_end = text.find("\n\n", b)
    block = text[text.rfind("\n\n", 0, a) + 1:len(text) if block_end < 0 else block_end]
    said = words_of(index, f"{title}\n{document_lead(index, source)}\n{section}\n"
                           f"{heading_context(text, a)[0]}\n{block}")
    # the title's heading is the whole document's: what it names, the document is about
    below_title = section.lstrip("# ").strip() != title.strip()
    # a word of the question the document writes elsewhere, not here, asks about another
    # part of it ("the diluted solution"); one it never writes tells no part from another
    elsewhere = document_words(index, source)
    if any(t not in said and t in elsewhere for t in terms) or below_title and names_other(
            section, question, text):
        return None
    if (owner := field_owner(question)) and not words_of(index, owner) <= said:
        return None  # "What is the dog's name?": not the "Name:" of a form about its owner
    while start < end and text[start] in " \t*_":
        start += 1
    if (title := _TITLE_FIRST.match(text, start, end)) and title.group(1).lower() in TITLES:
        start = title.end()  # "Lecturer: Dr. Ilona Varga": the name, as a name is quoted
    stop = _VALUE_END.search(text, start, end)
    end = end if stop is None else stop.start()
    while end > start and text[end - 1] in " \t*_.;":
        end -= 1
    if end <= start or dated and not dates(text, start, end):
        return None
    return start, end


def document_words(index: Index, source: str) -> set[str]:
    """The (stemmed) words the document `source` writes, found once per document."""
    found = index.derived.setdefault("document_words", {})
    if source not in found:
        found[source] = words_of(index, index.documents[source].text)
    return found[source]


def field_parts(text: str, a: int, b: int) -> tuple[str, int, int] | None:
    """The label of the field text[a:b] and where its value lies, or None for no field."""
    colon = text.find(":", a, b)
    if colon > a and is_field(text, a, b):
        return label_of(text, a, colon), colon + 1, b
    row = text[a:b].strip()
    cells = row[1:-1].split("|") if len(row) > 2 and row[0] == row[-1] == "|" else []
    if len(cells) != 2 or not cells[0].strip(" *_") or not cells[1].strip():
        return None  # only a row of two cells is a label and its value
    bar = text.index("|", text.index("|", a) + 1)
    return cells[0].strip(" *_\t"), bar + 1, text.rindex("|", a, b)


_WHEN_LABELS = frozenset({"date", "dates", "day", "time", "deadline", "when"})


def dated_label(label: str, terms: Collection[str]) -> bool:
    """A date's label that says what happened with a word of the question's: "Date of
    hearing" for "When did the court hear it?"."""
    words = re.findall(r"[a-z]+", label.lower())
    return any(w in _WHEN_LABELS for w in words) and any(
        stem(w) in terms for w in words if w not in _WHEN_LABELS)


# where a field's value ends: a comma (not a number's: "R 2,310.00"), a bracket, the next
# field
_VALUE_END = re.compile(r",(?!\d)|[;(|·]|\s[–—-]\s")
_TITLE_FIRST = re.compile(r"([A-Z][a-z]{1,5})\.?[ \t]+(?=[A-Z])")


def run_in(text: str, a: int, b: int) -> bool:
    """text[a:b] opens its line, is at most four words ending in a full stop, and the line
    goes on with a sentence that says one of its words again: a bold run-in heading once its
    marks are gone ("**Oats.** The oats were ..."), not "Capacity 40,000." nor "Winner: ..."."""
    if not ((not a or text[a - 1] == "\n") and text[b - 1:b] == "." and text[b:b + 1] == " "
            and len(text[a:b].split()) <= 4 and not _FACT_MARK.search(text, a, b)):
        return False
    line_end = text.find("\n", b)
    following = text[b:line_end if line_end >= 0 else len(text)][:300].lower()
    return any(len(w) > 2 and re.search(rf"\b{re.escape(w)}", following)
               for w in re.findall(r"[^\W\d_]+", text[a:b].lower()))


_FACT_MARK = re.compile(r"[\d:]")


def has_verb(parse: Parse | None, a: int, b: int) -> bool:
    """A token of [a, b) is a verb by its stored tag (True without a stored parse)."""
    if parse is None or not parse.starts:
        return True
    return any(parse.tags[i].startswith("VB") or parse.tags[i] == "MD"
               for i in parse.within(a, b))


# A heading's label and the figure it is worth, set apart by a dash: "Best Soloist — KSh 40,000"
_VALUE_DASH = re.compile(r"\s[—–-]\s")


def valued(text: str, a: int, b: int) -> bool:
    """The heading text[a:b] gives a label's sum or measure after a dash ("Best Soloist — KSh
    40,000"): an answer as well as a heading; not "Part II — 12 Rules" nor "1914 — 1918"."""
    dash = _VALUE_DASH.search(text, a, b)
    return dash is not None and any(s.unit != "count" for s in amounts(text, dash.end(), b))


# What follows the name in a sign-off: a role of up to six capitalized words ("Head of Sales")
_SIGNED_ROLE = re.compile(r",[ \t]+[A-Z][\w'’&-]*(?:[ \t]+(?:(?:of|and|for|the)[ \t]+)?"
                          r"[A-Z][\w'’&-]*){0,5}[ \t]*")


def signed(index: Index, source: str, a: int, b: int) -> bool:
    """text[a:b] is a sign-off, a person's name and role ("Ana Ruiz, Head Coach"): it says
    who holds the role, though it stands alone like a heading."""
    text = index.documents[source].text
    start = a + len(text[a:b]) - len(text[a:b].lstrip(" \t-–—"))
    return any(p == start and (m := _SIGNED_ROLE.match(text, q)) is not None and m.end() == b
               for p, q in people_in(index, source, a, b))


def byline(author: str | None, text: str, a: int, b: int) -> bool:
    """`text[a:b]` is the document's byline: its author, with or without "By", alone or with
    what the byline says after a comma ("By Ines Harrow, Duty Officer")."""
    if not author or b - a > len(author) + _BYLINE_AFTER:
        return False
    line = text[a:b].strip().lower()
    line = line[m.end():] if (m := _POSTED.match(line)) else line
    return (line in (author.lower(), f"by {author.lower()}")
            or line.startswith(f"by {author.lower()}, ") and "\n" not in line)


# "Posted by " and ", " with a role, an employer and the day it was posted, as
# `qa.ingest.sources` reads a byline: its tail and 40 letters for the rest
_BYLINE_AFTER = BYLINE_TAIL + 40
_POSTED = re.compile(r"(?:posted|written|words|reported|story)[ \t]+(?=by\b)")


def stored_spans(index: Index, source: str, a: int, b: int,
                 ) -> list[tuple[int, int, frozenset[str]]]:
    """The spans the entity finder stored inside text[a:b] of `source`, with their types."""
    found = index.entities.get(source, ())
    starts = index.derived.setdefault("entity_starts", {})
    if source not in starts:
        starts[source] = [s for s, _, _ in found]
    text = index.documents[source].text
    return [span for span in spans_in(found, starts[source], a, b)
            if not is_label(text, span[0], span[1])]


def people_in(index: Index, source: str, a: int, b: int) -> list[tuple[int, int]]:
    """Where text[a:b] names a person, as the entity finder marked it."""
    return [(s, e) for s, e, kinds in stored_spans(index, source, a, b) if "PERSON" in kinds]


