"""Frontier gains: running maxima, windows, bootstrap and the published indexes."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import progress


def _index(days, score, sd=None):
    days = np.asarray(days, dtype=float)
    score = np.asarray(score, dtype=float)
    sd = np.zeros(len(score)) if sd is None else np.asarray(sd, dtype=float)
    return progress.Index("t", "test", "pts", days, score, sd, tuple(f"m{i}" for i in range(len(score))))


def test_frontier_is_a_running_maximum_in_release_order():
    f = progress.frontier([20, 0, 10], [2.0, 1.0, 3.0], [0, 5, 10, 25])
    assert f.tolist() == [1.0, 1.0, 3.0, 3.0]
    # 2-D scores: one frontier per draw
    f2 = progress.frontier([0, 10], [[1.0, 2.0], [3.0, 0.0]], [10])
    assert f2[:, 0].tolist() == [2.0, 3.0]


def test_planted_acceleration_is_found_with_certainty():
    # a model every 30 days, gains growing quadratically: the later window always gains more
    days = np.arange(0, 800, 30.0)
    ix = _index(days, (days / 100) ** 2, sd=np.full(len(days), 0.01))
    a = progress.acceleration(ix, "1972-03-01", window_days=182.625, n_draws=500, seed=2)
    assert a["last"] > a["previous"] and a["p_accelerating"] == 1.0
    assert a["difference_low"] > 0


def test_planted_deceleration_is_found_with_certainty():
    days = np.arange(0, 800, 30.0)
    ix = _index(days, np.sqrt(days), sd=np.full(len(days), 0.01))
    assert progress.acceleration(ix, "1972-03-01", n_draws=500, seed=2)["p_accelerating"] == 0.0


def test_metr_gains_at_the_keynote_by_hand():
    a = progress.acceleration(progress.metr_index(), n_draws=500)
    # Claude 3.7 Sonnet (60.39 min) over o1-preview (20.33); o1-preview over GPT-4 1106 (4.04)
    assert a["last"] == pytest.approx(np.log2(60.388937 / 20.326586), rel=1e-9)
    assert a["previous"] == pytest.approx(np.log2(20.326586 / 4.044959), rel=1e-9)


def test_eci_gains_at_the_keynote_by_hand():
    a = progress.acceleration(progress.eci_index(), n_draws=500)
    # o1 (142.966) over o1-mini (136.526); o1-mini over Claude 3 Opus (127.015)
    assert a["last"] == pytest.approx(142.9660 - 136.5260, abs=1e-3)
    assert a["previous"] == pytest.approx(136.5260 - 127.0154, abs=1e-3)


def test_bootstrap_is_seeded_and_resampling_drops_models():
    ix = progress.eci_index()
    _, s1 = progress.bootstrap_scores(ix, 50, seed=7)
    _, s2 = progress.bootstrap_scores(ix, 50, seed=7)
    assert np.array_equal(s1, s2)
    assert np.isinf(s1).any() and (np.isfinite(s1).sum(axis=1) < len(ix.score)).all()


def test_metr_standard_deviation_from_the_interval():
    m = progress.metr_index()
    i = m.names.index("o3_inspect")
    expected = (np.log2(191.583353) - np.log2(72.982684)) / 2 / 1.959963984540054
    assert m.score_sd[i] == pytest.approx(expected)


def test_edge_sensitivity_grid_and_rolling_gains():
    e = progress.edge_sensitivity(progress.metr_index())
    assert len(e) == 25 * 3 and e["shift_days"].min() == -60
    r = progress.rolling_gains(progress.metr_index(), n_draws=200)
    assert (r["gain_low"] <= r["gain"] + 1e-9).all() and (r["gain"] <= r["gain_high"] + 1e-9).all()


def test_frontier_table_lists_each_record_once():
    t = progress.frontier_table(progress.metr_index())
    assert t["score"].is_monotonic_increasing and t["model"].iloc[0] == "gpt2"


def test_day_numbers_and_dates_invert_each_other():
    dates = ["1970-01-01", "2000-02-29", "2025-03-18", "2026-03-01"]
    assert progress.to_dates(progress.to_days(dates)).tolist() == dates
    assert progress.to_dates(progress.to_days(["2024-12-31"]) + 0.99).tolist() == ["2024-12-31"]
    r = progress.rolling_gains(progress.metr_index(), start="2024-01-01", stop="2024-01-15", n_draws=50)
    assert r["end_date"].tolist() == ["2024-01-01", "2024-01-08", "2024-01-15"]
