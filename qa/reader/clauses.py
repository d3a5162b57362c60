"""The clause of a sentence that answers a why, how or "what is X" question: the cause, the
means, or the words that define X."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from qa.ingest.entities import Parse
from qa.reader.names import CODE_PATTERN
from qa.reader.question import Wanted, definition

__all__ = ["CAUSE", "answering_clause", "defining_clause", "kind_asked", "kind_named",
           "listed_after", "new_code", "object_list", "result_cause", "said_after_colon"]


_MEANS = re.compile(r"\b(?:by|through|using|via|with the help of|by means of)\b", re.IGNORECASE)
# A colon between digits is a time or a ratio ("before 09:30", "3:1"), not a clause's end.
_COLON = r"(?<!\d):|:(?!\d)"
_CLAUSE_END = re.compile(rf";|{_COLON}|,\s|\s[–—-]\s")
_STATEMENT_END = re.compile(rf";|{_COLON}|\s[–—-]\s")


def answering_clause(text: str, a: int, b: int, wanted: Wanted) -> tuple[int, int] | None:
    """For a why (how) question, the clause of text[a:b] that gives the cause (the means):
    from its marker ("because", "due to"; "by", "through") to the end of the clause, or
    None when the sentence has no such marker. A clause that opens the sentence ("Because
    of X, Y") ends at its comma; one inside it runs to the next clause break."""
    marker = (CAUSE if "reason" in wanted.prefer else
              _MEANS if "manner" in wanted.prefer else None)
    found = marker.search(text, a, b) if marker else None
    if found is None:
        return None
    stated = _REASON_IS.match(text, found.start(), b)
    if stated:  # "The principal reason for the increase is that X, Y and Z were ...": X ...
        stop = _STATEMENT_END.search(text, stated.end(), b)
        told = _REPORTED.search(text, stated.end(), stop.start() if stop else b)
        end = _trimmed(text, stated.end(), told.start() if told else stop.start() if stop else b)
        return (stated.end(), end) if end - stated.end() > 2 else None
    stop = _CLAUSE_END.search(text, found.end(), b)
    end = _trimmed(text, found.start(), stop.start() if stop else b)
    return (found.start(), end) if end - found.end() > 2 else None


# "the reason for the increase is that ...", "the reason for it is the high risk of ...": what
# the copula says is the reason (not "is unclear"), to the end of the statement (its commas may
# set off a list or an apposition) or to who says so
_REASON_IS = re.compile(r"(?:reasons?|causes?)\b[^.;:,]{0,80}?\s(?:is|was|are|were)\s+"
                        r"(?:that\s+|(?=(?:the|a|an|its|their|his|her|our)\s))"
                        # a form's field: "Reason: To protect the hedgerow."
                        r"|reasons?[ \t]*:[ \t]*(?=\S)", re.IGNORECASE)
# Who says so, after the reason: ", engineers found", ", according to the operator"
_REPORTED = re.compile(r",\s+(?:according\s+to\b|(?:[\w'’-]+\s+){1,4}(?:said|says|found|added|"
                       r"explained|noted|reported|claimed|told|believe|believes|think|thinks)\b)")


def defining_clause(text: str, a: int, b: int, term: str) -> tuple[int, int] | None:
    """For "what is X", the words of text[a:b] that define X: an apposition up to its comma
    ("VNX, a fund backed by the UAE, said ..."), or what the copula (or "means") leads to, up
    to the statement's end ("VNX is a fund that ..."). None when the sentence does not define
    X, or names X after what defines it ("a fund called VNX"), whose edge it cannot tell."""
    found = definition(text[a:b], term)
    if found is None or found[1] is None:
        return None
    start = a + found[1]
    apposition = "," in text[a + found[0]:start]
    stop = (_CLAUSE_END if apposition else _STATEMENT_END).search(text, start, b)
    end = _trimmed(text, start, stop.start() if stop else b)
    return (start, end) if end - start > 2 else None


def _trimmed(text: str, start: int, end: int) -> int:
    """`end` moved back past the punctuation and spaces that close a clause."""
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ")%":
        end -= 1
    return end


# "driven mainly by", "due largely to": the cause, how much of it aside
_MOSTLY = r"(?:(?:mainly|mostly|largely|partly|chiefly|primarily|entirely|in part) )?"
# "since" gives a cause, but not before a time ("the first release since version 4.0",
# "since 2019", "since then", "since March", "since the summer of 2022"), nor after "has"
# ("has since been replaced").
CAUSE = re.compile(rf"\b(?:because|due {_MOSTLY}to|owing to|as a result|following|thanks to|"
                    rf"reason|causes?\s+(?:of|for)|so that|in order to|led to|driven {_MOSTLY}by|"
                    rf"caused {_MOSTLY}by|"
                    r"blaming|blamed|"
                    r"citing|attributed to|on account of|(?<=, )reflecting|resulting from|"
                    r"(?:is|was|are|were|be) (?:the |a )?(?:direct )?result of"
                    r"|(?<!\bhas )(?<!\bhad )(?<!\bhave )(?<!\bever )"
                    r"since(?!\s+(?:[\w.-]+\s+)?\d|\s+(?:then|early|late|last|childhood|birth|"
                    r"the\s+(?:start|end|beginning|turn|summer|winter|spring|autumn|"
                    r"(?:\w+\s+)?season)|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                    r"Sunday|January|February|March|April|May|June|July|August|"
                    r"September|October|November|December)\b))\b", re.IGNORECASE)


# ", so" between two clauses: the first is the cause of the second; not "so that" (a
# purpose), "so far", "so much" (a degree) nor "so did", "so is" ("also")
_SO = re.compile(r",\s+so\s+(?!(?:that|far|much|many|long|as|to|too|did|do|does|is|was|were|"
                 r"are|am|has|have|had|can|could|will|would|should|must)\b)")
# "Site notes: ": a label of a few words that opens a sentence
_LABEL = re.compile(r"[^\W\d_][\w'’-]*(?: [\w'’-]+){0,3}:[ \t]+")


def result_cause(text: str, a: int, b: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """text[a:b] says "X, so Y": X (without a field's label before it) and Y, X being the
    cause of Y ("The board has no spare ways, so a second board will be fitted"); None when
    it does not."""
    found = _SO.search(text, a, b)
    if found is None:
        return None
    label = _LABEL.match(text, a, found.start())
    start = label.end() if label else a
    return ((start, found.start()), (found.start(), b)) if found.start() - start > 2 else None


# Code as Markdown writes it inline: `tally export --format=v2`. No backtick inside, on one line.
_CODE = re.compile(r"`([^`\n]{1,200})`")


# An identifier a text writes without backticks: a model, a part, a batch ("KAF-550D", "A380",
# "23B"); a run of them joined as a list is one answer ("KAF-550 and KAF-550D").
_ID = rf"(?:{CODE_PATTERN}|\d++[A-Z]++\w*+)"
_IDENTIFIER = re.compile(rf"(?<![\w.-]){_ID}(?![\w-])")
_NEXT_ID = re.compile(rf",?\s(?:and\s|or\s)?({_ID})(?![\w-])|,\s?({_ID})(?![\w-])")


def new_code(text: str, a: int, b: int, question: str,
             identifiers: bool = False) -> tuple[int, int] | None:
    """Where the first code text[a:b] writes in backticks, and the question does not, starts
    and ends (without the backticks); with `identifiers` ("which model numbers"), else the
    first identifier it writes that the question does not, with the ones listed after it up
    to one the question names; None if there is none."""
    asked = question.lower()
    found = next((m for m in _CODE.finditer(text, a, b) if m.group(1).lower() not in asked),
                 None)
    if found is not None or not identifiers:
        return found.span(1) if found else None
    named = {m.group().lower() for m in _IDENTIFIER.finditer(question)}
    first = next((m for m in _IDENTIFIER.finditer(text, a, b)
                  if m.group().lower() not in named), None)
    if first is None:
        return None
    end = first.end()
    while (more := _NEXT_ID.match(text, end, b)) is not None and (
            (more.group(1) or more.group(2)).lower() not in named):
        end = more.end()
    return first.start(), end


# "What kind of gloves ...?", "Which type of soil ...?": the sort of thing asked for
_KIND_OF = re.compile(r"\s*(?:what|which)\s+(?:kinds?|types?|sorts?|makes?|brands?|models?|grades?)"
                      r"\s+of\s+([a-z]{3,})\b", re.IGNORECASE)
# The words that make a noun a sort of it: adjectives, nouns before it, numbers ("butyl
# rubber gloves", "single-phase 230 V supply")
_MODIFIERS = frozenset({"amod", "compound", "nmod", "nummod", "npadvmod", "advmod"})


def kind_asked(question: str) -> str:
    """The noun whose sort the question asks ("what kind of gloves" -> "gloves"), or ""."""
    m = _KIND_OF.match(question)
    return m.group(1).lower() if m else ""


def kind_named(text: str, a: int, b: int, parse: Parse | None, noun: str,
               terms: Collection[str], stem: Callable[[str], str]) -> tuple[int, int] | None:
    """In text[a:b], the words that say which sort of `noun` (or its singular or plural) the
    sentence means, as the dependency parse hangs them on it: "butyl rubber" of "butyl
    rubber gloves" for "what kind of gloves" (the question says "gloves" itself, and any of
    its words `terms` (stems) at either end are left off too: "recent safety valves" says
    no sort); None when the sentence does not write the noun with such words."""
    if parse is None:
        return None

    def word(i: int) -> str:
        return text[parse.starts[i]:parse.ends[i]].lower()

    def said(i: int) -> bool:  # "many Storybook houses": how many, not which sort
        return parse.tags[i] in _NO_SORT or word(i) in _HOW_MANY or stem(word(i)) in terms

    singular = noun.removesuffix("s")
    for t in parse.within(a, b):
        if word(t).removesuffix("s") != singular or not parse.tags[t].startswith("NN"):
            continue
        left = t
        while left > 0 and parse.heads[left - 1] in range(left, t + 1) and (
                parse.deps[left - 1] in _MODIFIERS
                or parse.deps[left - 1] == "punct" and word(left - 1) == "-"):
            left -= 1  # the words just before it that hang on it, or on one of them
        right = t - 1
        while left <= right and said(left):
            left += 1
        while right >= left and said(right):
            right -= 1
        if left <= right and parse.starts[left] >= a:
            return parse.starts[left], parse.ends[right]
    return None


_NO_SORT = frozenset({"DT", "PDT", "PRP$", "CD", "POS"})
_HOW_MANY = frozenset({"many", "few", "several", "numerous", "various", "other", "some",
                       "more", "most", "such"})


# Dependents that go aside from a list: "the church, which was built in 1200", "the mill
# (now a museum)", "..., the guide said"
_ASIDE = frozenset({"relcl", "appos", "parataxis", "advcl"})


class _Sentence:
    """The parsed tokens [lo, hi) of one sentence, each token's dependents listed once."""

    def __init__(self, parse: Parse, a: int, b: int) -> None:
        tokens = parse.within(a, b)
        self.parse, self.lo, self.hi = parse, tokens.start, tokens.stop
        self.below: dict[int, list[int]] = {}
        for t in tokens:
            if parse.heads[t] != t and tokens.start <= parse.heads[t] < tokens.stop:
                self.below.setdefault(parse.heads[t], []).append(t)

    def under(self, root: int) -> set[int]:
        """`root` and the tokens that hang on it, less what goes aside (`_ASIDE`)."""
        inside, todo = set(), [root]
        while todo:
            t = todo.pop()
            inside.add(t)
            todo += [c for c in self.below.get(t, ()) if self.parse.deps[c] not in _ASIDE]
        return inside

    def items(self, root: int) -> int:
        """How many things a list headed by `root` holds: it and its chain of conjuncts."""
        count, todo = 1, [root]
        while todo:
            joined = [c for c in self.below.get(todo.pop(), ()) if self.parse.deps[c] == "conj"]
            count += len(joined)
            todo += joined
        return count

    def span(self, first: int, last: int, text: str) -> tuple[int, int] | None:
        """Tokens first..last as characters, trimmed (`_balanced`)."""
        return _balanced(text, self.parse.starts[first], self.parse.ends[last])


_OPENERS, _CLOSERS = "([{“‘", ")]}”’"


def _balanced(text: str, s: int, e: int) -> tuple[int, int] | None:
    """text[s:e] without punctuation at its ends, a bracket or quote it does not close
    ("slippers (for the hut" -> "slippers") nor one it does not open ('a flask"'). Each
    round cuts at least one character and reads the span once; a span that still holds an
    unmatched mark after BALANCE_ROUNDS keeps it, so the work stays linear in its length."""
    for _ in range(BALANCE_ROUNDS):
        while s < e and (text[s].isspace() or text[s] in ",.;:"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",.;:"):
            e -= 1
        part = text[s:e]
        if part.count('"') % 2 and part.endswith('"'):
            e -= 1
        elif part.count('"') % 2 and part.startswith('"'):
            s += 1
        elif part and part[-1] in _CLOSERS and part.count(part[-1]) > part.count(
                _OPENERS[_CLOSERS.index(part[-1])]):
            e -= 1
        elif part and part[0] in _OPENERS and part.count(part[0]) > part.count(
                _CLOSERS[_OPENERS.index(part[0])]):
            s += 1
        elif (cut := _unclosed(part)) is not None:
            e = s + cut
        else:
            break
    return (s, e) if e > s else None


BALANCE_ROUNDS = 6  # enough for a quote and a bracket at each end, and what they leave


def _unclosed(part: str) -> int | None:
    """Where the last bracket `part` opens and never closes starts, if any."""
    for opener, closer in zip(_OPENERS[:3], _CLOSERS[:3], strict=True):
        at = part.rfind(opener)
        if at > 0 and part.find(closer, at) < 0:
            return at
    return None


# "What do I need to bring?", "What did the board approve?": the thing the verb is done to
_WHAT_DO = re.compile(r"\s*what\s+(?:do|does|did|should|must|can|could|will|would|shall|have|"
                      r"has|had)\b", re.IGNORECASE)
LIST_WORDS = 15


def object_list(text: str, a: int, b: int, parse: Parse | None, question: str,
                terms: Collection[str], stem: Callable[[str], str]) -> tuple[int, int] | None:
    """For "What do I need to bring?", the list of things text[a:b] says are brought: the
    object of a verb whose stem is one of the question's (`terms`), with the nouns joined to
    it ("a head torch, spare socks and a flask"); None when the question asks no such thing
    or the sentence's object is no list (the span reader picks one thing)."""
    if parse is None or not _WHAT_DO.match(question):
        return None
    sentence = _Sentence(parse, a, b)
    for t in range(sentence.lo, sentence.hi):
        head = parse.heads[t]
        if not (parse.deps[t] == "dobj" and sentence.lo <= head < sentence.hi
                and parse.tags[head].startswith("VB")
                and stem(text[parse.starts[head]:parse.ends[head]].lower()) in terms
                # three things or more: "terrorist groups and many others" may join what is
                # asked to something else
                and sentence.items(t) >= 3):
            continue
        inside = sentence.under(t)
        span = sentence.span(min(inside), max(inside), text)
        if span is None:
            continue
        words = text[span[0]:span[1]].split()
        said = sum(stem(w.strip(",.;").lower()) in terms for w in words)
        # not a list the question itself says ("if they are denied their rights, ... and
        # ..."), nor the rest of a long sentence
        if len(words) <= LIST_WORDS and 2 * said < len(words):
            return span
    return None


# "What are the main sights of the town?": the plural noun a list is asked of
_WHAT_ARE = re.compile(r"\s*what\s+(?:are|were)\s+(?:the|its|their|his|her)\s+"
                       r"(?:[a-z-]+\s+){0,2}?([a-z]+s)\b", re.IGNORECASE)
_BE_LISTED = frozenset({"are", "were", "include", "included", "comprise"})


def listed_after(text: str, a: int, b: int, parse: Parse | None,
                 question: str) -> tuple[int, int] | None:
    """For "What are the main sights of X?", the list text[a:b] gives after its verb when
    its subject is that noun: "The chief sights of X are the church, the mill and the
    bridge." -> "the church, the mill and the bridge" (after a colon, if the verb is followed
    by one: "are many: ..."); not what goes aside ("..., which ...", "..., the guide said");
    None when what follows is no list."""
    m = _WHAT_ARE.match(question)
    if parse is None or m is None:
        return None
    noun, sentence = m.group(1).lower(), _Sentence(parse, a, b)
    for t in range(sentence.lo, sentence.hi):
        verb = parse.heads[t]
        if not (parse.deps[t] == "nsubj" and text[parse.starts[t]:parse.ends[t]].lower() == noun
                and verb > t and text[parse.starts[verb]:parse.ends[verb]].lower() in _BE_LISTED):
            continue
        inside = sentence.under(verb)
        last = verb
        while last + 1 < sentence.hi and last + 1 in inside:
            last += 1
        if last == verb:
            continue
        start, end = parse.starts[verb + 1], parse.ends[last]
        colon = next((c for c in range(verb + 1, min(last + 2, sentence.hi))
                      if text[parse.starts[c]:parse.ends[c]] == ":"), None)
        if colon is not None:  # "are many: the harbour, ...": the list after it, all of it
            start, end = parse.ends[colon], b
        span = _balanced(text, start, end)
        if span and ("," in text[span[0]:span[1]] or _JOINED.search(text, *span)):
            return span
    return None


_JOINED = re.compile(r"\s(?:and|or)\s")


# "Which measures ...?", "What steps ...?": the plural noun the question asks which of
_WHICH_PLURAL = re.compile(r"\s*(?:which|what)\s+(?:[a-z-]+\s+)?([a-z]{3,}s)\b", re.IGNORECASE)


def said_after_colon(text: str, a: int, b: int, question: str) -> tuple[int, int] | None:
    """For "Which measures worked best?", the list text[a:b] gives after a colon when what
    comes before it names those things: "Three measures made the difference: meters, leak
    checks and a new tariff." -> "meters, leak checks and a new tariff"; None otherwise."""
    m = _WHICH_PLURAL.match(question)
    colon = text.find(": ", a, b)
    if m is None or colon < 0:
        return None
    noun = m.group(1).lower().removesuffix("s")
    if re.search(rf"\b{re.escape(noun)}s?\b", text[a:colon], re.IGNORECASE) is None:
        return None
    span = _balanced(text, colon + 1, b)
    if span is None:
        return None
    listed = text[span[0]:span[1]]
    return span if listed.count(",") >= 2 or "," in listed and _JOINED.search(listed) else None
