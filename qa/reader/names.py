"""Name-like spans: organizations (from a small table), people, lists and places.

- names: runs of capitalized words, split after titles ("CEO Mark Zuckerberg"), joined into
  lists ("OpenAI, SoftBank and Oracle"), and told apart as person or organization with what
  the document itself shows about each word (`lexicon`);
- places: countries and regions from a short list, and capitalized words after "in"/"at"
  or before "-based" ("in Houston", "Hangzhou-based").

`ORGANIZATIONS` is the small table of organizations the seed corpus is about, and `ALIASES`
maps well-known other names of the same companies (a parent's products, old names) onto it.
Both are used to check that an answer is about the organization a question asks about, and
to say whose a figure is. Extend them when the corpus grows; everything else is general.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.reader.spans import MONTH, WEEKDAY, Kind, Span

__all__ = [
    "ALIASES", "ORGANIZATIONS", "TITLES", "Lexicon", "Title", "canonical", "is_country", "lexicon",
    "names", "organizations", "places",
]

# --- titles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    """A title written in front of a name ("CEO", "Senator", "Dr"): see data/titles.json."""

    asks_for_a_person: bool  # "which <title> ..." asks for a person
    held_as: tuple[str, ...]  # an office: the word beginnings a text states it with


def _load_titles(path: Path) -> dict[str, Title]:
    entries = json.loads(path.read_text("utf-8"))["titles"]
    return {word: Title(entry.get("asks_for_a_person", True), tuple(entry.get("held_as", ())))
            for word, entry in entries.items()}


# The one list of titles: names are cut after them, questions ask for their holders.
TITLES: dict[str, Title] = _load_titles(Path(__file__).with_name("data") / "titles.json")


# --- organizations ----------------------------------------------------------------------------

# canonical name -> the ways the corpus writes it (longest first matters only for display)
ORGANIZATIONS: dict[str, tuple[str, ...]] = {
    "Meta": ("Meta Platforms", "Meta"), "Microsoft": ("Microsoft",),
    "Google": ("Google DeepMind", "Google", "Alphabet"), "Apple": ("Apple",),
    "Amazon": ("Amazon",), "Anthropic": ("Anthropic",), "OpenAI": ("OpenAI",),
    "SoftBank": ("SoftBank Group", "SoftBank", "Softbank"), "Oracle": ("Oracle",),
    "Nvidia": ("Nvidia", "NVIDIA"), "xAI": ("xAI",), "Tesla": ("Tesla",), "MGX": ("MGX",),
    "BlackRock": ("BlackRock",), "Ampere Computing": ("Ampere Computing",), "Wiz": ("Wiz",),
    "Motorola Mobility": ("Motorola Mobility",), "Kairos Power": ("Kairos Power",),
    "Lightspeed Venture Partners": ("Lightspeed Venture Partners",),
    "Menlo Ventures": ("Menlo Ventures",), "Salesforce": ("Salesforce",),
    "DeepSeek": ("DeepSeek",), "Alibaba": ("Alibaba Cloud", "Alibaba"), "Baidu": ("Baidu",),
    "Manus AI": ("Manus AI",), "Broadcom": ("Broadcom",), "ASML": ("ASML",),
    "Huawei": ("Huawei",), "Bridgewater": ("Bridgewater",), "Goldman Sachs": ("Goldman Sachs",),
    "Stargate": ("Project Stargate", "Stargate Project", "Stargate"), "InvestAI": ("InvestAI",),
    "AI Infrastructure Partnership": ("AI Infrastructure partnership",
                                      "AI Infrastructure Partnership"),
    "Magnificent Seven": ("Magnificent Seven", "seven largest companies"),
    "Nasdaq": ("Nasdaq", "NASDAQ"), "Wall Street": ("Wall Street",),
    "S&P 500": ("S&P 500",), "EU": ("European Union", "EU Commission", "European Commission",
                                    "EU"),
    "US": ("United States", "U.S.", "US", "USA", "Washington"), "China": ("China",),
    "Japan": ("Japan",),
}
# Other names of the same companies: what a reader may call them in a question.
ALIASES: dict[str, str] = {
    "Facebook": "Meta", "Instagram": "Meta", "WhatsApp": "Meta", "YouTube": "Google",
    "DeepMind": "Google", "iPhone": "Apple", "AWS": "Amazon", "Azure": "Microsoft",
    "ChatGPT": "OpenAI",
}
_ORG_FORMS = sorted(((form, name) for name, forms in ORGANIZATIONS.items() for form in forms),
                    key=lambda pair: -len(pair[0]))
_ORG_FORMS += sorted(ALIASES.items(), key=lambda pair: -len(pair[0]))
_ORG_RE = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(f) for f, _ in _ORG_FORMS)
                     + r")(?![\w]|\.\w)")
_ORG_BY_FORM = dict(_ORG_FORMS)
_CANONICAL = {form.lower(): name for form, name in _ORG_BY_FORM.items()}


def organizations(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Mentions of known organizations; `text` of each span is the canonical name."""
    end = len(text) if end is None else end
    return [Span(Kind.ORG, m.start(), m.end(), _ORG_BY_FORM[m.group()])
            for m in _ORG_RE.finditer(text, start, end)]


def canonical(name: str) -> str:
    """The table's name for an organization however it is written ("facebook", "Alphabet");
    a name the table does not hold, as it is (stripped)."""
    return _CANONICAL.get(name.strip().lower(), name.strip())


def is_country(name: str) -> bool:
    """A country or union of them ("US", "China", "EU"), as `places` tells them apart."""
    return name.lower() in _COUNTRIES


# --- names: people and organizations ----------------------------------------------------------

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s[A-Z])|[\w][\w’'&.-]*[\w&]|\w")
_PARTICLES = frozenset({"von", "van", "der", "de", "da", "di", "la", "le", "bin", "al"})
_ORG_WORDS = frozenset({
    "inc", "corp", "corporation", "ltd", "llc", "group", "partners", "ventures", "capital",
    "power", "computing", "cloud", "platforms", "mobility", "bank", "fund", "times", "news",
    "journal", "post", "commission", "committee", "congress", "party", "office", "council",
    "union", "agency", "institute", "university", "foundation", "labs", "technologies",
    "systems", "holdings", "summit", "act", "prize", "index", "exchange", "street", "house",
    "valley", "ai", "nations", "ministry", "department", "federal", "reserve", "board",
    "association", "society", "company", "motors", "semiconductor", "electric", "energy",
    "intelligence", "undertaking", "program", "project", "plan", "tool", "ranking", "bubble",
})
_MONTHS_AND_DAYS = frozenset(w.lower() for w in f"{MONTH}|{WEEKDAY}".split("|"))
_COUNTRIES = frozenset({
    "us", "u.s.", "usa", "united states", "america", "china", "japan", "europe", "eu", "uk",
    "u.k.", "britain", "germany", "france", "italy", "spain", "asia", "africa", "taiwan",
    "india", "russia", "korea", "south korea", "canada", "uae", "united arab emirates",
    "netherlands", "european union", "finland", "greece", "luxembourg", "sweden", "poland",
    "slovenia", "austria", "bulgaria",
})
_GENERIC = frozenset({  # capitalized, but not names
    "ai", "a.i.", "agi", "gpu", "gpus", "llm", "llms", "ipo", "ipos", "i.p.o.", "vcs", "vc",
    "ip", "tv", "fy", "gpt", "ceo", "ceos", "pm", "am", "ok",
})
_DEMONYMS = frozenset({
    "american", "chinese", "european", "japanese", "british", "french", "german", "dutch",
    "western", "eastern", "korean", "indian", "russian", "italian", "spanish",
})
_STOP = frozenset({
    "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "of", "for", "to", "by",
    "as", "with", "from", "it", "its", "this", "that", "these", "those", "he", "she", "they",
    "we", "i", "you", "his", "her", "their", "our", "my", "there", "what", "who", "which",
    "when", "where", "why", "how", "is", "was", "are", "were", "be", "not", "no", "yes", "so",
    "yet", "still", "also", "then", "thus", "however", "meanwhile", "update", "according",
    "throughout", "given", "while", "despite", "among", "although", "though", "after",
    "before", "during", "within", "without", "beyond", "between", "since", "until", "unless",
    "whether", "once", "amid", "because",
})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What a document says about its own words: which it writes in lower case, and which it
    capitalizes in the middle of a sentence (names, not just sentence openers)."""

    lower: frozenset[str]
    capitalized: frozenset[str]


# A domain is looked for only from the start of a word: tried from every character, a long
# word without one was scanned to its end from each of them (quadratic in the word). So in
# "@user.example.com" only "@user" goes now, where the rest of the word went too.
_NOT_PROSE = re.compile(r"https?://\S+|@\w+|(?<!\S)\S+?\.(?:com|org|net)\b\S*")


@functools.lru_cache(maxsize=256)
def lexicon(text: str) -> Lexicon:
    text = _NOT_PROSE.sub(" ", text)  # "nobelprize.org/.../hinton/speech" is not prose
    lower = frozenset(re.findall(r"\b[a-z][a-z’'-]+\b", text))
    mid = frozenset(m.group(1) for m in re.finditer(r"[\w,;)] ([A-Z][\w’'&-]*\w)", text))
    return Lexicon(lower, mid)


def _is_cap(token: str) -> bool:
    if token[0].isupper():
        return True
    return token[0].islower() and any(c.isupper() for c in token[1:3])  # "xAI", "iPhone"


def _runs(text: str, start: int, end: int) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of capitalized tokens joined by single spaces (and name particles)."""
    run: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text, start, end):
        a, b, tok = m.start(), m.end(), m.group()
        for suffix in ("’s", "'s"):
            if tok.endswith(suffix) and len(tok) > 2:
                b, tok = b - 2, tok[:-2]
        joined = bool(run) and text[run[-1][1]:a] == " "
        if re.search(r"-[a-z]+$", tok):
            tok = ""  # "AI-driven", "Hangzhou-based": an adjective, not a name
        if tok and _is_cap(tok) and not tok.isdigit() and tok.lower() not in _MONTHS_AND_DAYS:
            if not joined and run:
                yield run
                run = []
            run.append((a, b, tok))
        elif tok in _PARTICLES and joined:
            run.append((a, b, tok))
        else:
            if run:
                yield run
            run = []
        if b < m.end() and run:  # a possessive ends the name
            yield run
            run = []
    if run:
        yield run


def names(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """People (Kind.PERSON) and organizations (Kind.ORG), including lists of organizations.

    A capitalized word opening a sentence is a name only if the document also capitalizes it
    mid-sentence ("Amazon", not "Led" or "Paraphrasing"); titles are cut off ("CEO Mark
    Zuckerberg"); a run is a person when it has two to four name-like words that the document
    never writes in lower case. A single unknown capitalized word is an ORG marked "single"
    (a company or a surname: the caller decides how much to trust it).
    """
    end = len(text) if end is None else end
    lex = lexicon(text)
    known = organizations(text, start, end)
    known_starts = [k.start for k in known]
    spans: list[Span] = []
    for run in _runs(text, start, end):
        article = False
        while run and run[-1][2] in _PARTICLES:
            run = run[:-1]
        while run and (run[0][2].lower() in _STOP or run[0][2].lower() in _GENERIC
                       or (_opens_sentence(text, start, run[0][0])
                           and _ordinary_opener(run[0][2], len(run), lex))):
            article = article or run[0][2] == "The"
            run = run[1:]
        titles = [i for i, t in enumerate(run) if t[2].lower() in TITLES]
        if titles and titles[-1] < len(run) - 1:
            run = run[titles[-1] + 1:]  # "Commission President Ursula von der Leyen"
        elif titles:
            continue
        if not run or (len(run) == 1 and run[0][2].lower() in _GENERIC):
            continue
        a, b = run[0][0], run[-1][1]
        whole = _holding(known, known_starts, a, b)
        if whole is not None:  # "S&P 500": a known name is whole even where the run stops
            if not spans or spans[-1].start != whole.start:
                spans.append(Span(Kind.ORG, whole.start, whole.end, text[whole.start:whole.end]))
            continue
        kind, unit = _name_kind([t[2] for t in run], text[a:b], lex, article)
        if kind is not None:
            spans.append(Span(kind, a, b, text[a:b], unit))
    return _join_lists(text, spans)


def _holding(known: list[Span], starts: list[int], a: int, b: int) -> Span | None:
    """The known name that holds `text[a:b]` and more. Known names do not overlap, so only the
    last one starting at or before `a` can: a binary search, not a scan per run."""
    i = bisect.bisect_right(starts, a) - 1
    if i >= 0 and b <= known[i].end and known[i].end - known[i].start > b - a:
        return known[i]
    return None


def _ordinary_opener(word: str, run_length: int, lex: Lexicon) -> bool:
    """A sentence's capitalized first word that is an ordinary word ("Led", "Paraphrasing")."""
    if word in _ORG_BY_FORM:
        return False
    if word.lower() in lex.lower or re.search(r"(?:ing|ly|ed)$", word):
        return True
    return run_length == 1 and word not in lex.capitalized


_OPENERS = frozenset(" “\"‘'(•–-")


def _opens_sentence(text: str, start: int, pos: int) -> bool:
    # Steps back over the opening marks only: stripping a copy of everything since `start`
    # cost each capitalized word the length of the text before it.
    while pos > start and text[pos - 1] in _OPENERS:
        pos -= 1
    return pos == start or text[pos - 1] in ".!?:\n"


def _name_kind(words: list[str], surface: str, lex: Lexicon,
               article: bool) -> tuple[Kind | None, str | None]:
    lower = [w.lower() for w in words]
    if surface.lower() in _COUNTRIES:
        return None, None  # a place, see `places`
    if surface in _ORG_BY_FORM or any(w in _ORG_WORDS for w in lower[1:]):
        return Kind.ORG, None
    if len(words) == 1:
        word = words[0]
        return (Kind.ORG, "single") if word.lower() not in lex.lower else (None, None)
    person_like = all(
        (w[0].isupper() and not w.isupper() and w.lower() not in lex.lower
         and w[1:].replace("’", "").replace("'", "").isalpha())
        or w in _PARTICLES or re.fullmatch(r"[A-Z]\.", w)
        for w in words)
    if person_like and not article and len(words) <= 4:
        return Kind.PERSON, None
    return Kind.ORG, None


def _join_lists(text: str, spans: list[Span]) -> list[Span]:
    """"OpenAI, SoftBank and Oracle": organizations joined by commas and "and" are one span."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        gap = text[prev.end:span.start] if prev else ""
        if (prev and prev.kind is Kind.ORG and span.kind is Kind.ORG
                and "single" not in {prev.unit} & {span.unit}
                and re.fullmatch(r",\s?|\s?,?\s?and\s|\s?&\s", gap)):
            out[-1] = Span(Kind.ORG, prev.start, span.end, text[prev.start:span.end], "list")
        else:
            out.append(span)
    return out


# --- places ---------------------------------------------------------------------------------

_PLACE_CONTEXT = re.compile(
    r"(?:\b(?:in|at|near|from|outside)\s(?:the\s)?)([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b"
    r"|\b([A-Z][a-z]+)-based\b"
)


def places(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Countries and regions from a list; other places from "in X" and "X-based"."""
    end = len(text) if end is None else end
    common = lexicon(text).lower
    found: list[Span] = []
    for m in _PLACE_CONTEXT.finditer(text, start, end):
        group = 1 if m.group(1) else 2
        a, b = m.span(group)
        word = m.group(group)
        first = word.split()[0].lower()
        if (word in _ORG_BY_FORM or first in common or first in _MONTHS_AND_DAYS
                or first in _STOP or word.lower() in _COUNTRIES or first in TITLES
                or first in _DEMONYMS or any(w.lower() in _ORG_WORDS for w in word.split())):
            continue
        found.append(Span(Kind.PLACE, a, b, word, "city"))
    cities = [s.start for s in found]  # they do not overlap: see `_holding`
    for m in re.finditer(r"\b[A-Z][\w.]*(?:\s[A-Z][a-z]+)*", text[start:end]):
        surface = m.group().rstrip(".") if m.group().count(".") < 2 else m.group()
        if surface.lower() in _COUNTRIES:
            a = start + m.start()
            i = bisect.bisect_left(cities, a + len(surface)) - 1
            if i < 0 or found[i].end <= a:
                found.append(Span(Kind.PLACE, a, a + len(surface), surface, "country"))
    return sorted(found, key=lambda s: s.start)
