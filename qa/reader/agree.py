"""Does a candidate state what the question asks about, or only something near it?

A sentence can share a question's words and organization and still answer another question:
"What is Nvidia's revenue?" against Nvidia's market value, "How much did Oracle put into
Stargate?" against MGX's fund size in a sentence naming Oracle, "Who is the CEO of
Anthropic?" against an investor quoted about Anthropic. These checks say no to such
candidates, so the question is answered by a sentence that states the relation, or not at all.

- relation: the kind of figure the question asks for (`qa.reader.owners.KINDS`: revenue, valuation,
  a fall ...) must not contradict the kind of the figure (its nearest keyword). Kinds that
  are one quantity seen from different sides count as the same (spending, investing,
  funding, buying and costing are all money going out; a fall and a loss both go down);
- owner: a figure whose owner is a known organization must belong to one the question
  names as actor ("did Oracle put into Stargate": Oracle's, not Stargate's), or to any it
  names when none acts, or be paid to one it names;
- role: "the CEO of X", "the chairman": the sentence (or what it is read with) says that role;
- author: "who wrote X" is answered by the document's byline when the document gives one.
"""

from __future__ import annotations

import re

from qa.reader.extract import Span
from qa.reader.names import TITLES, KnownNames, organizations
from qa.reader.owners import kinds_named, owner_of, what_of

__all__ = ["authored", "relation_agrees", "relations", "role_words", "says_role", "subjects"]

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
    """The named organizations that act ("did Oracle put into Stargate": Oracle), not those
    acted on; a figure answering the question is the actor's."""
    return frozenset(s.text for s in organizations(question, known)
                     if s.text in named and not _OBJECT.search(question[:s.start]))


# "Who is the CEO of X" is answered by a sentence that says CEO (or chief executive), not by any
# person near X: the offices a question can name, and the words that state each.
_ROLES = {word: "|".join(map(re.escape, title.held_as))
          for word, title in TITLES.items() if title.held_as}


def role_words(question: str) -> tuple[str, ...]:
    """Patterns for the offices the question names ("the CEO of Anthropic" -> CEO)."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    return tuple(pattern for word, pattern in _ROLES.items() if word in words)


def says_role(text: str, roles: tuple[str, ...]) -> bool:
    return all(re.search(rf"\b(?:{r})", text, re.IGNORECASE) for r in roles)


_WROTE = re.compile(r"\bwho (?:wrote|writes|authored|penned)\b|\bauthor of\b", re.IGNORECASE)


def authored(question: str, author: str | None) -> str | None:
    """The byline to look for when the question asks who wrote something."""
    if not author or not _WROTE.search(question):
        return None
    return author if re.fullmatch(r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}", author) else None
