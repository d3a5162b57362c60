"""What every match of a regular expression must hold, read from the pattern itself.

The extraction patterns (sums, measures, dates) are long alternations that open with an
optional qualifier, so Python's `re` cannot skip ahead to a literal prefix: each one tries
every position of a sentence. Most of them cannot match without a digit, and three
sentences in four hold none, so `needs_digit` lets a caller skip those patterns there. It is
computed from the parsed pattern, not declared beside it, so a new pattern can never be
skipped wrongly: when in doubt the answer is False and the pattern runs.
"""

from __future__ import annotations

import re

try:  # the parser `re` itself uses (Python 3.11+), as hypothesis's `from_regex` reads patterns
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - another Python: every pattern runs
    _parser = None

_DIGIT = re.compile(r"\d")


def has_digit(text: str, start: int = 0, end: int | None = None) -> bool:
    """`text[start:end]` holds a character `\\d` matches (any script's digits)."""
    return _DIGIT.search(text, start, len(text) if end is None else end) is not None


def needs_digit(pattern: re.Pattern[str]) -> bool:
    """Every match of `pattern` consumes a digit: a character `\\d` matches. False whenever
    that cannot be shown (lookarounds consume nothing, so a digit only they test is none)."""
    if _parser is None:  # pragma: no cover
        return False
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply run everywhere
        return False
    return _sequence(list(parsed))


def _sequence(items: list) -> bool:
    return any(_item(op, av) for op, av in items)


def _item(op, av) -> bool:
    if op is _c.LITERAL:
        return _DIGIT.match(chr(av)) is not None
    if op is _c.IN:
        return _digit_class(av)
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is _c.BRANCH:
        return all(_sequence(list(branch)) for branch in av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, inner = av
        return low >= 1 and _sequence(list(inner))
    return False  # lookarounds, anchors, any character, back-references


def _digit_class(items: list) -> bool:
    """A character class every member of which is a digit."""
    if not items or items[0][0] is _c.NEGATE:
        return False
    for op, av in items:
        if op is _c.CATEGORY:
            if av not in (_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT):
                return False
        elif op is _c.LITERAL:
            if _DIGIT.match(chr(av)) is None:
                return False
        elif op is _c.RANGE:
            low, high = av
            if not (ord("0") <= low and high <= ord("9")):
                return False
        else:
            return False
    return True
