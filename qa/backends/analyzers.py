"""Analyzers: how text becomes BM25 terms, one registered per `qa.types.Analyzer`.

"simple" is qa's first tokenizer (qa.backends.bm25.tokenize): lower-cased words, NLTK-style
stopwords, no stemming, so "spending" never meets "spend". "english" is the analyzer most IR
papers report BM25 with, Lucene's EnglishAnalyzer (possessive "'s" removed, lower case,
Lucene's 33 English stopwords, Porter stemming), on top of the simple rules for numbers and
acronyms, with Unicode folded first. Stemming is Snowball English (Porter2) from PyStemmer,
the C stemmer bm25s ships for the same job.

An index records the analyzer's name and version and its stopwords in its manifest, and is
queried with the same analyzer: a token of one analyzer means nothing to an index of another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import Stemmer

from qa.backends.bm25 import DEFAULT_STOPWORDS, TOKENIZER_VERSION, normalize, tokenize
from qa.types import Analyzer

__all__ = ["ANALYZERS", "LUCENE_STOPWORDS", "AnalyzerSpec", "analyzer_for", "english", "porter2"]

# Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (EnglishAnalyzer.java), the list Anserini's
# BM25 runs use. Far shorter than NLTK's: "who", "when", "how" stay out of it too.
LUCENE_STOPWORDS: frozenset[str] = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with",
})

# Dashes and quotes folded before the simple rules read the text. Hyphen-like marks join
# ("COVID‑19" with a non-breaking hyphen is "covid-19"); en and em dashes separate, because
# "1990–2000" is two numbers and "AI—and" two words.
_FOLD = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u00ad": "",
    "\u2013": " ", "\u2014": " ", "\u2015": " ",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
})
# As the simple tokenizer's word, plus two joins that keep names whole: "&" between letters
# ("S&P", "AT&T") and "-" inside a word ("GPT-4", "COVID-19"); a hyphenated pair without a
# digit ("state-of-the-art") is split again below, since its parts are ordinary words.
_TOKEN = re.compile(r"[^\W_]+(?:(?:(?<=\d)\.(?=\d)|(?<=[^\W\d_])&(?=[^\W\d_])|-)[^\W_]+)*")
_DIGIT = re.compile(r"\d")
_STEMMER = Stemmer.Stemmer("english")


def porter2(word: str) -> str:
    """The Snowball English (Porter2) stem of one lower-case word, as `english` stems."""
    return _STEMMER.stemWord(word)


def fold(text: str) -> str:
    """Accents removed (NFKD, combining marks dropped: "Zürich" -> "Zurich", "é" -> "e"),
    full-width forms made plain, curly quotes straight, dashes as described at `_FOLD`."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def english(text: str, stopwords: frozenset[str] = LUCENE_STOPWORDS) -> list[str]:
    """Lucene-style English terms: folded, simple rules (acronyms, "U.S." -> "usa",
    possessives, thousands), lower case, stopwords out, then Porter2 stems for words only.

    Numbers and names with digits or "&" are kept whole and never stemmed: "S&P 500" ->
    "s&p", "500"; "GPT-4" -> "gpt-4"; "3.5%" -> "3.5"; "$60" -> "60" ("$" and "%" are
    dropped as the simple analyzer drops them, since a question may write "60 dollars").
    """
    words: list[str] = []
    for token in _TOKEN.findall(normalize(fold(text)).lower()):
        if "-" in token and not _DIGIT.search(token):
            words.extend(p for p in token.split("-") if p)
        else:
            words.append(token)
    kept = [w for w in words if w not in stopwords]
    plain = [i for i, w in enumerate(kept) if w.isalpha()]
    if plain:  # one C call for the whole text: per-word calls cost 3x more
        for i, stem in zip(plain, _STEMMER.stemWords([kept[i] for i in plain]), strict=True):
            kept[i] = stem
    return kept


@dataclass(frozen=True, slots=True)
class AnalyzerSpec:
    """One registered analyzer: `tokenize(text, stopwords)` and what the manifest records."""

    name: Analyzer
    version: str  # changes whenever a rule does, so older indexes are rebuilt
    stopwords: frozenset[str]
    tokenize: Callable[[str, frozenset[str]], list[str]]


ANALYZERS: dict[Analyzer, AnalyzerSpec] = {
    Analyzer.SIMPLE: AnalyzerSpec(Analyzer.SIMPLE, TOKENIZER_VERSION, DEFAULT_STOPWORDS,
                                  tokenize),
    Analyzer.ENGLISH: AnalyzerSpec(Analyzer.ENGLISH, "qa-english-1+snowball-english",
                                   LUCENE_STOPWORDS, english),
}


def analyzer_for(name: object) -> AnalyzerSpec:
    """The registered analyzer called `name`; an unknown one lists the valid names."""
    return ANALYZERS[Analyzer.parse(name)]
