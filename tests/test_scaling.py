"""Chinchilla's frontier, the inference-aware optimum and the test-time slopes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import scaling

HOFFMANN = scaling.LossLaw(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28)
CHINCHILLA_FLOP = 5.76e23  # Hoffmann et al., Table 3 / section 4: Chinchilla's training budget


def test_published_fits_load_as_printed():
    assert scaling.law("hoffmann2022") == HOFFMANN
    b = scaling.law("besiroglu2024")
    assert (b.E, b.A, b.B, b.alpha, b.beta) == (1.81686, 482.00572, 2085.43420, 0.34781, 0.36585)


def test_chinchilla_optimum_by_hand():
    # G = (alpha A / (beta B))^(1/(alpha+beta)) = (0.34 x 406.4 / (0.28 x 410.7))^(1/0.62)
    #   = (138.176 / 114.996)^1.6129 = 1.2016^1.6129 = 1.34471
    # N* = G (C/6)^(beta/(alpha+beta)) = 1.34471 x (9.6e22)^0.451613 = 1.34471 x 2.3938e10 = 3.2190e10
    # D* = (C/6) / N* = 9.6e22 / 3.2190e10 = 2.9823e12
    n, d = scaling.compute_optimal(HOFFMANN, CHINCHILLA_FLOP)
    assert n == pytest.approx(3.2190e10, rel=1e-4)
    assert d == pytest.approx(2.9823e12, rel=1e-4)
    # Besiroglu refit: G = (0.34781 x 482.00572 / (0.36585 x 2085.43420))^(1/0.71366) = 0.119631
    # N* = 0.119631 x (9.6e22)^(0.36585/0.71366) = 7.2353e10, i.e. 18.34 tokens per parameter
    n, d = scaling.compute_optimal(scaling.law("besiroglu2024"), CHINCHILLA_FLOP)
    assert n == pytest.approx(7.2353e10, rel=1e-4)
    assert d / n == pytest.approx(18.338, rel=1e-4)


def test_optimum_spends_the_budget_and_beats_every_other_split():
    lw = scaling.law("besiroglu2024")
    c = np.array([1e21, 1e23, 1e25])
    n, d = scaling.compute_optimal(lw, c)
    np.testing.assert_allclose(6 * n * d, c, rtol=1e-12)
    for scale in (0.5, 0.8, 1.25, 2.0):
        assert np.all(lw.loss(n * scale, d / scale) > lw.loss(n, d))


def test_frontier_loss_is_a_power_law_in_compute():
    lw = scaling.law("hoffmann2022")
    c = np.logspace(20, 26, 7)
    reducible = scaling.frontier_loss(lw, c) - lw.E
    slope = np.polyfit(np.log(c), np.log(reducible), 1)[0]
    assert slope == pytest.approx(-0.34 * 0.28 / 0.62, rel=1e-9)


def test_loss_constrained_tokens_inverts_the_loss():
    lw = scaling.law("besiroglu2024")
    n = np.array([1e10, 3e10, 1e11, 1e12])
    target = lw.loss(7e10, 1.4e12)
    d = scaling.loss_constrained_tokens(lw, n, target)
    # 1e10 parameters cannot reach the target at any data size (E + A/N^alpha is above it)
    assert np.isnan(d[0])
    np.testing.assert_allclose(lw.loss(n[1:], d[1:]), target, rtol=1e-12)


def test_inference_aware_optimum_without_demand_is_chinchillas():
    lw = scaling.law("besiroglu2024")
    n_opt, d_opt = scaling.compute_optimal(lw, CHINCHILLA_FLOP)
    t = scaling.inference_aware_optimum(lw, lw.loss(n_opt, d_opt), [0.0], grid_points=20001)
    # a grid step of 10^(6/20000) is 0.07%; the optimum is flat, so allow a few steps
    assert t["params"].iloc[0] == pytest.approx(n_opt, rel=5e-3)
    assert t["total_flop"].iloc[0] == pytest.approx(CHINCHILLA_FLOP, rel=1e-5)


def test_more_demand_means_a_smaller_model_trained_longer():
    lw = scaling.law("besiroglu2024")
    t = scaling.inference_aware_optimum(lw, lw.loss(7e10, 1.4e12), [0, 1e12, 1e13, 1e14])
    assert t["params"].is_monotonic_decreasing and t["tokens_per_param"].is_monotonic_increasing
    np.testing.assert_allclose(t["inference_flop"], 2 * t["params"] * t["inference_tokens"])


def test_exponent_intervals_cover_the_published_exponent():
    e = scaling.exponent_intervals("besiroglu2024", n_draws=20000, seed=3)
    # Besiroglu et al. report a = beta/(alpha+beta) = 0.5126
    assert e.loc["params", "value"] == pytest.approx(0.5126, abs=1e-4)
    assert e.loc["params", "low"] < 0.5126 < e.loc["params", "high"]
    assert e.loc["tokens", "value"] == pytest.approx(1 - 0.5126, abs=1e-4)
    with pytest.raises(ValueError, match="no standard errors"):
        scaling.sample_laws("hoffmann2022")


def _planted(points):
    rows = []
    for i, (compute, acc, n) in enumerate(points):
        rows.append({"point_id": f"p{i}", "law": "test_time", "series": "planted", "setting": "-",
                     "compute_relative": compute, "accuracy_share": acc, "problems_count": n})
    return pd.DataFrame(rows)


def test_slope_recovers_a_planted_logit_line():
    # accuracy = sigmoid(0.2 + 0.5 log10(compute)) at 1x, 10x, 100x, 1000x on 100,000 problems
    x = np.array([0.0, 1.0, 2.0, 3.0])
    acc = 1 / (1 + np.exp(-(0.2 + 0.5 * x)))
    t = scaling.inference_scaling_slopes(_planted(zip(10**x, acc, [100_000] * 4)), n_boot=2000, seed=1)
    row = t.iloc[0]
    assert row["slope_logit_per_decade"] == pytest.approx(0.5, rel=1e-12)
    assert row["slope_low"] < 0.5 < row["slope_high"] and row["slope_high"] - row["slope_low"] < 0.05
    assert len(t) == 1  # one series: no pooled row


def test_published_slopes_and_their_seeded_intervals():
    t = scaling.inference_scaling_slopes().set_index("series")
    o3 = t.loc["OpenAI o3, ARC-AGI-1 semi-private set"]
    # (logit 0.875 - logit 0.757) / log10 172 = (1.94591 - 1.13625) / 2.23553 = 0.36218
    assert o3["slope_logit_per_decade"] == pytest.approx(0.36218, rel=1e-4)
    assert o3["slope_low"] > 0
    pooled = t.loc[scaling.POOLED]
    assert pooled["slope_low"] > 0
    again = scaling.inference_scaling_slopes().set_index("series")
    assert again.loc[scaling.POOLED, "slope_low"] == pooled["slope_low"]


def test_accuracy_gains():
    g = scaling.accuracy_gains().set_index("series")
    post = g.loc["DeepSeek-R1-Zero, AIME 2024, reinforcement learning"]
    assert post["gain_points"] == pytest.approx(71.0 - 15.6)
    assert post["gain_low"] > 0
    assert set(g["law"]) == {"test_time", "post_training"}


def test_unknown_ids_list_the_valid_ones():
    with pytest.raises(KeyError, match="besiroglu2024"):
        scaling.law("kaplan2020")
    with pytest.raises(KeyError, match="demo_prompt_tokens"):
        scaling.assumption("nope")
