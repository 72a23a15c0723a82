"""Routers: Dynamo's documented cost example, its softmax, the prefix overlap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import routing


def test_dynamo_documentation_example():
    # kv_cache_routing.md: cached 2/5/8 blocks, prefill 8/5/2, decode 10/5/9 -> costs 18, 10, 11, worker 2 wins
    costs = routing.kv_costs([8, 5, 2], [0, 0, 0], [10, 5, 9], block_tokens=1)
    assert costs.tolist() == [18.0, 10.0, 11.0]
    assert routing.softmax_choice(costs.tolist(), 0.0, 0.123) == 1
    # a weight of 0 is pure load balancing
    assert routing.kv_costs([8, 5, 2], [0, 0, 0], [10, 5, 9], 1, overlap_weight=0.0).tolist() == [10.0, 5.0, 9.0]


def test_softmax_frequencies_match_the_normalized_probabilities():
    costs, temperature = [0.0, 3.0, 9.0], 0.5
    expected = np.exp(-(np.array(costs) - 0.0) / (9.0 * temperature))
    expected /= expected.sum()
    draws = np.random.default_rng(0).random(40000)
    picks = np.bincount([routing.softmax_choice(costs, temperature, u) for u in draws], minlength=3) / len(draws)
    assert picks == pytest.approx(expected, abs=0.01)


def test_ties_are_broken_by_the_draw_and_equal_costs_are_uniform():
    assert {routing.softmax_choice([1.0, 1.0, 2.0], 0.0, u) for u in (0.1, 0.9)} == {0, 1}
    assert routing.softmax_choice([5.0, 5.0], 1.0, 0.75) == 1


def test_prefix_overlap_counts_only_leading_runs():
    holders = {10: {0, 2}, 11: {0}, 12: {0, 2}}
    assert routing.prefix_overlap([10, 11, 12], holders, 3) == [3, 0, 1]
    assert routing.prefix_overlap([99, 10], holders, 3) == [0, 0, 0]
    assert not math.isnan(sum(routing.prefix_overlap([], holders, 3)))
