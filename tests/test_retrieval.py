"""Hybrid retrieval on the seeds: the right passage first, evidence on every hit."""

from __future__ import annotations

import pytest

from qa.retrieval import Mode, SearchSettings, search

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


def test_no_two_hits_overlap_in_the_same_document(fake_index):
    for question in ["Nvidia market value loss", "DeepSeek training cost", "Stargate SoftBank"]:
        hits = search(fake_index, question, SearchSettings(k=20))
        for i, a in enumerate(hits):
            for b in hits[i + 1:]:
                if a.chunk.source == b.chunk.source:
                    assert a.chunk.end <= b.chunk.start or b.chunk.end <= a.chunk.start


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
    assert search(fake_index, "what is it?", SearchSettings(mode="bm25")) == []
    assert search(fake_index, "what is it?", SearchSettings(mode="vector"))


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
