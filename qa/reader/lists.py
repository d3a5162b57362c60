"""A list written in a sentence ("lead white, vermilion, cobalt blue and a small amount of
cadmium yellow"), for a question that asks for several things of no entity type ("Which
pigments did it find?", "What problems did residents raise?").

The commas and the last "and" (or "or") are read from the text; where the first item starts
and the last one ends, from the sentence's dependency parse, which the small English model
gets right more often at a list's edges than inside it (it hangs middle items on the wrong
head now and then).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from qa.ingest.entities import Parse

__all__ = ["counted_list", "written_list"]

# Between two items: a comma, with or without "and"/"or" after it, or "and"/"or" alone. Only
# a run of spaces' first one starts a gap, and runs are taken whole: no space is tried twice.
_GAP = re.compile(r",\s++(?:(?:and|or)\s++)?|(?<!\s)\s++(?:and|or)\s++")
_LAST = re.compile(r"\b(?:and|or)\s+$")
_STOP = re.compile(r"[;:()\[\]]")
MAX_ITEM_WORDS = 8  # a longer stretch between commas is a clause, not an item
_FINITE = ("VBD", "VBZ", "VBP", "MD")  # a verb that makes a stretch a clause
_NOMINAL = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "HYPH"})


def written_list(text: str, a: int, b: int, parse: Parse | None,
                 within: tuple[int, int]) -> tuple[int, int] | None:
    """Where the list of three or more items in text[a:b] that holds `within` (a span
    already picked) starts and ends; None without one (or without a parse to find its
    edges). A list the picked span is not in is not taken: on SQuAD's fit half that gave
    other lists than the one asked about more often than the one."""
    if parse is None:
        return None
    for run in _runs(text, a, b, parse):
        edges = _edges(text, a, b, parse, run)
        if edges is None:
            continue
        start, end = edges
        if start <= within[0] and within[1] <= end and not _STOP.search(text, start, end):
            return start, end
    return None


def counted_list(text: str, a: int, b: int, parse: Parse | None, items: int
                 ) -> tuple[int, int] | None:
    """Where the first list of exactly `items` items (three or more) in text[a:b] starts and
    ends: "Which three things does the plan add?" is answered by the list of three, wherever
    the picked phrase is."""
    if parse is None:
        return None
    for run in _runs(text, a, b, parse):
        edges = _edges(text, a, b, parse, run) if len(run) + 1 == items else None
        if edges is not None and not _STOP.search(text, *edges):
            return edges
    return None


def _runs(text: str, a: int, b: int, parse: Parse) -> list[list[tuple[int, int]]]:
    """Runs of item gaps (start, end of each gap) in text[a:b] whose middle items are short,
    verbless stretches, the last gap holding "and"/"or": each run is a list's joints."""
    gaps = [(m.start(), m.end()) for m in _GAP.finditer(text, a, b)]
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for gap in gaps:
        if run and not _item(text, run[-1][1], gap[0], parse):
            run = []
        run.append(gap)
        if (len(run) >= 2 and _LAST.search(text, gap[0], gap[1])
                and "," in text[run[0][0]:run[0][1]]):
            runs.append(list(run))
            run = []
    return runs


def _item(text: str, s: int, e: int, parse: Parse) -> bool:
    """text[s:e] can be a list's middle item: short, no clause mark, no finite verb, not
    opening with a verb ("a dominant force, bolstered by its software and ...")."""
    if e <= s or len(text[s:e].split()) > MAX_ITEM_WORDS or _STOP.search(text, s, e):
        return False
    lo, hi = bisect.bisect_left(parse.starts, s), bisect.bisect_left(parse.starts, e)
    return (lo < hi and not parse.tags[lo].startswith("VB")
            and not any(parse.tags[t] in _FINITE for t in range(lo, hi)))


def _edges(text: str, a: int, b: int, parse: Parse, run: list[tuple[int, int]]
           ) -> tuple[int, int] | None:
    """The list's start (the first item's phrase, up to the verb or clause it hangs on) and
    end (the last item's phrase: its head's subtree, inside the sentence); None when the last
    "item" is a verb's clause ("monitor interactions, reactions, and assess allergies")."""
    lo, hi = bisect.bisect_left(parse.starts, a), bisect.bisect_left(parse.starts, b)
    # The first item is no longer than the longest middle one: "in December, January and
    # February" is no item "in December", "litter near the playground, potholes ..." is one.
    budget = max(len(text[g[1]:h[0]].split()) for g, h in zip(run, run[1:], strict=False))
    kids = _children(parse, lo, hi)
    first = max(bisect.bisect_left(parse.ends, run[0][0] + 1) - 1, lo)  # before the 1st gap
    left = _left_edge(kids, first)
    while True:  # up to the phrase the first item heads, not to its verb or past the list
        head = parse.heads[first]
        if (head == first or not lo <= head < hi or parse.starts[head] >= run[0][0]
                or parse.tags[head].startswith("VB") and parse.tags[head] != "VBG"):
            break
        wider = _left_edge(kids, head)
        if len(text[parse.starts[wider]:run[0][0]].split()) > budget:
            break
        first, left = head, wider
    while (left > lo and parse.tags[left - 1] in _NOMINAL  # "lead white": the model may hang
           and len(text[parse.starts[left - 1]:run[0][0]].split()) <= budget):
        left -= 1  # "lead" on a later word; the words before an item are part of it
    start = parse.starts[left]
    last = bisect.bisect_left(parse.starts, run[-1][1])  # token after the last gap
    while (last < hi and parse.heads[last] != last and lo <= parse.heads[last] < hi
           and parse.starts[parse.heads[last]] >= run[-1][1]):
        last = parse.heads[last]
    if last < hi and parse.tags[last].startswith("VB") and parse.tags[last] != "VBG":
        return None
    end = parse.ends[_right_edge(kids, last)] if last < hi else b
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ")%":
        end -= 1
    return min(start, run[0][0]), max(end, run[-1][1])


def _children(parse: Parse, lo: int, hi: int) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for t in range(lo, hi):
        head = parse.heads[t]
        if head != t and lo <= head < hi:
            kids.setdefault(head, []).append(t)
    return kids


def _left_edge(kids: dict[int, list[int]], token: int) -> int:
    """The first token of `token`'s phrase: its subtree, without what hangs on it after it
    (a list's later items hang on its first one)."""
    return min(_subtree(kids, token, lambda k: k < token))


def _right_edge(kids: dict[int, list[int]], token: int) -> int:
    return max(_subtree(kids, token, lambda k: True))


def _subtree(kids: dict[int, list[int]], token: int, keep: Callable[[int], bool]) -> list[int]:
    found, stack = [], [token]
    while stack:
        t = stack.pop()
        found.append(t)
        stack.extend(k for k in kids.get(t, ()) if keep(k))
    return found
