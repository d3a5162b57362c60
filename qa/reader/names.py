"""Name-like spans: organizations (from a small table), people, lists and places.

- names: runs of capitalized words, split after titles ("CEO Dana Whitlock"), joined into
  lists ("Norvale, Harrowgate and Velcor"), and told apart as person or organization with what
  the document itself shows about each word (`lexicon`);
- places: countries and regions from a short list, and capitalized words after "in"/"at"
  or before "-based" ("in Houston", "Hangzhou-based").

Which names are organizations comes from the corpus: `KnownNames` holds what the entity
finder (spaCy, at build time) marked as organizations, countries and cities in the indexed
documents. It is used to check that an answer is about the organization a question asks
about, and to say whose a figure is. No name of any corpus is written here.
"""

from __future__ import annotations

import bisect
import collections
import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qa.backends.analyzers import porter2
from qa.language import CONTINUING, TITLE_ABBREVIATIONS, WEEKDAYS
from qa.reader.spans import MONTH, WEEKDAY, Kind, Span
from qa.store.index import Index

__all__ = [
    "ACTOR_TYPES", "CODE_PATTERN", "COUNTRIES", "EMPTY", "KIN", "MONEY_DATA", "TITLES",
    "TITLE_ALIASES",
    "KnownNames", "Lexicon", "Title", "address_after", "canonical", "introduced_as",
    "is_code", "is_country",
    "is_currency", "known_names", "lexicon", "names", "organizations", "places",
]

# --- titles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    """A title written in front of a name ("CEO", "Senator", "Dr"): see data/titles.json."""

    asks_for_a_person: bool  # "which <title> ..." asks for a person
    held_as: tuple[str, ...]  # an office: the word beginnings a text states it with


_TITLE_DATA = json.loads((Path(__file__).with_name("data") / "titles.json").read_text("utf-8"))
# The one list of titles: names are cut after them, questions ask for their holders.
TITLES: dict[str, Title] = {
    word: Title(entry.get("asks_for_a_person", True), tuple(entry.get("held_as", ())))
    for word, entry in _TITLE_DATA["titles"].items()}
# Words a question names an office by, to the title they mean ("boss": "ceo")
TITLE_ALIASES: dict[str, str] = _TITLE_DATA["aliases"]


# --- organizations: the ones the corpus names ---------------------------------------------

# Entity types that act in a text the way an organization does: companies, agencies, funds
# and indexes (ORG), and countries or cities that spend, invest or rank (GPE).
ACTOR_TYPES = frozenset({"ORG", "GPE"})
_FORM_TOKEN = re.compile(r"[\w&$][\w&$.’'-]*")
_POSSESSIVE = ("'s", "’s")
_LAST_OFF = ("'", "’", ".")  # a closing quote or full stop is left off too
MAX_FORM_WORDS = 6
_ENDINGS = frozenset("s" + "".join(_LAST_OFF))  # the last characters either cut may take


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Words of `text[start:end]` as a name is written: possessives and a closing full stop
    left off ("Acme's" -> "Acme"), dotted abbreviations kept ("U.S.")."""
    out = []
    for m in _FORM_TOKEN.finditer(text, start, end):
        word, b = m.group(), m.end()
        if word[-1] in _ENDINGS:  # one test for most words: this runs for every word read
            if word.endswith(_POSSESSIVE):
                word, b = word[:-2], b - 2
            elif word[-1] != "s" and (word.count(".") < 2 or not word.endswith(".")):
                word, b = word[:-1], b - 1
        out.append((m.start(), b, word))
    return out


@dataclass(frozen=True, eq=False)
class KnownNames:
    """The organizations (and countries and cities) a corpus names, as its entity finder
    found them at build time: each written form and the name it stands for. A longer form
    that begins with a shorter one stands for it ("Acme Holdings" -> "Acme"); the names of
    large countries are one name however they are written (data/countries.json)."""

    forms: dict[tuple[str, ...], str]  # the words of a form -> its name
    places: frozenset[str] = frozenset()  # names marked as countries or cities (GPE)
    # Words marked only as nationalities or groups (NORP), in lower case: "Swiss" of "in Swiss
    # francs" is no place
    adjectives: frozenset[str] = frozenset()
    # The first word of each form -> the numbers of words of the forms it opens, longest
    # first: most words open none
    starts: dict[str, tuple[int, ...]] = field(init=False)
    # ... and each first word as it may be written before `_tokens` cuts its ending ("Acme's")
    written_starts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        lengths: dict[str, set[int]] = collections.defaultdict(set)
        for form in self.forms:
            lengths[form[0]].add(len(form))
        object.__setattr__(self, "starts", {
            w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()})
        object.__setattr__(self, "written_starts", frozenset(lengths) | {
            f"{w}{end}" for w in lengths for end in (*_POSSESSIVE, *_LAST_OFF)})

    @classmethod
    def of(cls, entities: Iterable[tuple[str, str]]) -> KnownNames:
        """From (surface, entity type) pairs; only ACTOR_TYPES are kept."""
        words: dict[tuple[str, ...], str] = {}
        seen: collections.Counter[tuple[str, ...]] = collections.Counter()
        places: set[tuple[str, ...]] = set()
        groups: set[str] = set()
        for surface, kind in entities:
            if kind == "NORP":
                groups.add(surface.lower())
            if kind not in ACTOR_TYPES:
                continue
            form = tuple(w for _, _, w in _tokens(surface, 0, len(surface)))
            while form and form[0].lower() == "the":
                form = form[1:]
            if (form and len(form) <= MAX_FORM_WORDS and any(w[:1].isupper() for w in form)
                    and not all(w.lower() in _GENERIC for w in form)):  # "AI", "GPU"
                words[form] = " ".join(form)
                seen[form] += 1
                if kind == "GPE":
                    places.add(form)
        # "NASDAQ" and "Nasdaq" are one name: the way the corpus writes it most often.
        usual: dict[tuple[str, ...], tuple[str, ...]] = {}
        for form in sorted(words, key=lambda f: -seen[f]):
            usual.setdefault(tuple(w.lower() for w in form), form)
        for form in list(words):
            words[form] = words[usual[tuple(w.lower() for w in form)]]
        for form in sorted(words, key=len):  # shorter first: a prefix is named already
            prefix = next((form[:k] for k in range(1, len(form)) if form[:k] in words), None)
            if prefix is not None:
                words[form] = words[prefix]
        for name, aliases in COUNTRIES.items():  # named one way: known all ways
            forms = [tuple(w for _, _, w in _tokens(a, 0, len(a))) for a in (name, *aliases)]
            if any(form in words for form in forms):
                words.update((form, name) for form in forms)
                places.update(forms)
        places_named = frozenset(words[f] for f in places) | frozenset(COUNTRIES)
        return cls(words, places_named,
                   frozenset(groups - {p.lower() for p in places_named}
                             - {" ".join(f).lower() for f in places}))

    def names(self) -> frozenset[str]:
        return frozenset(self.forms.values())


EMPTY = KnownNames({})


def known_names(index: Index) -> KnownNames:
    """The organizations, countries and cities `index`'s documents name, made once per index
    and kept with it (an upload that swaps the index in drops them with the old one)."""
    known = index.derived.get("known_names")
    if known is None:
        lower: set[str] | None = None  # read from the corpus only if a heading needs it
        kept = []
        for source, spans in index.entities.items():
            text = index.documents[source].text
            people = surnames(index, source)
            for a, b, kind in spans:
                if kind not in ACTOR_TYPES and kind != "NORP":
                    continue  # the only kinds KnownNames reads
                if kind == "GPE" and text[a:b] in people:
                    kind = "ORG"  # "Fellgate" alone, where "Obadiah Fellgate" is a person
                if _shouted_heading(text, a, b):
                    if lower is None:
                        lower = _lower_stems(doc.text for doc in index.documents.values())
                    if all(porter2(w.lower()) in lower for w in text[a:b].split()):
                        continue
                kept.append((text[a:b], kind))
        known = KnownNames.of(kept)
        index.derived["known_names"] = known
    return known


def surnames(index: Index, source: str) -> frozenset[str]:
    """`_surnames` of the document `source`, kept per index."""
    found = index.derived.setdefault("surnames", {})
    if source not in found:
        found[source] = _surnames(index.documents[source].text, index.entities.get(source, ()))
    return found[source]


def _surnames(text: str, spans: Iterable[tuple[int, int, str]]) -> frozenset[str]:
    """The last words of the names of people a document gives whole ("Obadiah Fellgate"):
    written alone, the entity finder takes them for places now and then."""
    return frozenset(text[a:b].split()[-1] for a, b, kind in spans
                     if kind == "PERSON" and len(text[a:b].split()) > 1)


# A heading line in capitals, numbered or not: "7. CONTACTS", "2.1 GENERAL"
_HEADING_BEFORE = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?[ \t]+)?")


def _shouted_heading(text: str, a: int, b: int) -> bool:
    """text[a:b] is a whole line (after its number) written in capitals, words of four
    letters or more: a heading, which the entity finder marks as an organization now and
    then. It is no name when the documents write each of its words in lower case too ("7.
    CONTACTS" beside "contact the office"); "VELMORE PORT TRUST" and "NASA" stay names."""
    start = text.rfind("\n", 0, a) + 1
    end = text.find("\n", b)
    return (_HEADING_BEFORE.fullmatch(text, start, a) is not None
            and not text[b:len(text) if end < 0 else end].strip()
            and all(len(w) >= 4 and w.isalpha() and w.isupper() for w in text[a:b].split()))


# A word in lower case, not part of an address ("www.nasa.gov", "press@fifa.com")
_LOWER_WORD = re.compile(r"(?<![\w.@/])[a-z]{4,}\b(?![.@/]\w)")


def _lower_stems(texts: Iterable[str]) -> set[str]:
    """The stems of the words of four letters or more the texts write in lower case."""
    words: set[str] = set()
    for text in texts:
        words.update(_LOWER_WORD.findall(text))
    return {porter2(w) for w in words}


def _load_countries(path: Path) -> dict[str, tuple[str, ...]]:
    return {name: tuple(aliases) for name, aliases in
            json.loads(path.read_text("utf-8"))["countries"].items()}


# Large countries and unions, each with the other ways English writes it: general-language
# data, so "the US" in a question meets "the United States" in a source.
COUNTRIES = _load_countries(Path(__file__).with_name("data") / "countries.json")
_COUNTRY_OF = {alias.lower(): name for name, aliases in COUNTRIES.items()
               for alias in (name, *aliases)}


# General-language currency data (data/currencies.json), read once here for names and amounts.
MONEY_DATA = json.loads((Path(__file__).with_name("data") / "currencies.json").read_text("utf-8"))
# Units of measure (qa.reader.extract reads them as measures)
MEASURE_DATA = json.loads((Path(__file__).with_name("data") / "measures.json").read_text("utf-8"))
# Words an entity finder may mark as an organization that name none after a figure: a unit
# ("35 mA", "12 kWh") and an era ("300 BC")
_NO_ORGANIZATION = frozenset(
    {u for units in MEASURE_DATA["symbols"].values() for u in units} | {"BC", "BCE", "AD", "CE"})
_CURRENCY_CODES = frozenset(MONEY_DATA["codes"])
# Signs written in letters before a number: "KSh 3,600,000", "RM 12,500"
_LETTER_SIGNS = frozenset(s for table in (MONEY_DATA["symbols"], MONEY_DATA["scaled_symbols"])
                          for s in table if s[0].isalpha() and len(s) > 1)
_DOLLAR_PREFIXES = frozenset(s[:-1] for s in MONEY_DATA["symbols"]
                             if len(s) > 1 and s.endswith("$"))


def is_currency(text: str, a: int, b: int) -> bool:
    """text[a:b] is a currency, not a name: a code ("CHF 5,550") or the letters of a dollar
    ("NZ$312,000"). The entity finder marks both as organizations or places now and then,
    and then a sentence about a deposit in francs reads as about another organization."""
    word = text[a:b]
    return (word in _CURRENCY_CODES or (word in _DOLLAR_PREFIXES and text.startswith("$", b))
            or (word in _LETTER_SIGNS and re.match(r"\s?\d", text[b:b + 2]) is not None))


# A part number, an error code, a model or a plot: letters, then a digit ("NV-F20", "E1",
# "P12", "A380"). The entity finder marks these as organizations now and then; "3M" opens
# with its digit and stays a name.
CODE_PATTERN = r"[A-Z]++(?:-[A-Z]++)*+-?\d[\w-]*+"
_CODE = re.compile(CODE_PATTERN)


def is_code(word: str) -> bool:
    """`word` is an identifier (a part, a model, an error code), not a name."""
    return _CODE.fullmatch(word) is not None


def _unit_after_number(text: str, a: int, b: int) -> bool:
    """text[a:b] is a unit or an era written after a number ("35 mA", "300 BC"), not the
    name it may be elsewhere ("in BC", "signed by MB")."""
    return (text[a:b] in _NO_ORGANIZATION
            and _NUMBER_BEFORE.search(text, max(0, a - 16), a) is not None)


_NUMBER_BEFORE = re.compile(r"\d[ \t\u00a0]?$")


def _no_organization(text: str, tokens: Sequence[tuple[int, int, str]]) -> bool:
    """The words the entity finder marked are a currency, a code, a sum or a unit ("CHF",
    "NV-F20", "EUR 6.4 million", "mA"), not an organization."""
    first = tokens[0]
    if len(tokens) == 1:
        return (is_currency(text, first[0], first[1]) or is_code(first[2])
                or _unit_after_number(text, first[0], first[1]))
    return is_currency(text, first[0], first[1]) and any(
        c.isdigit() for _, _, w in tokens[1:] for c in w)


def organizations(text: str, known: KnownNames, start: int = 0,
                  end: int | None = None) -> list[Span]:
    """Mentions of the corpus's organizations in `text[start:end]`, longest form first, left
    to right; the `text` of each span is the name it stands for. One pass over the words,
    each looked up only with as many words after it as the forms it opens have."""
    end = len(text) if end is None else end
    if known.written_starts.isdisjoint(_FORM_TOKEN.findall(text, start, end)):
        return []  # no word opens a name: most sentences, found without a Python loop
    tokens = _tokens(text, start, end)
    words = [w for _, _, w in tokens]
    found, i = [], 0
    while i < len(tokens):
        lengths = known.starts.get(words[i])
        if lengths is None:  # one lookup for a word that opens no name
            i += 1
            continue
        for n in lengths:
            if i + n > len(tokens):
                continue
            name = known.forms.get(tuple(words[i:i + n]))
            if name is not None and _joined(text, tokens[i:i + n]) and not (
                    _no_organization(text, tokens[i:i + n])):
                found.append(Span(Kind.ORG, tokens[i][0], tokens[i + n - 1][1], name))
                i += n
                break
        else:
            i += 1
    return _with_particles(text, found)


# Particles inside a name of another language: "Coopérative Apicole du Haut-Vercel" is one
# name where the entity finder marks two ("Coopérative Apicole", "Haut-Vercel"). English "of"
# is left out: "Siemens of Germany" is Siemens.
_NAME_PARTICLES = re.compile(r" (?:(?:du|de|des|de la|del|della|der|van|von|di|da|do|dos|das) )")


def _with_particles(text: str, found: list[Span]) -> list[Span]:
    """`found` with two names that a particle joins read as the one name they make."""
    out: list[Span] = []
    for span in found:
        last = out[-1] if out else None
        if last is not None and _NAME_PARTICLES.fullmatch(text, last.end, span.start):
            span = Span(Kind.ORG, last.start, span.end,
                        f"{last.text}{text[last.end:span.start]}{span.text}")
            out[-1] = span
        else:
            out.append(span)
    return out


def _joined(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """The words of a form written as one name: single spaces between them."""
    return all(text[a[1]:b[0]] == " " for a, b in zip(tokens, tokens[1:], strict=False))


def canonical(name: str, known: KnownNames = EMPTY) -> str:
    """The name a written form stands for ("the U.S." -> "US"); a form the corpus does not
    hold, as it is (stripped)."""
    stripped = name.strip()
    form = tuple(w for _, _, w in _tokens(stripped, 0, len(stripped)))
    while form and form[0].lower() == "the":
        form = form[1:]
    return known.forms.get(form) or _COUNTRY_OF.get(" ".join(form).lower()) or stripped


def is_country(name: str) -> bool:
    """A country, a union of them or a world region ("US", "EU", "Europe"), as `places`
    tells them apart from other places."""
    return name.lower() in _COUNTRIES or name.lower() in _REGIONS


# --- names: people and organizations ----------------------------------------------------------

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s[A-Z])|[\w][\w’'&.-]*[\w&]|\w")
# Lower-case words inside a person's name: "Henrik ter Haar", "Gwen ap Rhys", "Ana de la Vega"
_PARTICLES = frozenset({"von", "van", "der", "de", "da", "di", "la", "le", "bin", "al", "ter",
                        "du", "des", "del", "della", "dos", "das", "ap", "af", "zu"})
_ORG_WORDS = frozenset({
    "inc", "corp", "corporation", "ltd", "llc", "group", "partners", "ventures", "capital",
    "power", "computing", "cloud", "platforms", "mobility", "bank", "fund", "times", "news",
    "journal", "post", "commission", "committee", "congress", "party", "office", "council",
    "union", "agency", "institute", "university", "foundation", "labs", "technologies",
    "systems", "holdings", "summit", "act", "prize", "index", "exchange", "street", "house",
    "valley", "ai", "nations", "ministry", "department", "federal", "reserve", "board",
    "association", "society", "company", "motors", "semiconductor", "electric", "energy",
    "intelligence", "undertaking", "program", "project", "plan", "tool", "ranking", "bubble",
    # organizations in the languages whose place names take particles: "Banco do Brasil"
    "banco", "banca", "banque", "caja", "caixa", "compagnie", "companhia", "compañía",
    "instituto", "istituto", "universidad", "universidade", "università", "université",
    "fundación", "fundação", "fondazione", "ministerio", "ministério", "ministère"})
_MONTHS_AND_DAYS = frozenset(w.lower() for w in f"{MONTH}|{WEEKDAY}".split("|"))


def _load_places(path: Path) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    raw = json.loads(path.read_text("utf-8"))
    return (frozenset(n.lower() for n in raw["countries"]),
            frozenset(n.lower() for n in raw["regions"]), tuple(raw["streets"]))


# Countries and world regions (data/places.json, general-language data), with the other ways
# English writes the large countries (data/countries.json: "U.S.", "EU"), and street words.
_LISTED, _REGIONS, _STREETS = _load_places(Path(__file__).with_name("data") / "places.json")
_COUNTRIES = _LISTED | frozenset(_COUNTRY_OF)
# ", 12 Mill Street" after a place's name: its address ("12A", "4-6" numbers too, a unit
# before it: ", Unit 3, 12 Mill Street"); not a year's run of names (", 1998 Royal Court")
_ADDRESS = re.compile(r",[ \t]+(?:(?:Unit|Suite|Flat|Floor|Apartment)[ \t]+\w{1,4},[ \t]+)?"
                      r"(?!(?:1[89]|20)\d\d\b)\d{1,5}[A-Za-z]?(?:[–-]\d{1,5})?[ \t]+"
                      r"(?:[A-Z][\w'’-]*[ \t]+){1,3}?"
                      rf"(?:{'|'.join(sorted(_STREETS, key=len, reverse=True))})\b")


def address_after(text: str, end: int) -> int | None:
    """Where the street address that follows a place's name at `end` ends (", 12 Mill
    Street"), or None when none follows."""
    m = _ADDRESS.match(text, end)
    return m.end() if m else None


# Capitalized, but not names. "I" is the pronoun: the entity finder marks it now and then
# ("I" of a transcript's speaker), and a question asking "who can I call" names nobody.
_GENERIC = frozenset({
    "i", "ai", "a.i.", "agi", "gpu", "gpus", "llm", "llms", "ipo", "ipos", "i.p.o.", "vcs", "vc",
    "ip", "tv", "fy", "gpt", "ceo", "ceos", "pm", "am", "ok",
})
_DEMONYMS = frozenset({
    "american", "chinese", "european", "japanese", "british", "french", "german", "dutch",
    "western", "eastern", "korean", "indian", "russian", "italian", "spanish", "asian",
    "african", "australian", "canadian", "mexican", "brazilian", "irish", "scottish", "welsh",
    "english", "swedish", "norwegian", "danish", "polish", "greek", "turkish", "persian",
})
# Words that open a sentence before a country's name: "Outside Europe", "Across Asia".
_BEFORE_COUNTRY = frozenset({
    "outside", "inside", "across", "unlike", "like", "beyond", "throughout", "within", "in",
    "from", "to", "for", "besides", "except", "both", "and", "but", "only", "even", "near",
    "around"})
_STOP = frozenset({
    "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "of", "for", "to", "by",
    "as", "with", "from", "it", "its", "this", "that", "these", "those", "he", "she", "they",
    "we", "i", "you", "his", "her", "their", "our", "my", "there", "what", "who", "which",
    "when", "where", "why", "how", "is", "was", "are", "were", "be", "not", "no", "yes", "so",
    "yet", "still", "also", "then", "thus", "however", "meanwhile", "update", "according",
    "throughout", "given", "while", "despite", "among", "although", "though", "after",
    "before", "during", "within", "without", "beyond", "between", "since", "until", "unless",
    "whether", "once", "amid", "because", "born",
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
    # each capitalized word after another ("Councillor Adeyemi"): the character before the
    # space is looked behind at, so the word before does not use it up
    mid = frozenset(m.group(1) for m in re.finditer(r"(?<=[\w,;)]) ([A-Z][\w’'&-]*\w)", text))
    return Lexicon(lower, mid)


def _is_cap(token: str) -> bool:
    if token[0].isupper():
        return True
    return token[0].islower() and any(c.isupper() for c in token[1:3])  # "eSolve", "iPhone"


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


def names(text: str, known: KnownNames, start: int = 0, end: int | None = None) -> list[Span]:
    """People (Kind.PERSON) and organizations (Kind.ORG), including lists of organizations.

    A capitalized word opening a sentence is a name only if the document also capitalizes it
    mid-sentence ("Orvanta", not "Led" or "Paraphrasing"); titles are cut off ("CEO Dana
    Whitlock"); a run is a person when it has two to four name-like words that the document
    never writes in lower case. A single unknown capitalized word is an ORG marked "single"
    (a company or a surname: the caller decides how much to trust it).
    """
    end = len(text) if end is None else end
    lex = lexicon(text)
    found = organizations(text, known, start, end)
    found_starts = [k.start for k in found]
    spans: list[Span] = []
    for run in _runs(text, start, end):
        article = False
        while run and run[-1][2] in _PARTICLES:
            run = run[:-1]
        while run and (run[0][2].lower() in _STOP or run[0][2].lower() in _GENERIC
                       or (_opens_sentence(text, start, run[0][0])
                           and _ordinary_opener(run[0][2], len(run), lex, known))):
            article = article or run[0][2] == "The"
            run = run[1:]
        titles = [i for i, t in enumerate(run) if t[2].lower() in TITLES]
        run_title = run[titles[-1]][2].lower() if titles else ""
        if titles and titles[-1] < len(run) - 1:
            run = run[titles[-1] + 1:]  # "Commission President Ursula von der Leyen"
        elif titles:
            continue
        titled = bool(titles)
        if not run or (len(run) == 1 and (run[0][2].lower() in _GENERIC
                                          or is_currency(text, run[0][0], run[0][1])
                                          or _unit_after_number(text, *run[0][:2])
                                          or _abbreviated_title(text, *run[0]))):
            continue  # "the harbourmaster, Capt. Marisol Quintero": "Capt" names no one
        after_title = _person_by_title(text, run[0][0])  # "Cllr. ", "Dr. "
        if len(run) == 1 and not titled and after_title:
            spans.append(Span(Kind.PERSON, run[0][0], run[0][1], run[0][2]))
            continue  # "Cllr. O'Leary", "Dr. Essop": one name after a title's abbreviation
        if len(run) > 1 and is_code(run[-1][2]):
            run = run[:-1]  # "Tender T-2024-03", "Lockheed Martin F-35": the code is no name
        a, b = run[0][0], run[-1][1]
        if _PLACE_OF.search(text, max(start, a - 24), a):
            continue  # "the fishing village of Coldharbour Quay": a place (`places`)
        whole = _holding(found, found_starts, a, b)
        if whole is not None:  # "S&P 500": a known name is whole even where the run stops
            if not spans or spans[-1].start != whole.start:
                spans.append(Span(Kind.ORG, whole.start, whole.end, text[whole.start:whole.end]))
            continue
        if (run_title in TITLE_ABBREVIATIONS and len(run) == 1 and not run[0][2].isupper()
                and run[0][2].lower() not in lex.lower and tuple(w for *_, w in run) not in
                known.forms and not is_country(run[0][2])):
            spans.append(Span(Kind.PERSON, a, b, text[a:b]))
            continue  # "Mrs Pellow", "Dr Essop": a surname after a form of address
        kind, unit = _name_kind([t[2] for t in run], text[a:b], lex, article, known,
                                titled or after_title)
        if kind is not None:
            spans.append(Span(kind, a, b, text[a:b], unit))
    return _kin(text, _join_lists(text, spans))


# "survived by their three children, Rosalind, Tamsin and Felix", "her sister, Nora": names a
# family noun introduces are people, though a single given name looks like any other word.
KIN = r"(?:child|children|sons?|daughters?|sisters?|brothers?|siblings?|wife|husband|widow|" \
      r"widower|mother|father|parents|grandchildren|grandsons?|granddaughters?|nieces?|" \
      r"nephews?|cousins?)"
_APPOSED = r"(?:,| named| called)?\s$"  # "her sister, Nora", "his wife Mary", "a son named Tom"
_KIN_BEFORE = re.compile(rf"\b{KIN}{_APPOSED}", re.IGNORECASE)
_KIN_FAMILY = {"child": "child|children", "children": "child|children"}


def introduced_as(text: str, start: int, noun: str) -> bool:
    """The name at `start` follows `noun` in apposition: "her two sons, Aled and Gethin"
    for "sons" (or "son")."""
    family = _KIN_FAMILY.get(noun, f"{noun.removesuffix('s')}s?")
    return re.search(rf"\b(?:{family}){_APPOSED}", text[max(0, start - 24):start],
                     re.IGNORECASE) is not None


_ITEMS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")  # a list's items: given names are one word


def _kin(text: str, spans: list[Span]) -> list[Span]:
    """People a family noun introduces, with the names listed after the first ("her two
    sons, Aled and Gethin") joined to it."""
    out: list[Span] = []
    listing = False  # the span before is such a person
    for span in spans:
        gap = text[out[-1].end:span.start] if out else ""
        if (span.kind is Kind.ORG and _KIN_BEFORE.search(text, max(0, span.start - 24),
                                                          span.start)
                and all(" " not in item.strip() for item in _ITEMS.split(span.text))):
            span = Span(Kind.PERSON, span.start, span.end, span.text,
                        "list" if span.unit == "list" else None)
            listing = True
        elif (listing and span.kind is Kind.ORG and span.unit == "single"  # a given name
              and re.fullmatch(r",\s?|\s?,?\s?and\s", gap)):
            first = out.pop()
            span = Span(Kind.PERSON, first.start, span.end, text[first.start:span.end], "list")
        else:
            listing = False
        out.append(span)
    return out


_ABBREVIATED_TITLE = re.compile(r"\b([A-Z][a-z]{1,4})\.\s$")


def _abbreviated_title(text: str, a: int, b: int, word: str) -> bool:
    """text[a:b] is a title's abbreviation with its full stop ("Capt.", "Lic.")."""
    return text.startswith(".", b) and word.lower() in TITLE_ABBREVIATIONS


def _person_by_title(text: str, start: int) -> bool:
    """The word at `start` follows a title's abbreviation ("Cllr. ", "Dr. ", "Mr. ")."""
    m = _ABBREVIATED_TITLE.search(text, max(0, start - 8), start)
    return m is not None and m.group(1).lower() in TITLE_ABBREVIATIONS  # not "the Mayor. Acme"


def _holding(known: list[Span], starts: list[int], a: int, b: int) -> Span | None:
    """The known name that holds `text[a:b]` and more. Known names do not overlap, so only the
    last one starting at or before `a` can: a binary search, not a scan per run."""
    i = bisect.bisect_right(starts, a) - 1
    if i >= 0 and b <= known[i].end and known[i].end - known[i].start > b - a:
        return known[i]
    return None


def _ordinary_opener(word: str, run_length: int, lex: Lexicon, known: KnownNames) -> bool:
    """A sentence's capitalized first word that is an ordinary word ("Led", "Paraphrasing")."""
    if (word,) in known.forms:
        return False
    if word.lower() in lex.lower or re.search(r"(?:ing|ly|ed)$", word):
        return True
    return run_length == 1 and word not in lex.capitalized


_OPENERS = frozenset(" “\"‘'(•–-")


def _opens_sentence(text: str, start: int, pos: int) -> bool:
    # Steps back over the opening marks only: stripping a copy of everything since `start`
    # cost each capitalized word the length of the text before it.
    word = pos
    while pos > start and text[pos - 1] in _OPENERS:
        pos -= 1
    if pos > start and text[pos - 1] == "." and _person_by_title(text, word):
        return False  # "Cllr. O'Leary": the title's full stop ends no sentence
    return pos == start or text[pos - 1] in ".!?:\n"


_REGNAL = re.compile(r"[IVX]{1,5}")


# Words that make a name a place's: "Lake ...", "... Road" (not "Hill", "Lane" or "Hall",
# which are surnames as often)
_PLACE_FIRST = frozenset({"lake", "mount", "mt", "cape", "isle", "loch", "lough", "fort"})
_PLACE_LAST = frozenset({"street", "road", "avenue", "boulevard", "quay", "wharf", "estuary",
                         "reservoir"})


# The last word of a holiday's or an occasion's name: no person's
_OCCASION_LAST = frozenset({"day", "eve", "year", "week", "festival", "holiday", "holidays",
                            "weekend"})


def _name_kind(words: list[str], surface: str, lex: Lexicon, article: bool,
               known: KnownNames, titled: bool = False) -> tuple[Kind | None, str | None]:
    lower = [w.lower() for w in words]
    if surface.lower() in _COUNTRIES or surface.lower() in _REGIONS:
        return None, None  # a place, see `places`
    if titled and 2 <= len(words) <= 4 and all(w[0].isupper() or w in _PARTICLES for w in words):
        return Kind.PERSON, None  # "Dr Agnieszka Wróblewska-Hart", whatever the model marked
    if lower[0] in _PLACE_FIRST or lower[-1] in _PLACE_LAST:
        return Kind.ORG, None  # "Lake Tündérvíz", "Fenwick Street": a place, no person
    if len(words) > 1 and (lower[-1] in _OCCASION_LAST or words[-1] in WEEKDAYS):
        return None, None  # "Chinese New Year", "Independence Day", "Easter Monday": a day
    if (tuple(words) in known.forms or any(w in _ORG_WORDS for w in lower[1:])
            or _holds_organization(words, known)):
        return Kind.ORG, None
    if len(words) == 1:
        word = words[0]
        return (Kind.ORG, "single") if word.lower() not in lex.lower else (None, None)
    person_like = all(
        (w[0].isupper() and not w.isupper() and w.lower() not in lex.lower
         and w[1:].replace("’", "").replace("'", "").replace("-", "").isalpha())
        or w in _PARTICLES or re.fullmatch(r"[A-Z]\.", w)
        or i and _REGNAL.fullmatch(w) is not None  # "Osric III"
        for i, w in enumerate(words))
    if person_like and not article and len(words) <= 4:
        return Kind.PERSON, None
    return Kind.ORG, None


def _holds_organization(words: list[str], known: KnownNames) -> bool:
    """Two words or more of `words`, not all of them, are a name the corpus's entity finder
    marked (an organization or a place): "Halden Rowing Quarterly" holds "Halden Rowing",
    whose magazine it is; no person's name does."""
    return any(tuple(words[i:j]) in known.forms
               for i in range(len(words) - 1) for j in range(i + 2, len(words) + (i > 0)))


def _join_lists(text: str, spans: list[Span]) -> list[Span]:
    """"Norvale, Harrowgate and Velcor": organizations joined by commas and "and" are one span."""
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

# "in X", "at X", "to X" after a verb of going there ("The team travels to Dunmore Quay"),
# and "the village of X".
_PLACE_NOUN_OF = r"(?:village|town|city|hamlet|county|parish|island|port|borough|province)\sof"
_PLACE_OF = re.compile(rf"\b{_PLACE_NOUN_OF}\s(?:the\s)?$")
# A word of a place's name, and the particles that join its words in lower case ("Castel di
# Sangro", "Bergen op Zoom", "San Juan de los Lagos"). Words in letters past ASCII ("Évora")
# were tried too: on SQuAD's fit half they made more wrong places than right ones (six
# questions lost).
_NAME_WORD = r"[A-Z][a-z]+"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|du|op|la|las|los)"
_JOINED = re.compile(rf"\s{_PARTICLE}\s")
_PLACE_CONTEXT = re.compile(
    r"(?:\b(?:in|at|near|from|outside|(?:travel(?:s|led|ed|ling|ing)?|go|goes|went|"
    r"mov(?:e|es|ed)|fl(?:y|ies|ew)|sail(?:s|ed)?|return(?:s|ed)?|head(?:s|ed)?|emigrated|"
    rf"relocated)\sto|{_PLACE_NOUN_OF})\s(?:the\s)?)"
    rf"({_NAME_WORD}(?:\s(?:{_PARTICLE}\s){{0,2}}{_NAME_WORD}){{0,3}})(?![^\W_])"
    # the whole name or none: "at Tolly Green Primary School", not its start
    rf"(?!\s(?:{_PARTICLE}\s){{0,2}}{_NAME_WORD})"
    rf"|\b({_NAME_WORD})-based\b"
)


# A name ending in one of these is somewhere one can be ("at Tolly Green Primary School"), though
# the entity finder may call it an organization.
_FACILITIES = frozenset({
    "school", "college", "academy", "hospital", "museum", "library", "hall", "church", "chapel",
    "cathedral", "abbey", "stadium", "arena", "park", "airport", "station", "centre", "center",
    "castle", "palace", "theatre", "theater", "gallery", "farm", "market", "square", "harbour",
    "harbor"})


_NEXT_LOWER = re.compile(r"[ \t]+([a-z]+)")


def _noun_after(text: str, end: int) -> bool:
    """A lower-case word other than a function word follows: "Swiss francs", not "Punjab
    near Lahore" (the entity finder marks a few regions as nationalities)."""
    m = _NEXT_LOWER.match(text, end)
    return m is not None and m.group(1) not in CONTINUING and m.group(1) not in _PLACE_AFTER


# Words after a place, not after an adjective: "in Punjab near Lahore", "in Punjab until 1947"
_PLACE_AFTER = frozenset({"near", "where", "when", "until", "since", "through", "around",
                          "along", "across", "beside", "itself", "last", "this", "yesterday",
                          "today", "then", "instead", "alone", "too", "also"})


_POSSESSIVE_AFTER = re.compile(r"['’]s\b")


def places(text: str, known: KnownNames, start: int = 0, end: int | None = None) -> list[Span]:
    """Countries and world regions from a list (unit "country", "region"); other places from
    "in X" and "X-based" (unit "city"), X a whole name of up to four words."""
    end = len(text) if end is None else end
    common = lexicon(text).lower
    found: list[Span] = []
    for m in _PLACE_CONTEXT.finditer(text, start, end):
        group = 1 if m.group(1) else 2
        a, b = m.span(group)
        word = m.group(group)
        first = word.split()[0].lower()
        name = known.forms.get(tuple(word.split()))
        if (joined := _JOINED.search(word)) and is_country(word[:joined.start()]):
            # "Pupils in Scotland do Highers": a country, then the words after it (a city the
            # entity finder knows may open a longer name: "Ribeira" of "Ribeira do Sal")
            word, b = word[:joined.start()], a + joined.start()
            name = known.forms.get(tuple(word.split()))
        # "at Lower Netherby Farm": common words make a place's name with a word of its own;
        # "in Vale de Cambra": the entity finder calls names joined by a particle
        # organizations, which are seldom written so (unless an organization's word says so)
        if ((name is not None and name not in known.places
             and word.split()[-1].lower() not in _FACILITIES and not joined)
                or all(w.lower() in common for w in word.split())
                or first in _MONTHS_AND_DAYS or first in _STOP or is_country(word)
                or first in TITLES
                # "moved to Central Asian areas": an adjective, not a place
                or any(w.lower() in _DEMONYMS for w in word.split())
                or word.lower() in known.adjectives and _noun_after(text, b)
                or any(w.lower() in _ORG_WORDS for w in word.split())
                # "in Kestrel's Bay 7 facility": an owner, unless the corpus calls it a place
                or (_POSSESSIVE_AFTER.match(text, b) and name not in known.places)):
            continue
        found.append(Span(Kind.PLACE, a, b, word, "city"))
    cities = [s.start for s in found]  # they do not overlap: see `_holding`
    for m in re.finditer(r"\b[A-Z][\w.]*(?:\s[A-Z][a-z]+)*", text[start:end]):
        surface = m.group().rstrip(".") if m.group().count(".") < 2 else m.group()
        a = start + m.start()
        if (not is_country(surface) and " " in surface  # "In France, ...", "Outside Europe",
                and surface.split(" ", 1)[0].lower() in _BEFORE_COUNTRY):  # not "New Mexico"
            cut = surface.index(" ") + 1
            surface, a = surface[cut:], a + cut
        if is_country(surface):
            i = bisect.bisect_left(cities, a + len(surface)) - 1
            if i < 0 or found[i].end <= a:
                unit = "country" if surface.lower() in _COUNTRIES else "region"
                found.append(Span(Kind.PLACE, a, a + len(surface), surface, unit))
    return sorted(found, key=lambda s: s.start)
