"""The lexical half of the hybrid index: a tokenizer and a BM25 index scored with numpy only.

Scores are defined as rank_bm25's `BM25Okapi(corpus, k1, b, epsilon).get_scores(query)`,
quirks included (idf = log(N - n + 0.5) - log(n + 0.5); negative idfs replaced by
epsilon * mean idf; repeated query tokens count again). BM25Okapi builds one Python dict per
document and rescans all of them per query token, which is too slow at a million chunks, so
`build` computes the same statistics with numpy (the tests prove equality against BM25Okapi)
and precomputes each posting's full BM25 weight. A query is then a sum of a few columns.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa.backends.protocols import LEXICAL_BACKENDS, LexicalBackend
from qa.config import BM25Params

__all__ = ["BM25_FILES", "DEFAULT_STOPWORDS", "TOKENIZER_VERSION", "BM25Index", "BM25Params",
           "normalize", "tokenize", "write_bm25"]

# Recorded in the index manifest: any change to the rules below changes every token, so an
# index built by another version must be rebuilt rather than queried with mismatched tokens.
TOKENIZER_VERSION = "qa-simple-1"

# NLTK-style English function words, written as the tokenizer emits them (apostrophes
# removed: "don't" -> "dont"). Deliberately no numbers or content words ("billion", "ai").
DEFAULT_STOPWORDS: frozenset[str] = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "arent", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "cant", "could", "couldnt", "did", "didnt", "do",
    "does", "doesnt", "doing", "dont", "down", "during", "each", "few", "for", "from",
    "further", "had", "hadnt", "has", "hasnt", "have", "havent", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "if", "im", "in", "into", "is",
    "isnt", "it", "its", "itself", "ive", "just", "me", "might", "more", "most", "must", "my",
    "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "ourselves", "out", "over", "own", "same", "shall", "she", "should",
    "shouldnt", "so", "some", "such", "than", "that", "thats", "the", "their", "theirs",
    "them", "themselves", "then", "there", "theres", "these", "they", "theyre", "this",
    "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "wasnt",
    "we", "were", "werent", "weve", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "wont", "would", "wouldnt", "you", "youd", "youll", "your",
    "youre", "yours", "yourself", "yourselves", "youve",
})

# Each pattern starts with a literal character so `re` can skip ahead to candidates; a full
# scan per rule would cost more than the tokenizing itself.
# "U.S.", "U.S.A." and capitalised "US"/"USA" all mean the country; matched before
# lowercasing, because afterwards "US" cannot be told from the pronoun "us" (a stopword).
# An all-caps "LET US KNOW" is misread as the country: rare, and harmless for retrieval.
_USA = re.compile(r"U(?<!\wU)(?:\.S\.(?:A\b\.?)?|\.S\b|SA?\b)")
# Other dotted acronyms collapse to one token: "U.K." -> "uk", "e.g." -> "eg".
_ACRONYM_PROBE = re.compile(r"\.[^\W\d_]\.")
_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_POSSESSIVE = re.compile(r"'(?<=\w')[sS]\b")  # "Arvane's" -> "Arvane"
_INNER_APOSTROPHE = re.compile(r"'(?<=\w')(?=\w)")  # "don't" -> "dont", "O'Brien" -> "obrien"
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")  # "44,150" -> "44150"; "3,4" stays apart
# A run of letters/digits, extended over a dot only between two digits: "6.5", "v2.5", but
# "2024." -> "2024". Hyphens, "$", "%", "_" and other punctuation separate tokens.
_TOKEN = re.compile(r"[^\W_]+(?:(?<=\d)\.(?=\d)[^\W_]+)*")


def tokenize(text: str, stopwords: frozenset[str] = DEFAULT_STOPWORDS) -> list[str]:
    """Split text into lowercase index terms (see the module's regexes for each rule).

    Numbers survive whole because questions hinge on them ("8.3%" -> "8.3", "$1.25 billion"
    -> "1.25", "billion"). Non-ASCII text is NFKC-normalised first so decomposed accents and
    full-width digits match their usual forms; curly apostrophes count as straight ones.
    """
    return [t for t in _TOKEN.findall(normalize(text).lower()) if t not in stopwords]


def normalize(text: str) -> str:
    """The text rewritten by the rules applied before splitting (country names, dotted
    acronyms, apostrophes, thousands separators): shared with qa.backends.analyzers."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    if "U" in text:
        text = _USA.sub(" usa ", text)
    if _ACRONYM_PROBE.search(text):
        text = _ACRONYM.sub(_undot, text)
    if "'" in text:
        text = _INNER_APOSTROPHE.sub("", _POSSESSIVE.sub("", text))
    if "," in text:
        text = _THOUSANDS.sub("", text)
    return text


def _undot(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


_FILES = ("bm25_indptr.npy", "bm25_doc_ids.npy", "bm25_weights.npy", "bm25_idf.npy")
_VOCAB, _META = "bm25_vocab.json", "bm25_meta.json"
BM25_FILES = (*_FILES, _VOCAB, _META)  # every file `BM25Index.save` writes


class BM25Index:
    """Term-major postings (CSC layout) holding each posting's final BM25 weight.

    Column t is `doc_ids[indptr[t]:indptr[t+1]]` (ascending) with matching `weights`, where
    weight = idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)). Scoring a query
    is one `scores[ids] += weights` per token, so queries never touch scipy or the corpus.
    """

    backend = "bm25"  # the LexicalIndex registry name (qa.backends.protocols)

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, doc_ids: np.ndarray,
                 weights: np.ndarray, idf: np.ndarray, n_docs: int, params: BM25Params,
                 avgdl: float) -> None:
        self.vocab, self.indptr, self.doc_ids, self.weights = vocab, indptr, doc_ids, weights
        self.idf, self.n_docs, self.params, self.avgdl = idf, n_docs, params, avgdl

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @classmethod
    def build(cls, docs_tokens: Sequence[Sequence[str]],
              params: BM25Params | None = None) -> BM25Index:
        """Index tokenized documents, computing BM25Okapi's statistics with numpy.

        Term ids are assigned in first-occurrence order, the order of BM25Okapi's own idf
        dict, so even the float sum behind the mean idf runs in the same order.
        """
        params = params or BM25Params()
        n_docs = len(docs_tokens)
        lengths = np.fromiter(map(len, docs_tokens), dtype=np.int64, count=n_docs)
        # defaultdict + C-level map assigns dense ids without a Python loop per token.
        ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        flat = itertools.chain.from_iterable(docs_tokens)
        term_ids = np.fromiter(map(ids.__getitem__, flat), dtype=np.int64,
                               count=int(lengths.sum()))
        vocab = dict(ids)
        n_terms = len(vocab)
        # One key per token, term-major; sorting groups postings and orders doc ids.
        keys = term_ids * max(n_docs, 1)
        del term_ids
        keys += np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        keys.sort()
        starts = np.flatnonzero(np.diff(keys, prepend=-1))
        tf = np.diff(np.append(starts, keys.size))
        keys = keys[starts]
        terms = keys // max(n_docs, 1)
        doc_ids = (keys - terms * max(n_docs, 1)).astype(np.int32)
        del keys, starts
        df = np.bincount(terms, minlength=n_terms)
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        # Same expressions, in the same order, as BM25Okapi._calc_idf and get_scores.
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        average_idf = float(np.add.accumulate(idf)[-1]) / n_terms if n_terms else 0.0
        idf[idf < 0] = params.epsilon * average_idf
        avgdl = int(lengths.sum()) / n_docs if n_docs else 0.0
        k1, b = params.k1, params.b
        norm = tf + k1 * (1 - b + b * lengths[doc_ids] / avgdl) if tf.size else tf
        weights = idf[terms] * (tf * (k1 + 1) / norm)
        return cls(vocab, indptr, doc_ids, weights, idf, n_docs, params, avgdl)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document (float64, length n_docs); unknown tokens add 0."""
        scores = np.zeros(self.n_docs, dtype=np.float64)
        for token in query_tokens:
            t = self.vocab.get(token)
            if t is not None:
                lo, hi = self.indptr[t], self.indptr[t + 1]
                scores[self.doc_ids[lo:hi]] += self.weights[lo:hi]  # ids unique per column
        return scores

    def top_k(self, query_tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The best k documents as (doc indices int64, scores float64).

        Only documents with score > 0 are returned, so fewer than k (or none) may come back:
        a document sharing no term with the query is not a lexical hit. (In a corpus of one
        or two documents every idf is <= 0 and nothing ever scores above 0.) Order is score
        descending, ties by doc index ascending, so results are reproducible.
        """
        scores = self.scores(query_tokens)
        docs = np.flatnonzero(scores > 0)
        if k <= 0 or docs.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        hits = scores[docs]
        if docs.size > k:  # keep everything tied with the k-th best, then order exactly
            kth = -np.partition(-hits, k - 1)[k - 1]
            docs, hits = docs[hits >= kth], hits[hits >= kth]
        order = np.lexsort((docs, -hits))[:k]
        return docs[order].astype(np.int64), hits[order]

    def scores_of(self, query_tokens: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """`scores(query_tokens)[ids]`, finding each id in the token's sorted postings
        (binary search) instead of scoring every document; the same additions in the same
        order, so the same floats."""
        ids = np.asarray(ids, dtype=np.int64)
        scores = np.zeros(ids.size, dtype=np.float64)
        for token in query_tokens:
            t = self.vocab.get(token)
            if t is None or ids.size == 0:
                continue
            lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
            column = self.doc_ids[lo:hi]
            at = np.minimum(np.searchsorted(column, ids), max(hi - lo - 1, 0))
            found = column[at] == ids if hi > lo else np.zeros(ids.size, dtype=bool)
            scores[found] += self.weights[lo + at[found]]
        return scores

    def rarity(self, token: str) -> float | None:
        t = self.vocab.get(token)
        return None if t is None else float(self.idf[t])

    def max_rarity(self) -> float:
        return float(self.idf.max()) if self.idf.size else 1.0

    def save(self, directory: Path) -> list[str]:
        """Write the index as .npy arrays plus JSON (no pickle); returns the file names."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name, array in zip(_FILES, (self.indptr, self.doc_ids, self.weights, self.idf),
                               strict=True):
            np.save(directory / name, np.ascontiguousarray(array), allow_pickle=False)
        (directory / _VOCAB).write_text(json.dumps(self.vocab, ensure_ascii=False,
                                                   separators=(",", ":")), encoding="utf-8")
        meta = {"n_docs": self.n_docs, "avgdl": self.avgdl, "params": asdict(self.params),
                "tokenizer_version": TOKENIZER_VERSION}
        (directory / _META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        return [*_FILES, _VOCAB, _META]

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """Open a saved index; arrays are memory-mapped, so loading does no real work."""
        directory = Path(directory)
        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        vocab = json.loads((directory / _VOCAB).read_text(encoding="utf-8"))
        indptr, doc_ids, weights, idf = (
            np.load(directory / name, mmap_mode="r", allow_pickle=False) for name in _FILES
        )
        return cls(vocab, indptr, doc_ids, weights, idf, int(meta["n_docs"]),
                   BM25Params(**meta["params"]), float(meta["avgdl"]))


def write_bm25(directory: Path, docs_tokens: Sequence[Sequence[str]],
               params: BM25Params) -> list[str]:
    """Build BM25 over tokenized chunks into `directory`; the files written."""
    return BM25Index.build(docs_tokens, params).save(directory)


LEXICAL_BACKENDS[BM25Index.backend] = LexicalBackend(
    write=write_bm25, load=BM25Index.load, files=BM25_FILES)
