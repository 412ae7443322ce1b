import numpy as np
import pytest

from knowledge.retrieval.fusion import convex, fusion, rrf


def test_rrf_sums_reciprocal_ranks_and_ignores_unscored_passages():
    lexical = np.array([3.0, 0.0, 1.0])
    dense = np.array([0.1, 0.9, 0.5])
    fused = rrf(lexical, dense, k=60)
    assert fused == pytest.approx([1 / 61 + 1 / 63, 1 / 61, 1 / 62 + 1 / 62])


def test_convex_weighs_min_max_normalised_scores():
    fused = convex(np.array([0.0, 2.0, 4.0]), np.array([1.0, 0.0, 0.5]), alpha=0.75)
    assert fused == pytest.approx([0.25, 0.375, 0.875])


def test_convex_of_constant_scores_is_zero_not_nan():
    assert convex(np.zeros(3), np.ones(3)).tolist() == [0.0, 0.0, 0.0]


def test_unknown_fusion_names_the_valid_ones():
    with pytest.raises(ValueError, match="convex, rrf"):
        fusion("borda")
