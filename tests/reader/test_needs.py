"""The digit prefilter of the extractors: a pattern is skipped on a digit-free sentence only
when no match of it can go without a digit, and skipping changes no span."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.chunking import split_sentences
from qa.ingest.cleaning import clean_text
from qa.reader import extract, needs
from qa.reader.extract import amounts, dates
from qa.reader.names import KnownNames, organizations
from qa.reader.needs import first_guarded, has_digit, needs_digit, unguarded
from tests.reader import (
    test_clauses_and_ranges,
    test_fields_and_headings,
    test_general,
    test_rates_and_rows,
    test_sections_and_subjects,
    test_signs_and_fields,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"\d", True), (r"\d+", True), (r"[0-9]{2}", True), (r"x(?:\d|[٠-٩])", False),
    (r"\d*", False), (r"\d?", False), (r"(?:a|\d)", False), (r"(?:\d|4\.)", True),
    (r"(?=\d)\w", False), (r"(?<=\d)x", False), (r"[0-9a]", False), (r"[^a]", False),
    (r"a|b", False), (r"(?:€|\$)\s?\d{1,3}(?:,\d{3})++", True), (r"(?>\d)", True),
    (r"(\d)\1", True), (r"(?:about\s)?(?:one|\d+)\stimes", False),
])
def test_needs_digit_reads_the_pattern(pattern: str, needs: bool) -> None:
    assert needs_digit(re.compile(pattern)) is needs


def test_the_extractors_skip_most_patterns_and_keep_the_wordy_ones() -> None:
    skipped = extract._NEED_DIGIT
    units = {unit for unit, p in (*extract._AMOUNT_PATTERNS, *extract._DATE_PATTERNS)
             if p not in skipped}
    # what can be written without a digit is still looked for everywhere
    assert {"spelled money", "spelled", "fraction", "frequency", "century"} <= units
    assert "pence" not in units and "count" not in units
    assert len(skipped) > len(extract._AMOUNT_PATTERNS)


WORDY = st.lists(st.sampled_from([
    "about ", "over ", "between ", " and ", "to ", "–", "-", "$", "€", "£", "USD ", "kr ",
    "R$ ", "million", "billion", " dollars", " euros", "percent", "%", "per cent", "March ",
    "Monday", "the ", "early ", "century", "minutes", "hours", "two ", "twenty-one ",
    "hundred", "times", "a ", "week", "pm", ":", ".", ",", " ", "\n", "x", "Q", "AD ", "BC",
    "c. ", "FY", "½", "²", "m", "kg", "km", "sq ft", "p", "|", "(", ")", "−", "+",
]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDY)
def test_no_skipped_pattern_matches_text_without_digits(text: str) -> None:
    assert not has_digit(text)
    for pattern in extract._NEED_DIGIT:
        assert pattern.search(text) is None, (pattern.pattern[:80], text)


def _sentences() -> list[tuple[str, int, int]]:
    """The seeds' sentences and those of the documents the reader's tests were written with."""
    texts = [clean_text(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for module in (test_general, test_sections_and_subjects, test_signs_and_fields,
                   test_clauses_and_ranges, test_fields_and_headings, test_rates_and_rows):
        texts += [clean_text(doc) for doc in module.DOCUMENTS.values()]
    return [(t, a, b) for t in texts for a, b in split_sentences(t)]


def test_skipping_changes_no_span(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = _sentences()
    assert len(sentences) > 200
    assert sum(not has_digit(t, a, b) for t, a, b in sentences) > 100  # the prefilter is used
    fast = [(amounts(t, a, b), dates(t, a, b)) for t, a, b in sentences]
    monkeypatch.setattr(extract, "_NEED_DIGIT", frozenset())
    assert fast == [(amounts(t, a, b), dates(t, a, b)) for t, a, b in sentences]
    assert any(spans for pair in fast for spans in pair)


def test_organizations_are_found_as_written_before_their_ending_is_cut() -> None:
    known = KnownNames({("Norvale",): "Norvale", ("Norvale", "Holdings"): "Norvale",
                        ("Kestrel", "Ltd"): "Kestrel Ltd"})
    text = ("Norvale's board met. Shares of Norvale Holdings rose; Kestrel Ltd. did not. "
            "Nobody else spoke.")
    assert [(text[s.start:s.end], s.text) for s in organizations(text, known)] == [
        ("Norvale", "Norvale"), ("Norvale Holdings", "Norvale"), ("Kestrel Ltd", "Kestrel Ltd")]
    assert organizations("Nobody else spoke.", known) == []


PLAIN_WORDS = ["A$", "$", "AU$", "Rs", "rand", "R", "kr", "KSh", "Ksh.", "about", "approx.",
               "approximately", "at least", "at most", "as much as", "~", "zł", "złoty"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PLAIN_WORDS, " ", "1", "x", "S", "h", "."]), max_size=30)
       .map("".join), st.booleans())
def test_a_grouped_alternation_matches_as_the_plain_one(text, ignore_case):
    """`_alternation` groups words by first letter for speed; the matches stay those of the
    longest-first alternation."""
    flags = re.IGNORECASE if ignore_case else 0
    plain = "|".join(re.escape(w) for w in sorted(PLAIN_WORDS, key=len, reverse=True))
    grouped = extract._alternation(PLAIN_WORDS)
    assert grouped != plain
    assert ([m.span() for m in re.finditer(grouped, text, flags)]
            == [m.span() for m in re.finditer(plain, text, flags)])


@pytest.mark.parametrize(("pattern", "flags", "guard"), [
    (r"\d+", 0, r"(?=[\d])"),
    (r"(?<!\w)(?:about\s)?\$\d", 0, r"(?=[a\$])"),
    (r"\b(?:once|\d+\stimes)", 0, r"(?=[o\d])"),
    (r"[A-Z][a-z]+", re.IGNORECASE, r"(?=[A-Z])"),
    # a case-sensitive group keeps its case where the rest ignores it
    (r"(?:ab|(?-i:CHF)\s)\d", re.IGNORECASE, r"(?=[a]|(?-i:[C]))"),
    (r"x*y", 0, r"(?=[xy])"),
    (r"(?a:\w)z", 0, r"(?=[\w])"),
])
def test_a_guard_tests_the_characters_a_match_can_open_with(pattern, flags, guard) -> None:
    guarded = first_guarded(pattern, flags)
    assert guarded.pattern == f"{guard}(?:{pattern})"
    assert guarded.flags == re.compile(pattern, flags).flags
    assert unguarded(guarded).pattern == pattern
    assert needs_digit(guarded) is needs_digit(re.compile(pattern, flags))


@pytest.mark.parametrize("pattern", [
    r"\d*", r"(?:x|)", r".\d", r"[^a]b", r"(?i:a)b", r"(?=a)", r"(a)?\1", r"\Bx?",
])
def test_no_guard_where_the_opening_cannot_be_told(pattern: str) -> None:
    """A match may be empty, open with any character, or under a flag wider than the guard's
    ("(?i:a)" also opens with "A"): the pattern runs as it is."""
    assert first_guarded(pattern) is re.compile(pattern)


def test_a_guard_keeps_groups_and_their_numbers() -> None:
    guarded = first_guarded(r"(?P<n>\d+)\s(kg|g)\b")
    m = guarded.search("about 12 kg of it")
    assert (m.group("n"), m.group(2), m.span()) == ("12", "kg", (6, 11))


def test_every_extraction_pattern_is_guarded() -> None:
    patterns = [p for _, p in (*extract._AMOUNT_PATTERNS, *extract._DATE_PATTERNS)]
    assert all(p.pattern.startswith("(?=") and p.pattern.endswith(f"(?:{unguarded(p).pattern})")
               for p in patterns)


TEXTS = st.lists(st.sampled_from([
    "1", "12", "1,250", "3.5", "2024", "1066", "19", "0", "09:30", "7pm", "CHF ", "Rs ", "kr",
    "US$", "R ", "C$", "€", "₹", "crore", "lakh", "bn", "m", "about ", "not less than ",
    "between ", " and ", "–", "to ", "in ", "In ", "since ", "May ", "March ", "the 1990s",
    "century", "Monday", "times a week", "per cent", "%", "kg", "km²", " ", ",", ".", "\n",
    "x", "A", "s", "'", "’", "(", ")", "/", "-", "p", "am", "hours", "years",
]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_a_guarded_pattern_matches_as_its_original(text: str) -> None:
    for _, pattern in (*extract._AMOUNT_PATTERNS, *extract._DATE_PATTERNS):
        original = unguarded(pattern)
        assert ([m.span() for m in pattern.finditer(text)]
                == [m.span() for m in original.finditer(text)]), (original.pattern[:80], text)


def test_guarding_changes_no_span(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = _sentences()
    fast = [(amounts(t, a, b), dates(t, a, b)) for t, a, b in sentences]
    for name in ("_AMOUNT_PATTERNS", "_DATE_PATTERNS"):
        monkeypatch.setattr(extract, name, tuple(
            (unit, unguarded(p)) for unit, p in getattr(extract, name)))
    assert fast == [(amounts(t, a, b), dates(t, a, b)) for t, a, b in sentences]
    assert sum(len(s) for pair in fast for s in pair) > 300


def test_the_stored_readings_are_current():
    """What a cold start reads instead of parsing each extraction pattern is what their
    parse gives now: `make guards` stores it again after a pattern changes."""
    assert needs.stored_readings() == needs.fresh_readings(extract.GUARDED), "run `make guards`"


def test_a_stored_reading_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read from the store or from the parse, a pattern compiles to the same guarded form."""
    patterns = list(extract.GUARDED)
    sources = [(unguarded(p).pattern, p.flags) for p in patterns]
    monkeypatch.setattr(needs, "_stored", dict)  # nothing stored: every pattern parsed
    assert [first_guarded(source, flags) for source, flags in sources] == patterns


@pytest.mark.parametrize("content", ["not json", '{"k": ["[a]", "yes"]}', "[1, 2]"])
def test_an_unreadable_store_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        content: str) -> None:
    """A guards file that is not what `make guards` writes stores nothing: every pattern is
    parsed, as with no file."""
    broken = tmp_path / "guards.json"
    broken.write_text(content, encoding="utf-8")
    monkeypatch.setattr(needs, "STORED", broken)
    needs._stored.cache_clear()
    try:
        assert needs._stored() == {}
    finally:
        needs._stored.cache_clear()
