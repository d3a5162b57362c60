"""Hybrid retrieval on the seeds: the right passage first, evidence on every hit."""

from __future__ import annotations

import numpy as np
import pytest

from qa.search.hybrid import (
    MERGED_MAX,
    Mode,
    SearchSettings,
    _covered,
    hits_of,
    rank_chunks,
    search,
)
from tests.conftest import index_of
from tests.fakes import HashEmbedder

META = "how much is Meta spending on AI infrastructure?"
META_FIGURE = "between $60 billion and $65 billion"


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "within"), [("hybrid", 1), ("vector", 1), ("bm25", 3)])
def test_meta_question_ranks_the_meta_passage_first(seed_index, mode, within):
    hits = search(seed_index, META, SearchSettings(mode=mode, k=5))
    assert any(META_FIGURE in h.chunk.text for h in hits[:within])


@pytest.mark.slow
def test_paraphrase_finds_meta_through_meaning(seed_index):
    hits = search(seed_index, "How much is Facebook's parent pouring into data centres this year?",
                  SearchSettings(mode="vector", k=5))
    assert any(META_FIGURE in h.chunk.text for h in hits)


@pytest.mark.slow
def test_hybrid_hits_carry_both_scores_ranks_and_fused_score(seed_index):
    hits = search(seed_index, META, SearchSettings(k=5))
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(h.vector is not None and -1.0 <= h.vector <= 1.0 for h in hits)
    assert all(h.bm25 is not None and h.bm25 >= 0 for h in hits)
    assert any(h.bm25_rank and h.vector_rank for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.slow
def test_weighted_fusion_is_available_and_bounded(seed_index):
    hits = search(seed_index, META, SearchSettings(fusion="weighted", alpha=0.5, k=5))
    assert META_FIGURE in hits[0].chunk.text
    assert all(0.0 <= h.score <= 1.0 for h in hits)


def test_no_passage_repeats_another(fake_index):
    """Passages may share a sentence (a merge stops at MERGED_MAX) but each shows text
    that no better passage shows."""
    for question in ["Nvidia market value loss", "DeepSeek training cost", "Stargate SoftBank"]:
        hits = search(fake_index, question, SearchSettings(k=20))
        for i, hit in enumerate(hits):
            better = [(h.chunk.start, h.chunk.end) for h in hits[:i]
                      if h.chunk.source == hit.chunk.source]
            assert not _covered(hit.chunk.start, hit.chunk.end, better)
            assert hit.chunk.end - hit.chunk.start <= max(MERGED_MAX, 1000)


def test_dedup_never_hides_text_no_kept_passage_shows(fake_index):
    """A chunk that shares one sentence with a better one still holds text of its own: it
    is merged into that passage, not dropped (it once hid the only passage naming an
    acquisition's target)."""
    settings = SearchSettings(k=10)
    for question in ["Google largest acquisition ever", "Nvidia market value loss",
                     "DeepSeek training cost"]:
        ranking = rank_chunks(fake_index, question, settings)
        hits = hits_of(fake_index, ranking, settings.k)
        ranges = {}
        for h in hits:
            ranges.setdefault(h.chunk.source, []).append((h.chunk.start, h.chunk.end))
            doc = fake_index.documents[h.chunk.source].text
            assert doc[h.chunk.start:h.chunk.end] == h.chunk.text
        ids = ranking.ids.tolist()
        last = max(ids.index(i) for h in hits for i in _ids(fake_index, h.chunk))
        for chunk_id in ids[:last]:  # after the last hit, k stopped the list, not dedup
            chunk = fake_index.chunks[chunk_id]
            assert _covered(chunk.start, chunk.end, ranges.get(chunk.source, [])), chunk.id


def _ids(index, passage):
    """The chunk indices a (possibly merged) passage was made of."""
    return [i for i, c in enumerate(index.chunks) if c.id in passage.id.split("+")]


def test_covered_needs_the_whole_range():
    assert _covered(10, 20, [(0, 12), (12, 25)])
    assert not _covered(10, 20, [(0, 12), (13, 25)])
    assert not _covered(10, 20, [(0, 15)])
    assert _covered(10, 20, [(10, 20)])


@pytest.mark.slow
def test_the_acquisition_passage_is_shown(seed_index):
    hits = search(seed_index, "What is Google's largest acquisition ever?", SearchSettings(k=20))
    assert any("Wiz" in h.chunk.text for h in hits)


def test_bm25_mode_has_no_vector_and_only_matching_chunks(fake_index):
    hits = search(fake_index, "Kairos Power reactor", SearchSettings(mode="bm25", k=5))
    assert hits and all(h.vector is None and h.bm25 > 0 for h in hits)
    assert "Kairos Power" in hits[0].chunk.text


def test_source_filter_restricts_every_mode(fake_index):
    source = "seeds/003_b6c8a39852cc0843.txt"
    for mode in Mode:
        hits = search(fake_index, "Nvidia share price", SearchSettings(mode=mode, k=5),
                      sources={source})
        assert hits and all(h.chunk.source == source for h in hits)
    with pytest.raises(ValueError, match="not in the index"):
        search(fake_index, "Nvidia", sources={"../etc/passwd"})


def test_results_are_deterministic(fake_index):
    first = search(fake_index, "AI investment boom", SearchSettings(k=10))
    again = search(fake_index, "AI investment boom", SearchSettings(k=10))
    assert [h.chunk.id for h in first] == [h.chunk.id for h in again]


def test_a_question_of_stopwords_only_still_returns_vector_hits(fake_index):
    # Stopwords of every analyzer ("what" is one of NLTK's, not of Lucene's).
    assert not fake_index.tokenize("is it that?")
    assert search(fake_index, "is it that?", SearchSettings(mode="bm25")) == []
    assert search(fake_index, "is it that?", SearchSettings(mode="vector"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "fuzzy"}, "hybrid, bm25, vector"),
        ({"k": 0}, "k must be between 1"),
        ({"k": 10_000}, "k must be between 1"),
        ({"alpha": -0.1}, "weight"),
        ({"fusion": "max"}, "rrf, weighted"),
    ],
)
def test_bad_settings_name_the_valid_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SearchSettings(**kwargs)


def test_the_dense_weight_rises_as_fewer_of_the_questions_words_are_found(fake_index):
    adaptive = SearchSettings(fusion="weighted", alpha=0.5, alpha_max=0.9)
    found = rank_chunks(fake_index, "Meta capital expenditure on AI infrastructure", adaptive)
    half = rank_chunks(fake_index, "Meta zorblat quintessa flimwhistle", adaptive)
    lost = rank_chunks(fake_index, "zorblat quintessa flimwhistle", adaptive)
    assert 0.5 <= found.alpha < half.alpha < lost.alpha == pytest.approx(0.9)
    fixed = SearchSettings(fusion="weighted", alpha=0.5, alpha_max=None)
    assert rank_chunks(fake_index, "zorblat quintessa flimwhistle", fixed).alpha == 0.5
    assert rank_chunks(fake_index, "Meta", SearchSettings(fusion="rrf")).alpha is None


# Written for the test: both passages hold every word of the question, and BM25 prefers the
# one that repeats them; only the other keeps the question's wording.
PHRASES = {
    "river.txt": "By the river the army waited for the papal envoys. The river rose, and the "
                 "envoys of the pope came over it by boat; the army followed them over the river "
                 "a week later, and the river fell.\n",
    "bridge.txt": "In the spring the papal army crossed the river Tiber at the Milvian bridge "
                  "and took the city in two days.\n",
    "bread.txt": "Bakers in the city rose before dawn to bake bread for the market.\n",
    "ships.txt": "The merchant ships sailed from the harbour in the autumn with wool and salt.\n",
    "rain.txt": "Heavy rain in the hills filled the wells of the valley towns that year.\n",
}


def test_the_passage_that_keeps_the_questions_wording_comes_first(tmp_path):
    # The phrase share and the window share each lift the passage that says it in one place.
    index = index_of(tmp_path, PHRASES, HashEmbedder())
    question = "Where did the papal army cross the river?"

    def order(**settings):
        ranking = rank_chunks(index, question, SearchSettings(fusion="weighted", **settings))
        return [index.chunks[i].source.removeprefix("docs/") for i in ranking.ids], ranking

    plain, _ = order(phrase_weight=0.0, window_weight=0.0)
    phrased, _ = order(phrase_weight=0.2, window_weight=0.0)
    close, _ = order(phrase_weight=0.0, window_weight=0.6)
    default, ranking = order()
    assert plain[:2] == ["river.txt", "bridge.txt"]
    assert phrased[:2] == close[:2] == default[:2] == ["bridge.txt", "river.txt"]
    assert sorted(phrased) == sorted(plain)  # the same candidates, reordered
    assert np.all((ranking.score >= 0.0) & (ranking.score <= 1.0))
    assert list(ranking.score) == sorted(ranking.score, reverse=True)
    # Only weighted fusion is raised: RRF and the single modes rank as before.
    for mode, fusion in (("hybrid", "rrf"), ("bm25", "rrf"), ("vector", "rrf")):
        a = rank_chunks(index, question, SearchSettings(mode=mode, fusion=fusion))
        b = rank_chunks(index, question, SearchSettings(mode=mode, fusion=fusion,
                                                        phrase_weight=0.0, window_weight=0.0))
        assert a.ids.tolist() == b.ids.tolist() and np.array_equal(a.score, b.score)
    for weights in ({"phrase_weight": -1.0}, {"window_weight": -0.1}):
        with pytest.raises(ValueError, match="must not be negative"):
            SearchSettings(**weights)
