"""BM25 tokenizer rules, and proof that BM25Index scores exactly as rank_bm25's BM25Okapi."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.backends.bm25 import (
    DEFAULT_STOPWORDS,
    TOKENIZER_VERSION,
    BM25Index,
    BM25Params,
    tokenize,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

QUERIES = [
    "how much is Meta spending on AI infrastructure",
    "Nvidia one-day fall",
    "Nvidia market value loss in a single day",
    "What did DeepSeek's launch do to AI stocks?",
    "QwQ-32B reasoning model from Alibaba",
    "how many GPUs did DeepSeek use to train V3",
    "$500 billion Stargate project",
    "U.S. export controls on chips to China",
    "Trump tariffs trade war inflation",
    "Microsoft capital expenditure 2025",
    "is the AI bubble going to burst",
    "8.3% growth",
    "44,150",
    "Sam Altman OpenAI",
    "energy consumption of data centres",
    "Jevons paradox",
    "Nasdaq drop January 27",
    "Ed Zitron on the generative AI industry",
    "reserve currency dollar confidence",
    "the the the",  # only stopwords: empty query
    "zzzunknownterm",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It fell 60 points", ["fell", "60", "points"]),
        ("rose 6.5 then 15.4 more", ["rose", "6.5", "15.4"]),
        ("44,150 jobs and 1,234,567.89 units", ["44150", "jobs", "1234567.89", "units"]),
        ("a list 3,4 and 2023,2024", ["list", "3", "4", "2023", "2024"]),
        ("$1.25 billion", ["1.25", "billion"]),
        ("\\$500 and €200 and £3", ["500", "200", "3"]),
        ("up 8.3%, down 4%.", ["8.3", "4"]),
        ("in 2024. Then", ["2024"]),
        ("the U.S. economy", ["usa", "economy"]),
        ("US chips, U.S.A. and USA", ["usa", "chips", "usa", "usa"]),
        ("let us know", ["let", "know"]),
        ("U.S.-China tensions", ["usa", "china", "tensions"]),
        ("USAID BUS USB USD", ["usaid", "bus", "usb", "usd"]),
        ("U.K. and e.g. this", ["uk", "eg"]),
        ("Meta's capex", ["meta", "capex"]),
        ("Meta\u2019s capex", ["meta", "capex"]),
        ("investors' money", ["investors", "money"]),
        ("don\u2019t won't can't", []),
        ("a start-up", ["start"]),
        ("QwQ-32B and Qwen2.5-32B", ["qwq", "32b", "qwen2.5", "32b"]),
        ("AI-driven", ["ai", "driven"]),
        ("Café résumé NAÏVE", ["café", "résumé", "naïve"]),
        ("cafe\u0301", ["café"]),  # decomposed accent is normalised, not split off
        ("snake_case path/to file.txt", ["snake", "case", "path", "file", "txt"]),
        ("The AND of OR", []),
        ("", []),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text, DEFAULT_STOPWORDS) == expected


def test_us_variants_match_each_other_but_not_the_pronoun() -> None:
    assert tokenize("U.S.") == tokenize("US") == tokenize("USA") == tokenize("U.S.A.") == ["usa"]
    assert tokenize("us") == tokenize("Us") == []


def test_custom_stopwords_and_stopword_list() -> None:
    assert tokenize("the US", frozenset()) == ["the", "usa"]
    assert 120 <= len(DEFAULT_STOPWORDS) <= 180
    for kept in ("billion", "percent", "ai", "usa", "one", "60", "million", "market"):
        assert kept not in DEFAULT_STOPWORDS
    assert all(w == w.lower() and w.isalpha() for w in DEFAULT_STOPWORDS)
    assert TOKENIZER_VERSION == "qa-simple-1"


def _seed_paragraphs() -> list[list[str]]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, "seed articles missing"
    paragraphs = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        paragraphs += [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return [tokenize(p) for p in paragraphs]


def _assert_same_as_okapi(docs: list[list[str]], queries: list[list[str]],
                          params: BM25Params) -> BM25Index:
    index = BM25Index.build(docs, params)
    okapi = BM25Okapi(docs, k1=params.k1, b=params.b, epsilon=params.epsilon)
    assert index.n_docs == len(docs) and index.vocab_size == len(okapi.idf)
    for query in queries:
        expected = okapi.get_scores(query)
        got = index.scores(query)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-6, err_msg=str(query))
    return index


@pytest.mark.parametrize("params", [BM25Params(), BM25Params(k1=1.2, b=0.5, epsilon=0.1)])
def test_seed_scores_equal_bm25okapi(params: BM25Params) -> None:
    docs = _seed_paragraphs()
    assert len(docs) > 50
    queries = [tokenize(q) for q in QUERIES]
    queries.append(tokenize("Nvidia Nvidia Nvidia DeepSeek"))  # repeated tokens count again
    index = _assert_same_as_okapi(docs, queries, params)
    assert index.scores(tokenize("Nvidia one-day fall")).max() > 0
    nvidia = index.scores(["nvidia"])
    np.testing.assert_allclose(index.scores(["nvidia", "nvidia"]), 2 * nvidia)


def _zipf_corpus(rng: np.random.Generator, n_docs: int, vocab: int) -> list[list[str]]:
    """Zipf-distributed words plus two words in most documents, so some idfs are negative."""
    docs = []
    for _ in range(n_docs):
        words = [f"w{i}" for i in rng.zipf(1.3, size=rng.integers(0, 40)) if i <= vocab]
        words += ["common"] * int(rng.random() < 0.8) + ["often"] * int(rng.random() < 0.6)
        rng.shuffle(words)
        docs.append(words)
    docs[3] = []  # empty documents still count in N and avgdl
    return docs


def test_random_corpus_scores_equal_bm25okapi() -> None:
    rng = np.random.default_rng(7)
    docs = _zipf_corpus(rng, 600, 3000)
    okapi = BM25Okapi(docs)
    negative = [w for w, n in okapi.idf.items() if n == okapi.epsilon * okapi.average_idf]
    assert {"common", "often", "w1"} <= set(negative)  # the epsilon floor is exercised
    queries = [["common"], ["w1", "w1", "w7"], ["w2", "nope", "w2", "common", "w300"], []]
    queries += [[f"w{i}" for i in rng.zipf(1.3, size=6)] for _ in range(30)]
    for params in (BM25Params(), BM25Params(k1=0.9, b=0.4, epsilon=0.5)):
        _assert_same_as_okapi(docs, queries, params)


def test_empty_query_and_unknown_tokens_score_zero() -> None:
    index = BM25Index.build([["a", "b"], ["b", "c"], ["c", "d"], ["e"]])
    for query in ([], ["zzz"], ["zzz", "yyy"]):
        scores = index.scores(query)
        assert scores.shape == (4,) and not scores.any()
        docs, hits = index.top_k(query, 3)
        assert docs.size == 0 and hits.size == 0


def test_top_k_order_ties_and_positive_only() -> None:
    # docs 1, 3 and 5 are identical, so they tie; 0 scores higher; 2 and 4 do not match.
    docs = [["x", "x", "y"], ["x", "y"], ["z"], ["x", "y"], ["z", "q"], ["x", "y"], ["z"]]
    index = BM25Index.build(docs)
    scores = index.scores(["x"])
    assert scores[1] == scores[3] == scores[5] > 0
    ids, hits = index.top_k(["x"], 3)
    assert ids.tolist() == [0, 1, 3]
    np.testing.assert_array_equal(hits, scores[[0, 1, 3]])
    assert index.top_k(["x"], 2)[0].tolist() == [0, 1]
    assert index.top_k(["x"], 10)[0].tolist() == [0, 1, 3, 5]  # only score > 0
    assert index.top_k(["x"], 0)[0].size == 0


def test_top_k_matches_full_sort_on_random_corpus() -> None:
    rng = np.random.default_rng(3)
    index = BM25Index.build(_zipf_corpus(rng, 500, 200))
    for _ in range(20):
        query = [f"w{i}" for i in rng.zipf(1.5, size=3)]
        scores = index.scores(query)
        order = [int(i) for i in np.lexsort((np.arange(scores.size), -scores)) if scores[i] > 0]
        ids, hits = index.top_k(query, 15)
        assert ids.tolist() == order[:15]
        assert np.all(np.diff(hits) <= 0)


def test_save_load_round_trip(tmp_path: Path) -> None:
    docs = _seed_paragraphs()
    params = BM25Params(k1=1.2, b=0.6, epsilon=0.3)
    index = BM25Index.build(docs, params)
    names = index.save(tmp_path)
    assert sorted(names) == sorted(p.name for p in tmp_path.iterdir())
    assert all(name.endswith((".npy", ".json")) for name in names)
    for name in names:  # plain arrays: loadable without pickle
        if name.endswith(".npy"):
            assert np.load(tmp_path / name, allow_pickle=False).dtype != object
    loaded = BM25Index.load(tmp_path)
    assert loaded.n_docs == index.n_docs and loaded.params == params
    assert loaded.vocab_size == index.vocab_size and loaded.vocab == index.vocab
    for query in QUERIES:
        tokens = tokenize(query)
        np.testing.assert_array_equal(loaded.scores(tokens), index.scores(tokens))
        for got, expected in zip(loaded.top_k(tokens, 5), index.top_k(tokens, 5), strict=True):
            np.testing.assert_array_equal(got, expected)


def test_empty_corpus() -> None:
    index = BM25Index.build([])
    assert index.n_docs == 0 and index.vocab_size == 0
    assert index.scores(["x"]).shape == (0,)
    assert index.top_k(["x"], 5)[0].size == 0


def test_load_is_fast_at_100k_docs(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    ids = rng.zipf(1.2, size=100_000 * 20) % 50_000
    words = [f"t{i}" for i in range(50_000)]
    docs = [[words[i] for i in row] for row in ids.reshape(100_000, 20)]
    index = BM25Index.build(docs)
    index.save(tmp_path)
    start = time.perf_counter()
    loaded = BM25Index.load(tmp_path)
    assert time.perf_counter() - start < 1.0
    query = ["t1", "t17", "t300"]
    np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
