"""What a question asks for, whom it is about, and its words.

- `analyse`: an amount, a date, a person, an organization, a place, or a whole sentence
  (why, what is, what happens if, how does ...), from the wh-words and the nouns after
  "which"/"what", plus a soft preference for the unit of an amount (`qa.reader.asked_amount`:
  "how far did the stock fall" wants a percentage, "how much market value did it lose" wants
  money, "how many" a count). The preference ranks spans of the right kind; it never removes
  one. The record it makes is `qa.reader.wanted.Wanted`;
- `definiendum`/`defines` and `list_item`: "what is X" and the sentence that defines X;
  "the second thing it proved" and the sentence opening "Second,".
- `named`: the organizations an answer must be about, less those named only as
  circumstance ("after Norvale's launch").
- `question_terms`: the content words, crudely stemmed and weighted by rarity in the index.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import replace

from qa.backends.analyzers import ANALYZERS, porter2
from qa.backends.bm25 import DEFAULT_STOPWORDS
from qa.backends.protocols import term_weight
from qa.language import QUESTION_FRAME
from qa.reader.asked_amount import (
    MANY_UNITS,
    MONEY_VERB,
    PART_ASKED,
    amount_kind,
    amount_wanted,
    asks_amount,
    asks_length,
    asks_quantity,
    unit_asked,
    unit_named,
)
from qa.reader.extract import Kind
from qa.reader.names import KIN, TITLES, KnownNames, organizations
from qa.reader.spans import WEEKDAY
from qa.reader.wanted import AUXILIARIES, WH_WORDS, WHICH, Wanted
from qa.store.index import Index

__all__ = [
    "WH_WORDS", "Wanted", "amount_wanted", "analyse",
    "asks_for_many", "content_sequence", "content_terms", "counted_phrase",
    "coverage", "definiendum", "defines", "definition", "is_yes_no", "keyword_query",
    "kin_asked", "lead_wh", "list_item", "named", "person_noun", "question_terms", "stem",
    "vote_side", "words_of",
]


_COMPARED_YEAR = re.compile(r"\b(?:compared (?:with|to)|than|since|versus|vs\.?|against)\s+"
                            r"(?:the\s+|in\s+)?((?:1\d|20)\d\d)\b")


# "Why", and its paraphrases "for what reason", "what was the reason": a cause answers.
_REASON = (r"\bwhy\b|\bfor what reasons?\b"
           r"|\b(?:what|which) (?:is|was|are|were) (?:the|its|their|his|her) (?:main )?(?:reasons?|"
           r"causes?)\b"
           # "What caused the fire?", "What is thought to be causing the crack?"
           r"|\bwhat (?:is |was |are |were )?(?:(?:thought|believed|said|likely|suspected) to "
           r"(?:be |have )?)?caus(?:es|ed|ing)\b")
_SENTENCE = re.compile(
    rf"{_REASON}|^how (?:does|do|did|is|are|was|were|can|could|will|would|should)\b"
    r"|\bwhat (?:happens|happened|would happen|will happen)\b"
    # "where did she finish / come?" asks for a place in a ranking ("where is the concert
    # taking place?" for a place); "come from", for a place, unless what comes is a word, a
    # sum or an idea ("where does the name come from?")
    r"|\bwhere (?:does|do|did|is|was)\b.*\b(?:rank|stand|(?<!\btake )(?<!\btakes )(?<!\btaking )"
    r"(?<!\btook )(?<!\btaken )place|finish|come(?!s?\s+from\b))"
    r"|\bwhere (?:does|do|did) (?:the |its |their |this |that )?(?:[\w'-]+ ){0,2}?(?:name|names|"
    r"word|words|term|phrase|expression|idea|ideas|concept|money|funding|funds|inspiration|"
    r"title)\b(?: [\w'-]+){0,3}? come from\b")
# Nouns after "what" that a sum answers with a money verb ("what fee did they pay"); any other
# ("what complaints did residents raise") asks for that thing, not for money.
_MONEY_NOUNS = frozenset({"amount", "sum", "price", "fee", "fees", "figure", "money", "cash",
                          "capital", "funding", "funds", "salary", "wage", "wages", "rent",
                          "deposit", "toll", "fare", "budget", "revenue", "profit", "sales",
                          "income", "damages", "compensation", "fine", "penalty", "settlement",
                          "bonus", "dividend", "payment", "levy", "grant", "surcharge",
                          "premium", "reward", "subsidy", "stipend", "pension", "donation",
                          "surplus", "deficit", "takings", "shortfall",
                          # "what pay rise", "what price increase": a change in a sum
                          "pay", "rise", "raise", "increase", "cut"})
# Sums named as such, with no money verb: "What is the lowest fine?", "what penalty applies?"
# The noun, not the adjective ("the fine weather") nor a definition ("what is a fine?"); not
# "penalty", which may be a kick or a prison term
_SUM_NAMED = re.compile(r"(?<!\ba )\b(?:fines?|levy|surcharges?)(?=\s+(?:for|of|if|on|under|does|"
                        r"do|did|will|would|can|could|is|was|are|were|a|an|that|which|you|we|"
                        r"they|someone|anyone)\b|\s*\?|$)")
# "What does the hall charge?", not "What was the agency charged with?", "What did police
# charge him with?" or "the charge of plagiarism": the verb after do-support, two searches.
_CHARGE = re.compile(r"(?<!the )\bcharge\b(?!(?:\s+\w+)?\s+(?:with|of|against)\b)")
_DO = re.compile(r"\b(?:does|do|did|will|would)\b")


def _asks_charge(q: str) -> bool:
    m = _CHARGE.search(q)
    return m is not None and _DO.search(q, 0, m.start()) is not None
# "when", "where" and "who" ask for a date, a place, a person only as the question's first
# wh-word: "How old was he when he died?" asks for an age, "Who led them when ...?" for a
# name (on SQuAD's fit half, 3 of 48 answers to a question with a later "when" are dates).
# "what time", not "what time period" (an era)
_CLOCK_TIME = r"\b(?:what|which) times?\b(?! (?:period|frame|span|scale|of (?:the )?year)\b)"
# "which dates", "what years"; not "which months" ("April through October" is no date span)
# A match's score, not a test's ("what was the Gleason score"): the final one, one at a
# point of the game, or the score between two sides.
_MATCH_SCORE = re.compile(r"\bwhat (?:was|is|were) the (?:(?:final|full-time|half-time|match|"
                          r"game|closing) score|score (?:at|after|by) (?:half|full|the)|score "
                          r"between)\b")
# "What time does the ferry leave?": what a timetable or opening hours say
_TIMETABLE = re.compile(r"\bwhat times? (?:does|do|is|are|will|should|can) [^?]*?\b(?:open|opens|"
                        r"close|closes|leave|leaves|depart|departs|arrive|arrives|start|starts|"
                        r"begin|begins|finish|finishes|kick off|kicks off|run|runs|meet|meets|"
                        r"shut|shuts|serve|serves)\b")
# "What are the visiting hours on the wards?": the clock times a timetable gives ("11:00 to
# 20:00"), not "how many hours" (a count) nor "the total hours volunteered"
_HOURS = (r"\b(?:what|which) (?:are|were|is|was) (?:the|its|their|your|our) "
          # not "the average (maximum, total ...) working hours": a number of hours
          r"(?:(?!(?:average|mean|median|maximum|minimum|total|typical|weekly|daily|monthly|"
          r"annual|contracted|required|extra|additional)\b)[\w'-]+ )?"
          r"(?:opening|visiting|office|business|trading|surgery|reception|consultation|working|"
          r"service|operating|counter|helpline|phone|telephone|school|lunch|quiet|peak|off-peak|"
          r"pool|shop|store|bar|kitchen) hours(?=\s*[?,]|$|\s+(?:of|on|at|for|in|during)\b)"
          r"|\bwhat (?:are|were) the hours of\b"
          # "During what hours can members use the club?"
          r"|\b(?:during|in|at|between) (?:what|which) hours\b")
# A period of the year asked for: "during what period each year", "what time of year"
_PERIOD_WORDS = r"(?:period|time) of (?:the )?year|period each year"
_DATE = re.compile(rf"{_HOURS}|\b(?:what|which) (?:years?|dates?|month|day|days of the week|decade|"
                   # "during what period each year": the dates from and to (not "what period
                   # opened the ocean", a named era)
                   rf"century|{_PERIOD_WORDS})\b"
                   # "what is the deadline for the survey?": the day it falls on
                   r"|\b(?:what|which) (?:is|was|are|were|will be) (?:the|its|their|your) "
                   r"(?:[\w'-]+ ){0,2}(?:deadlines?|closing dates?|due dates?|cut-?off dates?)"
                   r"(?=\s+(?:for|of|to|on|by|in)\b|\s*[?,]|$)"
                   r"|\bby when\b"
                   r"|\bhow long\b"
                   rf"|{_CLOCK_TIME}")
# "What is the last day I can apply?", "... the latest date by which I must pay?": a day, even
# where the question goes on about money; not "What is the first day of the course about?"
_DAY_ASKED = re.compile(r"\b(?:what|which) (?:is|was|are|were|will be) (?:the|its|their|your) "
                        r"(?:first|last|final|latest|earliest|closing|opening) (?:day|date)s?\b"
                        r"(?![^?]*\b(?:about|like|called|named|mean|means|known as)\s*\?)")
_PLACE = re.compile(r"\b(?:what|which) (?:city|cities|country|countries|towns?|regions?|states?|"
                    r"places?|villages?|hamlets?|county|counties|provinces?|districts?|"
                    r"islands?|suburbs?|neighbou?rhoods?|municipalit(?:y|ies)|"
                    r"boroughs?|venues?)\b")
# Nouns for people besides the titles (qa.reader.names.TITLES): "which investor", "which writer".
_PERSON_NOUNS = frozenset({
    "person", "people", "man", "woman", "scholar", "writer", "billionaire", "executive",
    "investor", "capitalist", "journalist", "politician", "scientist", "official", "leader",
    "commentator", "expert", "researcher", "entrepreneur", "head", "boss", "laureate", "winner",
    "member", "child", "children", "son", "sons", "daughter", "daughters", "sibling", "siblings",
    "brother", "brothers", "sister", "sisters", "parent", "parents", "wife", "husband", "spouse",
    # ranks that are surnames and places too ("Patty Duke", "Prince Edward Island"), so they
    # are no titles a name is cut at (qa.reader.names.TITLES)
    "duke", "duchess", "earl", "countess", "baron", "baroness", "viscount", "marquis",
    "marquess", "margrave", "prince", "princess", "pope", "bishop", "abbot", "abbess", "emir",
    "sultan", "tsar",
    # occupations a question asks which of ("Which engineer commissioned it?")
    "engineer", "technician", "electrician", "plumber", "teacher", "lecturer", "tutor",
    "doctor", "nurse", "surgeon", "physician", "dentist", "pharmacist", "vet", "midwife",
    "architect", "surveyor", "lawyer", "solicitor", "barrister", "accountant", "auditor",
    "manager", "chef", "cook", "baker", "brewer", "farmer", "gardener", "builder", "driver",
    "pilot", "skipper", "artist", "painter", "sculptor", "photographer", "composer",
    "conductor", "singer", "musician", "actor", "actress", "dancer", "coach", "trainer",
    "instructor", "referee", "umpire", "player", "athlete", "student", "pupil", "volunteer",
    "employee", "worker", "designer", "developer", "consultant", "ranger", "warden",
    "adviser", "advisor", "officer", "clerk", "assistant", "organiser", "organizer",
    "convenor", "applicant", "tenant", "goalkeeper", "striker", "defender", "scorer", "vicar",
    "priest", "novelist", "poet", "historian", "clockmaker", "watchmaker", "shoemaker",
    "dressmaker", "cabinetmaker", "filmmaker", "toolmaker", "printmaker",
}) | {word for word, title in TITLES.items() if title.asks_for_a_person}
# "Which count ruled the town?" asks for a person, "which count is higher" for a number
_COUNT_RULED = re.compile(r"\bwhich counts? \w+ed\b")
# "What are the names of her children?", "Who is his sister?": the relatives asked for, whose
# names a sentence gives after the noun ("her two sons, Aled and Gethin").
_KIN_ASKED = re.compile(rf"\b(?:her|his|their|(?<![\w-])(?P<owner>[\w-]+)'s) (?P<kin>{KIN})\b",
                        re.IGNORECASE)


def kin_asked(question: str) -> tuple[str, str | None] | None:
    """The relatives a question asks for ("sons"), and whose they are when it names them
    ("Calloway" of "Ruth Calloway's sons"; None for "her sons")."""
    m = _KIN_ASKED.search(question.replace("’", "'"))
    return (m.group("kin").lower(), m.group("owner")) if m else None


# "What are the names of her children?": the people the noun says.
_NAMES_OF = re.compile(r"\bnames? of (?:the |her |his |their |its |(?:[\w-]+ ){0,2}[\w-]+'s )?"
                       r"([\w-]+)")
_PHRASE_STOP = frozenset({"who", "whom", "that", "which", "in", "of", "at", "on", "for", "from",
                          "with", "by", "to", "are", "were", "is", "was", "did", "does", "do",
                          "and", "or", "but", "their", "its", "his", "her", "when", "where",
                          "whose", "as", "than"})


def names_asked(question: str) -> str | None:
    """The noun whose names a question asks for, in lower case: "gates" of "What were the names
    of Vellmark's town gates?", "children" of "the names of her children"."""
    m = _NAMES_OF.search(question.lower().replace("’", "'"))
    if m is None:
        return None
    rest = re.split(r"[,;:?!.]", question.replace("’", "'")[m.start(1):], maxsplit=1)[0]
    words = re.findall(r"[\w'-]+", rest)[:3]
    # "the ships Cook sailed": not the name, nor the verb
    phrase = [w for w in itertools.takewhile(lambda w: w.lower() not in _PHRASE_STOP, words)
              if not w.endswith("ed") and not w[0].isupper()]
    return phrase[-1].lower() if phrase and len(phrase[-1]) > 2 else None


# What technical documents write in backticks: "which command", "what flag". Words prose uses
# as often ("method", "function", "key", "setting") are left out: a sentence of code is
# preferred only where some candidate writes code, but their answers are seldom code.
_CODE_NOUNS = frozenset({"command", "commands", "subcommand", "subcommands", "flag", "flags",
                         "endpoint", "endpoints"})
# "which model numbers", "what batch codes": identifiers, as a technical text writes code
_IDENTIFIER_NOUN = re.compile(r"\b(?:which|what) (?:\w+ )?(?:model|part|serial|batch|product|"
                              r"error|reference|catalogue|catalog|item) (?:numbers?|codes?)\b")
_ORG_NOUNS = frozenset({
    "company", "companies", "firm", "firms", "organisation", "organisations", "organization",
    "organizations", "start-up", "start-ups", "startup", "startups", "group", "groups", "bank",
    "banks", "fund", "funds", "partner", "partners", "business", "businesses", "maker",
    "makers", "institution", "institutions", "giant", "giants", "lab", "labs",
    # bodies people join or deal with, whatever the trade: "which club won", "which charity"
    "club", "clubs", "team", "teams", "charity", "charities", "trust", "trusts", "society",
    "societies", "association", "associations", "union", "unions", "council", "councils",
    "agency", "agencies", "ministry", "ministries", "cooperative", "cooperatives", "co-op",
    "co-ops", "publisher", "publishers", "manufacturer", "manufacturers", "contractor",
    "contractors", "supplier", "suppliers", "retailer", "retailers", "airline", "airlines",
    "operator", "operators", "newspaper", "newspapers", "broadcaster", "broadcasters",
    "university", "universities", "college", "colleges", "school", "schools", "foundation",
    "foundations", "laboratory", "laboratories", "insurer", "insurers", "lender", "lenders",
    "consultancy", "consultancies", "federation", "federations", "committee", "committees",
    "hospital", "hospitals", "museum", "museums", "studio", "studios",
    # public bodies: "which authority decided" (not "body": "which body of water")
    "authority", "authorities", "municipality", "municipalities",
    "department", "departments", "regulator", "regulators",
    # where things are sold: "which shops sold the recalled kettles"
    "shop", "shops", "store", "stores", "stockist", "stockists",
    # where things are made: "which shipyard built her", "which brewery makes it"
    "shipyard", "shipyards", "yard", "yards", "brewery", "breweries", "winery", "wineries",
    "factory", "factories", "mill", "mills",
})


# "What's the deadline", "Where's the hut": the contraction read as the words it stands for
_CONTRACTED = re.compile(r"\b(what|where|when|who|how)['’]s\b", re.IGNORECASE)


# Commands a query may open with ("list the trustees"): not a noun phrase
_COMMANDS = frozenset({"list", "name", "give", "tell", "show", "find", "explain", "describe",
                       "compare", "summarise", "summarize", "define", "please"})


def keyword_query(question: str) -> bool:
    """A query written as a noun phrase, with no wh-word and no verb to open it ("monthly
    rent flat 3", "boiler service cost"): it asks for the value of the thing it names. Not
    when its head names another kind of thing than a value ("rent due date", "deposit scheme
    name"): read as it is, the words find the sentence."""
    words = re.findall(r"[a-z]+", question.lower())
    return (bool(words) and lead_wh(question) is None and words[0] not in _COMMANDS
            and not is_yes_no(question) and not set(words) & _NO_VALUE_HEADS)


# Heads of a noun phrase that name no figure: "rent due date", "deposit scheme name"
_NO_VALUE_HEADS = frozenset({
    "date", "dates", "day", "days", "deadline", "name", "names", "scheme", "schemes",
    "method", "methods", "period", "address", "policy", "rule", "rules", "process",
    "procedure", "form", "reason", "details", "terms", "conditions", "notice", "requirements",
    "options", "location", "venue", "contact", "email", "website", "link"})


def analyse(question: str) -> Wanted:
    question = _CONTRACTED.sub(r"\1 is", question)
    if keyword_query(question):  # read as "what is the <query>": "what is the monthly rent"
        question = f"what is the {question}"
    wanted = _analyse(question)
    part = PART_ASKED.search(question.lower()) is not None  # "what share of members": one share
    low = " ".join(question.lower().split())
    amount = wanted.kind is Kind.AMOUNT
    # "five short of the 24 needed" counts no seats where it says how many short
    short = _SHORT_BY.search(low) if amount else None
    counted = (_COUNTED.search(low) if amount and not MANY_UNITS.search(low) and not short
               else None)  # "how many hectares" asks for a measure
    return replace(wanted, many=not part and asks_for_many(question),
                   compared=frozenset(_COMPARED_YEAR.findall(question)),
                   change=amount and _CHANGE_BY.search(low) is not None,
                   counted=_asked_count(low, counted.end()) if counted else "",
                   unit=unit_asked(question) if amount else "",
                   measured=short.group(1) if short else wanted.measured,
                   whole=whole.group(1) if amount and (whole := _PART_OF.search(low)) else "",
                   called=_called(low) if wanted.kind in (Kind.ORG, Kind.PLACE) else "",
                   when=("new" if _NEW_ASKED.search(question) else "old"
                         if _OLD_ASKED.search(question) else "") if amount else "")


# "By how much did it fall?", "how much will the rent go up by?": the change, not the level
_CHANGE_BY = re.compile(r"\bby how (?:much|many)\b|\b(?:up|down|rise|rises|rose|risen|"
                        r"increase[sd]?|decrease[sd]?|fall|falls|fell|fallen|drop|drops|dropped|"
                        r"change[sd]?|grow|grows|grew|grown)\s+by\s*\??$")


# When a figure is asked for: after a change ("what will it cost", "once the changes start")
# or before it ("what does it cost now", "what was the old rent"); in lower case, so "New
# Haven" and "10-year-old" tell no time
_NEW_ASKED = re.compile(r"\b(?:[Ww]ill|after the changes?|once the changes?|from now on|new|"
                        r"proposed|revised|going forward)\b")
_OLD_ASKED = re.compile(r"\b(?:current|currently|now|at present|before the changes?|(?<!-)old|"
                        r"previous|previously|used to|existing)\b")


def _called(q: str) -> str:
    """The stem of the noun a "which" question asks for a name by ("which bank": bank; not
    "which firm advised": firm), if it is a noun for organizations or people."""
    head = _head_of(_which_words(q))
    return stem(head) if head else ""


# "How much of the deposit do the tenants get back?": a part of a sum. Not "how many of the
# southern-most counties", where "the ten southern-most counties" answers.
_PART_OF = re.compile(r"\bhow much of (?:the|their|your|my|our|its|his|her|this|that) "
                      r"([a-z]+)\b(?![-'])")


# "How many seats short of a majority": the count followed by that word ("five short of").
_SHORT_BY = re.compile(r"\bhow many [a-z]+ (short|clear|shy)\b")


_COUNTED = re.compile(r"\bhow many (?=[a-z])")
_AUX = frozenset({"is", "are", "was", "were", "do", "does", "did", "has", "have", "had",
                  "will", "can", "could", "would", "should"})
# What a count counts: its noun, and what an "of" after it adds ("reports of minor burns").
_WORD_ = r"[^\W\d_][\w'’-]*"
_COUNTED_NOUN = re.compile(rf"[\s-]*+({_WORD_})((?:\s+of(?:\s+{_WORD_}){{1,3}})?)")
_NOT_COUNTED = _AUX | {"and", "or", "but", "that", "which", "who", "in", "at", "on", "for", "by",
                       "with", "from", "to", "including", "since", "after", "before", "the",
                       "a", "an"}
_DETERMINERS = frozenset({"the", "a", "an"})


# "how many vertebrate species": the noun after a modifier, "species"; not "schools took"
_MODIFIED_NOUN = re.compile(r"([a-z]*(?:[^s\W]|ss|us|is)) ([a-z]+[^siu\W]s)\b")
# words in -s after a count's noun that are no nouns: "how many people this year", "thus far"
_NOT_NOUNS = frozenset({"its", "his", "hers", "ours", "yours", "theirs", "always", "perhaps",
                        "sometimes", "afterwards", "nowadays", "besides", "was", "has", "does"})


def _asked_count(question: str, pos: int) -> str:
    """What a "how many" question counts, its words from `pos`: the counted phrase, or the
    plural noun a singular word modifies ("how many bus routes", "how many vertebrate
    species"), so that "174 species" answers rather than "2,318 individual vertebrates"."""
    m = _MODIFIED_NOUN.match(question, pos)
    if m is not None and not {m.group(1), m.group(2)} & (_NOT_COUNTED | _NOT_NOUNS):
        return m.group(2)
    return counted_phrase(question, pos) or ""


def counted_phrase(text: str, pos: int) -> str | None:
    """The noun a count at `pos` counts, with its "of" phrase: "23 reports of units
    overheating, including" -> "reports of units overheating"."""
    m = _COUNTED_NOUN.match(text, pos)
    if m is None:
        return None
    words = m.group(2).split()[1:]  # after "of"
    # up to the first word that is not the thing's ("crates of apples did the farm sell"),
    # a determiner that opens the phrase aside ("cases of the disease")
    first = 1 if words and words[0].lower() in _DETERMINERS else 0
    cut = next((i for i, w in enumerate(words[first:], first) if w.lower() in _NOT_COUNTED),
               len(words))
    words = words[:cut]
    return f"{m.group(1)} of {' '.join(words)}" if words else m.group(1)


_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women"})
# "Am I allowed ...", "Isn't it ...": negated and first-person openers ask yes or no too
_YES_NO_OPENERS = _AUX | {"may", "might", "must", "shall", "am"} | {
    w + "n't" for w in ("is", "are", "was", "were", "do", "does", "did", "has", "have", "had",
                        "could", "would", "should")} | {"won't", "can't", "shan't"}


def is_yes_no(question: str) -> bool:
    """A question a yes or a no answers: it opens with an auxiliary verb ("Did", "Has",
    "Is") and asks no wh-question inside ("Do you know who ..." asks for a name). A wh-word
    right after a noun is a relative pronoun, not a question: "Can neighbours who objected
    appeal?" is answered yes or no. A condition may come first: "If I cancel after a week, can
    I get my money back?" is read from its main clause, after the condition's comma."""
    low = question.lower()
    condition = _CONDITION.match(low)
    if condition and WH_WORDS & set(re.findall(r"[a-z]+", condition.group())[1:]):
        condition = None  # "Before the formation of which planet, did ...": a wh-question
    words = re.findall(r"[a-z']+", low[condition.end():] if condition else low)
    if not words or words[0] not in _YES_NO_OPENERS:
        return False
    return not any(w in WH_WORDS and (i < 2 or words[i - 1] in _ASKING or w in _NEVER_RELATIVE)
                   for i, w in enumerate(words))


# A condition or a time before a question's main clause: "If I cancel after a week, ...".
_CONDITION = re.compile(r"\s*(?:if|when|once|after|before|unless|in case)\b[^,?]{1,120},\s*")
# Verbs a wh-question is asked inside ("do you know who", "did the report say how much").
_ASKING = frozenset({"know", "knew", "tell", "told", "say", "said", "says", "remember", "explain",
                     "explains", "show", "shows", "mention", "mentions", "state", "states",
                     "report", "reports", "out", "sure", "clear", "me", "us", "wonder", "ask",
                     "asked", "see", "guess", "known", "is", "was", "and", "or"})
# Wh-words that do not start a relative clause after a noun: "does it say how many ..."
_NEVER_RELATIVE = frozenset({"how", "what"})


_ITEMS_ASKED = re.compile(r"\b(?:which|what|name|list) (?:the )?(three|four|five|six|seven|"
                          r"eight|nine|ten|[3-9])\b", re.IGNORECASE)
_ITEM_COUNTS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}


def items_asked(question: str) -> int | None:
    """How many things "which three benefits ..." asks for (three or more), if it says."""
    m = _ITEMS_ASKED.search(question)
    if m is None:
        return None
    word = m.group(1).lower()
    return _ITEM_COUNTS.get(word) or int(word)


def asks_for_many(question: str) -> bool:
    """Whether the question asks for several things: "who were the investors", "which
    companies", "what countries did" (a plural verb or noun right after the wh-word)."""
    words = re.findall(r"[a-z'’-]+", question.lower())
    for i, word in enumerate(words):
        if word not in ("who", "what", "which"):
            continue
        after = words[i + 1:i + 4]
        if after[:1] in (["are"], ["were"]):
            return True
        for k, noun in enumerate(after):  # "which venture firms", not "what did the analysts"
            if noun in _AUX:
                break
            if noun in _IRREGULAR_PLURALS or (
                    len(noun) > 3 and noun.endswith("s") and noun[-2] not in "siu'’"
                    and words[i + 2 + k:i + 3 + k] != ["the"]):  # "which nation contains the"
                return True
        return False
    return False


_HOW_DIMENSION = re.compile(r"\bhow (?:long|far|deep|high|tall|wide|thick|heavy)\b")
# A telephone number as what is asked: "what is the phone number for bookings", "which
# number do I ring", "what number to call", "contact number for the office"; not "what
# number of guests", "which year was the helpline number launched", "how many phone numbers"
_PHONE_NOUN = r"(?:(?:tele)?phone|contact|mobile|helpline|fax|emergency|office) (?:numbers?|no\.?)"
_PHONE_ASKED = re.compile(
    r"^(?:(?:what|which) (?:is |are |was )?(?:(?:the|their|its|your|our|an?) )?"
    rf"(?:(?!(?:is|are|was|were|do|does|did) )[\w'-]+ ){{0,3}}?{_PHONE_NOUN}\b"
    r"|(?:what|which) numbers? (?:(?:do|should|can|must|would) (?:i|we|you|they) |to )"
    r"[\w' ]{0,30}?\b(?:ring|call|phone|dial|text)\b"
    rf"|{_PHONE_NOUN}\b)")


_WHAT_IS = re.compile(r"what (?:is|was|are|were) ")
# A rate asked for as such: a percentage (or a fraction), only that
_PERCENTAGE = Wanted(Kind.AMOUNT, frozenset({"%", "fraction"}), "amount", strict=True)


def _analyse(question: str) -> Wanted:
    q = " ".join(question.lower().replace("’", "'").split())
    if is_yes_no(q):  # "Did the bridge survive?": the sentence that settles it
        return Wanted(None, frozenset({"whole"}), "sentence")
    if _SENTENCE.search(q):
        # The answer is a sentence (or its cause / means clause), never a lone phrase.
        prefer = ({"reason"} if re.search(_REASON, q) else
                  {"manner"} if q.startswith("how ") else {"whole"})
        return Wanted(None, frozenset(prefer), "sentence")
    if _PHONE_ASKED.search(q):  # "what number do I ring to book": a telephone number
        return Wanted(None, frozenset({"phone"}), "sentence")
    if _MATCH_SCORE.search(q):  # "3-1"; any figure when the sentence writes none
        return Wanted(Kind.AMOUNT, frozenset({"score"}), "amount")
    if _TIME_BEFORE.search(q):  # a time before, no distance nor sum: "two months' notice"
        return Wanted(Kind.DATE, frozenset({"duration"}), "date")
    if _RESULT_TIME.match(q):  # "what was her winning time": "2:07:31", not a day
        return Wanted(Kind.DATE, frozenset({"duration"}), "date")
    if _HOW_SOON.search(q):  # "within three working days", "30 minutes after it begins"
        return Wanted(Kind.DATE, frozenset({"duration", "time"}), "date")
    if _DAY_ASKED.search(q):
        return _date_wanted(q)
    lead = lead_wh(q)
    in_unit = unit_named(question)
    if (statistic := _STATISTIC.search(q)) and not in_unit and statistic.group(1) in _LASTING:
        # "what was the median delay", "what is the minimum stay": how long (not "the
        # longest river", a name)
        return Wanted(Kind.DATE, frozenset({"duration"}), "date")
    if asks_amount(q) or (lead == "what" and (MONEY_VERB.search(q) or _asks_charge(q)
                                               or _SUM_NAMED.search(q))
                           and not set(_which_words(q)) - _MONEY_NOUNS):  # not "what complaints"
        if lead in ("what", "which") and not in_unit and _PERCENT_RATE.search(q):
            # "the completion rate": a percentage, never the count beside it ("377
            # finished, a completion rate of 91.5%")
            return _PERCENTAGE
        return amount_kind(q, in_unit)
    # "how strong was the gust, in kilometres per hour?": the unit says a measure is asked
    if lead in ("what", "which") and (asks_quantity(q) or in_unit) or lead == "how" and in_unit:
        if not in_unit and _PERCENT_RATE.search(q):
            # "what rate of interest", "the jobless rate": a percentage; only a percentage
            # for "what is the ... rate" ("what tax rate has ..." may be a kind of tax)
            return replace(_PERCENTAGE, strict=_WHAT_IS.match(q) is not None)
        wanted = amount_kind(q, in_unit)  # "what hazard ratio", "what ... in watts"
        # a unit named is a preference, not a filter, unless "how long", "how far" ... asks
        # for its dimension too: "how long is the walk in miles" is no count of summits
        return (replace(wanted, strict=False)
                if in_unit and not asks_quantity(q) and not _HOW_DIMENSION.search(q) else wanted)
    if lead == "when" or _DATE.search(q):
        return _date_wanted(q)
    if lead == "where" or _PLACE.search(q):
        prefer = {"country"} if re.search(r"\bcountr(?:y|ies)\b", q) else {"city"}
        return Wanted(Kind.PLACE, frozenset(prefer), "place")
    words = _which_words(q)
    nouns = set(words)
    # "which command should I use", "which model numbers": what the text writes as code
    if nouns & _CODE_NOUNS:
        return Wanted(None, frozenset({"code"}), "sentence")
    if _IDENTIFIER_NOUN.search(q):
        return Wanted(None, frozenset({"code", "identifier"}), "sentence")
    names_of = _NAMES_OF.search(q)
    # "Which coach company": a company; "which company director": a person
    # "Which members voted against it?": people, whatever noun the question calls them by
    people = (any(map(person_noun, nouns)) and _head_of(words) not in _ORG_NOUNS
              or _VOTED.search(q))
    if (lead in ("who", "whom", "whose") or people or _COUNT_RULED.search(q)
            or names_of is not None and person_noun(names_of.group(1))):
        return Wanted(Kind.PERSON, frozenset({"person"}), "person")
    if nouns & _ORG_NOUNS:
        plural = any(n.endswith("s") and (n[:-1] in _ORG_NOUNS or n.endswith("ies")
                                          and n[:-3] + "y" in _ORG_NOUNS) for n in nouns)
        return Wanted(Kind.ORG, frozenset({"org", "list"} if plural else {"org"}), "org")
    return Wanted(None, frozenset(), "sentence")


# "how far ahead", "how much notice", "how much thinking time"; not "how much does time matter"
_TIME_BEFORE = re.compile(r"\bhow (?:far|long) (?:ahead|in advance)\b|\bhow much (?:(?!(?:does|do|"
                          r"did|is|was|will|can)\b)[a-z-]+ )?(?:notice|warning|time)\b")


# "What was the median delay?", "what is the minimum stay?": a statistic of what lasts is
# how long it lasts. Not of anything else: on SQuAD's fit half "what was the average duty"
# and "the median temperature in winter" read as figures lost five answers, gained none.
_STATISTIC = re.compile(r"\bwhat (?:is|was|are|were) (?:the|its|their) (?:average|mean|median|"
                        r"minimum|maximum|shortest|longest|typical) ([a-z]+)\b")
_LASTING = frozenset({"wait", "waits", "waiting", "delay", "delays", "stay", "stays", "journey",
                      "journeys", "commute", "duration", "interval", "tenure", "lifespan",
                      "turnaround"})


# "voted against", "votes for", "voted in favour": the side of a vote asked about
_VOTE = r"vot(?:e|ed|es|ing)\s+(against|for|in\s+favou?r)\b"
_VOTED = re.compile(rf"\b(?:which|what) (?:[\w-]+ ){{1,3}}?{_VOTE}")
_VOTE_SIDE = re.compile(rf"\b{_VOTE}|\b(opposed)\b")


def vote_side(question: str) -> str:
    """ "against" for "who voted against" (or "opposed"), "for" for "voted for" / "in favour",
    else ""."""
    m = _VOTE_SIDE.search(question.lower())
    return "" if m is None else "for" if m.group(1) and m.group(1) != "against" else "against"


# The time a race, a record or a journey took, asked for as such: "What was Yego's winning
# time?", not "Who set the fastest lap time?" nor "What is the best time to visit?"
_RESULT_TIME = re.compile(r"what (?:was|is|were|are) (?:[\w'’-]+ ){0,5}?(?:winning|finishing|"
                          r"finish|race|record|qualifying|lap|journey|travel|flight|waiting|"
                          r"response|total(?: (?!one\b)[\w-]+)?) times?\b"
                          r"(?![\s-]+(?:payments?|fees?|charges?|costs?|purchases?)\b)")


# How soon, how late, how early: a time before or after something, or the clock's
_HOW_SOON = re.compile(r"\bhow (?:soon|late|early)(?=\s+(?:is|was|are|were|do|does|did|can|could|"
                       r"should|must|will|would|may|might|after|before|in|into)\b|\s*[?,]|$)")


def _date_wanted(q: str) -> Wanted:
    length = "how long" in q and asks_length(q)
    prefer = ({"duration"} | ({"length"} if length else set()) if "how long" in q
              # "on what date": a day, not the year alone ("... from last year")
              else {"date", "relative"} if re.search(r"\b(?:what|which) (?:date|day)\b", q)
              else {"time"} if re.search(_CLOCK_TIME, q) or re.search(_HOURS, q)
              else {"month", "date"} if re.search(r"\b(?:what|which) months?\b", q)
              # "in which decade": "the 1860s", not a year in it
              else {"decade"} if re.search(r"\b(?:what|which) decades?\b", q)
              # "what period each year", "what time of year": dates, not a year
              else {"date", "month", "relative"} if _PERIOD.search(q)
              # not "each year", "twice a year": how often, not which year
              else {"year"} if re.search(r"(?<!\beach )(?<!\bevery )(?<!\bper )(?<!\ba )"
                                         r"\byears?\b", q)
              else {"date", "month", "year", "relative", "century", "decade"})
    if re.search(r"^when (?:can|could|does|do|is|are) [^?]*\b(?:open|visit|visited|collect|"
                 r"collected|drop off|pick up|picked up)\b", q):
        # "When can I visit the museum?": its hours, "Wed–Sun 10:00–16:00"; "when can I
        # pick up the parcel?": the hours of collection, and only they when the day is said
        # ("on a Saturday")
        prefer = {"time"} if _ON_DAY.search(q) else prefer | {"time"}
    # "What time does the ferry leave?": a timetable's clock, and nothing else; "at what time
    # did the river form" asks for an era
    # "In which month": a month's name, not "the first Saturday"
    edge = _edge(q) if "how long" not in q else ""
    return Wanted(Kind.DATE, frozenset(prefer), "date", measured="long" if length else "",
                  strict=_TIMETABLE.search(q) is not None or prefer == {"month", "date"},
                  edge=edge)


_ON_DAY = re.compile(rf"\bon (?:an? |the )?(?:{WEEKDAY.lower()})s?\b")


def _edge(q: str) -> str:
    """ "start" for "When does the exhibition open?" (the first date of "from 14 March to 7
    September"), "end" for "when did the works end?" or "until when is it open?"; the verb
    said last decides ("when did the strike that started in March end?"); "" for neither."""
    if _UNTIL_WHEN.search(q):
        return "end"
    if _PERIOD.search(q) or _STATE.search(q):
        return "range"
    said = [(m.start(), "start") for m in _STARTS.finditer(q)] + [
        (m.start(), "end") for m in _ENDS.finditer(q)]
    return max(said)[1] if said else ""


# not "open-air", "end-of-season"
_STARTS = re.compile(r"(?<![\w-])(?:open|opens|opened|start|starts|started|begin|begins|began|"
                     r"commence|commences|commenced)(?![\w-])")
_ENDS = re.compile(r"(?<![\w-])(?:close|closes|closed|end|ends|ended|finish|finishes|finished|"
                   r"expire|expires|expired|shut|shuts)(?![\w-])")
# "When will the pool be shut?": a state that lasts, the whole of "from 2 June to 15 June"
# "When will the survey take place?", "when was the festival held?": when it happens, the whole
# of "from May to July 2026" as if it were a single day
_STATE = re.compile(r"\b(?:be|being|been)\s+(?:closed|shut)\b|\b(?:take|takes|took|taken|taking)"
                    r"\s+place\b|\b(?:be|is|are|was|were)\s+(?:held|carried out)\b"
                    r"|\b(?:held|carried out)\s*\??$")
# "During what period ...?", "between which dates": the whole of "from 1 May to 15 July"
_PERIOD = re.compile(rf"\b(?:what|which) (?:{_PERIOD_WORDS}|dates)\b|\bfrom when to when\b")
_UNTIL_WHEN = re.compile(r"\b(?:until|till|up to) when\b|\bhow late\b")


def lead_wh(question: str) -> str | None:
    """The question's first wh-word, in lower case: the one that says what it asks for."""
    return next((w for w in re.findall(r"[a-z]+", question.lower()) if w in WH_WORDS), None)
# Rates that are percentages: not a heart or frame rate, an exchange rate or a rate of pay.
_RATED = (r"interest|unemployment|jobless|inflation|tax|vat|employment|literacy|mortality|"
          r"growth|participation|vacancy|occupancy|default|approval|admission|acceptance|"
          r"success|failure|survival|response|turnout|poverty|savings|discount|fertility|"
          r"infection|completion|graduation|retention|dropout|error|win|conversion|"
          r"inactivity|return")
_PERCENT_RATE = re.compile(rf"\b(?:{_RATED})\s+rates?\b|\brates?\s+of\s+(?:{_RATED})\b")


def _which_words(q: str) -> list[str]:
    """The words between "which"/"what" and the verb, in order: "which venture capital firm
    led" -> venture, capital, firm."""
    m = WHICH.search(q)
    if not m or re.match(r"(?:sorts?|kinds?|types?) of\b", m.group(1)):
        return []  # "what sorts of people": kinds of people, not a person's name
    words = []
    for word in m.group(1).split():
        word = re.sub(r"'s$", "", word)
        if word in AUXILIARIES:
            break
        words.append(word)
    return words


def _head_of(words: list[str]) -> str | None:
    """Of `_which_words`, the last that is a noun for people or for organizations: the one
    asked for ("coach company": company)."""
    return next((w for w in reversed(words) if person_noun(w) or w in _ORG_NOUNS), None)


# Agent nouns known by their ending: "goldsmith", "shipwright", "optician", "geologist",
# "cartographer", "fishmonger" (not "-maker": a carmaker is a company, a clockmaker is listed)
_PERSON_ENDINGS = tuple(f"{ending}{plural}" for ending in (
    "smith", "wright", "ician", "ologist", "grapher", "monger") for plural in ("", "s"))
# Plurals that name things too: "which chairs were replaced", "heads of cattle"
_THINGS_TOO = frozenset({"chairs", "heads"})


def person_noun(word: str) -> bool:
    """A noun a "which" question asks for a person with: a listed one, or an agent noun."""
    return (word in _PERSON_NOUNS or word.endswith(_PERSON_ENDINGS)
            or word.endswith("s") and word[:-1] in _PERSON_NOUNS  # "which members"
            and word not in _THINGS_TOO)


_CIRCUMSTANCE_BEFORE = re.compile(r"\b(?:after|following|during|since|amid|before|"
                                  # "the total, including VAT": a sum's terms, not its owner
                                  r"including|excluding|incl\.|excl\.|plus|inclusive\s+of|"
                                  r"exclusive\s+of|net\s+of)\s+(?:the\s+)?"
                                  r"(?:\w+'s\s+)?$")
_EVENT_AFTER = re.compile(r"^(?:'s)?\s+(?:rout|sell-?off|crash|launch|release|turmoil|shock|"
                          r"boom|breakthrough|moment|era|news|ranking|index|report|survey|"
                          r"study)\b")


def named(question: str, known: KnownNames) -> tuple[frozenset[str], frozenset[str]]:
    """Organizations the question is about (an answer must mention them), and those it names
    only as circumstance ("after Norvale's launch", "in the Norvale rout"), which need not."""
    text = question.replace("’", "'")
    required, optional = set(), set()
    for span in organizations(text, known):
        before, after = text[:span.start], text[span.end:]
        if _CIRCUMSTANCE_BEFORE.search(before) or _EVENT_AFTER.search(after):
            optional.add(span.text)
        else:
            required.add(span.text)
    return frozenset(required), frozenset(optional - required)


def definiendum(question: str) -> str | None:
    """X in a short "What is X?" question."""
    m = re.match(r"\s*what (?:is|are|was|were) (?:an? |the )?([\w&.-]+)\s*(?:\?|$| in | of )",
                 question, re.IGNORECASE)
    return m.group(1) if m and len(question.split()) <= 6 else None


def defines(sentence: str, term: str) -> int | None:
    """Where `sentence` defines `term` (the offset of the term), or None if it only names it."""
    found = definition(sentence, term)
    return None if found is None else found[0]


def definition(sentence: str, term: str) -> tuple[int, int | None] | None:
    """Where `sentence` defines `term`: the offset of the term, and where the words that
    define it start when they follow it ("VNX, a fund ...", "VNX is a fund ...", "VNX means
    ...") or None when they come before ("a fund called VNX"); None if it only names it."""
    t = re.escape(term)
    # The copula must lead to a noun phrase: "VNX is a fund" defines, "VNX were already
    # investors" only mentions.
    m = re.search(rf"(?P<t>\b{t}\b)(?P<c>,?) (?P<dt>an?|the)\b|(?P<u>\b{t}\b) (?:is|was|are|were)"
                  rf" (?P<du>an?|the|one of|when)\b|(?P<v>\b{t}\b) (?:means|refers to) (?P<dv>)"
                  rf"|(?:called|named|known as) (?P<w>{t}\b)", sentence, re.IGNORECASE)
    if m is None:
        return None
    form = next(g for g in "tuvw" if m.group(g))
    # Without its comma, "X the ..." is no apposition: the definition is not marked off.
    says = None if form == "w" or (form == "t" and not m.group("c")) else m.start(f"d{form}")
    return m.start(form), says


_ORDINALS = {"first": "First", "second": "Second", "third": "Third", "fourth": "Fourth",
             "fifth": "Fifth", "last": "Finally|Lastly", "final": "Finally|Lastly"}


def list_item(question: str) -> re.Pattern[str] | None:
    """For "what was the first thing X proved", how that item opens its sentence ("First,")."""
    m = re.search(r"\bthe (first|second|third|fourth|fifth|last|final) (?:thing|reason|point|"
                  r"lesson|step|factor|argument|way|problem|risk)s?\b", question, re.IGNORECASE)
    return None if m is None else re.compile(rf"(?:{_ORDINALS[m.group(1).lower()]})(?:ly)?\b")


# --- the question's words -------------------------------------------------------------------------

STEM_PREFIX = 5


@functools.lru_cache(maxsize=1 << 16)  # a language's words, not its sentences: a bounded set
def stem(word: str) -> str:
    """A word's Snowball stem cut to its first five letters: loose on purpose, so "investor"
    meets "investment" and "applied" "applicant" (on SQuAD 2.0 dev's fit half, forced EM
    0.4478 with whole Snowball stems, 0.4527 cut to five letters)."""
    return porter2(word.lower())[:STEM_PREFIX]


def question_terms(index: Index, question: str) -> dict[str, float]:
    """Question words (stemmed) weighted by rarity in the index; unknown words weigh most."""
    weight = term_weight(index.bm25)
    terms: dict[str, float] = {}
    question = _FRAME.sub(" ", question)
    # The English analyzer keeps "what", "did", "which" for search (Lucene's list is short);
    # a sentence is not closer to a question for sharing them, so the simple analyzer's
    # fuller list (NLTK's) is left out here too.
    analyzer = ANALYZERS[index.analyzer]
    for token in analyzer.tokenize(question, index.stopwords | DEFAULT_STOPWORDS):
        terms[stem(token)] = max(terms.get(stem(token), 0.0), weight(token))
    return terms


_FRAME = re.compile(r"\bhow\s+\w+", re.IGNORECASE)  # "how much", "how far": not content


def content_terms(index: Index, question: str) -> frozenset[str]:
    """The question's tokens that say what it is about (the passages underline them): its
    index tokens less the words that only frame a question ("much", "ever", "go")."""
    return frozenset(t for t in index.tokenize(question) if t not in QUESTION_FRAME)


def content_sequence(index: Index, text: str) -> list[str]:
    """The content words of `text` (stemmed) in order, as `question_terms` sees words."""
    analyzer = ANALYZERS[index.analyzer]
    return [stem(t) for t in analyzer.tokenize(text, index.stopwords | DEFAULT_STOPWORDS)]


def words_of(index: Index, text: str) -> set[str]:
    return {stem(t) for t in index.tokenize(text)}


def coverage(terms: dict[str, float], words: set[str]) -> float:
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in words) / total if total else 0.0
