"""Does a candidate state what the question asks about, or only something near it?

A sentence can share a question's words and organization and still answer another question:
"What is Quarric's revenue?" against Quarric's market value, "How much did Velcor put into
Halcyon?" against VNX's fund size in a sentence naming Velcor, "Who is the CEO of
Lumenfold?" against an investor quoted about Lumenfold. These checks say no to such
candidates, so the question is answered by a sentence that states the relation, or not at all.

- relation: the kind of figure the question asks for (`qa.reader.owners.KINDS`: revenue, valuation,
  a fall ...) must not contradict the kind of the figure (its nearest keyword). Kinds that
  are one quantity seen from different sides count as the same (spending, investing,
  funding, buying and costing are all money going out; a fall and a loss both go down);
- owner: a figure whose owner is a known organization must belong to one the question
  names as actor ("did Velcor put into Halcyon": Velcor's, not Halcyon's), or to any it
  names when none acts, or be paid to one it names;
- role: "the CEO of X", "the chairman": the sentence (or what it is read with) says that role;
- author: "who wrote X" is answered by the document's byline when the document gives one;
- subject: a figure about a name is not given by a sentence whose subject is another name
  ("Tarnwick Fell received 71.6 mm of rain" for the rain at Orrin Moss).
"""

from __future__ import annotations

import functools
import re

from qa.ingest.entities import Parse
from qa.language import MONTHS, WEEKDAYS
from qa.reader.extract import Span
from qa.reader.names import KIN, TITLE_ALIASES, TITLES, KnownNames, organizations
from qa.reader.owners import kinds_named, owner_of, what_of

__all__ = ["NOUN_QUALIFIER", "acting_stem", "asked_names", "asked_post", "authored",
           "doer_labels", "doer_stem", "field_label", "field_owner", "name_keys", "noun_label",
           "other_subject",
           "relation_agrees", "relations", "role_words", "says_role", "subjects"]

# Kinds of figure that answer one another's questions (keys of qa.reader.owners.KINDS).
_FAMILIES = (
    frozenset({"spend", "investment", "fund", "commitment", "budget", "cost", "purchase",
               "borrowing", "forecast"}),
    frozenset({"fall", "loss"}),
    frozenset({"rise"}),
    frozenset({"valuation"}),
    frozenset({"revenue"}),
    frozenset({"profit"}),
    frozenset({"share"}),
)


def relations(question: str) -> frozenset[str]:
    """The kinds of figure the question names ("revenue", "valued" -> valuation ...)."""
    asked = kinds_named(question)
    # "How much was wiped off its valuation": the change is asked for, not what it changed.
    return asked & _CHANGES or asked


_CHANGES = frozenset({"fall", "loss", "rise"})


def relation_agrees(text: str, a: int, b: int, span: Span, asked: frozenset[str],
                    named: frozenset[str], known: KnownNames,
                    subjects: frozenset[str] = frozenset(), uncased: str = "") -> bool:
    """False when the figure is plainly another quantity than the one asked for, or
    belongs to another organization than the ones the question names, as names or in lower
    case ("a ticket on the night ferry" for the Night Ferry; `uncased` is the question's words
    written in lower case)."""
    if asked:
        what = what_of(text, a, b, span)
        if what is not None and not any(what in f and asked & f for f in _FAMILIES):
            return False
    if named:
        owner, target = owner_of(text, a, b, span, known)
        owners = {o.strip() for o in (owner or "").split(",") if o.strip()}
        if (owners and not owners & (subjects or named) and target not in named
                and not any(f" {o.lower()} " in f" {uncased} " for o in owners)):
            return False
    return True


_OBJECT = re.compile(r"\b(?:in|into|to|for|of|from|on)\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?$",
                     re.IGNORECASE)


def subjects(question: str, named: frozenset[str], known: KnownNames) -> frozenset[str]:
    """The named organizations that act ("did Velcor put into Halcyon": Velcor), not those
    acted on; a figure answering the question is the actor's."""
    return frozenset(s.text for s in organizations(question, known)
                     if s.text in named and not _OBJECT.search(question[:s.start]))


# "Who is the CEO of X" is answered by a sentence that says CEO (or chief executive), not by any
# person near X: the offices a question can name, and the words that state each.
_ROLES = {word: "|".join(map(re.escape, title.held_as))
          for word, title in TITLES.items() if title.held_as}


def role_words(question: str) -> tuple[str, ...]:
    """Patterns for the offices the question names ("the CEO of Acme" -> CEO), or for
    the post a "who is the X of ..." question asks the holder of (`_post_asked`)."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    if verb := _WHO_VERB.match(question.lower()):  # "who chairs the panel": its chair
        words |= {verb.group(1), verb.group(2)}
    words |= {TITLE_ALIASES[w] for w in words & TITLE_ALIASES.keys()}  # "boss": CEO
    return tuple(pattern for word, pattern in _ROLES.items() if word in words) or _post_asked(
        question)


def asked_post(question: str) -> str:
    """The pattern of the post whose holder the question asks for, when it asks for that
    and nothing else: "Who was the captain of the ship?", "Who chairs the panel?"; "" for
    "Who did the mayor appoint?" (the mayor is named, not asked for)."""
    low = " ".join(question.lower().split())
    m = _POST_ASKED.match(low)
    if m is not None:
        post = TITLE_ALIASES.get(m.group(2), m.group(2))
        if m.group(1) and (held := _HELD_AS.get(f"{m.group(1)} {post}")):
            return held
        if post in _ROLES:
            return _ROLES[post]
        found = _post_asked(question)
        if not found and m.group(1) in _HEADED and not _RELATION.fullmatch(post):
            return re.escape(post)  # "the head chef": the chef a sentence names, if one does
        return found[-1] if found else ""
    verb = _WHO_VERB.match(low)
    if verb and (role := _ROLES.get(verb.group(2))):
        return role
    # "Who examined the accounts?": "our independent examiner, Tomasz Lind", the agent noun
    # of the verb (not "examined Tomasz", its object)
    doer = doer_stem(question)
    return rf"{doer}\w*(?:er|or|ant|(?<!m)ent|ist)" if doer else ""


# "Who is the head keeper of the aviary?", "who was the inventor of the engine?": a post or an
# agent, which the answering sentence (or what it is read with) names, as a noun or, for an
# agent in -er/-or, its verb ("keeps", "invented"; a few verbs change their vowel: "won",
# "led"): not a curator quoted beside the aviary. The post's noun is the last word before
# "of", "at" or "in charge of", an agent by its ending or a post word, with its rank if it
# has one ("head", "deputy": `_RANKS`). Relations are no posts
# ("the father of", "the rival of"), and "author" and "writer" are a byline's (`authored`).
_POST_ASKED = re.compile(r"who (?:is|was|are|were|will be|has been) (?:the|its|their|his|her) "
                         r"(?:([a-z]+) )?([a-z]+) (?:of|at|in charge of)\b")
_AGENT = re.compile(r"(?:er|or|ist|ian)$|^(?:head|chief|chair|captain|coach|dean|principal|"
                    r"boss|executive)$")
_RELATION = re.compile(rf"{KIN}|author|writer|rival|partner|member|owner|recipient|successor|"
                       r"predecessor|proponent|opponent|other|mother|father|daughter|brother|"
                       r"sister|neighbou?r|player")
_VOWEL_CHANGED = {"winner": "w(?:inn|on)", "leader": "le(?:ad|d)", "holder": "h(?:old|eld)",
                  "buyer": "b(?:uy|ought)", "seller": "s(?:ell|old)", "teacher": "t(?:each|aught)",
                  "singer": "s(?:ing|ang|ung)", "speaker": "sp(?:eak|oke)"}


def _post_asked(question: str) -> tuple[str, ...]:
    m = _POST_ASKED.match(" ".join(question.lower().split()))
    post = m.group(2) if m else ""
    if m and m.group(1) and (held := _HELD_AS.get(f"{m.group(1)} {post}")):
        return (held,)  # "the chief executive of": "CEO" says it as well
    if not _AGENT.search(post) or _RELATION.fullmatch(post):
        return ()
    word = _VOWEL_CHANGED.get(post) or re.escape(re.sub(r"(?:er|or)$", "", post)
                                                 if len(post) > 5 else post)
    rank = m.group(1) if m and m.group(1) in _RANKS else None
    return (rank, word) if rank else (word,)


# The verb right after "who", less its ending: "who chairs", "who chaired" (a post's word);
# for a form's label, its stem of four letters or more ("who applied": "appl", "Applicant:")
_WHO_VERB = re.compile(r"\s*who ((\w+?)(?:s|ed))\b")
# "who applied", "who surveys", and "who is directing" ("Director:")
_WHO_DID = re.compile(r"\s*who\s+(?:([a-z]{4,}?)(?:ied|ed|es|s)|(?:is|are|was|were|will\s+be)\s+"
                      r"([a-z]{4,}?)ing)\b", re.IGNORECASE)


# "Which firm supplied the turbines?" ("Supplier:"); the last word of "Which company has the
# dredging contract?" ("Contractor:"); the noun of "Which technician worked on it?" and of
# "What is the name of the tug?"
_WHICH_DID = re.compile(r"\s*(?:which|what)\s+[a-z]+\s+([a-z]{4,}?)(?:ied|ed|es|s)\b",
                        re.IGNORECASE)
_LAST_WORD = re.compile(r"\b([a-z]{4,})\W*$")
_WHICH_NOUN = re.compile(r"\s*(?:which|what)\s+([a-z]{4,})\b|\s*what(?:['’]s|\s+is|\s+was)\s+"
                         r"the\s+name\s+of\s+(?:the|its|their|this)\s+([a-z]{3,})\b",
                         re.IGNORECASE)
# An agent noun: "Applicant", "Contractor", "Examiner", "Prepared by"; not "management"
_AGENT_LABEL = r"\w*?(?:icant|ant|(?<!m)ent|er|or|ee|ed by|ied by)"


def doer_labels(question: str) -> tuple[str, ...]:
    """Patterns of a form's label that names the doer asked for: the agent of the question's
    verb ("who applied": "Applicant:", "which firm supplied": "Supplier:"), or else of its
    last word ("the dredging contract": "Contractor:"), unless the question names the post
    it asks the holder of ("Who is the chair of the trust?" is no "Trustee:")."""
    which = _WHICH_DID.match(question)
    stem = doer_stem(question) or (which.group(1).lower() if which else "")
    if not stem:
        if _POST_ASKED.match(" ".join(question.lower().split())):
            return ()
        last = _LAST_WORD.search(question)
        stem = last.group(1).lower() if last else ""
    return (re.escape(stem) + _AGENT_LABEL,) if stem else ()


# "Who is the head bailiff for the fishery?": "Head bailiff: Colm Rafferty"
_POST_OF = re.compile(r"\s*who\s+(?:is|was|are|were)\s+(?:the|its|their|his|her)\s+"
                      r"((?:[a-z]+\s+){0,2}?[a-z]{4,})(?:\s+(?:of|for|at|in|on)\b|\s*\?|$)",
                      re.IGNORECASE)

# "What is the flash point of ...?": "Flash point:"; "Which VAT number is on the invoice?":
# "VAT number:" (a short word may open the noun: "VAT", "ID"); no preposition inside it
_NOUN_WORD = r"(?!(?:of|to|for|on|at|in|by|with|from|the|a|an|these|those|this|that)\b)[a-z]+"
_WHAT_OF = re.compile(rf"\s*what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the|its|their)\s+"
                      # "What's the agency's reference for ...?": the owner's noun, which
                      # the field's part of the document must write (`field_owner`)
                      r"(?:(?P<owner>[a-z-]+)['’]s\s+)?"
                      rf"(?P<noun>(?:{_NOUN_WORD}\s+){{0,2}}?{_NOUN_WORD}(?<=\w{{4}}))"
                      r"(?:\s+(?:of|for|on|at|in|from)\b|\s*\?|$)", re.IGNORECASE)
_WHICH_THING = re.compile(rf"\s*(?:which|what)\s+({_NOUN_WORD}\s+{_NOUN_WORD}(?<=\w{{4}}))\s+"
                          r"(?:is|was|are|were|does|did|do|has|have)\b", re.IGNORECASE)


NOUN_QUALIFIER = r"(?:\w+[ \t])?"  # a word before a label's noun: "Lead technician:"


def noun_label(question: str) -> str:
    """The pattern of a form's label that is the thing the question asks which of ("Which
    technician worked on it?": "Technician:", "Lead technician:") or the post it asks the
    holder of ("Who is the head bailiff?": "Head bailiff:"), or ""."""
    which = _WHICH_NOUN.match(question)
    if which is not None:  # "Lead technician:" is a technician
        return rf"{NOUN_QUALIFIER}{re.escape((which.group(1) or which.group(2)).lower())}s?"
    post = _POST_OF.match(question)
    if post is None:  # the post as asked: not "Vice president:" for "the president"
        return ""
    return _singular_or_plural(post.group(1))


def _singular_or_plural(words: str) -> str:
    """A label's pattern for the noun `words`, singular or plural ("founders" -> "founders?")."""
    words = re.sub(r"(?<=[^s])s$", "", " ".join(words.lower().split()))
    # "Reference number:" is the reference asked for (not "Policy no." the policy on refunds)
    number = r"(?: (?:number|no\.?))?" if words.endswith("reference") else ""
    return rf"{re.escape(words)}s?{number}"


def field_owner(question: str) -> str:
    """The owner a "What's the agency's reference ...?" names before the thing asked, or ""."""
    found = _WHAT_OF.match(question)
    return (found.group("owner") or "") if found else ""


def field_label(question: str) -> str:
    """The pattern of a form's label that names the thing a question asks for: "Flash point:"
    for "What is the flash point of ...?", "VAT number:" for "Which VAT number is ...?", and
    what `noun_label` gives; "" for none. Only a field with that very label answers from it
    (`qa.reader.fields.field_answer`)."""
    what = _WHAT_OF.match(question)
    found = what.group("noun") if what else (m.group(1) if (m := _WHICH_THING.match(question))
                                             else None)
    return noun_label(question) if found is None else _singular_or_plural(found)


def asks_holder(question: str) -> bool:
    """The question asks who holds a post: "Who is the rector of ...?", "Who was its mayor?"."""
    return _POST_OF.match(question) is not None


def doer_stem(question: str) -> str:
    """The stem of the verb a "who" question asks the doer of: "Who applied ..." -> "appl"
    ("Applicant:"), "Who prepared ..." -> "prepar" ("Prepared by:"); "" for none."""
    m = _WHO_DID.match(question)
    return (m.group(1) or m.group(2)).lower() if m else ""


# "Which football teams reached ...": a verb in the past a word or two after the noun
_WHICH_DID_PAST = re.compile(r"\s*(?:which|what)\s+(?:[a-z]+\s+){1,2}?([a-z]{3,}?)(?:ied|ed)\b",
                             re.IGNORECASE)


def acting_stem(question: str) -> str:
    """The stem of the verb whose doer the question asks for: a "who" question's
    (`doer_stem`), or a "which" question's: "Which lender offers ..." -> "offer", "Which
    football teams reached ..." -> "reach"; "" for none."""
    if stem := doer_stem(question):
        return stem
    m = _WHICH_DID_PAST.match(question) or _WHICH_DID.match(question)
    return m.group(1).lower() if m else ""
# An office written in two words, to the pattern of every way a text states it
_HELD_AS = {form: _ROLES[word] for word, title in TITLES.items() for form in title.held_as
            if " " in form and word in _ROLES}


# Ranks that make a post of any noun ("the head chef"), not "senior figure", "junior champion"
_HEADED = frozenset({"head", "deputy", "assistant"})
# A rank makes another post ("the head keeper" is not any keeper); "chief" is often left out
_RANKS = frozenset({"head", "deputy", "assistant", "vice", "senior", "junior", "acting"})
# Of those (and others), the ranks that make another post of the one after them: "deputy
# headteacher" is not the headteacher; a "head" or "acting" coach is the coach
_OTHER_RANK = re.compile(
    r"\b(deputy|assistant|vice|associate|former|junior|trainee|under)[\s-]+$", re.IGNORECASE)


def says_role(text: str, roles: tuple[str, ...], question: str = "") -> bool:
    """`text` names each of the roles, and not only with a rank the question does not ask
    for: "Mr Ray Kell remains deputy headteacher" does not say who the headteacher is."""
    asked = question.lower()
    return all(any(not _other_rank(text, m.start(), asked)
                   for m in re.finditer(rf"\b(?:{r})", text, re.IGNORECASE)) for r in roles)



def _other_rank(text: str, at: int, asked: str) -> bool:
    rank = _OTHER_RANK.search(text, max(0, at - 12), at)
    return rank is not None and rank.group(1).lower() not in asked


_WROTE = re.compile(r"\bwho (?:wrote|writes|authored|penned)\b|\bauthor of\b", re.IGNORECASE)


def authored(question: str, author: str | None) -> str | None:
    """The byline to look for when the question asks who wrote something."""
    if not author or not _WROTE.search(question):
        return None
    return author if re.fullmatch(r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}", author) else None


# A capitalized word past the question's first, and a name the question gives only as a
# circumstance ("during Storm Ilse", "after the Brexit vote"), which a sentence need not be about
_ASKED_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]{2,}")
_CIRCUMSTANCE = re.compile(r"\b(?:during|after|before|since|amid|following|throughout)\s+"
                           r"(?:the\s+)?(?:[A-Z][\w'’-]*\s+)*$")
# Verbs that report what their clause says: "Ms Okafor said it would spend $6 billion" gives
# a company's figure though the speaker is its subject.
_REPORTING = frozenset({"say", "said", "says", "told", "tell", "tells", "add", "added", "adds",
                        "announce", "announced", "announces", "note", "noted", "notes",
                        "expect", "expects", "expected", "estimate", "estimated", "estimates",
                        "report", "reported", "reports", "confirm", "confirmed", "confirms",
                        "believe", "believes", "believed", "think", "thinks", "thought"})


def asked_names(question: str) -> frozenset[str]:
    """The capitalized words the question names past its first word ("Orrin", "Moss"), by
    their first letters (`name_keys`); not a month's or a day's name, which dates, nor a name
    given as a circumstance."""
    return frozenset(
        _name_key(m.group()) for m in _ASKED_NAME.finditer(question)
        if m.group().lower() not in _CALENDAR
        and not _CIRCUMSTANCE.search(question, max(0, m.start() - 60), m.start()))


_CALENDAR = frozenset(w.lower() for w in (*MONTHS, *WEEKDAYS))


def _name_key(word: str) -> str:
    """A name's first five letters, without a possessive: "Victoria's", "Victorian" and
    "Victorians" are one, "Acme's" is "Acme"."""
    return re.sub(r"['’]s?$", "", word.lower())[:5]


@functools.lru_cache(maxsize=4096)  # a sentence, or what it is read with, for each question
def name_keys(text: str) -> frozenset[str]:
    """The keys (`_name_key`) of every word of `text`."""
    return keys_of(text)


def keys_of(text: str) -> frozenset[str]:
    """`name_keys` of a text read once (a whole document), not worth a place in the cache."""
    return frozenset(_name_key(w) for w in re.findall(r"[\w'’-]+", text))


def other_subject(parse: Parse | None, text: str, a: int, b: int, asked: frozenset[str],
                  agents: frozenset[tuple[int, int]] = frozenset()) -> bool:
    """The sentence `text[a:b]` is about another name than the question's: its main verb's
    subject is a proper name of two words or more ("Pellow Edge") and the sentence writes no
    word of `asked` (`asked_names`), and
    the subject is none of `agents` (the spans of people, groups and works: a person acts for
    what the question names, "Lorne proposed an arch with the track 52 metres above the
    water"; "Buddhists numbered ..." counts a group; a play is its author's) nor the subject
    of a reporting verb ("... said it would")."""
    if parse is None or not asked or name_keys(text[a:b]) & asked:
        return False
    tokens = parse.within(a, b)
    first = tokens.start
    for i in tokens:
        head = parse.heads[i]
        if (parse.deps[i] not in ("nsubj", "nsubjpass") or parse.heads[head] != head
                or parse.tags[i] not in ("NNP", "NNPS")):
            continue
        verb = text[parse.starts[head]:parse.ends[head]].lower()
        j = i
        while j > first and parse.tags[j - 1] in ("NNP", "NNPS") and j <= parse.heads[j - 1] <= i:
            j -= 1  # the name's words hang from its last or from one another
        if j == i or text[parse.starts[j] - 1:parse.starts[j]] in ("*", "_", '"', "“"):
            return False  # "the Defendant", "Judgment: ...", "*De Dochter ...*": one capitalized
            # word is as often a role or a label as a name, and a title in quotes is a work's
        start, end = parse.starts[j], parse.ends[i]
        return verb not in _REPORTING and not any(p < end and start < q for p, q in agents)
    return False
