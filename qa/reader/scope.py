"""What a sentence must be about to answer a question: the names, countries and years it asks
about, and whether it asks what will happen.

A question about a name the sources never write is refused for it, and a sentence about
another name, country or year is never its answer ("How much is Acme spending?" is not
answered with another company's figure, "How many passengers in 2022?" not with 2019's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from qa.backends.bm25 import DEFAULT_STOPWORDS
from qa.ingest.chunking import is_field, is_heading, split_sentences
from qa.language import MONTHS_PATTERN, month_number
from qa.reader.extract import NTH, ORDINAL_NUMBERS, ORDINAL_WORDS, Kind, Span, dates, ordinal_value
from qa.reader.names import KnownNames, is_currency, lexicon, organizations, places, surnames
from qa.reader.question import WH_WORDS
from qa.store.index import Index

__all__ = [
    "FUTURE", "TOLD_FIRST", "asked_codes", "asked_eras", "asked_years", "by_title", "countries",
    "dated_after", "dated_before", "lead", "life_event", "name_forms", "naming_years", "other_era",
    "other_event", "other_years",
    "referred", "tells_event", "title_names", "unknown_names", "unwritten_editions",
    "unwritten_years", "writes_codes",
    "writes_names",
]


def by_title(index: Index, known: KnownNames, required: frozenset[str],
              ) -> Callable[[str, set[str], bool], frozenset[str]]:
    """The required names a sentence holds through its document's title or lead.

    An article titled "Kessingen approves its budget" does not repeat the town's name in
    every sentence: "The mayor called the vote ..." is about Kessingen all the same; nor does
    a charity's review that opens "Acme Relief is a registered charity ..." in "Donations
    reached $4 million" (the names of its lead, the first sentence of its first paragraph,
    count as well), nor a tenancy agreement whose header fields say "Property: Flat 3,
    Lindenweg 14" in "The deposit is CHF 5,550" (`lead` gives those fields with the lead
    sentence). A sentence (with the context it is read with) that names no other name of
    the same kind (a place for a place, a person for a person, an organization for an
    organization) is read as about the title's names; one that names another is about that
    one, so another name's figure is still not given. A person is a name the document gives
    whole as a person's ("Ines Vold", then "Vold"); a `personal` sentence, one that refers to
    someone ("The foundation awarded her ..."), names an organization and is about the
    person all the same."""
    titles: dict[str, frozenset[str]] = {}

    def held(source: str, named_here: set[str], personal: bool = False) -> frozenset[str]:
        if source not in titles:
            top = f"{index.documents[source].title or ''}\n{document_lead(index, source)}"
            cased = _cased(top)  # "ACME CLUB" is Acme's
            titles[source] = (title_names(top, known) & required) | {
                # written there inside a longer name: "Harvest report: Cave Coopérative de
                # Montagnier" is about Montagnier
                name for name in required
                if any(re.search(rf"\b{re.escape(name)}\b", t) for t in (top, cased))}
        people = surnames(index, source)

        def kind(name: str) -> int:  # people are apart from organizations in `personal` only
            return 0 if name in known.places else 1 if personal and name in people else 2

        return frozenset(name for name in titles[source] - named_here
                         if not any(kind(other) == kind(name) for other in named_here))

    return held


LEAD_WITHIN = 3000  # characters: the lead is the first paragraph of prose near the top

# An identifier: letters and digits in one word ("K-9", "HD40", "X2")
_IDENTIFIER = re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z\d]+(?:-[A-Za-z\d]+)*\b")
# a capitalized word inside a heading's words, not the one that opens it or a part of it
# ("SECTION 9: Physical and chemical properties")
_NAME_WORD = re.compile(r"(?<=[\w,] )[A-Z][a-z]{2,}\b")


def names_other(heading: str, question: str, text: str) -> bool:
    """`heading` (of the document `text`) names a thing the question does not: an identifier
    ("## Brixon K-9") or a word inside it the document never writes in lower case ("## Floor
    sealant by Corvane"), neither written in the question; not "## Physical and chemical
    properties"."""
    asked, common = question.lower(), lexicon(text).lower
    named = [m.group() for m in _IDENTIFIER.finditer(heading)] + [
        m.group() for m in _NAME_WORD.finditer(heading) if m.group().lower() not in common]
    return any(re.search(rf"\b{re.escape(w.lower())}\b", asked) is None for w in named)


def document_lead(index: Index, source: str) -> str:
    """`lead` of the document `source`, found once per document, not per question."""
    leads = index.derived.setdefault("leads", {})
    if source not in leads:
        leads[source] = lead(index.documents[source].text)
    return leads[source]


# A paragraph of several lines is prose when a line ends a sentence; a letterhead's lines
# ("VAT Reg. No. GB 305 1174 22") end none, whatever abbreviations they hold
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]*[ \t]*$", re.MULTILINE)


def lead(text: str) -> str:
    """The document's lead: the first sentence of its first paragraph of prose, past the
    title, byline and date lines and headings (a paragraph that has a sentence's end and more
    than a line's worth), after the form fields and short lines above it ("Property: ...",
    "Applicant: ...", a publisher's name: a header that says what the document is about).
    Only its first sentence: a news lead names many organizations ("... followed by
    Dunmore, Brixa and Saxby"), its opening sentence the subject ("Acme Relief is a
    registered charity ...")."""
    at, fields, headers = 0, [], 0
    for paragraph in text[:LEAD_WITHIN].split("\n\n"):
        if len(paragraph) > 80 and re.search(r"[.!?]", paragraph) and (
                "\n" not in paragraph.strip() or _ENDS_SENTENCE.search(paragraph)) and not (
                _all_fields(text, at, at + len(paragraph))):
            for a, b in split_sentences(text, at, at + len(paragraph)):
                if not is_heading(text, a, b):
                    return "\n".join([*fields, text[a:b]])
            break
        lines = _lines(text, at, at + len(paragraph))
        fields += [line for line, (a, b) in lines if is_field(text, a, b)]
        if (at and (len(lines) == 1 or _name_block(lines))
                and all(_header_line(line) for line, _ in lines) and headers < 2):
            # a line of its own past the title, or a block of names ("Calverol 5 mg tablets /
            # Calverol 10 mg tablets / calverine": what a leaflet is about)
            fields += [line.strip() for line, _ in lines]
            headers += 1
        elif not at and _title_block(lines) and headers < 2:
            # the title's own block: "PRODUCT DATA SHEET / Brixon K-7 Floor Sealant" names
            # what the document is about on the line under a title that says what kind it is
            fields += [line.strip() for line, _ in lines[1:]]
            headers += 1
        at += len(paragraph) + 2
    return "\n".join(fields)


def _title_block(lines: list[tuple[str, tuple[int, int]]]) -> bool:
    """Two or three short lines, the first a title in capitals that says what kind of
    document it is ("SAFETY DATA SHEET"), the others no list's items, addresses or numbers
    (a letterhead's "12 Quay Row" says nothing of what a letter is about)."""
    first = lines[0][0].strip() if lines else ""
    return (2 <= len(lines) <= 3 and first.isupper() and len(first.split()) >= 2
            and all(_header_line(line) and not line.lstrip()[:1].isdigit()
                    and not line.lstrip().startswith(("-", "*", "•", "+")) for line, _ in lines))


def _name_block(lines: list[tuple[str, tuple[int, int]]]) -> bool:
    """Two or three lines the first of which opens with a name another repeats: "Calverol 5 mg
    tablets / Calverol 10 mg tablets"; not a list of sections ("Contents / Introduction")."""
    words = [line.split() for line, _ in lines]
    first = words[0][0].lower() if words and words[0] else ""
    return (2 <= len(lines) <= 3 and len(first) > 3
            and any(w and w[0].lower() == first for w in words[1:]))


def _header_line(line: str) -> bool:
    """A short line above the lead that says whose the document is ("Acme Office for National
    Statistics"), not a heading, a byline (its author is no subject) nor a sentence."""
    line = line.strip()
    return (0 < len(line) <= 80 and not line.startswith(("#", "By ", "by "))
            and line[-1] not in ".!?:" and ": " not in line)  # a lone field is a date's, a title's


def _lines(text: str, a: int, b: int) -> list[tuple[str, tuple[int, int]]]:
    out, start = [], a
    for line in text[a:b].split("\n"):
        out.append((line, (start, start + len(line))))
        start += len(line) + 1
    return out


def _all_fields(text: str, a: int, b: int) -> bool:
    """Every line of text[a:b] is a form field: a header block, not prose, though it has
    full stops ("Property: 3.5-room apartment")."""
    return all(is_field(text, s, e) for line, (s, e) in _lines(text, a, b) if line.strip())


_CAPS_WORD = re.compile(r"\b[^\W\d_a-z]{4,}\b")  # a word in capitals, too long for most acronyms


def title_names(title: str, known: KnownNames) -> frozenset[str]:
    """The names a title writes, in capitals too: "ACME CLUB NEWSLETTER No. 5" names Acme
    ("NHS" stays an acronym)."""
    cased = _cased(title)
    return frozenset(s.text for t in {title, cased} for s in organizations(t, known))


def _cased(text: str) -> str:
    """`text` with its words in capitals written as names ("ACME CLUB" -> "Acme Club")."""
    return _CAPS_WORD.sub(lambda m: m.group().title(), text)


def referred(text: str, a: int, b: int, names: Collection[str]) -> frozenset[str]:
    """The names `text[a:b]` refers back to by their last word: "The new trust is led by ..."
    after a paragraph about "the North Vale Hospitals NHS Trust". The document must have
    written the name before, and no other name ending in the same word since (then "the
    trust" could be either)."""
    out = set()
    for name in names:
        head = name.split()[-1] if " " in name else ""
        if len(head) < 3 or not head.isalpha():
            continue
        if not re.search(rf"\b[Tt]he (?:\w+ )?{re.escape(head.lower())}\b", text[a:b]):
            continue
        last = text.rfind(name, 0, a)
        other = re.compile(rf"[A-Z][\w'’-]* {re.escape(head)}\b")  # "the Lake Trust"
        if last >= 0 and not other.search(text, last + len(name), a):
            out.add(name)
    return frozenset(out)


def name_forms(question: str, names: Collection[str], known: KnownNames) -> list[str]:
    return [question[s.start:s.end] for s in organizations(question, known) if s.text in names]


def countries(text: str, known: KnownNames) -> set[str]:
    return {p.text.lower() for p in places(text, known) if p.unit in ("country", "region")}


_QUESTION_WORDS = frozenset({
    "how", "what", "who", "whom", "whose", "when", "where", "why", "which", "is", "are", "was",
    "were", "do", "does", "did", "can", "could", "will", "would", "should", "has", "have",
    "had", "i", "in", "on", "at", "according", "for", "if",
    # pronouns and possessives open a sentence ("My display shows P1.") and name nobody
    "my", "our", "your", "their", "his", "her", "its", "we", "you", "they", "he", "she",
    "me", "us", "them", "please"})
_CAPITALIZED_RUN = re.compile(r"\b[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*)*")


def unknown_names(index: Index, question: str) -> list[str]:
    """Capitalized words of the question that no indexed chunk contains (the lexical index
    knows every word of the corpus): a name the sources never mention ("Samsung"), which no
    sentence about another name may answer."""
    found = []
    cited = _cited_words(index)
    opener = _sentence_case_opener(question)
    for start, words in _capitalized_runs(question):
        if start == opener:
            words = words[1:]
        # "I'm", "Can't": the word before the apostrophe says what it is
        while words and re.split("['’]", words[0].lower())[0] in _QUESTION_WORDS:
            words = words[1:]
        for word in words:
            tokens = index.tokenize(word)
            if (tokens and all(index.bm25.rarity(t) is None and t not in cited for t in tokens)
                    and not (_ACRONYM.fullmatch(word) and word in _initialisms(index))
                    and not _written_quarter(index, word)):
                found.append(" ".join(words))  # the whole name: "World Cup", not "Cup"
                break
    # A year no document writes, nor dates itself in: "How many people lived there in 1900?"
    # is not answered by another year's figure.
    found += sorted(unwritten_years(index, question))
    found += unwritten_editions(index, question)
    found += [v for v in _VERSION.findall(question) if not _written_release(index, v)]
    return list(dict.fromkeys(found))


def _written_release(index: Index, version: str) -> bool:
    """Some document writes the release, with or without its "v"."""
    bare = version.lstrip("vV")
    forms = {bare, f"v{bare}"}
    return any((tokens := index.tokenize(f)) and all(index.bm25.rarity(t) is not None
                                                     for t in tokens) for f in forms)


# A release's number ("3.7.0", "v2.11.4"): an identifier, the same whatever its words say
# not a day ("3.7.2023") nor a grouped number ("1.250.000")
_VERSION = re.compile(r"(?<![\w.])v?\d{1,3}\.\d{1,3}\.(?!\d{3}\b)\d{1,3}(?!\w|\.\d)")


# "the 13th Kalvsund Open": an ordinal before a capitalized name, one of its editions
_EDITION = re.compile(rf"(?<![\w-])((?i:{NTH}))\s+([A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)*)")
_ORDINAL_BEFORE = re.compile(rf"(?<![\w-])((?i:{NTH}))\s+$")
_MONTH_NAMES = frozenset(MONTHS_PATTERN.lower().split("|"))


_POSSESSIVE_END = re.compile(r"['’]s?$")


def unwritten_editions(index: Index, question: str) -> list[str]:
    """Editions the question names that the documents never write: "the 13th Kalvsund Open"
    when every mention of the Kalvsund Open has its ordinal and none is the 13th. A name
    written without an ordinal too ("World War II", "the President") may be any edition, and
    a month is no edition ("the 5th June")."""
    out = []
    for m in _EDITION.finditer(question):
        name = _POSSESSIVE_END.sub("", m.group(2))
        asked = ordinal_value(m.group(1))
        if asked is None or name.split()[0].lower() in _MONTH_NAMES:
            continue
        written = _editions(index, name)
        if written and None not in written and asked not in written:
            out.append(f"the {m.group(1)} {name}")
    return out


def _editions(index: Index, name: str) -> frozenset[int | None]:
    """The ordinals the documents write before `name` (None for a mention without one), once
    per index and name. The name is looked for first: a scan for ordinals would try every
    position of every document."""
    cache = index.derived.setdefault("editions", {})
    if name not in cache:
        found: set[int | None] = set()
        # as the question writes it, or in a heading's capitals: "law" is not Newton's Law
        pattern = re.compile(rf"(?<![\w-])(?:{re.escape(name)}|{re.escape(name.upper())})(?![\w-])")
        for doc in index.documents.values():
            for hit in pattern.finditer(doc.text):
                before = _ORDINAL_BEFORE.search(doc.text, max(0, hit.start() - 24), hit.start())
                found.add(None if before is None else ordinal_value(before.group(1)))
        cache[name] = frozenset(found)
    return cache[name]


def unwritten_years(index: Index, question: str) -> frozenset[str]:
    """The years the question asks about that no document writes nor is dated in: "How many
    people lived there in 1900?" is not answered by another year's figure."""
    cited = _cited_words(index)
    dated = {d.date[:4] for d in index.documents.values() if d.date}
    unwritten = [y for y in asked_years(question)
                 if index.bm25.rarity(y) is None and y not in cited and y not in dated]
    if unwritten:  # "ruled from 1511 to 1530" covers 1520 (read only when a year is missing)
        spans = _year_ranges(index)
        unwritten = [y for y in unwritten if not any(lo <= int(y) <= hi for lo, hi in spans)]
    return frozenset(unwritten)


def years_unwritten_in(index: Index, source: str, years: Collection[str]) -> bool:
    """Some year the question asks about is written nowhere in the document `source`: not as
    itself, in a range that covers it ("1914–1918", "2022-23") nor as its date. Its figures
    are of other years: "the bar takings in 2021" from a report on 2022-23 would be a
    guess. Kept per document and year."""
    cache = index.derived.setdefault("years_written", {})
    for year in years:
        key = (source, year)
        if key not in cache:
            doc = index.documents[source]
            # a document that writes no year at all is of none in particular: an undated
            # price list gives no price of 2019 either
            cache[key] = ((doc.date[:4] == year if doc.date else False)
                          or _writes_year(doc.text, int(year)))
        if not cache[key]:
            return True
    return False


# A year's range written short: "2022-23", "2023/24"
_SHORT_RANGE = re.compile(r"(?<![\d.,])(1\d|20)(\d\d)\s?[–/-]\s?(\d\d)(?![\d.,%])")


def _writes_year(text: str, year: int) -> bool:
    """`year` is written in `text`: as itself (a date's too: "14.05.2021"), as a fiscal year
    ("FY21", "FY 2021"), or in a range that covers it."""
    if re.search(rf"(?<!\d){year}(?!\d)|\bFY\s?'?(?:{year}|{year % 100:02d})\b", text):
        return True
    return any(int(m.group(1)) <= year <= int(m.group(2))
               for m in _YEAR_RANGE.finditer(text) if m.group(1) < m.group(2)) or any(
        int(m.group(1) + m.group(2)) <= year <= int(m.group(1) + m.group(3))
        for m in _SHORT_RANGE.finditer(text))


_YEAR_RANGE = re.compile(r"(?<!\d)(?<!\d[,.])(1\d{3}|20\d\d)\s?(?:–|-|to|until|and|through)\s?"
                         r"(1\d{3}|20\d\d)(?!\d|[,.]\d)")


def _year_ranges(index: Index) -> list[tuple[int, int]]:
    """The ranges of years the documents write ("from 1402 to 1419", "1914–1918"), once per
    index."""
    spans = index.derived.get("year_ranges")
    if spans is None:
        spans = [(int(m.group(1)), int(m.group(2))) for d in index.documents.values()
                 for m in _YEAR_RANGE.finditer(d.text) if m.group(1) < m.group(2)]
        index.derived["year_ranges"] = spans
    return spans


# An abbreviation a question may write for words the documents spell out: "CFO" (two letters
# are too many things: "EU", "AD")
_ACRONYM = re.compile(r"[A-Z]{3,6}")
# Runs of capitalized words, with "of", "and", "for" or "the" between them ("Securities and
# Exchange Commission"), across a line's end, at most eight at a time (a longer run is read
# in pieces, so a line of capitals costs no more than its length)
_TITLED_RUN = re.compile(r"[A-Z][a-z]++(?:[ \t]*+(?:\n[ \t]*+)?(?:(?:of|and|for|the)[ \t]++)?"
                         r"[A-Z][a-z]++){1,7}")
_TITLED_WORD = re.compile(r"\b[A-Z][a-z]+")


def _initialisms(index: Index) -> frozenset[str]:
    """The initials of every run of three to six capitalized words the documents write
    ("Chief Financial Officer" gives CFO, "Consumer Price Index" CPI), each run whole (the
    pieces of longer runs spell too many abbreviations by chance: on SQuAD's fit half they
    let a question about an "MSL team" through) and without its sentence's opening word
    ("In March Frank Lee" spells no IMF).
    Read once per index, on the first question that writes an abbreviation no document
    does: a question that writes it names what they spell out, not a name the sources never
    mention."""
    cache = index.derived.get("initialisms")
    if cache is None:
        found: set[str] = set()
        for doc in index.documents.values():
            for m in _TITLED_RUN.finditer(doc.text):
                words = _TITLED_WORD.findall(m.group())
                if words[0].lower() in DEFAULT_STOPWORDS or words[0].lower() in _QUESTION_WORDS:
                    words = words[1:]
                if 3 <= len(words) <= 6:
                    found.add("".join(w[0] for w in words))
        cache = index.derived["initialisms"] = frozenset(found)
    return cache


def _capitalized_runs(question: str) -> list[tuple[int, list[str]]]:
    """Each run of capitalized words in the question (where it starts, its words with any
    possessive cut): "Who leads Acme Holdings' board?" -> [(0, ["Who"]), (10, ["Acme",
    "Holdings"])]."""
    return [(m.start(), [_POSSESSIVE_END.sub("", w) for w in m.group().split()])
            for m in _CAPITALIZED_RUN.finditer(question)]


def writes_names(index: Index, question: str,
                  ) -> Callable[[str, tuple[str | None, ...]], bool]:
    """Whether a document writes a word of every name the question names (in its text or
    its citation): a document that never writes "Lund" says nothing about the Margarethe
    Lund, whatever its figures, so none of its sentences answers a question about it.

    A name's words are its capitalized parts ("Tokyo" of "Tokyo-listed"), less the
    question's first word (sentence case), that the corpus's entity finder marked inside a
    name and never as a nationality or group: not "Dutch" or "European", which describe.
    Acronyms ("GPU", "CEO") are left out too: as many are common nouns as names."""
    named = _name_words(index)
    names = []
    first = len(question) - len(question.lstrip())
    for start, run in _capitalized_runs(question):
        words = [part for w in run[1 if start == first else 0:] for part in w.split("-")
                 if part in named]
        if words:
            names.append(words)
    seen: dict[str, bool] = {}

    def writes(source: str, texts: tuple[str | None, ...]) -> bool:
        if source not in seen:
            seen[source] = all(any(w in t for w in words for t in texts if t) for words in names)
        return seen[source]

    return writes


_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT",
                         "WORK_OF_ART", "LAW"})


def _name_words(index: Index) -> frozenset[str]:
    """The capitalized words of three letters or more the entity finder marked inside names
    and never inside a nationality or group, less acronyms; once per index."""
    words = index.derived.get("name_words")
    if words is None:
        kinds: dict[str, set[str]] = {}
        for source, found in index.entities.items():
            text = index.documents[source].text
            for a, b, kind in found:
                for w in re.findall(r"[A-Z][\w'’]{2,}", text[a:b]):
                    kinds.setdefault(w, set()).add(kind)
        words = frozenset(w for w, seen in kinds.items()
                          if seen & _NAME_TYPES and "NORP" not in seen and not w.isupper())
        index.derived["name_words"] = words
    return words


_OPENER = re.compile(r"\s*([A-Z][\w'’-]*)\s+(\w+)")


def _sentence_case_opener(question: str) -> int | None:
    """Where the question's first word is when its capital is only sentence case: a word
    right before a wh-word ("Roughly how much", "About when") modifies the question, which a
    name there could not ("Samsung how much" is no English). None otherwise."""
    m = _OPENER.match(question)
    return m.start(1) if m is not None and m.group(2).lower() in WH_WORDS else None


def _cited_words(index: Index) -> frozenset[str]:
    """Words of the documents' titles, authors and publishers (a question may name the
    publisher a text never repeats), once per index."""
    words = index.derived.get("cited_words")
    if words is None:
        words = frozenset(t for d in index.documents.values()
                          for field in (d.title, d.author, d.publisher) if field
                          for t in index.tokenize(field))
        index.derived["cited_words"] = words
    return words


# What will happen, as a question asks it ("When will ...?", "next year's festival") and as a
# sentence says it ("will take place", "is due to open", "plans to").
FUTURE = re.compile(r"\b(?:will|shall|going to|(?:is|are) (?:due|set|scheduled|expected|planned)"
                     r" to|plans? to|next (?:year|month|week|season|summer|spring|autumn|winter)|"
                     # "we expect the analyser to ship in ...", "it aims to open by ..."; not
                     # "the aim of the team was to", "hopes of a deal faded"
                     r"(?<!\bthe )(?:expects?|anticipates?|aims?|hopes?|intends?)"
                     r" (?:(?!(?:of|was|were|had|been)\b)[\w-]+ ){0,4}?to|"
                     r"upcoming|(?<!was )(?<!were )(?:supposed|meant) to|intends?)\b|'ll\b",
                     re.IGNORECASE)


def dated_before(text: str, spans: Sequence[Span], written: str | None) -> bool:
    """Every date of `spans` (in `text`) ends before the day its document was `written` (an
    ISO date, or its year), or is that day as a dateline or a "Published:" field gives it:
    such a sentence tells what came before, never when something will happen. A date without
    a year ("next spring") may lie ahead. The document's own day written any other way is not
    taken for past: a short notice without a dateline is dated by the first date it writes,
    which may be the very event a question asks about."""
    if not written or not re.match(r"\d{4}", written):
        return False
    written = (written + "-01-01")[:10] if len(written) < 10 else written[:10]
    dated = [s for s in spans if s.kind is Kind.DATE]
    return bool(dated) and all(
        (end := _last_day(s.text)) is not None
        and (end < written or end == written and _writing_day(text, s)) for s in dated)


# "Breda, 24 October 2024 — ...", "Published: 2024-10-24": the day a text was written.
_DATELINE_AFTER = re.compile(r"\s*[—–-]\s")
_FIELD_BEFORE = re.compile(r"(?:^|\n)(?:[A-Z][\w ]{0,30}:|[A-Z][\w .'-]{0,40},)\s*$")


def _writing_day(text: str, span: Span) -> bool:
    """`span` is written as the day its text was written: a dateline's or a field's date."""
    return (_DATELINE_AFTER.match(text, span.end) is not None
            or _FIELD_BEFORE.search(text, max(0, span.start - 45), span.start) is not None)


def _last_day(text: str) -> str | None:
    """The last day a date's words can mean, as an ISO date: "2023" -> "2023-12-31", "24
    October 2024" -> "2024-10-24"; None without a year."""
    iso = re.search(r"\b\d{4}-\d\d-\d\d\b", text)
    if iso:
        return iso.group()
    years = re.findall(r"\b\d{4}\b", text)
    if not years:
        return None
    month = next((n for w in re.findall(r"[A-Za-z]+", text) if (n := month_number(w))), 0)
    if not month:
        return f"{max(years)}-12-31"
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", text)
    return f"{max(years)}-{month:02d}-{int(day.group(1)) if day else 31:02d}"


# A year after one of these bounds the answer ("after 1990", "around 1800"), it is not the
# answer's year.
_BOUND = re.compile(r"\b(?:before|after|since|until|till|by|from|to|between|than|and|prior to|"
                    r"as of|through|around|about|circa|c\.|approximately|roughly)\s+(?:the\s+)?"
                    r"(?:end\s+of\s+|early\s+|late\s+|mid-?\s?)?$", re.IGNORECASE)


# "July to September 2022" is a time in 2022, not a bound of it.
_MONTH_RANGE = re.compile(rf"\b(?:{MONTHS_PATTERN})\s+(?:to|and|through|until|-|–)\s+$",
                          re.IGNORECASE)


def asked_years(question: str) -> frozenset[str]:
    """The years a question asks about ("How many passengers in 2022?"); not a year that only
    bounds it ("since 1990", "between 1990 and 1995") nor one it compares with ("lower than
    it had been in 1986")."""
    return frozenset(
        # "the third quarter of 2023", "the end of 2025": a year's part asks about the year
        y for span in dates(question) if span.unit in ("year", "date", "month", "relative")
        for y in re.findall(r"\d{4}", span.text)
        if (not _BOUND.search(question, 0, span.start)
            or _MONTH_RANGE.search(question, 0, span.start))
        and not _THAN_YEAR.search(question, max(0, span.start - 30), span.start))


# A year written as a name's part, after a determiner or a possessive: "the club's 2024
# accounts", "the 2019 election", "its 2023 report"
_YEAR_NAMING = re.compile(
    r"(?:\b(?:the|its|their|our|his|her|this|that)|['’]s)\s+(\d{4})\s+(?=[a-z])", re.IGNORECASE)


def naming_years(question: str) -> frozenset[str]:
    """The years a question writes as part of what it names ("Who examined the club's 2024
    accounts?")."""
    return frozenset(m.group(1) for m in _YEAR_NAMING.finditer(question))


def dated_after(text: str, years: frozenset[str]) -> bool:
    """Every year `text` (a sentence) writes of its own is in a full date after `years`:
    what was done to a year's thing later ("The accounts were examined ... on 28 January
    2025" for "the club's 2024 accounts"), not the thing of another year ("the 2023 race",
    a race run in 2023)."""
    own = [span for span in dates(text) if _own_year(text, span)]
    return bool(own) and all(
        span.unit == "date" and all(y > max(years) for y in re.findall(r"\d{4}", span.text))
        for span in own)


# A year after these is another figure's ("48,310 visits, up from 41,775 in 2022"), or starts
# a time that runs to the sentence's own ("director since 2019"). "By 1968 the line carried
# 96,000" still dates its figure.
_COMPARED_BEFORE = re.compile(r"\b(?:up from|down from|compared (?:with|to)|than|against|versus)"
                              r"\b[^.;:]{0,40}$|\bsince\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)


# The year a comparison is made with, right before it: "9% more than in 2022", "than the 2005
# drought", "lower than it had been in 1986" (not "more than 30 points in 2019", where the
# year is the figure's own)
_THAN_YEAR = re.compile(
    r"\b(?:than|up from|down from|compared (?:with|to))\s+"
    r"(?:(?:it|they|he|she|this|that|there|had|has|have|been|was|were|did|is|are)\s+){0,3}"
    r"(?:(?:in|at|during)\s+)?(?:the\s+)?(?:end\s+of\s+)?$", re.IGNORECASE)


def other_years(text: str, years: frozenset[str], title: str = "") -> bool:
    """`text` (a sentence with its context) is about other years than the question's: it
    writes a year, and none of them. "In 2019 the trains carried 38,500 passengers" does not
    answer "How many passengers in 2022?". A year a time starts from ("since 2019") or of a
    figure compared with ("up from 41,775 in 2022") is not the sentence's; a sentence
    that writes no year of its own is about its document's `title` year, if it has one ("Annual
    Report 2023")."""
    for part in (text, title):
        if any(not _THAN_YEAR.search(part, max(0, m.start() - 30), m.start())
               for y in years for m in re.finditer(rf"(?<![\d.,]){y}(?![\d]|[.,]\d)", part)):
            return False  # written, if only as "the 1854 outbreak", which is no date span;
            # "9% more than in 2022" gives no figure of 2022
        if any(_own_year(part, span) for span in dates(part)):
            return True
    return False


_CENTURY_NUMBER = re.compile(
    r"(?<![\w-])(\d{1,2})(?:st|nd|rd|th)\b|(?<![\w-])("
    + ORDINAL_WORDS + r")(?![\w-])")


def asked_eras(question: str) -> tuple[tuple[int, int], ...]:
    """The centuries and decades a question asks about, as first and last years: "in the
    early fifteenth century" (1400, 1499), "the 1530s" (1530, 1539), "the 1800s" (1800,
    1899); not one BC, nor one that only bounds it ("before the 12th century")."""
    eras = []
    for span in dates(question):
        if span.unit not in ("century", "decade") or _BOUND.search(question, 0, span.start):
            continue
        low = span.text.lower()
        if re.search(r"\bbc|\bbce", low):
            continue
        if span.unit == "decade":
            if m := re.search(r"\b(\d\d)00s\b", low):  # "the 1800s": a century
                eras.append((int(m.group(1)) * 100, int(m.group(1)) * 100 + 99))
            elif m := re.search(r"\b(\d{3})0s\b", low):
                eras.append((int(m.group(1)) * 10, int(m.group(1)) * 10 + 9))
            continue
        if m := _CENTURY_NUMBER.search(low):
            n = int(m.group(1)) if m.group(1) else ORDINAL_NUMBERS[m.group(2)]
            eras.append((100 * (n - 1), 100 * n - 1))
    return tuple(eras)


def other_era(text: str, eras: Sequence[tuple[int, int]]) -> bool:
    """`text` (a sentence with its context) is about another time than the question's
    centuries or decades: it writes a year of its own and none of them falls in one, nor
    does it name a century or decade ("In 1147 the count granted ..." does not answer "Who
    governed in the fifteenth century?")."""
    own = []
    for span in dates(text):
        if span.unit in ("century", "decade"):
            return False
        if _own_year(text, span):
            own += [int(y) for y in re.findall(r"\d{4}", span.text)]
    return bool(own) and not any(lo <= y <= hi for y in own for lo, hi in eras)


def _own_year(text: str, span: Span) -> bool:
    """`span` is a year of the sentence itself, not a compared figure's nor a start."""
    window = max(0, span.start - 60)  # bounded look-back, however long the line
    return re.search(r"\d{4}", span.text) is not None and not _COMPARED_BEFORE.search(
        text, window, span.start)


# The two ends of a life a biography dates: "When did she die?" is not answered by "She was
# born in Bilbao in 1879", nor "Where was he born?" by the town he died in; nor "When was the
# guild dissolved?" by the year it was founded. Lower case only, so a name ("the Black Death",
# "Death Valley") asks about neither; a sentence's first word is read in lower case.
_FIRST_RECORDED = r"first (?:recorded|mentioned|documented|attested)"  # a body's start
_LIFE_EVENTS = {
    "birth": re.compile(r"\b(?:born|birth|birthplace|birthday)\b"),
    "death": re.compile(r"\b(?:die|died|dies|dying|death|passed away)\b"),
    "founding": re.compile(r"\b(?:founded|founding|foundation|established|establishment|"
                           rf"formed|set up|incorporated|{_FIRST_RECORDED})\b"),
    "ending": re.compile(r"\b(?:dissolved|dissolution|disbanded|abolished|abolition|"
                         r"wound up|closed|shut down|defunct|ceased)\b"),
}
_OTHER_END = {"birth": "death", "death": "birth", "founding": "ending", "ending": "founding"}
# A biography's sentence that tells a birth is about its subject's; "founded" is said of many
# bodies ("he founded a Latin school"), so a body's end only rules the other end out.
TOLD_FIRST = frozenset({"birth", "death"})


# A question asks about a death by its verb: the noun is as often a name or a rate written in
# lower case ("the black death", "the death toll").
_ASKED_EVENTS = {
    "birth": _LIFE_EVENTS["birth"],
    "death": re.compile(r"\b(?:die|died|dies|dying|passed away)\b"),
    "founding": re.compile(rf"\b(?:founded|established|formed|set up|incorporated|"
                           rf"{_FIRST_RECORDED})\b"),
    "ending": re.compile(r"\b(?:dissolved?|disband(?:ed)?|abolish(?:ed)?|(?:wind|wound) up|"
                         r"close(?:d)?(?: down)?|shut down|cease(?:d)?)\b"),
}


def life_event(question: str) -> str | None:
    """The end of a life ("birth", "death") or of a body ("founding", "ending") the question
    asks about, when it asks about one only; else None."""
    asked = [event for event, words in _ASKED_EVENTS.items() if words.search(question)]
    if set(asked) & TOLD_FIRST:  # "When did the man who founded the firm die?": his death
        asked = [event for event in asked if event in TOLD_FIRST]
    return asked[0] if len(asked) == 1 else None


def tells_event(text: str, a: int, b: int, event: str) -> bool:
    """text[a:b] says the `event` ("She died in Buenos Aires on ...")."""
    return _LIFE_EVENTS[event].search(text[a:b][:1].lower() + text[a + 1:b]) is not None


def other_event(text: str, a: int, b: int, event: str) -> bool:
    """text[a:b] tells the other end than `event` and not `event` itself."""
    return tells_event(text, a, b, _OTHER_END[event]) and not tells_event(text, a, b, event)


# An identifier the question names: a sample, a part, a model, a course ("CH-24-04", "KAF-320",
# "3.2L", "ENVS 3140"). Ordinals and decades ("17th", "1990s") are no identifiers.
_CODE_WORD = re.compile(r"[\w.-]+")
# "ENVS 3140", not "NATO 2024" (a model's name and number, "Brewmaster 2200": asked_models)
_CODE_PAIR = re.compile(r"\b[A-Z]{2,}\s(?!(?:1\d|20)\d\d\b)\d+\b")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s)", re.IGNORECASE)
# A class, group or part named by a Roman numeral or a letter: "Group II", "Annex C", "Type
# IV" ("Group II" is not "Group III"). Not "I" nor "A", which are words.
# Not "Richard G." (an initial); "Group II's" is Group II.
_DESIGNATION = re.compile(r"\b[A-Z][a-z]+\s(?:[IVX]{2,5}|[B-HJ-Z])\b(?!\.|['’](?!s\b))")


def asked_codes(index: Index, question: str) -> tuple[re.Pattern[str], ...]:
    """Patterns of the identifiers a question names: when any candidate sentence (with the
    context it is read with) writes them all, only such sentences answer, since the porosity
    of sample CH-24-03 is not that of CH-24-04. A preference, not a filter: "Q3", "CO2" and
    "COVID-19" are written in words too ("the third quarter"). An identifier that starts with
    a letter and holds a digit counts always; one that starts with a digit ("3.2L", "10km")
    only when the corpus writes it so, since "10 km" is the same thing."""
    codes = [m.group() for m in _CODE_PAIR.finditer(question)
             if not is_currency(question, m.start(), m.start() + m.group().index(" "))]
    codes += [m.group() for m in _DESIGNATION.finditer(question)]
    codes += [f"{name} {number}" for name, number in asked_models(question)
              if not name.endswith("-")]
    for m in _CODE_WORD.finditer(question):
        word = m.group().strip(".-_")
        if (not any(c.isdigit() for c in word) or not any(c.isalpha() for c in word)
                or _ORDINAL.fullmatch(word)):
            continue
        if word[0].isdigit():
            tokens = index.tokenize(word)
            if len(tokens) != 1 or index.bm25.rarity(tokens[0]) is None:
                continue
        elif not any(c.isupper() for c in word):
            continue  # "mid-1990s", "x86": lower case words, not a name's code
        codes.append(word)
    return tuple(re.compile(r"(?<![\w.-])" + _code_forms(c) + r"(?![\w-]|\.\d)", re.IGNORECASE)
                 for c in dict.fromkeys(codes))


_QUARTER = re.compile(r"Q([1-4])", re.IGNORECASE)
_QUARTER_WORDS = ("first", "second", "third", "fourth")


def _code_forms(code: str) -> str:
    """The ways a text writes an identifier: as itself, and a quarter in words too ("Q4" is
    "the fourth quarter", "fourth-quarter")."""
    written = r"\s+".join(map(re.escape, code.split()))
    quarter = _QUARTER.fullmatch(code)
    if quarter is None:
        return written
    n = int(quarter.group(1))
    return rf"(?:{written}|{_QUARTER_WORDS[n - 1]}[\s-]+quarter|quarter\s+{n})"


def _written_quarter(index: Index, word: str) -> bool:
    """`word` is a quarter ("Q2") that some document writes in one of its forms ("Quarter 2",
    "the second quarter"), looked for once per index."""
    if _QUARTER.fullmatch(word) is None:
        return False
    found = index.derived.setdefault("written_quarters", {})
    key = word.upper()
    if key not in found:
        pattern = re.compile(rf"(?<![\w.-]){_code_forms(key)}(?![\w-])", re.IGNORECASE)
        found[key] = any(pattern.search(doc.text) for doc in index.documents.values())
    return found[key]


# A model's name and number in a question: "the Brewmaster 2200", "a Boeing 737", a course's
# "HIST 3120" (three digits or more, not a year: "May 2024", "June 12" are dates; not a
# currency's "NOK 450"); not at the question's start ("About 300 people ..."), nor a word of
# degree
_MODEL = re.compile(r"(?<=\S )([A-Z][a-z]+(?:[A-Z][a-z]+)*|[A-Z]{2,6})\s"
                    r"((?!(?:1\d|20)\d\d\b)\d{3,})\b")
_NO_MODEL = frozenset({"About", "Over", "Around", "Under", "Nearly", "Almost", "Some", "Only",
                       "Exactly", "Approximately", "Roughly", "Just", "Page", "Pages"})


# An age band, hyphenated as a modifier: "the under-11 subscription", "over-65s", "U11";
# not "in under 5 minutes"
_BAND = re.compile(r"(?<![\w-])((?i:under|over)-|U-?)(\d{1,2})s?\b")


def asked_models(question: str) -> tuple[tuple[str, str], ...]:
    """The models and age bands a question names, as (name, number): ("Brewmaster", "2200"),
    ("under-", "11")."""
    return (tuple((m.group(1), m.group(2)) for m in _MODEL.finditer(question)
                  if m.group(1) not in _NO_MODEL and not is_currency(question, *m.span(1)))
            + tuple((m.group(1).lower().rstrip("-") + "-", m.group(2))
                    for m in _BAND.finditer(question)))


def other_model(text: str, models: Sequence[tuple[str, str]]) -> bool:
    """`text` (a sentence with its context) is about another model or age band than the
    question's: it writes the model's name with another number and not the one asked (the
    "Brewmaster 2000" column prices no Brewmaster 2200), or does not write the band asked
    (neither the "under-16" line nor the seniors' gives the under-11 fee)."""
    for name, number in models:
        if name.endswith("-"):  # a band: "under-16", "U16", "U-16"
            written = re.compile(
                rf"(?<![\w-])(?:{re.escape(name)}|U-?)(\d{{1,2}})s?\b" if name == "u-"
                else rf"(?<![\w-]){re.escape(name)}(\d{{1,2}})s?\b", re.IGNORECASE)
        elif re.search(rf"(?<![\w.,]){number}s?\b", text):
            continue  # "its Boeing 747s and 737s": the number asked, written alone
        else:  # the name in its own case ("About 20" is no model "about")
            written = re.compile(rf"(?<![\w-])(?:{re.escape(name)}|{re.escape(name.upper())})"
                                 r"\s(\d{2,})[A-Za-z]*\b")
        numbers = {m.group(1) for m in written.finditer(text)}
        # a band the text does not write is another's ("Senior member: £180" for the
        # under-11 fee); a model only where the text names another of its numbers
        if number not in numbers and (numbers or name.endswith("-")):
            return True
    return False


def writes_codes(text: str, codes: Sequence[re.Pattern[str]]) -> bool:
    """`text` (a sentence with its context) writes every one of the question's identifiers."""
    return all(code.search(text) for code in codes)
