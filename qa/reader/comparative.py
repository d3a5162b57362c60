"""What a question compares: two options it names ("Who spends more, A or B?") or every
source at once ("Which company spends the most?"). The answer side is `qa.reader.compare`."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Comparison", "Superlative", "comparison", "superlative"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """ "Who spends more on X, A or B?": the options, where they are, and which side wins."""

    options: tuple[str, str]
    span: tuple[int, int]  # of "A or B" in the question
    larger_wins: bool  # "more", "larger" (True); "less", "fewer", "cheaper" (False)
    word: str = ""  # the comparative as the question writes it, lower case ("deeper")

    def asking_about(self, option: str, question: str) -> str:
        """The question about one option: "Who spends more on X, A?"."""
        return f"{question[:self.span[0]]}{option}{question[self.span[1]:]}"


@dataclass(frozen=True, slots=True)
class Superlative:
    """ "Which company spends the most on X?": a figure asked of every source, the largest
    (smallest) winning; `span` is where the superlative stands in the question."""

    span: tuple[int, int]
    larger_wins: bool

    def without(self, question: str) -> str:
        """The question with its superlative taken out: "Which company spends on X?"."""
        return " ".join(f"{question[:self.span[0]]} {question[self.span[1]:]}".split())


# "the most" standing for an amount ("spends the most on", "raised the most?"), or a
# superlative of size before a word for a sum of money or a count ("the largest investment").
# Not "the most popular": there the superlative qualifies a word that is no amount.
_SUPERLATIVE = re.compile(
    r"\bthe (?P<word>most|least|fewest)(?=\s+(?:on|in|for|from|to|of|at|by|money|cash)\b"
    r"|\s*[?.!,]|\s*$)"
    r"|\bthe (?P<size>largest|biggest|highest|greatest|smallest|lowest)\s+(?=(?:\w+\s+)?"
    r"(?:amount|sum|investment|budget|valuation|revenue|spending|price|stake|funding|"
    r"loss|fall|drop|rise|gain|deal|number|figure|share|bid|payment|fine)s?\b)",
    re.IGNORECASE)
_SMALL = frozenset({"least", "fewest", "smallest", "lowest"})


def superlative(question: str) -> Superlative | None:
    """The superlative a question asks across the sources, if it asks one."""
    found = _SUPERLATIVE.search(question)
    if found is None:
        return None
    word = (found.group("word") or found.group("size")).lower()
    return Superlative((found.start(), found.end()), word not in _SMALL)


# A name may hold lower-case particles between its capitalized words ("Col des Corbeaux",
# "Refuge de la Combe", "Ludwig van Beethoven").
_PARTICLE = r"(?: (?:de|des|du|la|le|les|van|von|der|den|di|da|del|of|the|y))"
# a model's number is part of its name ("the Brisa 5", "Aria 2 Pro"), not a count after it
# ("Bolt 3 years ago")
_MODEL_NUMBER = r"\s\d[\w.]*(?=[,?]| or\b| [A-Z]| (?:in|on|at|during|since|by|last|this)\b|$)"
_NAME = rf"[A-Z][\w&.'’-]*(?:{_PARTICLE}{{0,2}} [A-Z][\w&.'’-]*|{_MODEL_NUMBER}){{0,4}}"
# "in Northmoor or on the Eastern Coast": the second option may take its own preposition
_OPTIONS = re.compile(rf"(?:\bthe )?(?P<a>{_NAME}),? or (?:(?:in|on|at|for) )?(?:the )?"
                      rf"(?P<b>{_NAME})")
_BETWEEN = re.compile(rf"\b[Bb]etween (?:the )?(?P<a>{_NAME}) and (?:the )?(?P<b>{_NAME})(?=,)")
# Options of any case at the end, after a comma: "Which is older, the red wine or the white?"
_TAIL_OPTIONS = re.compile(r",\s*(?:the\s+)?(?P<a>[^,?]{1,60}?),?\s+or\s+(?:the\s+)?"
                           r"(?P<b>[^,?]{1,60}?)\s*\?\s*$")
_MORE = re.compile(r"\b(?:more|larger|bigger|higher|greater|most|largest|biggest|highest|"
                   r"faster|richer|deeper|longer|taller|heavier|wider|busier|costlier|stronger|"
                   r"hotter|warmer|louder|steeper|wetter|pricier|dearer|more expensive)\b",
                   re.IGNORECASE)
# "quicker", "sooner": the smaller time ("which is quicker, the coach or the train?")
_LESS = re.compile(r"\b(?:less|fewer|smaller|lower|least|smallest|lowest|cheaper|slower|"
                   r"quicker|quickest|sooner|"
                   r"shorter|shallower|lighter|narrower|weaker|colder|cooler|quieter|drier)\b",
                   re.IGNORECASE)


def comparison(question: str) -> Comparison | None:
    """The comparison a question asks for between two named options, if it is one."""
    more, less = _MORE.search(question), _LESS.search(question)
    if not (more or less):
        return None
    # "more affordable" costs less: the smaller price wins
    larger = (bool(more) and not less) != bool(_AFFORDABLE.search(question))
    between = _BETWEEN.search(question)
    if between is not None:  # "Between A and B, who held more patents?": each read alone
        return Comparison((between.group("a"), between.group("b")),
                          (between.start(), between.end("b")),
                          larger_wins=larger, word=(more or less).group().lower())
    options = _OPTIONS.search(question) or _TAIL_OPTIONS.search(question)
    if options is None:
        return None
    a, b = options.group("a"), options.group("b")
    start = options.start("a")
    if a.split()[0].lower() in _QUESTION_OPENERS:  # "Is Arvane or Tellco bigger": not "Is"
        if " " not in a:
            return None
        cut = a.index(" ") + 1
        a, start = a[cut:], start + cut
        if a.startswith("the "):  # "Is the Brisa 5 or the Vantor X2 cheaper?"
            a, start = a[4:], start + 4
    return Comparison((a, b), (start, options.end("b")), larger_wins=larger,
                      word=(more or less).group().lower())


_AFFORDABLE = re.compile(r"\baffordable\b", re.IGNORECASE)
_QUESTION_OPENERS = frozenset({"who", "what", "which", "how", "when", "where", "why", "is",
                               "are", "does", "do", "did", "was", "were", "has", "have"})
