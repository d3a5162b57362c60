"""What every match of a regular expression must hold, read from the pattern itself.

The extraction patterns (sums, measures, dates) are long alternations that open with an
optional qualifier, so Python's `re` cannot skip ahead to a literal prefix: each one tries
every position of a sentence. Most of them cannot match without a digit, and three
sentences in four hold none, so `needs_digit` lets a caller skip those patterns there. It is
computed from the parsed pattern, not declared beside it, so a new pattern can never be
skipped wrongly: when in doubt the answer is False and the pattern runs.

Where a pattern does run, `first_guarded` puts a test of its first character before it
(`(?=[...])`), also read from the pattern: a position whose character cannot open a match is
left at once, where the pattern's lookbehinds and optional qualifier were tried at every one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

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
    if pattern in _READ:
        return _READ[pattern][2]
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


# Each pattern `first_guarded` made: its source, flags, and whether every match takes a
# digit, read in the one parse the guard comes from.
_READ: dict[re.Pattern[str], tuple[str, int, bool]] = {}
# What that parse gives each extraction pattern (its guard, its need of a digit), stored by a
# hash of the pattern: a cold start reads them here instead of parsing every long
# alternation before compiling it (~70 ms). A pattern not found (new or changed) is parsed
# as before; `tests/reader/test_needs.py` fails until `make guards` stores them again.
STORED = Path(__file__).with_name("data") / "guards.json"


def _key(source: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}\n{source}".encode()).hexdigest()[:24]


_READINGS = TypeAdapter(dict[str, tuple[str | None, bool]])


@functools.cache
def _stored() -> dict[str, tuple[str | None, bool]]:
    """The stored readings, validated; none (every pattern parsed) when the file is missing
    or not what `write_readings` writes."""
    try:
        return _READINGS.validate_json(STORED.read_bytes(), strict=True)
    except (OSError, ValidationError):
        return {}


def _reading(source: str, flags: int) -> tuple[str | None, bool]:
    """The guard of `source` (None when its opening cannot be told) and whether every match
    takes a digit, from one parse."""
    if _parser is None:  # pragma: no cover
        return None, False
    try:
        parsed = list(_parser.parse(source, flags))
    except (re.error, ValueError):
        return None, False
    digit = _sequence(parsed)
    first, empty = _opening(parsed, False)
    if first is None or empty:
        return None, digit
    # members under "(?-i:...)" are tested in their own case: currency codes, say, where
    # the rest of a pattern ignores case
    folded = "".join(dict.fromkeys(m for m, cased in first if not cased))
    cased = "".join(dict.fromkeys(m for m, cased in first if cased))
    return "|".join(([f"[{folded}]"] if folded else [])
                    + ([f"(?-i:[{cased}])"] if cased else [])), digit


def first_guarded(source: str, flags: int = 0) -> re.Pattern[str]:
    """`source` compiled with a lookahead for the characters a match can open with: the same
    matches, found without trying the whole pattern at every position. Compiled as it is
    when those characters cannot be told (a match may be empty, open with any character or
    under a local flag that widens what matches)."""
    guard, digit = _stored().get(_key(source, flags)) or _reading(source, flags)
    compiled = None
    if guard is not None:
        try:  # group numbers and names are kept: neither wrapper captures
            compiled = re.compile(f"(?={guard})(?:{source})", flags)
        except (re.error, ValueError):  # a global flag inside the pattern, say: run it as it is
            compiled = None
    if compiled is None:
        compiled = re.compile(source, flags)
    _READ[compiled] = (source, flags, digit)
    return compiled


def fresh_readings(patterns: Iterable[re.Pattern[str]]) -> dict[str, list]:
    """The patterns `first_guarded` made, each read from its parse: what `make guards`
    stores."""
    return {_key(source, flags): list(_reading(source, flags))
            for source, flags, _digit in (_READ[p] for p in patterns)}


def stored_readings() -> dict[str, list]:
    return {k: list(v) for k, v in _stored().items()}


def write_readings(patterns: Iterable[re.Pattern[str]]) -> None:
    """Store `fresh_readings(patterns)`, atomically."""
    text = json.dumps(fresh_readings(patterns), indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"
    temporary = STORED.with_suffix(".json.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, STORED)


def unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern `first_guarded` made `pattern` from: the tests match both on one text."""
    source, flags, _digit = _READ[pattern]
    return re.compile(source, flags)


_CLASSES = {} if _parser is None else {
    cat: text for text, cats in (
        (r"\d", (_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT)),
        (r"\D", (_c.CATEGORY_NOT_DIGIT, _c.CATEGORY_UNI_NOT_DIGIT)),
        (r"\s", (_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE)),
        (r"\S", (_c.CATEGORY_NOT_SPACE, _c.CATEGORY_UNI_NOT_SPACE)),
        (r"\w", (_c.CATEGORY_WORD, _c.CATEGORY_UNI_WORD)),
        (r"\W", (_c.CATEGORY_NOT_WORD, _c.CATEGORY_UNI_NOT_WORD)))
    for cat in cats}

Members = list[tuple[str, bool]]  # class members as pattern text, and whether case-sensitive


def _opening(items: list, cased: bool) -> tuple[Members | None, bool]:
    """The class members a match of `items` can open with (None when any character may),
    and whether the match can be empty."""
    first: Members = []
    for op, av in items:
        opens, empty = _opens(op, av, cased)
        if opens is None:
            return None, False
        first += opens
        if not empty:
            return first, False
    return first, True


def _opens(op, av, cased: bool) -> tuple[Members | None, bool]:
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return [], True  # consumes nothing: the next item opens the match
    if op is _c.LITERAL:
        return [(re.escape(chr(av)), cased)], False
    if op is _c.IN:
        members = _members(av)
        return (None if members is None else [(m, cased) for m in members]), False
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        if add_flags & (re.IGNORECASE | re.LOCALE | re.UNICODE):
            return None, False  # wider than the guard, compiled with the pattern's flags
        # "(?a:...)" only narrows what matches: the guard stays wider than the group
        return _opening(list(inner), cased or bool(del_flags & re.IGNORECASE))
    if op is _c.ATOMIC_GROUP:
        return _opening(list(av), cased)
    if op is _c.BRANCH:
        first: Members = []
        empty = False
        for branch in av[1]:
            opens, can_be_empty = _opening(list(branch), cased)
            if opens is None:
                return None, False
            first += opens
            empty = empty or can_be_empty
        return first, empty
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, inner = av
        opens, empty = _opening(list(inner), cased)
        return opens, empty or low == 0
    return None, False  # any character, a negated literal, a back-reference


def _members(items: list) -> list[str] | None:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av in _CLASSES:
            out.append(_CLASSES[av])
        else:
            return None  # a negated class: nearly any character
    return out
