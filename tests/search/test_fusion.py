"""Fusion functions: pure, documented behaviour on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from qa.config import RRF_K
from qa.search.fusion import (
    adaptive_alpha,
    lexical_coverage,
    minmax,
    order_by,
    phrase_share,
    rrf,
    weighted,
    window_share,
    with_sentences,
    with_wording,
)
from qa.types import Fusion


def test_rrf_matches_hand_computation():
    bm25_ranks = np.array([1, 2, 0])
    dense_ranks = np.array([3, 0, 1])
    fused = rrf(bm25_ranks, dense_ranks)
    expected = [1 / 61 + 1 / 63, 1 / 62, 1 / 61]
    assert RRF_K == 60
    np.testing.assert_allclose(fused, expected)


def test_rrf_k_changes_weighting_and_must_be_positive():
    assert rrf(np.array([1]), k=1)[0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="positive"):
        rrf(np.array([1]), k=0)


def test_minmax_guards_equal_scores():
    np.testing.assert_array_equal(minmax(np.array([3.0, 3.0, 3.0])), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(minmax(np.array([1.0, 3.0, 2.0])), [0.0, 1.0, 0.5])
    assert minmax(np.array([])).size == 0


def test_weighted_blends_normalized_scores():
    lexical = np.array([10.0, 0.0, 5.0])
    dense = np.array([0.2, 0.8, 0.5])
    np.testing.assert_allclose(weighted(lexical, dense, 0.0), [1.0, 0.0, 0.5])
    np.testing.assert_allclose(weighted(lexical, dense, 1.0), [0.0, 1.0, 0.5])
    np.testing.assert_allclose(weighted(lexical, dense, 0.5), [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="alpha"):
        weighted(lexical, dense, 1.5)


def test_order_by_breaks_ties_by_smaller_id():
    scores = np.array([0.5, 0.9, 0.5, 0.9])
    ids = np.array([7, 3, 2, 1])
    assert order_by(scores, ids).tolist() == [3, 1, 2, 0]


def test_unknown_fusion_lists_valid_values():
    with pytest.raises(ValueError, match="rrf, weighted"):
        Fusion.parse("borda")
    assert Fusion.parse("weighted") is Fusion.WEIGHTED


def test_with_sentences_mixes_a_passages_best_sentence_into_its_dense_score():
    chunk = np.array([0.5, 0.4, 0.3])
    sentence = np.array([0.5, 0.9, np.nan])  # the third passage has no sentence
    np.testing.assert_allclose(with_sentences(chunk, sentence, 0.5), [0.5, 0.65, 0.3])
    np.testing.assert_allclose(with_sentences(chunk, sentence, 0.0), chunk)
    np.testing.assert_allclose(with_sentences(chunk, sentence, 1.0), [0.5, 0.9, 0.3])
    # a passage whose one sentence answers overtakes one that is merely about the topic
    assert order_by(with_sentences(chunk, sentence, 0.5), np.arange(3))[0] == 1
    with pytest.raises(ValueError, match=r"within \[0, 1\]"):
        with_sentences(chunk, sentence, 1.5)


def test_lexical_coverage_is_the_share_of_the_questions_idf_mass_matched():
    assert lexical_coverage(3.0, [2.0, 4.0]) == pytest.approx(0.5)
    assert lexical_coverage(9.0, [2.0, 4.0]) == 1.0  # saturation can overshoot: capped
    assert lexical_coverage(0.0, [2.0]) == 0.0  # nothing found
    assert lexical_coverage(1.0, []) == 0.0  # a question of stopwords only


def test_adaptive_alpha_rises_from_alpha_to_alpha_max_as_coverage_falls():
    assert adaptive_alpha(0.6, 0.9, 1.0) == pytest.approx(0.6)
    assert adaptive_alpha(0.6, 0.9, 0.0) == pytest.approx(0.9)
    assert adaptive_alpha(0.6, 0.9, 0.5) == pytest.approx(0.75)
    assert adaptive_alpha(0.6, 0.9, 7.0) == pytest.approx(0.6)  # out of range: clamped
    assert adaptive_alpha(0.6, None, 0.0) == 0.6  # fixed weight
    assert adaptive_alpha(0.95, 0.9, 0.0) == 0.95  # a chosen alpha above alpha_max stays


def test_phrase_share_weighs_the_question_pairs_a_passage_keeps_by_rarity():
    rarity = {"papal": 3.0, "army": 1.0, "cross": 2.0}.__getitem__
    question = ["papal", "army", "cross"]  # pairs (papal, army) 4.0 and (army, cross) 3.0
    assert phrase_share(question, ["the", "papal", "army", "march"], rarity) == pytest.approx(4 / 7)
    assert phrase_share(question, ["cross", "army", "papal"], rarity) == 0.0  # order matters
    assert phrase_share(question, ["x", "papal", "army", "cross"], rarity) == pytest.approx(1.0)
    assert phrase_share(["army"], ["army"], rarity) == 0.0  # one word: no pairs
    assert phrase_share([], ["army"], rarity) == 0.0


def test_window_share_is_the_best_window_of_the_questions_terms():
    rarity = {"papal": 3.0, "army": 1.0, "cross": 2.0}.get
    question = ["papal", "army", "cross", "army"]  # distinct terms weigh 6.0
    passage = ["papal", "x", "x", "army", "x", "cross", "x", "papal", "army"]
    assert window_share(question, passage, lambda t: rarity(t, 0.0), 2) == pytest.approx(4 / 6)
    assert window_share(question, passage, lambda t: rarity(t, 0.0), 3) == pytest.approx(5 / 6)
    # the window of 4 from "cross" holds all three terms; none of 3 does
    assert window_share(question, passage, lambda t: rarity(t, 0.0), 4) == pytest.approx(1.0)
    assert window_share(question, passage[:7], lambda t: rarity(t, 0.0), 3) == pytest.approx(
        3 / 6)  # "army x cross" without the later "papal"
    assert window_share(question, [], lambda t: 1.0, 10) == 0.0
    assert window_share([], passage, lambda t: 1.0, 10) == 0.0
    # a term repeated inside the window counts once, and leaving once does not drop it
    assert window_share(["a", "b"], ["a", "a", "x", "b"], lambda t: 1.0, 3) == pytest.approx(1.0)


def test_with_wording_raises_by_weighted_features_and_stays_within_one():
    fused = np.array([1.0, 0.9, 0.0])
    raised = with_wording(fused, (np.array([0.0, 1.0, 0.0]),), (0.2,))
    np.testing.assert_allclose(raised, [1.0 / 1.2, 1.1 / 1.2, 0.0])
    assert order_by(raised, np.arange(3)).tolist() == [1, 0, 2]
    two = with_wording(fused, (np.ones(3), np.array([0.0, 0.5, 1.0])), (0.2, 0.6))
    np.testing.assert_allclose(two, [1.2 / 1.8, 1.4 / 1.8, 0.8 / 1.8])
    assert np.all(two <= 1.0)
    np.testing.assert_allclose(with_wording(fused, (np.ones(3),), (0.0,)), fused)
    with pytest.raises(ValueError, match="must not be negative"):
        with_wording(fused, (np.ones(3),), (-0.1,))
